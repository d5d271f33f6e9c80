// `prunelab paper`: the paper's claims as a checklist (DESIGN §2.5). It runs what each chosen claim
// needs at a tier (reusing the records already in --out: every experiment resumes from its own
// file), prints claim, prediction, measured value, interval, verdict and the command that
// reproduces it, and writes claims.json and claims.html. The full tier is a fixed grid for a
// cluster: without --shard it prints the Slurm array script that runs it, and once its records
// are in --out its verdicts replace the quick tier's.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../core/errors.js';
import { VERSION } from '../../core/version.js';
import type { TrialRecord } from '../../core/types.js';
import {
  claimResults,
  claimExperiments,
  experimentChains,
  runClaimExperiments,
  selectClaims,
} from '../../experiment/claims-run.js';
import { CLAIMS, type Experiment, TIERS, type Tier } from '../../experiment/claims.js';
import { parseShard, type Shard } from '../../experiment/sweep.js';
import { parseInteger, parseList } from '../../experiment/sweep-request.js';
import {
  checklistText,
  claimRecords,
  claimsJson,
  claimsTable,
  parseClaimsJson,
  renderClaimsHtml,
} from '../../analysis/report/claims.js';
import { prepareTrial } from '../../trial/prepare.js';
import { PESSIMISTIC_RATES, estimateSeconds } from '../../trial/cost.js';
import { WASM_SHA256 } from '../../wasm/index.js';
import { formatDuration } from '../../core/duration.js';
import { acceptBuilds, inProcessReplay } from '../builds-note.js';
import { guardedRun } from '../guarded-run.js';
import { JsonlWriter, readResults } from '../jsonl.js';
import { parseMaxHours } from '../max-hours.js';
import { createNodeTrialRunner, defaultWorkers } from '../pool-node.js';
import { lockResultsFile } from '../results-lock.js';
import { UsageError } from '../usage.js';
import type { Command } from './index.js';

const HELP = `usage: prunelab paper [--claim C1,C4] [--tier quick|full] [--out DIR] [--workers N] [--shard i/N]
                     [--max-hours H] [--evaluate] [--readme FILE]

Runs the paper's claims as a checklist (DESIGN §2.5): for each claim, the experiments it needs at the
tier, then its measurement, the interval, and a verdict by a rule fixed before any data: holds (the
interval inside the predicted range), fails (wholly outside), inconclusive (too wide, or censored).
Records go to DIR/records/<experiment>.jsonl and are reused by later runs (the designs replay their
decisions from them). Writes DIR/claims.json and DIR/claims.html.

  --claim LIST     ${CLAIMS.map((c) => c.id).join(', ')} (default: all)
  --tier T         quick (default): the whole checklist on one machine, adaptive design;
                   full: a fixed grid over larger d, for a cluster. Without --shard and without its
                   records in DIR, full prints the Slurm array script that runs it (and its size).
  --out DIR        the folder (default results/paper)
  --workers N      worker threads (default: the cores, here ${defaultWorkers()})
  --shard i/N      full tier: run only trials k with k mod N = i (one array task)
  --max-hours H    refuse any trial estimated beyond H hours (default 1; inf: no limit)
  --evaluate       run nothing: judge the claims on the records already in DIR
  --readme FILE    rewrite FILE's results table (between <!-- claims:begin --> and <!-- claims:end -->)
                   from DIR/claims.json, and run nothing`;

