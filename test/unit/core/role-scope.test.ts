import type { RewritePlan } from '../../../src/core/references';
import { resourcesAfterRewrite, roleBlocker, statementFor } from '../../../src/core/role-scope';

const ARN = 'arn:aws:batch:us-east-1:123456789012';
const rewrite: RewritePlan = {
  queue: {
    from: { name: 'reproject-a', arn: `${ARN}:job-queue/reproject-a` },
    to: { name: 'reproject-b', arn: `${ARN}:job-queue/reproject-b` },
  },
  jobDefinitions: [
    {
      from: { name: 'reproject', arn: `${ARN}:job-definition/reproject` },
      to: { name: 'reproject-b', arn: `${ARN}:job-definition/reproject-b`, revision: 1 },
    },
  ],
};

describe('resourcesAfterRewrite', () => {
  it('lists B’s queue ARN and B’s job definition revision ARN for the fields the rewrite changes', () => {
    const changes = [
      { path: ['Run'], field: 'JobQueue' as const, before: 'reproject-a', after: 'reproject-b' },
      { path: ['Run'], field: 'JobDefinition' as const, before: 'reproject:3', after: 'reproject-b:1' },
    ];
    expect(resourcesAfterRewrite(changes, rewrite)).toStrictEqual([
      `${ARN}:job-definition/reproject-b:1`,
      `${ARN}:job-queue/reproject-b`,
    ]);
  });

  it('asks for any revision when B’s revision is not known yet', () => {
    const unknown: RewritePlan = {
      ...rewrite,
      jobDefinitions: [
        { ...rewrite.jobDefinitions[0]!, to: { name: 'reproject-b', arn: `${ARN}:job-definition/reproject-b` } },
      ],
    };
    const changes = [{ path: ['Run'], field: 'JobDefinition' as const, before: 'reproject', after: 'reproject-b' }];
    expect(resourcesAfterRewrite(changes, unknown)).toStrictEqual([`${ARN}:job-definition/reproject-b:*`]);
  });
});

describe('roleBlocker', () => {
  it('is nothing when every resource is allowed', () => {
    expect(
      roleBlocker('wf', 'arn:aws:iam::123456789012:role/wf-role', [{ resource: 'x', decision: 'allowed' }]),
    ).toBeUndefined();
  });

  it('names the role, the denied resources and the statement to add', () => {
    const blocker = roleBlocker('wf', 'arn:aws:iam::123456789012:role/wf-role', [
      { resource: `${ARN}:job-queue/reproject-b`, decision: 'implicitDeny' },
      { resource: `${ARN}:job-definition/reproject-b:1`, decision: 'allowed' },
    ]);
    expect(blocker?.code).toBe('RoleCannotSubmit');
    expect(blocker?.resource).toBe('wf');
    expect(blocker?.message).toContain('its role wf-role may not batch:SubmitJob on');
    expect(blocker?.message).toContain(`${ARN}:job-queue/reproject-b (implicitDeny)`);
    expect(blocker?.message).not.toContain('job-definition/reproject-b:1 (');
    expect(blocker?.message).toContain(statementFor([`${ARN}:job-queue/reproject-b`]));
  });
});

describe('statementFor', () => {
  it('allows every revision of a job definition and keeps queue ARNs as they are', () => {
    expect(
      JSON.parse(statementFor([`${ARN}:job-definition/reproject-b:1`, `${ARN}:job-queue/reproject-b`])),
    ).toStrictEqual({
      Effect: 'Allow',
      Action: 'batch:SubmitJob',
      Resource: [`${ARN}:job-definition/reproject-b:*`, `${ARN}:job-queue/reproject-b`],
    });
  });
});
