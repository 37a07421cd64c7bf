import { expect } from 'chai';
import {
  AnswerMalformedError,
  checkAnswer,
  checkQroc,
  checkQrocmDep,
  checkQrocmInd,
} from '../../../../src/framework/domain/answer-checking/index.js';
import {
  ALL_TOLERANCES,
  NO_TOLERANCE,
  T1,
  T1_T2,
  qroc,
  qrocmDep,
  qrocmInd,
  same,
  textInput,
} from './fixtures.js';

describe('QROC', () => {
  it('checks against the variants of the learner’s locale', () => {
    const solution = qroc({ fr: ['Allemagne'], en: ['Germany'] }, T1);
    expect(checkQroc(solution, 'allemagne', 'fr')).to.deep.equal({ correct: true });
    expect(checkQroc(solution, 'allemagne', 'en')).to.deep.equal({ correct: false });
    expect(checkAnswer(solution, 'GERMANY', 'en')).to.deep.equal({ correct: true });
    expect(checkAnswer(solution, 'GERMANY', 'fr')).to.deep.equal({ correct: false });
  });

  it('applies the challenge’s tolerances', () => {
    expect(checkQroc(qroc(same('elephant'), T1), 'Éléphant ', 'fr').correct).to.equal(true);
    expect(checkQroc(qroc(same('elephant'), NO_TOLERANCE), 'Éléphant ', 'fr').correct).to.equal(false);
    expect(checkQroc(qroc(same('elephant'), ALL_TOLERANCES), 'Élephent !', 'fr').correct).to.equal(true);
  });

  it('refuses empty and whitespace-only answers', () => {
    const solution = qroc(same('Paris'));
    expect(checkQroc(solution, '', 'fr').correct).to.equal(false);
    expect(checkQroc(solution, '  \n ', 'fr').correct).to.equal(false);
  });

  describe('numeric input', () => {
    const solution = qroc(same('1234.5'), NO_TOLERANCE, { numeric: true });

    it('accepts a decimal comma or point, spaces and thousands separators', () => {
      for (const value of ['1234.5', '1234,5', ' 1 234,5 ', '1\u202f234,50', '+1234.50']) {
        expect(checkQroc(solution, value, 'fr').correct, JSON.stringify(value)).to.equal(true);
      }
    });

    it('refuses another number and non-numeric input', () => {
      for (const value of ['1234', '-1234.5', '12 34,5', 'mille', '', '1234.5 €']) {
        expect(checkQroc(solution, value, 'fr').correct, JSON.stringify(value)).to.equal(false);
      }
    });

    it('ignores the text tolerances', () => {
      const typo = qroc(same('1000'), ALL_TOLERANCES, { numeric: true });
      // Under T3, "1001" would be one edit over four characters; numerically it is wrong.
      expect(checkQroc(typo, '1001', 'fr').correct).to.equal(false);
      expect(checkQroc(typo, '1 000,0', 'fr').correct).to.equal(true);
    });
  });

  describe('select input', () => {
    const solution = qroc(same('Réseau local'), ALL_TOLERANCES, { select: true });

    it('requires an exact match after pre-treatment, whatever the tolerances', () => {
      expect(checkQroc(solution, 'Réseau local', 'fr').correct).to.equal(true);
      expect(checkQroc(solution, 'Re\u0301seau\u00a0local', 'fr').correct).to.equal(true);
      expect(checkQroc(solution, 'réseau local', 'fr').correct).to.equal(false);
      expect(checkQroc(solution, 'Reseau local', 'fr').correct).to.equal(false);
      expect(checkQroc(solution, 'Réseau locale', 'fr').correct).to.equal(false);
    });

    it('takes precedence over numeric', () => {
      const both = qroc(same('10'), NO_TOLERANCE, { select: true, numeric: true });
      expect(checkQroc(both, '10', 'fr').correct).to.equal(true);
      expect(checkQroc(both, '10,0', 'fr').correct).to.equal(false);
    });
  });

  it('refuses an object answer as malformed', () => {
    expect(() => checkAnswer(qroc(same('Paris')), { p1: 'Paris' }, 'fr'))
      .to.throw(AnswerMalformedError)
      .with.property('code', 'ANSWER_MALFORMED');
  });
});

