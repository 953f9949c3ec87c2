/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the EventBridge client is first used */
import type * as Sdk from '@aws-sdk/client-eventbridge';

import { callerLimiter, type RateLimiter } from '../lib/rate-limiter';

export interface EventRule {
  name: string;
  arn: string;
  eventBusName: string;
  /** ENABLED, DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; a disabled rule is still a caller. */
  state: string;
  managedBy?: string;
}

export interface EventsApi {
  /** Every event bus of the account and region, the default one included (ListEventBuses, pages of 100). */
  listEventBusNames(): Promise<string[]>;
  /** Every rule on one bus, whatever its state (ListRules, pages of 100). */
  listRules(eventBusName: string): Promise<EventRule[]>;
  /** A rule's targets, each with every field AWS returns (ListTargetsByRule, pages of 100). */
  listTargetsByRule(rule: string, eventBusName: string): Promise<Sdk.Target[]>;
  /**
   * Adds or replaces targets by id (PutTargets: "If you specify a target ID that is already in use, the target is
   * updated"). PutTargets answers HTTP 200 with FailedEntryCount > 0 when an entry was refused; that is thrown as a
   * PutTargetsFailed error naming each entry's code, so a partial repoint is never taken for a success.
   */
  putTargets(rule: string, eventBusName: string, targets: Sdk.Target[]): Promise<void>;
}

export class PutTargetsFailed extends Error {
  override readonly name = 'PutTargetsFailed';
  constructor(
    readonly rule: string,
    readonly entries: Sdk.PutTargetsResultEntry[],
  ) {
    super(
      `PutTargets on rule ${rule} refused ${entries.length} target(s): ` +
        entries.map((e) => `${e.TargetId}: ${e.ErrorCode} ${e.ErrorMessage ?? ''}`.trim()).join('; '),
    );
  }
}

/** Every call takes a token from the one EventBridge bucket (rate-limiter.ts CALLER_LIMITS.events). */
export function createEventsApi(
  client: Sdk.EventBridgeClient,
  limiter: RateLimiter = callerLimiter('events'),
): EventsApi {
  const sdk = require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
  return {
    async listEventBusNames() {
      const names: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await limiter.run(() => client.send(new sdk.ListEventBusesCommand({ Limit: 100, NextToken })));
        for (const bus of page.EventBuses ?? []) if (bus.Name) names.push(bus.Name);
        NextToken = page.NextToken;
      } while (NextToken);
      return names;
    },
    async listRules(eventBusName) {
      const rules: EventRule[] = [];
      let NextToken: string | undefined;
      do {
        const page = await limiter.run(() =>
          client.send(new sdk.ListRulesCommand({ EventBusName: eventBusName, Limit: 100, NextToken })),
        );
        for (const rule of page.Rules ?? []) {
          if (!rule.Name || !rule.Arn) continue;
          rules.push({
            name: rule.Name,
            arn: rule.Arn,
            eventBusName: rule.EventBusName ?? eventBusName,
            state: rule.State ?? 'ENABLED',
            ...(rule.ManagedBy ? { managedBy: rule.ManagedBy } : {}),
          });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return rules;
    },
    async listTargetsByRule(rule, eventBusName) {
      const targets: Sdk.Target[] = [];
      let NextToken: string | undefined;
      do {
        const page = await limiter.run(() =>
          client.send(
            new sdk.ListTargetsByRuleCommand({ Rule: rule, EventBusName: eventBusName, Limit: 100, NextToken }),
          ),
        );
        targets.push(...(page.Targets ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return targets;
    },
    async putTargets(rule, eventBusName, targets) {
      const out = await limiter.run(() =>
        client.send(new sdk.PutTargetsCommand({ Rule: rule, EventBusName: eventBusName, Targets: targets })),
      );
      if ((out.FailedEntryCount ?? 0) > 0) throw new PutTargetsFailed(rule, out.FailedEntries ?? []);
    },
  };
}
