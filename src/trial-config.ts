// Defaults and validation of the learner fields of a trial (DESIGN §2.2). The teacher fields are
// validated by config.ts; validateConfig there combines both.
import { ConfigError, checkEnum, checkInt, checkNumber } from './errors.js';
import type { Batch, Method, TrialConfig } from './types.js';

export const METHODS: readonly Method[] = ['none', 'oracle', 'random', 'hermite', 'hermite-thr', 'gradmag'];
export const BATCHES: readonly Batch[] = ['reuse', 'fresh'];
/** Methods that spend part of n on a data-driven stage 1. */
export const DATA_DRIVEN: readonly Method[] = ['hermite', 'hermite-thr', 'gradmag'];

export type LearnerFields = Omit<TrialConfig, keyof import('./types.js').TeacherConfig>;

export const LEARNER_DEFAULTS: Omit<LearnerFields, 'method' | 'n'> = {
  split: 0.5,
  n3: 2000,
  nTest: 5000,
  m: 32,
  steps: 8,
  eta: Infinity,
  batch: 'reuse',
  K: 4,
  c: 2,
  readoutBiases: 2,
  memoryBudget: 1024 ** 3,
  shortcut: true,
};

export const LEARNER_FIELDS = ['method', 'n', ...Object.keys(LEARNER_DEFAULTS)] as readonly string[];

const MAX_ROWS = 2 ** 31 - 1;

/** Checks every learner field of `input` (already merged with defaults); returns the typed fields. */
export function validateLearnerFields(input: Record<string, unknown>): LearnerFields {
  if (input.method === undefined) throw new ConfigError('method', undefined, `one of ${METHODS.join(', ')}`);
  const method = checkEnum('method', input.method, METHODS);
  if (input.n === undefined) throw new ConfigError('n', undefined, `an integer in [2, ${MAX_ROWS}]`);
  const n = checkInt('n', input.n, 1, MAX_ROWS);
  const split = checkNumber('split', input.split, 0, 1, { openLo: true, openHi: true });
  const eta = input.eta === Infinity || input.eta === 'inf' ? Infinity : checkNumber('eta', input.eta, 0, Number.MAX_VALUE, { openLo: true });
  const fields: LearnerFields = {
    method, n, split,
    n3: checkInt('n3', input.n3, 1, MAX_ROWS),
    nTest: checkInt('nTest', input.nTest, 1, MAX_ROWS),
    m: checkInt('m', input.m, 1, 4096),
    steps: checkInt('steps', input.steps, 0, 100000),
    eta,
    batch: checkEnum('batch', input.batch, BATCHES),
    K: checkInt('K', input.K, 1, 12),
    c: checkNumber('c', input.c, 0, 1e6, { openLo: true }),
    readoutBiases: checkInt('readoutBiases', input.readoutBiases, 1, 64),
    memoryBudget: checkInt('memoryBudget', input.memoryBudget, 1024 ** 2, 4 * 1024 ** 3),
    shortcut: checkBool('shortcut', input.shortcut),
  };
  const { n1, n2 } = sampleSplit(fields);
  if (n1 === 0 && DATA_DRIVEN.includes(method)) throw new ConfigError('n', n, `large enough that split*n >= 1 for method ${method}`);
  if (n2 < 1) throw new ConfigError('n', n, `large enough to leave at least one stage-2 sample (split=${split})`);
  if (fields.batch === 'fresh' && n2 < Math.max(1, fields.steps)) {
    throw new ConfigError('n', n, `large enough for fresh batches: stage 2 gets ${n2} samples for ${fields.steps} steps`);
  }
  return fields;
}

function checkBool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(field, v, 'true or false');
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
