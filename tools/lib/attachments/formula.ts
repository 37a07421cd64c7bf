/**
 * A small spreadsheet formula evaluator, so that the specs of .xlsx and .ods files only write
 * formulas and the generator stores their results (the values a spreadsheet shows before it
 * recalculates). It covers what the challenges use: arithmetic, comparisons, text joins, cell and
 * range references (also to other sheets), and SUM, AVERAGE, MIN, MAX, COUNT, COUNTA, COUNTIF,
 * COUNTIFS, SUMIF, SUMIFS, AVERAGEIF, IF, AND, OR, ROUND, ABS, VLOOKUP, INDEX, MATCH, DATE.
 */

export class FormulaError {
  constructor(readonly code: '#DIV/0!' | '#N/A' | '#VALUE!' | '#REF!' | '#NAME?') {}
  toString(): string {
    return this.code;
  }
}

export type Value = number | string | boolean | Date | null | FormulaError;

interface Range {
  readonly kind: 'range';
  readonly rows: Value[][];
}
type Evaluated = Value | Range;

/** The cells of a workbook: a formula is a string starting with "=". */
export interface Cells {
  /** The raw content of a cell, or undefined when empty. */
  get(sheet: string, ref: string): Value | undefined;
}

const MS_PER_DAY = 86_400_000;
const EPOCH = Date.UTC(1899, 11, 30);
export const serialOf = (date: Date): number => (date.getTime() - EPOCH) / MS_PER_DAY;
export const dateOfSerial = (serial: number): Date => new Date(EPOCH + serial * MS_PER_DAY);

/** "C12" → [row 12, column 3] (both from 1). */
export function parseRef(ref: string): [number, number] {
  const match = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(ref);
  if (!match) throw new Error(`invalid cell reference "${ref}"`);
  let column = 0;
  for (const letter of match[1]!) column = column * 26 + (letter.charCodeAt(0) - 64);
  return [Number(match[2]), column];
}

export function columnName(column: number): string {
  let name = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  }
  return name;
}

export const refOf = (row: number, column: number): string => `${columnName(column)}${row}`;

// ---------------------------------------------------------------------------------------------
// Tokens and syntax tree
// ---------------------------------------------------------------------------------------------

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'ref'; sheet: string | undefined; ref: string }
  | { t: 'name'; v: string }
  | { t: 'op'; v: string };

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|"((?:[^"]|"")*)"|(?:'((?:[^']|'')+)'|([A-Za-z_][\w.]*))!(\$?[A-Z]{1,3}\$?\d+)|(\$?[A-Z]{1,3}\$?\d+)(?![\w(])|([A-Za-z_][\w.]*)|(<>|<=|>=|[-+*/^&=<>():,;]))/y;

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < formula.length) {
    if (/^\s*$/.test(formula.slice(index))) break;
    TOKEN.lastIndex = index;
    const m = TOKEN.exec(formula);
    if (!m) throw new Error(`cannot read formula "${formula}" at "${formula.slice(index)}"`);
    index = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ t: 'str', v: m[2].replace(/""/g, '"') });
    else if (m[5] !== undefined)
      tokens.push({ t: 'ref', sheet: m[3]?.replace(/''/g, "'") ?? m[4], ref: m[5] });
    else if (m[6] !== undefined) tokens.push({ t: 'ref', sheet: undefined, ref: m[6] });
    else if (m[7] !== undefined) tokens.push({ t: 'name', v: m[7].toUpperCase() });
    else tokens.push({ t: 'op', v: m[8] === ';' ? ',' : m[8]! });
  }
  return tokens;
}

type Node =
  | { n: 'lit'; v: Value }
  | { n: 'ref'; sheet: string | undefined; ref: string }
  | { n: 'range'; sheet: string | undefined; from: string; to: string }
  | { n: 'call'; name: string; args: Node[] }
  | { n: 'unary'; op: string; arg: Node }
  | { n: 'bin'; op: string; left: Node; right: Node };

