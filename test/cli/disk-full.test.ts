// A sweep whose --out fills its disk (issue 22): exit 2 with one line saying how many records are
// safe, only whole lines left in the file, and --resume completes the sweep once there is room.
// The disk is a real 16 KiB tmpfs where this process may mount one (root with CAP_SYS_ADMIN, as
// in CI); elsewhere the sweep child fails its writes at 12 KiB the way a full disk does
// (PRUNELAB_TEST_DISK_BYTES, test/helpers/sweep-child.ts): a short write, then ENOSPC. The test's
// name says which ran.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SWEEP_CHILD, canon, lines } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'prunelab-disk-'));
const small = join(dir, 'small');
mkdirSync(small);
const mount = (args: string[]) => spawnSync('mount', args, { encoding: 'utf8' }).status === 0;
// PRUNELAB_TEST_NO_MOUNT=1 runs the fallback where mounting works too
const REAL = !process.env.PRUNELAB_TEST_NO_MOUNT && mount(['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', small]);
const MODE = REAL ? 'a 16 KiB tmpfs' : 'writes failing at 12 KiB';

const ARGS = ['--preset', 'separation', '--design', 'search', '--d', '256,1024', '--seeds', '3', '--workers', '2'];
function sweep(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [SWEEP_CHILD, ...ARGS, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, PRUNELAB_FAKE_MS: '1', ...env },
  });
  return { code: r.status, err: r.stderr };
}

test(`a full disk (${MODE}): exit 2, one line with the records that are safe; --resume completes the sweep`, () => {
  const whole = join(dir, 'whole.jsonl');
  assert.is(sweep(['--out', whole]).code, 0);
  const out = join(small, 'full.jsonl');
  const full = sweep(['--out', out], REAL ? {} : { PRUNELAB_TEST_DISK_BYTES: String(12 * 1024) });
  const said = full.err.split('\n').filter((l) => l && !/^prunelab sweep separation: /.test(l));
  assert.is(full.code, 2, full.err);
  assert.is(said.length, 1, full.err);
  assert.not.match(full.err, /internal error|\n\s+at /);
  const m =
    /^prunelab sweep: no space left on the disk holding .*full\.jsonl \(ENOSPC\): its (\d+) complete records are safe \(0 from before this run, (\d+) written by it\); the partial last line was cut off; make room and rerun with --resume$/.exec(
      said[0]!,
    );
  assert.ok(m, said[0]);
  const safe = Number(m![1]);
  assert.is(Number(m![2]), safe);
  assert.ok(safe >= 5 && safe < canon(whole).length, `${safe} of ${canon(whole).length}`);
  const text = readFileSync(out, 'utf8');
  assert.ok(text.endsWith('\n'), 'no torn last line');
  assert.is(lines(out).length, safe);
  for (const l of lines(out)) JSON.parse(l);
  // make room, then resume
  if (REAL) assert.ok(mount(['-o', 'remount,size=1m', small]), 'remount');
  const r = sweep(['--out', out, '--resume']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`${safe} reused`));
  assert.equal(canon(out), canon(whole));
});

test.after(() => {
  if (REAL) spawnSync('umount', ['-l', small]);
  rmSync(dir, { recursive: true, force: true });
});
test.run();
