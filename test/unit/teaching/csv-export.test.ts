import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import {
  buildCsvExport,
  createDateTimeFormatter,
  csvColumnHeaders,
  encodeCsvCell,
  type CsvCompetence,
  type CsvExportInput,
  type CsvLabels,
} from '../../../src/teaching/domain/csv-export.js';
import { buildDashboard } from '../../../src/teaching/domain/dashboard.js';
import type { StudentRow } from '../../../src/teaching/domain/dashboard-model.js';
import type { ClassParticipant, CourseMember } from '../../../src/teaching/domain/class-participant.js';
import { alice, bob, competences, dan, dashboardInput, member, participant, roster } from './fixtures.js';

const LABELS: CsvLabels = {
  courseTitle: 'Course',
  activityTitle: 'Activity',
  lastName: 'Last name',
  firstName: 'First name',
  email: 'Email',
  externalId: 'External id',
  status: 'Status',
  startedAt: 'Start date and time',
  completedAt: 'Completion date and time',
  progress: '% progress',
  totalPix: 'Total pix',
  competenceLevel: (competence) => `Level for competence ${competence.code} ${competence.name}`,
  competencePix: (competence) => `Pix for competence ${competence.code} ${competence.name}`,
  mastery: "% mastery of the profile's skills",
  statuses: { 'not-started': 'Not started', 'in-progress': 'In progress', completed: 'Completed' },
};

const CSV_COMPETENCES: readonly CsvCompetence[] = [
  { code: '1.1', name: 'Mener une recherche' },
  { code: '1.2', name: 'Gérer des données' },
  { code: '2.1', name: 'Interagir' },
];

const EXPECTED_HEADERS = [
  'Course',
  'Activity',
  'Last name',
  'First name',
  'Email',
  'External id',
  'Status',
  'Start date and time',
  'Completion date and time',
  '% progress',
  'Total pix',
  'Level for competence 1.1 Mener une recherche',
  'Pix for competence 1.1 Mener une recherche',
  'Level for competence 1.2 Gérer des données',
  'Pix for competence 1.2 Gérer des données',
  'Level for competence 2.1 Interagir',
  'Pix for competence 2.1 Interagir',
  "% mastery of the profile's skills",
];

function rowsOf(
  participants: readonly ClassParticipant[],
  members: readonly CourseMember[] = [],
): StudentRow[] {
  return [...buildDashboard(dashboardInput({ participants, roster: members })).rows];
}

function exportOf(rows: readonly StudentRow[], overrides: Partial<CsvExportInput> = {}): string {
  return buildCsvExport({
    courseTitle: 'Maths 101',
    activityTitle: 'Positioning',
    rows,
    competences: CSV_COMPETENCES,
    labels: LABELS,
    timeZone: 'Europe/Paris',
    locale: 'fr',
    ...overrides,
  });
}

/** The raw lines, BOM removed; fails on a bare LF or CR outside the line ends. */
function linesOf(body: string): string[] {
  expect(body.endsWith('\r\n')).to.equal(true);
  const lines = body.slice(1, -2).split('\r\n');
  for (const line of lines) expect(line).not.to.match(/[\r\n]/);
  return lines;
}

