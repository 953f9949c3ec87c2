import {
  describeChange,
  findHandBack,
  findValues,
  handBackValues,
  ownReplacements,
  parseTemplate,
  TemplateParseError,
  type HandBackValue,
} from '../../../src/core/handback';

const QUEUE_ARN_A = 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a';
const QUEUE_ARN_B = 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-b';
const JD_ARN_A = 'arn:aws:batch:us-east-1:123456789012:job-definition/reproject';
const JD_ARN_B = 'arn:aws:batch:us-east-1:123456789012:job-definition/reproject-b';

const VALUES: HandBackValue[] = [
  { from: QUEUE_ARN_A, to: QUEUE_ARN_B, form: 'arn' },
  { from: 'reproject-a', to: 'reproject-b', form: 'name' },
  { from: JD_ARN_A, to: JD_ARN_B, form: 'arn', revisioned: true, toRevision: 1 },
  { from: 'reproject', to: 'reproject-b', form: 'name', revisioned: true, toRevision: 1 },
];

describe('findValues', () => {
  it('finds a whole name and an ARN once each, not the name inside the ARN', () => {
    expect(findValues(`queue "reproject-a" and ${QUEUE_ARN_A}`, VALUES)).toEqual([
      { start: 7, end: 18, before: 'reproject-a', after: 'reproject-b' },
      { start: 24, end: 24 + QUEUE_ARN_A.length, before: QUEUE_ARN_A, after: QUEUE_ARN_B },
    ]);
  });

  it('does not match a longer name that starts like A, nor A inside another account', () => {
    expect(findValues('reproject-ab reproject-a-old', VALUES)).toEqual([]);
    expect(findValues('arn:aws:batch:us-east-1:999999999999:job-queue/reproject-a', VALUES)).toEqual([]);
    expect(findValues(`${QUEUE_ARN_A}x`, VALUES)).toEqual([]);
  });

  it("replaces a job definition's pinned revision with B's", () => {
    expect(findValues(`"reproject:3" ${JD_ARN_A}:3`, VALUES).map((m) => [m.before, m.after])).toEqual([
      ['reproject:3', 'reproject-b:1'],
      [`${JD_ARN_A}:3`, `${JD_ARN_B}:1`],
    ]);
  });
});

describe('findHandBack', () => {
  it('finds A inside an Fn::Sub body, through a DefinitionSubstitutions value, and through Refs to A resources', () => {
    const template = {
      Resources: {
        Flow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Sub': '{"Parameters":{"JobQueue":"reproject-a","JobDefinition":"${Job}","Other":"${AWS::Region}"}}',
            },
            DefinitionSubstitutions: { Queue: QUEUE_ARN_A, Near: 'reproject-ab' },
          },
        },
        Queue: {
          Type: 'AWS::Batch::JobQueue',
          Properties: {
            JobQueueName: 'reproject-a',
            ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Compute' } }],
          },
        },
        Unrelated: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'reproject-a-alerts' } },
      },
    };
    const own = new Map([
      ['Job', `${JD_ARN_B}:1`],
      ['Compute', 'arn:aws:batch:us-east-1:123456789012:compute-environment/reproject-ce-b'],
    ]);
    const changes = findHandBack(template, VALUES, own);
    expect(changes).toEqual([
      {
        logicalId: 'Flow',
        resourceType: 'AWS::StepFunctions::StateMachine',
        property: 'DefinitionString',
        before: '${Job}',
        after: `${JD_ARN_B}:1`,
      },
      {
        logicalId: 'Flow',
        resourceType: 'AWS::StepFunctions::StateMachine',
        property: 'DefinitionString',
        before: 'reproject-a',
        after: 'reproject-b',
      },
      {
        logicalId: 'Flow',
        resourceType: 'AWS::StepFunctions::StateMachine',
        property: 'DefinitionSubstitutions.Queue',
        before: QUEUE_ARN_A,
        after: QUEUE_ARN_B,
      },
      {
        logicalId: 'Queue',
        resourceType: 'AWS::Batch::JobQueue',
        property: 'JobQueueName',
        before: 'reproject-a',
        after: 'reproject-b',
      },
      {
        logicalId: 'Queue',
        resourceType: 'AWS::Batch::JobQueue',
        property: 'ComputeEnvironmentOrder[0].ComputeEnvironment',
        before: 'Ref Compute',
        after: 'arn:aws:batch:us-east-1:123456789012:compute-environment/reproject-ce-b',
      },
    ]);
    expect(describeChange(changes[3]!)).toBe(
      'property JobQueueName of Queue (AWS::Batch::JobQueue): reproject-a → reproject-b',
    );
  });

  it('lets a variable the Fn::Sub defines shadow a logical id, and searches the variable values', () => {
    const template = {
      Resources: {
        Flow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: { 'Fn::Sub': ['{"q":"${Queue}"}', { Queue: QUEUE_ARN_A }] } },
        },
      },
    };
    expect(findHandBack(template, VALUES, new Map([['Queue', 'B']]))).toEqual([
      {
        logicalId: 'Flow',
        resourceType: 'AWS::StepFunctions::StateMachine',
        property: 'DefinitionString.Queue',
        before: QUEUE_ARN_A,
        after: QUEUE_ARN_B,
      },
    ]);
  });

  it("gives each Fn::GetAtt of A's resource the attribute of B's", () => {
    const template = {
      Resources: {
        Compute: {
          Type: 'AWS::Batch::ComputeEnvironment',
          Properties: {
            ComputeResources: {
              LaunchTemplate: {
                LaunchTemplateId: { 'Fn::GetAtt': ['Template', 'LaunchTemplateId'] },
                Version: { 'Fn::GetAtt': 'Template.LatestVersionNumber' },
              },
            },
          },
        },
        Alarm: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { Dimensions: [{ Value: { 'Fn::GetAtt': ['Queue', 'JobQueueArn'] } }] },
        },
      },
    };
    const own = new Map([
      ['Template', '(the id of launch template lt-b)'],
      ['Queue', QUEUE_ARN_B],
    ]);
    expect(findHandBack(template, VALUES, own).map((c) => [c.property, c.before, c.after])).toEqual([
      [
        'ComputeResources.LaunchTemplate.LaunchTemplateId',
        'GetAtt Template.LaunchTemplateId',
        '(the id of launch template lt-b)',
      ],
      ['ComputeResources.LaunchTemplate.Version', 'GetAtt Template.LatestVersionNumber', '1'],
      ['Dimensions[0].Value', 'GetAtt Queue.JobQueueArn', QUEUE_ARN_B],
    ]);
  });

  it('finds nothing in a template that names only a near miss', () => {
    const template = {
      Resources: {
        Flow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: '{"JobQueue":"reproject-ab","JobDefinition":"reprojector:2"}' },
        },
      },
    };
    expect(findHandBack(template, VALUES)).toEqual([]);
  });
});

