/**
 * A state machine whose role is scoped to A's names: every execution would fail on B with an access error (the
 * emulator evaluates the role's policies, as Step Functions does), the drain would see nothing left on A, and A would
 * be deleted. plan blocks it, naming the statement to add; with that statement the plan is ready.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { SFNClient, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { plan } from '../../src/services/plan';
import { startEmulator, type Emulator } from '../emulator';
import { REPO } from '../support/cli';
import { ACCOUNT, clientConfig, REGION, seedDemoWorkload, type DemoWorkload } from '../support/demo-workload';

jest.setTimeout(120_000);

const BATCH = `arn:aws:batch:${REGION}:${ACCOUNT}`;
const SPEC = join(REPO, 'plans', 'reproject.yaml');
let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startEmulator();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  aws = createAws({ endpoint: emulator.endpoint, region: REGION });
  iam = new IAMClient(clientConfig(emulator.endpoint));
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: 'adhoc-scoped',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await putPolicy('only-a', {
    Effect: 'Allow',
    Action: 'batch:SubmitJob',
    Resource: [`${BATCH}:job-queue/reproject-a`, `${BATCH}:job-definition/reproject:*`],
  });
  const sfn = new SFNClient(clientConfig(emulator.endpoint));
  await sfn.send(
    new UpdateStateMachineCommand({ stateMachineArn: workload.stateMachines.byName, roleArn: role.Role?.Arn }),
  );
  sfn.destroy();
});
afterAll(async () => {
  aws.destroy();
  iam.destroy();
  await emulator.stop();
});

async function putPolicy(name: string, statement: unknown): Promise<void> {
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'adhoc-scoped',
      PolicyName: name,
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    }),
  );
}

it('blocks a state machine whose role may submit to A only, naming the statement that lets it submit to B', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-roles-'));
  const blocked = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });
  expect(blocked.status).toBe('blocked');
  const roleBlockers = blocked.plan.blockers.filter((b) => b.code === 'RoleCannotSubmit');
  expect(roleBlockers.map((b) => b.resource)).toStrictEqual(['reproject-adhoc']);
  const message = roleBlockers[0]?.message ?? '';
  expect(message).toContain('its role adhoc-scoped may not batch:SubmitJob on');
  expect(message).toContain(`${BATCH}:job-queue/reproject-b (implicitDeny)`);
  expect(message).toContain(`${BATCH}:job-definition/reproject-b:1 (implicitDeny)`);

  // The statement the message gives, added as it is, is enough.
  const statement = JSON.parse(message.slice(message.indexOf('{'))) as unknown;
  await putPolicy('b-too', statement);
  const ready = await plan({ aws, specPath: SPEC, outPath: join(dir, 'p.json'), toolVersion: 'test' });
  expect(ready.plan.blockers).toStrictEqual([]);
  expect(ready.status).toBe('ready');
});