function parseFormula(formula: string): Node {
  const tokens = tokenize(formula);
  let position = 0;
  const peek = () => tokens[position];
  const isOp = (...ops: string[]) => {
    const token = peek();
    return token?.t === 'op' && ops.includes(token.v);
  };
  const expect = (op: string) => {
    if (!isOp(op)) throw new Error(`"${op}" expected in formula "${formula}"`);
    position++;
  };
  const binary =
    (next: () => Node, ...ops: string[]) =>
    (): Node => {
      let left = next();
      while (isOp(...ops)) {
        const op = (tokens[position++] as { v: string }).v;
        left = { n: 'bin', op, left, right: next() };
      }
      return left;
    };
  const primary = (): Node => {
    const token = tokens[position++];
    if (!token) throw new Error(`formula "${formula}" ends too early`);
    switch (token.t) {
      case 'num':
        return { n: 'lit', v: token.v };
      case 'str':
        return { n: 'lit', v: token.v };
      case 'ref':
        if (isOp(':')) {
          position++;
          const end = tokens[position++];
          if (end?.t !== 'ref') throw new Error(`range end expected in "${formula}"`);
          return { n: 'range', sheet: token.sheet, from: token.ref, to: end.ref };
        }
        return { n: 'ref', sheet: token.sheet, ref: token.ref };
      case 'name': {
        if (token.v === 'TRUE' || token.v === 'FALSE') return { n: 'lit', v: token.v === 'TRUE' };
        expect('(');
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(expression());
          while (isOp(',')) {
            position++;
            args.push(expression());
          }
        }
        expect(')');
        return { n: 'call', name: token.v, args };
      }
      case 'op':
        if (token.v === '(') {
          const inner = expression();
          expect(')');
          return inner;
        }
        throw new Error(`unexpected "${token.v}" in formula "${formula}"`);
    }
  };
  const power = binary(primary, '^');
  const unary = (): Node => {
    if (isOp('-', '+')) {
      const op = (tokens[position++] as { v: string }).v;
      return { n: 'unary', op, arg: unary() };
    }
    return power();
  };
  const term = binary(unary, '*', '/');
  const additive = binary(term, '+', '-');
  const concat = binary(additive, '&');
  const expression = binary(concat, '=', '<>', '<', '>', '<=', '>=');
  const tree = expression();
  if (position !== tokens.length) throw new Error(`unexpected text at the end of formula "${formula}"`);
  return tree;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

const isError = (value: unknown): value is FormulaError => value instanceof FormulaError;

function toNumber(value: Value): number | FormulaError {
  if (value === null || value === '') return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return serialOf(value);
  if (isError(value)) return value;
  const number = Number(value);
  return Number.isFinite(number) ? number : new FormulaError('#VALUE!');
}

function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return String(serialOf(value));
  return String(value);
}

