// Results files that hold records of another build (DESIGN §3, "Compatible builds"), on disk:
// the one decision `sweep --resume`, `prunelab start` and `merge` share (judgeBuilds), and the
// note of what was checked, `<file>.builds.json`, beside the file.
//
// The note is a sidecar rather than a header record so the JSONL stays one trial record per line
// (DESIGN §4): fit, report, merge, older prunelab versions and anyone's own script read it as
// before. It is provenance, not a key: acceptance never depends on it (every resume or merge
// replays again), so a file copied without its note loses nothing but the history.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { TrialRecord } from '../core/types.js';
import {
  type Build,
  type BuildCheck,
  type BuildVerdict,
  type Replay,
  checkBuilds,
  describeBuild,
  recordsByBuild,
  sameBuild,
} from '../experiment/build-compat.js';
import { formatDuration } from '../core/duration.js';
import { createLab, type Lab, type TrialInput } from '../trial/lab.js';
import { trialInputOf } from '../trial/record.js';

export const buildsNoteOf = (path: string): string => `${path}.builds.json`;

/** One check as the note keeps it: when, and by which command. */
export type NotedCheck = BuildCheck & { at: string; command: string };

export interface BuildsNote {
  about: string;
  checks: NotedCheck[];
}

const ABOUT =
  'builds whose records this results file holds beside those of the build that wrote them, and how each was checked compatible (DESIGN §3)';

/** The note beside `path`, or null when there is none or it cannot be read (it is only history). */
export function readBuildsNote(path: string): BuildsNote | null {
  try {
    const note = JSON.parse(readFileSync(buildsNoteOf(path), 'utf8')) as BuildsNote;
    return Array.isArray(note.checks) ? note : null;
  } catch {
    return null;
  }
}

/**
 * Writes the note beside `path` for the file's `records`: `checks` (newest last) and, with
 * `keep`, the checks already noted, each kept only while the file still holds records of the build
 * it checked, and once per (checking build, checked build). No check left: no note.
 */
export function writeBuildsNote(
  path: string,
  records: readonly TrialRecord[],
  checks: readonly NotedCheck[],
  opts: { keep: boolean },
): void {
  const present = recordsByBuild(records).map((g) => g.build);
  const all = [...(opts.keep ? (readBuildsNote(path)?.checks ?? []) : []), ...checks];
  const kept: NotedCheck[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const c = all[i]!;
    if (!present.some((b) => sameBuild(b, c.of))) continue;
    if (kept.some((k) => sameBuild(k.by, c.by) && sameBuild(k.of, c.of))) continue;
    kept.unshift(c);
  }
  const note = buildsNoteOf(path);
  if (kept.length === 0) {
    rmSync(note, { force: true });
    return;
  }
  const tmp = `${note}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ about: ABOUT, checks: kept } satisfies BuildsNote, null, 2)}\n`);
  renameSync(tmp, note);
}

/** Moves the note with its results file (a note left at `to` would describe the wrong file). */
export function moveBuildsNote(from: string, to: string): void {
  if (existsSync(buildsNoteOf(from))) renameSync(buildsNoteOf(from), buildsNoteOf(to));
  else rmSync(buildsNoteOf(to), { force: true });
}

/** Replays trials on a lab in this thread, created on the first replay. */
export function inProcessReplay(): Replay {
  let lab: Promise<Lab> | null = null;
  return async (rc) => (await (lab ??= createLab())).trial(trialInputOf(rc) as TrialInput);
}

const verdicts = new Map<string, Promise<BuildVerdict>>();

/**
 * The one rule for records of another build: checkBuilds (a sample of each other build's trials
 * replayed byte for byte). `say` hears a line before each build's replays. The verdict is kept for
 * the same records and build, so `prunelab start` deciding and its sweep resuming replay once.
 */
export function judgeBuilds(
  records: readonly TrialRecord[],
  build: Build,
  replay: Replay,
  say: (line: string) => void,
): Promise<BuildVerdict> {
  const key = createHash('sha256')
    .update(`${build.version}\n${build.wasmSha}\n`)
    .update(records.map((r) => JSON.stringify(r)).join('\n'))
    .digest('hex');
  let v = verdicts.get(key);
  if (!v) {
    v = checkBuilds(records, build, replay, {
      onReplay: (of, sample, est) =>
        say(
          `${records.filter((r) => sameBuild(r, of)).length} record(s) were made by ${describeBuild(of)} and this is ` +
            `${describeBuild(build)}: replaying ${sample.length} of its trials to compare (cost model: ${formatDuration(est * 1000, 'approx')})`,
        ),
    });
    verdicts.set(key, v);
  }
  return v;
}

/** One line for an accepted check. */
export function describeCheck(c: BuildCheck): string {
  return (
    `${c.records} record(s) of ${describeBuild(c.of)} accepted: ${c.replayed.length} of its trials replayed ` +
    `byte for byte by this build in ${formatDuration(c.seconds * 1000, 'approx')}`
  );
}

/** The part of a refusal that says what differs. */
export function describeRefusal(v: Extract<BuildVerdict, { ok: false }>, build: Build): string {
  return (
    `${v.records} of its ${v.total} records were made by ${describeBuild(v.of)}, and this is ${describeBuild(build)}; ` +
    `${v.reason}`
  );
}

/**
 * `sweep --resume`: accepts the records of `path` or throws an Error for the caller to word as a
 * refusal, and notes the checks beside the file.
 */
export async function acceptBuilds(
  path: string,
  records: readonly TrialRecord[],
  build: Build,
  replay: Replay,
  say: (line: string) => void,
  refuse: (why: string) => Error,
  command: string,
): Promise<void> {
  const v = await judgeBuilds(records, build, replay, say);
  if (!v.ok) throw refuse(describeRefusal(v, build));
  const at = new Date().toISOString();
  for (const c of v.checks) say(`${describeCheck(c)} (noted in ${buildsNoteOf(path)})`);
  try {
    writeBuildsNote(
      path,
      records,
      v.checks.map((c) => ({ ...c, at, command })),
      { keep: true },
    );
  } catch (e) {
    // the note is history, not a key: a disk too full for it need not stop the sweep here
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw e;
    say(`warning: no room to note the check in ${buildsNoteOf(path)} (${code})`);
  }
}
