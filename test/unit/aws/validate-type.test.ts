/**
 * ValidateStateMachineDefinition checks a definition against the rules of the type it is given: an EXPRESS state
 * machine's definition must be validated as EXPRESS, which refuses the `.sync` and `.waitForTaskToken` patterns
 * (API_ValidateStateMachineDefinition: `type`, default STANDARD).
 */
import { awsAtNock, sfnCall, useNock } from './wire';

useNock();

it.each(['STANDARD', 'EXPRESS'] as const)('sends the state machine type it is given (%s)', async (type) => {
  let sent: { type?: string } = {};
  const scope = sfnCall('ValidateStateMachineDefinition').reply(200, (_uri, body) => {
    sent = (typeof body === 'string' ? JSON.parse(body) : body) as { type?: string };
    return { result: 'OK', diagnostics: [] };
  });
  await awsAtNock().sfn.validateStateMachineDefinition(
    '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
    type,
  );
  expect(scope.isDone()).toBe(true);
  expect(sent.type).toBe(type);
});

it('validates as STANDARD when no type is given, as the API does', async () => {
  let sent: { type?: string } = {};
  sfnCall('ValidateStateMachineDefinition').reply(200, (_uri, body) => {
    sent = (typeof body === 'string' ? JSON.parse(body) : body) as { type?: string };
    return { result: 'OK', diagnostics: [] };
  });
  await awsAtNock().sfn.validateStateMachineDefinition('{}');
  expect(sent.type).toBe('STANDARD');
});
