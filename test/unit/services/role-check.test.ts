import type { Aws } from '../../../src/aws/clients';
import type { SimulatedDecision } from '../../../src/aws/iam';
import type { StateMachineReferences } from '../../../src/core/plan';
import type { RewritePlan } from '../../../src/core/references';
import { checkRoles } from '../../../src/services/role-check';

const ARN = 'arn:aws:batch:us-east-1:123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/scoped';
const rewrite: RewritePlan = {
  queue: {
    from: { name: 'reproject-a', arn: `${ARN}:job-queue/reproject-a` },
    to: { name: 'reproject-b', arn: `${ARN}:job-queue/reproject-b` },
  },
  jobDefinitions: [],
};
const reference: StateMachineReferences = {
  name: 'wf',
  arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:wf',
  changes: [{ path: ['Run'], field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' }],
  dynamic: [],
  aliases: [],
};

/** Only the IAM part of the AWS layer: the role check calls nothing else. */
function awsWith(
  simulate: (input: { principalArn: string; resources: string[] }) => Promise<SimulatedDecision[]>,
): Aws {
  return { iam: { simulatePrincipalPolicy: simulate } } as unknown as Aws;
}

describe('checkRoles', () => {
  it('simulates batch:SubmitJob for each repointed state machine’s role on B’s resources', async () => {
    const calls: { principalArn: string; resources: string[] }[] = [];
    const aws = awsWith(async (input) => {
      calls.push(input);
      return input.resources.map((resource) => ({ action: 'batch:SubmitJob', resource, decision: 'allowed' }));
    });
    const result = await checkRoles(aws, { references: [reference], roles: new Map([['wf', ROLE]]), rewrite });
    expect(calls).toStrictEqual([
      expect.objectContaining({ principalArn: ROLE, resources: [`${ARN}:job-queue/reproject-b`] }),
    ]);
    expect(result).toStrictEqual({ blockers: [], warnings: [] });
  });

  it('blocks a role that may not submit to B', async () => {
    const aws = awsWith(async (input) =>
      input.resources.map((resource) => ({ action: 'batch:SubmitJob', resource, decision: 'implicitDeny' })),
    );
    const result = await checkRoles(aws, { references: [reference], roles: new Map([['wf', ROLE]]), rewrite });
    expect(result.blockers.map((b) => b.code)).toStrictEqual(['RoleCannotSubmit']);
  });

  it('warns, naming the permission, when the planner may not simulate', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
    const aws = awsWith(async () => Promise.reject(denied));
    const result = await checkRoles(aws, { references: [reference], roles: new Map([['wf', ROLE]]), rewrite });
    expect(result.blockers).toStrictEqual([]);
    expect(result.warnings[0]?.code).toBe('RolesNotChecked');
    expect(result.warnings[0]?.message).toContain('iam:SimulatePrincipalPolicy');
  });

  it('checks the role of each version an alias routes to that promote republishes (a version keeps its own role)', async () => {
    const versionArn = `${reference.arn}:1`;
    const versionRole = 'arn:aws:iam::123456789012:role/v1-role';
    const withAlias: StateMachineReferences = {
      ...reference,
      aliases: [
        { name: 'live', arn: `${reference.arn}:live`, routes: [{ versionArn, weight: 100, referencesLive: true }] },
      ],
    };
    const asked: string[] = [];
    const aws = {
      sfn: {
        describeStateMachine: async (arn: string) => {
          expect(arn).toBe(versionArn);
          return {
            roleArn: versionRole,
            definition: JSON.stringify({
              StartAt: 'Run',
              States: {
                Run: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::batch:submitJob.sync',
                  Parameters: { JobName: 'x', JobQueue: 'reproject-a', JobDefinition: 'reproject' },
                  End: true,
                },
              },
            }),
          };
        },
      },
      iam: {
        simulatePrincipalPolicy: async (input: { principalArn: string; resources: string[] }) => {
          asked.push(input.principalArn);
          const decision = input.principalArn === versionRole ? 'explicitDeny' : 'allowed';
          return input.resources.map((resource) => ({ action: 'batch:SubmitJob', resource, decision }));
        },
      },
    } as unknown as Aws;
    const result = await checkRoles(aws, { references: [withAlias], roles: new Map([['wf', ROLE]]), rewrite });
    expect(asked.sort()).toStrictEqual([ROLE, versionRole].sort());
    expect(result.blockers.map((b) => b.resource)).toStrictEqual(['wf version 1']);
    expect(result.blockers[0]?.message).toContain('its role v1-role may not batch:SubmitJob');
  });

  it('lets any other failure through', async () => {
    const aws = awsWith(async () => Promise.reject(Object.assign(new Error('boom'), { name: 'ServiceFailure' })));
    await expect(checkRoles(aws, { references: [reference], roles: new Map([['wf', ROLE]]), rewrite })).rejects.toThrow(
      'boom',
    );
  });
});
