// Defaults and validation of configs. Each field has one checker in a table; a config is read by
// rejecting unknown keys, filling defaults and running every checker, then the cross-field rules
// run. The trial fields (method, n, m, steps, eta, ...) join by adding a table and a cross-field
// function next to the teacher's, and validateConfig composes them the same way.
import { ConfigError, checkEnum, checkInt, checkNumber, show } from '../core/errors.js';
import { checkEveryDirection, parseLink, type Link } from './link.js';
import { roundPow } from './sparsity.js';
import { SOFT_GAMMA_MAX, defaultSoftGamma } from './soft-profile.js';
import { SIMS, compactRefusal, subspaceRefusal, type Sim } from './sim.js';
import type { Batch, Entries, LinkTerm, Method, Sparsity, TeacherConfig, TrialConfig } from '../core/types.js';
import { DATA_DRIVEN, METHODS } from '../core/rules.js';
import { MAX_R } from '../kernels/teacher.js';
import { HERMITE_MAX_K } from '../kernels/hermite.js';

export const MAX_D = 0x7fffffff;
export { MAX_R };
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** One field: its default (absent = required, unless optional) and its checker. */
export interface FieldSpec<T> {
  readonly default?: T;
  readonly optional?: boolean;
  check(value: unknown, field: string): T;
}
export type FieldTable = Readonly<Record<string, FieldSpec<unknown>>>;

/** A TeacherConfig after validation: s is always resolved (from alpha when only alpha was given). */
export type ValidTeacherConfig = TeacherConfig & { s: number };

export const TEACHER_DEFAULTS = {
  r: 1,
  sparsity: 'exact' as Sparsity,
  entries: 'flat' as Entries,
  q: 0.5,
  noise: 0.1,
  seed: 1,
} as const;

export const TEACHER_FIELDS = {
  d: { check: (v: unknown, f: string) => checkInt(f, v, 1, MAX_D) },
  alpha: { optional: true, check: (v: unknown, f: string) => checkNumber(f, v, 0, 1, { openLo: true }) },
  s: { optional: true, check: (v: unknown, f: string) => checkInt(f, v, 1, MAX_D) },
  r: { default: TEACHER_DEFAULTS.r, check: (v: unknown, f: string) => checkInt(f, v, 1, MAX_R) },
  sparsity: {
    default: TEACHER_DEFAULTS.sparsity,
    check: (v: unknown, f: string) => checkEnum<Sparsity>(f, v, ['exact', 'lq', 'soft']),
  },
  entries: {
    default: TEACHER_DEFAULTS.entries,
    check: (v: unknown, f: string) => checkEnum<Entries>(f, v, ['flat', 'gaussian']),
  },
  q: {
    default: TEACHER_DEFAULTS.q,
    check: (v: unknown, f: string) => checkNumber(f, v, 0, 2, { openLo: true, openHi: true }),
  },
  gamma: {
    optional: true,
    check: (v: unknown, f: string) => checkNumber(f, v, 0, SOFT_GAMMA_MAX, { openLo: true }),
  },
  link: { check: checkLinkShape },
  noise: { default: TEACHER_DEFAULTS.noise, check: checkNonNegative },
  seed: { default: TEACHER_DEFAULTS.seed, check: (v: unknown, f: string) => checkInt(f, v, 0, MAX_SEED) },
} satisfies FieldTable;

function checkNonNegative(v: unknown, f: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(f, v, 'a finite number >= 0');
  return v;
}

// The type only; the link itself is parsed in the cross-field step, where r is known.
function checkLinkShape(v: unknown, f: string): string | LinkTerm[] {
  if (typeof v === 'string') return v;
  if (Array.isArray(v))
    return v.map((t) =>
      typeof t === 'object' && t !== null && Array.isArray((t as LinkTerm).degrees)
        ? { ...(t as LinkTerm), degrees: (t as LinkTerm).degrees.slice() }
        : t,
    );
  throw new ConfigError(f, v, 'a link expression (e.g. "he2") or a list of {coef, degrees}');
}