function compare(left: Value, right: Value): number {
  const rank = (value: Value) => (typeof value === 'boolean' ? 2 : typeof value === 'string' ? 1 : 0);
  const l = left instanceof Date ? serialOf(left) : (left ?? 0);
  const r = right instanceof Date ? serialOf(right) : (right ?? 0);
  if (rank(l as Value) !== rank(r as Value)) return rank(l as Value) - rank(r as Value);
  if (typeof l === 'string' && typeof r === 'string') {
    const a = l.toLowerCase();
    const b = r.toLowerCase();
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return Number(l) - Number(r);
}

/** COUNTIF-style criterion: ">100", "<>Lyon", "=0", "Lyon", 12. */
function criterion(test: Value): (value: Value) => boolean {
  if (typeof test === 'number') return (value) => typeof value === 'number' && value === test;
  const text = toText(test);
  const match = /^(<>|<=|>=|<|>|=)?(.*)$/s.exec(text)!;
  const op = match[1] ?? '=';
  const operand = match[2]!;
  const numeric = operand !== '' && Number.isFinite(Number(operand)) ? Number(operand) : undefined;
  return (value) => {
    if (numeric !== undefined && (typeof value === 'number' || value instanceof Date)) {
      const diff = (value instanceof Date ? serialOf(value) : value) - numeric;
      return op === '='
        ? diff === 0
        : op === '<>'
          ? diff !== 0
          : op === '<'
            ? diff < 0
            : op === '>'
              ? diff > 0
              : op === '<='
                ? diff <= 0
                : diff >= 0;
    }
    const same = toText(value).toLowerCase() === operand.toLowerCase();
    if (op === '=') return operand === '' ? value === null || value === '' : same;
    if (op === '<>') return !same;
    if (typeof value !== 'string') return false;
    const diff = compare(value, operand);
    return op === '<' ? diff < 0 : op === '>' ? diff > 0 : op === '<=' ? diff <= 0 : diff >= 0;
  };
}

export class Evaluator {
  private readonly cache = new Map<string, Value>();
  private readonly pending = new Set<string>();

  constructor(private readonly cells: Cells) {}

  /** The value of a cell, computing its formula when it has one. */
  valueOf(sheet: string, ref: string): Value {
    const key = `${sheet}!${ref.replace(/\$/g, '')}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    if (this.pending.has(key)) throw new Error(`circular reference at ${key}`);
    const raw = this.cells.get(sheet, ref.replace(/\$/g, ''));
    let value: Value;
    if (typeof raw === 'string' && raw.startsWith('=')) {
      this.pending.add(key);
      try {
        value = this.evaluateFormula(sheet, raw.slice(1));
      } catch (error) {
        throw new Error(`${key}: ${(error as Error).message}`, { cause: error });
      } finally {
        this.pending.delete(key);
      }
    } else {
      value = raw ?? null;
    }
    this.cache.set(key, value);
    return value;
  }

  evaluateFormula(sheet: string, formula: string): Value {
    const result = this.evaluate(parseFormula(formula), sheet);
    if (isRange(result)) return result.rows[0]?.[0] ?? null;
    return result;
  }

  private evaluate(node: Node, sheet: string): Evaluated {
    switch (node.n) {
      case 'lit':
        return node.v;
      case 'ref':
        return this.valueOf(node.sheet ?? sheet, node.ref);
      case 'range': {
        const [r1, c1] = parseRef(node.from);
        const [r2, c2] = parseRef(node.to);
        const rows: Value[][] = [];
        for (let r = Math.min(r1, r2); r <= Math.max(r1, r2); r++) {
          const row: Value[] = [];
          for (let c = Math.min(c1, c2); c <= Math.max(c1, c2); c++) {
            row.push(this.valueOf(node.sheet ?? sheet, refOf(r, c)));
          }
          rows.push(row);
        }
        return { kind: 'range', rows };
      }
      case 'unary': {
        const value = toNumber(this.scalar(node.arg, sheet));
        if (isError(value)) return value;
        return node.op === '-' ? -value : value;
      }
      case 'bin':
        return this.binary(node.op, this.scalar(node.left, sheet), this.scalar(node.right, sheet));
      case 'call':
        return this.call(node.name, node.args, sheet);
    }
  }

  private scalar(node: Node, sheet: string): Value {
    const value = this.evaluate(node, sheet);
    return isRange(value) ? (value.rows[0]?.[0] ?? null) : value;
  }

  private binary(op: string, left: Value, right: Value): Value {
    if (isError(left)) return left;
    if (isError(right)) return right;
    if (op === '&') return toText(left) + toText(right);
    if (['=', '<>', '<', '>', '<=', '>='].includes(op)) {
      const diff = compare(left, right);
      return op === '='
        ? diff === 0
        : op === '<>'
          ? diff !== 0
          : op === '<'
            ? diff < 0
            : op === '>'
              ? diff > 0
              : op === '<='
                ? diff <= 0
                : diff >= 0;
    }
    const a = toNumber(left);
    const b = toNumber(right);
    if (isError(a)) return a;
    if (isError(b)) return b;
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? new FormulaError('#DIV/0!') : a / b;
      case '^':
        return a ** b;
    }
    throw new Error(`unknown operator ${op}`);
  }

  private values(args: Node[], sheet: string): Value[] {
    return args.flatMap((arg) => {
      const value = this.evaluate(arg, sheet);
      return isRange(value) ? value.rows.flat() : [value];
    });
  }

  private range(node: Node | undefined, sheet: string): Value[][] {
    if (!node) throw new Error('missing range argument');
    const value = this.evaluate(node, sheet);
    return isRange(value) ? value.rows : [[value]];
  }

  private call(name: string, args: Node[], sheet: string): Value {
    const numbers = () => {
      const all = this.values(args, sheet);
      const error = all.find(isError);
      if (error) return error;
      return all
        .filter((v): v is number | Date => typeof v === 'number' || v instanceof Date)
        .map((v) => toNumber(v) as number);
    };
    const arg = (index: number) => {
      const node = args[index];
      return node ? this.scalar(node, sheet) : null;
    };
    const conditional = (ranges: Value[][][], tests: Value[]) => {
      const size = ranges[0]!.flat().length;
      const matchers = tests.map(criterion);
      const keep: boolean[] = [];
      for (let i = 0; i < size; i++) {
        keep.push(ranges.every((range, k) => matchers[k]!(range.flat()[i] ?? null)));
      }
      return keep;
    };
    switch (name) {
      case 'SUM': {
        const n = numbers();
        return isError(n) ? n : n.reduce((s, v) => s + v, 0);
      }
      case 'AVERAGE': {
        const n = numbers();
        if (isError(n)) return n;
        return n.length ? n.reduce((s, v) => s + v, 0) / n.length : new FormulaError('#DIV/0!');
      }
      case 'MIN':
      case 'MAX': {
        const n = numbers();
        if (isError(n)) return n;
        return n.length ? (name === 'MIN' ? Math.min(...n) : Math.max(...n)) : 0;
      }
      case 'COUNT':
        return this.values(args, sheet).filter((v) => typeof v === 'number' || v instanceof Date).length;
      case 'COUNTA':
        return this.values(args, sheet).filter((v) => v !== null && v !== '').length;
      case 'COUNTIF':
        return conditional([this.range(args[0], sheet)], [arg(1)]).filter(Boolean).length;
      case 'COUNTIFS': {
        const ranges: Value[][][] = [];
        const tests: Value[] = [];
        for (let i = 0; i < args.length; i += 2) {
          ranges.push(this.range(args[i], sheet));
          tests.push(arg(i + 1));
        }
        return conditional(ranges, tests).filter(Boolean).length;
      }
      case 'SUMIF':
      case 'AVERAGEIF': {
        const keep = conditional([this.range(args[0], sheet)], [arg(1)]);
        const source = (args[2] ? this.range(args[2], sheet) : this.range(args[0], sheet)).flat();
        const kept = source.filter((v, i) => keep[i] && typeof v === 'number') as number[];
        const total = kept.reduce((s, v) => s + v, 0);
        if (name === 'SUMIF') return total;
        return kept.length ? total / kept.length : new FormulaError('#DIV/0!');
      }
      case 'SUMIFS': {
        const source = this.range(args[0], sheet).flat();
        const ranges: Value[][][] = [];
        const tests: Value[] = [];
        for (let i = 1; i < args.length; i += 2) {
          ranges.push(this.range(args[i], sheet));
          tests.push(arg(i + 1));
        }
        const keep = conditional(ranges, tests);
        return source.reduce<number>((s, v, i) => (keep[i] && typeof v === 'number' ? s + v : s), 0);
      }
      case 'IF': {
        const test = arg(0);
        if (isError(test)) return test;
        const truthy = typeof test === 'string' ? test !== '' : Boolean(toNumber(test));
        return truthy ? arg(1) : args.length > 2 ? arg(2) : false;
      }
      case 'AND':
        return this.values(args, sheet).every((v) => Boolean(v));
      case 'OR':
        return this.values(args, sheet).some((v) => Boolean(v));
      case 'ROUND': {
        const value = toNumber(arg(0));
        const digits = toNumber(arg(1));
        if (isError(value)) return value;
        if (isError(digits)) return digits;
        const factor = 10 ** digits;
        return Math.round((value + Number.EPSILON * Math.sign(value)) * factor) / factor;
      }
      case 'ABS': {
        const value = toNumber(arg(0));
        return isError(value) ? value : Math.abs(value);
      }
      case 'DATE': {
        const [y, m, d] = [toNumber(arg(0)), toNumber(arg(1)), toNumber(arg(2))];
        if (isError(y) || isError(m) || isError(d)) return new FormulaError('#VALUE!');
        return new Date(Date.UTC(y, m - 1, d));
      }
      case 'VLOOKUP': {
        const key = arg(0);
        const table = this.range(args[1], sheet);
        const column = toNumber(arg(2));
        const exact = args.length > 3 ? !arg(3) : false;
        if (isError(column)) return column;
        let found: Value[] | undefined;
        if (exact) {
          found = table.find((row) => compare(row[0] ?? null, key) === 0);
        } else {
          for (const row of table) {
            if (compare(row[0] ?? null, key) <= 0) found = row;
            else break;
          }
        }
        if (!found) return new FormulaError('#N/A');
        return found[column - 1] ?? new FormulaError('#REF!');
      }
      case 'MATCH': {
        const key = arg(0);
        const cells = this.range(args[1], sheet).flat();
        const index = cells.findIndex((v) => compare(v, key) === 0);
        return index === -1 ? new FormulaError('#N/A') : index + 1;
      }
      case 'INDEX': {
        const table = this.range(args[0], sheet);
        const row = toNumber(arg(1));
        const column = args.length > 2 ? toNumber(arg(2)) : 1;
        if (isError(row)) return row;
        if (isError(column)) return column;
        const single = table.length === 1 ? table[0]?.[row - 1] : table[row - 1]?.[column - 1];
        return single ?? new FormulaError('#REF!');
      }
      default:
        return new FormulaError('#NAME?');
    }
  }
}

function isRange(value: Evaluated): value is Range {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'range';
}

/** Translates an A1-style formula (without "=") to OpenFormula, as .ods files store it. */
export function toOpenFormula(formula: string): string {
  const out: string[] = [];
  const tokens = tokenize(formula);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.t === 'ref') {
      const sheet = token.sheet ? `$'${token.sheet.replace(/'/g, "''")}'` : '';
      if (next?.t === 'op' && next.v === ':' && tokens[i + 2]?.t === 'ref') {
        const end = tokens[i + 2] as { ref: string };
        out.push(`[${sheet}.${token.ref}:.${end.ref}]`);
        i += 2;
      } else {
        out.push(`[${sheet}.${token.ref}]`);
      }
    } else if (token.t === 'num') out.push(String(token.v));
    else if (token.t === 'str') out.push(`"${token.v.replace(/"/g, '""')}"`);
    else if (token.t === 'name') out.push(token.v);
    else out.push(token.v === ',' ? ';' : token.v);
  }
  return `of:=${out.join('')}`;
}
