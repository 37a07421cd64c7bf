import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadContentOrThrow } from '../../../src/framework/infrastructure/content/content-loader.js';
import { PROJECT_ROOT } from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { createI18n } from '../../../src/shared/infrastructure/i18n/i18n.js';
import {
  csvHeaders,
  DASHBOARD_DOC,
  headerBlock,
  readHeaderBlock,
  writeHeaderBlock,
} from '../../../tools/lib/dashboard-doc.js';

describe('Unit | Teaching | docs/dashboard.md', () => {
  it('lists exactly the CSV headers the export writes, in French and in English', async () => {
    const [{ framework }, i18n] = await Promise.all([loadContentOrThrow(), createI18n()]);
    const doc = readFileSync(path.join(PROJECT_ROOT, DASHBOARD_DOC), 'utf8');
    for (const locale of ['fr', 'en'] as const) {
      const headers = csvHeaders(i18n, framework, locale);
      // 11 identity and progress columns, level and pix for each of the 16 competences, mastery.
      expect(headers).to.have.length(11 + 2 * 16 + 1);
      expect(readHeaderBlock(doc, locale), `${locale}: npx tsx tools/dashboard-doc.ts --write`).to.equal(
        headerBlock(headers),
      );
    }
    expect(csvHeaders(i18n, framework, 'fr').slice(0, 3)).to.deep.equal([
      'Cours',
      'Activité',
      "Nom de l'élève",
    ]);
  });

  it('rewrites only the block between the markers, and says when they are missing', () => {
    const doc = [
      'intro',
      '<!-- csv-headers:fr:start (generated: npx tsx tools/dashboard-doc.ts --write) -->',
      'old',
      '<!-- csv-headers:fr:end -->',
      'outro',
    ].join('\n');
    const block = headerBlock(['A', 'B']);
    const rewritten = writeHeaderBlock(doc, 'fr', block);
    expect(readHeaderBlock(rewritten, 'fr')).to.equal('```text\n1. A\n2. B\n```');
    expect(rewritten.startsWith('intro\n')).to.equal(true);
    expect(rewritten.endsWith('\noutro')).to.equal(true);
    expect(readHeaderBlock(doc, 'en')).to.equal(undefined);
    expect(() => writeHeaderBlock(doc, 'en', block)).to.throw(/no en header markers/);
  });
});