describe('QROCM-ind', () => {
  const solution = qrocmInd(
    [
      textInput('capital', same('Paris')),
      textInput('year', same('1789'), { numeric: true }),
      textInput('tool', same('Tableur'), { select: true }),
    ],
    T1_T2,
  );

  it('is correct when every input is, with details per key', () => {
    expect(
      checkQrocmInd(solution, { capital: ' paris ', year: '1 789', tool: 'Tableur' }, 'fr'),
    ).to.deep.equal({
      correct: true,
      details: { capital: true, year: true, tool: true },
    });
  });

  it('is incorrect when one input is wrong, and says which', () => {
    expect(checkAnswer(solution, { capital: 'Paris', year: '1790', tool: 'Tableur' }, 'fr')).to.deep.equal({
      correct: false,
      details: { capital: true, year: false, tool: true },
    });
    expect(checkAnswer(solution, { capital: 'Paris', year: '1789', tool: 'tableur' }, 'fr')).to.deep.equal({
      correct: false,
      details: { capital: true, year: true, tool: false },
    });
  });

  it('checks each input against its own variants only', () => {
    // Both values are right answers, but for the other input.
    const swapped = qrocmInd([textInput('a', same('chat')), textInput('b', same('chien'))]);
    expect(checkQrocmInd(swapped, { a: 'chien', b: 'chat' }, 'fr')).to.deep.equal({
      correct: false,
      details: { a: false, b: false },
    });
  });

  it('counts a missing key as a wrong input', () => {
    expect(checkQrocmInd(solution, { capital: 'Paris', year: '1789' }, 'fr')).to.deep.equal({
      correct: false,
      details: { capital: true, year: true, tool: false },
    });
    expect(checkQrocmInd(solution, {}, 'fr')).to.deep.equal({
      correct: false,
      details: { capital: false, year: false, tool: false },
    });
  });

  it('ignores extra keys', () => {
    const value = { capital: 'Paris', year: '1789', tool: 'Tableur', other: 'anything' };
    expect(checkQrocmInd(solution, value, 'fr')).to.deep.equal({
      correct: true,
      details: { capital: true, year: true, tool: true },
    });
  });

  it('only reads own keys', () => {
    const inherited = qrocmInd([textInput('toString', same('x')), textInput('constructor', same('y'))]);
    expect(checkQrocmInd(inherited, {}, 'fr')).to.deep.equal({
      correct: false,
      details: { toString: false, constructor: false },
    });
    expect(checkQrocmInd(inherited, { toString: 'x', constructor: 'y' }, 'fr').correct).to.equal(true);
  });

  it('accepts an object without prototype, as JSON parsers may produce', () => {
    const value = Object.assign(Object.create(null) as Record<string, string>, {
      capital: 'Paris',
      year: '1789',
      tool: 'Tableur',
    });
    expect(checkQrocmInd(solution, value, 'fr').correct).to.equal(true);
  });

  it('uses the learner’s locale', () => {
    const localized = qrocmInd([textInput('p1', { fr: ['souris'], en: ['mouse'] })], T1);
    expect(checkQrocmInd(localized, { p1: 'Mouse' }, 'en').correct).to.equal(true);
    expect(checkQrocmInd(localized, { p1: 'Mouse' }, 'fr').correct).to.equal(false);
  });

  it('refuses empty values', () => {
    expect(checkQrocmInd(solution, { capital: '', year: ' ', tool: '' }, 'fr')).to.deep.equal({
      correct: false,
      details: { capital: false, year: false, tool: false },
    });
  });

  it('refuses a string answer as malformed', () => {
    expect(() => checkAnswer(solution, 'capital: Paris', 'fr'))
      .to.throw(AnswerMalformedError)
      .with.property('code', 'ANSWER_MALFORMED');
  });
});