describe('Unit | Teaching | CSV export', () => {
  const classRows = rowsOf([alice, bob, dan], roster);

  it('lists the exact column headers', () => {
    expect(csvColumnHeaders(LABELS, CSV_COMPETENCES)).to.deep.equal(EXPECTED_HEADERS);
  });

  it('starts with a UTF-8 BOM, separates with ";" and ends every line with CRLF', () => {
    const body = exportOf(classRows);
    expect(body.charCodeAt(0)).to.equal(0xfeff);
    expect(Buffer.from(body, 'utf8').subarray(0, 3)).to.deep.equal(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = linesOf(body);
    expect(lines[0]).to.equal(EXPECTED_HEADERS.join(';'));
    expect(lines).to.have.length(1 + 4);
  });

  it('writes one row per learner, sorted by name, with known values', () => {
    const lines = linesOf(exportOf(classRows));
    expect(lines.slice(1)).to.deep.equal([
      // Roster given and family names; Paris is UTC+1 in February; 3 of 3 competences completed.
      'Maths 101;Positioning;Martin;Alice;alice@lms.example;STU-001;Completed;2026-02-02 09:01;2026-02-03 10:30;100;50;2;17;1;8;3;25;69',
      'Maths 101;Positioning;Durand;Bob;bob@launch.example;;In progress;2026-02-04 11:00;;0;17;0;4;0;3;1;10;23',
      // Never launched: identity and status only.
      'Maths 101;Positioning;Bernard;Chloé;;;Not started;;;;;;;;;;;',
      // Launched, not started; only a full name is known, so it goes into the last name.
      'Maths 101;Positioning;Dan Petit;;;;Not started;;;0;0;0;0;0;0;0;0;0',
    ]);
  });

  it("rounds the progress: competences completed in scope over the scope's competences", () => {
    const fay = participant('u-fay', {
      familyName: 'Faure',
      status: 'in-progress',
      competences: competences([16, 2, 'completed'], [8, 1, 'in-progress'], [0, 0, 'not-started']),
    });
    const lines = linesOf(exportOf(rowsOf([fay])));
    expect(lines[1]?.split(';')[9]).to.equal('33');
  });

  it('sorts the rows by name with the locale, whatever the order given', () => {
    const names = ['Zoé', 'émile', 'Dan', 'Éa', 'adam'];
    const rows = rowsOf(names.map((name, index) => participant(`u-${index}`, { name })));
    const lastNames = (ordered: readonly StudentRow[]) =>
      linesOf(exportOf(ordered))
        .slice(1)
        .map((line) => line.split(';')[2]);
    expect(lastNames(rows)).to.deep.equal(['adam', 'Dan', 'Éa', 'émile', 'Zoé']);
    expect(lastNames([...rows].reverse())).to.deep.equal(['adam', 'Dan', 'Éa', 'émile', 'Zoé']);
  });

  it("follows the export's competence order, matching cells by code", () => {
    const reversed = [...CSV_COMPETENCES].reverse();
    const lines = linesOf(exportOf(rowsOf([alice]), { competences: reversed }));
    expect(lines[0]?.split(';').slice(11, 13)).to.deep.equal([
      'Level for competence 2.1 Interagir',
      'Pix for competence 2.1 Interagir',
    ]);
    expect(lines[1]?.split(';').slice(11)).to.deep.equal(['3', '25', '1', '8', '2', '17', '69']);
    // Only the competences given are exported, and the progress counts only those.
    const one = linesOf(exportOf(rowsOf([bob]), { competences: [{ code: '2.1', name: 'Interagir' }] }));
    expect(one[1]?.split(';').slice(9)).to.deep.equal(['0', '17', '1', '10', '23']);
    const completedOne = linesOf(
      exportOf(rowsOf([alice]), { competences: [{ code: '2.1', name: 'Interagir' }] }),
    );
    expect(completedOne[1]?.split(';')[9]).to.equal('100'); // 1 of 1, not 3 of 1
  });

  describe('cells', () => {
    it('quotes fields holding ";", quotes, CR or LF, doubling the quotes', () => {
      expect(encodeCsvCell('a;b')).to.equal('"a;b"');
      expect(encodeCsvCell('say "hi"')).to.equal('"say ""hi"""');
      expect(encodeCsvCell('two\nlines')).to.equal('"two\nlines"');
      expect(encodeCsvCell('a\rb')).to.equal('"a\rb"');
      expect(encodeCsvCell('plain, text')).to.equal('plain, text');
      expect(encodeCsvCell(undefined)).to.equal('');
    });

    it('neutralises text that a spreadsheet would run as a formula', () => {
      expect(encodeCsvCell('=HYPERLINK("http://evil.example";"click")')).to.equal(
        '"\'=HYPERLINK(""http://evil.example"";""click"")"',
      );
      expect(encodeCsvCell('+33 6 12')).to.equal("'+33 6 12");
      expect(encodeCsvCell('-2')).to.equal("'-2");
      expect(encodeCsvCell('@SUM(A1)')).to.equal("'@SUM(A1)");
      expect(encodeCsvCell('\tx')).to.equal("'\tx");
      expect(encodeCsvCell('\rx')).to.equal('"\'\rx"');
      expect(encodeCsvCell('a=b')).to.equal('a=b');
    });

    it('writes numbers as numbers, never prefixed', () => {
      expect(encodeCsvCell(-2)).to.equal('-2');
      expect(encodeCsvCell(0)).to.equal('0');
      expect(encodeCsvCell(12.5)).to.equal('12.5');
      expect(() => encodeCsvCell(Number.NaN)).to.throw(RangeError);
    });

    it("neutralises a learner's name, email and external id in the file", () => {
      const evil = participant('u-evil', {
        name: '=HYPERLINK("http://evil.example";"click")',
        email: '@evil.example',
        externalId: '-2',
      });
      const lines = linesOf(
        exportOf(rowsOf([evil]), { courseTitle: '+Course', activityTitle: 'A "quoted"; title' }),
      );
      expect(lines[1]).to.equal(
        '\'+Course;"A ""quoted""; title";"\'=HYPERLINK(""http://evil.example"";""click"")";;\'@evil.example;\'-2;Not started;;;0;0;0;0;0;0;0;0;0',
      );
    });
  });

  describe('dates', () => {
    const paris = createDateTimeFormatter('Europe/Paris');

    it('formats YYYY-MM-DD HH:mm in the time zone, across daylight saving time', () => {
      expect(paris(new Date('2026-03-29T00:30:00Z'))).to.equal('2026-03-29 01:30'); // CET, UTC+1
      expect(paris(new Date('2026-03-29T01:30:00Z'))).to.equal('2026-03-29 03:30'); // CEST, UTC+2
      expect(paris(new Date('2026-10-25T00:30:00Z'))).to.equal('2026-10-25 02:30'); // CEST
      expect(paris(new Date('2026-10-25T01:30:00Z'))).to.equal('2026-10-25 02:30'); // CET again
      expect(paris(new Date('2026-12-31T23:05:00Z'))).to.equal('2027-01-01 00:05'); // h23: never "24:05"
      expect(createDateTimeFormatter('America/New_York')(new Date('2026-03-29T01:30:00Z'))).to.equal(
        '2026-03-28 21:30',
      );
    });

    it('pads years before 1000 (the fallback path)', () => {
      expect(createDateTimeFormatter('UTC')(new Date('0099-05-01T10:00:00Z'))).to.equal('0099-05-01 10:00');
    });

    it('refuses an unknown time zone', () => {
      expect(() => createDateTimeFormatter('Mars/Olympus')).to.throw(RangeError, /Mars\/Olympus/);
    });

    it('writes the start and completion dates of a row in the time zone', () => {
      const dst = participant('u-dst', {
        name: 'Dst',
        status: 'completed',
        startedAt: new Date('2026-03-29T00:30:00Z'),
        completedAt: new Date('2026-03-29T01:30:00Z'),
      });
      const cells = linesOf(exportOf(rowsOf([dst])))[1]?.split(';');
      expect(cells?.slice(7, 9)).to.deep.equal(['2026-03-29 01:30', '2026-03-29 03:30']);
    });
  });

  it('parses back with csv-parse: headers, BOM handled, a row of known values', () => {
    const body = exportOf(classRows, { courseTitle: 'Maths; "group A"\r\nmorning' });
    const records = parse(body, { delimiter: ';', bom: true, record_delimiter: '\r\n' }) as string[][];
    expect(records[0]).to.deep.equal(EXPECTED_HEADERS);
    expect(records).to.have.length(5);
    expect(records.every((record) => record.length === EXPECTED_HEADERS.length)).to.equal(true);
    const aliceRecord = records.find((record) => record[2] === 'Martin');
    expect(aliceRecord).to.deep.equal([
      'Maths; "group A"\r\nmorning',
      'Positioning',
      'Martin',
      'Alice',
      'alice@lms.example',
      'STU-001',
      'Completed',
      '2026-02-02 09:01',
      '2026-02-03 10:30',
      '100',
      '50',
      '2',
      '17',
      '1',
      '8',
      '3',
      '25',
      '69',
    ]);
    const chloe = records.find((record) => record[2] === 'Bernard');
    expect(chloe?.slice(7)).to.deep.equal(new Array(11).fill(''));
  });

  it('exports a class with no competence in scope and no learner', () => {
    expect(exportOf([], { competences: [] })).to.equal(
      `\uFEFF${EXPECTED_HEADERS.slice(0, 11)
        .concat(EXPECTED_HEADERS[17] ?? '')
        .join(';')}\r\n`,
    );
    expect(linesOf(exportOf(rowsOf([], [member('u-1', { name: 'Solo' })]), { competences: [] }))[1]).to.equal(
      'Maths 101;Positioning;Solo;;;;Not started;;;;;',
    );
  });
});
