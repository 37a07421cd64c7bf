/**
 * Search engine simulator: query parsing and matching over a small corpus (no DOM).
 *
 * Query syntax: words (all required), "exact phrase", -word or -"phrase" (excluded), site:domain
 * (the domain or its subdomains, optionally a path prefix: site:example.org/news), filetype:ext,
 * intitle:word, OR between two terms ("a OR b", also "|"; OR binds tighter than the implicit AND:
 * "a b OR c" is a AND (b OR c)), and brackets to group terms: "(a OR b) -c", "(a b) OR c",
 * "-(a OR b)" (excluded group). Inside brackets the same rules apply, an excluded term only
 * concerns its group, and a group needs a positive term to match, like the whole query; a missing
 * ")" closes at the end of the query, a stray ")" is ignored. Matching ignores case and accents; a
 * word also matches its plural/singular with a final s or x.
 */
import { fold } from '../shared/protocol.js';

const WORD = /[\p{L}\p{N}]+/gu;

export function words(text) {
  return fold(text).match(WORD) ?? [];
}

function stem(word) {
  return word.length > 3 && /[sx]$/.test(word) ? word.slice(0, -1) : word;
}

/** Brackets nested deeper than this are ignored (this bounds the parser's recursion). */
const MAX_DEPTH = 16;

const BREAK = /[\s()]/;

/**
 * Tokens: { kind: 'term' | 'phrase' | 'site' | 'filetype' | 'intitle', value, negated }, { kind:
 * 'or' }, and the brackets { kind: 'open', negated } and { kind: 'close' }.
 */
export function tokenize(query) {
  const tokens = [];
  const source = String(query);
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    if (char === ')') {
      tokens.push({ kind: 'close' });
      i += 1;
      continue;
    }
    let negated = false;
    if (char === '-' && i + 1 < source.length && !/[\s)]/.test(source[i + 1])) {
      negated = true;
      i += 1;
    }
    if (source[i] === '(') {
      tokens.push({ kind: 'open', negated });
      i += 1;
      continue;
    }
    if (source[i] === '"' || source[i] === '«' || source[i] === '“') {
      const close = source[i] === '"' ? '"' : source[i] === '«' ? '»' : '”';
      const end = source.indexOf(close, i + 1);
      const value = source.slice(i + 1, end < 0 ? source.length : end);
      i = end < 0 ? source.length : end + 1;
      const phraseWords = words(value);
      if (phraseWords.length) tokens.push({ kind: 'phrase', value: phraseWords, negated });
      continue;
    }
    if (source.slice(i, i + 9).toLowerCase() === 'intitle:"') {
      const close = source.indexOf('"', i + 9);
      const titleWords = words(source.slice(i + 9, close < 0 ? source.length : close));
      i = close < 0 ? source.length : close + 1;
      if (titleWords.length) tokens.push({ kind: 'intitle', value: titleWords, negated });
      continue;
    }
    let end = i;
    while (end < source.length && !BREAK.test(source[end])) end += 1;
    const raw = source.slice(i, end);
    i = end;
    if (!negated && (raw === 'OR' || raw === '|')) {
      tokens.push({ kind: 'or' });
      continue;
    }
    const operator = /^(site|filetype|ext|intitle):(.*)$/i.exec(raw);
    if (operator) {
      const name = operator[1].toLowerCase() === 'ext' ? 'filetype' : operator[1].toLowerCase();
      let value = operator[2];
      if (name === 'site')
        value = value
          .toLowerCase()
          .replace(/^https?:\/\//, '')
          .replace(/\/+$/, '');
      if (name === 'filetype') value = value.toLowerCase().replace(/^\./, '');
      if (name === 'intitle') value = words(value);
      if (value.length) tokens.push({ kind: name, value, negated });
      continue;
    }
    for (const word of words(raw)) tokens.push({ kind: 'term', value: word, negated });
  }
  return tokens;
}

/**
 * The parsed query: `clauses`, each a list of alternatives (OR); `excluded` atoms. A bracketed
 * group is one atom { kind: 'group', value: <its own parsed query>, negated }: it can be an
 * alternative, a clause or, negated, an excluded atom. A leading or trailing OR, OR next to an
 * excluded atom, and empty brackets are ignored.
 */
export function parseQuery(query) {
  const tokens = tokenize(query);
  let position = 0;
  let ignoredBrackets = 0; // "(" beyond MAX_DEPTH, whose ")" are ignored too
  const sequence = (depth) => {
    const clauses = [];
    const excluded = [];
    let joinNext = false;
    while (position < tokens.length) {
      let token = tokens[position++];
      if (token.kind === 'close') {
        if (ignoredBrackets > 0) ignoredBrackets -= 1;
        else if (depth > 0) break;
        continue; // a stray ")"
      }
      if (token.kind === 'or') {
        joinNext = clauses.length > 0;
        continue;
      }
      if (token.kind === 'open') {
        if (depth >= MAX_DEPTH) {
          ignoredBrackets += 1;
          continue;
        }
        const group = sequence(depth + 1);
        if (!group.clauses.length && !group.excluded.length) continue; // "()"
        token = { kind: 'group', value: group, negated: token.negated };
      }
      if (token.negated) {
        excluded.push(token);
        joinNext = false;
        continue;
      }
      if (joinNext) clauses[clauses.length - 1].push(token);
      else clauses.push([token]);
      joinNext = false;
    }
    return { clauses, excluded };
  };
  return sequence(0);
}

