import { expect } from 'chai';
import {
  parse,
  repr,
  run,
  runTests,
  testsAnswer,
} from '../../../public/simulators/code-runner/interpreter.js';

const output = (source: string) => {
  const result = run(source);
  if (result.error) throw new Error(result.error.message);
  return result.output;
};

describe('simulators: mini-Python interpreter', () => {
  it('prints values like Python does', () => {
    expect(output('print(1, 2.0, 10 / 4, 4 / 2, "a", True, None, [1, "b"], {"k": 1})')).to.deep.equal([
      "1 2.0 2.5 2.0 a True None [1, 'b'] {'k': 1}",
    ]);
    expect(output('print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 2 ** -1, 0.1 + 0.2)')).to.deep.equal([
      '3 -4 1 2 1024 0.5 0.30000000000000004',
    ]);
    expect(output('print("a", "b", sep="-", end="!")\nprint("c")')).to.deep.equal(['a-b!c']);
  });

  it('runs conditions, loops, break and continue', () => {
    const source = [
      'total = 0',
      'for i in range(10):',
      '    if i % 2 == 0:',
      '        continue',
      '    if i > 7:',
      '        break',
      '    total += i',
      'n = 3',
      'while n > 0:',
      '    n -= 1',
      'if total == 16 and n == 0:',
      '    print("ok", total)',
      'elif total > 16:',
      '    print("too much")',
      'else:',
      '    print("no")',
    ].join('\n');
    expect(output(source)).to.deep.equal(['ok 16']);
  });

  it('defines functions with return values and recursion', () => {
    const source =
      'def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nprint(fact(10))';
    expect(output(source)).to.deep.equal(['3628800']);
  });

  it('handles lists, dicts, strings and their methods', () => {
    const source = [
      'words = "Le chat et le chien".lower().split()',
      'counts = {}',
      'for w in words:',
      '    counts[w] = counts.get(w, 0) + 1',
      'print(counts, len(counts), "chat" in counts)',
      'xs = [3, 1, 2]',
      'xs.append(0)',
      'print(sorted(xs), xs[-1], xs[1:3], max(xs), sum(xs), "-".join(["a", "b"]))',
      'print("IMG_01.JPG".replace("IMG_", "photo-").lower(), "abc".upper(), "  x ".strip(), "abcabc".count("b"))',
    ].join('\n');
    expect(output(source)).to.deep.equal([
      "{'le': 2, 'chat': 1, 'et': 1, 'chien': 1} 4 True",
      '[0, 1, 2, 3] 0 [1, 2] 3 6 a-b',
      'photo-01.jpg ABC x 2',
    ]);
  });

  it('reports errors with their kind and line, without throwing', () => {
    const cases: [string, string, number][] = [
      ['x = 1\nprint(y)', 'NameError', 2],
      ['print(1 / 0)', 'ZeroDivisionError', 1],
      ['xs = [1]\nprint(xs[3])', 'IndexError', 2],
      ['print("a" + 1)', 'TypeError', 1],
      ['d = {}\nprint(d["k"])', 'KeyError', 2],
      ['if True\n    print(1)', 'SyntaxError', 1],
      ['print("open)', 'SyntaxError', 1],
      ['if True:\n        print(1)\n    print(2)', 'IndentationError', 3],
      ['def f(n):\n    return f(n)\nf(1)', 'RecursionError', 2],
    ];
    for (const [source, kind, line] of cases) {
      const { error } = run(source);
      expect(error?.kind, source).to.equal(kind);
      expect(error?.line, source).to.equal(line);
    }
  });

  it('stops endless loops with a step limit', () => {
    const { error } = run('while True:\n    pass', { maxSteps: 5000 });
    expect(error?.kind).to.equal('TimeoutError');
  });

  it('cannot reach JavaScript or the page', () => {
    for (const source of [
      'print(constructor)',
      'print(globalThis)',
      'x = [].constructor',
      'print("a".__proto__)',
    ]) {
      expect(run(source).error, source).to.not.equal(null);
    }
  });

  it('runs tests on function calls and on the printed output', () => {
    const source = 'def double(n):\n    return n * 2\nprint("hi")';
    const { results } = runTests(source, [
      { call: 'double(2)', expected: '4' },
      { call: 'double(1.5)', expected: '3.0' },
      { call: 'double("ab")', expected: "'abab'" },
      { output: 'hi' },
      { call: 'triple(1)', expected: '3' },
    ]);
    expect(results.map((result) => result.passed)).to.deep.equal([true, true, true, true, false]);
    expect(results[4]?.got).to.contain('NameError');
    expect(testsAnswer(results)).to.equal('tests:4/5');
  });

  it('fails every test when the program itself fails', () => {
    const { results } = runTests('def f(:\n    pass', [{ call: 'f()', expected: 'None' }]);
    expect(results[0]?.passed).to.equal(false);
    expect(results[0]?.got).to.contain('SyntaxError');
  });

  it('parses a program into statements and quotes strings like repr()', () => {
    expect(parse('x = 1\nif x:\n    x += 1\n')).to.have.length(2);
    expect(repr("it's")).to.equal('"it\'s"');
    expect(repr('a\nb')).to.equal("'a\\nb'");
  });
});