const OPTIONS = {
  claim: { type: 'string' },
  tier: { type: 'string' },
  out: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  'max-hours': { type: 'string' },
  evaluate: { type: 'boolean' },
  readme: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const BEGIN = '<!-- claims:begin -->',
  END = '<!-- claims:end -->';

/** FILE with the block between the claims markers replaced by `table`. */
export function withClaimsTable(readme: string, table: string): string {
  const a = readme.indexOf(BEGIN),
    b = readme.indexOf(END);
  if (a < 0 || b < a) throw new UsageError(`the file has no ${BEGIN} ... ${END} block to rewrite`);
  return `${readme.slice(0, a + BEGIN.length)}\n${table}\n${readme.slice(b)}`;
}

const recordsFile = (dir: string, e: Experiment, shard?: Shard) =>
  join(dir, 'records', shard ? `${e.name}.shard-${shard.index}-of-${shard.count}.jsonl` : `${e.name}.jsonl`);

/** Every record of an experiment in DIR: its own file and its shard files. */
function readExperiment(dir: string, e: Experiment): TrialRecord[] {
  const folder = join(dir, 'records');
  if (!existsSync(folder)) return [];
  const mine = readdirSync(folder)
    .filter((f) => f === `${e.name}.jsonl` || (f.startsWith(`${e.name}.shard-`) && f.endsWith('.jsonl')))
    .sort();
  const seen = new Set<string>();
  const out: TrialRecord[] = [];
  for (const f of mine)
    for (const r of readResults(join(folder, f), { repair: false }).records)
      if (!seen.has(r.id)) {
        seen.add(r.id);
        out.push(r);
      }
  return out;
}

/** The Slurm array script of the full tier, and what it costs at pessimistic rates. */
export function fullTierScript(claimIds: readonly string[], out: string, shards: number): string {
  const claims = selectClaims(claimIds);
  const experiments = claimExperiments(claims, 'full');
  let trials = 0,
    seconds = 0;
  // a grid chain names all its trials in its one batch
  const batches = experiments.flatMap((e) => experimentChains(e).map(({ chain }) => chain.next() ?? []));
  for (const r of batches.flat()) {
    trials++;
    seconds += estimateSeconds(prepareTrial(r).work, PESSIMISTIC_RATES);
  }
  const ids = claims.map((c) => c.id).join(',');
  return [
    '#!/bin/bash',
    `# The full tier of prunelab paper (${ids}): ${trials} trials in a fixed grid, about ${formatDuration((seconds * 1000) / 1, 'approx')}`,
    '# of one core at the pessimistic rates of the --max-hours screen (1 GFLOP/s, 2e7 normals/s; real machines are',
    '# 10-40x faster). Each array task runs every N-th trial; rerunning a task resumes it.',
    `#SBATCH --array=0-${shards - 1} --cpus-per-task=2`,
    `npx prunelab paper --tier full --claim ${ids} --out ${out} --shard $SLURM_ARRAY_TASK_ID/${shards} \\`,
    `  --workers $\{SLURM_CPUS_PER_TASK:-2} --max-hours inf`,
    `# afterwards, on any machine that sees ${out}: npx prunelab paper --tier full --claim ${ids} --out ${out} --evaluate`,
  ].join('\n');
}

export interface PaperCommandDeps {
  /** Creates what runs trials; by default worker threads running the real trial pipeline. */
  createRunner(opts: { workers: number }): ReturnType<typeof createNodeTrialRunner>;
  build: { version: string; wasmSha: string };
}

const defaultDeps: PaperCommandDeps = {
  createRunner: ({ workers }) => createNodeTrialRunner({ workers }),
  build: { version: VERSION, wasmSha: WASM_SHA256 },
};

export async function runPaperCommand(argv: string[], deps: PaperCommandDeps = defaultDeps): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const dir = values.out ?? 'results/paper';
  const err = process.stderr;
  if (values.readme !== undefined) {
    const json = join(dir, 'claims.json');
    if (!existsSync(json)) throw new UsageError(`no ${json}: run prunelab paper --out ${dir} first`);
    const table = claimsTable(parseClaimsJson(readFileSync(json, 'utf8')));
    writeFileSync(values.readme, withClaimsTable(readFileSync(values.readme, 'utf8'), table));
    err.write(`prunelab paper: rewrote the results table of ${values.readme} from ${json}\n`);
    return 0;
  }
  const ids = values.claim === undefined ? [] : parseList('claim', values.claim);
  const claims = selectClaims(ids);
  const tier = (values.tier ?? 'quick') as Tier;
  if (!TIERS.includes(tier)) throw new ConfigError('tier', tier, 'quick or full');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && tier !== 'full')
    throw new ConfigError('shard', values.shard, 'only with --tier full (the quick tier runs on one machine)');
  let workers = defaultWorkers();
  if (values.workers !== undefined) {
    workers = parseInteger('workers', values.workers);
    if (workers < 0 || workers > 1024) throw new ConfigError('workers', workers, 'an integer in [0, 1024]');
  }
  const maxHours = parseMaxHours(values['max-hours']);
  const experiments = claimExperiments(claims, tier);
  const t0 = Date.now();

  if (tier === 'full' && !shard && !values.evaluate) {
    const missing = experiments.filter((e) => readExperiment(dir, e).length === 0);
    if (missing.length) {
      process.stdout.write(`${fullTierScript(ids.length ? ids : CLAIMS.map((c) => c.id), dir, 64)}\n`);
      err.write(
        `prunelab paper: the full tier runs on a cluster: submit the script above with sbatch (its records go to ${dir}/records/); ` +
          `${missing.length} of its ${experiments.length} experiments have no records in ${dir} yet\n`,
      );
      return 0;
    }
  }

  if (!values.evaluate) {
    mkdirSync(join(dir, 'records'), { recursive: true });
    // one writer per experiment file; a second paper run on the same folder is refused by the locks
    const locks = await Promise.all(
      experiments.map((e) => lockResultsFile(recordsFile(dir, e, shard), { command: 'prunelab paper' })),
    );
    const writers = new Map<string, JsonlWriter>();
    try {
      const existing: Record<string, TrialRecord[]> = {};
      for (const e of experiments) {
        const path = recordsFile(dir, e, shard);
        const read = existsSync(path) && statSync(path).size > 0 ? readResults(path, { repair: true }) : null;
        if (read?.torn) err.write(`prunelab paper: warning: ${path} ended in a torn line; truncated it\n`);
        const recs = read?.records ?? [];
        await acceptBuilds(
          path,
          recs,
          deps.build,
          inProcessReplay(),
          (line) => err.write(`prunelab paper: ${path}: ${line}\n`),
          (why) => new UsageError(`cannot continue ${path}: ${why}; move the folder away or choose another --out`),
          'prunelab paper',
        );
        existing[e.name] = recs;
        writers.set(e.name, JsonlWriter.open(path, recs.length));
      }
      err.write(
        `prunelab paper: ${tier} tier, ${claims.map((c) => c.id).join(', ')}: ${experiments.length} experiment(s), ` +
          `${workers} worker(s)${shard ? `, shard ${shard.index}/${shard.count}` : ''} -> ${dir}\n`,
      );
      const result = await guardedRun('prunelab paper', await deps.createRunner({ workers }), maxHours, (run) =>
        runClaimExperiments(claims, {
          ...run,
          tier,
          existing,
          ...(shard ? { shard } : {}),
          onResult: (r, e) => {
            for (const l of locks) l.check();
            writers.get(e.name)!.write(r);
          },
        }),
      );
      err.write(
        `prunelab paper: ${result.trialsRun} trial(s) run, ${result.trialsResumed} reused, in ${formatDuration(Date.now() - t0)}\n`,
      );
      if (result.aborted) {
        err.write('prunelab paper: stopped before every experiment was decided; rerun the same command to continue\n');
        return 130;
      }
      if (shard) return 0; // the verdicts wait for every shard: --evaluate after the array finishes
    } finally {
      for (const w of writers.values()) w.close();
      await Promise.all(locks.map((l) => l.release()));
    }
  }

  // judge every chosen claim on whatever records DIR holds, full-tier verdicts replacing quick ones
  const all = [...new Set([...claimExperiments(claims, 'quick'), ...claimExperiments(claims, 'full')])];
  const records: Record<string, TrialRecord[]> = {};
  for (const e of all) records[e.name] = readExperiment(dir, e);
  const results = claimResults(claims, records);
  const file = { prunelab: deps.build.version, wasmSha: deps.build.wasmSha, claims: results };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'claims.json'), claimsJson(file));
  const byClaim = (id: string) => claimRecords(results.find((r) => r.id === id)!, records);
  writeFileSync(join(dir, 'claims.html'), renderClaimsHtml(file, byClaim, dir));
  process.stdout.write(
    `${checklistText(results, dir)}\n\nchecklist: ${join(dir, 'claims.json')}, ${join(dir, 'claims.html')}\n`,
  );
  return 0;
}

export const paper: Command = {
  summary: "run the paper's claims as a checklist: verdict, interval and command per claim (claims.json, claims.html)",
  run: (argv) => runPaperCommand(argv),
};
