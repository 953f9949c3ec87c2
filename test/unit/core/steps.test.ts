import { deriveRevision } from '../../../src/core/derive';
import { buildSteps, type PlanStep } from '../../../src/core/steps';
import type { LiveWorkload } from '../../../src/core/workload';
import { liveWorkload, PLAN_ID, reprojectSpec } from './fixtures';

/** The fixture, plus a second launch template used only by the shared compute environment. */
function liveWithSharedTemplate(): LiveWorkload {
  const live = liveWorkload('a');
  const shared = live.computeEnvironments[1]!;
  shared.launchTemplateId = 'lt-0def';
  shared.detail.computeResources!.launchTemplate = { launchTemplateId: 'lt-0def', version: '2' };
  live.launchTemplates.push({
    id: 'lt-0def',
    name: 'shared-lt-a',
    version: 2,
    referencedAs: '2',
    data: { ImageId: 'ami-shared' },
    tags: {},
  });
  return live;
}

function stepsFor(live: LiveWorkload, stateMachines: string[] = ['ingest', 'nightly']): PlanStep[] {
  return buildSteps(live, deriveRevision(live, reprojectSpec('a'), PLAN_ID), stateMachines);
}

function byId(steps: PlanStep[]): Map<string, PlanStep> {
  return new Map(steps.map((s) => [s.id, s]));
}

/** Every step a step depends on, directly or not. */
function ancestors(steps: PlanStep[], id: string): Set<string> {
  const index = byId(steps);
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const dep of index.get(current)?.dependsOn ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(id);
  return seen;
}

describe('buildSteps', () => {
  it('lists exactly these steps, in this order, with these dependencies', () => {
    expect(stepsFor(liveWithSharedTemplate())).toStrictEqual([
      {
        id: 'create-launch-template:reproject-lt-b',
        action: 'create-launch-template',
        target: 'reproject-lt-b',
        dependsOn: [],
      },
      {
        id: 'create-launch-template:shared-lt-b',
        action: 'create-launch-template',
        target: 'shared-lt-b',
        dependsOn: [],
      },
      {
        id: 'create-compute-environment:reproject-ce-b',
        action: 'create-compute-environment',
        target: 'reproject-ce-b',
        dependsOn: ['create-launch-template:reproject-lt-b'],
      },
      {
        id: 'create-compute-environment:shared-ce-b',
        action: 'create-compute-environment',
        target: 'shared-ce-b',
        dependsOn: ['create-launch-template:shared-lt-b'],
      },
      {
        id: 'register-job-definition:reproject-job-b',
        action: 'register-job-definition',
        target: 'reproject-job-b',
        dependsOn: [],
      },
      {
        id: 'create-job-queue:reproject-b',
        action: 'create-job-queue',
        target: 'reproject-b',
        dependsOn: ['create-compute-environment:reproject-ce-b', 'create-compute-environment:shared-ce-b'],
      },
      {
        id: 'repoint-state-machine:ingest',
        action: 'repoint-state-machine',
        target: 'ingest',
        dependsOn: ['create-job-queue:reproject-b', 'register-job-definition:reproject-job-b'],
      },
      {
        id: 'repoint-state-machine:nightly',
        action: 'repoint-state-machine',
        target: 'nightly',
        dependsOn: ['create-job-queue:reproject-b', 'register-job-definition:reproject-job-b'],
      },
      {
        id: 'drain:reproject-a',
        action: 'drain',
        target: 'reproject-a',
        dependsOn: ['repoint-state-machine:ingest', 'repoint-state-machine:nightly'],
      },
      {
        id: 'delete-job-queue:reproject-a',
        action: 'delete-job-queue',
        target: 'reproject-a',
        dependsOn: ['drain:reproject-a'],
      },
      {
        id: 'delete-compute-environment:reproject-ce-a',
        action: 'delete-compute-environment',
        target: 'reproject-ce-a',
        dependsOn: ['delete-job-queue:reproject-a'],
      },
      {
        id: 'delete-launch-template:reproject-lt-a',
        action: 'delete-launch-template',
        target: 'reproject-lt-a',
        dependsOn: ['delete-compute-environment:reproject-ce-a'],
      },
      {
        id: 'deregister-job-definition:reproject-job-a:4',
        action: 'deregister-job-definition',
        target: 'reproject-job-a:4',
        dependsOn: ['drain:reproject-a'],
      },
    ]);
  });

  it('lists every step after all of its dependencies, and every dependency exists', () => {
    const steps = stepsFor(liveWithSharedTemplate());
    const ids = steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    steps.forEach((step, i) => {
      for (const dep of step.dependsOn) {
        expect(ids.indexOf(dep)).toBeGreaterThanOrEqual(0);
        expect(ids.indexOf(dep)).toBeLessThan(i);
      }
    });
  });

  it('creates the launch template before the CE that uses it, and the CEs before the queue', () => {
    const steps = stepsFor(liveWorkload('a'));
    expect(ancestors(steps, 'create-compute-environment:reproject-ce-b')).toStrictEqual(
      new Set(['create-launch-template:reproject-lt-b']),
    );
    expect(ancestors(steps, 'create-job-queue:reproject-b')).toStrictEqual(
      new Set([
        'create-launch-template:reproject-lt-b',
        'create-compute-environment:reproject-ce-b',
        'create-compute-environment:shared-ce-b',
      ]),
    );
  });

  it('repoints after the queue and the changed job definitions exist', () => {
    const steps = stepsFor(liveWorkload('a'), ['ingest']);
    const before = ancestors(steps, 'repoint-state-machine:ingest');
    expect(before.has('create-job-queue:reproject-b')).toBe(true);
    expect(before.has('register-job-definition:reproject-job-b')).toBe(true);
  });

  it('drains after every repoint, and deletes only after the drain', () => {
    const steps = stepsFor(liveWorkload('a'), ['ingest', 'nightly']);
    const beforeDrain = ancestors(steps, 'drain:reproject-a');
    expect(beforeDrain.has('repoint-state-machine:ingest')).toBe(true);
    expect(beforeDrain.has('repoint-state-machine:nightly')).toBe(true);
    for (const step of steps.filter(
      (s) => s.action.startsWith('delete-') || s.action === 'deregister-job-definition',
    )) {
      expect(ancestors(steps, step.id).has('drain:reproject-a')).toBe(true);
    }
  });

  it('drains after the queue exists when no state machine needs repointing', () => {
    const steps = stepsFor(liveWorkload('a'), []);
    expect(steps.filter((s) => s.action === 'repoint-state-machine')).toStrictEqual([]);
    expect(byId(steps).get('drain:reproject-a')?.dependsOn).toStrictEqual(['create-job-queue:reproject-b']);
  });

  it('never deletes a shared CE nor the launch template it uses', () => {
    const steps = stepsFor(liveWithSharedTemplate());
    expect(steps.map((s) => s.id)).not.toContain('delete-compute-environment:shared-ce-a');
    expect(steps.map((s) => s.id)).not.toContain('delete-launch-template:shared-lt-a');
    expect(steps.filter((s) => s.action === 'delete-compute-environment').map((s) => s.target)).toStrictEqual([
      'reproject-ce-a',
    ]);
    expect(steps.filter((s) => s.action === 'delete-launch-template').map((s) => s.target)).toStrictEqual([
      'reproject-lt-a',
    ]);
  });

  it('deletes a launch template only after the CEs that used it', () => {
    const steps = stepsFor(liveWorkload('a'));
    expect(
      ancestors(steps, 'delete-launch-template:reproject-lt-a').has('delete-compute-environment:reproject-ce-a'),
    ).toBe(true);
  });

  it('keeps a launch template that both a retired and a shared CE use', () => {
    const live = liveWorkload('a');
    live.computeEnvironments[1]!.launchTemplateId = 'lt-0abc';
    live.computeEnvironments[1]!.detail.computeResources!.launchTemplate = {
      launchTemplateId: 'lt-0abc',
      version: '3',
    };
    expect(stepsFor(live).filter((s) => s.action === 'delete-launch-template')).toStrictEqual([]);
  });

  it('registers and deregisters only the changed job definitions', () => {
    const steps = stepsFor(liveWorkload('a'));
    expect(steps.filter((s) => s.action === 'register-job-definition').map((s) => s.target)).toStrictEqual([
      'reproject-job-b',
    ]);
    expect(steps.filter((s) => s.action === 'deregister-job-definition').map((s) => s.target)).toStrictEqual([
      'reproject-job-a:4',
    ]);
    expect(steps.map((s) => s.target).filter((t) => t.startsWith('tile-job'))).toStrictEqual([]);
  });

  it('registers and deregisters nothing when no job definition changes', () => {
    const live = liveWorkload('a');
    const spec = reprojectSpec('a');
    delete spec.changes?.jobDefinitions;
    const steps = buildSteps(live, deriveRevision(live, spec, PLAN_ID), ['ingest']);
    expect(
      steps.filter((s) => s.action === 'register-job-definition' || s.action === 'deregister-job-definition'),
    ).toStrictEqual([]);
    expect(byId(steps).get('repoint-state-machine:ingest')?.dependsOn).toStrictEqual(['create-job-queue:reproject-b']);
  });
});

