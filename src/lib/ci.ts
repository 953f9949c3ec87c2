/** Whether we run in a CI system: no prompts, plain progress lines. `CI=false` or `CI=0` means no. */
export function isCi(): boolean {
  return !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
}
