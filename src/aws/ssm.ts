/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the SSM client is first used */
import type * as Sdk from '@aws-sdk/client-ssm';

export interface SsmParameter {
  name: string;
  value: string;
  version: number;
}

export interface SsmApi {
  /**
   * Creates a String parameter, never overwriting: PutParameter without `Overwrite` fails with ParameterAlreadyExists
   * when the name is taken, atomically (API_PutParameter). Resolves false when it already exists. Tags are set in
   * the same call, which needs ssm:AddTagsToResource besides ssm:PutParameter.
   */
  createParameter(input: {
    name: string;
    value: string;
    description?: string;
    tags?: Record<string, string>;
  }): Promise<boolean>;
  /** Undefined when the parameter does not exist. */
  getParameter(name: string): Promise<SsmParameter | undefined>;
  /** False when it was already gone. */
  deleteParameter(name: string): Promise<boolean>;
}

export function createSsmApi(client: Sdk.SSMClient): SsmApi {
  const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
  return {
    async createParameter({ name, value, description, tags }) {
      try {
        await client.send(
          new sdk.PutParameterCommand({
            Name: name,
            Value: value,
            Type: 'String',
            // Explicit, so an account whose default tier is Advanced or Intelligent-Tiering is not charged for it.
            Tier: 'Standard',
            Overwrite: false,
            ...(description ? { Description: description } : {}),
            ...(tags && Object.keys(tags).length
              ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }
              : {}),
          }),
        );
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterAlreadyExists') return false;
        throw error;
      }
    },
    async getParameter(name) {
      try {
        const out = await client.send(new sdk.GetParameterCommand({ Name: name }));
        return { name, value: out.Parameter?.Value ?? '', version: out.Parameter?.Version ?? 0 };
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
        throw error;
      }
    },
    async deleteParameter(name) {
      try {
        await client.send(new sdk.DeleteParameterCommand({ Name: name }));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'ParameterNotFound') return false;
        throw error;
      }
    },
  };
}
