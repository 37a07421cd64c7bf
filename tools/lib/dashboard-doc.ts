/**
 * The CSV column headers listed in docs/dashboard.md, generated from the code that writes the
 * export (csvColumnHeaders) and the locale files (teaching.csv.*), so the doc cannot drift:
 * test/unit/teaching/dashboard-doc.test.ts compares the doc with them, and
 * `npx tsx tools/dashboard-doc.ts --write` rewrites the blocks.
 */
import type { Framework } from '../../src/framework/domain/models.js';
import type { Locale } from '../../src/shared/domain/locale.js';
import type { I18n } from '../../src/shared/infrastructure/i18n/i18n.js';
import { csvLabels } from '../../src/teaching/application/use-cases.js';
import { csvColumnHeaders } from '../../src/teaching/domain/csv-export.js';

export const DASHBOARD_DOC = 'docs/dashboard.md';

/** The headers of an activity covering every competence of the framework, in one language. */
export function csvHeaders(i18n: I18n, framework: Pick<Framework, 'competences'>, locale: Locale): string[] {
  const t = i18n.t(locale);
  return csvColumnHeaders(
    csvLabels(t),
    framework.competences.map((competence) => ({ code: competence.code, name: competence.name[locale] })),
  );
}

const markers = (locale: Locale) => ({
  start: `<!-- csv-headers:${locale}:start (generated: npx tsx tools/dashboard-doc.ts --write) -->`,
  end: `<!-- csv-headers:${locale}:end -->`,
});

/** The block between the markers: a fenced list, one header a line, numbered. */
export function headerBlock(headers: readonly string[]): string {
  const width = String(headers.length).length;
  const lines = headers.map((header, index) => `${String(index + 1).padStart(width, ' ')}. ${header}`);
  return ['```text', ...lines, '```'].join('\n');
}

/** The block the doc holds for this locale, or undefined when its markers are missing. */
export function readHeaderBlock(doc: string, locale: Locale): string | undefined {
  const { start, end } = markers(locale);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) return undefined;
  return doc.slice(from + start.length, to).trim();
}

/** The doc with this locale's block replaced by `block`; throws when the markers are missing. */
export function writeHeaderBlock(doc: string, locale: Locale, block: string): string {
  const { start, end } = markers(locale);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${DASHBOARD_DOC} has no ${locale} header markers`);
  return `${doc.slice(0, from + start.length)}\n\n${block}\n\n${doc.slice(to)}`;
}
