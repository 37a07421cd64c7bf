/**
 * A small, safe spreadsheet formula language (no eval): tokenizer, parser and evaluator.
 *
 * Supported: numbers (decimal point, or decimal comma with { decimalComma: true }), "text" ("" for
 * a quote), TRUE/FALSE (VRAI/FAUX), references A1, $A$1, A$1, $A1, ranges A1:B3, the operators
 * + - * / ^ & = <> < > <= >= and postfix %, parentheses, and the functions listed in FUNCTIONS
 * under their English and French names (FUNCTION_ALIASES), in either language. Arguments are
 * separated by ';' (always) or ','; with { decimalComma: true } a ',' inside a number is the
 * decimal separator (=ARRONDI(2,345;2), ;,5) and a ',' right after a reference, text, ")" or "%"
 * separates arguments (=ROUND(A1,2)).
 */

export class CellError {
  constructor(code) {
    this.code = code;
  }

  toString() {
    return this.code;
  }
}

export const ERRORS = Object.freeze({
  div0: '#DIV/0!',
  value: '#VALUE!',
  ref: '#REF!',
  name: '#NAME?',
  na: '#N/A',
  cycle: '#CYCLE!',
  syntax: '#ERROR!',
});

export class FormulaSyntaxError extends Error {}

export const MAX_COLS = 26;
export const MAX_ROWS = 99;

const REF = /^(\$?)([A-Za-z]{1,2})(\$?)([0-9]{1,3})$/;

export function columnName(index) {
  return String.fromCharCode(65 + index);
}

export function columnIndex(letters) {
  const upper = letters.toUpperCase();
  let index = 0;
  for (const char of upper) index = index * 26 + (char.charCodeAt(0) - 64);
  return index - 1;
}

/** 'B3' → { col: 1, row: 2, absCol, absRow }, or null. */
export function parseRef(text) {
  const match = REF.exec(text);
  if (!match) return null;
  return {
    absCol: match[1] === '$',
    col: columnIndex(match[2]),
    absRow: match[3] === '$',
    row: Number(match[4]) - 1,
  };
}

export function refName(col, row) {
  return `${columnName(col)}${row + 1}`;
}

function refText(ref) {
  return `${ref.absCol ? '$' : ''}${columnName(ref.col)}${ref.absRow ? '$' : ''}${ref.row + 1}`;
}

export function inBounds(col, row) {
  return col >= 0 && col < MAX_COLS && row >= 0 && row < MAX_ROWS;
}

/** 'A1:B3' or 'B3' → list of cell names, row by row. Throws on an invalid range. */
export function expandRange(text) {
  const [startText, endText = startText] = String(text).toUpperCase().replace(/\$/g, '').split(':');
  const start = parseRef(startText);
  const end = parseRef(endText);
  if (!start || !end || !inBounds(start.col, start.row) || !inBounds(end.col, end.row)) {
    throw new RangeError(`invalid range ${text}`);
  }
  const names = [];
  for (let row = Math.min(start.row, end.row); row <= Math.max(start.row, end.row); row++) {
    for (let col = Math.min(start.col, end.col); col <= Math.max(start.col, end.col); col++) {
      names.push(refName(col, row));
    }
  }
  return names;
}

// ------------------------------------------------------------------------------------------------
// Tokenizer

const OPERATORS = [
  '<=',
  '>=',
  '<>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '&',
  '=',
  '<',
  '>',
  '%',
  '(',
  ')',
  ':',
  ';',
  ',',
];