/**
 * Reads `input` against `table`: it must be a plain object whose keys are all in the table;
 * missing fields take their default (or stay absent when optional); every present field is
 * checked. Returns a new object; the input is never modified.
 */
export function readFields(table: FieldTable, input: unknown, what = 'config'): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(what, input, 'an object of fields');
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(table, key)) {
      throw new ConfigError(
        key,
        (input as Record<string, unknown>)[key],
        `a known field of the ${what} (${Object.keys(table).join(', ')})`,
        'unknown field',
      );
    }
  }
  for (const [key, spec] of Object.entries(table)) {
    const v = (input as Record<string, unknown>)[key];
    if (v === undefined) {
      if ('default' in spec) out[key] = spec.default;
      else if (!spec.optional) spec.check(v, key); // throws, naming the missing field
      continue;
    }
    out[key] = spec.check(v, key);
  }
  return out;
}

/**
 * A teacher config validated once, with its link parsed for its r: everything makeTeacher builds
 * from, so nothing after validation parses the link again.
 */
export interface TeacherSpec {
  readonly config: ValidTeacherConfig;
  /** The normalised link: terms in canonical order, k* and the canonical expression. */
  readonly link: Link;
}

// The teacher's cross-field rules; resolves s from alpha (mutating `c`) and parses the link.
function checkTeacher(c: Record<string, unknown>): TeacherSpec {
  const d = c.d as number,
    r = c.r as number;
  const alpha = c.alpha as number | undefined;
  let s = c.s as number | undefined;
  if (alpha === undefined && s === undefined)
    throw new ConfigError('alpha', undefined, 'a number in (0, 1] (or give s, the support size)');
  if (s !== undefined && s > d) throw new ConfigError('s', s, `an integer in [1, d] = [1, ${d}]`);
  if (alpha !== undefined) {
    const sa = roundPow(d, alpha);
    if (s !== undefined && s !== sa) {
      throw new ConfigError(
        's',
        s,
        `round(d^alpha) = ${sa} when alpha = ${show(alpha)} is also given`,
        'give alpha or s, or both only when they agree',
      );
    }
    s = sa;
  }
  c.s = s;
  if (r > Math.min(d, MAX_R))
    throw new ConfigError('r', r, `an integer in [1, min(d, ${MAX_R})] = [1, ${Math.min(d, MAX_R)}]`);
  if (r > s!) throw new ConfigError('r', r, `at most s = ${s} (every direction needs its own support rows)`);
  if (c.sparsity !== 'exact' && c.entries !== 'flat') {
    throw new ConfigError(
      'entries',
      c.entries,
      `"flat" when sparsity is "${c.sparsity}" (${c.sparsity} has its own power-law profile)`,
    );
  }
  if (c.sparsity === 'soft') c.gamma = softGamma(c.q as number, c.gamma as number | undefined);
  else if (c.gamma !== undefined) {
    throw new ConfigError(
      'gamma',
      c.gamma,
      `absent unless sparsity is "soft" (the soft family's tail exponent; ${c.sparsity} has none to give)`,
    );
  }
  const link = parseLink(c.link, r); // throws ConfigError('link', ...) for any bad link
  checkEveryDirection(link, c.link);
  return { config: c as unknown as ValidTeacherConfig, link };
}

// The soft family's tail i^-gamma needs gamma > 1/q, or its l_q sum grows with d and no plateau
// meets the budget; gamma <= SOFT_GAMMA_MAX keeps the profile in double range (soft-profile.ts).
function softGamma(q: number, given: number | undefined): number {
  if (!(q > 1 / SOFT_GAMMA_MAX)) {
    throw new ConfigError(
      'q',
      q,
      `a number in (1/${SOFT_GAMMA_MAX}, 2) for sparsity "soft" (gamma must exceed 1/q and be at most ${SOFT_GAMMA_MAX})`,
    );
  }
  const gamma = given ?? defaultSoftGamma(q);
  if (!(gamma > 1 / q)) {
    throw new ConfigError(
      'gamma',
      gamma,
      `a number in (1/q, ${SOFT_GAMMA_MAX}] = (${show(1 / q)}, ${SOFT_GAMMA_MAX}] for q = ${show(q)}: a tail i^-gamma with gamma <= 1/q has an l_q sum that grows with d`,
    );
  }
  if (gamma > SOFT_GAMMA_MAX) {
    throw new ConfigError(
      'gamma',
      gamma,
      `a number in (1/q, ${SOFT_GAMMA_MAX}] = (${show(1 / q)}, ${SOFT_GAMMA_MAX}] for q = ${show(q)}`,
      'the default 3/(2q); give gamma',
    );
  }
  return gamma;
}

