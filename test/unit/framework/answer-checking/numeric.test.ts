import { expect } from 'chai';
import {
  matchesNumber,
  numbersEqual,
  parseNumber,
} from '../../../../src/framework/domain/answer-checking/index.js';

describe('numeric answers', () => {
  describe('parseNumber', () => {
    const valid: readonly (readonly [string, number])[] = [
      ['42', 42],
      ['3,5', 3.5],
      ['3.5', 3.5],
      ['  3,5  ', 3.5],
      ['+7', 7],
      ['-7', -7],
      ['-0,25', -0.25],
      ['1 234', 1234],
      ['1 234,5', 1234.5],
      ['12 345 678.9', 12345678.9],
      ['1\u00a0234,5', 1234.5],
      ['1\u202f234,5', 1234.5],
      ['1\u2007234', 1234],
      [',5', 0.5],
      ['.5', 0.5],
      ['007', 7],
      ['1,234', 1.234],
      ['0', 0],
    ];
    for (const [text, expected] of valid) {
      it(`parses ${JSON.stringify(text)} as ${expected}`, () => {
        expect(parseNumber(text)).to.equal(expected);
      });
    }

    const invalid = [
      '',
      '   ',
      'abc',
      '12a',
      '1,2,3',
      '1.234,5',
      '1,234.5',
      '12 34',
      '1  234',
      '1234 567',
      ' 1 23',
      '5,',
      '5.',
      '.',
      ',',
      '+',
      '-',
      '+-5',
      '- 5',
      '1e3',
      'Infinity',
      'NaN',
      '0x10',
      '٣',
      '1'.repeat(400),
    ];
    for (const text of invalid) {
      it(`refuses ${JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text)}`, () => {
        expect(parseNumber(text)).to.equal(undefined);
      });
    }
  });

  describe('numbersEqual', () => {
    it('absorbs floating-point noise', () => {
      expect(0.1 + 0.2 === 0.3).to.equal(false);
      expect(numbersEqual(0.1 + 0.2, 0.3)).to.equal(true);
    });

    it('is relative to the magnitude', () => {
      // The epsilon is 1e-9 × 1e12 = 1000 here.
      expect(numbersEqual(1e12, 1e12 + 1)).to.equal(true);
      expect(numbersEqual(1e12, 1e12 + 10_000)).to.equal(false);
      // Below 1, the epsilon stays absolute (1e-9).
      expect(numbersEqual(1e-12, 2e-12)).to.equal(true);
    });

    it('distinguishes close but different numbers', () => {
      expect(numbersEqual(3.5, 3.50001)).to.equal(false);
      expect(numbersEqual(0, 1e-6)).to.equal(false);
      expect(numbersEqual(-2, 2)).to.equal(false);
    });

    it('treats -0 and 0 as equal', () => {
      expect(numbersEqual(-0, 0)).to.equal(true);
    });
  });

  describe('matchesNumber', () => {
    it('compares numerically, whatever the writing', () => {
      expect(matchesNumber('3,50', ['3.5'])).to.equal(true);
      expect(matchesNumber(' 1 234,5 ', ['1234.5'])).to.equal(true);
      expect(matchesNumber('+12', ['12'])).to.equal(true);
      // "1 2" is not a number (groups of three digits only), so only "12" can match.
      expect(matchesNumber('12', ['1 2', '12'])).to.equal(true);
      expect(matchesNumber('12', ['1 2'])).to.equal(false);
    });

    it('refuses a different number', () => {
      expect(matchesNumber('3,51', ['3.5'])).to.equal(false);
      expect(matchesNumber('-12', ['12'])).to.equal(false);
    });

    it('refuses non-numeric and empty input without throwing', () => {
      expect(matchesNumber('douze', ['12'])).to.equal(false);
      expect(matchesNumber('', ['0'])).to.equal(false);
      expect(matchesNumber('  ', ['0'])).to.equal(false);
    });

    it('ignores variants that are not numbers', () => {
      expect(matchesNumber('12', ['douze'])).to.equal(false);
      expect(matchesNumber('12', ['douze', '12,0'])).to.equal(true);
    });
  });

  describe('in English', () => {
    const cases: Array<[string, number | undefined]> = [
      ['2,250', 2250],
      ['1,234,567.5', 1234567.5],
      ['-12,000', -12000],
      ['2,25', 2.25],
      ['2,250.75', 2250.75],
      ['2 250', 2250],
      ['3.5', 3.5],
      ['1,23,456', undefined],
      ['1.234,5', undefined],
    ];
    for (const [text, expected] of cases) {
      it(`reads ${JSON.stringify(text)} as ${String(expected)}`, () => {
        expect(parseNumber(text, 'en')).to.equal(expected);
      });
    }

    it('keeps the French reading of a comma as decimal', () => {
      expect(parseNumber('2,250', 'fr')).to.equal(2.25);
      expect(parseNumber('2,250')).to.equal(2.25);
    });

    it('checks a numeric input with the learner’s locale', () => {
      expect(matchesNumber('2,250', ['2250'], 'en')).to.equal(true);
      expect(matchesNumber('2,250', ['2250'], 'fr')).to.equal(false);
      expect(matchesNumber('2 250', ['2250'], 'fr')).to.equal(true);
    });
  });
});
