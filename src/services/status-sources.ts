/**
 * What `status` reads besides the workload's resources (services/workload-revisions.ts): the queue the spec's
 * optional `live` hint names, the lock and its holder's process, and where the aliases in scope route.
 */
import type { Aws } from '../aws/clients';
import { parameterNameProblem } from '../core/lock-key';
import type { Spec } from '../core/spec';
import { mapLimit } from '../lib/parallel';
import { readHeldLock, type HeldLock } from './lock';
import { ALIAS_SCAN_LIMIT } from './references';

/** An alias that sends executions to a published version whose definition names the queue. */
export interface AliasRoute {
  stateMachine: string;
  alias: string;
  version: string;
  weight: number;
}

/** Signal 0 checks existence only; EPERM means it exists under another user. */
export function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The queue the spec's optional `live` names (a hint: the workload is found by its tags and names anyway). */
export async function hintQueue(aws: Aws, spec: Spec): Promise<string | undefined> {
  const live = (spec as { live?: Spec['live'] }).live;
  if (live?.jobQueue) return live.jobQueue;
  if (!live?.stack) return undefined;
  const { name, queueLogicalId } = live.stack;
  // Not swallowed: a status that cannot read the stack must not guess the workload's names.
  const resources = await aws.cfn.listStackResources(name);
  return resources.find((r) => r.LogicalResourceId === queueLogicalId)?.PhysicalResourceId;
}

/** The lock held on any of `keys` (the workload's queue bases), with its holder's host and pid. */
export async function readWorkloadLock(aws: Aws, keys: string[]): Promise<HeldLock | undefined> {
  const valid = keys.filter((k) => k && !k.includes('/') && !parameterNameProblem(`/batchctl/lock/job-queue/${k}`));
  const found = await mapLimit(valid, 4, (key) => readHeldLock(aws, key));
  return found.find((l) => l !== undefined);
}

export interface Machine {
  name: string;
  arn: string;
  type?: string;
  definition: string;
}

/** Every alias of the state machines in scope, each route with the definition of the version it routes to. */
export async function aliasRoutes(
  aws: Aws,
  machines: Machine[],
  warnings: string[],
): Promise<(AliasRoute & { definition: string })[]> {
  // ListStateMachineAliases allows a burst of 100, then 1 per second (aws-facts §2.2), as in plan.
  if (machines.length > ALIAS_SCAN_LIMIT) {
    warnings.push(
      `the aliases of ${machines.length} state machines were not checked (over ${ALIAS_SCAN_LIMIT}); narrow stateMachines in the spec to have aliases counted as references.`,
    );
    return [];
  }
  const versions = new Map<string, Promise<string>>();
  const definitionOf = (arn: string): Promise<string> => {
    let known = versions.get(arn);
    if (!known) {
      known = aws.sfn.describeStateMachine(arn).then((v) => v.definition ?? '');
      versions.set(arn, known);
    }
    return known;
  };
  const perMachine = await mapLimit(machines, 4, async (m) => {
    const aliases = await aws.sfn.listStateMachineAliases(m.arn);
    const described = await mapLimit(aliases, 2, (a) =>
      aws.sfn.describeStateMachineAlias(a.stateMachineAliasArn ?? ''),
    );
    return mapLimit(
      described.flatMap((alias) => (alias.routingConfiguration ?? []).map((route) => ({ alias, route }))),
      2,
      async ({ alias, route }) => ({
        stateMachine: m.name,
        alias: alias.name ?? '',
        version: route.stateMachineVersionArn ?? '',
        weight: route.weight ?? 0,
        definition: await definitionOf(route.stateMachineVersionArn ?? ''),
      }),
    );
  });
  return perMachine.flat();
}
