/** A plan file's text, or the one error every command gives for a plan it cannot read. No AWS, nothing else loaded. */
import { readFile } from 'node:fs/promises';

import { invalidInput } from '../errors';

/** `hint`: what the reader should do instead, the command's own suggestion. */
export async function readPlanText(planPath: string, hint: string): Promise<string> {
  try {
    return await readFile(planPath, 'utf8');
  } catch (error) {
    throw invalidInput(
      'PlanNotFound',
      `Cannot read plan "${planPath}" (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      [hint],
    );
  }
}
