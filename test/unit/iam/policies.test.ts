/**
 * The IAM policies in docs/iam/ and the table in docs/permissions.md are generated from the code (`npm run iam`):
 * this fails when they no longer match it, and checks that the call-graph analysis they come from sees what the
 * code does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { analyse, COMMANDS, createProgram, type CallGraph } from '../../../scripts/iam/call-graph';
import { generate } from '../../../scripts/iam/generate';
import { actionsOf } from '../../../scripts/iam/policy';

jest.setTimeout(120_000);

const REPO = join(__dirname, '..', '..', '..');
let graph: CallGraph;

beforeAll(() => {
  graph = analyse(REPO, createProgram(REPO));
});

it('docs/iam/*.json and the permissions table are what `npm run iam` generates from the code', () => {
  const files = generate(REPO, graph);
  const stale = Object.entries(files)
    .filter(([path, text]) => readFileSync(join(REPO, path), 'utf8') !== text)
    .map(([path]) => path);
  expect(stale).toEqual([]); // if this fails: run `npm run iam` and review the diff
  // No policy file for a command that no longer exists.
  expect(readdirSync(join(REPO, 'docs', 'iam')).sort()).toEqual(COMMANDS.map((c) => `${c}.json`).sort());
});

/** Commands that work offline: they read a local file or print text, and need no permission. */
const OFFLINE = ['iam-policy', 'show'];

it('analyses every command in src/commands except the offline ones, which call no AWS API', () => {
  const commands = readdirSync(join(REPO, 'src', 'commands'))
    .map((f) => f.replace(/\.ts$/, ''))
    .filter((c) => !OFFLINE.includes(c));
  expect(commands.sort()).toEqual([...COMMANDS].sort());
});

it('every SDK command src/aws can send is reached by some batchctl command', () => {
  const sent = new Set<string>();
  // Every file of src/aws that loads an SDK client, and the commands it sends with it (the `sdk.` it requires).
  for (const file of readdirSync(join(REPO, 'src', 'aws'))) {
    const text = readFileSync(join(REPO, 'src', 'aws', file), 'utf8');
    const client = /require\('@aws-sdk\/client-([a-z0-9-]+)'\)/.exec(text)?.[1];
    if (!client) continue;
    for (const m of text.matchAll(/new sdk\.(\w+)Command\(/g)) sent.add(`${client}:${m[1]}`);
  }
  const reached = new Set(COMMANDS.flatMap((c) => graph.operations[c]));
  expect(sent.size).toBeGreaterThan(25);
  expect([...sent].filter((op) => !reached.has(op))).toEqual([]);
  expect([...reached].filter((op) => !sent.has(op))).toEqual([]);
});

it('follows each command to the calls it can make, and no further', () => {
  const ops = graph.operations;
  // Read-only commands reach no mutating call.
  const mutating = /:(Create|Update|Delete|Register|Deregister|Put)/;
  expect(ops.plan.filter((op) => mutating.test(op))).toEqual([]);
  expect(ops.status.filter((op) => mutating.test(op))).toEqual([]);
  // drain changes one thing: the queue's state; its guard reads the lock and the state machines.
  expect(ops.drain.filter((op) => mutating.test(op))).toEqual(['batch:UpdateJobQueue']);
  expect(ops.drain).toEqual(expect.arrayContaining(['ssm:GetParameter', 'sfn:DescribeStateMachine']));
  // promote builds B, repoints, publishes through UpdateStateMachine, takes the lock; retire is promote.
  expect(ops.promote).toEqual(
    expect.arrayContaining([
      'batch:CreateJobQueue',
      'ec2:CreateLaunchTemplate',
      'sfn:UpdateStateMachine',
      'sfn:UpdateStateMachineAlias',
      'ssm:PutParameter',
      'ssm:DeleteParameter',
    ]),
  );
  expect(ops.retire).toEqual(ops.promote);
  // rollback deletes B, it never creates anything.
  expect(ops.rollback.filter((op) => /:Create/.test(op))).toEqual([]);
  expect(ops.rollback).toEqual(expect.arrayContaining(['batch:DeleteJobQueue', 'batch:UpdateJobQueue']));
});

it('adds the actions AWS checks besides the operation itself', () => {
  const promote = actionsOf(graph.operations.promote);
  expect([...promote.keys()]).toEqual(
    expect.arrayContaining([
      'iam:PassRole',
      'batch:TagResource',
      'ec2:CreateTags',
      'states:PublishStateMachineVersion',
      'ssm:AddTagsToResource',
    ]),
  );
  expect(actionsOf(graph.operations.status).has('iam:PassRole')).toBe(false);
});
