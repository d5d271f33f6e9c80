// `prunelab trial`: one trial (DESIGN §2.2), printed as a readable summary or one JSON record.
// Flags map one-to-one onto config fields; every value is handed to prepareTrial, so a bad value
// is reported by the same ConfigError (field, value, what is allowed) the API raises.
import { parseArgs } from 'node:util';
import { TRIAL_DEFAULTS } from '../../trial/config.js';
import { trialInputOf } from '../../trial/record.js';
import { createLab, prepareTrial, type PreparedTrial } from '../../trial/lab.js';
import { checkCompute, measureRates } from '../../trial/cost.js';
import { checkMemory } from '../../trial/memory.js';
import { parseMaxHours } from '../max-hours.js';
import { type ProgressMode, TrialProgressLine } from '../trial-progress.js';
import { ConfigError } from '../../core/errors.js';
import type { TrialConfig, TrialRecord } from '../../core/types.js';
import type { Command } from './index.js';
import { ALIGN_SUCCESS, SUCCESS_REL_MSE } from '../../core/rules.js';

// flag -> config field; numeric fields are parsed leniently here and validated strictly later
const FIELDS = {
  d: 'd',
  alpha: 'alpha',
  s: 's',
  r: 'r',
  sparsity: 'sparsity',
  entries: 'entries',
  q: 'q',
  gamma: 'gamma',
  link: 'link',
  noise: 'noise',
  method: 'method',
  n: 'n',
  seed: 'seed',
  split: 'split',
  n3: 'n3',
  'n-test': 'nTest',
  m: 'm',
  steps: 'steps',
  eta: 'eta',
  batch: 'batch',
  sim: 'sim',
  K: 'K',
  c: 'c',
  'readout-biases': 'readoutBiases',
  'memory-budget': 'memoryBudget',
} as const;
const STRING_FIELDS = new Set(['sparsity', 'entries', 'link', 'method', 'batch', 'sim']);

const OPTIONS = {
  ...Object.fromEntries(Object.keys(FIELDS).map((f) => [f, { type: 'string' as const }])),
  'no-shortcut': { type: 'boolean' },
  'max-hours': { type: 'string' },
  progress: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `usage: prunelab trial --d D (--alpha A | --s S) --link LINK --method METHOD --n N [flags]

Runs one trial: stage 1 picks a mask from n1 samples, stage 2 trains the first layer by masked
spherical GD on n2 samples, stage 3 fits a ridge readout and scores a test set (DESIGN §2.2).

teacher
  --d D              input dimension
  --alpha A          support size s = round(d^A), A in (0, 1]      (or --s S)
  --r R              number of directions (default 1)
  --sparsity exact|lq|soft   --entries flat|gaussian   --q Q (lq and soft, default 0.5)
  --gamma G          soft only: tail exponent of v_i ~ min(1, (i/(c s))^-G), in (1/q, 16] (default 3/(2q))
  --link LINK        he2, he3, he2+he3, 0.8*he2+0.6*he4, sum-he2, prod2
  --noise TAU        label noise sd (default 0.1)
  --seed SEED        one seed for teacher, mask, init and data (default 1)
learner
  --method M         none | oracle | random | hermite | hermite-thr | gradmag
  --n N              sample budget of stages 1 and 2
  --split F          stage-1 share for data-driven masks (default ${TRIAL_DEFAULTS.split})
  --m M              neurons (default ${TRIAL_DEFAULTS.m})    --steps T (default ${TRIAL_DEFAULTS.steps})
  --eta ETA          step size, inf = normalised gradient (default inf)
  --batch reuse|fresh (default reuse)
  --sim auto|direct|subspace|compact   exact simulations of none on fresh batches in a subspace: in
                     span(V, W) (compact, DESIGN §2.2c, needs d >= r + 2m) or in the span of V and every
                     step's directions (subspace, §2.2b, needs d >= r + m(T+1)); auto (default) takes
                     compact where d >= 2(r + 2m), direct below
  --K K  --c C       hermite degrees and hermite-thr threshold constant (defaults ${TRIAL_DEFAULTS.K}, ${TRIAL_DEFAULTS.c})
  --n3 N3  --n-test NT  --readout-biases R   stage-3 sizes (defaults ${TRIAL_DEFAULTS.n3}, ${TRIAL_DEFAULTS.nTest}, ${TRIAL_DEFAULTS.readoutBiases})
execution (never changes a result)
  --max-hours H      refuse (exit 2) a trial estimated to take longer than H hours (default 1; inf: no limit);
                     the estimate is its FLOP and sample counts at kernel rates measured on this machine
  --memory-budget BYTES   rows kept in memory up to this size, regenerated beyond (default 1 GiB)
  --no-shortcut      sample all d coordinates instead of only those the net reads (slow; same bytes)
output
  --json             print the JSON record (one line) instead of a summary
  --progress auto|always|never   the stage, percent and ETA on stderr (auto, the default: only for a
                     trial still running after 3 s; a line per 10% when stderr is not a terminal)`;

function value(field: string, text: string): unknown {
  if (STRING_FIELDS.has(field)) return text;
  const t = text.trim();
  const pow = /^2\^(\d+)$/.exec(t);
  if (pow) return 2 ** Number(pow[1]);
  const v = Number(t);
  // a non-numeric value goes to validation as the string the user typed, which it names
  return t === '' || (Number.isNaN(v) && !/^nan$/i.test(t)) ? text : v;
}

export function parseTrialFlags(argv: string[]): {
  config: Record<string, unknown>;
  json: boolean;
  help: boolean;
  maxHours: number;
  progress: ProgressMode;
} {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  const config: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(FIELDS)) {
    const v = (values as Record<string, string | undefined>)[flag];
    if (v !== undefined) config[field] = value(field, v);
  }
  if (values['no-shortcut']) config.shortcut = false;
  return {
    config,
    json: values.json === true,
    help: values.help === true,
    maxHours: parseMaxHours(values['max-hours']),
    progress: parseProgressMode(values.progress),
  };
}

