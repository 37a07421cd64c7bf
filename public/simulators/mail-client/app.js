import { connect } from '../shared/bridge.js';
import { announce, formatDate, h, render, uid } from '../shared/dom.js';
import {
  FOLDERS,
  createMailState,
  deleteMail,
  findMail,
  mailAnswer,
  mailsInFolder,
  markRead,
  parseBody,
  reportPhishing,
  restoreMail,
  unreadCount,
  unreport,
} from './logic.js';

const bridge = await connect('mail-client', new URL('.', import.meta.url).href);
const { t, lang } = bridge;
let state = createMailState(bridge.scenario);
let folder = 'inbox';
let openId = null;
let showDetails = false;

const app = document.getElementById('app');
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const statusBar = h('p', { class: 'mail-linkbar', 'aria-hidden': 'true' });
const nav = h('nav', { class: 'mail-folders', 'aria-label': t('foldersLabel') });
const list = h('section', { class: 'mail-list', 'aria-labelledby': 'mail-list-title' });
const reader = h('section', { class: 'mail-reader', 'aria-label': t('readerLabel') });

render(
  app,
  h(
    'header',
    { class: 'mail-header' },
    h('h1', { text: t('title') }),
    h('p', { class: 'sim-muted', text: t('account', { address: state.account.address }) }),
  ),
  h('div', { class: 'mail-layout' }, nav, list, reader),
  live,
  statusBar,
);

function setState(next, message) {
  state = next;
  bridge.answer(mailAnswer(state));
  if (message) announce(live, message);
  draw();
}

function sender(mail) {
  return mail.from.name || mail.from.address;
}

function drawFolders() {
  render(
    nav,
    h(
      'ul',
      {},
      FOLDERS.map((name) => {
        const unread = unreadCount(state, name);
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'aria-current': folder === name ? 'true' : 'false',
              onclick: () => {
                folder = name;
                openId = null;
                draw();
              },
            },
            t(`folder.${name}`),
            unread ? h('span', { class: 'mail-count' }, ` (${t('unread', { count: unread })})`) : null,
          ),
        );
      }),
    ),
  );
}

function drawList() {
  const mails = mailsInFolder(state, folder);
  render(
    list,
    h('h2', { id: 'mail-list-title', text: t(`folder.${folder}`) }),
    mails.length === 0
      ? h('p', { class: 'sim-muted', text: t('emptyFolder') })
      : h(
          'ul',
          { class: 'mail-items' },
          mails.map((mail) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: `mail-item${mail.read ? '' : ' is-unread'}`,
                  'aria-current': mail.id === openId ? 'true' : 'false',
                  onclick: () => openMail(mail.id),
                },
                h('span', { class: 'mail-item-from' }, sender(mail)),
                h('span', { class: 'mail-item-subject' }, mail.subject),
                h('span', { class: 'mail-item-date' }, formatDate(mail.date, lang)),
                mail.read ? null : h('span', { class: 'visually-hidden', text: t('unreadMark') }),
                mail.attachments.length
                  ? h('span', { class: 'visually-hidden', text: t('hasAttachment') })
                  : null,
              ),
            ),
          ),
        ),
  );
}

function openMail(id) {
  openId = id;
  showDetails = false;
  state = markRead(state, id);
  draw();
  reader.querySelector('h2')?.focus();
}

function person(p) {
  return p.name ? `${p.name} <${p.address}>` : p.address;
}

function headerRow(label, value) {
  return [h('dt', { text: label }), h('dd', { text: value })];
}

function drawBody(mail) {
  return parseBody(mail.body).map((segments) =>
    h(
      'p',
      {},
      segments.map((segment) => {
        if (!segment.href) return segment.text;
        const descId = uid('link');
        const show = () => {
          statusBar.textContent = segment.href;
          statusBar.classList.add('is-visible');
        };
        const hide = () => {
          statusBar.classList.remove('is-visible');
        };
        return [
          h(
            'a',
            {
              href: segment.href,
              'aria-describedby': descId,
              onmouseenter: show,
              onfocus: show,
              onmouseleave: hide,
              onblur: hide,
              onclick: (event) => {
                event.preventDefault();
                announce(live, t('linkBlocked', { url: segment.href }));
              },
            },
            segment.text,
          ),
          h('span', { id: descId, class: 'visually-hidden', text: t('linkTarget', { url: segment.href }) }),
        ];
      }),
    ),
  );
}

