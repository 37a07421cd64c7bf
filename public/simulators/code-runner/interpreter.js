/**
 * Mini-Python: a tiny, safe interpreter for a subset of Python (no eval, no access to the page).
 *
 * Supported: int, float, str, bool, None, lists, dicts; + - * / // % ** and comparisons (chained),
 * and/or/not, in/not in; assignment, += -= *= /= //= %=, indexing and slicing; if/elif/else,
 * while, for … in (lists, strings, range, dict keys), break, continue, pass; def/return with
 * positional parameters; print (sep= and end=), len, range, str, int, float, bool, abs, min, max,
 * sum, round, sorted, list; string methods lower, upper, strip, split, replace, startswith,
 * endswith, count, join, find; list methods append, pop, insert, index, count; dict methods get,
 * keys, values, items. A step limit stops endless loops.
 */

export class PyError extends Error {
  constructor(kind, message, line) {
    super(`${kind}: ${message}`);
    this.kind = kind;
    this.detail = message;
    this.line = line;
  }
}

const KEYWORDS = new Set([
  'if',
  'elif',
  'else',
  'while',
  'for',
  'in',
  'def',
  'return',
  'and',
  'or',
  'not',
  'True',
  'False',
  'None',
  'break',
  'continue',
  'pass',
]);
const OPERATORS = [
  '**=',
  '//=',
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
];

// ------------------------------------------------------------------------------------------------
// Lexer

export function tokenize(source) {
  const tokens = [];
  const indents = [0];
  let depth = 0;
  const lines = String(source).replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((text, index) => {
    const line = index + 1;
    let i = 0;
    if (depth === 0) {
      let width = 0;
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) {
        width += text[i] === '\t' ? 4 : 1;
        i += 1;
      }
      if (i >= text.length || text[i] === '#') return; // blank or comment-only line
      if (width > indents[indents.length - 1]) {
        indents.push(width);
        tokens.push({ type: 'indent', line });
      } else {
        while (width < indents[indents.length - 1]) {
          indents.pop();
          tokens.push({ type: 'dedent', line });
        }
        if (width !== indents[indents.length - 1])
          throw new PyError('IndentationError', 'unindent does not match any outer indentation level', line);
      }
    }
    while (i < text.length) {
      const char = text[i];
      if (char === ' ' || char === '\t') {
        i += 1;
        continue;
      }
      if (char === '#') break;
      const number = /^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
      if (number) {
        const raw = number[0];
        i += raw.length;
        const isFloat = /[.eE]/.test(raw);
        tokens.push({ type: 'number', value: isFloat ? new PyFloat(Number(raw)) : Number(raw), line });
        continue;
      }
      if (char === '"' || char === "'") {
        let value = '';
        i += 1;
        let closed = false;
        while (i < text.length) {
          const c = text[i];
          if (c === '\\' && i + 1 < text.length) {
            const next = text[i + 1];
            value += { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' }[next] ?? `\\${next}`;
            i += 2;
            continue;
          }
          if (c === char) {
            closed = true;
            i += 1;
            break;
          }
          value += c;
          i += 1;
        }
        if (!closed) throw new PyError('SyntaxError', 'unterminated string literal', line);
        tokens.push({ type: 'string', value, line });
        continue;
      }
      const name = /^[A-Za-z_\u00C0-\u024F][A-Za-z0-9_\u00C0-\u024F]*/.exec(text.slice(i));
      if (name) {
        i += name[0].length;
        tokens.push({ type: KEYWORDS.has(name[0]) ? 'keyword' : 'name', value: name[0], line });
        continue;
      }
      const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (!op) throw new PyError('SyntaxError', `invalid character '${char}'`, line);
      i += op.length;
      if (op === '(' || op === '[' || op === '{') depth += 1;
      if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
      tokens.push({ type: 'op', value: op, line });
    }
    if (depth === 0 && tokens.length && tokens[tokens.length - 1].type !== 'newline') {
      tokens.push({ type: 'newline', line });
    }
  });
  const last = lines.length;
  if (depth > 0) throw new PyError('SyntaxError', "'(' was never closed", last);
  while (indents.length > 1) {
    indents.pop();
    tokens.push({ type: 'dedent', line: last });
  }
  tokens.push({ type: 'eof', line: last });
  return tokens;
}

// ------------------------------------------------------------------------------------------------
// Parser