/**
 * The `prunelab trial` flags that run `request`, the inverse of parseTrialFlags: every field of its
 * recorded config (defaults filled in, s or alpha as given, the link in its canonical form) and
 * its execution options, so the process that runs them makes the record whose id the caller
 * computed, whatever that process's defaults. Values are written `--flag=value`, so a negative
 * number is not read as a flag.
 */
export function trialFlags(request: Partial<TrialConfig> | PreparedTrial): string[] {
  const { spec, recorded } = prepareTrial(request);
  const input: Record<string, unknown> = {
    ...trialInputOf(recorded),
    memoryBudget: spec.config.memoryBudget,
  };
  const argv: string[] = [];
  for (const [field, v] of Object.entries(input)) {
    const flag = FLAG_OF.get(field);
    // a recorded field without a flag would be dropped silently, and the step would run another trial
    if (flag === undefined) throw new Error(`trialFlags: the config field ${field} has no prunelab trial flag`);
    argv.push(`--${flag}=${v === Infinity ? 'inf' : String(v)}`);
  }
  if (!spec.config.shortcut) argv.push('--no-shortcut');
  return argv;
}

const FLAG_OF = new Map<string, string>(Object.entries(FIELDS).map(([flag, field]) => [field, flag]));

function parseProgressMode(text: string | undefined): ProgressMode {
  if (text === undefined) return 'auto';
  if (text === 'auto' || text === 'always' || text === 'never') return text;
  throw new ConfigError('progress', text, 'auto, always or never');
}

const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));

export function summarise(r: TrialRecord): string {
  const c = r.config,
    m = r.metrics;
  const verdict = r.diverged
    ? `DIVERGED in ${r.diverged}`
    : r.success
      ? `SUCCESS (relMse < ${SUCCESS_REL_MSE})`
      : `FAILURE (relMse >= ${SUCCESS_REL_MSE})`;
  return [
    `trial ${r.id}  ${verdict}`,
    `  teacher  d=${c.d} s=${c.s}${c.alpha !== null ? ` (alpha=${c.alpha})` : ''} r=${c.r} ${c.sparsity}${c.q !== null ? ` q=${c.q}` : ''}${c.gamma !== undefined ? ` gamma=${c.gamma}` : ''} link=${c.link} k*=${c.kStar} noise=${c.noise} seed=${c.seed}`,
    `  learner  ${c.method}: n=${c.n} (n1=${c.n1}, n2=${c.n2}), n3=${c.n3}, test=${c.nTest}, m=${c.m}, T=${c.steps}, eta=${c.eta}, ${c.batch}, sim ${c.sim}`,
    `  mask     |M|=${m.maskSize}  recall=${fmt(m.supportRecall, 2)}  precision=${fmt(m.supportPrecision, 3)}${m.massInMask !== undefined ? `  mass in mask=${fmt(m.massInMask, 4)}` : ''}${m.participationRatio !== undefined ? `  PR(V)=${fmt(m.participationRatio, 2)}` : ''}`,
    `  result   relMse=${fmt(m.relMse, 4)}  alignment max=${fmt(m.alignMax)} median=${fmt(m.alignMedian)}${r.alignSuccess ? ` (> ${ALIGN_SUCCESS})` : ''}`,
    `  time     mask ${fmt(r.timings.maskMs / 1000, 2)} s, first layer ${fmt(r.timings.firstLayerMs / 1000, 2)} s, readout ${fmt(r.timings.readoutMs / 1000, 2)} s`,
    `  build    prunelab ${r.version}, wasm ${r.wasmSha.slice(0, 12)}`,
  ].join('\n');
}

export const trial: Command = {
  summary: 'run one trial and print its summary or JSON record',
  async run(argv) {
    const flags = parseTrialFlags(argv);
    if (flags.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    // resources are refused before anything runs: memory beyond wasm32 first, then compute
    const trial = prepareTrial(flags.config);
    checkMemory(trial);
    const lab = await createLab();
    checkCompute(trial, flags.maxHours, (shape) => measureRates(lab.wasm, shape));
    const line = new TrialProgressLine(flags.progress);
    const record = lab.trial(trial, { onProgress: line.update });
    line.finish();
    process.stdout.write(flags.json ? `${JSON.stringify(record)}\n` : `${summarise(record)}\n`);
    return 0;
  },
};
