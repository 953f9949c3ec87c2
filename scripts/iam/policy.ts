/**
 * From the SDK operations each command can send (call-graph.ts) to IAM: the actions each operation needs, the
 * resources they can be scoped to, one policy document per command and the table in docs/permissions.md.
 *
 * The action an operation needs is `<service prefix>:<Operation>`; a few operations need more, listed in DEPENDENT
 * with their source. Every operation batchctl sends must have a line in WHY (the table's "what for"): a new call
 * in src/aws/ fails `npm run iam -- --check` until it is explained here.
 */
import { COMMANDS, type CallGraph, type CommandName, type SdkOperation } from './call-graph';

/** SDK client package suffix → IAM service prefix (Step Functions' is `states`). */
const PREFIX: Record<string, string> = {
  batch: 'batch',
  sfn: 'states',
  ec2: 'ec2',
  cloudformation: 'cloudformation',
  sts: 'sts',
  ssm: 'ssm',
  iam: 'iam',
  eventbridge: 'events',
  scheduler: 'scheduler',
  pipes: 'pipes',
  lambda: 'lambda',
};

interface Dependent {
  action: string;
  why: string;
}

/**
 * Actions an operation needs besides its own, as batchctl sends it.
 * - Batch: the Service Authorization Reference's operation table (list_batch.html, "API operations defined by AWS
 *   Batch"): CreateComputeEnvironment also authorises batch:TagResource and iam:PassRole (passed to
 *   batch/ec2/spotfleet.amazonaws.com); CreateJobQueue and RegisterJobDefinition batch:TagResource when tags are sent
 *   (batchctl always tags B); RegisterJobDefinition and UpdateComputeEnvironment iam:PassRole for the roles they name.
 * - EC2: tagging on creation (TagSpecifications) is authorised as ec2:CreateTags (EC2 User Guide, "Grant permission
 *   to tag resources during creation").
 * - Step Functions: UpdateStateMachine with publish=true needs states:PublishStateMachineVersion (aws-facts §5.2,
 *   [S26]); with a roleArn, iam:PassRole on it.
 * - SSM: PutParameter with Tags needs ssm:AddTagsToResource (API_PutParameter, "Tags"; src/aws/ssm.ts).
 */
const DEPENDENT: Record<SdkOperation, Dependent[]> = {
  // EventBridge: a target with a RoleArn needs iam:PassRole on it (EventBridge User Guide, "Using identity-based
  // policies": "iam:PassRole … to pass the role to EventBridge" for PutTargets).
  'eventbridge:PutTargets': [
    { action: 'iam:PassRole', why: "Keep the rule target's role (PutTargets passes it again)." },
  ],
  // Scheduler: creating or updating a schedule passes its execution role (Scheduler User Guide, "Setting up":
  // the identity needs iam:PassRole on the execution role).
  'scheduler:UpdateSchedule': [
    { action: 'iam:PassRole', why: "Keep the schedule's execution role (UpdateSchedule passes it again)." },
  ],
  // Pipes: UpdatePipe with RoleArn passes the pipe's role (Pipes User Guide, "Permissions": iam:PassRole).
  'pipes:UpdatePipe': [{ action: 'iam:PassRole', why: "Keep the pipe's role (UpdatePipe passes it again)." }],
  'batch:CreateComputeEnvironment': [
    { action: 'batch:TagResource', why: "B's ownership tags, sent in the create request." },
    { action: 'iam:PassRole', why: "The service, instance and Spot Fleet roles B's compute environments use." },
  ],
  'batch:CreateJobQueue': [{ action: 'batch:TagResource', why: "B's ownership tags, sent in the create request." }],
  'batch:RegisterJobDefinition': [
    { action: 'batch:TagResource', why: "B's ownership tags, sent in the create request." },
    { action: 'iam:PassRole', why: 'The job and execution roles a job definition names.' },
  ],
  'batch:UpdateComputeEnvironment': [{ action: 'iam:PassRole', why: 'A service role, when the update names one.' }],
  'ec2:CreateLaunchTemplate': [{ action: 'ec2:CreateTags', why: "B's launch template is tagged at creation." }],
  'sfn:UpdateStateMachine': [
    {
      action: 'states:PublishStateMachineVersion',
      why: 'UpdateStateMachine with publish=true (the copies of versions an alias routes to).',
    },
    { action: 'iam:PassRole', why: "A published copy keeps its version's role (roleArn in UpdateStateMachine)." },
  ],
  'ssm:PutParameter': [{ action: 'ssm:AddTagsToResource', why: 'The lock parameter is tagged at creation.' }],
};

