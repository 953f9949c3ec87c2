/**
 * The emulator cannot evaluate JSONata expressions: moto's JSONata support needs a JVM bridge it does not ship,
 * so any `{% … %}` in a JSONata state fails the execution with States.Runtime "'NoneType' object is not callable".
 * The demo seed therefore passes a literal url; tests that need reproject-adhoc's job to run longer than the job
 * definition's command replace the definition with this one, which adds a `ContainerOverrides.Command`. The
 * reference shape batchctl has to find and rewrite (queue and job definition by name, in `Arguments`) is unchanged.
 */
import { SFNClient, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';

import { clientConfig } from './demo-workload';

/** `command`, when given, overrides the job definition's command (e.g. a longer `sleep` for a job to stay RUNNING). */
export function runnableAdhocDefinition(queue: string, jobDefinition: string, command?: string[]): string {
  return JSON.stringify(
    {
      QueryLanguage: 'JSONata',
      StartAt: 'Reproject one',
      States: {
        'Reproject one': {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Arguments: {
            JobName: 'reproject-adhoc',
            JobQueue: queue,
            JobDefinition: jobDefinition,
            Parameters: { url: 's3://x' },
            ...(command ? { ContainerOverrides: { Command: command } } : {}),
          },
          End: true,
        },
      },
    },
    null,
    2,
  );
}

/** Points reproject-adhoc at the runnable definition (same queue and job definition names as the seed). */
export async function makeAdhocRunnable(endpoint: string, stateMachineArn: string, command?: string[]): Promise<void> {
  const sfn = new SFNClient(clientConfig(endpoint));
  try {
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn,
        definition: runnableAdhocDefinition('reproject-a', 'reproject', command),
      }),
    );
  } finally {
    sfn.destroy();
  }
}
