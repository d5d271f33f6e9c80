// Errors crossing the pool: flattened for postMessage, rebuilt on the other side so that a
// ConfigError raised in a worker is still a ConfigError (and a CLI still exits 2 with one line).
import { ConfigError } from '../../core/errors.js';
import type { WireError } from './protocol.js';

export function toWireError(e: unknown): WireError {
  if (e instanceof Error) {
    const w: WireError = { name: e.name, message: e.message };
    if (e.stack !== undefined) w.stack = e.stack;
    if (e instanceof ConfigError) {
      w.field = e.field;
      w.allowed = e.allowed;
      w.value = cloneable(e.value);
    }
    return w;
  }
  return { name: 'Error', message: `non-Error thrown: ${String(e)}` };
}

export function fromWireError(w: WireError, where: string): Error {
  let e: Error;
  if (w.name === 'ConfigError' && w.field !== undefined) {
    e = new ConfigError(w.field, w.value, w.allowed ?? '');
    e.message = w.message;
  } else {
    e = new Error(w.message);
    e.name = w.name;
  }
  e.stack = `${w.name}: ${w.message}\n    (thrown in ${where})${w.stack ? `\n${w.stack.split('\n').slice(1).join('\n')}` : ''}`;
  return e;
}

function cloneable(v: unknown): unknown {
  try {
    return structuredClone(v);
  } catch {
    return String(v);
  }
}

/** A job could not finish because the pool was stopped or its signal fired before it started. */
export class AbortError extends Error {
  constructor(message = 'aborted') {
    super(message);
    this.name = 'AbortError';
  }
}

/** The worker running a job died (crash, out of memory, process.exit) before answering. */
export class WorkerExitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerExitError';
  }
}
