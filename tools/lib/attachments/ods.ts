/** .ods spreadsheets, written from their XML parts (same spec as .xlsx, see sheets.ts). */
import { FormulaError, columnName, parseRef, toOpenFormula, type Value } from './formula.js';
import { ODF_NAMESPACES, odfMeta, odfPackage, xml } from './odf.js';
import { columnCount, readWorkbook, type CellModel } from './sheets.js';
import type { ResolvedSpec } from './spec.js';

const MEDIA_TYPE = 'application/vnd.oasis.opendocument.spreadsheet';

/** The data style of a number format, and how its value is shown. */
function dataStyle(fmt: string | undefined, value: Value): { name?: string; shown: string } {
  const decimals = (pattern: string) => /0[.,](0+)/.exec(pattern)?.[1]?.length ?? 0;
  if (value instanceof Date) {
    const d = value;
    const pad = (n: number) => String(n).padStart(2, '0');
    return {
      name: 'N_date',
      shown: `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`,
    };
  }
  if (typeof value !== 'number') return { shown: value === null ? '' : String(value) };
  if (fmt?.includes('%')) {
    const n = decimals(fmt);
    return { name: `N_pct${n}`, shown: `${(value * 100).toFixed(n).replace('.', ',')} %` };
  }
  if (fmt?.includes('€')) return { name: 'N_eur', shown: `${value.toFixed(2).replace('.', ',')} €` };
  if (fmt) {
    const n = decimals(fmt);
    return { name: `N_dec${n}`, shown: value.toFixed(n).replace('.', ',') };
  }
  return { shown: String(Math.round(value * 1e9) / 1e9).replace('.', ',') };
}

const DATA_STYLES: Record<string, string> = {
  N_date:
    '<number:date-style style:name="N_date"><number:day number:style="long"/><number:text>/</number:text>' +
    '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>',
  N_eur:
    '<number:number-style style:name="N_eur"><number:number number:decimal-places="2" number:min-decimal-places="2" ' +
    'number:min-integer-digits="1" number:grouping="true"/><number:text> €</number:text></number:number-style>',
};
for (let n = 0; n <= 4; n++) {
  DATA_STYLES[`N_dec${n}`] =
    `<number:number-style style:name="N_dec${n}"><number:number number:decimal-places="${n}" ` +
    `number:min-decimal-places="${n}" number:min-integer-digits="1" number:grouping="true"/></number:number-style>`;
  DATA_STYLES[`N_pct${n}`] =
    `<number:percentage-style style:name="N_pct${n}"><number:number number:decimal-places="${n}" ` +
    `number:min-decimal-places="${n}" number:min-integer-digits="1"/><number:text> %</number:text></number:percentage-style>`;
}

