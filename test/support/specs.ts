/** Spec files for tests: the demo spec, and the same swap turned around (B live, A derived from it). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from './cli';

export const DEMO_SPEC = join(REPO, 'plans', 'reproject.yaml');

/** Writes plans/reproject.yaml turned around into `dir`: B is live, A is what it derives. Returns its path. */
export function writeBackToASpec(dir: string): string {
  const turned = readFileSync(DEMO_SPEC, 'utf8')
    .replace('jobQueue: reproject-a', 'jobQueue: reproject-b')
    .replace(/^ {4}reproject:$/m, '    reproject-b:');
  if (!turned.includes('jobQueue: reproject-b') || !/^ {4}reproject-b:$/m.test(turned)) {
    throw new Error('plans/reproject.yaml changed shape: cannot turn it around for the B → A swap');
  }
  const file = join(dir, 'reproject-b-to-a.yaml');
  writeFileSync(file, turned);
  return file;
}
