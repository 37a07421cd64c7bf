import { connect } from '../shared/bridge.js';
import { announce, h, render } from '../shared/dom.js';
import { expandRange } from './formula.js';
import {
  columnName,
  computeSheet,
  copyCells,
  createSheet,
  displayValue,
  refName,
  setCell,
  sheetAnswer,
} from './sheet.js';

const bridge = await connect('spreadsheet', new URL('.', import.meta.url).href);
const { t, lang } = bridge;
const scenario = bridge.scenario;
const options = { decimalComma: lang === 'fr' };
let sheet = createSheet(scenario);
let values = computeSheet(sheet, options);
let active = 'A1';
let clipboard = null;

const app = document.getElementById('app');
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const nameBox = h('input', {
  type: 'text',
  id: 'ss-name',
  class: 'ss-name',
  value: active,
  autocomplete: 'off',
  spellcheck: 'false',
});
const formulaBar = h('input', {
  type: 'text',
  id: 'ss-formula',
  class: 'ss-formula',
  autocomplete: 'off',
  spellcheck: 'false',
});
const table = h('table', { class: 'ss-grid' });
const inputs = new Map();

function rangeInBox() {
  const text = nameBox.value.trim().toUpperCase();
  try {
    expandRange(text);
    return text;
  } catch {
    return null;
  }
}

function refresh() {
  values = computeSheet(sheet, options);
  for (const [name, input] of inputs) {
    if (document.activeElement === input) continue;
    input.value = displayValue(values.get(name), lang);
    const value = values.get(name);
    input.classList.toggle('is-number', typeof value === 'number');
  }
  formulaBar.value = sheet.cells[active] ?? '';
  if (scenario.report) bridge.answer(sheetAnswer(sheet, scenario.report, options));
}

function commit(name, raw) {
  if ((sheet.cells[name] ?? '') === raw) return;
  sheet = setCell(sheet, name, raw);
  refresh();
}

function focusCell(name) {
  const input = inputs.get(name);
  if (input) input.focus();
}

function move(name, dRow, dCol) {
  const col = name.charCodeAt(0) - 65 + dCol;
  const row = Number(name.slice(1)) - 1 + dRow;
  if (col < 0 || col >= sheet.cols || row < 0 || row >= sheet.rows) return;
  focusCell(refName(col, row));
}

function buildGrid() {
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('td', { class: 'ss-corner' }),
      Array.from({ length: sheet.cols }, (_, col) => h('th', { scope: 'col', text: columnName(col) })),
    ),
  );
  const body = h(
    'tbody',
    {},
    Array.from({ length: sheet.rows }, (_, row) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: String(row + 1) }),
        Array.from({ length: sheet.cols }, (_, col) => {
          const name = refName(col, row);
          const input = h('input', {
            type: 'text',
            class: 'ss-cell',
            'aria-label': name,
            autocomplete: 'off',
            spellcheck: 'false',
            tabindex: name === active ? '0' : '-1',
            onfocus: () => {
              inputs.get(active)?.setAttribute('tabindex', '-1');
              active = name;
              input.setAttribute('tabindex', '0');
              input.value = sheet.cells[name] ?? '';
              nameBox.value = name;
              formulaBar.value = input.value;
              input.select?.();
            },
            oninput: () => {
              formulaBar.value = input.value;
            },
            onblur: () => {
              commit(name, input.value);
              input.value = displayValue(values.get(name), lang);
            },
            onkeydown: (event) => {
              if (event.key === 'Enter' || event.key === 'ArrowDown') {
                event.preventDefault();
                commit(name, input.value);
                move(name, 1, 0);
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                commit(name, input.value);
                move(name, -1, 0);
              } else if (event.key === 'Escape') {
                input.value = sheet.cells[name] ?? '';
                formulaBar.value = input.value;
              } else if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && event.ctrlKey) {
                event.preventDefault();
                commit(name, input.value);
                move(name, 0, event.key === 'ArrowRight' ? 1 : -1);
              }
            },
          });
          inputs.set(name, input);
          return h('td', {}, input);
        }),
      ),
    ),
  );
  render(table, h('caption', { class: 'visually-hidden', text: t('gridCaption') }), head, body);
}

render(
  app,
  h('h1', { text: scenario.title ?? t('title') }),
  scenario.note ? h('p', { class: 'sim-muted', text: scenario.note }) : null,
  h(
    'div',
    { class: 'ss-bar' },
    h('label', { for: 'ss-name', class: 'visually-hidden', text: t('nameBox') }),
    nameBox,
    h(
      'label',
      { for: 'ss-formula', class: 'ss-fx' },
      h('span', { 'aria-hidden': 'true', text: 'fx' }),
      h('span', { class: 'visually-hidden', text: t('formulaBar') }),
    ),
    formulaBar,
  ),
  h(
    'div',
    { class: 'sim-toolbar', role: 'toolbar', 'aria-label': t('toolbar') },
    h('button', {
      type: 'button',
      text: t('copy'),
      onclick: () => {
        const range = rangeInBox();
        if (!range) return announce(live, t('badRange'));
        clipboard = range;
        announce(live, t('copied', { range }));
      },
    }),
    h('button', {
      type: 'button',
      text: t('paste'),
      onclick: () => {
        const range = rangeInBox();
        if (!clipboard) return announce(live, t('nothingCopied'));
        if (!range) return announce(live, t('badRange'));
        sheet = copyCells(sheet, clipboard, range, options);
        refresh();
        announce(live, t('pasted', { range }));
      },
    }),
    h('button', {
      type: 'button',
      text: t('clear'),
      onclick: () => {
        const range = rangeInBox();
        if (!range) return announce(live, t('badRange'));
        for (const name of expandRange(range)) sheet = setCell(sheet, name, '');
        refresh();
        announce(live, t('cleared', { range }));
      },
    }),
  ),
  h('p', { class: 'sim-hint', id: 'ss-help', text: t('help') }),
  h('div', { class: 'ss-scroll' }, table),
  live,
);

nameBox.setAttribute('aria-describedby', 'ss-help');
nameBox.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  const range = rangeInBox();
  if (!range) return announce(live, t('badRange'));
  const first = expandRange(range)[0];
  if (!range.includes(':')) focusCell(first);
  else announce(live, t('rangeSelected', { range }));
});
formulaBar.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  commit(active, formulaBar.value);
  focusCell(active);
});
formulaBar.addEventListener('change', () => commit(active, formulaBar.value));

buildGrid();
refresh();
bridge.ready();
