/**
 * Writes docs/schemas/*.schema.json from the code's schemas (src/core/output-schemas.ts). Run after changing a
 * schema: `npm run schemas`. test/unit/core/output-schemas.test.ts fails while the files differ from the code.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { schemaFiles, schemaFileText } from '../src/core/output-schemas';

const dir = join(__dirname, '..', 'docs', 'schemas');
mkdirSync(dir, { recursive: true });
const files = schemaFiles();
for (const stale of readdirSync(dir).filter((f) => f.endsWith('.schema.json') && !(f in files))) {
  rmSync(join(dir, stale));
}
for (const [file, schema] of Object.entries(files)) writeFileSync(join(dir, file), schemaFileText(schema));
process.stdout.write(`${Object.keys(files).length} schemas written to docs/schemas/\n`);
