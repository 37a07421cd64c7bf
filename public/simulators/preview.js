import { acceptSimulatorMessage, simulatorUrl } from '../js/simulator-bridge.js';

const SIMULATORS = [
  'mail-client',
  'file-manager',
  'search-engine',
  'privacy-settings',
  'spreadsheet',
  'password-checker',
  'troubleshooting-console',
  'code-runner',
  'cookie-consent',
  'share-dialog',
];

const form = document.getElementById('preview-form');
const simulatorSelect = document.getElementById('preview-simulator');
const langSelect = document.getElementById('preview-lang');
const challengeInput = document.getElementById('preview-challenge');
const scenarioInput = document.getElementById('preview-scenario');
const frame = document.getElementById('preview-frame');
const log = document.getElementById('preview-log');
const answerLine = document.getElementById('preview-answer');
let expected = {};

for (const id of SIMULATORS) {
  const option = document.createElement('option');
  option.value = id;
  option.textContent = id;
  simulatorSelect.append(option);
}

function fillList(listId, values) {
  const list = document.getElementById(listId);
  list.replaceChildren(
    ...values.map((value) => {
      const option = document.createElement('option');
      option.value = value;
      return option;
    }),
  );
}

async function loadScenarioNames() {
  try {
    const response = await fetch(`${simulatorSelect.value}/scenarios.json`);
    const file = await response.json();
    fillList('preview-challenges', Object.keys(file.challenges ?? {}));
    fillList('preview-scenarios', Object.keys(file.scenarios ?? {}));
  } catch {
    fillList('preview-challenges', []);
    fillList('preview-scenarios', []);
  }
}

simulatorSelect.addEventListener('change', loadScenarioNames);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  expected = { simulator: simulatorSelect.value, challenge: challengeInput.value.trim() };
  log.replaceChildren();
  answerLine.textContent = 'Last answer: (none)';
  frame.src = simulatorUrl(simulatorSelect.value, {
    lang: langSelect.value,
    challenge: expected.challenge,
    scenario: scenarioInput.value.trim(),
  });
});

window.addEventListener('message', (event) => {
  const message = acceptSimulatorMessage(event, frame.contentWindow, expected);
  const item = document.createElement('li');
  item.textContent = message ? JSON.stringify(message) : `refused: ${String(event.origin)}`;
  log.prepend(item);
  if (!message) return;
  if (message.type === 'height') frame.height = String(message.height);
  if (message.type === 'answer') answerLine.textContent = `Last answer: ${message.answer}`;
});

loadScenarioNames();
