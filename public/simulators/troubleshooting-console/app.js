import { connect } from '../shared/bridge.js';
import { h, render } from '../shared/dom.js';
import { consoleAnswer, createMachine, runCommand } from './logic.js';

const bridge = await connect('troubleshooting-console', new URL('.', import.meta.url).href);
const { t } = bridge;
const scenario = bridge.scenario;
let machine = createMachine(scenario);
const history = [];
let historyIndex = 0;

const app = document.getElementById('app');
const output = h('div', {
  class: 'tc-output',
  role: 'log',
  'aria-live': 'polite',
  'aria-label': t('outputLabel'),
  tabindex: '0',
});
const input = h('input', {
  type: 'text',
  id: 'tc-input',
  autocomplete: 'off',
  spellcheck: 'false',
  autocapitalize: 'off',
});

function print(lines, command) {
  const block = h('div', { class: 'tc-block' });
  if (command !== undefined)
    block.append(h('p', { class: 'tc-command', text: `${machine.hostname}> ${command}` }));
  for (const line of lines) block.append(h('p', { class: 'tc-line', text: line || '\u00a0' }));
  output.append(block);
  output.scrollTop = output.scrollHeight;
}

render(
  app,
  h('h1', { text: t('title') }),
  h('p', { class: 'sim-muted', text: t('intro', { host: machine.hostname }) }),
  output,
  h(
    'form',
    {
      class: 'tc-form',
      onsubmit: (event) => {
        event.preventDefault();
        const line = input.value;
        input.value = '';
        if (line.trim()) {
          history.push(line);
          historyIndex = history.length;
        }
        const result = runCommand(machine, line, t);
        machine = result.state;
        if (result.clear) output.replaceChildren();
        else print(result.lines, line);
        if (scenario.report) bridge.answer(consoleAnswer(machine, scenario.report));
      },
    },
    h(
      'label',
      { for: 'tc-input', class: 'tc-prompt' },
      `${machine.hostname}>`,
      h('span', { class: 'visually-hidden', text: ` ${t('commandLabel')}` }),
    ),
    input,
    h('button', { type: 'submit', class: 'sim-primary', text: t('run') }),
  ),
);

input.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowUp' && historyIndex > 0) {
    event.preventDefault();
    historyIndex -= 1;
    input.value = history[historyIndex];
  } else if (event.key === 'ArrowDown' && historyIndex < history.length) {
    event.preventDefault();
    historyIndex += 1;
    input.value = history[historyIndex] ?? '';
  }
});

bridge.ready();
if (scenario.report) bridge.answer(consoleAnswer(machine, scenario.report));
