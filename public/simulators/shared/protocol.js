/**
 * The simulator ⇄ player protocol, shared by both sides (pure: no DOM, importable in Node).
 * Described in docs/simulators.md.
 */

export const MESSAGE_SOURCE = 'pix-lti-simulator';
export const PROTOCOL_VERSION = 1;
export const MESSAGE_TYPES = Object.freeze(['ready', 'height', 'answer']);
export const MIN_HEIGHT = 100;
export const MAX_HEIGHT = 2000;
/** Same limit as the answer checker (10 kB). */
export const MAX_ANSWER_BYTES = 10240;
export const LANGS = Object.freeze(['fr', 'en']);
export const DEFAULT_LANG = 'fr';

export const SIMULATOR_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CHALLENGE_ID_PATTERN = /^ch-[A-Za-z0-9.]+(?:-[A-Za-z0-9.]+)*$/;
export const SCENARIO_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_ID_LENGTH = 120;

/** UTF-8 size of a string; stops counting past `limit`. */
export function utf8Length(text, limit = Number.POSITIVE_INFINITY) {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export function isSimulatorId(value) {
  return typeof value === 'string' && value.length <= MAX_ID_LENGTH && SIMULATOR_ID_PATTERN.test(value);
}

/** A challenge id, or '' when the simulator was opened without one (preview). */
export function isChallengeField(value) {
  return (
    typeof value === 'string' &&
    value.length <= MAX_ID_LENGTH &&
    (value === '' || CHALLENGE_ID_PATTERN.test(value))
  );
}

export function clampHeight(height) {
  return Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(height)));
}

/**
 * Reads the simulator's query string: `lang` (fr or en, default fr), `challenge` (a challenge id,
 * else '') and `scenario` (a scenario name, else ''). Invalid values are ignored, never echoed.
 */
export function readQuery(href) {
  const url = new URL(href);
  const lang = url.searchParams.get('lang');
  const challenge = url.searchParams.get('challenge') ?? '';
  const scenario = url.searchParams.get('scenario') ?? '';
  return {
    lang: LANGS.includes(lang) ? lang : DEFAULT_LANG,
    challenge: isChallengeField(challenge) ? challenge : '',
    scenario: scenario.length <= MAX_ID_LENGTH && SCENARIO_NAME_PATTERN.test(scenario) ? scenario : '',
    /** The tool's origin: the target of postMessage (the document's own origin is opaque). */
    origin: url.origin,
  };
}

/** Builds a protocol message; throws on a value the parent would refuse, to catch bugs early. */
export function createMessage(simulator, challenge, type, payload = {}) {
  if (!isSimulatorId(simulator)) throw new TypeError(`invalid simulator id: ${simulator}`);
  if (!isChallengeField(challenge)) throw new TypeError('invalid challenge id');
  const message = { source: MESSAGE_SOURCE, version: PROTOCOL_VERSION, simulator, challenge, type };
  if (type === 'ready') return message;
  if (type === 'height') {
    if (!Number.isFinite(payload.height)) throw new TypeError('height must be a number');
    return { ...message, height: clampHeight(payload.height) };
  }
  if (type === 'answer') {
    if (typeof payload.answer !== 'string') throw new TypeError('answer must be a string');
    if (utf8Length(payload.answer, MAX_ANSWER_BYTES) > MAX_ANSWER_BYTES) {
      throw new RangeError(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    return { ...message, answer: payload.answer };
  }
  throw new TypeError(`unknown message type: ${type}`);
}

/**
 * Picks the scenario of a simulator's scenarios.json for a challenge:
 * an explicit `?scenario=` that exists, else the scenario mapped to the challenge id, else the default.
 * Returns { name, data } with the data of the requested language, or null when there is none.
 */
export function selectScenario(file, { challenge = '', scenario = '', lang = DEFAULT_LANG } = {}) {
  if (!file || typeof file !== 'object' || !file.scenarios) return null;
  const has = (name) => typeof name === 'string' && Object.hasOwn(file.scenarios, name);
  let name = file.default;
  if (has(scenario)) name = scenario;
  else if (file.challenges && Object.hasOwn(file.challenges, challenge) && has(file.challenges[challenge])) {
    name = file.challenges[challenge];
  }
  if (!has(name)) return null;
  const entry = file.scenarios[name];
  const data = entry[lang] ?? entry[DEFAULT_LANG];
  return data ? { name, data } : null;
}

/** `{name}` placeholders replaced by vars[name]; a missing key gives the key itself. */
export function translate(dictionary, key, vars = {}) {
  const template = dictionary && Object.hasOwn(dictionary, key) ? dictionary[key] : key;
  return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/** Case-, accent- and surrounding-space-insensitive form, used by several simulators' searches. */
export function fold(text) {
  return String(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}
