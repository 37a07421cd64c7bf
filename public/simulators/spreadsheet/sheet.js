/**
 * Spreadsheet simulator: the sheet model on top of formula.js (no DOM).
 * A sheet is { cols, rows, cells: { A1: 'raw text' } }; a raw text starting with '=' is a formula.
 */
import {
  CellError,
  ERRORS,
  FormulaSyntaxError,
  columnName,
  evaluate,
  expandRange,
  parseFormula,
  parseRef,
  refName,
  shiftFormula,
  valueText,
} from './formula.js';

export function createSheet(scenario) {
  return {
    cols: Math.min(scenario.cols ?? 6, 26),
    rows: Math.min(scenario.rows ?? 12, 99),
    cells: { ...(scenario.cells ?? {}) },
    locked: [...(scenario.locked ?? [])],
  };
}

export function isFormula(raw) {
  return typeof raw === 'string' && raw.startsWith('=') && raw.length > 1;
}

/** A typed constant: a number (decimal point or comma, optional spaces as thousands separators), else text. */
export function parseConstant(raw) {
  const text = String(raw).trim();
  if (text === '') return null;
  const numeric = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(numeric)) return Number(numeric);
  const percent = /^([+-]?(\d+(\.\d*)?|\.\d+))%$/.exec(numeric);
  if (percent) return Number(percent[1]) / 100;
  return String(raw);
}

export function setCell(sheet, name, raw) {
  const key = name.toUpperCase();
  if (sheet.locked.includes(key)) throw new RangeError(`cell ${key} is locked`);
  const cells = { ...sheet.cells };
  if (raw === '' || raw === null || raw === undefined) delete cells[key];
  else cells[key] = String(raw);
  return { ...sheet, cells };
}

/** Every cell's value: { A1: value } (numbers, text, booleans, CellError; empty cells absent). */
export function computeSheet(sheet, options = {}) {
  const values = new Map();
  const visiting = new Set();
  const parsed = new Map();
  const compute = (key) => {
    if (values.has(key)) return values.get(key);
    const raw = sheet.cells[key];
    if (raw === undefined) return null;
    if (!isFormula(raw)) {
      const constant = parseConstant(raw);
      values.set(key, constant);
      return constant;
    }
    if (visiting.has(key)) return new CellError(ERRORS.cycle);
    visiting.add(key);
    let result;
    try {
      if (!parsed.has(key)) parsed.set(key, parseFormula(raw.slice(1), options));
      result = evaluate(parsed.get(key), (col, row) => compute(refName(col, row)), options);
    } catch (error) {
      if (!(error instanceof FormulaSyntaxError)) throw error;
      result = new CellError(ERRORS.syntax);
    }
    visiting.delete(key);
    // A cell inside a cycle is an error even when reached from outside it.
    values.set(key, result);
    return result;
  };
  for (const key of Object.keys(sheet.cells)) compute(key);
  return values;
}

export function valueOf(sheet, name, options = {}) {
  const value = computeSheet(sheet, options).get(name.toUpperCase());
  return value === undefined ? null : value;
}

/** The value as shown in a cell: locale decimal separator, TRUE/FALSE or VRAI/FAUX. */
export function displayValue(value, lang = 'fr') {
  if (value === null || value === undefined) return '';
  if (value instanceof CellError) return value.code;
  if (typeof value === 'boolean') return lang === 'fr' ? (value ? 'VRAI' : 'FAUX') : value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
      maximumFractionDigits: 10,
      useGrouping: false,
    }).format(Number(value.toPrecision(12)));
  }
  return value;
}

/**
 * Copies the source cell(s) to the target range, like copy then paste: a single source cell fills
 * the whole target; a source block is repeated over it. Formulas are shifted (relative references
 * follow, $ references stay). Locked target cells are skipped.
 */
export function copyCells(sheet, sourceRange, targetRange, options = {}) {
  const sourceNames = expandRange(sourceRange);
  const targetNames = expandRange(targetRange);
  const source = sourceNames.map((name) => ({ name, ...parseRef(name) }));
  const minRow = Math.min(...source.map((cell) => cell.row));
  const minCol = Math.min(...source.map((cell) => cell.col));
  const height = Math.max(...source.map((cell) => cell.row)) - minRow + 1;
  const width = Math.max(...source.map((cell) => cell.col)) - minCol + 1;
  const cells = { ...sheet.cells };
  for (const targetName of targetNames) {
    if (sheet.locked.includes(targetName)) continue;
    const target = parseRef(targetName);
    const targetRow = Math.min(...targetNames.map((name) => parseRef(name).row));
    const targetCol = Math.min(...targetNames.map((name) => parseRef(name).col));
    const from = refName(
      minCol + ((target.col - targetCol) % width),
      minRow + ((target.row - targetRow) % height),
    );
    const raw = sheet.cells[from];
    const fromRef = parseRef(from);
    if (raw === undefined) delete cells[targetName];
    else
      cells[targetName] = isFormula(raw)
        ? shiftFormula(raw, target.row - fromRef.row, target.col - fromRef.col, options)
        : raw;
  }
  return { ...sheet, cells };
}

/**
 * The answer posted to the player for the reported cells. `report` is a range, a list of ranges, or
 * { cells, probe }: "D2=f:12.5;D3=v:4;D4=e:" — f for a formula, v for a typed value, e for empty —
 * followed by the value's canonical text (decimal point, 12 significant digits, TRUE/FALSE, error
 * codes). With `probe` (cell → raw value), "|probe:" and the same cells recomputed with those
 * inputs follow: it tells a formula that uses an input cell from one that copies its value.
 */
export function sheetAnswer(sheet, report, options = {}) {
  const spec = typeof report === 'object' && !Array.isArray(report) ? report : { cells: report };
  const ranges = Array.isArray(spec.cells) ? spec.cells : [spec.cells];
  const names = ranges.flatMap((range) => expandRange(range));
  const describe = (current) => {
    const values = computeSheet(current, options);
    return names
      .map((name) => {
        const raw = current.cells[name];
        const kind = raw === undefined ? 'e' : isFormula(raw) ? 'f' : 'v';
        const value = values.get(name);
        return `${name}=${kind}:${valueText(value === undefined ? null : value)}`;
      })
      .join(';');
  };
  let answer = describe(sheet);
  if (spec.probe) {
    const probed = { ...sheet, cells: { ...sheet.cells, ...spec.probe } };
    answer += `|probe:${describe(probed)}`;
  }
  return answer;
}

export { columnName, refName };