/** What each operation is for. Required for every operation batchctl sends. */
export const WHY: Record<SdkOperation, string> = {
  'sts:GetCallerIdentity': 'The account a plan is bound to (AWS allows this call to every identity).',
  'batch:DescribeJobQueues': "A's queue, and every queue of the region for the quota and name checks.",
  'batch:DescribeComputeEnvironments': "A's compute environments, and every one of the region for quota and names.",
  'batch:DescribeJobDefinitions': "A's job definitions (ACTIVE revisions), and whether B's names are taken.",
  'batch:ListJobs': 'Jobs still SUBMITTED, PENDING, RUNNABLE, STARTING or RUNNING on a queue.',
  'batch:CreateComputeEnvironment': "B's compute environments.",
  'batch:UpdateComputeEnvironment': "Apply `updatePolicy`; disable a compute environment (B's or A's).",
  'batch:DeleteComputeEnvironment': "Delete the retired revision's compute environments.",
  'batch:CreateJobQueue': "B's queue.",
  'batch:UpdateJobQueue': 'Disable a drained queue; re-enable A on rollback.',
  'batch:DeleteJobQueue': "Delete the retired revision's queue.",
  'batch:RegisterJobDefinition': "B's changed job definitions.",
  'batch:DeregisterJobDefinition': "Deregister the retired revision's replaced job definition revisions.",
  'ec2:DescribeLaunchTemplates': "A's launch templates by id, and whether B's template names are taken.",
  'ec2:DescribeLaunchTemplateVersions': 'The data of the launch template version A uses.',
  'ec2:CreateLaunchTemplate': "B's launch template.",
  'ec2:DeleteLaunchTemplate': "Delete the retired revision's launch template.",
  'sfn:ListStateMachines': 'The state machines to search for references.',
  'sfn:DescribeStateMachine': 'Each state machine’s definition and role, and those of published versions.',
  'sfn:ListStateMachineAliases': 'The aliases of each referencing state machine.',
  'sfn:DescribeStateMachineAlias': 'Which versions each alias routes to.',
  'sfn:ListStateMachineVersions': 'The published versions of each state machine (callers can start them by ARN).',
  'sfn:ListExecutions': 'Running executions that may still submit to the queue being drained.',
  'sfn:DescribeExecution': 'Whether a finished execution can still be redriven (`redriveStatus`).',
  'sfn:DescribeStateMachineForExecution': 'The definition each running execution actually runs.',
  'sfn:ValidateStateMachineDefinition': 'Check each rewritten definition before using it.',
  'sfn:UpdateStateMachine': 'Repoint a state machine; publish the copies of versions an alias routes to.',
  'sfn:UpdateStateMachineAlias': 'Route an alias to the copies, same weights (rollback: back to the recorded ones).',
  'cloudformation:ListStackResources':
    'The resources of each stack that owns part of the workload or a reference (and `live.stack`’s job queue).',
  'cloudformation:DescribeStackResources':
    'Which stack owns a resource whose tags are unknown (by physical id): the hand-back.',
  'cloudformation:GetTemplate': 'The template of each owning stack, searched for the properties that name A.',
  'sfn:ListTagsForResource': 'The `aws:cloudformation:*` tags of each referencing state machine: which stack owns it.',
  'iam:SimulatePrincipalPolicy': "Whether each repointed state machine's role may submit to B (else a warning).",
  'ssm:PutParameter': 'Take the workload lock (create without overwrite).',
  'ssm:GetParameter': 'Read the lock holder (a refusal, `--force-unlock`, the release, `status`, the drain guard).',
  'ssm:DeleteParameter': 'Release the lock, or break it with `--force-unlock <id>`.',
  'ssm:GetParametersByPath':
    'Only with `callers.parameters.paths`: the parameters under those paths (never decrypted).',
  'eventbridge:ListEventBuses': 'Every event bus, to search its rules for callers of the queue.',
  'eventbridge:ListRules': 'The rules of each bus, disabled ones included.',
  'eventbridge:ListTargetsByRule': "Each rule's targets, every field kept for the repoint.",
  'eventbridge:PutTargets':
    "Repoint a rule's Batch target (same target id, every other field kept); rollback restores it.",
  'scheduler:ListSchedules': 'The schedules of every group.',
  'scheduler:GetSchedule': "Each schedule's complete definition (UpdateSchedule replaces the whole of it).",
  'scheduler:UpdateSchedule':
    "Repoint a schedule's Batch target with its complete original definition; rollback restores it.",
  'pipes:ListPipes': 'Every pipe.',
  'pipes:DescribePipe': "Each pipe's target and target parameters.",
  'pipes:UpdatePipe': "Repoint a pipe's Batch target; rollback restores it.",
  'lambda:ListFunctions': "Lambda functions' environment variables (read only: a function naming A is a blocker).",
};

