/**
 * The workbook model shared by the .xlsx and .ods builders, read from a spec:
 *
 *   sheets:
 *     - name: Orders
 *       widths: [12, 24, 10]          column widths, in characters
 *       header: true                  first row in bold (and frozen with freeze: true)
 *       freeze: true
 *       autoFilter: true              filter buttons on the first row (xlsx)
 *       formats: { C: '0.00' }        number format of whole columns
 *       rows:
 *         - [Date, Customer, Amount]
 *         - [{ d: 2024-03-01 }, Dupont, 12.5]
 *         - [null, Total, '=SUM(C2:C9)']
 *       cells: { F1: 0.2 }            cells outside the rows
 *       merges: [A1:C1]
 *
 * A cell is a number, a text, true/false, null (empty), a formula ("=…", computed by the
 * generator), `{ d: date }`, `{ t: text }` (text even if it looks like a number or a formula), or
 * `{ v: value, fmt, bold, fill, note }` for a formatted cell.
 */
import { Evaluator, parseRef, refOf, type Value } from './formula.js';
import { dateOf, isRecord, list, record, str, type ResolvedSpec } from './spec.js';

export interface CellModel {
  readonly ref: string;
  readonly row: number;
  readonly column: number;
  /** The formula without "=", when the cell has one. */
  readonly formula?: string;
  /** The value shown (the formula's result for a formula). */
  readonly value: Value;
  readonly fmt?: string;
  readonly bold?: boolean;
  /** Background colour, RRGGBB. */
  readonly fill?: string;
  readonly note?: string;
}

export interface SheetModel {
  readonly name: string;
  readonly widths: readonly number[];
  readonly header: boolean;
  readonly freeze: boolean;
  readonly autoFilter: boolean;
  readonly merges: readonly string[];
  /** Rows of cells (undefined for empty cells), from row 1. */
  readonly rows: readonly (readonly (CellModel | undefined)[])[];
}

interface RawCell {
  raw: Value;
  fmt?: string;
  bold?: boolean;
  fill?: string;
  note?: string;
  forcedText?: boolean;
}

function rawCell(input: unknown, where: string): RawCell | undefined {
  if (input === null || input === undefined) return undefined;
  if (typeof input === 'number' || typeof input === 'boolean') return { raw: input };
  if (typeof input === 'string') return { raw: input };
  if (input instanceof Date) return { raw: input };
  if (isRecord(input)) {
    if ('d' in input)
      return { raw: dateOf(input.d, where), fmt: typeof input.fmt === 'string' ? input.fmt : undefined };
    if ('t' in input) return { raw: str(input.t, where), forcedText: true };
    const inner = rawCell(input.v, where) ?? { raw: null };
    return {
      ...inner,
      ...(typeof input.fmt === 'string' ? { fmt: input.fmt } : {}),
      ...(input.bold === true ? { bold: true } : {}),
      ...(typeof input.fill === 'string' ? { fill: input.fill } : {}),
      ...(typeof input.note === 'string' ? { note: input.note } : {}),
    };
  }
  throw new Error(`${where}: unsupported cell ${JSON.stringify(input)}`);
}

export function readWorkbook(spec: ResolvedSpec): SheetModel[] {
  const sheetSpecs = list(spec.sheets, 'sheets').map((s, i) => record(s, `sheets[${i}]`));
  const grids = new Map<string, Map<string, RawCell>>();
  for (const sheet of sheetSpecs) {
    const name = str(sheet.name, 'sheet name');
    const grid = new Map<string, RawCell>();
    list(sheet.rows, `${name}.rows`).forEach((row, r) => {
      list(row, `${name}.rows[${r}]`).forEach((input, c) => {
        const cell = rawCell(input, `${name}!${refOf(r + 1, c + 1)}`);
        if (cell) grid.set(refOf(r + 1, c + 1), cell);
      });
    });
    for (const [ref, input] of Object.entries(record(sheet.cells, `${name}.cells`))) {
      parseRef(ref);
      const cell = rawCell(input, `${name}!${ref}`);
      if (cell) grid.set(ref, cell);
    }
    grids.set(name, grid);
  }
  const evaluator = new Evaluator({
    get: (sheet, ref) => {
      const grid = grids.get(sheet);
      if (!grid) throw new Error(`unknown sheet "${sheet}"`);
      const cell = grid.get(ref);
      if (!cell) return undefined;
      // A text that looks like a formula must not be computed as one.
      return cell.forcedText && typeof cell.raw === 'string' && cell.raw.startsWith('=')
        ? `'${cell.raw}`
        : cell.raw;
    },
  });

  return sheetSpecs.map((sheet) => {
    const name = str(sheet.name, 'sheet name');
    const grid = grids.get(name)!;
    const formats = record(sheet.formats, `${name}.formats`);
    const rows: (CellModel | undefined)[][] = [];
    for (const [ref, cell] of grid) {
      const [row, column] = parseRef(ref);
      const isFormula = !cell.forcedText && typeof cell.raw === 'string' && cell.raw.startsWith('=');
      const value = isFormula ? evaluator.valueOf(name, ref) : cell.raw;
      const columnFormat = formats[ref.replace(/\d+$/, '')];
      const fmt =
        cell.fmt ??
        (typeof columnFormat === 'string' && row > (sheet.header ? 1 : 0) ? columnFormat : undefined);
      const model: CellModel = {
        ref,
        row,
        column,
        ...(isFormula ? { formula: (cell.raw as string).slice(1) } : {}),
        value,
        ...(fmt ? { fmt } : {}),
        ...(cell.bold || (sheet.header === true && row === 1) ? { bold: true } : {}),
        ...(cell.fill ? { fill: cell.fill } : {}),
        ...(cell.note ? { note: cell.note } : {}),
      };
      while (rows.length < row) rows.push([]);
      const line = rows[row - 1]!;
      while (line.length < column) line.push(undefined);
      line[column - 1] = model;
    }
    return {
      name,
      widths: list(sheet.widths, `${name}.widths`).map(Number),
      header: sheet.header === true,
      freeze: sheet.freeze === true,
      autoFilter: sheet.autoFilter === true,
      merges: list(sheet.merges, `${name}.merges`).map((m) => str(m, 'merge')),
      rows,
    };
  });
}

/** The widest row of a sheet. */
export const columnCount = (sheet: SheetModel): number => Math.max(0, ...sheet.rows.map((row) => row.length));
