/**
 * Compiles every EJS view once, at start-up, into EJS's own cache (the one Express's
 * `view cache` uses: compiled functions keyed by file name, includes too). Outside development,
 * the first learner after a restart then gets the same page times as the next ones, instead of
 * paying for parsing and compiling each template and partial on the way.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';

/** Returns how many views were compiled. A view that does not compile fails the start-up. */
export async function precompileViews(viewsDir: string): Promise<number> {
  const files = (await readdir(viewsDir, { recursive: true, encoding: 'utf8' }))
    .filter((file) => file.endsWith('.ejs'))
    .map((file) => path.join(viewsDir, file));
  for (const filename of files) {
    const template = await readFile(filename, 'utf8');
    ejs.cache.set(filename, ejs.compile(template, { filename }));
  }
  return files.length;
}
