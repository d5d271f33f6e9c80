// The worker side of the pool protocol, transport-agnostic. A transport entry (Node:
// src/node/pool-worker.ts; browsers: a Web Worker entry) wraps its port and calls serveWorker
// with the tasks it ships.
import { toWireError } from './errors.js';
import { PROTOCOL_VERSION, type FromWorker, type TaskFn, type TaskRegistry, type ToWorker } from './protocol.js';

/** The worker's end of the channel. */
export interface WorkerPort {
  post(msg: FromWorker): void;
  listen(handler: (msg: ToWorker) => void): void;
}

/** Resolves a task by name: the shipped registry first, then the `tasks` export of `module` (if given). */
export async function resolveTask(
  registry: TaskRegistry,
  task: string,
  module?: string,
): Promise<TaskRegistry[string]> {
  let tasks = registry;
  if (module !== undefined) {
    const mod = (await import(module)) as { tasks?: TaskRegistry };
    if (!mod.tasks || typeof mod.tasks !== 'object') throw new Error(`pool: module ${module} has no \`tasks\` export`);
    tasks = { ...registry, ...mod.tasks };
  }
  const factory = Object.hasOwn(tasks, task) ? tasks[task] : undefined;
  if (typeof factory !== 'function')
    throw new Error(
      `pool: unknown task ${JSON.stringify(task)}; this worker has ${Object.keys(tasks).join(', ') || 'none'}`,
    );
  return factory;
}

export function serveWorker(port: WorkerPort, registry: TaskRegistry): void {
  let fn: TaskFn | undefined;
  // Messages are handled strictly in arrival order, one at a time.
  let chain: Promise<void> = Promise.resolve();
  port.listen((msg) => {
    chain = chain.then(() => handle(msg));
  });

  async function handle(msg: ToWorker): Promise<void> {
    if (msg.type === 'init') {
      try {
        if (msg.version !== PROTOCOL_VERSION)
          throw new Error(
            `pool: protocol version ${msg.version} from the parent, this worker speaks ${PROTOCOL_VERSION}`,
          );
        const factory = await resolveTask(registry, msg.task, msg.module);
        fn = await factory(msg.options);
        port.post({ type: 'ready', version: PROTOCOL_VERSION, task: msg.task });
      } catch (e) {
        port.post({ type: 'error', job: null, error: toWireError(e) });
      }
      return;
    }
    if (msg.type === 'run') {
      const job = msg.job;
      try {
        if (!fn) throw new Error('pool: run before a successful init');
        const output = await fn(msg.input, { progress: (info) => port.post({ type: 'progress', job, info }) });
        port.post({ type: 'result', job, output });
      } catch (e) {
        port.post({ type: 'error', job, error: toWireError(e) });
      }
      return;
    }
    port.post({
      type: 'error',
      job: null,
      error: toWireError(new Error(`pool: unknown message ${JSON.stringify((msg as { type?: unknown }).type)}`)),
    });
  }
}
