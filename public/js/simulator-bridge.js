/**
 * Player side of the simulator protocol (docs/simulators.md). Pure: no DOM access, so the
 * player and the unit tests share it.
 *
 *   window.addEventListener('message', (event) => {
 *     const message = acceptSimulatorMessage(event, iframe.contentWindow, { simulator, challenge });
 *     if (!message) return; // not ours, forged or malformed: ignored silently
 *     …
 *   });
 */
import {
  MAX_ANSWER_BYTES,
  MESSAGE_SOURCE,
  MESSAGE_TYPES,
  PROTOCOL_VERSION,
  clampHeight,
  isChallengeField,
  isSimulatorId,
  utf8Length,
} from '../simulators/shared/protocol.js';

const ALLOWED_KEYS = {
  ready: ['source', 'version', 'simulator', 'challenge', 'type'],
  height: ['source', 'version', 'simulator', 'challenge', 'type', 'height'],
  answer: ['source', 'version', 'simulator', 'challenge', 'type', 'answer'],
};

function isPlainObject(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns the validated message, a new frozen object, or null when the event must be ignored:
 * - it does not come from the simulator's own iframe (`event.source !== iframeWindow`);
 * - its origin is not 'null' (the simulator runs in a sandbox without allow-same-origin);
 * - its data is not a protocol message: wrong source or version, unknown type, unknown or missing
 *   key, invalid simulator or challenge id, a height that is not a finite number, an answer that
 *   is not a string or is larger than 10 kB;
 * - `expected.simulator` / `expected.challenge`, when given, differ from the message's (a stale
 *   message from a previous challenge).
 * A valid height is rounded and clamped to 100–2000.
 */
export function acceptSimulatorMessage(event, iframeWindow, expected = {}) {
  if (!event || typeof event !== 'object') return null;
  if (!iframeWindow || event.source !== iframeWindow) return null;
  if (event.origin !== 'null') return null;
  const data = event.data;
  if (!isPlainObject(data)) return null;
  if (data.source !== MESSAGE_SOURCE || data.version !== PROTOCOL_VERSION) return null;
  if (typeof data.type !== 'string' || !MESSAGE_TYPES.includes(data.type)) return null;
  const keys = Object.keys(data);
  const allowed = ALLOWED_KEYS[data.type];
  if (keys.length !== allowed.length || !keys.every((key) => allowed.includes(key))) return null;
  if (!isSimulatorId(data.simulator) || !isChallengeField(data.challenge)) return null;
  if (expected.simulator !== undefined && data.simulator !== expected.simulator) return null;
  if (expected.challenge !== undefined && data.challenge !== expected.challenge) return null;

  const message = {
    source: MESSAGE_SOURCE,
    version: PROTOCOL_VERSION,
    simulator: data.simulator,
    challenge: data.challenge,
    type: data.type,
  };
  if (data.type === 'height') {
    if (typeof data.height !== 'number' || !Number.isFinite(data.height)) return null;
    message.height = clampHeight(data.height);
  } else if (data.type === 'answer') {
    if (typeof data.answer !== 'string') return null;
    if (
      data.answer.length > MAX_ANSWER_BYTES ||
      utf8Length(data.answer, MAX_ANSWER_BYTES) > MAX_ANSWER_BYTES
    ) {
      return null;
    }
    message.answer = data.answer;
  }
  return Object.freeze(message);
}

/** The iframe address of a simulator, as the player builds it. */
export function simulatorUrl(simulatorId, { lang, challenge, scenario } = {}) {
  const params = new URLSearchParams();
  params.set('lang', lang === 'en' ? 'en' : 'fr');
  if (challenge) params.set('challenge', challenge);
  if (scenario) params.set('scenario', scenario);
  return `/simulators/${encodeURIComponent(simulatorId)}/index.html?${params.toString()}`;
}
