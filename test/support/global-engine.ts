import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  startEmbeddedEngine,
  type EmbeddedEngine,
} from '../../src/shared/infrastructure/embedded-db/embedded-engine.js';
import { serverPartOf, setTestDatabaseBaseUri } from './database.js';

/**
 * Mocha global fixture for the integration and acceptance levels. With MONGODB_URI set, tests use
 * that server (each test file in a database of its own); otherwise the embedded engine starts on a
 * free loopback port with its data in a fresh temporary folder, removed afterwards.
 */
let engine: EmbeddedEngine | undefined;
let dataDir: string | undefined;

export async function mochaGlobalSetup() {
  const external = process.env.MONGODB_URI;
  if (external) {
    setTestDatabaseBaseUri(serverPartOf(external));
    process.stdout.write(`  (tests use the MongoDB server at MONGODB_URI)\n`);
    return;
  }
  dataDir = await mkdtemp(path.join(tmpdir(), 'pix-lti-test-db-'));
  engine = await startEmbeddedEngine({
    dataDir,
    progress: (message) => process.stdout.write(`  ${message}\n`),
  });
  setTestDatabaseBaseUri(engine.baseUri);
  process.stdout.write(`  (tests use the embedded engine on port ${engine.port}, data in ${dataDir})\n`);
}

export async function mochaGlobalTeardown() {
  await engine?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
