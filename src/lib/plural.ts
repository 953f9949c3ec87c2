/**
 * Counted nouns for every summary the CLI prints: "1 state machine", "2 state machines", "0 resources". One helper,
 * so no message falls back to "state machine(s)". English only; irregular plurals are passed explicitly.
 */

/** The noun alone, agreeing with `n`: `noun(1, 'alias', 'aliases')` → `alias`. */
export function noun(n: number, singular: string, plural = `${singular}s`): string {
  return n === 1 ? singular : plural;
}

/** The count and its noun: `counted(2, 'state machine')` → `2 state machines`; `counted(0, 'resource')` → `0 resources`. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${noun(n, singular, plural)}`;
}

/** A verb agreeing with a count as its subject: `verb(1, 'names', 'name')` → `names`. */
export function verb(n: number, singularForm: string, pluralForm: string): string {
  return n === 1 ? singularForm : pluralForm;
}
