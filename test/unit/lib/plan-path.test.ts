import { defaultPlanPath } from '../../../src/lib/plan-path';

describe('defaultPlanPath', () => {
  it('is named after the spec file, beside it, so two specs of one workload never share it', () => {
    expect(defaultPlanPath('plans/reproject.yaml')).toBe('plans/reproject.plan.json');
    expect(defaultPlanPath('plans/reproject-canary.yml')).toBe('plans/reproject-canary.plan.json');
    expect(defaultPlanPath('/abs/dir/spec')).toBe('/abs/dir/spec.plan.json');
    expect(defaultPlanPath('.hidden')).toBe('.hidden.plan.json');
  });
});
