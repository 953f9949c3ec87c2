/**
 * A spec whose changes break the API's types is refused by `batchctl plan` before any AWS call: exit 3, one line
 * naming every problem in words, and not one request reaches the endpoint (a local server counts them).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cliEnv, runCli } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'batchctl-spec-types-'));
let server: Server;
let requests = 0;
let endpoint = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests += 1;
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const SPEC = `version: 1
workload: x
live:
  jobQueue: x-a
changes:
  computeEnvironment:
    computeResources:
      maxvCpus: lots
  jobDefinitions:
    x:
      containerProperties:
        environment:
          - { name: TOKEN, value: 42, note: hunter2 }
`;

const EXPECTED =
  'field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got the text "lots"); ' +
  'field "changes.jobDefinitions.x.containerProperties.environment[0].value" must be text (or null to remove it) (got a number); ' +
  'field "changes.jobDefinitions.x.containerProperties.environment[0].note" is not allowed; the fields allowed here are name, value.';

it('plan refuses it with exit 3, every problem in words, and no AWS request', async () => {
  const spec = join(dir, 'x.yaml');
  writeFileSync(spec, SPEC);
  const result = await runCli(['plan', spec], cliEnv(endpoint));
  expect(result.code).toBe(3);
  expect(result.stderr.trim()).toBe(`Error: ${spec}: 3 problems: ${EXPECTED} See docs/spec.md for every field.`);
  expect(result.stderr).not.toContain('hunter2');
  expect(requests).toBe(0);
});

it('under --json, the same problems in the error document', async () => {
  const spec = join(dir, 'x.yaml');
  writeFileSync(spec, SPEC);
  const result = await runCli(['plan', spec, '--json'], cliEnv(endpoint));
  expect(result.code).toBe(3);
  const doc = JSON.parse(result.stdout) as { error: { code: string; message: string; exitCode: number } };
  expect(doc.error).toMatchObject({ code: 'SpecInvalid', exitCode: 3, message: `${spec}: 3 problems: ${EXPECTED}` });
  expect(requests).toBe(0);
});
