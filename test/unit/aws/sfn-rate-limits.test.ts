/**
 * Step Functions throttles per API bucket, per account and region (aws-facts §2.2; Step Functions developer guide,
 * "Service quotas", API action throttling). Every call through one Aws instance takes its token from one limiter per
 * bucket, whichever service makes it, so services working at once together stay inside AWS's rate instead of each
 * spending a full burst. A fake clock counts the calls granted.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';

import type { Aws } from '../../../src/aws/clients';
import { createSfnApi } from '../../../src/aws/sfn';
import { SFN_LIMITS } from '../../../src/lib/rate-limiter';
import { scanStateMachines } from '../../../src/services/discovery';
import { RunningExecutions } from '../../../src/services/drain';
import { AliasInspector } from '../../../src/services/references';
import { reprojectSpec } from '../core/fixtures';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine';
const DEFINITION = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

/** An SFN client that answers at once and counts what was sent, by operation. */
function countingClient(answers: Record<string, (input: Record<string, unknown>) => unknown>): {
  client: SFNClient;
  sent: Record<string, number>;
} {
  const sent: Record<string, number> = {};
  const client = {
    send: async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      sent[operation] = (sent[operation] ?? 0) + 1;
      const answer = answers[operation];
      if (!answer) throw new Error(`unexpected ${operation}`);
      return answer(command.input);
    },
  } as unknown as SFNClient;
  return { client, sent };
}

/** Lets every call that holds a token run to its next wait, without moving the clock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await jest.advanceTimersByTimeAsync(0);
}

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z') }));
afterEach(() => jest.useRealTimers());

describe('one limiter per Step Functions bucket, shared by the whole run', () => {
  it('DescribeStateMachine: a burst of 200, then 20 a second', async () => {
    const { client, sent } = countingClient({ DescribeStateMachine: () => ({ definition: DEFINITION }) });
    const sfn = createSfnApi(client);
    const all = Promise.all(Array.from({ length: 230 }, (_, i) => sfn.describeStateMachine(`${SM}:sm-${i}`)));
    await settle();
    expect(sent.DescribeStateMachine).toBe(200);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent.DescribeStateMachine).toBe(220);
    await jest.advanceTimersByTimeAsync(500);
    await all;
    expect(sent.DescribeStateMachine).toBe(230);
  });

  it('each bucket is its own: UpdateStateMachine and UpdateStateMachineAlias do not share, and each refills 1 a second', async () => {
    const { client, sent } = countingClient({
      UpdateStateMachine: () => ({ updateDate: new Date() }),
      UpdateStateMachineAlias: () => ({ updateDate: new Date() }),
      DescribeStateMachineForExecution: () => ({ definition: DEFINITION }),
    });
    const sfn = createSfnApi(client);
    const calls = [
      ...Array.from({ length: 102 }, () => sfn.updateStateMachine({ stateMachineArn: `${SM}:sm`, definition: '{}' })),
      ...Array.from({ length: 100 }, () =>
        sfn.updateStateMachineAlias({ stateMachineAliasArn: `${SM}:sm:live`, routingConfiguration: [] }),
      ),
      // Its own bucket (200 / 1), not DescribeStateMachine's 200 / 20.
      ...Array.from({ length: 203 }, (_, i) => sfn.describeStateMachineForExecution(`exec-${i}`)),
    ];
    await settle();
    expect(sent).toEqual({
      UpdateStateMachine: 100,
      UpdateStateMachineAlias: 100,
      DescribeStateMachineForExecution: 200,
    });
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent.UpdateStateMachine).toBe(101);
    expect(sent.DescribeStateMachineForExecution).toBe(201);
    await jest.advanceTimersByTimeAsync(2000);
    await Promise.all(calls);
    expect(sent).toEqual({
      UpdateStateMachine: 102,
      UpdateStateMachineAlias: 100,
      DescribeStateMachineForExecution: 203,
    });
  });

  it('two services in one run together spend one DescribeStateMachine burst, not one each', async () => {
    // discovery scans 150 state machines while the alias inspector describes 120 published versions: 270 calls.
    const machines = Array.from({ length: 150 }, (_, i) => ({
      name: `sm-${i}`,
      stateMachineArn: `${SM}:sm-${i}`,
      type: 'STANDARD',
      creationDate: new Date(),
    }));
    const aliases = Array.from({ length: 120 }, (_, i) => ({ stateMachineAliasArn: `${SM}:sm-0:alias-${i}` }));
    const { client, sent } = countingClient({
      ListStateMachines: () => ({ stateMachines: machines }),
      DescribeStateMachine: () => ({ definition: DEFINITION }),
      ListStateMachineAliases: () => ({ stateMachineAliases: aliases }),
      DescribeStateMachineAlias: (input) => ({
        name: String(input.stateMachineAliasArn).split(':').pop(),
        stateMachineAliasArn: input.stateMachineAliasArn,
        routingConfiguration: [
          { stateMachineVersionArn: `${SM}:sm-0:${String(input.stateMachineAliasArn).split('-').pop()}`, weight: 100 },
        ],
      }),
    });
    const aws = { sfn: createSfnApi(client) } as unknown as Aws;
    const target = {
      queue: { name: 'q-a', arn: 'arn:aws:batch:us-east-1:123456789012:job-queue/q-a' },
      jobDefinitions: [],
    };
    const work = Promise.all([
      scanStateMachines(aws, reprojectSpec()),
      new AliasInspector(aws, target).aliasesOf(`${SM}:sm-0`),
    ]);
    await settle();
    expect(sent.DescribeStateMachine).toBe(SFN_LIMITS.describeStateMachine.burst);
    await jest.advanceTimersByTimeAsync(3600);
    const [scan, found] = await work;
    expect(scan.scanned).toHaveLength(150);
    expect(found).toHaveLength(120);
    expect(sent.DescribeStateMachine).toBe(270);
  });

  it('every page of a list takes its own token (ListExecutions: 100, then 2 a second)', async () => {
    let page = 0;
    const { client, sent } = countingClient({
      ListExecutions: () => ({ executions: [], nextToken: ++page < 103 ? `t-${page}` : undefined }),
    });
    const aws = { sfn: createSfnApi(client) } as unknown as Aws;
    const listed = new RunningExecutions(aws).list([{ arn: `${SM}:sm` }]);
    await settle();
    expect(sent.ListExecutions).toBe(100);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent.ListExecutions).toBe(102);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(listed).resolves.toEqual([]);
    expect(sent.ListExecutions).toBe(103);
  });
});
