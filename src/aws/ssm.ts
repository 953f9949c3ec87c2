/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the SSM client is first used */
import type * as Sdk from '@aws-sdk/client-ssm';

import { callerLimiter } from '../lib/rate-limiter';

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
  /**
   * Every parameter under a path (GetParametersByPath, pages of 10, `Recursive` for the whole hierarchy). SecureString
   * values are never decrypted (no WithDecryption): what they hold stays unknown to batchctl, as it should.
   */
  getParametersByPath(path: string, recursive: boolean): Promise<SsmPathParameter[]>;
  /**
   * Replaces a String parameter's value (PutParameter with Overwrite, a new version). Tier Intelligent-Tiering keeps
   * an advanced parameter advanced and a standard one standard ("Managing parameter tiers": an advanced parameter
   * cannot go back to standard). Returns the new version.
   */
  overwriteParameter(name: string, value: string): Promise<number>;
}

export interface SsmPathParameter extends SsmParameter {
  type: string;
}

export function createSsmApi(client: Sdk.SSMClient): SsmApi {
  const sdk = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
  // Parameter Store's published throughput (rate-limiter.ts CALLER_LIMITS): reads and writes are paced apart.
  const reads = callerLimiter('ssmRead');
  const writes = callerLimiter('ssmWrite');
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
    async getParametersByPath(path, recursive) {
      const out: SsmPathParameter[] = [];
      let NextToken: string | undefined;
      do {
        const page = await reads.run(() =>
          client.send(
            new sdk.GetParametersByPathCommand({ Path: path, Recursive: recursive, MaxResults: 10, NextToken }),
          ),
        );
        for (const p of page.Parameters ?? []) {
          if (!p.Name) continue;
          out.push({ name: p.Name, value: p.Value ?? '', version: p.Version ?? 0, type: p.Type ?? 'String' });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    async overwriteParameter(name, value) {
      const out = await writes.run(() =>
        client.send(
          new sdk.PutParameterCommand({
            Name: name,
            Value: value,
            Type: 'String',
            Overwrite: true,
            Tier: 'Intelligent-Tiering',
          }),
        ),
      );
      return out.Version ?? 0;
    },
  };
}
