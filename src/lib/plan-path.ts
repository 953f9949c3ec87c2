import { basename, dirname, extname, join } from 'node:path';

/**
 * Where `plan` writes a spec's plan by default: beside the spec, named after the spec file (`plans/reproject.yaml` →
 * `plans/reproject.plan.json`), so two spec files, even of one workload, never share a plan path.
 */
export function defaultPlanPath(specPath: string): string {
  const name = basename(specPath);
  return join(dirname(specPath), `${name.slice(0, name.length - extname(name).length) || name}.plan.json`);
}
