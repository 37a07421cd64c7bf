/**
 * Password strength estimator and policy checker (no DOM, no network).
 *
 * The estimate is the number of guesses, in bits, an attacker needs when trying the most likely
 * patterns first: the password is cut into pieces — common passwords, dictionary words (also in
 * leetspeak and with a capital), the user's own details, sequences (abcd, 4321), repeats, keyboard
 * runs, years — and the cheapest cutting is kept; any other character costs log2 of the size of
 * the character set the password uses (brute force).
 */
import { fold } from '../shared/protocol.js';
import { COMMON_PASSWORDS, COMMON_WORDS, KEYBOARD_ROWS } from './dictionary.js';

export const CLASSES = Object.freeze(['lower', 'upper', 'digit', 'symbol']);

const COST = Object.freeze({ common: 4, user: 3, word: 11, year: 7, capital: 1, leet: 1 });
const LEET = { 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', '@': 'a', $: 's', '!': 'i' };

/** Score thresholds in bits: below 30 very weak (0), 50 weak (1), 75 medium (2), 100 strong (3), else very strong (4). */
export const SCORE_THRESHOLDS = Object.freeze([30, 50, 75, 100]);

export function characterClasses(password) {
  const present = { lower: false, upper: false, digit: false, symbol: false };
  for (const char of password) {
    if (/\p{Ll}/u.test(char)) present.lower = true;
    else if (/\p{Lu}/u.test(char)) present.upper = true;
    else if (/\p{Nd}/u.test(char)) present.digit = true;
    else present.symbol = true;
  }
  return present;
}

function poolSize(classes) {
  return (
    (classes.lower ? 26 : 0) +
      (classes.upper ? 26 : 0) +
      (classes.digit ? 10 : 0) +
      (classes.symbol ? 33 : 0) || 1
  );
}

function unleet(text) {
  let changes = 0;
  const plain = [...text]
    .map((char) => {
      if (Object.hasOwn(LEET, char)) {
        changes += 1;
        return LEET[char];
      }
      return char;
    })
    .join('');
  return { plain, changes };
}

function isSequence(text) {
  if (text.length < 3) return false;
  const codes = [...text.toLowerCase()].map((char) => char.charCodeAt(0));
  const step = codes[1] - codes[0];
  if (Math.abs(step) !== 1) return false;
  return codes.every((code, i) => i === 0 || code - codes[i - 1] === step);
}

function isKeyboardRun(text) {
  if (text.length < 4) return false;
  const lower = text.toLowerCase();
  return KEYBOARD_ROWS.some((row) => row.includes(lower) || [...row].reverse().join('').includes(lower));
}

function isRepeat(text) {
  if (text.length < 3) return false;
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size) continue;
    const unit = text.slice(0, size);
    if (unit.repeat(text.length / size) === text) return true;
  }
  return false;
}

/** Every recognised piece: { start, end, kind, bits }. */
export function findPatterns(password, userInputs = []) {
  const patterns = [];
  const lower = password.toLowerCase();
  const userWords = userInputs
    .flatMap((input) => fold(input).split(/[^a-z0-9]+/))
    .filter((word) => word.length >= 3);
  const commonPasswords = new Set(COMMON_PASSWORDS);
  const words = new Set(COMMON_WORDS);
  for (let start = 0; start < password.length; start++) {
    for (let end = start + 3; end <= password.length; end++) {
      const piece = password.slice(start, end);
      const pieceLower = lower.slice(start, end);
      const { plain, changes } = unleet(pieceLower);
      const folded = fold(plain);
      const capital = piece !== pieceLower ? COST.capital : 0;
      const leet = changes * COST.leet;
      if (commonPasswords.has(folded))
        patterns.push({ start, end, kind: 'common', bits: COST.common + capital + leet });
      if (userWords.includes(folded))
        patterns.push({ start, end, kind: 'user', bits: COST.user + capital + leet });
      if (folded.length >= 4 && words.has(folded))
        patterns.push({ start, end, kind: 'word', bits: COST.word + capital + leet });
      if (/^(19|20)\d\d$/.test(piece)) patterns.push({ start, end, kind: 'year', bits: COST.year });
      if (isSequence(piece))
        patterns.push({ start, end, kind: 'sequence', bits: 4 + Math.log2(piece.length) });
      if (isKeyboardRun(piece))
        patterns.push({ start, end, kind: 'keyboard', bits: 6 + Math.log2(piece.length) });
      if (isRepeat(piece))
        patterns.push({
          start,
          end,
          kind: 'repeat',
          bits: 2 + Math.log2(piece.length) + Math.log2(poolSize(characterClasses(piece[0]))),
        });
    }
  }
  return patterns;
}

