/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the EC2 client is first used */
import type * as Sdk from '@aws-sdk/client-ec2';

export interface Ec2Api {
  /** Templates by id, in one call. */
  describeLaunchTemplatesById(ids: string[]): Promise<Sdk.LaunchTemplate[]>;
  /** Templates whose name is one of `names`; missing names are simply absent (a filter, not an error). */
  findLaunchTemplatesByName(names: string[]): Promise<Sdk.LaunchTemplate[]>;
  /**
   * Templates carrying tag `key` = `value`: DescribeLaunchTemplates' `tag:<key>` filter (EC2 API reference,
   * DescribeLaunchTemplates, "Filters": https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplates.html).
   */
  findLaunchTemplatesByTag(key: string, value: string): Promise<Sdk.LaunchTemplate[]>;
  /**
   * Versions of one template. ResolveAlias stays false so an SSM-parameter ImageId is kept, not frozen (aws-facts §4.4).
   */
  describeLaunchTemplateVersions(templateId: string, versions: string[]): Promise<Sdk.LaunchTemplateVersion[]>;
  createLaunchTemplate(input: Sdk.CreateLaunchTemplateRequest): Promise<{ id: string; version: number }>;
  deleteLaunchTemplate(templateId: string): Promise<void>;
}

export function createEc2Api(client: Sdk.EC2Client): Ec2Api {
  const sdk = require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2');
  async function describe(input: Sdk.DescribeLaunchTemplatesRequest): Promise<Sdk.LaunchTemplate[]> {
    const out: Sdk.LaunchTemplate[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new sdk.DescribeLaunchTemplatesCommand({ ...input, NextToken }));
      out.push(...(page.LaunchTemplates ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }
  return {
    describeLaunchTemplatesById: (ids) => (ids.length ? describe({ LaunchTemplateIds: ids }) : Promise.resolve([])),
    findLaunchTemplatesByName: (names) =>
      names.length ? describe({ Filters: [{ Name: 'launch-template-name', Values: names }] }) : Promise.resolve([]),
    findLaunchTemplatesByTag: (key, value) => describe({ Filters: [{ Name: `tag:${key}`, Values: [value] }] }),
    async describeLaunchTemplateVersions(templateId, versions) {
      const out = await client.send(
        new sdk.DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: templateId,
          Versions: versions,
          ResolveAlias: false,
        }),
      );
      return out.LaunchTemplateVersions ?? [];
    },
    async createLaunchTemplate(input) {
      const out = await client.send(new sdk.CreateLaunchTemplateCommand(input));
      return {
        id: out.LaunchTemplate?.LaunchTemplateId ?? '',
        version: out.LaunchTemplate?.LatestVersionNumber ?? 1,
      };
    },
    async deleteLaunchTemplate(templateId) {
      await client.send(new sdk.DeleteLaunchTemplateCommand({ LaunchTemplateId: templateId }));
    },
  };
}
