/**
 * The invariants every swap must leave behind (DESIGN "How a promote must behave"), checked straight against the
 * endpoint: one complete live revision; every reference resolves to an ENABLED, VALID queue and an ACTIVE job
 * definition; nothing tagged by batchctl outside the live revision; no lock left; no job killed.
 * Returns the violations as sentences (empty = all hold).
 */
import {
  BatchClient,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  ListJobsCommand,
} from '@aws-sdk/client-batch';
import { DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';

import { jobQueueName, parseJobDefinitionRef } from '../../src/core/arn';
import { LOCK_PARAMETER_PREFIX } from '../../src/core/lock-key';
import { collectBatchTasks } from '../../src/core/references';
import { clientConfig } from './demo-workload';

export interface InvariantOptions {
  endpoint: string;
  /** The queue that must be the one live revision. */
  live: string;
  /** Every queue name the workload's revisions can have. */
  revisionQueues: string[];
}

export async function checkInvariants(options: InvariantOptions): Promise<string[]> {
  const config = clientConfig(options.endpoint);
  const batch = new BatchClient(config);
  const ec2 = new EC2Client(config);
  const sfn = new SFNClient(config);
  const ssm = new SSMClient(config);
  const problems: string[] = [];
  try {
    const queues = ((await batch.send(new DescribeJobQueuesCommand({}))).jobQueues ?? []).filter(
      (q) => q.status !== 'DELETED',
    );
    const ces = ((await batch.send(new DescribeComputeEnvironmentsCommand({}))).computeEnvironments ?? []).filter(
      (c) => c.status !== 'DELETED',
    );
    const templates = (await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
    const jds = (await batch.send(new DescribeJobDefinitionsCommand({}))).jobDefinitions ?? [];

    const revisions = queues.filter((q) => options.revisionQueues.includes(q.jobQueueName ?? ''));
    if (revisions.length !== 1 || revisions[0]?.jobQueueName !== options.live) {
      problems.push(
        `expected exactly the live queue ${options.live}, found ${revisions.map((q) => q.jobQueueName).join(', ') || 'none'}`,
      );
    }
    const live = queues.find((q) => q.jobQueueName === options.live);
    if (live && (live.state !== 'ENABLED' || live.status !== 'VALID'))
      problems.push(`live queue ${options.live} is ${live.state}/${live.status}`);
    const liveCeArns = new Set((live?.computeEnvironmentOrder ?? []).map((o) => o.computeEnvironment ?? ''));
    const liveCes = ces.filter((c) => liveCeArns.has(c.computeEnvironmentArn ?? ''));
    if (liveCes.length !== liveCeArns.size)
      problems.push(`live queue ${options.live} names compute environments that do not exist`);
    for (const ce of liveCes) {
      if (ce.status !== 'VALID' || ce.state !== 'ENABLED')
        problems.push(`compute environment ${ce.computeEnvironmentName} is ${ce.state}/${ce.status}`);
      const lt = ce.computeResources?.launchTemplate;
      if (
        lt &&
        !templates.some(
          (t) => t.LaunchTemplateId === lt.launchTemplateId || t.LaunchTemplateName === lt.launchTemplateName,
        )
      ) {
        problems.push(`compute environment ${ce.computeEnvironmentName} uses a launch template that does not exist`);
      }
    }
    const liveTemplates = new Set(
      liveCes.flatMap((c) => [
        c.computeResources?.launchTemplate?.launchTemplateName,
        c.computeResources?.launchTemplate?.launchTemplateId,
      ]),
    );

    // Every reference: current definitions and every version an alias routes to.
    const definitions: { where: string; definition: string }[] = [];
    // Versions no alias routes to: they keep job definitions ACTIVE, but nothing routes work to them by default.
    const referencedOnly: string[] = [];
    for (const sm of (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? []) {
      const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm.stateMachineArn }));
      definitions.push({ where: sm.name ?? '', definition: d.definition ?? '' });
      // A published version can be started by its ARN, alias or not: it references what it names (aws-facts §8a).
      for (const version of (
        await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: sm.stateMachineArn }))
      ).stateMachineVersions ?? []) {
        const v = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: version.stateMachineVersionArn }));
        referencedOnly.push(v.definition ?? '');
      }
      for (const alias of (await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: sm.stateMachineArn })))
        .stateMachineAliases ?? []) {
        const a = await sfn.send(
          new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }),
        );
        for (const route of a.routingConfiguration ?? []) {
          const v = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: route.stateMachineVersionArn }));
          definitions.push({
            where: `${sm.name ?? ''} alias ${a.name ?? ''} → ${route.stateMachineVersionArn?.split(':').pop() ?? ''}`,
            definition: v.definition ?? '',
          });
        }
      }
    }
    const referencedJds = new Set<string>();
    for (const { where, definition } of definitions) {
      for (const task of collectBatchTasks(definition)) {
        for (const field of task.fields) {
          if (field.kind !== 'static') continue;
          if (field.name === 'JobQueue') {
            const q = queues.find((x) => x.jobQueueArn === field.value || x.jobQueueName === jobQueueName(field.value));
            if (!q || q.state !== 'ENABLED' || q.status !== 'VALID')
              problems.push(`${where} names queue ${field.value}, which is ${q ? `${q.state}/${q.status}` : 'gone'}`);
          }
          if (field.name === 'JobDefinition') {
            const ref = parseJobDefinitionRef(field.value);
            const active = jds.filter((j) => j.jobDefinitionName === ref?.name && j.status === 'ACTIVE');
            const ok =
              ref && (ref.revision === undefined ? active.length > 0 : active.some((j) => j.revision === ref.revision));
            if (!ok) problems.push(`${where} names job definition ${field.value}, which is not ACTIVE`);
            if (ref) referencedJds.add(ref.name);
          }
        }
      }
    }

    for (const definition of referencedOnly) {
      for (const task of collectBatchTasks(definition)) {
        for (const field of task.fields) {
          const ref =
            field.kind === 'static' && field.name === 'JobDefinition' ? parseJobDefinitionRef(field.value) : undefined;
          if (ref) referencedJds.add(ref.name);
        }
      }
    }
    const tagged = <T extends { tags?: Record<string, string> }>(items: T[]): T[] =>
      items.filter((i) => i.tags?.['batchctl:plan']);
    for (const q of tagged(queues))
      if (q.jobQueueName !== options.live) problems.push(`queue ${q.jobQueueName} is tagged by batchctl but not live`);
    for (const c of tagged(ces))
      if (!liveCeArns.has(c.computeEnvironmentArn ?? ''))
        problems.push(`compute environment ${c.computeEnvironmentName} is tagged by batchctl but not live`);
    // The workload lock (services/lock.ts): a finished or recovered swap leaves none.
    const locks = await ssm.send(new GetParametersByPathCommand({ Path: LOCK_PARAMETER_PREFIX, Recursive: true }));
    for (const p of locks.Parameters ?? []) problems.push(`lock ${p.Name} was left behind`);
    for (const t of templates) {
      const byBatchctl = t.Tags?.some((tag) => tag.Key === 'batchctl:plan' || tag.Key === 'batchctl:workload');
      if (byBatchctl && !liveTemplates.has(t.LaunchTemplateName) && !liveTemplates.has(t.LaunchTemplateId))
        problems.push(`launch template ${t.LaunchTemplateName} is tagged by batchctl but not live`);
    }
    for (const j of tagged(jds.filter((x) => x.status === 'ACTIVE'))) {
      if (!referencedJds.has(j.jobDefinitionName ?? ''))
        problems.push(
          `job definition ${j.jobDefinitionName}:${j.revision} is tagged by batchctl but nothing references it`,
        );
    }
    if (live) {
      const failed =
        (await batch.send(new ListJobsCommand({ jobQueue: live.jobQueueArn, jobStatus: 'FAILED' }))).jobSummaryList ??
        [];
      if (failed.length) problems.push(`${failed.length} job(s) FAILED on ${options.live}`);
    }
  } finally {
    for (const c of [batch, ec2, sfn, ssm]) c.destroy();
  }
  return problems;
}