describe('buildSteps: launch template overrides', () => {
  /** reproject-ce uses lt-0abc and, through an override, the GPU template discovery cloned. */
  function liveWithOverride(): LiveWorkload {
    const live = liveWorkload('a');
    live.computeEnvironments[0]!.detail.computeResources!.launchTemplate = {
      launchTemplateId: 'lt-0abc',
      version: '3',
      overrides: [{ launchTemplateName: 'reproject-gpu-a', version: '1', targetInstanceTypes: ['g5.xlarge'] }],
    };
    live.launchTemplates.push({
      id: 'lt-0gpu',
      name: 'reproject-gpu-a',
      version: 1,
      referencedAs: '1',
      data: {},
      tags: {},
    });
    return live;
  }

  it("creates B's copy of an override's template before the compute environment, and deletes A's after it", () => {
    const index = byId(stepsFor(liveWithOverride()));
    expect(index.get('create-compute-environment:reproject-ce-b')?.dependsOn).toStrictEqual([
      'create-launch-template:reproject-lt-b',
      'create-launch-template:reproject-gpu-b',
    ]);
    expect(index.get('delete-launch-template:reproject-gpu-a')?.dependsOn).toContain(
      'delete-compute-environment:reproject-ce-a',
    );
  });

  it('keeps a template that a shared compute environment names only in its overrides', () => {
    const live = liveWithOverride();
    live.computeEnvironments[1]!.detail.computeResources!.launchTemplate = {
      launchTemplateId: 'lt-0xyz',
      overrides: [{ launchTemplateId: 'lt-0gpu', targetInstanceTypes: ['g5.xlarge'] }],
    };
    const ids = stepsFor(live).map((s) => s.id);
    expect(ids).not.toContain('delete-launch-template:reproject-gpu-a');
    expect(ids).toContain('delete-launch-template:reproject-lt-a');
  });
});
