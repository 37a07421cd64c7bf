/**
 * The activity's CSV export, after Pix Orga's profile-collection export (pix-reference §5), adapted
 * to an LTI course: one row per learner (the dashboard's rows, unfiltered, sorted by name).
 *
 * Format: UTF-8 with a BOM, `;` separator, CRLF line ends (each line, the last one included), so
 * that Excel and LibreOffice open it as is. A field holding `;`, `"`, CR or LF is quoted, quotes
 * doubled. Numbers are written as numbers ('-2', '12'); a text starting with `=`, `+`, `-`, `@`, a
 * tab or a CR gets a leading `'` so that a spreadsheet never runs it as a formula (OWASP, "CSV
 * injection"): a learner named '=HYPERLINK(…)' stays text.
 *
 * Columns (headers come translated through `labels`, so this module is language-neutral):
 *   course title; activity title; last name; first name; email; external id; status;
 *   start date and time; completion date and time; % progress; total pix;
 *   then per competence in scope: level, pix; then % mastery of the profile's skills.
 * - Names: the family and given names when the LMS sent them; when only a full name is known, it
 *   goes into the last-name column and the first name stays empty.
 * - Dates: 'YYYY-MM-DD HH:mm' in the given IANA time zone (24-hour clock).
 * - % progress: competences completed in scope / competences in scope, rounded to an integer.
 * - A learner who never launched the activity has their identity and status ('not started') only:
 *   every date, progress, pix, level and mastery cell is empty. So is a competence cell a launched
 *   learner has no data for.
 */
import type { ParticipationStatus } from './class-participant.js';
import { createRowComparator } from './dashboard.js';
import type { StudentRow } from './dashboard-model.js';

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const CSV_LINE_END = '\r\n';

/** A competence of the activity's scope, in framework order, named in the export's locale. */
export interface CsvCompetence {
  readonly code: string;
  readonly name: string;
}

export interface CsvLabels {
  readonly courseTitle: string;
  readonly activityTitle: string;
  readonly lastName: string;
  readonly firstName: string;
  readonly email: string;
  readonly externalId: string;
  readonly status: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly progress: string;
  readonly totalPix: string;
  /** "Level for competence 1.1 Searching…" */
  readonly competenceLevel: (competence: CsvCompetence) => string;
  /** "Pix for competence 1.1 Searching…" */
  readonly competencePix: (competence: CsvCompetence) => string;
  readonly mastery: string;
  readonly statuses: Readonly<Record<ParticipationStatus, string>>;
}

export interface CsvExportInput {
  readonly courseTitle?: string;
  readonly activityTitle?: string;
  readonly rows: readonly StudentRow[];
  /** The competences in scope, in framework order; cells are matched to them by code. */
  readonly competences: readonly CsvCompetence[];
  readonly labels: CsvLabels;
  /** IANA time zone of the dates, e.g. 'Europe/Paris'. */
  readonly timeZone: string;
  /** BCP 47 tag for sorting names ('fr', 'en'). */
  readonly locale: string;
}

type Cell = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;"\r\n]/;

/** One field: numbers as they are, text neutralised against formulas then quoted if needed. */
export function encodeCsvCell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot export the number ${value}`);
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function encodeLine(cells: readonly Cell[]): string {
  return cells.map(encodeCsvCell).join(CSV_SEPARATOR) + CSV_LINE_END;
}

/** The exact column headers, in order (before encoding). */
export function csvColumnHeaders(labels: CsvLabels, competences: readonly CsvCompetence[]): string[] {
  return [
    labels.courseTitle,
    labels.activityTitle,
    labels.lastName,
    labels.firstName,
    labels.email,
    labels.externalId,
    labels.status,
    labels.startedAt,
    labels.completedAt,
    labels.progress,
    labels.totalPix,
    ...competences.flatMap((competence) => [
      labels.competenceLevel(competence),
      labels.competencePix(competence),
    ]),
    labels.mastery,
  ];
}

const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const ISO_MINUTE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

/** 'YYYY-MM-DD HH:mm' in `timeZone`; RangeError for an unknown time zone. */
export function createDateTimeFormatter(timeZone: string): (date: Date) => string {
  let quick: Intl.DateTimeFormat;
  let exact: Intl.DateTimeFormat;
  try {
    // Swedish writes dates the ISO way; formatting whole strings is 3× faster than formatToParts,
    // which stays the fallback whenever the quick result does not have the expected shape.
    quick = new Intl.DateTimeFormat('sv-SE', { ...DATE_TIME_OPTIONS, timeZone });
    exact = new Intl.DateTimeFormat('en-US', { ...DATE_TIME_OPTIONS, timeZone });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}"`);
  }
  return (date) => {
    const formatted = quick.format(date);
    if (ISO_MINUTE.test(formatted)) return formatted;
    const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of exact.formatToParts(date)) parts[part.type] = part.value;
    const year = (parts.year ?? '').padStart(4, '0');
    return `${year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  };
}

function splitName(row: StudentRow): { lastName?: string; firstName?: string } {
  if (row.familyName) return { lastName: row.familyName, firstName: row.givenName };
  if (row.name) return { lastName: row.name };
  return { firstName: row.givenName };
}

export function buildCsvExport(input: CsvExportInput): string {
  const formatDate = createDateTimeFormatter(input.timeZone);
  const scopeCodes = new Set(input.competences.map((competence) => competence.code));
  const positionOfCode = new Map(
    input.competences.map((competence, position) => [competence.code, position]),
  );
  const rows = [...input.rows].sort(createRowComparator('name', 'asc', [], input.locale));

  let body = CSV_BOM + encodeLine(csvColumnHeaders(input.labels, input.competences));
  for (const row of rows) {
    const { lastName, firstName } = splitName(row);
    const launched = row.launched;
    // The row's cells follow the dashboard's columns: place them in the export's competence order.
    const cells = new Array<StudentRow['cells'][number]>(input.competences.length);
    for (const cell of row.cells) {
      const position = cell ? positionOfCode.get(cell.code) : undefined;
      if (position !== undefined) cells[position] = cell;
    }
    const statuses = row.participant?.competences ?? cells;
    let completed = 0;
    for (const competence of statuses)
      if (competence && scopeCodes.has(competence.code) && competence.status === 'completed') completed += 1;
    body += encodeLine([
      input.courseTitle,
      input.activityTitle,
      lastName,
      firstName,
      row.email,
      row.externalId,
      input.labels.statuses[row.status],
      launched && row.startedAt ? formatDate(row.startedAt) : undefined,
      launched && row.completedAt ? formatDate(row.completedAt) : undefined,
      launched ? (scopeCodes.size === 0 ? 0 : Math.round((100 * completed) / scopeCodes.size)) : undefined,
      launched ? row.pix : undefined,
      ...input.competences.flatMap((_, position) => {
        const cell = launched ? cells[position] : undefined;
        return [cell?.level, cell?.pix];
      }),
      launched ? row.masteryPercent : undefined,
    ]);
  }
  return body;
}
