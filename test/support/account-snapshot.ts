/** Everything a read-only command must leave untouched, read straight from the endpoint (test tooling). */
import {
  BatchClient,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
} from '@aws-sdk/client-batch';
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';

import { clientConfig } from './demo-workload';

export async function snapshotAccount(endpoint: string): Promise<unknown> {
  const config = clientConfig(endpoint);
  const batch = new BatchClient(config);
  const ec2 = new EC2Client(config);
  const sfn = new SFNClient(config);
  try {
    const ces = (await batch.send(new DescribeComputeEnvironmentsCommand({}))).computeEnvironments ?? [];
    const queues = (await batch.send(new DescribeJobQueuesCommand({}))).jobQueues ?? [];
    const jds = (await batch.send(new DescribeJobDefinitionsCommand({}))).jobDefinitions ?? [];
    const templates = (await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
    const versions = await Promise.all(
      templates.map(
        async (t) =>
          (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: t.LaunchTemplateId })))
            .LaunchTemplateVersions,
      ),
    );
    const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    const definitions = await Promise.all(
      machines.map(async (m) => {
        const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: m.stateMachineArn }));
        const aliases =
          (await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: m.stateMachineArn })))
            .stateMachineAliases ?? [];
        const routes = await Promise.all(
          aliases.map(
            async (a) =>
              (await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: a.stateMachineAliasArn })))
                .routingConfiguration,
          ),
        );
        return { arn: m.stateMachineArn, definition: d.definition, revisionId: d.revisionId, routes };
      }),
    );
    return { ces, queues, jds, templates, versions, definitions };
  } finally {
    for (const c of [batch, ec2, sfn]) c.destroy();
  }
}
