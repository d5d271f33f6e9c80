// The library's entry object: one wasm instance per lab (the compiled module is shared), inputs
// validated before any wasm call, outputs returned as copies, the arena reset after every call.
import { ConfigError, checkInt, show } from '../core/errors.js';
import { MAX_SEED } from './config.js';
import { makeTeacher, sampleRows, type Teacher } from './teacher.js';
import { streamKey } from './streams.js';
import { MemoryLimitError, WASM32_MAX_BYTES, loadWasm, type Wasm } from '../wasm/index.js';
import { runTrial } from './pipeline.js';
import type { TrialProgressListener } from './progress.js';
import { trialInputOf } from './record.js';
import { trialId, prepareTrial, type PreparedTrial } from './prepare.js';
import type { TeacherConfig, LinkTerm, TrialConfig, TrialRecord } from '../core/types.js';
import type { Helpers } from '../kernels/helpers.js';

export { prepareTrial, trialId, trialInputOf, type PreparedTrial };

/** Teacher input: every field but d, link and one of alpha / s has a default. */
export type TeacherInput = Partial<TeacherConfig> & { d: number; link: string | LinkTerm[] };

export interface SampleOptions {
  /** Rows to draw. */
  n: number;
  /** Seed of the `sample` stream (the data do not depend on the teacher's seed). */
  seed: number;
  /** Sorted distinct coordinates to return as columns of X; all d when omitted. */
  coords?: ArrayLike<number>;
}

export interface Sample {
  /** n x coords.length (or n x d) row-major. */
  X: Float32Array;
  y: Float32Array;
}

export interface Lab {
  /** SHA-256 of the wasm bytes; results carry it. */
  readonly wasmSha: string;
  /** The instance, for the low-level kernel wrappers. */
  readonly wasm: Wasm;
  teacher(config: TeacherInput): Teacher;
  sample(teacher: Teacher, options: SampleOptions): Sample;
  /**
   * Runs one trial (DESIGN §2.2) and returns its record. Every field but d, alpha|s, link, method
   * and n has a default. A trial already prepared (prepareTrial) is not validated again.
   */
  trial(config: TrialInput | PreparedTrial, options?: TrialOptions): TrialRecord;
}

export interface TrialOptions {
  /** Called as the trial goes with its stage and the fraction of its estimated work done. */
  onProgress?: TrialProgressListener;
}

/** Trial input: the teacher fields plus the learner's; see TRIAL_DEFAULTS in config.ts. */
export type TrialInput = Partial<TrialConfig> & {
  d: number;
  link: string | LinkTerm[];
  method: TrialConfig['method'];
  n: number;
};

export async function createLab(): Promise<Lab> {
  return createLabOn(await loadWasm(), null);
}

/** A lab over an instance, optionally with helper threads for its trials (src/node/threads.ts). */
export function createLabOn(w: Wasm, helpers: Helpers | null): Lab {
  return {
    wasmSha: w.sha,
    wasm: w,
    teacher: (config) => w.scoped(() => makeTeacher(w, config)),
    sample: (teacher, options) => sample(w, teacher, options),
    trial: (config, options) => runTrial(w, config, helpers, options?.onProgress),
  };
}

const SAMPLE_KEYS = ['n', 'seed', 'coords'];

function sample(w: Wasm, teacher: Teacher, options: SampleOptions): Sample {
  checkTeacher(teacher);
  if (typeof options !== 'object' || options === null)
    throw new ConfigError('options', options, 'an object {n, seed, coords?}');
  for (const k of Object.keys(options)) {
    if (!SAMPLE_KEYS.includes(k))
      throw new ConfigError(
        k,
        (options as unknown as Record<string, unknown>)[k],
        `a sample option (${SAMPLE_KEYS.join(', ')})`,
        'unknown field',
      );
  }
  const n = checkInt('n', options.n, 1, 0x7fffffff);
  const seed = checkInt('seed', options.seed, 0, MAX_SEED);
  const coords = options.coords === undefined ? null : checkCoords(options.coords, teacher.d);
  const nc = coords ? coords.length : teacher.d;
  // X and y, the noise, the projections and the id lists; refused before anything is allocated
  const bytes = n * nc * 4 + n * 8 + n * teacher.r * 8 + (teacher.rows.length * (teacher.r + 2) + nc) * 4 + 4096;
  if (bytes + w.used() >= WASM32_MAX_BYTES) throw new MemoryLimitError(bytes, `a sample of ${n} x ${nc}`);
  return w.scoped(() => {
    const x = w.allocF32(n * nc, `X (${n} x ${nc})`);
    const y = w.allocF32(n, 'y');
    const c = coords ? { ptr: w.put(coords), n: nc } : { base: 0, n: nc };
    sampleRows(w, teacher, streamKey(seed, 'sample'), 0, n, c, x, nc, y);
    return { X: w.copyF32(x, n * nc), y: w.copyF32(y, n) };
  });
}

function checkCoords(v: unknown, d: number): Uint32Array {
  const allowed = `a sorted list of distinct integer coordinates in [0, ${d - 1}]`;
  if (!(Array.isArray(v) || ArrayBuffer.isView(v))) throw new ConfigError('coords', v, allowed);
  const list = v as ArrayLike<unknown>;
  const out = new Uint32Array(list.length);
  for (let j = 0; j < list.length; j++) {
    const c = list[j];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= d)
      throw new ConfigError('coords', v, allowed, `entry ${j} is ${show(c)}`);
    if (j > 0 && c <= out[j - 1]!) throw new ConfigError('coords', v, allowed, `entry ${j} (${c}) does not increase`);
    out[j] = c;
  }
  return out;
}

function checkTeacher(t: unknown): asserts t is Teacher {
  const x = t as Partial<Teacher> | null;
  const ok =
    typeof x === 'object' &&
    x !== null &&
    Number.isInteger(x.d) &&
    Number.isInteger(x.r) &&
    x.Vrows instanceof Float32Array &&
    x.rows instanceof Int32Array &&
    Array.isArray(x.terms) &&
    x.Vrows.length === x.rows.length * x.r! &&
    typeof x.config === 'object';
  if (!ok) throw new ConfigError('teacher', t, 'a teacher made by lab.teacher()');
}
