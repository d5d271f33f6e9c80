// JSONL result files on disk. Each record is one synchronous write of one whole line (append
// mode), so a record is either entirely in the file or was never written from this process's
// point of view; a kill -9 or power cut in the middle of a write can still leave a torn last
// line, which readResults detects and (for --resume) repairs by truncating it.
// Data is fdatasync'ed at most once a second and at close: a killed process loses nothing that
// was written (the OS has it), and a power cut loses at most the last second.
import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { parseJsonl, toJsonlLine } from '../experiment/results.js';
import type { TrialRecord } from '../core/types.js';

export class JsonlWriter {
  private lastSync = Date.now();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens `path` for appending (creating it and its directory). */
  static open(path: string): JsonlWriter {
    mkdirSync(dirname(path), { recursive: true });
    return new JsonlWriter(path, openSync(path, 'a'));
  }

  write(record: TrialRecord): void {
    if (this.closed) throw new Error(`JsonlWriter: ${this.path} is closed`);
    writeAll(this.fd, utf8(toJsonlLine(record)));
    if (Date.now() - this.lastSync >= 1000) this.sync();
  }

  sync(): void {
    fdatasyncSync(this.fd);
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fdatasyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
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
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