export async function buildOds(spec: ResolvedSpec): Promise<Buffer> {
  const meta = odfMeta(spec);
  const sheets = readWorkbook(spec);
  const cellStyles = new Map<string, string>();
  const usedData = new Set<string>();
  const columnStyles = new Map<number, string>();

  const styleOf = (cell: CellModel, data: string | undefined): string | undefined => {
    if (!data && !cell.bold && !cell.fill) return undefined;
    const key = `${data ?? ''}|${cell.bold ? 'b' : ''}|${cell.fill ?? ''}`;
    let name = cellStyles.get(key);
    if (!name) {
      name = `ce${cellStyles.size + 1}`;
      cellStyles.set(key, name);
      if (data) usedData.add(data);
    }
    return name;
  };

  const cellXml = (cell: CellModel | undefined): string => {
    if (!cell) return '<table:table-cell/>';
    const { name: data, shown } = dataStyle(cell.fmt, cell.value);
    const style = styleOf(cell, data);
    const attributes: string[] = [];
    if (style) attributes.push(`table:style-name="${style}"`);
    if (cell.formula !== undefined) attributes.push(`table:formula="${xml(toOpenFormula(cell.formula))}"`);
    const value = cell.value;
    if (value instanceof FormulaError) {
      attributes.push('office:value-type="string"', 'office:string-value=""', 'calcext:value-type="error"');
    } else if (value instanceof Date) {
      attributes.push('office:value-type="date"', `office:date-value="${value.toISOString().slice(0, 10)}"`);
    } else if (typeof value === 'number') {
      const type = cell.fmt?.includes('%') ? 'percentage' : 'float';
      attributes.push(`office:value-type="${type}"`, `office:value="${value}"`);
    } else if (typeof value === 'boolean') {
      attributes.push('office:value-type="boolean"', `office:boolean-value="${value}"`);
    } else if (value !== null) {
      attributes.push('office:value-type="string"');
    }
    const note = cell.note ? `<office:annotation><text:p>${xml(cell.note)}</text:p></office:annotation>` : '';
    const text = value instanceof FormulaError ? value.code : shown;
    return `<table:table-cell ${attributes.join(' ')}>${note}${text === '' ? '' : `<text:p>${xml(text)}</text:p>`}</table:table-cell>`;
  };

  const tables = sheets.map((sheet) => {
    const width = columnCount(sheet);
    const covered = new Set<string>();
    const spans = new Map<string, [number, number]>();
    for (const range of sheet.merges) {
      const [from, to] = range.split(':') as [string, string];
      const [r1, c1] = parseRef(from);
      const [r2, c2] = parseRef(to);
      spans.set(from, [r2 - r1 + 1, c2 - c1 + 1]);
      for (let r = r1; r <= r2; r++)
        for (let c = c1; c <= c2; c++) if (r !== r1 || c !== c1) covered.add(`${r}:${c}`);
    }
    const columns: string[] = [];
    for (let c = 0; c < width; c++) {
      const chars = sheet.widths[c] ?? 10;
      let name = columnStyles.get(chars);
      if (!name) {
        name = `co${columnStyles.size + 1}`;
        columnStyles.set(chars, name);
      }
      columns.push(`<table:table-column table:style-name="${name}"/>`);
    }
    const rows = sheet.rows.map((row, r) => {
      const cells: string[] = [];
      for (let c = 0; c < width; c++) {
        if (covered.has(`${r + 1}:${c + 1}`)) {
          cells.push('<table:covered-table-cell/>');
          continue;
        }
        let cellText = cellXml(row[c]);
        const span = spans.get(`${columnName(c + 1)}${r + 1}`);
        if (span) {
          cellText = cellText.replace(
            /^<table:table-cell/,
            `<table:table-cell table:number-rows-spanned="${span[0]}" table:number-columns-spanned="${span[1]}"`,
          );
        }
        cells.push(cellText);
      }
      return `<table:table-row>${cells.join('')}</table:table-row>`;
    });
    return {
      xml: `<table:table table:name="${xml(sheet.name)}">${columns.join('')}${rows.join('')}</table:table>`,
      filter: sheet.autoFilter
        ? `<table:database-range table:name="__Anonymous_Sheet_DB__${sheets.indexOf(sheet)}" ` +
          `table:target-range-address="'${xml(sheet.name)}'.A1:'${xml(sheet.name)}'.${columnName(width)}${sheet.rows.length}" ` +
          'table:display-filter-buttons="true"/>'
        : '',
    };
  });

  const automatic = [
    ...[...columnStyles].map(
      ([chars, name]) =>
        `<style:style style:name="${name}" style:family="table-column"><style:table-column-properties ` +
        `fo:break-before="auto" style:column-width="${(chars * 0.19 + 0.1).toFixed(2)}cm"/></style:style>`,
    ),
    ...[...usedData].map((name) => DATA_STYLES[name]!),
    ...[...cellStyles].map(([key, name]) => {
      const [data, bold, fill] = key.split('|');
      return (
        `<style:style style:name="${name}" style:family="table-cell" style:parent-style-name="Default"` +
        `${data ? ` style:data-style-name="${data}"` : ''}>` +
        (fill ? `<style:table-cell-properties fo:background-color="#${fill}"/>` : '') +
        (bold ? '<style:text-properties fo:font-weight="bold"/>' : '') +
        '</style:style>'
      );
    }),
  ];
  const filters = tables.map((t) => t.filter).join('');
  const calcext = 'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"';
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-content ${ODF_NAMESPACES} ${calcext} office:version="1.3">` +
    `<office:automatic-styles>${automatic.join('')}</office:automatic-styles>` +
    '<office:body><office:spreadsheet>' +
    tables.map((t) => t.xml).join('') +
    (filters ? `<table:database-ranges>${filters}</table:database-ranges>` : '') +
    '</office:spreadsheet></office:body></office:document-content>';
  const styles =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-styles ${ODF_NAMESPACES} office:version="1.3"><office:styles>` +
    '<style:default-style style:family="table-cell"><style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"/></style:default-style>' +
    '<style:style style:name="Default" style:family="table-cell"/>' +
    '</office:styles></office:document-styles>';
  return odfPackage(
    MEDIA_TYPE,
    { 'content.xml': content, 'styles.xml': styles, 'meta.xml': meta.xml },
    meta.modified,
  );
}
