import { connect } from '../shared/bridge.js';
import { announce, field, h, render, uid } from '../shared/dom.js';
import {
  ACCESS,
  EXPIRY,
  ROLES,
  ShareError,
  addPerson,
  createShareState,
  removePerson,
  setAccess,
  setDownload,
  setExpiry,
  setLinkRole,
  setRole,
  shareAnswer,
} from './logic.js';

const bridge = await connect('share-dialog', new URL('.', import.meta.url).href);
const { t } = bridge;
const scenario = bridge.scenario;
let state = createShareState(scenario);

const app = document.getElementById('app');
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const dialog = h('section', { class: 'sd-dialog', 'aria-labelledby': 'sd-title' });

function commit(next, message) {
  state = next;
  if (scenario.report) bridge.answer(shareAnswer(state, scenario.report));
  live.classList.remove('is-error');
  announce(live, message);
  draw();
}

function fail(error) {
  if (!(error instanceof ShareError)) throw error;
  live.classList.add('is-error');
  announce(live, t(`error.${error.code}`));
}

function select(options, value, labelKey, onChange, attrs = {}) {
  return h(
    'select',
    { ...attrs, onchange: (event) => onChange(event.target.value) },
    options.map((option) =>
      h('option', { value: option, selected: option === value, text: t(`${labelKey}.${option}`) }),
    ),
  );
}

function draw() {
  const email = h('input', {
    type: 'email',
    autocomplete: 'off',
    list: 'sd-contacts',
    dataset: { focusKey: 'add-email' },
  });
  const newRole = select(ROLES, 'viewer', 'role', () => {});
  const focusAfter = document.activeElement?.dataset?.focusKey;
  render(
    dialog,
    h('h1', { id: 'sd-title', text: t('dialogTitle', { file: state.file }) }),
    h(
      'form',
      {
        class: 'sd-add',
        onsubmit: (event) => {
          event.preventDefault();
          try {
            const contact = (scenario.contacts ?? []).find(
              (candidate) => candidate.email === email.value.trim().toLowerCase(),
            );
            commit(
              addPerson(state, email.value, newRole.value, contact?.name ?? ''),
              t('added', { email: email.value.trim(), role: t(`role.${newRole.value}`) }),
            );
            dialog.querySelector('[data-focus-key="add-email"]')?.focus();
          } catch (error) {
            fail(error);
          }
        },
      },
      field(t('addLabel'), email, { hint: t('addHint') }),
      h(
        'datalist',
        { id: 'sd-contacts' },
        (scenario.contacts ?? []).map((contact) => h('option', { value: contact.email, text: contact.name })),
      ),
      field(t('roleLabel'), newRole),
      h('button', { type: 'submit', class: 'sim-primary', text: t('share') }),
    ),
    h('h2', { text: t('peopleTitle') }),
    h(
      'ul',
      { class: 'sd-people' },
      h(
        'li',
        {},
        h('span', { class: 'sd-person' }, h('strong', { text: state.owner.name }), ` ${state.owner.email}`),
        h('span', { class: 'sd-owner', text: t('owner') }),
      ),
      state.people.map((person) => {
        const roleId = uid('role');
        return h(
          'li',
          {},
          h(
            'span',
            { class: 'sd-person' },
            person.name ? h('strong', { text: person.name }) : null,
            ` ${person.email}`,
          ),
          h('label', { for: roleId, class: 'visually-hidden', text: t('roleOf', { email: person.email }) }),
          select(
            ROLES,
            person.role,
            'role',
            (value) => {
              try {
                commit(
                  setRole(state, person.email, value),
                  t('roleChanged', { email: person.email, role: t(`role.${value}`) }),
                );
              } catch (error) {
                fail(error);
              }
            },
            { id: roleId },
          ),
          h('button', {
            type: 'button',
            class: 'sim-danger',
            text: t('remove'),
            'aria-label': t('removeLabel', { email: person.email }),
            onclick: () => commit(removePerson(state, person.email), t('removed', { email: person.email })),
          }),
        );
      }),
    ),
    h('h2', { text: t('linkTitle') }),
    h(
      'div',
      { class: 'sd-link sim-panel' },
      field(
        t('accessLabel'),
        select(
          ACCESS.filter((access) => access !== 'organisation' || state.organisation),
          state.access,
          'access',
          (value) =>
            commit(
              setAccess(state, value),
              t(`accessChanged.${value}`, { organisation: state.organisation ?? '' }),
            ),
        ),
        { hint: t(`accessHint.${state.access}`, { organisation: state.organisation ?? '' }) },
      ),
      state.access !== 'restricted'
        ? field(
            t('linkRoleLabel'),
            select(ROLES, state.linkRole, 'role', (value) =>
              commit(setLinkRole(state, value), t('linkRoleChanged', { role: t(`role.${value}`) })),
            ),
          )
        : null,
      field(
        t('expiryLabel'),
        select(EXPIRY, state.expiry, 'expiry', (value) =>
          commit(setExpiry(state, value), t('expiryChanged', { expiry: t(`expiry.${value}`) })),
        ),
      ),
      h(
        'div',
        { class: 'sim-switch' },
        h('input', {
          type: 'checkbox',
          role: 'switch',
          id: 'sd-download',
          checked: state.download,
          onchange: (event) =>
            commit(
              setDownload(state, event.target.checked),
              t(event.target.checked ? 'downloadOn' : 'downloadOff'),
            ),
        }),
        h('label', { for: 'sd-download', text: t('downloadLabel') }),
      ),
      h('label', { for: 'sd-url', text: t('linkLabel') }),
      h('input', { type: 'text', id: 'sd-url', readonly: true, value: scenario.link, class: 'sd-url' }),
    ),
    h('p', {
      class: 'sim-muted',
      text: t(`summary.${state.access}`, {
        count: state.people.length,
        role: t(`role.${state.linkRole}`),
        organisation: state.organisation ?? '',
      }),
    }),
  );
  if (focusAfter) dialog.querySelector(`[data-focus-key="${focusAfter}"]`)?.focus();
}

render(app, dialog, live);
draw();
bridge.ready();
if (scenario.report) bridge.answer(shareAnswer(state, scenario.report));
