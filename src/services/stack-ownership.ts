/**
 * Which CloudFormation stack owns a resource, for any kind of resource: a Batch queue, a state machine, a launch
 * template today; a rule, schedule, pipe, function or parameter tomorrow. A caller passes what it knows — the
 * resource's physical id (its `Ref` value: an ARN, a name or an id) and its tags when its service returned them.
 *
 * CloudFormation adds `aws:cloudformation:stack-name`, `aws:cloudformation:stack-id` and
 * `aws:cloudformation:logical-id` to every resource it creates that supports tags (CloudFormation User Guide,
 * "Tag your CloudFormation resources"; aws-facts [S19]), so tags answer without a CloudFormation call. Where no tags
 * are known, DescribeStackResources(PhysicalResourceId) names the owning stack (API reference, DescribeStackResources).
 */
import type { Aws } from '../aws/clients';
import { mapLimit } from '../lib/parallel';

export const TAG_STACK_NAME = 'aws:cloudformation:stack-name';
export const TAG_STACK_ID = 'aws:cloudformation:stack-id';
export const TAG_LOGICAL_ID = 'aws:cloudformation:logical-id';

export interface OwnershipCandidate {
  /** The resource's physical id as CloudFormation records it (the resource type's `Ref` return value). */
  physicalId: string;
  /** Its tags, when its service returned them (they then decide); undefined: ask CloudFormation. */
  tags?: Record<string, string>;
}

export interface StackOwner {
  stackName: string;
  stackId?: string;
  logicalId: string;
  /** How it was found: the resource's `aws:cloudformation:*` tags, or DescribeStackResources. */
  source: 'tags' | 'stack-resources';
}

export function ownerFromTags(tags: Record<string, string>): StackOwner | undefined {
  const stackName = tags[TAG_STACK_NAME];
  const logicalId = tags[TAG_LOGICAL_ID];
  if (!stackName || !logicalId) return undefined;
  const stackId = tags[TAG_STACK_ID];
  return { stackName, logicalId, ...(stackId ? { stackId } : {}), source: 'tags' };
}

/**
 * The owner of each candidate, by physical id (candidates no stack owns are absent). CloudFormation is asked only for
 * candidates without tags, four at a time, through the run's CloudFormation limiter (aws/cloudformation.ts).
 */
export async function findStackOwners(
  aws: Aws,
  candidates: readonly OwnershipCandidate[],
): Promise<Map<string, StackOwner>> {
  const owners = new Map<string, StackOwner>();
  const untagged: string[] = [];
  for (const c of candidates) {
    if (!c.physicalId || owners.has(c.physicalId)) continue;
    if (c.tags === undefined) {
      if (!untagged.includes(c.physicalId)) untagged.push(c.physicalId);
      continue;
    }
    const owner = ownerFromTags(c.tags);
    if (owner) owners.set(c.physicalId, owner);
  }
  await mapLimit(untagged, 4, async (physicalId) => {
    const found = await aws.cfn.stackOwning(physicalId);
    if (found) {
      owners.set(physicalId, {
        stackName: found.stackName,
        ...(found.stackId ? { stackId: found.stackId } : {}),
        logicalId: found.logicalId,
        source: 'stack-resources',
      });
    }
  });
  return owners;
}