describe('findHandBack in state machine definitions', () => {
  const asl = (queue: string, jobDefinition: string): string =>
    JSON.stringify({
      StartAt: 'Run',
      States: {
        Run: {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Parameters: { JobName: 'reproject', JobQueue: queue, JobDefinition: jobDefinition },
          End: true,
        },
      },
    });

  it("searches only the Batch tasks' JobQueue and JobDefinition, not a job name equal to A's job definition", () => {
    const template = {
      Resources: {
        Flow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: asl('${Queue}', 'reproject:3'),
            DefinitionSubstitutions: { Queue: 'reproject-a' },
          },
        },
      },
    };
    expect(findHandBack(template, VALUES).map((c) => [c.property, c.before, c.after])).toEqual([
      ['DefinitionString', 'reproject:3', 'reproject-b:1'],
      ['DefinitionSubstitutions.Queue', 'reproject-a', 'reproject-b'],
    ]);
  });

  it('resolves the pseudo parameters an Fn::Sub builds an ARN from, so the ARN is found whole', () => {
    const template = {
      Resources: {
        Flow: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString: {
              'Fn::Sub': asl('arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/reproject-a', 'x'),
            },
          },
        },
      },
    };
    expect(findHandBack(template, VALUES)).toEqual([]);
    const pseudo = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
    expect(findHandBack(template, VALUES, new Map(), pseudo).map((c) => [c.before, c.after])).toEqual([
      [QUEUE_ARN_A, QUEUE_ARN_B],
    ]);
  });
});