/**
 * The strength estimate: { bits, score (0–4), classes, length, patterns used, feedback codes }.
 * `userInputs` are the user's own details (name, birth year, site name…), guessed first.
 */
export function estimateStrength(password, { userInputs = [] } = {}) {
  const chars = [...password];
  const text = chars.join('');
  const classes = characterClasses(text);
  const charBits = Math.log2(poolSize(classes));
  const patterns = findPatterns(text, userInputs);
  // Cheapest way to cover the password: best[i] = bits needed for the first i characters.
  const best = [{ bits: 0, used: [] }];
  for (let i = 1; i <= text.length; i++) {
    let choice = { bits: best[i - 1].bits + charBits, used: best[i - 1].used };
    for (const pattern of patterns) {
      if (pattern.end !== i) continue;
      const bits = best[pattern.start].bits + pattern.bits;
      if (bits < choice.bits) choice = { bits, used: [...best[pattern.start].used, pattern] };
    }
    best.push(choice);
  }
  const result = best[text.length];
  const bits = Math.round(result.bits * 10) / 10;
  const score = SCORE_THRESHOLDS.filter((threshold) => bits >= threshold).length;
  const kinds = new Set(result.used.map((pattern) => pattern.kind));
  const feedback = [];
  if (text.length === 0) feedback.push('empty');
  else {
    if (text.length < 12) feedback.push('short');
    if (kinds.has('common')) feedback.push('common');
    if (kinds.has('user')) feedback.push('personal');
    if (kinds.has('word')) feedback.push('dictionary');
    if (kinds.has('sequence') || kinds.has('keyboard')) feedback.push('sequence');
    if (kinds.has('repeat')) feedback.push('repeat');
    if (kinds.has('year')) feedback.push('year');
    if (CLASSES.filter((name) => classes[name]).length < 3 && text.length < 16) feedback.push('variety');
  }
  return { bits, score, classes, length: chars.length, patterns: result.used, feedback };
}

/**
 * Checks a password against a policy: { minLength, minClasses, requireClasses: [...],
 * minScore, forbidPersonal, forbidCommon, forbidPrevious: [old passwords], confirm }.
 * Returns the rules in a fixed order, each { id, met }.
 */
export function checkPolicy(password, policy, { userInputs = [], confirmation } = {}) {
  const estimate = estimateStrength(password, { userInputs });
  const kinds = new Set(estimate.patterns.map((pattern) => pattern.kind));
  const personal = findPatterns(password, userInputs).some((pattern) => pattern.kind === 'user');
  const common = findPatterns(password, []).some((pattern) => pattern.kind === 'common');
  const rules = [];
  if (policy.minLength) rules.push({ id: 'length', met: estimate.length >= policy.minLength });
  if (policy.minClasses) {
    rules.push({
      id: 'classes',
      met: CLASSES.filter((name) => estimate.classes[name]).length >= policy.minClasses,
    });
  }
  for (const name of policy.requireClasses ?? []) rules.push({ id: name, met: estimate.classes[name] });
  if (policy.forbidPersonal) rules.push({ id: 'personal', met: !personal && !kinds.has('user') });
  if (policy.forbidCommon) rules.push({ id: 'common', met: !common });
  if (policy.forbidPrevious) {
    const folded = fold(password);
    rules.push({ id: 'previous', met: !policy.forbidPrevious.some((old) => fold(old) === folded) });
  }
  if (policy.minScore !== undefined) rules.push({ id: 'strength', met: estimate.score >= policy.minScore });
  if (policy.confirm) rules.push({ id: 'confirm', met: confirmation === password && password !== '' });
  return rules;
}

/** The answer posted to the player: the rules still unmet ("unmet:none" when all are met). Never the password. */
export function passwordAnswer(rules) {
  const unmet = rules.filter((rule) => !rule.met).map((rule) => rule.id);
  return `unmet:${unmet.length ? unmet.join(',') : 'none'}`;
}
