/**
 * docs/schemas/ is generated from the code's schemas and must not drift from them; every schema compiles, and the
 * error document batchctl prints validates against the published error schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';

import { errorDocument, resultDocument, RESULT_COMMANDS } from '../../../src/core/json-output';
import { schemaFiles, schemaFileText } from '../../../src/core/output-schemas';
import { PLAN_SCHEMA } from '../../../src/core/plan';
import { SPEC_SCHEMA } from '../../../src/core/spec';
import { BatchctlError, usageError } from '../../../src/errors';

const DIR = join(__dirname, '..', '..', '..', 'docs', 'schemas');
const published = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(DIR, file), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });

describe('docs/schemas', () => {
  const files = schemaFiles();

  it('holds exactly the generated files (run `npm run schemas` after changing a schema)', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(files).sort());
  });

  it.each(Object.keys(schemaFiles()))('%s is the code’s schema, byte for byte', (file) => {
    expect(readFileSync(join(DIR, file), 'utf8')).toBe(schemaFileText(files[file] ?? {}));
  });

  it('publishes the very schemas the spec and plan readers validate with', () => {
    const { $schema: _s, title: _t, ...spec } = published('spec.schema.json');
    const { $schema: _s2, title: _t2, ...plan } = published('plan-file.schema.json');
    expect(spec).toEqual(SPEC_SCHEMA);
    expect(plan).toEqual(PLAN_SCHEMA);
  });

  it.each(Object.keys(schemaFiles()))('%s compiles', (file) => {
    expect(() => ajv.compile(published(file))).not.toThrow();
  });

  it('has one result schema per --json command, each pinning its schemaVersion', () => {
    for (const command of RESULT_COMMANDS) {
      const schema = published(`${command}-result.schema.json`) as { properties: { schemaVersion: unknown } };
      expect(schema.properties.schemaVersion).toEqual({ const: `batchctl/${command}/1` });
    }
  });
});

describe('the error document', () => {
  const validate = ajv.compile(published('error.schema.json'));

  it('validates as printed, suggestions included', () => {
    const doc = errorDocument(
      new BatchctlError('SpecInvalid', 'plans/bad.yaml: field "x" is not allowed.', {
        exitCode: 3,
        suggestions: ['See docs/spec.md for every field.'],
      }),
    );
    expect(validate(doc)).toBe(true);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'error']);
  });

  it('carries nothing but code, message, exitCode and suggestions, whatever the error holds', () => {
    const error = Object.assign(usageError('DurationInvalid', '--grace "soon" is not a duration.'), {
      parse: { config: { pjson: {} } },
    });
    const doc = errorDocument(error);
    expect(validate(doc)).toBe(true);
    expect(JSON.stringify(doc)).not.toContain('pjson');
  });

  it('is refused without its schema version or with a lower-case code', () => {
    expect(validate({ error: { code: 'X', message: 'm', exitCode: 2, suggestions: [] } })).toBe(false);
    expect(
      validate({ schemaVersion: 'batchctl/error/1', error: { code: 'x', message: 'm', exitCode: 2, suggestions: [] } }),
    ).toBe(false);
  });
});

describe('result documents', () => {
  it('put the command’s schema version first and keep the result’s fields', () => {
    const doc = resultDocument('drain', { queue: { name: 'q', arn: 'arn', state: 'ENABLED' }, drained: true });
    expect(Object.keys(doc)[0]).toBe('schemaVersion');
    expect(doc).toMatchObject({ schemaVersion: 'batchctl/drain/1', drained: true });
  });

  it('a drain result validates; one without its schema version does not', () => {
    const validate = ajv.compile(published('drain-result.schema.json'));
    const result = {
      queue: { name: 'q', arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/q', state: 'ENABLED' },
      drained: false,
      inFlight: { executions: ['arn:x'], jobs: { SUBMITTED: 0, PENDING: 0, RUNNABLE: 1, STARTING: 0, RUNNING: 2 } },
      express: [],
      durationMs: 12,
    };
    expect(validate(resultDocument('drain', result))).toBe(true);
    expect(validate(result)).toBe(false);
  });
});