describe('handBackValues and ownReplacements', () => {
  const b = {
    jobQueue: { from: { name: 'reproject-a', arn: QUEUE_ARN_A }, name: 'reproject-b', arn: QUEUE_ARN_B },
    computeEnvironments: [
      {
        from: { name: 'ce-a', arn: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-a' },
        name: 'ce-b',
        arn: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-b',
      },
    ],
    launchTemplates: [{ from: { id: 'lt-0123', name: 'lt-a' }, name: 'lt-b' }],
    jobDefinitions: [
      { from: { name: 'reproject', arn: `${JD_ARN_A}:3` }, changed: true, name: 'reproject-b' },
      {
        from: { name: 'shared', arn: 'arn:aws:batch:us-east-1:123456789012:job-definition/shared:1' },
        changed: false,
        name: 'shared',
      },
    ],
  };

  it("maps each of A's names, ARNs and ids to B's, leaving shared job definitions out", () => {
    const values = handBackValues(b, new Map([['reproject-b', 4]]));
    expect(values.map((v) => `${v.from} → ${v.to}`)).toEqual([
      `${QUEUE_ARN_A} → ${QUEUE_ARN_B}`,
      'reproject-a → reproject-b',
      'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-a → arn:aws:batch:us-east-1:123456789012:compute-environment/ce-b',
      'ce-a → ce-b',
      'lt-0123 → (the id of launch template lt-b)',
      'lt-a → lt-b',
      `${JD_ARN_A} → ${JD_ARN_B}`,
      'reproject → reproject-b',
    ]);
    expect(values.filter((v) => v.revisioned).map((v) => v.toRevision)).toEqual([4, 4]);
  });

  it("resolves a stack resource to B's value by its physical id, a job definition at any revision", () => {
    const values = handBackValues(b, new Map([['reproject-b', 4]]));
    const own = ownReplacements(
      [
        { logicalId: 'Queue', physicalId: QUEUE_ARN_A },
        { logicalId: 'Job', physicalId: `${JD_ARN_A}:2` },
        { logicalId: 'Template', physicalId: 'lt-0123' },
        { logicalId: 'Other', physicalId: `${QUEUE_ARN_A}-old` },
        { logicalId: 'Named', physicalId: 'reproject-a' },
      ],
      values,
    );
    expect([...own]).toEqual([
      ['Queue', QUEUE_ARN_B],
      ['Job', `${JD_ARN_B}:4`],
      ['Template', '(the id of launch template lt-b)'],
    ]);
  });
});

describe('parseTemplate', () => {
  it('reads YAML short forms as their long forms', () => {
    const yaml = [
      'Resources:',
      '  Flow:',
      '    Type: AWS::StepFunctions::StateMachine',
      '    Properties:',
      '      DefinitionString: !Sub |',
      '        {"JobQueue": "${Queue}", "JobDefinition": "reproject:3"}',
      '      RoleArn: !GetAtt Role.Arn',
      '      DefinitionSubstitutions:',
      '        Q: !Join [":", [a, !Ref Queue]]',
      '  Queue:',
      '    Type: AWS::Batch::JobQueue',
      '    Properties:',
      '      JobQueueName: reproject-a',
    ].join('\n');
    const template = parseTemplate(yaml);
    expect((template.Resources as Record<string, { Properties: unknown }>).Flow?.Properties).toEqual({
      DefinitionString: { 'Fn::Sub': '{"JobQueue": "${Queue}", "JobDefinition": "reproject:3"}\n' },
      RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
      DefinitionSubstitutions: { Q: { 'Fn::Join': [':', ['a', { Ref: 'Queue' }]] } },
    });
    const own = new Map([['Queue', QUEUE_ARN_B]]);
    expect(findHandBack(template, VALUES, own).map(describeChange)).toEqual([
      `property DefinitionString of Flow (AWS::StepFunctions::StateMachine): \${Queue} → ${QUEUE_ARN_B}`,
      'property DefinitionString of Flow (AWS::StepFunctions::StateMachine): reproject:3 → reproject-b:1',
      `property DefinitionSubstitutions.Q of Flow (AWS::StepFunctions::StateMachine): Ref Queue → ${QUEUE_ARN_B}`,
      'property JobQueueName of Queue (AWS::Batch::JobQueue): reproject-a → reproject-b',
    ]);
  });

  it('reads JSON, and refuses what is neither', () => {
    expect(parseTemplate('{"Resources": {}}')).toEqual({ Resources: {} });
    expect(() => parseTemplate('Resources: [unclosed')).toThrow(TemplateParseError);
    expect(() => parseTemplate('just text')).toThrow(TemplateParseError);
  });
});

describe('findHandBack: labels are not references', () => {
  it("reports a rule target's Arn and job definition, not its Id, JobName or Description equal to A's names", () => {
    const template = {
      Resources: {
        Nightly: {
          Type: 'AWS::Events::Rule',
          Properties: {
            Description: 'reproject',
            Targets: [
              {
                Id: 'reproject',
                Arn: QUEUE_ARN_A,
                BatchParameters: { JobDefinition: 'reproject', JobName: 'reproject' },
              },
            ],
          },
        },
      },
    };
    expect(findHandBack(template, VALUES).map((c) => [c.property, c.before, c.after])).toEqual([
      ['Targets[0].Arn', QUEUE_ARN_A, QUEUE_ARN_B],
      ['Targets[0].BatchParameters.JobDefinition', 'reproject', 'reproject-b'],
    ]);
  });
});