describe('QROCM-dep', () => {
  const solution = qrocmDep(['p1', 'p2'], [same('Paris'), same('Lyon')], T1);

  it('accepts the answers in display order', () => {
    expect(checkQrocmDep(solution, { p1: 'Paris', p2: 'Lyon' }, 'fr')).to.deep.equal({
      correct: true,
      details: { p1: true, p2: true },
    });
  });

  it('accepts the answers swapped', () => {
    expect(checkAnswer(solution, { p1: 'lyon', p2: 'PARIS' }, 'fr')).to.deep.equal({
      correct: true,
      details: { p1: true, p2: true },
    });
  });

  it('refuses using one group twice', () => {
    const result = checkQrocmDep(solution, { p1: 'Paris', p2: 'paris' }, 'fr');
    expect(result.correct).to.equal(false);
    expect(result.details).to.deep.equal({ p1: true, p2: false });
  });

  it('refuses using one group twice even through two of its variants', () => {
    const withSynonyms = qrocmDep(['p1', 'p2'], [same('Paris', 'Lutèce'), same('Lyon')], T1);
    expect(checkQrocmDep(withSynonyms, { p1: 'Paris', p2: 'Lutèce' }, 'fr').correct).to.equal(false);
    expect(checkQrocmDep(withSynonyms, { p1: 'Lyon', p2: 'Lutèce' }, 'fr').correct).to.equal(true);
  });

  it('finds a full assignment where a greedy choice would fail', () => {
    // "Paris" fits both groups; taking the first group for it would leave "Lutèce" nothing.
    const overlapping = qrocmDep(['p1', 'p2'], [same('Paris', 'Lutèce'), same('Paris')], T1);
    expect(checkQrocmDep(overlapping, { p1: 'Paris', p2: 'Lutèce' }, 'fr')).to.deep.equal({
      correct: true,
      details: { p1: true, p2: true },
    });

    const three = qrocmDep(['a', 'b', 'c'], [same('x', 'y', 'z'), same('x', 'y'), same('x')], NO_TOLERANCE);
    expect(checkQrocmDep(three, { a: 'x', b: 'y', c: 'z' }, 'fr').correct).to.equal(true);
    expect(checkQrocmDep(three, { a: 'z', b: 'y', c: 'x' }, 'fr').correct).to.equal(true);
    expect(checkQrocmDep(three, { a: 'z', b: 'z', c: 'x' }, 'fr').correct).to.equal(false);
  });

  it('is incorrect when one answer matches no group', () => {
    expect(checkQrocmDep(solution, { p1: 'Paris', p2: 'Marseille' }, 'fr')).to.deep.equal({
      correct: false,
      details: { p1: true, p2: false },
    });
  });

  it('applies the tolerances to every group', () => {
    const tolerant = qrocmDep(['p1', 'p2'], [same('Éléphant'), same('Hippopotame')], ALL_TOLERANCES);
    expect(checkQrocmDep(tolerant, { p1: 'hipopotame', p2: 'elephant !' }, 'fr').correct).to.equal(true);
    const strict = qrocmDep(['p1', 'p2'], [same('Éléphant'), same('Hippopotame')], NO_TOLERANCE);
    expect(checkQrocmDep(strict, { p1: 'hipopotame', p2: 'elephant !' }, 'fr').correct).to.equal(false);
  });

  it('uses the learner’s locale', () => {
    const localized = qrocmDep(
      ['p1', 'p2'],
      [
        { fr: ['rouge'], en: ['red'] },
        { fr: ['bleu'], en: ['blue'] },
      ],
      T1,
    );
    expect(checkQrocmDep(localized, { p1: 'Blue', p2: 'Red' }, 'en').correct).to.equal(true);
    expect(checkQrocmDep(localized, { p1: 'Blue', p2: 'Red' }, 'fr').correct).to.equal(false);
  });

  it('counts a missing key as unmatched and ignores extra keys', () => {
    expect(checkQrocmDep(solution, { p1: 'Lyon' }, 'fr')).to.deep.equal({
      correct: false,
      details: { p1: true, p2: false },
    });
    expect(checkQrocmDep(solution, { p1: 'Lyon', p2: 'Paris', p3: 'Nice' }, 'fr')).to.deep.equal({
      correct: true,
      details: { p1: true, p2: true },
    });
  });

  it('is incorrect when there are more inputs than groups', () => {
    const short = qrocmDep(['p1', 'p2', 'p3'], [same('Paris'), same('Lyon')], T1);
    expect(checkQrocmDep(short, { p1: 'Paris', p2: 'Lyon', p3: 'Paris' }, 'fr').correct).to.equal(false);
  });

  it('accepts any distinct groups when there are more groups than inputs', () => {
    const many = qrocmDep(['p1', 'p2'], [same('Paris'), same('Lyon'), same('Nice')], T1);
    expect(checkQrocmDep(many, { p1: 'Nice', p2: 'Paris' }, 'fr').correct).to.equal(true);
    expect(checkQrocmDep(many, { p1: 'Nice', p2: 'Nice' }, 'fr').correct).to.equal(false);
  });

  it('refuses empty values', () => {
    const withEmptyVariant = qrocmDep(['p1', 'p2'], [same(''), same('')], NO_TOLERANCE);
    expect(checkQrocmDep(withEmptyVariant, { p1: '', p2: '' }, 'fr').correct).to.equal(false);
  });

  it('refuses a string answer as malformed', () => {
    expect(() => checkAnswer(solution, 'Paris, Lyon', 'fr'))
      .to.throw(AnswerMalformedError)
      .with.property('code', 'ANSWER_MALFORMED');
  });
});