/** Validates a teacher config once: every field's type and range, defaults filled, s resolved, the link parsed. */
export function validateTeacherSpec(input: unknown): TeacherSpec {
  return checkTeacher(readFields(TEACHER_FIELDS, input, 'teacher config'));
}

/** Validates a teacher config: every field's type and range, defaults filled, s resolved. */
export function validateTeacherConfig(input: unknown): ValidTeacherConfig {
  return validateTeacherSpec(input).config;
}

// ---------------------------------------------------------------------------------------------
// Trial (learner) fields, DESIGN §2.2.

export { METHODS };
export const BATCHES: readonly Batch[] = ['reuse', 'fresh'];
export { DATA_DRIVEN };
const MAX_ROWS = 0x7fffffff;

export const TRIAL_DEFAULTS = {
  split: 0.5,
  n3: 2000,
  nTest: 5000,
  m: 32,
  steps: 8,
  eta: Infinity,
  batch: 'reuse' as Batch,
  K: 4,
  c: 2,
  readoutBiases: 2,
  memoryBudget: 1024 ** 3,
  shortcut: true,
  sim: 'auto' as Sim,
} as const;

export const TRIAL_FIELDS = {
  ...TEACHER_FIELDS,
  method: { check: (v: unknown, f: string) => checkEnum<Method>(f, v, METHODS) },
  n: { check: (v: unknown, f: string) => checkInt(f, v, 1, MAX_ROWS) },
  split: {
    default: TRIAL_DEFAULTS.split,
    check: (v: unknown, f: string) => checkNumber(f, v, 0, 1, { openLo: true, openHi: true }),
  },
  n3: { default: TRIAL_DEFAULTS.n3, check: (v: unknown, f: string) => checkInt(f, v, 1, MAX_ROWS) },
  nTest: { default: TRIAL_DEFAULTS.nTest, check: (v: unknown, f: string) => checkInt(f, v, 1, MAX_ROWS) },
  m: { default: TRIAL_DEFAULTS.m, check: (v: unknown, f: string) => checkInt(f, v, 1, 4096) },
  steps: { default: TRIAL_DEFAULTS.steps, check: (v: unknown, f: string) => checkInt(f, v, 0, 100000) },
  eta: { default: TRIAL_DEFAULTS.eta, check: checkEta },
  batch: { default: TRIAL_DEFAULTS.batch, check: (v: unknown, f: string) => checkEnum<Batch>(f, v, BATCHES) },
  K: { default: TRIAL_DEFAULTS.K, check: (v: unknown, f: string) => checkInt(f, v, 1, HERMITE_MAX_K) },
  c: { default: TRIAL_DEFAULTS.c, check: (v: unknown, f: string) => checkNumber(f, v, 0, 1e6, { openLo: true }) },
  readoutBiases: { default: TRIAL_DEFAULTS.readoutBiases, check: (v: unknown, f: string) => checkInt(f, v, 1, 64) },
  memoryBudget: {
    default: TRIAL_DEFAULTS.memoryBudget,
    check: (v: unknown, f: string) => checkInt(f, v, 1024 ** 2, 4 * 1024 ** 3),
  },
  shortcut: { default: TRIAL_DEFAULTS.shortcut, check: checkBool },
  sim: { default: TRIAL_DEFAULTS.sim, check: (v: unknown, f: string) => checkEnum<Sim>(f, v, SIMS) },
} satisfies FieldTable;