export function parse(source) {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (offset = 0) => tokens[pos + offset];
  const at = (type, value) => peek().type === type && (value === undefined || peek().value === value);
  const atOp = (value) => at('op', value);
  const atKw = (value) => at('keyword', value);
  const next = () => tokens[pos++];
  const fail = (message, token = peek()) => {
    throw new PyError('SyntaxError', message, token.line);
  };
  const expectOp = (value) => (atOp(value) ? next() : fail(`expected '${value}'`));

  const block = () => {
    expectOp(':');
    if (!at('newline')) {
      const body = [simpleStatement()];
      if (at('newline')) next();
      return body;
    }
    next();
    if (!at('indent')) fail('expected an indented block');
    next();
    const body = [];
    while (!at('dedent') && !at('eof')) body.push(statement());
    if (at('dedent')) next();
    return body;
  };

  const statement = () => {
    const token = peek();
    if (token.type === 'indent') fail('unexpected indent');
    if (atKw('if')) {
      next();
      const tests = [{ cond: expression(), body: block() }];
      let orelse = [];
      while (atKw('elif')) {
        next();
        tests.push({ cond: expression(), body: block() });
      }
      if (atKw('else')) {
        next();
        orelse = block();
      }
      return { type: 'if', tests, orelse, line: token.line };
    }
    if (atKw('while')) {
      next();
      const cond = expression();
      return { type: 'while', cond, body: block(), line: token.line };
    }
    if (atKw('for')) {
      next();
      if (!at('name')) fail('expected a variable name after for');
      const name = next().value;
      if (!atKw('in')) fail("expected 'in'");
      next();
      const iter = expression();
      return { type: 'for', name, iter, body: block(), line: token.line };
    }
    if (atKw('def')) {
      next();
      if (!at('name')) fail('expected a function name');
      const name = next().value;
      expectOp('(');
      const params = [];
      while (!atOp(')')) {
        if (!at('name')) fail('expected a parameter name');
        params.push(next().value);
        if (atOp(',')) next();
        else break;
      }
      expectOp(')');
      return { type: 'def', name, params, body: block(), line: token.line };
    }
    const simple = simpleStatement();
    if (!at('newline') && !at('eof')) fail('invalid syntax');
    if (at('newline')) next();
    return simple;
  };

  const simpleStatement = () => {
    const token = peek();
    if (atKw('pass')) {
      next();
      return { type: 'pass', line: token.line };
    }
    if (atKw('break') || atKw('continue')) return { type: next().value, line: token.line };
    if (atKw('return')) {
      next();
      const value = at('newline') || at('eof') ? null : expression();
      return { type: 'return', value, line: token.line };
    }
    const expr = expression();
    if (atOp('=')) {
      next();
      checkTarget(expr, token);
      return { type: 'assign', target: expr, value: expression(), line: token.line };
    }
    const augmented = ['+=', '-=', '*=', '/=', '//=', '%=', '**='].find((op) => atOp(op));
    if (augmented) {
      next();
      checkTarget(expr, token);
      return {
        type: 'augassign',
        op: augmented.slice(0, -1),
        target: expr,
        value: expression(),
        line: token.line,
      };
    }
    return { type: 'expr', expr, line: token.line };
  };

  const checkTarget = (expr, token) => {
    if (expr.type !== 'name' && expr.type !== 'index') fail('cannot assign to expression', token);
  };

  const expression = () => orExpr();
  const orExpr = () => {
    let left = andExpr();
    while (atKw('or')) {
      const line = next().line;
      left = { type: 'or', left, right: andExpr(), line };
    }
    return left;
  };
  const andExpr = () => {
    let left = notExpr();
    while (atKw('and')) {
      const line = next().line;
      left = { type: 'and', left, right: notExpr(), line };
    }
    return left;
  };
  const notExpr = () => {
    if (atKw('not')) {
      const line = next().line;
      return { type: 'not', operand: notExpr(), line };
    }
    return comparison();
  };
  const COMPARE = ['==', '!=', '<', '>', '<=', '>='];
  const comparison = () => {
    const first = arith();
    const ops = [];
    const operands = [first];
    for (;;) {
      const op = COMPARE.find((candidate) => atOp(candidate));
      if (op) {
        next();
      } else if (atKw('in')) {
        next();
        ops.push('in');
        operands.push(arith());
        continue;
      } else if (atKw('not') && peek(1).type === 'keyword' && peek(1).value === 'in') {
        next();
        next();
        ops.push('not in');
        operands.push(arith());
        continue;
      } else break;
      ops.push(op);
      operands.push(arith());
    }
    return ops.length ? { type: 'compare', ops, operands, line: first.line } : first;
  };
  const binary = (ops, nextLevel) => () => {
    let left = nextLevel();
    for (;;) {
      const op = ops.find((candidate) => atOp(candidate));
      if (!op) return left;
      const line = next().line;
      left = { type: 'binary', op, left, right: nextLevel(), line };
    }
  };
  const unary = () => {
    if (atOp('-') || atOp('+')) {
      const token = next();
      return { type: 'unary', op: token.value, operand: unary(), line: token.line };
    }
    return power();
  };
  const power = () => {
    const base = postfix();
    if (atOp('**')) {
      const line = next().line;
      return { type: 'binary', op: '**', left: base, right: unary(), line };
    }
    return base;
  };
  const term = binary(['*', '/', '//', '%'], unary);
  const arith = binary(['+', '-'], term);

  const postfix = () => {
    let node = atom();
    for (;;) {
      if (atOp('(')) {
        const line = next().line;
        const args = [];
        const kwargs = {};
        while (!atOp(')')) {
          if (at('name') && peek(1).type === 'op' && peek(1).value === '=') {
            const key = next().value;
            next();
            kwargs[key] = expression();
          } else args.push(expression());
          if (atOp(',')) next();
          else break;
        }
        expectOp(')');
        node = { type: 'call', func: node, args, kwargs, line };
      } else if (atOp('[')) {
        const line = next().line;
        let start = null;
        let end = null;
        if (!atOp(':')) start = expression();
        if (atOp(':')) {
          next();
          if (!atOp(']')) end = expression();
          expectOp(']');
          node = { type: 'slice', object: node, start, end, line };
        } else {
          expectOp(']');
          node = { type: 'index', object: node, index: start, line };
        }
      } else if (atOp('.')) {
        next();
        if (!at('name')) fail('expected an attribute name');
        const token = next();
        node = { type: 'attribute', object: node, name: token.value, line: token.line };
      } else return node;
    }
  };

  const atom = () => {
    const token = next();
    switch (token.type) {
      case 'number':
        return { type: 'const', value: token.value, line: token.line };
      case 'string': {
        let value = token.value;
        while (at('string')) value += next().value; // implicit concatenation
        return { type: 'const', value, line: token.line };
      }
      case 'name':
        return { type: 'name', name: token.value, line: token.line };
      case 'keyword':
        if (token.value === 'True') return { type: 'const', value: true, line: token.line };
        if (token.value === 'False') return { type: 'const', value: false, line: token.line };
        if (token.value === 'None') return { type: 'const', value: null, line: token.line };
        return fail('invalid syntax', token);
      case 'op':
        if (token.value === '(') {
          const inner = expression();
          expectOp(')');
          return inner;
        }
        if (token.value === '[') {
          const items = [];
          while (!atOp(']')) {
            items.push(expression());
            if (atOp(',')) next();
            else break;
          }
          expectOp(']');
          return { type: 'list', items, line: token.line };
        }
        if (token.value === '{') {
          const entries = [];
          while (!atOp('}')) {
            const key = expression();
            expectOp(':');
            entries.push([key, expression()]);
            if (atOp(',')) next();
            else break;
          }
          expectOp('}');
          return { type: 'dict', entries, line: token.line };
        }
        return fail('invalid syntax', token);
      default:
        return fail(token.type === 'eof' ? 'unexpected end of program' : 'invalid syntax', token);
    }
  };

  const body = [];
  while (!at('eof')) {
    if (at('newline')) {
      next();
      continue;
    }
    body.push(statement());
  }
  return body;
}