export function tokenize(body, { decimalComma = false } = {}) {
  const tokens = [];
  let i = 0;
  while (i < body.length) {
    const char = body[i];
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const start = i;
    const numberPattern = decimalComma
      ? /^(\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?/
      : /^(\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;
    // A ',' right after a value (a reference, a number, text, ")" or "%", as in "A1,2" or ");2")
    // separates arguments; it starts a number (",5") only where a value is expected.
    const previous = tokens[tokens.length - 1];
    const afterValue =
      previous && !(previous.type === 'op' && previous.value !== ')' && previous.value !== '%');
    const number =
      /[\d.,]/.test(char) && !(char === ',' && afterValue) ? numberPattern.exec(body.slice(i)) : null;
    if (number && /\d/.test(number[0])) {
      i += number[0].length;
      tokens.push({ type: 'number', value: Number(number[0].replace(',', '.')), start, end: i });
      continue;
    }
    if (body.startsWith('#REF!', i)) {
      i += 5;
      tokens.push({ type: 'error', code: ERRORS.ref, start, end: i });
      continue;
    }
    if (char === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= body.length) throw new FormulaSyntaxError('unterminated text');
        if (body[i] === '"') {
          if (body[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += body[i];
        i += 1;
      }
      tokens.push({ type: 'string', value, start, end: i });
      continue;
    }
    const word = /^\$?[A-Za-z_][A-Za-z0-9_.]*(?:\$[0-9]+)?/.exec(body.slice(i));
    if (word) {
      i += word[0].length;
      const text = word[0];
      const ref = parseRef(text);
      if (ref) tokens.push({ type: 'ref', ref, start, end: i });
      else if (/^(TRUE|VRAI)$/i.test(text)) tokens.push({ type: 'bool', value: true, start, end: i });
      else if (/^(FALSE|FAUX)$/i.test(text)) tokens.push({ type: 'bool', value: false, start, end: i });
      else tokens.push({ type: 'name', value: text.toUpperCase(), start, end: i });
      continue;
    }
    const operator = OPERATORS.find((op) => body.startsWith(op, i));
    if (operator) {
      i += operator.length;
      tokens.push({ type: 'op', value: operator, start, end: i });
      continue;
    }
    throw new FormulaSyntaxError(`unexpected character ${char}`);
  }
  return tokens;
}

// ------------------------------------------------------------------------------------------------
// Parser

export function parseFormula(body, options = {}) {
  const tokens = tokenize(body, options);
  let position = 0;
  const peek = () => tokens[position];
  const isOp = (value) => peek()?.type === 'op' && peek().value === value;
  const expect = (value) => {
    if (!isOp(value)) throw new FormulaSyntaxError(`expected ${value}`);
    position += 1;
  };

  const binaryLevel = (operators, next) => () => {
    let left = next();
    while (peek()?.type === 'op' && operators.includes(peek().value)) {
      const op = tokens[position++].value;
      left = { type: 'binary', op, left, right: next() };
    }
    return left;
  };

  const primary = () => {
    const token = tokens[position++];
    if (!token) throw new FormulaSyntaxError('unexpected end');
    switch (token.type) {
      case 'number':
        return { type: 'number', value: token.value };
      case 'string':
        return { type: 'string', value: token.value };
      case 'bool':
        return { type: 'bool', value: token.value };
      case 'error':
        return { type: 'error', code: token.code };
      case 'ref': {
        if (isOp(':')) {
          position += 1;
          const end = tokens[position++];
          if (!end || end.type !== 'ref') throw new FormulaSyntaxError('expected a reference after :');
          return { type: 'range', start: token.ref, end: end.ref };
        }
        return { type: 'ref', ref: token.ref };
      }
      case 'name': {
        if (!isOp('(')) return { type: 'unknownName', name: token.value };
        position += 1;
        const args = [];
        if (!isOp(')')) {
          for (;;) {
            args.push(isOp(';') || isOp(',') || isOp(')') ? { type: 'missing' } : comparison());
            if (isOp(';') || isOp(',')) {
              position += 1;
              continue;
            }
            break;
          }
        }
        expect(')');
        return { type: 'call', name: token.value, args };
      }
      case 'op':
        if (token.value === '(') {
          const inner = comparison();
          expect(')');
          return inner;
        }
        throw new FormulaSyntaxError(`unexpected ${token.value}`);
      default:
        throw new FormulaSyntaxError('unexpected token');
    }
  };

  const postfix = () => {
    let node = primary();
    while (isOp('%')) {
      position += 1;
      node = { type: 'percent', operand: node };
    }
    return node;
  };

  const unary = () => {
    if (isOp('-') || isOp('+')) {
      const op = tokens[position++].value;
      return { type: 'unary', op, operand: unary() };
    }
    return postfix();
  };

  const power = binaryLevel(['^'], unary);
  const multiplicative = binaryLevel(['*', '/'], power);
  const additive = binaryLevel(['+', '-'], multiplicative);
  const concat = binaryLevel(['&'], additive);
  const comparison = binaryLevel(['=', '<>', '<', '>', '<=', '>='], concat);

  if (!tokens.length) throw new FormulaSyntaxError('empty formula');
  const ast = comparison();
  if (position < tokens.length) throw new FormulaSyntaxError('unexpected text after the formula');
  return ast;
}

// ------------------------------------------------------------------------------------------------
// Values and evaluation

const isError = (value) => value instanceof CellError;
const EMPTY = null;

/** A value as a number for arithmetic: empty → 0, booleans → 1/0, numeric text → number. */
export function toNumber(value) {
  if (isError(value)) return value;
  if (value === EMPTY || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = String(value).trim().replace(',', '.');
  if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
  return new CellError(ERRORS.value);
}

function toBoolean(value) {
  if (isError(value)) return value;
  if (value === EMPTY || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const upper = String(value).toUpperCase();
  if (upper === 'TRUE' || upper === 'VRAI') return true;
  if (upper === 'FALSE' || upper === 'FAUX') return false;
  return new CellError(ERRORS.value);
}

/** Canonical text of a value (used by & and by answers): numbers rounded to 12 significant digits. */
export function valueText(value, { decimalComma = false } = {}) {
  if (value === EMPTY || value === undefined) return '';
  if (isError(value)) return value.code;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    const text = String(Number(value.toPrecision(12)));
    return decimalComma ? text.replace('.', ',') : text;
  }
  return String(value);
}

const typeRank = (value) => (typeof value === 'number' ? 0 : typeof value === 'string' ? 1 : 2);

function compareValues(a, b) {
  const left = a === EMPTY ? (typeof b === 'string' ? '' : typeof b === 'boolean' ? false : 0) : a;
  const right = b === EMPTY ? (typeof a === 'string' ? '' : typeof a === 'boolean' ? false : 0) : b;
  if (typeRank(left) !== typeRank(right)) return typeRank(left) - typeRank(right);
  if (typeof left === 'string') {
    return left.localeCompare(right, 'fr', { sensitivity: 'accent' }) === 0
      ? 0
      : left.toLowerCase() < right.toLowerCase()
        ? -1
        : 1;
  }
  return left === right ? 0 : left < right ? -1 : 1;
}

function compareWith(op, order) {
  switch (op) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    default:
      return order >= 0;
  }
}

function wildcardRegex(pattern) {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** A COUNTIF/SUMIF criterion ("&gt;=10", "&lt;&gt;Paris", "Dupont*", 5) as a predicate. */
export function criterionMatcher(criterion, options = {}) {
  if (typeof criterion === 'number' || typeof criterion === 'boolean') {
    return (value) => value === criterion;
  }
  const text = criterion === EMPTY ? '' : String(criterion);
  const match = /^(<=|>=|<>|=|<|>)?(.*)$/s.exec(text);
  const op = match[1] ?? '=';
  const operand = match[2];
  const numeric =
    operand.trim() !== '' ? toNumber(options.decimalComma ? operand : operand.replace(',', '.')) : null;
  if (typeof numeric === 'number') {
    return (value) =>
      typeof value === 'number' && compareWith(op, value === numeric ? 0 : value < numeric ? -1 : 1);
  }
  if (operand === '') {
    if (op === '=') return (value) => value === EMPTY || value === '';
    if (op === '<>') return (value) => value !== EMPTY && value !== '';
  }
  if (op === '=' || op === '<>') {
    const regex = wildcardRegex(operand);
    return (value) => {
      const matches = typeof value === 'string' && regex.test(value);
      return op === '=' ? matches : !matches;
    };
  }
  return (value) => typeof value === 'string' && compareWith(op, compareValues(value, operand));
}

function flatten(args) {
  // Each argument evaluates to { values, fromRange }.
  return args.flatMap((arg) => arg.values.map((value) => ({ value, fromRange: arg.fromRange })));
}

/** Numbers of the arguments: in ranges only numbers count; direct arguments are converted. */
function numbersOf(args) {
  const numbers = [];
  for (const { value, fromRange } of flatten(args)) {
    if (isError(value)) return value;
    if (fromRange) {
      if (typeof value === 'number') numbers.push(value);
    } else {
      const number = toNumber(value);
      if (isError(number)) return number;
      numbers.push(number);
    }
  }
  return numbers;
}

/**
 * The one value of an argument that takes a single value (ROUND's number, a criterion…): a value,
 * or one cell (A1, or a one-cell range); a range of several cells is #VALUE!.
 */
const single = (arg) => (arg.values.length === 1 ? arg.values[0] : new CellError(ERRORS.value));

const FUNCTIONS = {
  SUM: (args) => {
    const numbers = numbersOf(args);
    return isError(numbers) ? numbers : numbers.reduce((a, b) => a + b, 0);
  },
  AVERAGE: (args) => {
    const numbers = numbersOf(args);
    if (isError(numbers)) return numbers;
    return numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : new CellError(ERRORS.div0);
  },
  MIN: (args) => {
    const numbers = numbersOf(args);
    return isError(numbers) ? numbers : numbers.length ? Math.min(...numbers) : 0;
  },
  MAX: (args) => {
    const numbers = numbersOf(args);
    return isError(numbers) ? numbers : numbers.length ? Math.max(...numbers) : 0;
  },
  COUNT: (args) => flatten(args).filter(({ value }) => typeof value === 'number').length,
  COUNTA: (args) => flatten(args).filter(({ value }) => value !== EMPTY && value !== undefined).length,
  COUNTIF: (args, options) => {
    if (args.length !== 2 || !args[0].fromRange) return new CellError(ERRORS.value);
    const matches = criterionMatcher(single(args[1]), options);
    return args[0].values.filter((value) => !isError(value) && matches(value)).length;
  },
  SUMIF: (args, options) => {
    if (args.length < 2 || args.length > 3 || !args[0].fromRange) return new CellError(ERRORS.value);
    const matches = criterionMatcher(single(args[1]), options);
    const sumValues = args.length === 3 ? args[2].values : args[0].values;
    let total = 0;
    args[0].values.forEach((value, index) => {
      if (!isError(value) && matches(value) && typeof sumValues[index] === 'number')
        total += sumValues[index];
    });
    return total;
  },
  AVERAGEIF: (args, options) => {
    if (args.length < 2 || args.length > 3 || !args[0].fromRange) return new CellError(ERRORS.value);
    const matches = criterionMatcher(single(args[1]), options);
    const values = args.length === 3 ? args[2].values : args[0].values;
    const picked = [];
    args[0].values.forEach((value, index) => {
      if (!isError(value) && matches(value) && typeof values[index] === 'number') picked.push(values[index]);
    });
    return picked.length ? picked.reduce((a, b) => a + b, 0) / picked.length : new CellError(ERRORS.div0);
  },
  ROUND: (args) => {
    if (args.length < 1 || args.length > 2) return new CellError(ERRORS.value);
    const number = toNumber(single(args[0]));
    const digits = args.length === 2 ? toNumber(single(args[1])) : 0;
    if (isError(number)) return number;
    if (isError(digits)) return digits;
    const factor = 10 ** Math.trunc(digits);
    return (Math.sign(number) * Math.round(Math.abs(number) * factor + 1e-9)) / factor;
  },
  ABS: (args) => {
    if (args.length !== 1) return new CellError(ERRORS.value);
    const number = toNumber(single(args[0]));
    return isError(number) ? number : Math.abs(number);
  },
  AND: (args) => {
    let result = true;
    for (const { value } of flatten(args)) {
      if (value === EMPTY) continue;
      const bool = toBoolean(value);
      if (isError(bool)) return bool;
      result = result && bool;
    }
    return result;
  },
  OR: (args) => {
    let result = false;
    for (const { value } of flatten(args)) {
      if (value === EMPTY) continue;
      const bool = toBoolean(value);
      if (isError(bool)) return bool;
      result = result || bool;
    }
    return result;
  },
  NOT: (args) => {
    if (args.length !== 1) return new CellError(ERRORS.value);
    const bool = toBoolean(single(args[0]));
    return isError(bool) ? bool : !bool;
  },
};

/** French names of the functions (as in French spreadsheet software). */
export const FUNCTION_ALIASES = Object.freeze({
  SOMME: 'SUM',
  MOYENNE: 'AVERAGE',
  NB: 'COUNT',
  NBVAL: 'COUNTA',
  'NB.SI': 'COUNTIF',
  'SOMME.SI': 'SUMIF',
  'MOYENNE.SI': 'AVERAGEIF',
  ARRONDI: 'ROUND',
  ET: 'AND',
  OU: 'OR',
  NON: 'NOT',
  SI: 'IF',
});

export const FUNCTION_NAMES = Object.freeze([
  ...Object.keys(FUNCTIONS),
  'IF',
  ...Object.keys(FUNCTION_ALIASES),
]);

/**
 * Evaluates an AST. `getCell(col, row)` returns a cell's value (number, string, boolean, null for
 * empty, or a CellError). Never throws for a formula problem: errors are CellError values.
 */
export function evaluate(ast, getCell, options = {}) {
  const value = (node) => {
    switch (node.type) {
      case 'number':
      case 'string':
      case 'bool':
        return node.value;
      case 'missing':
        return EMPTY;
      case 'error':
        return new CellError(node.code);
      case 'unknownName':
        return new CellError(ERRORS.name);
      case 'ref':
        return inBounds(node.ref.col, node.ref.row)
          ? getCell(node.ref.col, node.ref.row)
          : new CellError(ERRORS.ref);
      case 'range':
        // A range outside a function: only a single cell is meaningful.
        return new CellError(ERRORS.value);
      case 'percent': {
        const number = toNumber(value(node.operand));
        return isError(number) ? number : number / 100;
      }
      case 'unary': {
        const number = toNumber(value(node.operand));
        if (isError(number)) return number;
        return node.op === '-' ? -number : number;
      }
      case 'binary':
        return binary(node);
      case 'call':
        return call(node);
      default:
        return new CellError(ERRORS.syntax);
    }
  };

  const binary = (node) => {
    const left = value(node.left);
    const right = value(node.right);
    if (isError(left)) return left;
    if (isError(right)) return right;
    if (node.op === '&') return valueText(left, options) + valueText(right, options);
    if (['=', '<>', '<', '>', '<=', '>='].includes(node.op)) {
      return compareWith(node.op, compareValues(left, right));
    }
    const a = toNumber(left);
    const b = toNumber(right);
    if (isError(a)) return a;
    if (isError(b)) return b;
    switch (node.op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? new CellError(ERRORS.div0) : a / b;
      default: {
        const result = a ** b;
        return Number.isFinite(result) ? result : new CellError(ERRORS.value);
      }
    }
  };

  const argument = (node) => {
    if (node.type === 'range') {
      const { start, end } = node;
      if (!inBounds(start.col, start.row) || !inBounds(end.col, end.row)) {
        return { values: [new CellError(ERRORS.ref)], fromRange: true };
      }
      const values = [];
      for (let row = Math.min(start.row, end.row); row <= Math.max(start.row, end.row); row++) {
        for (let col = Math.min(start.col, end.col); col <= Math.max(start.col, end.col); col++) {
          values.push(getCell(col, row));
        }
      }
      return { values, fromRange: true };
    }
    if (node.type === 'ref') return { values: [value(node)], fromRange: true };
    return { values: [value(node)], fromRange: false };
  };

  const call = (node) => {
    const name = FUNCTION_ALIASES[node.name] ?? node.name;
    if (name === 'IF') {
      if (node.args.length < 2 || node.args.length > 3) return new CellError(ERRORS.value);
      const condition = toBoolean(value(node.args[0]));
      if (isError(condition)) return condition;
      if (condition) return value(node.args[1]);
      return node.args.length === 3 ? value(node.args[2]) : false;
    }
    const fn = FUNCTIONS[name];
    if (!fn) return new CellError(ERRORS.name);
    return fn(node.args.map(argument), options);
  };

  const result = value(ast);
  return result === EMPTY ? 0 : result;
}

/**
 * The formula text moved by (rows, cols), as when a cell is copied: relative parts of references
 * shift, absolute ones ($) stay; a reference pushed off the sheet becomes #REF!.
 */
export function shiftFormula(formula, rows, cols, options = {}) {
  const body = formula.startsWith('=') ? formula.slice(1) : formula;
  let tokens;
  try {
    tokens = tokenize(body, options);
  } catch {
    return formula;
  }
  let result = '';
  let last = 0;
  for (const token of tokens) {
    if (token.type !== 'ref') continue;
    const ref = { ...token.ref };
    if (!ref.absCol) ref.col += cols;
    if (!ref.absRow) ref.row += rows;
    result += body.slice(last, token.start) + (inBounds(ref.col, ref.row) ? refText(ref) : ERRORS.ref);
    last = token.end;
  }
  result += body.slice(last);
  return `=${result}`;
}
