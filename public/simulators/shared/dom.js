/** Tiny DOM helpers shared by the simulators' user interfaces: elements and text nodes only, never HTML strings. */

/**
 * Creates an element. attrs: `class`, `text`, `on<Event>` handlers, `dataset`, booleans (set when
 * true, left out when false), anything else as an attribute. Children: nodes, strings, arrays, null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = Boolean(value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

/** Replaces an element's children. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Sets the text of a live region so that screen readers announce it. */
export function announce(region, text) {
  region.textContent = '';
  // A new text node in a later task is announced even when the text repeats.
  setTimeout(() => {
    region.textContent = text;
  }, 30);
}

let idCounter = 0;
/** A unique id for label/aria references. */
export function uid(prefix = 'sim') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: <div><label for>…</label>control</div>. */
export function field(labelText, control, { hint } = {}) {
  const id = control.id || uid('field');
  control.id = id;
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'sim-hint', id: `${id}-hint`, text: hint });
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'sim-field' }, h('label', { for: id, text: labelText }), control, hintEl);
}

/** Formats a number with the locale's separators. */
export function formatNumber(value, lang, options = {}) {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR', options).format(value);
}

/** Formats an ISO date (and time when present) for display. */
export function formatDate(iso, lang, withTime = true) {
  const date = new Date(iso);
  const options = withTime
    ? { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }
    : { dateStyle: 'medium', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', options).format(date);
}
