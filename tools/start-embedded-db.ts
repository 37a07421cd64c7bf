/**
 * Starts the embedded engine by hand and keeps it running until Ctrl-C, e.g. to run the test suite
 * or several app instances against one server through MONGODB_URI.
 * Usage: npm run db:start [-- --port 27017 --data-dir ./data/manual]
 */
import { parseArgs } from 'node:util';
import { startEmbeddedEngine } from '../src/shared/infrastructure/embedded-db/embedded-engine.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    'data-dir': { type: 'string', default: './data/manual' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`--port must be a whole number from 1 to 65535 (got ${JSON.stringify(values.port)})`);
  process.exit(1);
}
const engine = await startEmbeddedEngine({
  port,
  dataDir: values['data-dir'] ?? './data/manual',
  progress: (message) => console.log(message),
});
console.log(`Embedded database listening; data in ${engine.dataDir}`);
console.log(`Use it with: MONGODB_URI=${engine.uriFor('pix-lti')}`);
console.log('Press Ctrl-C to stop.');
const stop = () => {
  void engine.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
