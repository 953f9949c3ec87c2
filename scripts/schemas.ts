/**
 * Writes the generated schemas. First src/core/generated/change-schemas.json, the typed schema of a spec's
 * `changes`, from the installed SDK's models (scripts/change-schemas.ts); then docs/schemas/*.schema.json from the
 * code's schemas (src/core/output-schemas.ts), which embed it. Run after changing a schema or upgrading the SDK:
 * `npm run schemas`. test/unit/core/change-schemas.test.ts and test/unit/core/output-schemas.test.ts fail while the
 * files differ from what this writes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { changeSchemasText, generateChangeSchemas, GENERATED_FILE } from './change-schemas';

mkdirSync(dirname(GENERATED_FILE), { recursive: true });
writeFileSync(GENERATED_FILE, changeSchemasText(generateChangeSchemas()));
process.stdout.write(`change schemas written to src/core/generated/change-schemas.json\n`);

function writeDocsSchemas(): void {
  // Loaded only now, so the spec schema embeds the file just written.
  type OutputSchemas = typeof import('../src/core/output-schemas');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { schemaFiles, schemaFileText } = require('../src/core/output-schemas') as OutputSchemas;
  const dir = join(__dirname, '..', 'docs', 'schemas');
  mkdirSync(dir, { recursive: true });
  const files = schemaFiles();
  for (const stale of readdirSync(dir).filter((f) => f.endsWith('.schema.json') && !(f in files))) {
    rmSync(join(dir, stale));
  }
  for (const [file, schema] of Object.entries(files)) writeFileSync(join(dir, file), schemaFileText(schema));
  process.stdout.write(`${Object.keys(files).length} schemas written to docs/schemas/\n`);
}

writeDocsSchemas();
