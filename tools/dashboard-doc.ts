/**
 * npx tsx tools/dashboard-doc.ts [--write]
 *
 * Checks (or, with --write, rewrites) the CSV column headers listed in docs/dashboard.md against
 * the ones the export writes (csvColumnHeaders + locales/{fr,en}.json). Exits 1 when they differ.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadContentOrThrow } from '../src/framework/infrastructure/content/content-loader.js';
import { LOCALES } from '../src/shared/domain/locale.js';
import { PROJECT_ROOT } from '../src/shared/infrastructure/embedded-db/engine-binary.js';
import { createI18n } from '../src/shared/infrastructure/i18n/i18n.js';
import {
  csvHeaders,
  DASHBOARD_DOC,
  headerBlock,
  readHeaderBlock,
  writeHeaderBlock,
} from './lib/dashboard-doc.js';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
const file = path.join(PROJECT_ROOT, DASHBOARD_DOC);
const [{ framework }, i18n, original] = await Promise.all([
  loadContentOrThrow(),
  createI18n(),
  readFile(file, 'utf8'),
]);
let doc = original;
const stale: string[] = [];
for (const locale of LOCALES) {
  const block = headerBlock(csvHeaders(i18n, framework, locale));
  if (readHeaderBlock(doc, locale) !== block) stale.push(locale);
  doc = writeHeaderBlock(doc, locale, block);
}
if (values.write) {
  if (doc !== original) await writeFile(file, doc);
  console.log(
    stale.length > 0 ? `${DASHBOARD_DOC}: rewrote ${stale.join(', ')}` : `${DASHBOARD_DOC}: up to date`,
  );
} else if (stale.length > 0) {
  console.error(
    `${DASHBOARD_DOC}: the ${stale.join(', ')} headers differ; run npx tsx tools/dashboard-doc.ts --write`,
  );
  process.exit(1);
} else {
  console.log(`${DASHBOARD_DOC}: up to date`);
}
