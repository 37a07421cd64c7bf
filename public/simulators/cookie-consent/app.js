import { connect } from '../shared/bridge.js';
import { announce, h, render, uid } from '../shared/dom.js';
import {
  acceptAll,
  activeVendorCount,
  consentAnswer,
  createConsentState,
  refuseAll,
  reopen,
  save,
  setConsent,
  setObjection,
} from './logic.js';

const bridge = await connect('cookie-consent', new URL('.', import.meta.url).href);
const { t } = bridge;
const scenario = bridge.scenario;
let state = createConsentState(scenario);
let customising = false;

const app = document.getElementById('app');
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const bannerSlot = h('div');

function commit(next, message) {
  state = next;
  bridge.answer(consentAnswer(state));
  if (message) announce(live, message);
  draw();
}

function purposeLabel(purpose) {
  return scenario.labels[purpose.id] ?? purpose.id;
}

function vendorDetails(purpose) {
  if (!purpose.vendors.length) return null;
  return h(
    'details',
    { class: 'cc-vendors' },
    h('summary', { text: t('vendors', { count: purpose.vendors.length }) }),
    h(
      'ul',
      {},
      purpose.vendors.map((vendor) => h('li', { text: vendor })),
    ),
  );
}

function switchRow(id, label, checked, onChange, disabled = false, description = '') {
  const descId = description ? `${id}-desc` : undefined;
  return h(
    'div',
    { class: 'sim-switch cc-row' },
    h('input', {
      type: 'checkbox',
      role: 'switch',
      id,
      checked,
      disabled,
      'aria-describedby': descId,
      onchange: (event) => onChange(event.target.checked),
    }),
    h('label', { for: id, text: label }),
    description ? h('p', { class: 'sim-hint', id: descId, text: description }) : null,
  );
}

function drawCustomise() {
  const consentPurposes = state.purposes.filter((purpose) => !purpose.legitimateInterest);
  const liPurposes = state.purposes.filter((purpose) => purpose.legitimateInterest);
  return h(
    'div',
    { class: 'cc-custom' },
    h('h3', { text: t('consentTitle') }),
    consentPurposes.map((purpose) =>
      h(
        'div',
        { class: 'cc-purpose' },
        switchRow(
          uid('c'),
          purposeLabel(purpose) + (purpose.required ? ` (${t('required')})` : ''),
          state.consent[purpose.id],
          (value) =>
            commit(
              setConsent(state, purpose.id, value),
              t(value ? 'accepted' : 'refused', { purpose: purposeLabel(purpose) }),
            ),
          purpose.required,
          scenario.descriptions[purpose.id] ?? '',
        ),
        vendorDetails(purpose),
      ),
    ),
    liPurposes.length
      ? [
          h('h3', { text: t('liTitle') }),
          h('p', { class: 'sim-hint', text: t('liIntro') }),
          liPurposes.map((purpose) =>
            h(
              'div',
              { class: 'cc-purpose' },
              h(
                'p',
                {},
                h('strong', { text: purposeLabel(purpose) }),
                ` — ${scenario.descriptions[purpose.id] ?? ''}`,
              ),
              switchRow(
                uid('c'),
                t('consentFor', { purpose: purposeLabel(purpose) }),
                state.consent[purpose.id],
                (value) =>
                  commit(
                    setConsent(state, purpose.id, value),
                    t(value ? 'accepted' : 'refused', { purpose: purposeLabel(purpose) }),
                  ),
              ),
              switchRow(
                uid('o'),
                t('object', { purpose: purposeLabel(purpose) }),
                state.objections[purpose.id],
                (value) =>
                  commit(
                    setObjection(state, purpose.id, value),
                    t(value ? 'objected' : 'notObjected', { purpose: purposeLabel(purpose) }),
                  ),
              ),
              vendorDetails(purpose),
            ),
          ),
        ]
      : null,
    h(
      'div',
      { class: 'sim-toolbar' },
      h('button', {
        type: 'button',
        class: 'sim-primary',
        text: t('saveChoices'),
        onclick: () => commit(save(state), t('choicesSaved')),
      }),
      h('button', {
        type: 'button',
        text: t('refuseAllButton'),
        onclick: () => commit(refuseAll(state), t('choicesSaved')),
      }),
      h('button', {
        type: 'button',
        text: t('acceptAll'),
        onclick: () => commit(acceptAll(state), t('choicesSaved')),
      }),
    ),
  );
}

function drawBanner() {
  if (state.saved) {
    render(bannerSlot);
    return;
  }
  render(
    bannerSlot,
    h(
      'section',
      { class: 'cc-banner', role: 'region', 'aria-labelledby': 'cc-title' },
      h(
        'div',
        { class: 'cc-top' },
        h('h2', { id: 'cc-title', tabindex: '-1', text: t('bannerTitle') }),
        h('button', {
          type: 'button',
          class: 'cc-quiet',
          text: t('continueWithout'),
          onclick: () => commit(refuseAll(state), t('choicesSaved')),
        }),
      ),
      h('p', {
        text: t('bannerText', {
          site: scenario.site,
          count: state.purposes.reduce((n, p) => n + p.vendors.length, 0),
        }),
      }),
      customising
        ? drawCustomise()
        : h(
            'div',
            { class: 'cc-actions' },
            h('button', {
              type: 'button',
              class: 'sim-primary cc-accept',
              text: t('acceptAll'),
              onclick: () => commit(acceptAll(state), t('choicesSaved')),
            }),
            h('button', {
              type: 'button',
              text: t('customise'),
              onclick: () => {
                customising = true;
                draw();
                bannerSlot.querySelector('.cc-custom input:not([disabled])')?.focus();
              },
            }),
          ),
    ),
  );
}

function draw() {
  drawBanner();
  const footer = app.querySelector('.cc-footer-status');
  if (footer) footer.textContent = state.saved ? t('footerStatus', { count: activeVendorCount(state) }) : '';
}

render(
  app,
  h(
    'div',
    { class: 'cc-site' },
    h('header', { class: 'cc-site-header' }, h('p', { class: 'cc-logo', text: scenario.site })),
    h('h1', { text: scenario.article.title }),
    scenario.article.paragraphs.map((paragraph) => h('p', { text: paragraph })),
    h(
      'footer',
      { class: 'cc-footer' },
      h('button', {
        type: 'button',
        class: 'cc-quiet',
        text: t('manageCookies'),
        onclick: () => {
          customising = true;
          commit(reopen(state));
          bannerSlot.querySelector('h2')?.focus();
        },
      }),
      h('p', { class: 'cc-footer-status sim-muted' }),
    ),
  ),
  bannerSlot,
  live,
);

draw();
bridge.ready();
bridge.answer(consentAnswer(state));
