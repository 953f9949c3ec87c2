/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the Scheduler client is first used */
import type * as Sdk from '@aws-sdk/client-scheduler';

import { callerLimiter, type RateLimiter } from '../lib/rate-limiter';

export interface ScheduleRef {
  name: string;
  groupName: string;
  /** The target's ARN as ListSchedules summarises it (a universal target: `arn:aws:scheduler:::aws-sdk:batch:submitJob`). */
  targetArn: string;
  state: string;
}

export interface SchedulerApi {
  /** Every schedule of every group: ListSchedules without GroupName covers them all (pages of 100). */
  listSchedules(): Promise<ScheduleRef[]>;
  /** The complete definition, which UpdateSchedule needs back whole (it replaces the schedule). */
  getSchedule(name: string, groupName: string): Promise<Sdk.GetScheduleOutput>;
  updateSchedule(input: Sdk.UpdateScheduleInput): Promise<void>;
}

/** Every call takes a token from the one Scheduler bucket (rate-limiter.ts CALLER_LIMITS.scheduler). */
export function createSchedulerApi(
  client: Sdk.SchedulerClient,
  limiter: RateLimiter = callerLimiter('scheduler'),
): SchedulerApi {
  const sdk = require('@aws-sdk/client-scheduler') as typeof import('@aws-sdk/client-scheduler');
  return {
    async listSchedules() {
      const out: ScheduleRef[] = [];
      let NextToken: string | undefined;
      do {
        const page = await limiter.run(() => client.send(new sdk.ListSchedulesCommand({ MaxResults: 100, NextToken })));
        for (const s of page.Schedules ?? []) {
          if (!s.Name) continue;
          out.push({
            name: s.Name,
            groupName: s.GroupName ?? 'default',
            targetArn: s.Target?.Arn ?? '',
            state: s.State ?? 'ENABLED',
          });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    getSchedule: (name, groupName) =>
      limiter.run(() => client.send(new sdk.GetScheduleCommand({ Name: name, GroupName: groupName }))),
    async updateSchedule(input) {
      await limiter.run(() => client.send(new sdk.UpdateScheduleCommand(input)));
    },
  };
}
