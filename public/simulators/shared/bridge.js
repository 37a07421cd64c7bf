/**
 * The simulator side of the protocol (docs/simulators.md): reads `lang`, `challenge` and `scenario`
 * from the query string, loads the simulator's i18n.json and scenarios.json, and posts `ready`,
 * `height` (on every size change) and `answer` messages to the parent window.
 */
import { createMessage, readQuery, selectScenario, translate } from './protocol.js';

const FALLBACK_ERROR = {
  fr: 'Le simulateur n’a pas pu se charger. Rechargez la page.',
  en: 'The simulator could not be loaded. Reload the page.',
};

async function fetchJson(url) {
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * @param {string} simulator the simulator id (its folder name)
 * @param {string} baseUrl the simulator's folder URL, `new URL('.', import.meta.url).href`
 */
export async function connect(simulator, baseUrl, { win = window } = {}) {
  const query = readQuery(win.location.href);
  const doc = win.document;
  doc.documentElement.lang = query.lang;
  const hasParent = win.parent && win.parent !== win;

  const post = (type, payload) => {
    const message = createMessage(simulator, query.challenge, type, payload);
    if (hasParent) win.parent.postMessage(message, query.origin);
    return message;
  };

  let dictionary;
  let scenarios = null;
  try {
    const [i18n, scenarioFile] = await Promise.all([
      fetchJson(new URL('i18n.json', baseUrl)),
      fetchJson(new URL('scenarios.json', baseUrl)).catch(() => null),
    ]);
    dictionary = i18n[query.lang];
    scenarios = scenarioFile;
  } catch (error) {
    const main = doc.querySelector('main') ?? doc.body;
    const p = doc.createElement('p');
    p.className = 'sim-error';
    p.setAttribute('role', 'alert');
    p.textContent = FALLBACK_ERROR[query.lang];
    main.replaceChildren(p);
    throw error;
  }

  const scenario = selectScenario(scenarios, query);
  let lastHeight = 0;
  let lastAnswer;
  let observer;

  const bridge = {
    simulator,
    lang: query.lang,
    challenge: query.challenge,
    scenarioName: scenario ? scenario.name : '',
    scenario: scenario ? scenario.data : null,
    t: (key, vars) => translate(dictionary, key, vars),
    /** Posts `ready`, then the height now and whenever the page's size changes. */
    ready() {
      doc.title = `${bridge.t('title')}`;
      post('ready');
      const measure = () => {
        // The body's own height: the document's would never shrink below the iframe's current size.
        const height = Math.ceil(doc.body.scrollHeight || doc.documentElement.scrollHeight);
        if (height !== lastHeight) {
          lastHeight = height;
          post('height', { height });
        }
      };
      measure();
      if (typeof win.ResizeObserver === 'function') {
        observer = new win.ResizeObserver(measure);
        observer.observe(doc.body);
      } else {
        win.addEventListener('resize', measure);
      }
    },
    /** Posts the learner's current answer (the player keeps the last one); repeated values are skipped. */
    answer(value) {
      if (value === lastAnswer) return;
      lastAnswer = value;
      post('answer', { answer: value });
    },
  };
  return bridge;
}