// ------------------------------------------------------------------------------------------------
// Values

export class PyFloat {
  constructor(value) {
    this.value = value;
  }
}

class PyList {
  constructor(items) {
    this.items = items;
  }
}

class PyDict {
  constructor() {
    this.map = new Map();
  }

  static keyOf(key) {
    if (typeof key === 'boolean') return `n:${key ? 1 : 0}`;
    if (typeof key === 'number') return `n:${key}`;
    if (key instanceof PyFloat) return `n:${key.value}`;
    if (typeof key === 'string') return `s:${key}`;
    if (key === null) return 'None';
    throw new TypeError('unhashable');
  }
}

class PyFunction {
  constructor(node) {
    this.node = node;
  }
}

class Builtin {
  constructor(name, fn) {
    this.name = name;
    this.fn = fn;
  }
}

class BoundMethod {
  constructor(name, fn) {
    this.name = name;
    this.fn = fn;
  }
}

class BreakSignal {}
class ContinueSignal {}
class ReturnSignal {
  constructor(value) {
    this.value = value;
  }
}

const isNumber = (value) =>
  typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat;
const num = (value) =>
  value instanceof PyFloat ? value.value : typeof value === 'boolean' ? (value ? 1 : 0) : value;

export function typeName(value) {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'int';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'string') return 'str';
  if (value instanceof PyList) return 'list';
  if (value instanceof PyDict) return 'dict';
  return 'function';
}

function formatFloat(value) {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}

export function repr(value) {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  }
  return str(value);
}

