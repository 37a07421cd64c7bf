/**
 * Builds the embedded FerretDB binary into .tools/bin/ (git-ignored), or confirms that the cached
 * one matches tools/ferretdb. Usage: npm run db:build [-- --force]
 */
import {
  EmbeddedEngineUnavailableError,
  ensureEngineBinary,
  isBinaryUpToDate,
} from '../src/shared/infrastructure/embedded-db/engine-binary.js';

const force = process.argv.includes('--force');
const started = Date.now();
try {
  const upToDate = !force && (await isBinaryUpToDate());
  const binary = await ensureEngineBinary({ force, progress: (message) => console.log(message) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    upToDate ? `Embedded database is up to date (${binary}).` : `Embedded database ready in ${seconds} s.`,
  );
} catch (error) {
  console.error(error instanceof EmbeddedEngineUnavailableError ? error.message : error);
  process.exit(1);
}
