// The browser entry (dist/web/prunelab.browser.js, the package's `browser` export): the same API
// as the Node entry, plus the Web Worker pool. The wasm is embedded, so nothing is fetched but the
// worker bundle, and only when a pool with workers starts.
export * from '../index.js';
export {
  createWebPool,
  createWebTrialRunner,
  spawnWebWorker,
  defaultWebWorkers,
  webWorkersAvailable,
  isolation,
  WORKER_FILE,
  type WebPoolOptions,
  type WebTrialRunner,
} from './pool-web.js';
export { PrunelabExperiment, defineExperimentElement } from './element.js';
import { defineExperimentElement } from './element.js';
defineExperimentElement();
