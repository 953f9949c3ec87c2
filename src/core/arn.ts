/**
 * ARN helpers for the resources batchctl touches (aws-facts §7). Pure: no I/O.
 *
 * SubmitJob accepts a queue by name or ARN, and a job definition by `name`, `name:revision`,
 * ARN without revision or ARN with revision (aws-facts §5.1, §7); everything that compares
 * references goes through these parsers so names and ARNs are matched alike.
 */

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. `job-queue/reproject-a`. */
  resource: string;
}

export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

export function isArn(value: string): boolean {
  return parseArn(value) !== undefined;
}

/** The queue name from a queue name or a job-queue ARN. */
export function jobQueueName(nameOrArn: string): string {
  const arn = parseArn(nameOrArn);
  if (!arn) return nameOrArn;
  return arn.resource.startsWith('job-queue/') ? arn.resource.slice('job-queue/'.length) : nameOrArn;
}

/** The compute environment name from a name or a compute-environment ARN. */
export function computeEnvironmentName(nameOrArn: string): string {
  const arn = parseArn(nameOrArn);
  if (!arn) return nameOrArn;
  return arn.resource.startsWith('compute-environment/')
    ? arn.resource.slice('compute-environment/'.length)
    : nameOrArn;
}

export interface JobDefinitionRef {
  name: string;
  /** Absent when the reference means "latest ACTIVE revision". */
  revision?: number;
  /** Whether the reference was written as an ARN (kept when rewriting, so B is written the same way). */
  form: 'arn' | 'name';
}

/** Parses `name`, `name:3`, `arn:…:job-definition/name` or `arn:…:job-definition/name:3`. */
export function parseJobDefinitionRef(value: string): JobDefinitionRef | undefined {
  const arn = parseArn(value);
  let body = value;
  if (arn) {
    if (arn.service !== 'batch' || !arn.resource.startsWith('job-definition/')) return undefined;
    body = arn.resource.slice('job-definition/'.length);
  }
  const match = /^([A-Za-z0-9][A-Za-z0-9_-]{0,127})(?::(\d+))?$/.exec(body);
  if (!match) return undefined;
  const name = match[1] as string;
  const revision = match[2] === undefined ? undefined : Number(match[2]);
  return revision === undefined ? { name, form: arn ? 'arn' : 'name' } : { name, revision, form: arn ? 'arn' : 'name' };
}

export function batchArn(
  base: { partition: string; region: string; account: string },
  kind: 'job-queue' | 'compute-environment' | 'job-definition',
  name: string,
): string {
  return `arn:${base.partition}:batch:${base.region}:${base.account}:${kind}/${name}`;
}

/** State machine ARNs: unqualified, version (`:N`) or alias (`:name`) (aws-facts §5.3). */
export interface StateMachineArn {
  base: string;
  name: string;
  qualifier?: { kind: 'version'; version: number } | { kind: 'alias'; alias: string };
}

export function parseStateMachineArn(value: string): StateMachineArn | undefined {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'states' || !arn.resource.startsWith('stateMachine:')) return undefined;
  const [, name, qualifier] = arn.resource.split(':') as [string, string, string | undefined];
  const base = `arn:${arn.partition}:states:${arn.region}:${arn.account}:stateMachine:${name}`;
  if (qualifier === undefined) return { base, name };
  if (/^\d+$/.test(qualifier)) return { base, name, qualifier: { kind: 'version', version: Number(qualifier) } };
  return { base, name, qualifier: { kind: 'alias', alias: qualifier } };
}
