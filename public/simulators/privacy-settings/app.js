import { connect } from '../shared/bridge.js';
import { announce, formatDate, h, render, uid } from '../shared/dom.js';
import {
  AUDIENCES,
  SECTIONS,
  SETTINGS,
  VIEWERS,
  createPrivacyState,
  limitPastPosts,
  privacyAnswer,
  removeApp,
  setPostAudience,
  setSetting,
  visibleTo,
} from './logic.js';

const bridge = await connect('privacy-settings', new URL('.', import.meta.url).href);
const { t, lang } = bridge;
const scenario = bridge.scenario;
let state = createPrivacyState(scenario);
let section = 'profile';
let viewer = null;

const app = document.getElementById('app');
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const nav = h('nav', { class: 'ps-nav', 'aria-label': t('sectionsLabel') });
const panel = h('section', { class: 'ps-panel', 'aria-labelledby': 'ps-title' });

render(
  app,
  h(
    'header',
    { class: 'ps-header' },
    h('p', { class: 'ps-brand', text: scenario.network }),
    h('h1', { text: t('title') }),
    h('p', { class: 'sim-muted', text: t('account', { name: scenario.user }) }),
  ),
  h('div', { class: 'ps-layout' }, nav, panel),
  live,
);

function commit(next, message) {
  state = next;
  if (scenario.report) bridge.answer(privacyAnswer(state, scenario.report));
  announce(live, message ?? t('saved'));
}

function audienceSelect(id, value, onChange, label) {
  const selectId = uid('aud');
  return h(
    'div',
    { class: 'sim-field ps-row' },
    h('label', { for: selectId, text: label }),
    h(
      'select',
      { id: selectId, onchange: (event) => onChange(event.target.value) },
      AUDIENCES.map((audience) =>
        h('option', { value: audience, selected: audience === value, text: t(`audience.${audience}`) }),
      ),
    ),
  );
}

function toggle(id) {
  const inputId = uid('tg');
  return h(
    'div',
    { class: 'sim-switch' },
    h('input', {
      type: 'checkbox',
      role: 'switch',
      id: inputId,
      checked: state.settings[id],
      'aria-describedby': `${inputId}-hint`,
      onchange: (event) =>
        commit(
          setSetting(state, id, event.target.checked),
          t(event.target.checked ? 'turnedOn' : 'turnedOff', { setting: t(`setting.${id}`) }),
        ),
    }),
    h('label', { for: inputId, text: t(`setting.${id}`) }),
    h('p', { class: 'sim-hint', id: `${inputId}-hint`, text: t(`hint.${id}`) }),
  );
}

function settingControl(id) {
  const setting = SETTINGS[id];
  if (setting.kind === 'toggle') return toggle(id);
  if (setting.kind === 'audience') {
    return audienceSelect(
      id,
      state.settings[id],
      (value) =>
        commit(
          setSetting(state, id, value),
          t('audienceChanged', { setting: t(`setting.${id}`), audience: t(`audience.${value}`) }),
        ),
      t(`setting.${id}`),
    );
  }
  const name = uid('choice');
  return h(
    'fieldset',
    { class: 'ps-choice' },
    h('legend', { text: t(`setting.${id}`) }),
    setting.options.map((option) => {
      const optionId = uid('opt');
      return h(
        'div',
        { class: 'sim-switch' },
        h('input', {
          type: 'radio',
          name,
          id: optionId,
          value: option,
          checked: state.settings[id] === option,
          onchange: () =>
            commit(
              setSetting(state, id, option),
              t('choiceChanged', { setting: t(`setting.${id}`), value: t(`option.${option}`) }),
            ),
        }),
        h('label', { for: optionId, text: t(`option.${option}`) }),
      );
    }),
  );
}

function settingsOf(name) {
  return Object.keys(state.settings).filter((id) => SETTINGS[id].section === name);
}

function drawProfile() {
  const ids = settingsOf('profile');
  return [
    h('p', { text: t('profileIntro') }),
    ids.map((id) =>
      h(
        'div',
        { class: 'ps-item' },
        h(
          'p',
          { class: 'ps-value' },
          h('strong', { text: t('fieldLabel', { label: t(`setting.${id}`) }) }),
          ' ',
          state.profile[id] ?? '',
        ),
        settingControl(id),
      ),
    ),
    h('h3', { text: t('viewAs') }),
    h(
      'div',
      { class: 'sim-toolbar' },
      VIEWERS.map((candidate) =>
        h('button', {
          type: 'button',
          'aria-pressed': String(viewer === candidate),
          text: t(`viewer.${candidate}`),
          onclick: () => {
            viewer = viewer === candidate ? null : candidate;
            draw();
            panel.querySelector('button[aria-pressed="true"]')?.focus();
          },
        }),
      ),
    ),
    viewer ? drawPreview() : null,
  ];
}

