/**
 * The caller services are paced inside their published rates (src/lib/rate-limiter.ts CALLER_LIMITS): one bucket per
 * service for the whole run, every call and every page taking a token. A fake clock counts the calls granted.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';

import { createEventsApi } from '../../../src/aws/events';
import { createLambdaApi } from '../../../src/aws/lambda';
import { CALLER_LIMITS } from '../../../src/lib/rate-limiter';

function countingClient<C>(answer: (operation: string, input: Record<string, unknown>) => unknown): {
  client: C;
  sent: Record<string, number>;
} {
  const sent: Record<string, number> = {};
  const client = {
    send: async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      sent[operation] = (sent[operation] ?? 0) + 1;
      return answer(operation, command.input);
    },
  } as unknown as C;
  return { client, sent };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await jest.advanceTimersByTimeAsync(0);
}

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z') }));
afterEach(() => jest.useRealTimers());

it('EventBridge: every API shares one bucket of 50 a second (reads and PutTargets alike)', async () => {
  expect(CALLER_LIMITS.events).toEqual({ burst: 50, perSecond: 50 });
  const { client, sent } = countingClient<EventBridgeClient>(() => ({ Targets: [], FailedEntryCount: 0 }));
  const events = createEventsApi(client);
  const reads = Array.from({ length: 45 }, (_, i) => events.listTargetsByRule(`r${i}`, 'default'));
  const writes = Array.from({ length: 30 }, (_, i) => events.putTargets(`r${i}`, 'default', [{ Id: 'a', Arn: 'b' }]));
  await settle();
  expect((sent.ListTargetsByRule ?? 0) + (sent.PutTargets ?? 0)).toBe(50);
  await jest.advanceTimersByTimeAsync(500);
  expect((sent.ListTargetsByRule ?? 0) + (sent.PutTargets ?? 0)).toBe(75);
  await Promise.all([...reads, ...writes]);
});

it('Lambda: ListFunctions pages are paced at 10 a second, under the 15 a second control-plane quota', async () => {
  let page = 0;
  const { client, sent } = countingClient<LambdaClient>(() => {
    page += 1;
    return { Functions: [], NextMarker: page < 25 ? `m${page}` : undefined };
  });
  const all = createLambdaApi(client).listFunctionEnvironments();
  await settle();
  expect(sent.ListFunctions).toBe(10);
  await jest.advanceTimersByTimeAsync(1000);
  expect(sent.ListFunctions).toBe(20);
  await jest.advanceTimersByTimeAsync(500);
  await all;
  expect(sent.ListFunctions).toBe(25);
});