// eta = Infinity (or "inf") is the normalised-gradient limit and the default.
function checkEta(v: unknown, f: string): number {
  if (v === Infinity || (typeof v === 'string' && /^(inf|infinity)$/i.test(v.trim()))) return Infinity;
  return checkNumber(f, v, 0, Number.MAX_VALUE, { openLo: true });
}

function checkBool(v: unknown, f: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(f, v, 'true or false');
  return v;
}

/**
 * Samples per stage (DESIGN §2.2): data-driven masks give floor(split*n) to stage 1 and the rest
 * to stage 2; none, oracle and random give all of n to stage 2.
 */
export function sampleSplit(c: { method: Method; n: number; split: number }): { n1: number; n2: number } {
  if (!DATA_DRIVEN.includes(c.method)) return { n1: 0, n2: c.n };
  const n1 = Math.floor(c.split * c.n);
  return { n1, n2: c.n - n1 };
}

export type ValidTrialConfig = TrialConfig & { s: number };

/**
 * A trial config validated once, into what every later stage reads: the config itself, the
 * teacher's part of it with the parsed link (terms, k*), and the samples of each stage. Stages take
 * this value and re-validate or re-parse nothing.
 */
export interface TrialSpec {
  readonly config: ValidTrialConfig;
  /** The teacher fields of `config` (s resolved) and the parsed link. */
  readonly teacher: TeacherSpec;
  /** Samples of stage 1 and stage 2 (sampleSplit). */
  readonly n1: number;
  readonly n2: number;
}

let trialValidations = 0;
/**
 * How many trial configs this thread has validated: a diagnostic, so a test can show that a sweep
 * validates each trial once where it is planned and once where it runs.
 */
export function trialValidationCount(): number {
  return trialValidations;
}

/** Validates a trial config once: every teacher and learner field, defaults filled, cross-field rules. */
export function validateTrialSpec(input: unknown): TrialSpec {
  trialValidations++;
  const c = readFields(TRIAL_FIELDS, input, 'trial config');
  const { link } = checkTeacher(c);
  const { n1, n2 } = sampleSplit(c as { method: Method; n: number; split: number });
  if (n1 === 0 && DATA_DRIVEN.includes(c.method as Method)) {
    throw new ConfigError(
      'n',
      c.n,
      `an integer with floor(split * n) >= 1 for method ${c.method} (split = ${c.split})`,
    );
  }
  if (n2 < 1) throw new ConfigError('n', c.n, `large enough to leave at least one stage-2 sample (split = ${c.split})`);
  if (c.batch === 'fresh' && n2 < Math.max(1, c.steps as number)) {
    throw new ConfigError('n', c.n, `large enough for fresh batches: stage 2 gets ${n2} samples for ${c.steps} steps`);
  }
  if (c.sim === 'subspace' || c.sim === 'compact') {
    const refusal = c.sim === 'subspace' ? subspaceRefusal : compactRefusal;
    const why = refusal(c as unknown as Parameters<typeof refusal>[0]);
    if (why) throw new ConfigError('sim', c.sim, `"auto" or "direct" here; "${c.sim}" needs ${why}`);
  }
  const config = c as unknown as ValidTrialConfig;
  return { config, teacher: { config: teacherPart(config), link }, n1, n2 };
}

/** Validates a trial config: every teacher and learner field, defaults filled, cross-field rules. */
export function validateConfig(input: unknown): ValidTrialConfig {
  return validateTrialSpec(input).config;
}

// The teacher fields of a validated trial config (they passed the teacher's rules with it).
function teacherPart(c: ValidTrialConfig): ValidTeacherConfig {
  const { d, alpha, s, r, sparsity, entries, q, gamma, link, noise, seed } = c;
  const rest = { s, r, sparsity, entries, q, ...(gamma === undefined ? {} : { gamma }), link, noise, seed };
  return alpha === undefined ? { d, ...rest } : { d, alpha, ...rest };
}