export function str(value) {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (value instanceof PyFloat) return formatFloat(value.value);
  if (typeof value === 'string') return value;
  if (value instanceof PyList) return `[${value.items.map(repr).join(', ')}]`;
  if (value instanceof PyDict)
    return `{${[...value.map.values()].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
  if (value instanceof PyFunction) return `<function ${value.node.name}>`;
  return '<built-in function>';
}

function truthy(value) {
  if (value === null || value === false) return false;
  if (value === true) return true;
  if (isNumber(value)) return num(value) !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof PyList) return value.items.length > 0;
  if (value instanceof PyDict) return value.map.size > 0;
  return true;
}

function equals(a, b) {
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a === null || b === null) return a === b;
  if (a instanceof PyList && b instanceof PyList) {
    return a.items.length === b.items.length && a.items.every((item, i) => equals(item, b.items[i]));
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [key, [, value]] of a.map) {
      if (!b.map.has(key) || !equals(value, b.map.get(key)[1])) return false;
    }
    return true;
  }
  return a === b;
}

// ------------------------------------------------------------------------------------------------
// Interpreter

export const DEFAULT_LIMITS = Object.freeze({
  maxSteps: 200000,
  maxOutputLines: 2000,
  maxDepth: 100,
  maxItems: 100000,
});

/**
 * Runs a program. Returns { output: [lines], error: PyError | null, globals } — never throws for
 * an error in the program. `globals` can be passed to evaluate test expressions afterwards.
 */
export function run(source, limits = {}) {
  const interpreter = new Interpreter(limits);
  try {
    const program = parse(source);
    interpreter.execBlock(program, interpreter.globals);
    interpreter.flush();
    return { output: interpreter.output, error: null, interpreter };
  } catch (error) {
    interpreter.flush();
    return { output: interpreter.output, error: toPyError(error), interpreter };
  }
}

function toPyError(error) {
  if (error instanceof PyError) return error;
  if (error instanceof BreakSignal || error instanceof ContinueSignal)
    return new PyError('SyntaxError', "'break' or 'continue' outside loop", 0);
  if (error instanceof ReturnSignal) return new PyError('SyntaxError', "'return' outside function", 0);
  if (error instanceof RangeError)
    return new PyError('RecursionError', 'maximum recursion depth exceeded', 0);
  throw error;
}

class Interpreter {
  constructor(limits) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.steps = 0;
    this.depth = 0;
    this.output = [];
    this.pending = '';
    this.globals = new Map();
    this.builtins = makeBuiltins(this);
  }

  tick(line) {
    this.steps += 1;
    if (this.steps > this.limits.maxSteps) {
      throw new PyError('TimeoutError', 'the program ran too long (endless loop?)', line);
    }
  }

  write(text) {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop();
    for (const part of parts) {
      if (this.output.length >= this.limits.maxOutputLines)
        throw new PyError('OutputError', 'too much output', 0);
      this.output.push(part);
    }
  }

  flush() {
    if (this.pending) {
      this.output.push(this.pending);
      this.pending = '';
    }
  }

  execBlock(statements, scope) {
    for (const statement of statements) this.exec(statement, scope);
  }

  exec(node, scope) {
    this.tick(node.line);
    switch (node.type) {
      case 'expr':
        this.evalNode(node.expr, scope);
        return;
      case 'pass':
        return;
      case 'assign':
        this.assign(node.target, this.evalNode(node.value, scope), scope);
        return;
      case 'augassign': {
        const current = this.evalNode(node.target, scope);
        this.assign(
          node.target,
          this.binary(node.op, current, this.evalNode(node.value, scope), node.line),
          scope,
        );
        return;
      }
      case 'if':
        for (const test of node.tests) {
          if (truthy(this.evalNode(test.cond, scope))) {
            this.execBlock(test.body, scope);
            return;
          }
        }
        this.execBlock(node.orelse, scope);
        return;
      case 'while':
        while (truthy(this.evalNode(node.cond, scope))) {
          this.tick(node.line);
          try {
            this.execBlock(node.body, scope);
          } catch (signal) {
            if (signal instanceof BreakSignal) break;
            if (signal instanceof ContinueSignal) continue;
            throw signal;
          }
        }
        return;
      case 'for': {
        const items = this.iterate(this.evalNode(node.iter, scope), node.line);
        for (const item of items) {
          this.tick(node.line);
          scope.set(node.name, item);
          try {
            this.execBlock(node.body, scope);
          } catch (signal) {
            if (signal instanceof BreakSignal) break;
            if (signal instanceof ContinueSignal) continue;
            throw signal;
          }
        }
        return;
      }
      case 'def':
        scope.set(node.name, new PyFunction(node));
        return;
      case 'return':
        if (scope === this.globals) throw new PyError('SyntaxError', "'return' outside function", node.line);
        throw new ReturnSignal(node.value ? this.evalNode(node.value, scope) : null);
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      default:
        throw new PyError('SyntaxError', 'invalid syntax', node.line);
    }
  }

  assign(target, value, scope) {
    if (target.type === 'name') {
      scope.set(target.name, value);
      return;
    }
    const container = this.evalNode(target.object, scope);
    const index = this.evalNode(target.index, scope);
    if (container instanceof PyList) {
      container.items[this.listIndex(container.items, index, target.line)] = value;
    } else if (container instanceof PyDict) {
      container.map.set(this.hashKey(index, target.line), [index, value]);
    } else {
      throw new PyError(
        'TypeError',
        `'${typeName(container)}' object does not support item assignment`,
        target.line,
      );
    }
  }

  hashKey(key, line) {
    try {
      return PyDict.keyOf(key);
    } catch {
      throw new PyError('TypeError', `unhashable type: '${typeName(key)}'`, line);
    }
  }

  lookup(name, scope, line) {
    if (scope.has(name)) return scope.get(name);
    if (this.globals.has(name)) return this.globals.get(name);
    if (Object.hasOwn(this.builtins, name)) return this.builtins[name];
    throw new PyError('NameError', `name '${name}' is not defined`, line);
  }

  iterate(value, line) {
    if (value instanceof PyList) return [...value.items];
    if (typeof value === 'string') return [...value];
    if (value instanceof PyDict) return [...value.map.values()].map(([key]) => key);
    throw new PyError('TypeError', `'${typeName(value)}' object is not iterable`, line);
  }

  listIndex(items, index, line) {
    if (typeof index !== 'number' && typeof index !== 'boolean') {
      throw new PyError('TypeError', `indices must be integers, not ${typeName(index)}`, line);
    }
    const i = num(index) < 0 ? items.length + num(index) : num(index);
    if (i < 0 || i >= items.length) throw new PyError('IndexError', 'index out of range', line);
    return i;
  }

  evalNode(node, scope) {
    switch (node.type) {
      case 'const':
        return node.value;
      case 'name':
        return this.lookup(node.name, scope, node.line);
      case 'list':
        return new PyList(node.items.map((item) => this.evalNode(item, scope)));
      case 'dict': {
        const dict = new PyDict();
        for (const [keyNode, valueNode] of node.entries) {
          const key = this.evalNode(keyNode, scope);
          dict.map.set(this.hashKey(key, node.line), [key, this.evalNode(valueNode, scope)]);
        }
        return dict;
      }
      case 'and': {
        const left = this.evalNode(node.left, scope);
        return truthy(left) ? this.evalNode(node.right, scope) : left;
      }
      case 'or': {
        const left = this.evalNode(node.left, scope);
        return truthy(left) ? left : this.evalNode(node.right, scope);
      }
      case 'not':
        return !truthy(this.evalNode(node.operand, scope));
      case 'unary': {
        const value = this.evalNode(node.operand, scope);
        if (!isNumber(value))
          throw new PyError(
            'TypeError',
            `bad operand type for unary ${node.op}: '${typeName(value)}'`,
            node.line,
          );
        if (node.op === '+') return value instanceof PyFloat ? value : num(value);
        return value instanceof PyFloat ? new PyFloat(-value.value) : -num(value);
      }
      case 'binary':
        return this.binary(
          node.op,
          this.evalNode(node.left, scope),
          this.evalNode(node.right, scope),
          node.line,
        );
      case 'compare': {
        let left = this.evalNode(node.operands[0], scope);
        for (let i = 0; i < node.ops.length; i++) {
          const right = this.evalNode(node.operands[i + 1], scope);
          if (!this.compare(node.ops[i], left, right, node.line)) return false;
          left = right;
        }
        return true;
      }
      case 'index': {
        const container = this.evalNode(node.object, scope);
        const index = this.evalNode(node.index, scope);
        if (container instanceof PyList)
          return container.items[this.listIndex(container.items, index, node.line)];
        if (typeof container === 'string')
          return [...container][this.listIndex([...container], index, node.line)];
        if (container instanceof PyDict) {
          const entry = container.map.get(this.hashKey(index, node.line));
          if (!entry) throw new PyError('KeyError', repr(index), node.line);
          return entry[1];
        }
        throw new PyError('TypeError', `'${typeName(container)}' object is not subscriptable`, node.line);
      }
      case 'slice': {
        const container = this.evalNode(node.object, scope);
        const bound = (valueNode, fallback, length) => {
          if (!valueNode) return fallback;
          const value = this.evalNode(valueNode, scope);
          if (typeof value !== 'number')
            throw new PyError('TypeError', 'slice indices must be integers', node.line);
          const index = value < 0 ? length + value : value;
          return Math.min(Math.max(index, 0), length);
        };
        if (container instanceof PyList || typeof container === 'string') {
          const items = container instanceof PyList ? container.items : [...container];
          const sliced = items.slice(
            bound(node.start, 0, items.length),
            bound(node.end, items.length, items.length),
          );
          return container instanceof PyList ? new PyList(sliced) : sliced.join('');
        }
        throw new PyError('TypeError', `'${typeName(container)}' object is not subscriptable`, node.line);
      }
      case 'attribute':
        return this.attribute(this.evalNode(node.object, scope), node.name, node.line);
      case 'call': {
        const func = this.evalNode(node.func, scope);
        const args = node.args.map((arg) => this.evalNode(arg, scope));
        const kwargs = {};
        for (const [key, valueNode] of Object.entries(node.kwargs))
          kwargs[key] = this.evalNode(valueNode, scope);
        return this.call(func, args, kwargs, node.line);
      }
      default:
        throw new PyError('SyntaxError', 'invalid syntax', node.line);
    }
  }

  call(func, args, kwargs, line) {
    if (func instanceof Builtin || func instanceof BoundMethod) {
      if (Object.keys(kwargs).length && func.name !== 'print' && func.name !== 'sorted') {
        throw new PyError('TypeError', `${func.name}() takes no keyword arguments`, line);
      }
      return func.fn(args, kwargs, line);
    }
    if (!(func instanceof PyFunction))
      throw new PyError('TypeError', `'${typeName(func)}' object is not callable`, line);
    const { params, name, body } = func.node;
    if (Object.keys(kwargs).length)
      throw new PyError('TypeError', `${name}() got an unexpected keyword argument`, line);
    if (args.length !== params.length) {
      throw new PyError(
        'TypeError',
        `${name}() takes ${params.length} positional argument(s) but ${args.length} were given`,
        line,
      );
    }
    if (this.depth >= this.limits.maxDepth)
      throw new PyError('RecursionError', 'maximum recursion depth exceeded', line);
    const locals = new Map(params.map((param, i) => [param, args[i]]));
    this.depth += 1;
    try {
      this.execBlock(body, locals);
      return null;
    } catch (signal) {
      if (signal instanceof ReturnSignal) return signal.value;
      if (signal instanceof BreakSignal || signal instanceof ContinueSignal) {
        throw new PyError('SyntaxError', "'break' or 'continue' outside loop", line);
      }
      throw signal;
    } finally {
      this.depth -= 1;
    }
  }

  binary(op, a, b, line) {
    if (op === '+') {
      if (typeof a === 'string' && typeof b === 'string') return this.checkSize(a + b, line);
      if (a instanceof PyList && b instanceof PyList) return new PyList([...a.items, ...b.items]);
    }
    if (op === '*') {
      const [text, times] = typeof a === 'string' ? [a, b] : typeof b === 'string' ? [b, a] : [null, null];
      if (text !== null && typeof times === 'number')
        return this.checkSize(text.repeat(Math.max(0, times)), line);
      const [list, count] = a instanceof PyList ? [a, b] : b instanceof PyList ? [b, a] : [null, null];
      if (list && typeof count === 'number') {
        if (list.items.length * count > this.limits.maxItems)
          throw new PyError('MemoryError', 'list too large', line);
        return new PyList(Array.from({ length: Math.max(0, count) }, () => list.items).flat());
      }
    }
    if (op === '%' && typeof a === 'string')
      throw new PyError('TypeError', "'%' formatting is not supported here", line);
    if (!isNumber(a) || !isNumber(b)) {
      throw new PyError(
        'TypeError',
        `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`,
        line,
      );
    }
    const x = num(a);
    const y = num(b);
    const float = a instanceof PyFloat || b instanceof PyFloat;
    const wrap = (value) => (float ? new PyFloat(value) : value);
    switch (op) {
      case '+':
        return wrap(x + y);
      case '-':
        return wrap(x - y);
      case '*':
        return wrap(x * y);
      case '/':
        if (y === 0) throw new PyError('ZeroDivisionError', 'division by zero', line);
        return new PyFloat(x / y);
      case '//':
        if (y === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero', line);
        return wrap(Math.floor(x / y));
      case '%':
        if (y === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero', line);
        return wrap(x - y * Math.floor(x / y));
      case '**': {
        const result = x ** y;
        return float || y < 0 ? new PyFloat(result) : result;
      }
      default:
        throw new PyError('SyntaxError', 'invalid syntax', line);
    }
  }

  checkSize(text, line) {
    if (text.length > 1e6) throw new PyError('MemoryError', 'string too large', line);
    return text;
  }

  compare(op, a, b, line) {
    if (op === '==') return equals(a, b);
    if (op === '!=') return !equals(a, b);
    if (op === 'in' || op === 'not in') {
      let found;
      if (typeof b === 'string') {
        if (typeof a !== 'string')
          throw new PyError('TypeError', "'in <string>' requires string as left operand", line);
        found = b.includes(a);
      } else if (b instanceof PyList) found = b.items.some((item) => equals(item, a));
      else if (b instanceof PyDict) found = b.map.has(this.hashKey(a, line));
      else throw new PyError('TypeError', `argument of type '${typeName(b)}' is not iterable`, line);
      return op === 'in' ? found : !found;
    }
    let order;
    if (isNumber(a) && isNumber(b)) order = num(a) - num(b);
    else if (typeof a === 'string' && typeof b === 'string') order = a < b ? -1 : a > b ? 1 : 0;
    else if (a instanceof PyList && b instanceof PyList) order = this.compareLists(a.items, b.items, line);
    else
      throw new PyError(
        'TypeError',
        `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
        line,
      );
    return op === '<' ? order < 0 : op === '>' ? order > 0 : op === '<=' ? order <= 0 : order >= 0;
  }

  compareLists(a, b, line) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (equals(a[i], b[i])) continue;
      return this.compare('<', a[i], b[i], line) ? -1 : 1;
    }
    return a.length - b.length;
  }

  attribute(object, name, line) {
    const method = (fn) => new BoundMethod(name, fn);
    const arity = (args, min, max = min) => {
      if (args.length < min || args.length > max) {
        throw new PyError(
          'TypeError',
          `${name}() takes ${min === max ? min : `${min} to ${max}`} argument(s) (${args.length} given)`,
          line,
        );
      }
    };
    const needString = (value) => {
      if (typeof value !== 'string')
        throw new PyError('TypeError', `must be str, not ${typeName(value)}`, line);
      return value;
    };
    if (typeof object === 'string') {
      const methods = {
        lower: (args) => (arity(args, 0), object.toLowerCase()),
        upper: (args) => (arity(args, 0), object.toUpperCase()),
        strip: (args) => (arity(args, 0), object.trim()),
        split: (args) => {
          arity(args, 0, 1);
          if (args.length && args[0] !== null) {
            if (needString(args[0]) === '') throw new PyError('ValueError', 'empty separator', line);
            return new PyList(object.split(args[0]));
          }
          return new PyList(object.split(/\s+/).filter(Boolean));
        },
        replace: (args) => (arity(args, 2), object.split(needString(args[0])).join(needString(args[1]))),
        startswith: (args) => (arity(args, 1), object.startsWith(needString(args[0]))),
        endswith: (args) => (arity(args, 1), object.endsWith(needString(args[0]))),
        count: (args) => {
          arity(args, 1);
          const part = needString(args[0]);
          return part === '' ? object.length + 1 : object.split(part).length - 1;
        },
        find: (args) => (arity(args, 1), object.indexOf(needString(args[0]))),
        join: (args) => {
          arity(args, 1);
          return this.iterate(args[0], line).map(needString).join(object);
        },
      };
      if (Object.hasOwn(methods, name)) return method(methods[name]);
    } else if (object instanceof PyList) {
      const methods = {
        append: (args) => {
          arity(args, 1);
          if (object.items.length >= this.limits.maxItems)
            throw new PyError('MemoryError', 'list too large', line);
          object.items.push(args[0]);
          return null;
        },
        pop: (args) => {
          arity(args, 0, 1);
          if (!object.items.length) throw new PyError('IndexError', 'pop from empty list', line);
          const index = args.length ? this.listIndex(object.items, args[0], line) : object.items.length - 1;
          return object.items.splice(index, 1)[0];
        },
        insert: (args) => {
          arity(args, 2);
          const index = Math.min(
            Math.max(num(args[0]) < 0 ? object.items.length + num(args[0]) : num(args[0]), 0),
            object.items.length,
          );
          object.items.splice(index, 0, args[1]);
          return null;
        },
        index: (args) => {
          arity(args, 1);
          const found = object.items.findIndex((item) => equals(item, args[0]));
          if (found < 0) throw new PyError('ValueError', `${repr(args[0])} is not in list`, line);
          return found;
        },
        count: (args) => (arity(args, 1), object.items.filter((item) => equals(item, args[0])).length),
      };
      if (Object.hasOwn(methods, name)) return method(methods[name]);
    } else if (object instanceof PyDict) {
      const methods = {
        get: (args) => {
          arity(args, 1, 2);
          const entry = object.map.get(this.hashKey(args[0], line));
          return entry ? entry[1] : (args[1] ?? null);
        },
        keys: (args) => (arity(args, 0), new PyList([...object.map.values()].map(([key]) => key))),
        values: (args) => (arity(args, 0), new PyList([...object.map.values()].map(([, value]) => value))),
        items: (args) => (
          arity(args, 0),
          new PyList([...object.map.values()].map(([key, value]) => new PyList([key, value])))
        ),
      };
      if (Object.hasOwn(methods, name)) return method(methods[name]);
    }
    throw new PyError('AttributeError', `'${typeName(object)}' object has no attribute '${name}'`, line);
  }
}

