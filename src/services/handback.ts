/**
 * The hand-back for CloudFormation owners: which stacks own the workload's resources or the state machines that
 * reference it, and which properties of their templates must change to B's names so the next deploy keeps B.
 * `plan` records it; `status` re-reads the templates and repeats what still names A (services/handback-status.ts).
 */
import type { Aws } from '../aws/clients';
import { isStackGone } from '../aws/cloudformation';
import {
  findHandBack,
  ownReplacements,
  parseTemplate,
  TemplateParseError,
  type HandBack,
  type HandBackChange,
  type HandBackValue,
  type PseudoParameters,
  type StackHandBack,
} from '../core/handback';
import type { CallerEntry } from '../core/callers-plan';
import type { Finding } from '../core/plan';
import type { Spec } from '../core/spec';
import type { DesiredRevision, LiveWorkload } from '../core/workload';
import { mapLimit } from '../lib/parallel';
import { findStackOwners, type OwnershipCandidate } from './stack-ownership';

/**
 * Anything that may belong to a stack: the workload's resources and the state machines today; other kinds of
 * references (rules, schedules, pipes, functions, parameters) join by building candidates of their own — a physical
 * id, their tags when their service returns them, and how to name them.
 */
export interface HandBackCandidate extends OwnershipCandidate {
  kind: string;
  name: string;
  retiredBySwap: boolean;
}

/** The properties of one stack's current template that still name A. */
export async function readStackHandBack(
  aws: Aws,
  stack: string,
  values: readonly HandBackValue[],
  pseudo: PseudoParameters,
): Promise<{ changes: HandBackChange[]; unreadable?: string }> {
  const [body, resources] = await Promise.all([aws.cfn.getTemplate(stack), aws.cfn.listStackResources(stack)]);
  let template: Record<string, unknown>;
  try {
    template = parseTemplate(body);
  } catch (error) {
    if (error instanceof TemplateParseError) return { changes: [], unreadable: error.message };
    throw error;
  }
  const own = ownReplacements(
    resources.map((r) => ({ logicalId: r.LogicalResourceId ?? '', physicalId: r.PhysicalResourceId ?? '' })),
    values,
  );
  return { changes: findHandBack(template, values, own, pseudo) };
}

/** The workload's resources, each with the tags its Describe returned (the `aws:cloudformation:*` ones included). */
export function workloadCandidates(live: LiveWorkload, b: DesiredRevision): HandBackCandidate[] {
  const clonedTemplates = new Set(b.launchTemplates.map((lt) => lt.from.id));
  const changedJobDefinitions = new Set(b.jobDefinitions.filter((jd) => jd.changed).map((jd) => jd.from.name));
  return [
    {
      kind: 'job queue',
      name: live.queue.jobQueueName ?? '',
      physicalId: live.queue.jobQueueArn ?? '',
      tags: live.queue.tags ?? {},
      retiredBySwap: true,
    },
    ...live.computeEnvironments.map((ce) => ({
      kind: 'compute environment',
      name: ce.detail.computeEnvironmentName ?? '',
      physicalId: ce.detail.computeEnvironmentArn ?? '',
      tags: ce.detail.tags ?? {},
      retiredBySwap: b.computeEnvironments.some((d) => d.from.arn === ce.detail.computeEnvironmentArn && d.retireFrom),
    })),
    ...live.launchTemplates.map((lt) => ({
      kind: 'launch template',
      name: lt.name,
      physicalId: lt.id,
      tags: lt.tags,
      retiredBySwap: clonedTemplates.has(lt.id),
    })),
    ...live.jobDefinitions.map((jd) => ({
      kind: 'job definition',
      name: `${jd.detail.jobDefinitionName ?? ''}:${jd.detail.revision ?? ''}`,
      physicalId: jd.detail.jobDefinitionArn ?? '',
      tags: jd.detail.tags ?? {},
      retiredBySwap: changedJobDefinitions.has(jd.detail.jobDefinitionName ?? ''),
    })),
  ];
}

/**
 * State machines with their tags from ListTagsForResource (DescribeStateMachine returns none). Without permission to
 * list them, the tags are unknown and the ownership check asks CloudFormation instead.
 */
export async function stateMachineCandidates(
  aws: Aws,
  machines: readonly { name: string; arn: string }[],
): Promise<HandBackCandidate[]> {
  return mapLimit(machines, 4, async (sm) => {
    let tags: Record<string, string> | undefined;
    try {
      tags = await aws.sfn.listTagsForResource(sm.arn);
    } catch (error) {
      if ((error as { name?: string }).name !== 'AccessDeniedException') throw error;
    }
    return {
      kind: 'state machine',
      name: sm.name,
      physicalId: sm.arn,
      retiredBySwap: false,
      ...(tags ? { tags } : {}),
    };
  });
}

const CALLER_KIND: Record<CallerEntry['kind'], string> = {
  rule: 'EventBridge rule',
  schedule: 'Scheduler schedule',
  pipe: 'pipe',
  lambda: 'Lambda function',
  parameter: 'SSM parameter',
};