/** The positive atoms of a parsed query, inside its groups too (not inside excluded groups). */
function positiveAtoms({ clauses }) {
  return clauses.flat().flatMap((atom) => (atom.kind === 'group' ? positiveAtoms(atom.value) : [atom]));
}

function hostAndPath(url) {
  const parsed = new URL(url);
  return { host: parsed.hostname.toLowerCase(), path: parsed.pathname };
}

function indexPage(page) {
  const { host, path } = hostAndPath(page.url);
  const titleWords = words(page.title);
  const bodyWords = words(page.text);
  return {
    host,
    path,
    titleWords,
    allWords: [...titleWords, ...bodyWords],
    filetype: (page.filetype ?? 'html').toLowerCase(),
  };
}

function countWord(list, word) {
  const target = stem(word);
  return list.reduce((count, candidate) => count + (stem(candidate) === target ? 1 : 0), 0);
}

function countPhrase(list, phrase) {
  let count = 0;
  for (let i = 0; i + phrase.length <= list.length; i++) {
    if (phrase.every((word, j) => list[i + j] === word)) count += 1;
  }
  return count;
}

function matchSite(index, site) {
  const slash = site.indexOf('/');
  const domain = slash < 0 ? site : site.slice(0, slash);
  const pathPrefix = slash < 0 ? '' : site.slice(slash);
  const hostOk = index.host === domain || index.host.endsWith(`.${domain}`);
  return hostOk && (!pathPrefix || index.path.startsWith(pathPrefix));
}

/** How strongly an atom matches a page: 0 for no match; title hits count triple. */
function atomScore(index, atom) {
  switch (atom.kind) {
    case 'term':
      return countWord(index.allWords, atom.value) + 2 * countWord(index.titleWords, atom.value);
    case 'phrase':
      return 2 * (countPhrase(index.allWords, atom.value) + 2 * countPhrase(index.titleWords, atom.value));
    case 'site':
      return matchSite(index, atom.value) ? 1 : 0;
    case 'filetype':
      return index.filetype === atom.value ? 1 : 0;
    case 'intitle':
      return atom.value.length && countPhrase(index.titleWords, atom.value) ? 3 : 0;
    case 'group':
      return queryScore(index, atom.value);
    default:
      return 0;
  }
}

/**
 * How strongly a parsed query (or group) matches a page: 0 for no match. Every clause must match
 * (its best alternative counts), no excluded atom may match, and there must be a positive clause.
 */
function queryScore(index, { clauses, excluded }) {
  if (!clauses.length) return 0;
  if (excluded.some((atom) => atomScore(index, atom) > 0)) return 0;
  let score = 0;
  for (const clause of clauses) {
    const best = Math.max(...clause.map((atom) => atomScore(index, atom)));
    if (best <= 0) return 0;
    score += best;
  }
  return score;
}

/**
 * Runs a query over the pages. Returns matching pages, best first (score, then most recent, then
 * id). A query without any positive clause returns nothing.
 */
export function searchPages(pages, query) {
  const parsed = parseQuery(query);
  if (!parsed.clauses.length) return [];
  const results = [];
  for (const page of pages) {
    const score = queryScore(indexPage(page), parsed);
    if (score > 0) results.push({ page, score });
  }
  results.sort(
    (a, b) =>
      b.score - a.score ||
      String(b.page.date ?? '').localeCompare(String(a.page.date ?? '')) ||
      a.page.id.localeCompare(b.page.id),
  );
  return results.map((result) => result.page);
}

/** A short extract around the first query word found in the text. */
export function snippet(page, query, length = 180) {
  const text = page.text.replace(/\s+/g, ' ');
  const folded = fold(text);
  let at = -1;
  for (const atom of positiveAtoms(parseQuery(query))) {
    const needle = atom.kind === 'term' ? atom.value : atom.kind === 'phrase' ? atom.value.join(' ') : '';
    if (!needle) continue;
    const found = folded.indexOf(needle);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  const start = at < 0 ? 0 : Math.max(0, at - 60);
  const extract = text.slice(start, start + length);
  return `${start > 0 ? '… ' : ''}${extract}${start + length < text.length ? ' …' : ''}`;
}

/** The answer posted to the player: the ids of every result of the last search, sorted. */
export function searchAnswer(results) {
  const ids = results.map((page) => page.id).sort();
  return `results:${ids.length ? ids.join(',') : 'none'}`;
}
