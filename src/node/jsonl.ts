// JSONL result files on disk. Each record is one synchronous write of one whole line (append
// mode), so a record is either entirely in the file or was never written from this process's
// point of view; a kill -9 or power cut in the middle of a write can still leave a torn last
// line, which readResults detects and (for --resume) repairs by truncating it.
// Data is fdatasync'ed at most once a second and at close: a killed process loses nothing that
// was written (the OS has it), and a power cut loses at most the last second. A disk that fills
// up is a refused resource (exit 2) naming the records that are safe, and the partial line the
// failed write left is cut off at once.
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { parseJsonl, toJsonlLine } from '../experiment/results.js';
import type { TrialRecord } from '../core/types.js';
import { ResourceError } from '../core/errors.js';

export class JsonlWriter {
  private lastSync = Date.now();
  private closed = false;
  private written = 0;
  /** Set once the disk ran out of room: every later write is refused with it. */
  private full: ResourceError | null = null;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** Bytes of the whole lines in the file. */
    private size: number,
    /** Records the file held when opened. */
    private readonly before: number,
  ) {}

  /** Opens `path` for appending (creating it and its directory); it holds `records` records already. */
  static open(path: string, records = 0): JsonlWriter {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a');
    return new JsonlWriter(path, fd, fstatSync(fd).size, records);
  }

  write(record: TrialRecord): void {
    if (this.closed) throw new Error(`JsonlWriter: ${this.path} is closed`);
    if (this.full) throw this.full;
    const line = utf8(toJsonlLine(record));
    try {
      writeAll(this.fd, line);
    } catch (e) {
      throw this.outOfRoom(e, true);
    }
    this.size += line.length;
    this.written++;
    if (Date.now() - this.lastSync >= 1000) this.sync();
  }

  sync(): void {
    try {
      fdatasyncSync(this.fd);
    } catch (e) {
      throw this.outOfRoom(e, false);
    }
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fdatasyncSync(this.fd);
    } catch (e) {
      // a disk found full before is already being reported
      if (!this.full) throw this.outOfRoom(e, false);
    } finally {
      closeSync(this.fd);
    }
  }

  /**
   * A write or sync that failed for want of room becomes a ResourceError (bad input: exit 2, one
   * line) saying what is safe; a partial line is cut off at once (truncating needs no room), and
   * if even that fails, --resume repairs the torn line. Any other error is returned as it is.
   */
  private outOfRoom(e: unknown, inWrite: boolean): unknown {
    const code = outOfRoom(e);
    if (!code) return e;
    let tail = 'the partial last line was cut off';
    if (inWrite) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        tail = 'a partial last line is left, which --resume repairs';
      }
    } else tail = 'records written in the last second may not have reached the disk';
    const why =
      code === 'EDQUOT' ? 'the disk quota is used up' : code === 'EFBIG' ? 'the file is too large' : 'no space left';
    this.full = new ResourceError(
      'disk',
      `${why} on the disk holding ${this.path} (${code}): its ${this.before + this.written} complete records are safe ` +
        `(${this.before} from before this run, ${this.written} written by it); ${tail}; make room and rerun with --resume`,
    );
    return this.full;
  }
}

/** The code of an error that means the disk has no room left (space, quota, file size), or null. */
function outOfRoom(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' ? code : null;
}

const encoder = new TextEncoder();
function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

export interface ReadResults {
  records: TrialRecord[];
  /** A torn last line that was found (and, with repair, truncated away). */
  torn: { bytes: number; text: string } | null;
  /** A complete last record lacked its newline (with repair, the newline was added). */
  missingNewline: boolean;
}

/**
 * Reads a results file. A torn last line is reported; with `repair` the file is truncated to
 * its last complete line (and a missing final newline is added), so appending can continue.
 * Any other damage throws a ResultsFileError naming the line.
 */
export function readResults(path: string, opts: { repair?: boolean } = {}): ReadResults {
  if (!existsSync(path)) return { records: [], torn: null, missingNewline: false };
  const buf = readFileSync(path);
  const text = buf.toString('utf8');
  const parsed = parseJsonl(text, path);
  let torn: ReadResults['torn'] = null;
  if (parsed.torn) {
    const keepBytes = Buffer.byteLength(text.slice(0, parsed.torn.keep), 'utf8');
    torn = { bytes: buf.length - keepBytes, text: parsed.torn.text };
    if (opts.repair) {
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, keepBytes);
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }
  if (parsed.missingNewline && opts.repair) {
    const fd = openSync(path, 'a');
    try {
      writeAll(fd, utf8('\n'));
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return { records: parsed.records, torn, missingNewline: parsed.missingNewline };
}

/** Writes a whole file atomically: a temporary file in the same directory, synced, then renamed over `path`. */
export function writeResultsAtomic(path: string, records: readonly TrialRecord[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, utf8(records.map(toJsonlLine).join('')));
    fdatasyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    const code = outOfRoom(e);
    if (code)
      throw new ResourceError('disk', `no room to write ${path} (${code}); it is unchanged; make room and rerun`);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
