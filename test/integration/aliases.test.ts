/**
 * Aliases and published versions through a swap, against the emulator (strict mode on): an alias splitting 90/10
 * over two versions whose definitions differ from each other and from the state machine's current one keeps its
 * weights and gets rewritten copies of *its* versions; rollback puts back the versions, weights and definition
 * exactly; a promote stopped between the publishes converges when run again, publishing nothing twice; the plan
 * lists the versions that name A.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { plan } from '../../src/services/plan';
import { promote, type PromoteTimings } from '../../src/services/promote';
import { rollback } from '../../src/services/rollback';
import { startEmulator, type Emulator } from '../emulator';
import { clientConfig, seedDemoWorkload, type DemoWorkload, workflowRolePolicy } from '../support/demo-workload';
import { startFaultProxy } from '../support/fault-proxy';
import { DEMO_SPEC } from '../support/specs';

jest.setTimeout(120_000);

const TIMINGS: PromoteTimings = {
  graceMs: 500,
  drainTimeoutMs: 60_000,
  pollIntervalMs: 500,
  resourceTimeoutMs: 30_000,
};
const ARN = 'arn:aws:batch:us-east-1:123456789012';
const B_QUEUE = `${ARN}:job-queue/reproject-b`;
const B_JOB_DEFINITION = `${ARN}:job-definition/reproject-b:1`;
const NAME = 'canary-workflow';

let emulator: Emulator;
let aws: Aws;
let sfn: SFNClient;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  sfn = new SFNClient(clientConfig(emulator.endpoint));
  dir = mkdtempSync(join(tmpdir(), 'batchctl-aliases-'));
});

afterEach(() => {
  aws.destroy();
  sfn.destroy();
});

/** A definition submitting one job; `step` names the state, so each revision of the workflow differs. */
function definition(step: string, queue: string, jobDefinition: string): string {
  return JSON.stringify(
    {
      Comment: `canary workflow, ${step}`,
      StartAt: step,
      States: {
        [step]: {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Parameters: { JobName: step, JobQueue: queue, JobDefinition: jobDefinition },
          End: true,
        },
      },
    },
    null,
    2,
  );
}

interface Canary {
  arn: string;
  aliasArn: string;
  v1: string;
  v2: string;
  roles: { own: string; v1: string };
  definitions: { v1: string; v2: string; current: string };
}

/**
 * The demo workload (revision A), plus a state machine of ours: version 1 (by queue ARN, with a role of its own),
 * version 2 (by queue name), an alias `prod` sending 90 % to version 1 and 10 % to version 2, and a current
 * definition that is neither (an unreleased change), all naming A's queue.
 */
async function seedCanary(): Promise<{ workload: DemoWorkload; canary: Canary }> {
  const workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  const iam = new IAMClient(clientConfig(emulator.endpoint));
  const oldRole = await iam.send(
    new CreateRoleCommand({
      RoleName: 'canary-workflow-old-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  // Version 1's role runs its executions (and its copy's): it may submit jobs, like the workflow role.
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'canary-workflow-old-role',
      PolicyName: 'submit',
      PolicyDocument: workflowRolePolicy(),
    }),
  );
  iam.destroy();
  const definitions = {
    v1: definition('Released', workload.queueArn, workload.jobDefinitionArn),
    v2: definition('Canary', 'reproject-a', workload.jobDefinitionArn),
    current: definition('Unreleased', workload.queueArn, workload.jobDefinitionArn),
  };
  const roles = { own: workload.roleArns.states, v1: oldRole.Role?.Arn ?? '' };
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: NAME,
      roleArn: roles.v1,
      definition: definitions.v1,
      publish: true,
      versionDescription: 'release 1',
    }),
  );
  const arn = created.stateMachineArn ?? '';
  const v2 = await sfn.send(
    new UpdateStateMachineCommand({
      stateMachineArn: arn,
      roleArn: roles.own,
      definition: definitions.v2,
      publish: true,
      versionDescription: 'canary 2',
    }),
  );
  const alias = await sfn.send(
    new CreateStateMachineAliasCommand({
      name: 'prod',
      routingConfiguration: [
        { stateMachineVersionArn: created.stateMachineVersionArn ?? '', weight: 90 },
        { stateMachineVersionArn: v2.stateMachineVersionArn ?? '', weight: 10 },
      ],
    }),
  );
  await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: definitions.current }));
  return {
    workload,
    canary: {
      arn,
      aliasArn: alias.stateMachineAliasArn ?? '',
      v1: created.stateMachineVersionArn ?? '',
      v2: v2.stateMachineVersionArn ?? '',
      roles,
      definitions,
    },
  };
}

