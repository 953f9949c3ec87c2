/**
 * What can still submit a job definition revision that retirement would deregister. Deregistering it while something
 * can still submit it makes that submission fail, so a revision is kept while any of these names it:
 * - a state machine's current definition;
 * - a published version (immutable, startable by its ARN with or without an alias; aliases only route to versions,
 *   so checking every version covers them — aws-facts §5.3, §8a);
 * - a running execution's definition (DescribeStateMachineForExecution: it may predate the current one, §5.2);
 * - an execution pending redrive: a Standard execution FAILED, TIMED_OUT or ABORTED within the last 14 days whose
 *   redriveStatus is REDRIVABLE. RedriveExecution restarts it with its original definition (§8a; API_RedriveExecution),
 *   which would submit the deregistered revision.
 * The state machines searched are the spec's scope (`stateMachines`) and the plan's references: the same set plan
 * searched for references, so a state machine outside it is one the user told batchctl not to look at. Reading every
 * state machine of an account costs four ListExecutions each (2 per second) and would hold a retirement for many
 * minutes. Calls stay inside Step Functions' buckets (§2.2).
 */
import type { Aws } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import { definitionNames, type WorkloadTarget } from '../core/references';
import { mapLimit } from '../lib/parallel';

/** RedriveExecution accepts executions that ended within the last 14 days (API_RedriveExecution; aws-facts §8a). */
export const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;
const REDRIVABLE_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface Revision {
  name: string;
  arn: string;
  revision: number;
}

interface Definition {
  /** What runs it, for the step's detail: "version 1 of state machine X", "running execution E of X". */
  where: string;
  definition: string;
}

/** Every definition in scope that can still start or resume work, read once. */
export async function definitionsInUse(
  aws: Aws,
  inScope: (stateMachine: { name: string; arn: string }) => boolean,
  now: Date = new Date(),
): Promise<Definition[]> {
  // Every call is paced by its Step Functions bucket in the AWS layer (src/aws/sfn.ts, aws-facts §2.2).
  const machines = (await aws.sfn.listStateMachines()).filter((sm) =>
    inScope({ name: sm.name ?? '', arn: sm.stateMachineArn ?? '' }),
  );
  const perMachine = await mapLimit(machines, 4, async (sm): Promise<Definition[]> => {
    const arn = sm.stateMachineArn ?? '';
    const name = sm.name ?? arn;
    const out: Definition[] = [];
    const current = await aws.sfn.describeStateMachine(arn);
    out.push({ where: `state machine ${name}`, definition: current.definition ?? '' });
    for (const v of await aws.sfn.listStateMachineVersions(arn)) {
      const version = await aws.sfn.describeStateMachine(v.stateMachineVersionArn ?? '');
      const number = (v.stateMachineVersionArn ?? '').split(':').pop();
      out.push({ where: `version ${number} of state machine ${name}`, definition: version.definition ?? '' });
    }
    // Express workflows keep no execution history (ListExecutions: StateMachineTypeNotSupported) and cannot be
    // redriven; their in-flight executions are the drain's concern (at most 5 minutes, aws-facts §8a).
    if (sm.type === 'EXPRESS') return out;
    const executions = async (status: 'RUNNING' | (typeof REDRIVABLE_STATUSES)[number]) => {
      try {
        return await aws.sfn.listExecutions(arn, status);
      } catch (error) {
        if (awsErrorName(error) === 'StateMachineTypeNotSupported') return [];
        throw error;
      }
    };
    const definitionOf = async (executionArn: string): Promise<string> =>
      (await aws.sfn.describeStateMachineForExecution(executionArn)).definition ?? '';
    for (const e of await executions('RUNNING')) {
      out.push({
        where: `running execution ${e.name ?? ''} of ${name}`,
        definition: await definitionOf(e.executionArn ?? ''),
      });
    }
    // A redriven execution is RUNNING again (above). The PENDING_REDRIVE filter is for Map Run children only: with a
    // stateMachineArn, ListExecutions rejects it (ListExecutionsInput.statusFilter, SDK model).
    for (const status of REDRIVABLE_STATUSES) {
      const recent = (await executions(status)).filter(
        (e) => e.stopDate && now.getTime() - new Date(e.stopDate).getTime() < REDRIVE_WINDOW_MS,
      );
      for (const e of recent) {
        const detail = await aws.sfn.describeExecution(e.executionArn ?? '');
        // REDRIVABLE_BY_MAP_RUN: a Distributed Map child, redriven with its parent map run — still a redrive.
        if (!detail.redriveStatus?.startsWith('REDRIVABLE')) continue;
        out.push({
          where: `${status} execution ${e.name ?? ''} of ${name}, which can be redriven`,
          definition: await definitionOf(e.executionArn ?? ''),
        });
      }
    }
    return out;
  });
  return perMachine.flat();
}

/** The first definition that names this revision (by ARN, name:revision, or bare name while it is the latest). */
export function whatNames(definitions: Definition[], jd: Revision): string | undefined {
  const only: WorkloadTarget = {
    queue: { name: '', arn: '' },
    jobDefinitions: [{ name: jd.name, arn: jd.arn.replace(/:\d+$/, ''), revisions: [jd.revision] }],
  };
  return definitions.find((d) => definitionNames(d.definition, only, true))?.where;
}