function actions(mail) {
  const buttons = [];
  if (mail.folder === 'inbox') {
    buttons.push(
      h('button', {
        type: 'button',
        class: 'sim-danger',
        text: t('reportPhishing'),
        onclick: () => {
          openId = null;
          setState(reportPhishing(state, mail.id), t('reported', { subject: mail.subject }));
          nav.querySelector('button[aria-current="true"]')?.focus();
        },
      }),
      h('button', {
        type: 'button',
        text: t('delete'),
        onclick: () => {
          openId = null;
          setState(deleteMail(state, mail.id), t('deleted', { subject: mail.subject }));
          nav.querySelector('button[aria-current="true"]')?.focus();
        },
      }),
    );
  } else if (mail.folder === 'spam') {
    buttons.push(
      h('button', {
        type: 'button',
        text: t('notPhishing'),
        onclick: () => {
          openId = null;
          setState(unreport(state, mail.id), t('unreported', { subject: mail.subject }));
          nav.querySelector('button[aria-current="true"]')?.focus();
        },
      }),
    );
  } else {
    buttons.push(
      h('button', {
        type: 'button',
        text: t('restore'),
        onclick: () => {
          openId = null;
          setState(restoreMail(state, mail.id), t('restored', { subject: mail.subject }));
          nav.querySelector('button[aria-current="true"]')?.focus();
        },
      }),
    );
  }
  return h('div', { class: 'sim-toolbar', role: 'group', 'aria-label': t('actionsLabel') }, buttons);
}

function drawReader() {
  const mail = openId ? findMail(state, openId) : null;
  if (!mail || mail.folder !== folder) {
    render(reader, h('p', { class: 'sim-muted', text: t('noMailOpen') }));
    return;
  }
  const detailsId = 'mail-details';
  render(
    reader,
    h('h2', { tabindex: '-1', text: mail.subject }),
    h(
      'p',
      { class: 'mail-from' },
      h('strong', { text: sender(mail) }),
      ' ',
      h('span', { class: 'sim-muted', text: formatDate(mail.date, lang) }),
    ),
    h('button', {
      type: 'button',
      'aria-expanded': String(showDetails),
      'aria-controls': detailsId,
      text: showDetails ? t('hideDetails') : t('showDetails'),
      onclick: () => {
        showDetails = !showDetails;
        drawReader();
        reader.querySelector('[aria-controls]')?.focus();
      },
    }),
    h(
      'dl',
      { id: detailsId, class: 'mail-details', hidden: !showDetails },
      headerRow(t('header.from'), person(mail.from)),
      mail.replyTo ? headerRow(t('header.replyTo'), mail.replyTo) : null,
      headerRow(t('header.to'), mail.to.map(person).join(', ') || '—'),
      mail.cc.length ? headerRow(t('header.cc'), mail.cc.map(person).join(', ')) : null,
      headerRow(t('header.date'), formatDate(mail.date, lang)),
    ),
    h('div', { class: 'mail-body' }, drawBody(mail)),
    mail.attachments.length
      ? h(
          'div',
          { class: 'mail-attachments' },
          h('h3', { text: t('attachments') }),
          h(
            'ul',
            {},
            mail.attachments.map((file) =>
              h(
                'li',
                {},
                h('button', {
                  type: 'button',
                  text: `${file.name} (${file.size})`,
                  onclick: () => announce(live, t('attachmentBlocked', { name: file.name })),
                }),
              ),
            ),
          ),
        )
      : null,
    actions(mail),
  );
}

function draw() {
  drawFolders();
  drawList();
  drawReader();
}

draw();
bridge.ready();
bridge.answer(mailAnswer(state));