/** The demo spec limited to our state machine, so the Nth Step Functions call of a promote is one of ours. */
function canarySpec(): string {
  const text = readFileSync(DEMO_SPEC, 'utf8').replace(/stateMachines:\n {2}all: true\n?/, '');
  if (text.includes('stateMachines:')) throw new Error('plans/reproject.yaml changed shape: cannot scope it');
  const file = join(dir, 'canary.yaml');
  writeFileSync(file, `${text.trimEnd()}\nstateMachines:\n  names: [${NAME}]\n`);
  return file;
}

async function planned(): Promise<Awaited<ReturnType<typeof plan>>> {
  const result = await plan({ aws, specPath: canarySpec(), outPath: join(dir, 'canary.plan.json'), toolVersion: 't' });
  expect(result.plan.blockers).toEqual([]);
  return result;
}

async function snapshot(arn: string): Promise<{ definition: string; roleArn: string; description?: string }> {
  const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  return {
    definition: d.definition ?? '',
    roleArn: d.roleArn ?? '',
    ...(d.description ? { description: d.description } : {}),
  };
}

async function routes(aliasArn: string): Promise<{ stateMachineVersionArn?: string; weight?: number }[]> {
  const d = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }));
  return [...(d.routingConfiguration ?? [])].sort((x, y) => (y.weight ?? 0) - (x.weight ?? 0));
}

async function versions(arn: string): Promise<string[]> {
  const out = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
  return (out.stateMachineVersions ?? []).map((v) => v.stateMachineVersionArn ?? '').sort();
}

const json = (text: string): unknown => JSON.parse(text);

/** After the cutover: the alias 90/10 over rewritten copies of v1 and v2, the state machine on its own rewrite. */
async function expectCutOver(canary: Canary): Promise<{ v1: string; v2: string }> {
  const [heavy, light] = await routes(canary.aliasArn);
  expect([heavy?.weight, light?.weight]).toEqual([90, 10]);
  const v1 = heavy?.stateMachineVersionArn ?? '';
  const v2 = light?.stateMachineVersionArn ?? '';
  expect([v1, v2]).not.toContain(canary.v1);
  expect([v1, v2]).not.toContain(canary.v2);
  const [p1, p2, own] = await Promise.all([snapshot(v1), snapshot(v2), snapshot(canary.arn)]);
  expect(json(p1.definition)).toEqual(json(definition('Released', B_QUEUE, B_JOB_DEFINITION)));
  expect(p1.roleArn).toBe(canary.roles.v1);
  expect(json(p2.definition)).toEqual(json(definition('Canary', 'reproject-b', B_JOB_DEFINITION)));
  expect(p2.roleArn).toBe(canary.roles.own);
  expect(json(own.definition)).toEqual(json(definition('Unreleased', B_QUEUE, B_JOB_DEFINITION)));
  expect(own.roleArn).toBe(canary.roles.own);
  // Exactly the two copies were published, each saying which version it copies.
  expect(await versions(canary.arn)).toEqual([canary.v1, canary.v2, v1, v2].sort());
  expect(p1.description).toMatch(/^batchctl p-[0-9a-f]{12}: version 1 with references moved to reproject-b$/);
  expect(p2.description).toMatch(/^batchctl p-[0-9a-f]{12}: version 2 with references moved to reproject-b$/);
  return { v1, v2 };
}