/**
 * The callers besides Step Functions that name A, by the physical id CloudFormation records for them (what `Ref`
 * returns): the name of the schedule (AWS::Scheduler::Schedule), pipe, function or parameter, and for a rule its
 * name; a rule on a custom bus may be recorded as `<bus>|<rule>`, so that form is asked too (the wrong form only
 * answers "does not exist"). Their tags are not read — each kind would need its own call, and not every one returns
 * the aws:cloudformation tags — so DescribeStackResources decides, once per caller, only for callers that name A.
 */
export function callerCandidates(callers: readonly CallerEntry[]): HandBackCandidate[] {
  const seen = new Set<string>();
  const out: HandBackCandidate[] = [];
  const add = (kind: string, name: string, physicalId: string): void => {
    if (seen.has(physicalId)) return;
    seen.add(physicalId);
    out.push({ kind, name, physicalId, retiredBySwap: false });
  };
  for (const caller of callers) {
    const kind = CALLER_KIND[caller.kind];
    const slash = caller.name.indexOf('/');
    if (caller.kind === 'rule' || caller.kind === 'schedule') {
      // `<bus>/<rule>` and `<group>/<schedule>` (services/callers.ts): the resource's own name follows the slash.
      const [scope, own] = [caller.name.slice(0, slash), caller.name.slice(slash + 1)];
      add(kind, caller.name, own);
      if (caller.kind === 'rule' && scope !== 'default') add(kind, caller.name, `${scope}|${own}`);
    } else {
      add(kind, caller.name, caller.name);
    }
  }
  return out;
}

/** Every stack that owns a candidate (or that the spec names), with the properties of its template that name A. */
export async function collectHandBack(
  aws: Aws,
  candidates: readonly HandBackCandidate[],
  values: HandBackValue[],
  pseudo: PseudoParameters,
  extraStacks: readonly string[] = [],
): Promise<HandBack> {
  const owners = await findStackOwners(aws, candidates);
  const byStack = new Map<string, StackHandBack>();
  const entry = (stack: string, stackId?: string): StackHandBack => {
    let found = byStack.get(stack);
    if (!found) {
      found = { stack, ...(stackId ? { stackId } : {}), resources: [], changes: [] };
      byStack.set(stack, found);
    }
    return found;
  };
  for (const stack of extraStacks) entry(stack);
  for (const c of candidates) {
    const owner = owners.get(c.physicalId);
    if (!owner) continue;
    const stack = entry(owner.stackName, owner.stackId);
    if (stack.resources.some((r) => r.physicalId === c.physicalId)) continue;
    stack.resources.push({
      logicalId: owner.logicalId,
      kind: c.kind,
      name: c.name,
      physicalId: c.physicalId,
      source: owner.source,
      retiredBySwap: c.retiredBySwap,
    });
  }
  const stacks = [...byStack.values()];
  const gone = new Set<string>();
  await mapLimit(stacks, 2, async (stack) => {
    let read: Awaited<ReturnType<typeof readStackHandBack>>;
    try {
      read = await readStackHandBack(aws, stack.stack, values, pseudo);
    } catch (error) {
      // Tags outlive their stack on a resource it retained at deletion: no stack owns that resource any more.
      if (!isStackGone(error)) throw error;
      gone.add(stack.stack);
      return;
    }
    stack.changes = read.changes;
    if (read.unreadable) stack.unreadable = read.unreadable;
  });
  return {
    values,
    stacks: stacks.filter((s) => !gone.has(s.stack) && (s.resources.length || s.changes.length)),
  };
}

function stackFinding(stack: StackHandBack): Finding {
  const owned = stack.resources.map((r) => `${r.kind} ${r.name} (${r.logicalId})`).join(', ');
  const retired = stack.resources.filter((r) => r.retiredBySwap).map((r) => r.logicalId);
  const parts = [`CloudFormation stack ${stack.stack} ${owned ? `owns ${owned}` : 'names the workload'}`];
  if (stack.unreadable) parts.push(`its template could not be read (${stack.unreadable}), so it was not searched`);
  else if (stack.changes.length)
    parts.push(
      `after the swap change ${stack.changes.length} propert${stack.changes.length === 1 ? 'y' : 'ies'} of its template to B's names (the hand-back lists each), or its next deploy puts A back`,
    );
  else parts.push(`its template names A nowhere batchctl can read (a parameter, an import or a macro may): check it`);
  if (retired.length)
    parts.push(
      `${retired.join(', ')} ${retired.length === 1 ? 'is' : 'are'} A's and retire deletes ${retired.length === 1 ? 'it' : 'them'}: remove ${retired.length === 1 ? 'it' : 'them'} from the stack (DeletionPolicy: Retain first) or import B's`,
    );
  return { code: 'StackOwned', resource: stack.stack, message: `${parts.join('; ')}.` };
}

/** One finding per stack: a warning, or a blocker when the spec says `references.stackOwned: block`. */
export function handBackFindings(handBack: HandBack, spec: Spec): { warnings: Finding[]; blockers: Finding[] } {
  const findings = handBack.stacks.map(stackFinding);
  return spec.references?.stackOwned === 'block'
    ? { warnings: [], blockers: findings }
    : { warnings: findings, blockers: [] };
}
