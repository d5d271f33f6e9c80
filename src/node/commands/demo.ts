// `prunelab demo`: serves the browser demo page (dist/web/) on 127.0.0.1; see src/node/demo-server.ts.
import { runDemoServer } from '../demo-server.js';
import type { Command } from './index.js';

export const demo: Command = {
  summary: 'serve the browser demo page on 127.0.0.1 (COOP/COEP, Node built-ins only)',
  run: (argv) => runDemoServer(argv),
};
