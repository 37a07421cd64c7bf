import { expect } from 'chai';
import {
  parseQuery,
  searchAnswer,
  searchPages,
  snippet,
  tokenize,
  type Page,
} from '../../../public/simulators/search-engine/logic.js';

const pages: Page[] = [
  {
    id: 'a',
    url: 'https://www.ville.example/actus/jardin',
    title: 'Un jardin partagé en ville',
    text: 'Le jardin partagé ouvre ses portes.',
    date: '2025-03-01',
  },
  {
    id: 'b',
    url: 'https://blog.example/jardin',
    title: 'Mon jardin',
    text: 'Un goûter partagé au jardin.',
    date: '2025-01-01',
  },
  {
    id: 'c',
    url: 'https://www.ville.example/docs/guide.pdf',
    title: 'Guide du compost',
    text: 'Composter au jardin : le guide.',
    filetype: 'pdf',
    date: '2024-05-01',
  },
  {
    id: 'd',
    url: 'https://velo.example/electrique',
    title: 'Vélos électriques',
    text: 'Aide pour un vélo électrique.',
    date: '2024-02-01',
  },
  {
    id: 'e',
    url: 'https://velo.example/balade',
    title: 'Balades',
    text: 'Partir à bicyclette le long du canal.',
    date: '2024-03-01',
  },
  {
    id: 'f',
    url: 'https://actus.ville.example/velo',
    title: 'Plan vélo',
    text: 'Des pistes pour les vélos.',
    date: '2025-02-01',
  },
];

const ids = (query: string) =>
  searchPages(pages, query)
    .map((page) => page.id)
    .sort();

describe('simulators: search engine operators', () => {
  it('requires every word, ignoring case, accents and simple plurals', () => {
    expect(ids('jardin partage')).to.deep.equal(['a', 'b']);
    expect(ids('JARDIN')).to.deep.equal(['a', 'b', 'c']);
    expect(ids('velo')).to.deep.equal(['d', 'f']);
  });

  it('matches an "exact phrase" only when the words are adjacent and in order', () => {
    expect(ids('"jardin partagé"')).to.deep.equal(['a']);
    expect(ids('«jardin partagé»')).to.deep.equal(['a']);
    expect(ids('"partagé jardin"')).to.deep.equal([]);
  });

  it('excludes a -word or a -"phrase"', () => {
    expect(ids('jardin -compost')).to.deep.equal(['a', 'b']);
    expect(ids('jardin -"goûter partagé"')).to.deep.equal(['a', 'c']);
  });

  it('restricts to a site and its subdomains, optionally to a path', () => {
    expect(ids('site:ville.example')).to.deep.equal(['a', 'c', 'f']);
    expect(ids('site:www.ville.example/docs')).to.deep.equal(['c']);
    expect(ids('jardin site:https://blog.example/')).to.deep.equal(['b']);
  });

  it('restricts to a file type (filetype: or ext:)', () => {
    expect(ids('jardin filetype:pdf')).to.deep.equal(['c']);
    expect(ids('jardin ext:.PDF')).to.deep.equal(['c']);
  });

  it('combines alternatives with OR (or |) inside one clause', () => {
    expect(ids('vélo OR bicyclette')).to.deep.equal(['d', 'e', 'f']);
    expect(ids('vélo | bicyclette -électrique')).to.deep.equal(['e', 'f']);
    expect(ids('site:velo.example OR site:actus.ville.example velo OR bicyclette -electrique')).to.deep.equal(
      ['e', 'f'],
    );
    expect(ids('velo or bicyclette')).to.deep.equal([]); // lower-case "or" is an ordinary word
  });

  it('groups terms with brackets, with the same OR, exclusion and operator rules inside', () => {
    // A group as an alternative: OR applies to the whole group, not to its last word.
    expect(ids('(jardin partagé) OR bicyclette')).to.deep.equal(['a', 'b', 'e']);
    expect(ids('("jardin partagé" OR canal)')).to.deep.equal(['a', 'e']);
    expect(ids('(site:velo.example OR site:blog.example)')).to.deep.equal(['b', 'd', 'e']);
    // An excluded group: pages matching the group are left out.
    expect(ids('jardin -(compost OR goûter)')).to.deep.equal(['a']);
    expect(ids('-(compost OR goûter) jardin')).to.deep.equal(['a']);
    expect(ids('jardin -(partagé guide)')).to.deep.equal(['a', 'b', 'c']);
    // An exclusion inside a group only concerns that group.
    expect(ids('(jardin -compost) OR guide')).to.deep.equal(['a', 'b', 'c']);
    expect(ids('(vélo OR bicyclette) -électrique')).to.deep.equal(['e', 'f']);
    expect(ids('((jardin -compost) OR site:velo.example) -electrique')).to.deep.equal(['a', 'b', 'e']);
    // Like the whole query, a group needs a positive term; empty brackets are ignored.
    expect(ids('(-jardin)')).to.deep.equal([]);
    expect(ids('() velo')).to.deep.equal(['d', 'f']);
    // A missing ")" closes at the end, a stray ")" is ignored.
    expect(ids('(vélo OR bicyclette')).to.deep.equal(['d', 'e', 'f']);
    expect(ids('vélo) OR bicyclette')).to.deep.equal(['d', 'e', 'f']);
    // Deep nesting does not exhaust the stack.
    expect(ids(`${'('.repeat(5000)}jardin${')'.repeat(5000)} -compost`)).to.deep.equal(['a', 'b']);
    const parsed = parseQuery('(a OR b) -c');
    expect(parsed.clauses).to.have.length(1);
    expect(parsed.clauses[0]?.map((atom) => atom.kind)).to.deep.equal(['group']);
    expect(parsed.excluded.map((atom) => atom.value)).to.deep.equal(['c']);
    expect(snippet(pages[4] as Page, '(canal OR rien) -jardin')).to.contain('canal');
  });

  it('supports intitle:', () => {
    expect(ids('intitle:jardin')).to.deep.equal(['a', 'b']);
    expect(ids('intitle:"jardin partagé"')).to.deep.equal(['a']);
  });

  it('returns nothing without a positive clause', () => {
    expect(ids('')).to.deep.equal([]);
    expect(ids('-jardin')).to.deep.equal([]);
    expect(ids('OR')).to.deep.equal([]);
  });

  it('ranks title matches first, then the most recent', () => {
    expect(searchPages(pages, 'jardin').map((page) => page.id)).to.deep.equal(['a', 'b', 'c']);
  });

  it('tokenizes and parses queries', () => {
    expect(tokenize('-"a b" site:X.example')).to.deep.equal([
      { kind: 'phrase', value: ['a', 'b'], negated: true },
      { kind: 'site', value: 'x.example', negated: false },
    ]);
    const parsed = parseQuery('a OR b c -d');
    expect(parsed.clauses.map((clause) => clause.map((atom) => atom.value))).to.deep.equal([
      ['a', 'b'],
      ['c'],
    ]);
    expect(parsed.excluded.map((atom) => atom.value)).to.deep.equal(['d']);
  });

  it('builds a snippet around the first match and the answer from the result ids', () => {
    expect(snippet(pages[4] as Page, 'canal')).to.contain('canal');
    expect(searchAnswer(searchPages(pages, 'velo'))).to.equal('results:d,f');
    expect(searchAnswer([])).to.equal('results:none');
  });
});