describe('an alias splitting traffic over two versions', () => {
  it('plan lists the published versions that name A, and warns that starting them directly will fail', async () => {
    const { canary } = await seedCanary();
    const { plan: p } = await planned();
    const ref = p.references.find((r) => r.name === NAME);
    expect(ref?.versions).toEqual([
      { arn: canary.v2, version: 2, namesLive: true },
      { arn: canary.v1, version: 1, namesLive: true },
    ]);
    expect(ref?.current).toEqual({ definition: canary.definitions.current, roleArn: canary.roles.own });
    expect(p.warnings.find((w) => w.code === 'VersionsNameLive')?.message).toBe(
      `state machine ${NAME}: published versions 1, 2 name reproject-a; an execution started with such a version ARN (not through an alias) once reproject-a is retired fails. Start the state machine or an alias instead.`,
    );
  });

  it('promote keeps the weights and each version’s own definition; rollback restores versions, weights and definition exactly', async () => {
    const { canary } = await seedCanary();
    const { planPath } = await planned();

    const result = await promote({ aws, planPath, retire: false, timings: TIMINGS });

    expect(result.status).toBe('drained');
    const published = await expectCutOver(canary);
    const repointed = result.repointed.find((r) => r.stateMachine === NAME);
    expect(repointed?.published).toEqual([
      { from: canary.v1, to: published.v1 },
      { from: canary.v2, to: published.v2 },
    ]);
    expect(repointed?.aliases).toEqual(['prod']);

    const back = await rollback({ aws, planPath, timings: TIMINGS });

    expect(await routes(canary.aliasArn)).toEqual([
      { stateMachineVersionArn: canary.v1, weight: 90 },
      { stateMachineVersionArn: canary.v2, weight: 10 },
    ]);
    expect(await snapshot(canary.arn)).toEqual({ definition: canary.definitions.current, roleArn: canary.roles.own });
    // The copies promote published stay (and can be started by their ARN): B's job definition revision they name
    // stays ACTIVE, as retire keeps A's for versions that name it.
    expect(back.deleted.map((d) => d.kind)).not.toContain('job-definition');
    expect(
      (await aws.batch.describeJobDefinitions({ name: 'reproject-b', status: 'ACTIVE' })).map((j) => j.revision),
    ).toEqual([1]);
    expect(await emulator.violations()).toEqual([]);
  });

  it('rollback of a promote stopped between the publishes puts back the recorded definition, not the version left in place', async () => {
    const { canary } = await seedCanary();
    const { planPath } = await planned();
    const proxy = await startFaultProxy(emulator.endpoint);
    const viaProxy = createAws({ endpoint: proxy.endpoint, region: 'us-east-1' });
    try {
      proxy.arm({ call: 'sfn:UpdateStateMachine', occurrence: 2 }, 'fatal');
      await expect(promote({ aws: viaProxy, planPath, retire: false, timings: TIMINGS })).rejects.toThrow(
        /Step repoint-state-machine:canary-workflow failed/,
      );
      expect(json((await snapshot(canary.arn)).definition)).toEqual(
        json(definition('Released', B_QUEUE, B_JOB_DEFINITION)),
      );
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }

    await rollback({ aws, planPath, timings: TIMINGS });

    expect(await snapshot(canary.arn)).toEqual({ definition: canary.definitions.current, roleArn: canary.roles.own });
    expect(await routes(canary.aliasArn)).toEqual([
      { stateMachineVersionArn: canary.v1, weight: 90 },
      { stateMachineVersionArn: canary.v2, weight: 10 },
    ]);
  });

  it('a resumed promote refuses to publish over a change made to the state machine during the swap (exit 4)', async () => {
    const { canary } = await seedCanary();
    const { planPath } = await planned();
    const proxy = await startFaultProxy(emulator.endpoint);
    const viaProxy = createAws({ endpoint: proxy.endpoint, region: 'us-east-1' });
    try {
      proxy.arm({ call: 'sfn:UpdateStateMachine', occurrence: 2 }, 'fatal');
      await expect(promote({ aws: viaProxy, planPath, retire: false, timings: TIMINGS })).rejects.toThrow();
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
    const edited = definition('Hotfix', B_QUEUE, B_JOB_DEFINITION);
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: canary.arn, definition: edited }));
    const before = await versions(canary.arn);

    await expect(promote({ aws, planPath, retire: false, timings: TIMINGS })).rejects.toMatchObject({
      code: 'StateMachineChanged',
      exitCode: 4,
    });

    // Untouched: the edit, with the role the stopped run had set for version 1's copy.
    expect(await snapshot(canary.arn)).toEqual({ definition: edited, roleArn: canary.roles.v1 });
    expect(await versions(canary.arn)).toEqual(before);
    expect(await routes(canary.aliasArn)).toEqual([
      { stateMachineVersionArn: canary.v1, weight: 90 },
      { stateMachineVersionArn: canary.v2, weight: 10 },
    ]);
  });

  it.each([
    [2, 'between the two publishes'],
    [3, 'after both publishes, before the state machine gets its own definition back'],
  ])(
    'a promote stopped at UpdateStateMachine call %i (%s) converges when run again, publishing nothing twice',
    async (occurrence) => {
      const { canary } = await seedCanary();
      const { planPath } = await planned();
      const proxy = await startFaultProxy(emulator.endpoint);
      const viaProxy = createAws({ endpoint: proxy.endpoint, region: 'us-east-1' });
      try {
        proxy.arm({ call: 'sfn:UpdateStateMachine', occurrence }, 'fatal');
        await expect(promote({ aws: viaProxy, planPath, retire: false, timings: TIMINGS })).rejects.toThrow(
          /Step repoint-state-machine:canary-workflow failed/,
        );
        expect(proxy.fired).toBe(true);
        // The run stopped inside the window: the state machine holds the copy of a version, not its own definition.
        const held = json((await snapshot(canary.arn)).definition);
        expect([
          json(definition('Released', B_QUEUE, B_JOB_DEFINITION)),
          json(definition('Canary', 'reproject-b', B_JOB_DEFINITION)),
        ]).toContainEqual(held);
        expect(await versions(canary.arn)).toHaveLength(2 + occurrence - 1);
        proxy.disarm();

        const again = await promote({ aws: viaProxy, planPath, retire: false, timings: TIMINGS });

        expect(again.status).toBe('drained');
        await expectCutOver(canary);
        expect(again.repointed.find((r) => r.stateMachine === NAME)?.published).toHaveLength(occurrence === 2 ? 1 : 0);
      } finally {
        viaProxy.destroy();
        await proxy.close();
      }
    },
  );
});