function makeBuiltins(interpreter) {
  const builtin = (name, fn) => new Builtin(name, fn);
  const arity = (name, args, min, max, line) => {
    if (args.length < min || args.length > max) {
      throw new PyError(
        'TypeError',
        `${name}() takes ${min === max ? min : `${min} to ${max}`} argument(s) (${args.length} given)`,
        line,
      );
    }
  };
  const numbers = (name, args, line) => {
    const items = args.length === 1 && !isNumber(args[0]) ? interpreter.iterate(args[0], line) : args;
    if (!items.length) throw new PyError('ValueError', `${name}() arg is an empty sequence`, line);
    return items;
  };
  const pick = (name, args, line, better) => {
    const items = numbers(name, args, line);
    return items.reduce((best, item) => (interpreter.compare(better, item, best, line) ? item : best));
  };
  return {
    print: builtin('print', (args, kwargs) => {
      const sep = kwargs.sep === undefined || kwargs.sep === null ? ' ' : str(kwargs.sep);
      const end = kwargs.end === undefined || kwargs.end === null ? '\n' : str(kwargs.end);
      interpreter.write(args.map(str).join(sep) + end);
      return null;
    }),
    len: builtin('len', (args, _kw, line) => {
      arity('len', args, 1, 1, line);
      const [value] = args;
      if (typeof value === 'string') return [...value].length;
      if (value instanceof PyList) return value.items.length;
      if (value instanceof PyDict) return value.map.size;
      throw new PyError('TypeError', `object of type '${typeName(value)}' has no len()`, line);
    }),
    range: builtin('range', (args, _kw, line) => {
      arity('range', args, 1, 3, line);
      if (!args.every((arg) => typeof arg === 'number'))
        throw new PyError('TypeError', 'range() arguments must be integers', line);
      const [start, stop, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
      if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero', line);
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > interpreter.limits.maxItems) throw new PyError('MemoryError', 'range too large', line);
      return new PyList(Array.from({ length: count }, (_, i) => start + i * step));
    }),
    str: builtin(
      'str',
      (args, _kw, line) => (arity('str', args, 0, 1, line), args.length ? str(args[0]) : ''),
    ),
    repr: builtin('repr', (args, _kw, line) => (arity('repr', args, 1, 1, line), repr(args[0]))),
    int: builtin('int', (args, _kw, line) => {
      arity('int', args, 0, 1, line);
      const [value = 0] = args;
      if (isNumber(value)) return Math.trunc(num(value));
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value.trim());
      throw new PyError('ValueError', `invalid literal for int(): ${repr(value)}`, line);
    }),
    float: builtin('float', (args, _kw, line) => {
      arity('float', args, 0, 1, line);
      const [value = 0] = args;
      if (isNumber(value)) return new PyFloat(num(value));
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
        return new PyFloat(Number(value));
      throw new PyError('ValueError', `could not convert string to float: ${repr(value)}`, line);
    }),
    bool: builtin(
      'bool',
      (args, _kw, line) => (arity('bool', args, 0, 1, line), args.length ? truthy(args[0]) : false),
    ),
    abs: builtin('abs', (args, _kw, line) => {
      arity('abs', args, 1, 1, line);
      if (!isNumber(args[0]))
        throw new PyError('TypeError', `bad operand type for abs(): '${typeName(args[0])}'`, line);
      return args[0] instanceof PyFloat ? new PyFloat(Math.abs(args[0].value)) : Math.abs(num(args[0]));
    }),
    min: builtin('min', (args, _kw, line) => pick('min', args, line, '<')),
    max: builtin('max', (args, _kw, line) => pick('max', args, line, '>')),
    sum: builtin('sum', (args, _kw, line) => {
      arity('sum', args, 1, 1, line);
      return interpreter
        .iterate(args[0], line)
        .reduce((total, item) => interpreter.binary('+', total, item, line), 0);
    }),
    round: builtin('round', (args, _kw, line) => {
      arity('round', args, 1, 2, line);
      if (!isNumber(args[0]))
        throw new PyError('TypeError', `type ${typeName(args[0])} doesn't define __round__`, line);
      const value = num(args[0]);
      if (args.length === 1 || args[1] === null) {
        const floor = Math.floor(value);
        const diff = value - floor;
        // Python rounds halves to the even neighbour.
        return diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
      }
      const factor = 10 ** num(args[1]);
      const rounded = Math.round(value * factor) / factor;
      return args[0] instanceof PyFloat ? new PyFloat(rounded) : Math.round(rounded);
    }),
    sorted: builtin('sorted', (args, kwargs, line) => {
      arity('sorted', args, 1, 1, line);
      const items = interpreter.iterate(args[0], line);
      items.sort((a, b) =>
        interpreter.compare('<', a, b, line) ? -1 : interpreter.compare('>', a, b, line) ? 1 : 0,
      );
      if (kwargs.reverse !== undefined && truthy(kwargs.reverse)) items.reverse();
      return new PyList(items);
    }),
    list: builtin(
      'list',
      (args, _kw, line) => (
        arity('list', args, 0, 1, line),
        new PyList(args.length ? interpreter.iterate(args[0], line) : [])
      ),
    ),
  };
}

