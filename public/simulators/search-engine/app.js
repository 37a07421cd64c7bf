import { connect } from '../shared/bridge.js';
import { announce, formatDate, h, render } from '../shared/dom.js';
import { searchAnswer, searchPages, snippet } from './logic.js';

const bridge = await connect('search-engine', new URL('.', import.meta.url).href);
const { t, lang } = bridge;
const { pages, engine } = bridge.scenario;
let results = null;
let lastQuery = '';
let openPage = null;
let returnFocusId = null;

const app = document.getElementById('app');
const input = h('input', { type: 'search', id: 'se-query', autocomplete: 'off', spellcheck: 'false' });
const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
const output = h('div', { class: 'se-output' });

render(
  app,
  h(
    'header',
    { class: 'se-header' },
    h('p', { class: 'se-logo', text: engine }),
    h('h1', { class: 'visually-hidden', text: t('title') }),
  ),
  h(
    'form',
    {
      role: 'search',
      class: 'se-form',
      onsubmit: (event) => {
        event.preventDefault();
        lastQuery = input.value;
        results = searchPages(pages, lastQuery);
        openPage = null;
        bridge.answer(searchAnswer(results));
        draw();
        announce(live, t('count', { count: results.length }));
      },
    },
    h('label', { for: 'se-query', class: 'visually-hidden', text: t('queryLabel') }),
    input,
    h('button', { type: 'submit', class: 'sim-primary', text: t('search') }),
  ),
  live,
  output,
);

function urlLine(page) {
  return h(
    'p',
    { class: 'se-url' },
    page.url,
    page.filetype && page.filetype !== 'html'
      ? h('span', { class: 'se-badge', text: page.filetype.toUpperCase() })
      : null,
  );
}

function drawResults() {
  if (results === null) {
    render(output, h('p', { class: 'sim-muted', text: t('intro') }));
    return;
  }
  if (!results.length) {
    render(output, h('p', { text: t('noResult', { query: lastQuery }) }));
    return;
  }
  render(
    output,
    h('p', { class: 'sim-muted', text: t('count', { count: results.length }) }),
    h(
      'ol',
      { class: 'se-results', 'aria-label': t('resultsLabel') },
      results.map((page) =>
        h(
          'li',
          {},
          h(
            'h2',
            {},
            h('a', {
              href: page.url,
              id: `r-${page.id}`,
              text: page.title,
              onclick: (event) => {
                event.preventDefault();
                openPage = page;
                returnFocusId = `r-${page.id}`;
                draw();
                output.querySelector('h2')?.focus();
              },
            }),
          ),
          urlLine(page),
          h(
            'p',
            { class: 'se-snippet' },
            page.date
              ? h('span', { class: 'sim-muted', text: `${formatDate(page.date, lang, false)} — ` })
              : null,
            snippet(page, lastQuery),
          ),
        ),
      ),
    ),
  );
}

function drawPage() {
  const page = openPage;
  render(
    output,
    h('button', {
      type: 'button',
      text: t('back'),
      onclick: () => {
        openPage = null;
        draw();
        if (returnFocusId) document.getElementById(returnFocusId)?.focus();
      },
    }),
    h(
      'article',
      { class: 'se-page' },
      h('p', { class: 'se-address' }, h('span', { class: 'visually-hidden', text: t('address') }), page.url),
      h('h2', { tabindex: '-1', text: page.title }),
      h(
        'p',
        { class: 'sim-muted' },
        page.author ? t('byline', { author: page.author }) : t('noAuthor'),
        ' — ',
        page.date ? t('published', { date: formatDate(page.date, lang, false) }) : t('noDate'),
        page.filetype && page.filetype !== 'html'
          ? ` — ${t('document', { type: page.filetype.toUpperCase() })}`
          : '',
      ),
      page.text.split(/\n\s*\n/).map((paragraph) => h('p', { text: paragraph })),
    ),
  );
}

function draw() {
  if (openPage) drawPage();
  else drawResults();
}

draw();
bridge.ready();
