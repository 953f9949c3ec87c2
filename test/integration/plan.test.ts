/**
 * `batchctl plan` against the emulator (strict mode on) with the demo workload seeded.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BatchClient, CreateComputeEnvironmentCommand } from '@aws-sdk/client-batch';
import { SFNClient, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { parsePlan } from '../../src/core/plan';
import { plan } from '../../src/services/plan';
import { startEmulator, type Emulator } from '../emulator';
import { snapshotAccount } from '../support/account-snapshot';
import { cliEnv, REPO, runCli } from '../support/cli';
import {
  batchStateMachineDefinition,
  clientConfig,
  SECRET_VALUE,
  USER_DATA_SECRET,
  seedDemoWorkload,
  type DemoWorkload,
  userDataMime,
} from '../support/demo-workload';

jest.setTimeout(120_000);

const SPEC = join(REPO, 'plans', 'reproject.yaml');
let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  dir = mkdtempSync(join(tmpdir(), 'batchctl-plan-'));
});

afterEach(() => aws.destroy());

function specFile(body: string): string {
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, body);
  return file;
}

describe('plan on the demo workload', () => {
  it('finds exactly the referencing state machines, their references and the alias, and no others', async () => {
    const result = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });

    expect(result.status).toBe('ready');
    const refs = result.plan.references.map((r) => ({ name: r.name, changes: r.changes, dynamic: r.dynamic }));
    expect(refs.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      {
        name: 'reproject-adhoc',
        changes: [
          { path: ['Reproject one'], field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' },
          { path: ['Reproject one'], field: 'JobDefinition', before: 'reproject', after: 'reproject-b' },
        ],
        dynamic: [],
      },
      {
        name: 'reproject-workflow',
        changes: [
          {
            path: ['Fan out', 'ItemProcessor', 'Reproject'],
            field: 'JobQueue',
            before: workload.queueArn,
            after: workload.queueArn.replace('reproject-a', 'reproject-b'),
          },
          {
            path: ['Fan out', 'ItemProcessor', 'Reproject'],
            field: 'JobDefinition',
            before: workload.jobDefinitionArn,
            after: 'arn:aws:batch:us-east-1:123456789012:job-definition/reproject-b:1',
          },
        ],
        dynamic: [],
      },
    ]);
    const workflow = result.plan.references.find((r) => r.name === 'reproject-workflow');
    expect(workflow?.aliases).toEqual([
      {
        name: 'live',
        arn: workload.aliasArn,
        routes: [{ versionArn: `${workload.stateMachines.byArn}:1`, weight: 100, referencesLive: true }],
      },
    ]);
    expect(result.plan.references.map((r) => r.name)).not.toContain('nightly-report');
    expect(
      result.plan.steps
        .filter((s) => s.action === 'repoint-state-machine')
        .map((s) => s.target)
        .sort(),
    ).toEqual(['reproject-adhoc', 'reproject-workflow']);
  });

  it('derives B from A: names, pinned launch template version, mapped compute environments, the spec changes', async () => {
    const result = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });
    const b = result.plan.target;

    expect(b.label).toBe('b');
    expect(b.launchTemplates.map((lt) => lt.name)).toEqual(['reproject-500gb-b']);
    expect(b.launchTemplates[0]?.data.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize).toBe(1000);
    const ce = b.computeEnvironments[0];
    expect(ce?.name).toBe('reproject-spot-b');
    expect(ce?.input.computeResources?.launchTemplate).toEqual({
      launchTemplateName: 'reproject-500gb-b',
      version: '1',
    });
    expect(ce?.input.computeResources?.maxvCpus).toBe(512);
    expect(ce?.input.computeResources).not.toHaveProperty('desiredvCpus');
    expect(ce?.input.tags).toEqual({
      team: 'geo',
      'batchctl:workload': 'reproject',
      'batchctl:revision': 'b',
      'batchctl:plan': result.plan.id,
    });
    expect(b.jobQueue.input.computeEnvironmentOrder).toEqual([
      { order: 1, computeEnvironment: 'arn:aws:batch:us-east-1:123456789012:compute-environment/reproject-spot-b' },
    ]);
    expect(b.jobQueue.input.priority).toBe(10);
    expect(b.jobDefinitions).toEqual([
      expect.objectContaining({
        changed: true,
        name: 'reproject-b',
        from: { name: 'reproject', arn: workload.jobDefinitionArn, revision: 1 },
      }),
    ]);
    expect(result.plan.quota).toEqual([
      { resource: 'compute-environments', limit: 50, current: 2, during: 3, ok: true },
      { resource: 'job-queues', limit: 50, current: 2, during: 3, ok: true },
      { resource: 'compute-environments-per-queue', limit: 3, current: 1, during: 1, ok: true },
    ]);
  });

  it('changes nothing in the account', async () => {
    const before = await snapshotAccount(emulator.endpoint);
    await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });
    const cli = await runCli(['plan', SPEC, '--out', join(dir, 'cli.json'), '--json'], cliEnv(emulator.endpoint));
    expect(cli.code).toBe(0);
    expect(await snapshotAccount(emulator.endpoint)).toEqual(before);
  });

  it('writes a plan file that validates, fingerprints what it saw and holds no secret', async () => {
    const out = join(dir, 'p.json');
    const result = await plan({ aws, specPath: SPEC, outPath: out, toolVersion: 'test' });
    const text = readFileSync(out, 'utf8');
    const parsed = parsePlan(text, out);

    expect(parsed.id).toBe(result.plan.id);
    expect(parsed.account).toBe('123456789012');
    expect(parsed.region).toBe('us-east-1');
    expect(parsed.observed.map((o) => `${o.kind}:${o.name}`).sort()).toEqual([
      'compute-environment:reproject-spot-a',
      'job-definition:reproject',
      'job-queue:reproject-a',
      'launch-template:reproject-500gb-a',
      'state-machine:reproject-adhoc',
      'state-machine:reproject-workflow',
    ]);
    for (const secret of [SECRET_VALUE, USER_DATA_SECRET, userDataMime()]) expect(text).not.toContain(secret);
    const environment = JSON.stringify(parsed.target.jobDefinitions[0]?.input?.containerProperties?.environment);
    expect(environment).toMatch(/"DB_PASSWORD","value":"<redacted hmac:[0-9a-f]{12}>"/);
    // Keyed with a random per-plan key that is never stored: not the plain sha256 prefix a guess could be checked against.
    const plainDigest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(SECRET_VALUE));
    const plainPrefix = Buffer.from(plainDigest).toString('hex').slice(0, 12);
    expect(environment).not.toContain(plainPrefix);
    expect(text).not.toContain(plainPrefix);
  });

  it('gives the same plan id for the same spec and account, and another when A changes', async () => {
    const first = await plan({ aws, specPath: SPEC, outPath: join(dir, 'a.json'), toolVersion: 'test' });
    const second = await plan({ aws, specPath: SPEC, outPath: join(dir, 'b.json'), toolVersion: 'test' });
    expect(second.plan.id).toBe(first.plan.id);
    const other = specFile(readFileSync(SPEC, 'utf8').replace('maxvCpus: 512', 'maxvCpus: 1024'));
    const third = await plan({ aws, specPath: other, outPath: join(dir, 'c.json'), toolVersion: 'test' });
    expect(third.plan.id).not.toBe(first.plan.id);
  });

  it('prints the human diff with secrets redacted, and one --json document on stdout', async () => {
    const human = await runCli(['plan', SPEC, '--out', join(dir, 'h.json')], cliEnv(emulator.endpoint));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('~ BlockDeviceMappings[0].Ebs.VolumeSize: 500 → 1000');
    expect(human.stdout).toContain('Reproject one  JobQueue: reproject-a → reproject-b');
    expect(human.stdout).toContain('alias live: 1 100% → A');
    const json = await runCli(['plan', SPEC, '--out', join(dir, 'j.json'), '--json'], cliEnv(emulator.endpoint));
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { status: string; planPath: string; plan: { id: string }; diff: unknown[] };
    expect(doc.status).toBe('ready');
    expect(doc.plan.id).toMatch(/^p-[0-9a-f]{12}$/);
    for (const out of [human.stdout, human.stderr, json.stdout, json.stderr]) {
      expect(out).not.toContain(SECRET_VALUE);
      expect(out).not.toContain(USER_DATA_SECRET);
    }
  });
});

describe('plan checks', () => {
  it('blocks a workload at the compute-environment quota, with exit code 4', async () => {
    // Fill the account to 50 compute environments: B's copy would be the 51st.
    const batch = new BatchClient(clientConfig(emulator.endpoint));
    try {
      for (let i = 0; i < 48; i++) {
        await batch.send(
          new CreateComputeEnvironmentCommand({
            computeEnvironmentName: `filler-${i}`,
            type: 'UNMANAGED',
            state: 'ENABLED',
            unmanagedvCpus: 1,
            serviceRole: workload.roleArns.service,
          }),
        );
      }
    } finally {
      batch.destroy();
    }
    const result = await runCli(['plan', SPEC, '--out', join(dir, 'q.json')], cliEnv(emulator.endpoint));
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('✗ compute environments            50 → 51 of 50');
    expect(result.stdout).toContain(
      'compute-environments: 51 would exist while A and B stand side by side, over the limit of 50 (now 50).',
    );
    const file = parsePlan(readFileSync(join(dir, 'q.json'), 'utf8'), 'q.json');
    expect(file.blockers.map((b) => b.code)).toEqual(['QuotaExceeded']);
  });

  it('honours a lower quota from the spec', async () => {
    const spec = specFile(`${readFileSync(SPEC, 'utf8')}quota:\n  jobQueues: 2\n`);
    const result = await plan({ aws, specPath: spec, outPath: join(dir, 'p.json'), toolVersion: 'test' });
    expect(result.status).toBe('blocked');
    expect(result.plan.blockers).toEqual([
      {
        code: 'QuotaExceeded',
        message: 'job-queues: 3 would exist while A and B stand side by side, over the limit of 2 (now 2).',
      },
    ]);
  });

  it('blocks a dynamic queue reference until the spec acknowledges it', async () => {
    const sfn = new SFNClient(clientConfig(emulator.endpoint));
    const definition = JSON.parse(
      readFileSync(join(REPO, 'test', 'fixtures', 'dynamic-queue.asl.json'), 'utf8'),
    ) as object;
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: workload.stateMachines.byName,
        definition: JSON.stringify(definition),
      }),
    );
    sfn.destroy();

    const blocked = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });
    expect(blocked.status).toBe('blocked');
    expect(blocked.plan.blockers.map((b) => b.code)).toEqual(['DynamicReference']);
    expect(blocked.plan.blockers[0]?.message).toContain('reproject-adhoc/Pick a queue');

    const acked = specFile(
      `${readFileSync(SPEC, 'utf8')}references:\n  acknowledgeDynamic: ["reproject-adhoc/Pick a queue"]\n`,
    );
    const ok = await plan({ aws, specPath: acked, outPath: join(dir, 'p2.json'), toolVersion: 'test' });
    expect(ok.status).toBe('ready');
  });

  it('blocks an alias still routing to an old version that uses A when the current definition does not', async () => {
    const sfn = new SFNClient(clientConfig(emulator.endpoint));
    try {
      // The workflow moved to another queue and job definition by hand; its alias "live" still runs version 1, on A.
      await sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn: workload.stateMachines.byArn,
          definition: batchStateMachineDefinition(workload.otherQueueArn, 'nightly-report'),
        }),
      );
    } finally {
      sfn.destroy();
    }

    const blocked = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });

    expect(blocked.status).toBe('blocked');
    expect(blocked.plan.blockers.map((b) => [b.code, b.resource])).toEqual([
      ['AliasOnOldVersion', 'reproject-workflow'],
    ]);
    expect(blocked.plan.blockers[0]?.message).toMatch(
      /^state machine reproject-workflow: alias live routes 100% of executions to version 1, which uses revision A, while the current definition does not;/,
    );
  });

  it('refuses B names taken by resources batchctl did not create', async () => {
    const batch = new BatchClient(clientConfig(emulator.endpoint));
    await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'reproject-spot-b',
        type: 'UNMANAGED',
        state: 'ENABLED',
        unmanagedvCpus: 1,
        serviceRole: workload.roleArns.service,
      }),
    );
    batch.destroy();
    const result = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });
    expect(result.plan.blockers.map((b) => `${b.code}:${b.resource}`)).toEqual(['NameTaken:reproject-spot-b']);
  });
});

describe('bad input ends in one clear line and a non-zero exit', () => {
  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0] ?? '';
  };

  it('malformed YAML', async () => {
    const spec = specFile('version: 1\nworkload: reproject\nlive:\n  jobQueue: [unclosed\n');
    const result = await runCli(['plan', spec], cliEnv(emulator.endpoint));
    expect(result.code).toBe(3);
    expect(oneLine(result.stderr)).toMatch(new RegExp(`^Error: ${spec}: line \\d+, column \\d+: not valid YAML`));
    expect(result.stdout).toBe('');
  });

  it('a spec missing a field', async () => {
    const spec = specFile('version: 1\nlive:\n  jobQueue: reproject-a\n');
    const result = await runCli(['plan', spec], cliEnv(emulator.endpoint));
    expect(result.code).toBe(3);
    expect(oneLine(result.stderr)).toBe(
      `Error: ${spec}: field "workload" is missing. See docs/spec.md for every field.`,
    );
  });

  it('an unknown queue', async () => {
    const spec = specFile('version: 1\nworkload: reproject\nlive:\n  jobQueue: no-such-queue\n');
    const result = await runCli(['plan', spec], cliEnv(emulator.endpoint));
    expect(result.code).toBe(3);
    expect(oneLine(result.stderr)).toBe(
      `Error: ${spec}: job queue "no-such-queue" (live.jobQueue) does not exist in account 123456789012, region us-east-1, and no queue is tagged batchctl:workload=reproject. Check the queue name, --region and --profile; \`batchctl status ${spec}\` lists the workload's queues.`,
    );
  });

  it('no credentials', async () => {
    const env = cliEnv(emulator.endpoint, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const result = await runCli(['plan', SPEC, '--out', join(dir, 'n.json')], env);
    expect(result.code).toBe(6);
    expect(oneLine(result.stderr)).toBe(
      'Error: No AWS credentials found. Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
  });

  it('an unreachable endpoint', async () => {
    const result = await runCli(
      ['plan', SPEC, '--out', join(dir, 'u.json')],
      cliEnv('http://127.0.0.1:9', { AWS_MAX_ATTEMPTS: '1' }),
    );
    expect(result.code).toBe(6);
    expect(oneLine(result.stderr)).toMatch(/^Error: Cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)\./);
  });

  it('a spec file that does not exist, under --json: the error document on stdout', async () => {
    const result = await runCli(['plan', join(dir, 'missing.yaml'), '--json'], cliEnv(emulator.endpoint));
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 'batchctl/error/1',
      error: {
        code: 'SpecNotFound',
        exitCode: 3,
        message: `Cannot read spec "${join(dir, 'missing.yaml')}" (ENOENT).`,
        suggestions: ['Pass the path of a spec YAML file, e.g. plans/reproject.yaml.'],
      },
    });
  });
});