/**
 * Runs the program, then each test: { call: 'f(2)', expected: '4' } compares repr() of the call's
 * result; { output: 'line1\nline2' } compares the program's whole printed output.
 * Returns { output, error, results: [{ label, passed, expected, got }] }.
 */
export function runTests(source, tests, limits = {}) {
  const { output, error, interpreter } = run(source, limits);
  const results = tests.map((test) => {
    const label = test.label ?? test.call ?? 'output';
    if (error)
      return {
        label,
        passed: false,
        expected: test.expected ?? test.output,
        got: `${error.kind}: ${error.detail}`,
      };
    if (test.output !== undefined) {
      const got = output
        .map((line) => line.replace(/\s+$/, ''))
        .join('\n')
        .trim();
      return { label, passed: got === test.output.trim(), expected: test.output, got };
    }
    try {
      const [statement] = parse(test.call);
      interpreter.steps = 0;
      const value = interpreter.evalNode(statement.expr, interpreter.globals);
      const got = repr(value);
      return { label, passed: got === test.expected, expected: test.expected, got };
    } catch (caught) {
      const pyError = toPyError(caught);
      return { label, passed: false, expected: test.expected, got: `${pyError.kind}: ${pyError.detail}` };
    }
  });
  return { output, error, results };
}

/** The answer posted to the player: "tests:3/4". */
export function testsAnswer(results) {
  return `tests:${results.filter((result) => result.passed).length}/${results.length}`;
}
