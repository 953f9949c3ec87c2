/**
 * The "did you mean" of an unknown command when nobody can be asked (no terminal, --json): the nearest command by
 * edit distance, as @oclif/plugin-not-found picks it at a terminal, offered only when it is near enough to be a
 * typo rather than another word.
 */

/** Levenshtein distance: insertions, deletions and substitutions, each costing one. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `word`, or undefined when even the nearest differs in more than a third of its letters
 * (at least 2 edits are always allowed: `promte` → `promote`, `satus` → `status`). Ties go to the first candidate.
 */
export function closestCommand(word: string, candidates: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const id of candidates) {
    const distance = editDistance(word.toLowerCase(), id.toLowerCase());
    if (!best || distance < best.distance) best = { id, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(2, Math.floor(best.id.length / 3)) ? best.id : undefined;
}