function drawPreview() {
  const visible = visibleTo(state, viewer);
  return h(
    'div',
    {
      class: 'ps-preview sim-panel',
      role: 'region',
      'aria-label': t('previewLabel', { viewer: t(`viewer.${viewer}`) }),
    },
    h('h4', { text: t('previewTitle', { viewer: t(`viewer.${viewer}`) }) }),
    h('p', { text: scenario.user }),
    visible.profile.length
      ? h(
          'ul',
          {},
          visible.profile.map((id) =>
            h(
              'li',
              {},
              h('strong', { text: t('fieldLabel', { label: t(`setting.${id}`) }) }),
              ' ',
              state.profile[id] ?? '',
            ),
          ),
        )
      : h('p', { class: 'sim-muted', text: t('previewNoInfo') }),
    h('h5', { text: t('previewPosts') }),
    visible.posts.length
      ? h(
          'ul',
          {},
          state.posts
            .filter((post) => visible.posts.includes(post.id))
            .map((post) => h('li', { text: post.text })),
        )
      : h('p', { class: 'sim-muted', text: t('previewNoPost') }),
  );
}

function drawPosts() {
  return [
    settingsOf('posts').map(settingControl),
    state.settings.defaultAudience
      ? h('button', {
          type: 'button',
          text: t('limitPast', { audience: t(`audience.${state.settings.defaultAudience}`) }),
          onclick: () => commit(limitPastPosts(state, state.settings.defaultAudience), t('pastLimited')),
        })
      : null,
    h('h3', { text: t('yourPosts') }),
    state.posts.length
      ? h(
          'ul',
          { class: 'ps-posts' },
          state.posts.map((post) =>
            h(
              'li',
              { class: 'sim-panel' },
              h('p', { text: post.text }),
              h('p', { class: 'sim-muted', text: formatDate(post.date, lang, false) }),
              audienceSelect(
                post.id,
                post.audience,
                (value) =>
                  commit(
                    setPostAudience(state, post.id, value),
                    t('postAudienceChanged', { audience: t(`audience.${value}`) }),
                  ),
                t('postAudience'),
              ),
            ),
          ),
        )
      : h('p', { class: 'sim-muted', text: t('noPosts') }),
  ];
}

function drawApps() {
  if (!state.apps.length) return h('p', { class: 'sim-muted', text: t('noApps') });
  return [
    h('p', { text: t('appsIntro') }),
    h(
      'ul',
      { class: 'ps-apps' },
      state.apps.map((item) =>
        h(
          'li',
          { class: 'sim-panel' },
          h('h3', { text: item.name }),
          h('p', {
            class: 'sim-muted',
            text: t('lastUsed', { date: formatDate(item.lastUsed, lang, false) }),
          }),
          h('p', { text: t('permissionsTitle') }),
          h(
            'ul',
            {},
            item.permissions.map((permission) => h('li', { text: t(`permission.${permission}`) })),
          ),
          h('button', {
            type: 'button',
            class: 'sim-danger',
            text: t('removeApp', { name: item.name }),
            onclick: () => {
              commit(removeApp(state, item.id), t('appRemoved', { name: item.name }));
              draw();
              panel.querySelector('h2')?.focus();
            },
          }),
        ),
      ),
    ),
  ];
}

function drawNav() {
  render(
    nav,
    h(
      'ul',
      {},
      SECTIONS.filter((name) =>
        name === 'apps' ? scenario.apps : settingsOf(name).length || (name === 'posts' && state.posts.length),
      ).map((name) =>
        h(
          'li',
          {},
          h('button', {
            type: 'button',
            'aria-current': section === name ? 'true' : 'false',
            text: t(`section.${name}`),
            onclick: () => {
              section = name;
              viewer = null;
              draw();
              panel.querySelector('h2')?.focus();
            },
          }),
        ),
      ),
    ),
  );
}

function draw() {
  drawNav();
  const content =
    section === 'profile'
      ? drawProfile()
      : section === 'posts'
        ? drawPosts()
        : section === 'apps'
          ? drawApps()
          : settingsOf(section).map(settingControl);
  render(
    panel,
    h('h2', { id: 'ps-title', tabindex: '-1', text: t(`section.${section}`) }),
    section === 'location' || section === 'ads' ? h('p', { text: t(`${section}Intro`) }) : null,
    content,
  );
}

draw();
bridge.ready();
if (scenario.report) bridge.answer(privacyAnswer(state, scenario.report));
