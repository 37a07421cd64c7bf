import { connect } from '../shared/bridge.js';
import { announce, h, render } from '../shared/dom.js';
import { checkPolicy, estimateStrength, passwordAnswer } from './logic.js';

const bridge = await connect('password-checker', new URL('.', import.meta.url).href);
const { t } = bridge;
const scenario = bridge.scenario;
const userInputs = scenario.userInputs ?? [];
const isForm = scenario.mode === 'signup' || scenario.mode === 'change';

const app = document.getElementById('app');
const password = h('input', { type: 'password', id: 'pw-new', autocomplete: 'off', spellcheck: 'false' });
const confirmation = h('input', {
  type: 'password',
  id: 'pw-confirm',
  autocomplete: 'off',
  spellcheck: 'false',
});
const meter = h('div', { class: 'pw-meter', 'aria-hidden': 'true' }, h('div', { class: 'pw-meter-bar' }));
const strengthText = h('p', { class: 'pw-strength', id: 'pw-strength' });
const feedback = h('ul', { class: 'pw-feedback' });
const rulesList = h('ul', { class: 'pw-rules', id: 'pw-rules' });
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const result = h('div', { class: 'pw-result', role: 'alert' });

function toggleButton(input) {
  const button = h('button', {
    type: 'button',
    class: 'pw-toggle',
    'aria-pressed': 'false',
    text: t('show'),
    onclick: () => {
      const visible = input.type === 'password';
      input.type = visible ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(visible));
      button.textContent = visible ? t('hide') : t('show');
    },
  });
  return button;
}

const ruleVars = {
  ...(scenario.policy ?? {}),
  minScoreLabel: scenario.policy?.minScore !== undefined ? t(`score.${scenario.policy.minScore}`) : '',
};

function rules() {
  return checkPolicy(password.value, scenario.policy ?? {}, { userInputs, confirmation: confirmation.value });
}

function update() {
  const estimate = estimateStrength(password.value, { userInputs });
  meter.dataset.score = password.value ? String(estimate.score) : '';
  meter.firstChild.style.width = password.value ? `${(estimate.score + 1) * 20}%` : '0';
  strengthText.textContent = password.value
    ? t('strength', { label: t(`score.${estimate.score}`), bits: Math.round(estimate.bits) })
    : t('strengthEmpty');
  render(
    feedback,
    password.value ? estimate.feedback.map((code) => h('li', { text: t(`feedback.${code}`) })) : null,
  );
  if (isForm) {
    render(
      rulesList,
      rules().map((rule) =>
        h(
          'li',
          { class: rule.met ? 'is-met' : 'is-unmet' },
          h('span', { 'aria-hidden': 'true', text: rule.met ? '✓ ' : '✗ ' }),
          h('span', { class: 'visually-hidden', text: rule.met ? t('ruleMet') : t('ruleUnmet') }),
          t(`rule.${rule.id}`, ruleVars),
        ),
      ),
    );
  }
}

const header = h(
  'header',
  {},
  h('h1', { text: scenario.heading ?? t('title') }),
  h('p', { class: 'sim-notice', text: t('warning') }),
  scenario.intro ? h('p', { text: scenario.intro }) : null,
);

if (isForm) {
  const account = (scenario.account ?? []).map(([label, value]) =>
    h('p', { class: 'pw-account' }, h('strong', { text: t('fieldLabel', { label }) }), value),
  );
  render(
    app,
    header,
    h(
      'form',
      {
        class: 'sim-panel',
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const current = rules();
          const answer = passwordAnswer(current);
          bridge.answer(answer);
          const unmet = current.filter((rule) => !rule.met);
          result.className = `pw-result ${unmet.length ? 'is-error' : 'is-ok'}`;
          render(
            result,
            unmet.length
              ? [
                  h('p', { text: t('refused') }),
                  h(
                    'ul',
                    {},
                    unmet.map((rule) => h('li', { text: t(`rule.${rule.id}`, ruleVars) })),
                  ),
                ]
              : h('p', { text: scenario.mode === 'change' ? t('changed') : t('created') }),
          );
        },
      },
      account,
      h('h2', { text: t('policyTitle') }),
      rulesList,
      h(
        'div',
        { class: 'sim-field' },
        h('label', { for: 'pw-new', text: scenario.mode === 'change' ? t('newPassword') : t('password') }),
        h('div', { class: 'pw-row' }, password, toggleButton(password)),
      ),
      meter,
      strengthText,
      feedback,
      h(
        'div',
        { class: 'sim-field' },
        h('label', { for: 'pw-confirm', text: t('confirm') }),
        h('div', { class: 'pw-row' }, confirmation, toggleButton(confirmation)),
      ),
      h('button', {
        type: 'submit',
        class: 'sim-primary',
        text: scenario.mode === 'change' ? t('submitChange') : t('submit'),
      }),
      result,
    ),
    live,
  );
  password.setAttribute('aria-describedby', 'pw-rules pw-strength');
} else {
  render(
    app,
    header,
    h(
      'div',
      { class: 'sim-panel' },
      h(
        'div',
        { class: 'sim-field' },
        h('label', { for: 'pw-new', text: t('testLabel') }),
        h('div', { class: 'pw-row' }, password, toggleButton(password)),
      ),
      meter,
      strengthText,
      feedback,
    ),
    live,
  );
  password.setAttribute('aria-describedby', 'pw-strength');
}

let announceTimer;
password.addEventListener('input', () => {
  update();
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => announce(live, strengthText.textContent), 800);
});
confirmation.addEventListener('input', update);
update();
bridge.ready();
if (isForm) bridge.answer(passwordAnswer(rules()));