/** The lock's parameters, the one resource batchctl can name in advance (src/core/lock-key.ts). */
export const LOCK_RESOURCE = 'arn:aws:ssm:*:*:parameter/batchctl/lock/*';

/** The lock's own actions (src/services/lock.ts). */
const LOCK_ACTIONS = ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:DeleteParameter', 'ssm:AddTagsToResource'];

/** The parameters a spec's `callers.parameters.paths` name: unknown here, so every one, to be narrowed by hand. */
export const PARAMETERS = 'arn:aws:ssm:*:*:parameter/*';

export function iamAction(op: SdkOperation): string {
  const [client = '', operation = ''] = op.split(':');
  const prefix = PREFIX[client];
  if (!prefix) throw new Error(`No IAM service prefix known for SDK client "${client}" (${op})`);
  return `${prefix}:${operation}`;
}

/** Every IAM action a command needs, with the operation that needs it. */
export function actionsOf(operations: SdkOperation[]): Map<string, SdkOperation[]> {
  const out = new Map<string, SdkOperation[]>();
  const add = (action: string, op: SdkOperation): void => {
    out.set(action, [...new Set([...(out.get(action) ?? []), op])]);
  };
  for (const op of operations) {
    if (!WHY[op]) throw new Error(`${op} is sent by batchctl but has no line in WHY (scripts/iam/policy.ts)`);
    add(iamAction(op), op);
    for (const dep of DEPENDENT[op] ?? []) add(dep.action, op);
  }
  return out;
}

interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

const sid = (command: CommandName, part: string): string =>
  `Batchctl${command[0]!.toUpperCase()}${command.slice(1)}${part}`;

/**
 * One policy for a command. The lock's SSM actions are scoped to the lock path. Batch's and EC2's describe/list
 * calls do not support resource-level permissions (Service Authorization Reference: no resource type), and the
 * rest act on resources whose names come from the spec, so they stay on "*" here: docs/permissions.md says how
 * to narrow them to a workload's names and roles.
 */
export function policyFor(command: CommandName, operations: SdkOperation[]): PolicyDocument {
  const actions = [...actionsOf(operations).keys()].sort();
  const lock = actions.filter((a) => LOCK_ACTIONS.includes(a));
  // Caller parameters live under paths only the spec names: plan reads them (GetParametersByPath); a command that
  // repoints callers (it sends PutTargets) re-reads and overwrites an opted-in one (GetParameter, PutParameter). They
  // get their own statement, on every parameter, for the reader to narrow to the spec's paths (docs/permissions.md).
  const repointsCallers = actions.includes('events:PutTargets');
  const parameters = actions.filter(
    (a) =>
      a === 'ssm:GetParametersByPath' || (repointsCallers && (a === 'ssm:GetParameter' || a === 'ssm:PutParameter')),
  );
  const rest = actions.filter((a) => !a.startsWith('ssm:'));
  return {
    Version: '2012-10-17',
    Statement: [
      ...(rest.length ? [{ Sid: sid(command, ''), Effect: 'Allow' as const, Action: rest, Resource: '*' }] : []),
      ...(lock.length
        ? [{ Sid: sid(command, 'Lock'), Effect: 'Allow' as const, Action: lock, Resource: LOCK_RESOURCE }]
        : []),
      ...(parameters.length
        ? [
            {
              Sid: sid(command, 'CallerParameters'),
              Effect: 'Allow' as const,
              Action: parameters,
              Resource: PARAMETERS,
            },
          ]
        : []),
    ],
  };
}

/** The generated table: one row per IAM action, one column per command. */
export function permissionsTable(graph: CallGraph): string {
  const perCommand = new Map(COMMANDS.map((c) => [c, actionsOf(graph.operations[c])]));
  const rows = new Map<string, string[]>();
  for (const actions of perCommand.values()) {
    for (const [action, ops] of actions) {
      const why = rows.get(action) ?? [];
      for (const op of ops) {
        const text = iamAction(op) === action ? WHY[op]! : (DEPENDENT[op]?.find((d) => d.action === action)?.why ?? '');
        if (!why.includes(text)) why.push(text);
      }
      rows.set(action, why);
    }
  }
  const header = `| Action | ${COMMANDS.map((c) => `\`${c}\``).join(' | ')} | What for |`;
  const rule = `| --- | ${COMMANDS.map(() => ':-:').join(' | ')} | --- |`;
  const body = [...rows.keys()]
    .sort((a, b) => a.localeCompare(b))
    .map((action) => {
      const marks = COMMANDS.map((c) => (perCommand.get(c)!.has(action) ? '✓' : ''));
      return `| \`${action}\` | ${marks.join(' | ')} | ${rows.get(action)!.join(' ')} |`;
    });
  return [header, rule, ...body].join('\n');
}
