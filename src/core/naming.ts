/**
 * Revision naming. Every resource of revision B is named from its A counterpart by a suffix convention
 * (default `-a` / `-b`): `reproject-a` → `reproject-b`, `reproject-b` → `reproject-a`, and an unsuffixed A
 * (`reproject`) is adopted as revision a, its copy getting the b suffix (`reproject-b`). Deterministic names are
 * what make a half-done swap recognisable on re-run (DESIGN invariant 4).
 */
export type RevisionLabel = 'a' | 'b';

export interface Suffixes {
  a: string;
  b: string;
}

export const DEFAULT_SUFFIXES: Suffixes = { a: '-a', b: '-b' };

export interface RevisionName {
  /** The name without its revision suffix. */
  base: string;
  /** Which revision the live name carries (an unsuffixed name counts as `a`). */
  live: RevisionLabel;
  /** Whether the live name had no suffix and is being adopted. */
  adopted: boolean;
  /** The name of the new revision's copy. */
  next: string;
}

export function otherRevision(label: RevisionLabel): RevisionLabel {
  return label === 'a' ? 'b' : 'a';
}

export function nextName(liveName: string, suffixes: Suffixes = DEFAULT_SUFFIXES): RevisionName {
  if (liveName.endsWith(suffixes.b) && liveName.length > suffixes.b.length) {
    const base = liveName.slice(0, -suffixes.b.length);
    return { base, live: 'b', adopted: false, next: base + suffixes.a };
  }
  if (liveName.endsWith(suffixes.a) && liveName.length > suffixes.a.length) {
    const base = liveName.slice(0, -suffixes.a.length);
    return { base, live: 'a', adopted: false, next: base + suffixes.b };
  }
  return { base: liveName, live: 'a', adopted: true, next: liveName + suffixes.b };
}

export type ResourceKind = 'job-queue' | 'compute-environment' | 'launch-template' | 'job-definition';

const NAME_RULES: Record<ResourceKind, { pattern: RegExp; min: number; max: number; allowed: string }> = {
  // Batch: "up to 128 characters … letters, numbers, hyphens (-), and underscores (_)".
  'job-queue': { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, min: 1, max: 128, allowed: 'letters, digits, - and _' },
  'compute-environment': {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    min: 1,
    max: 128,
    allowed: 'letters, digits, - and _',
  },
  'job-definition': { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/, min: 1, max: 128, allowed: 'letters, digits, - and _' },
  // EC2: 3-128 characters, [a-zA-Z0-9().\-/_].
  'launch-template': { pattern: /^[A-Za-z0-9().\-/_]+$/, min: 3, max: 128, allowed: 'letters, digits and ( ) . - / _' },
};

/** Undefined when valid, otherwise why the name is not acceptable to AWS. */
export function nameProblem(kind: ResourceKind, name: string): string | undefined {
  const rule = NAME_RULES[kind];
  if (name.length < rule.min || name.length > rule.max) {
    return `is ${name.length} characters long; a ${kind} name must be ${rule.min}-${rule.max}`;
  }
  if (!rule.pattern.test(name)) return `may contain only ${rule.allowed}`;
  return undefined;
}

/** The suffixes must be distinct and must not be a suffix of one another, or names could not be told apart. */
export function suffixesProblem(suffixes: Suffixes): string | undefined {
  if (!suffixes.a || !suffixes.b) return 'suffixes must not be empty';
  if (suffixes.a.endsWith(suffixes.b) || suffixes.b.endsWith(suffixes.a)) {
    return `suffixes "${suffixes.a}" and "${suffixes.b}" must differ and neither may end with the other`;
  }
  return undefined;
}

/** The marker of an alternative name, `<root>-alt<n><suffix>` (n = 2…9). */
const ALTERNATIVE = /-alt[2-9]$/;

/**
 * The names B's copy of `liveName` may take, best first: the plain `<root><suffix>` — the derived name, unless the live
 * name is itself an alternative — then the derived name, then `<root>-alt2<suffix>` … `<root>-alt9<suffix>` for when
 * the others are held by a resource something outside the workload still uses (A's compute environment shared with
 * another queue and kept at retirement, or its launch template). The root is the base without an `-alt<n>` marker,
 * so a name carries at most one marker (names never grow swap after swap) and goes back to the plain name as soon as
 * that is free.
 */
export function nameCandidates(liveName: string, suffixes: Suffixes = DEFAULT_SUFFIXES): string[] {
  const derived = nextName(liveName, suffixes);
  const suffix = derived.next.slice(derived.base.length);
  const root = derived.base.replace(ALTERNATIVE, '');
  const candidates = [root + suffix, derived.next];
  for (let n = 2; n <= 9; n++) candidates.push(`${root}-alt${n}${suffix}`);
  return [...new Set(candidates)];
}

/** The first candidate not held by a resource in use outside the workload; the first one when all are held. */
export function freeName(liveName: string, suffixes: Suffixes, held: ReadonlySet<string>): string {
  const candidates = nameCandidates(liveName, suffixes);
  return candidates.find((c) => !held.has(c)) ?? (candidates[0] as string);
}
