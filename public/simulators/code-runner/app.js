import { connect } from '../shared/bridge.js';
import { announce, h, render } from '../shared/dom.js';
import { run, runTests, testsAnswer } from './interpreter.js';

const bridge = await connect('code-runner', new URL('.', import.meta.url).href);
const { t } = bridge;
const scenario = bridge.scenario;
const tests = scenario.tests ?? [];

const app = document.getElementById('app');
const editor = h('textarea', {
  id: 'cr-code',
  class: 'cr-editor',
  spellcheck: 'false',
  autocomplete: 'off',
  autocapitalize: 'off',
  rows: String(Math.max(10, scenario.code.split('\n').length + 2)),
  'aria-describedby': 'cr-help cr-position',
});
editor.value = scenario.code;
const position = h('p', { class: 'sim-hint', id: 'cr-position', 'aria-live': 'off' });
const output = h('pre', { class: 'cr-output', tabindex: '0', 'aria-label': t('outputLabel') });
const testList = h('ul', { class: 'cr-tests' });
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });

function showPosition() {
  const before = editor.value.slice(0, editor.selectionStart ?? 0);
  const lines = before.split('\n');
  position.textContent = t('position', { line: lines.length, column: lines[lines.length - 1].length + 1 });
}

function errorLine(error) {
  return error.line
    ? t('errorAt', { line: error.line, kind: error.kind, detail: error.detail })
    : `${error.kind}: ${error.detail}`;
}

function showOutput(lines, error) {
  const text = lines.join('\n');
  render(
    output,
    text || (error ? '' : t('noOutput')),
    error ? h('span', { class: 'cr-error', text: `${text ? '\n' : ''}${errorLine(error)}` }) : null,
  );
}

function runProgram() {
  const result = run(editor.value);
  showOutput(result.output, result.error);
  announce(live, result.error ? t('finishedWithError') : t('finished'));
}

function runAllTests() {
  const result = runTests(editor.value, tests);
  showOutput(result.output, result.error);
  render(
    testList,
    result.results.map((test) =>
      h(
        'li',
        { class: test.passed ? 'is-ok' : 'is-ko' },
        h('span', { 'aria-hidden': 'true', text: test.passed ? '✓ ' : '✗ ' }),
        h('code', { text: test.label }),
        ' — ',
        test.passed ? t('testPassed') : t('testFailed', { expected: test.expected, got: test.got }),
      ),
    ),
  );
  const passed = result.results.filter((test) => test.passed).length;
  announce(live, t('testsSummary', { passed, total: result.results.length }));
  bridge.answer(testsAnswer(result.results));
}

editor.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
  // Keep the indentation of the current line, one level more after a colon.
  const start = editor.selectionStart;
  const end = editor.selectionEnd;
  const value = editor.value;
  const lineStart = value.lastIndexOf('\n', start - 1) + 1;
  const line = value.slice(lineStart, start);
  let indent = /^[ \t]*/.exec(line)[0];
  if (/:\s*$/.test(line)) indent += '    ';
  event.preventDefault();
  editor.value = `${value.slice(0, start)}\n${indent}${value.slice(end)}`;
  editor.selectionStart = editor.selectionEnd = start + 1 + indent.length;
  showPosition();
});
editor.addEventListener('keyup', showPosition);
editor.addEventListener('click', showPosition);

render(
  app,
  h('h1', { text: scenario.heading ?? t('title') }),
  h(
    'div',
    { class: 'cr-task' },
    scenario.task.split('\n').map((paragraph) => h('p', { text: paragraph })),
  ),
  h('label', { for: 'cr-code', class: 'cr-label', text: t('codeLabel') }),
  h('p', { class: 'sim-hint', id: 'cr-help', text: t('help') }),
  editor,
  position,
  h(
    'div',
    { class: 'sim-toolbar' },
    h('button', {
      type: 'button',
      class: tests.length ? '' : 'sim-primary',
      text: t('run'),
      onclick: runProgram,
    }),
    tests.length
      ? h('button', { type: 'button', class: 'sim-primary', text: t('runTests'), onclick: runAllTests })
      : null,
    h('button', {
      type: 'button',
      text: t('reset'),
      onclick: () => {
        editor.value = scenario.code;
        render(output);
        render(testList);
        announce(live, t('resetDone'));
      },
    }),
  ),
  live,
  h('h2', { text: t('outputTitle') }),
  output,
  tests.length
    ? [
        h('h2', { text: t('testsTitle') }),
        h('p', { class: 'sim-muted', text: t('testsIntro', { count: tests.length }) }),
        testList,
      ]
    : null,
);

showPosition();
bridge.ready();
if (tests.length) bridge.answer(`tests:0/${tests.length}`);
