/**
 * `show`: a saved plan read back for a reviewer. Offline by design: it reads the file and nothing else (no AWS client
 * is created), so a reviewer can look at a pipeline's plan artefact anywhere. An edited file is still returned, with
 * its fingerprint status, so the reviewer sees what was changed; promote refuses it. Whether the account still
 * matches the plan is promote's preflight, which needs AWS.
 */
import { readPlan, type PlanFile } from '../core/plan';
import type { ResourceDiff } from '../core/plan-diff';
import { readPlanText } from './plan-file-text';

export interface ShowResult {
  planPath: string;
  /** As `plan` said it: promote refuses a blocked plan. */
  status: 'ready' | 'blocked';
  fingerprint: {
    /** `intact`: the digest matches the content; `edited`: the file was changed after `plan` sealed it. */
    status: 'intact' | 'edited';
    /** The digest the file carries. */
    digest: string;
  };
  plan: PlanFile;
  /** The diff of A against B the plan recorded; absent for plans written before it was recorded. */
  diff?: ResourceDiff[];
}

export async function show(planPath: string): Promise<ShowResult> {
  const text = await readPlanText(planPath, 'Pass the path of a plan file written by `batchctl plan`.');
  const { plan, intact } = readPlan(text, planPath);
  return {
    planPath,
    status: plan.blockers.length ? 'blocked' : 'ready',
    fingerprint: { status: intact ? 'intact' : 'edited', digest: plan.digest },
    plan,
    ...(plan.diff ? { diff: plan.diff } : {}),
  };
}
