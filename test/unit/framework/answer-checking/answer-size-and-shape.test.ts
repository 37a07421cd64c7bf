import { expect } from 'chai';
import {
  AnswerMalformedError,
  AnswerTooLargeError,
  MAX_ANSWER_BYTES,
  checkAnswer,
  checkQrocmInd,
  utf8ByteLength,
  type AnswerValue,
} from '../../../../src/framework/domain/answer-checking/index.js';
import { isDomainError } from '../../../../src/shared/domain/errors.js';
import type { QcmSolution, QcuSolution, Solution } from '../../../../src/framework/domain/models.js';
import { qroc, qrocmDep, qrocmInd, same, textInput } from './fixtures.js';

const qcu: QcuSolution = { type: 'QCU', answer: 2 };
const qcm: QcmSolution = { type: 'QCM', answers: [1, 3] };
const qrocSolution = qroc(same('Paris'));
const qrocmIndSolution = qrocmInd([textInput('p1', same('Paris'))]);
const qrocmDepSolution = qrocmDep(['p1'], [same('Paris')]);

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('answer size limit', () => {
  it('is 10 240 bytes', () => {
    expect(MAX_ANSWER_BYTES).to.equal(10_240);
  });

  describe('utf8ByteLength', () => {
    it('counts 1 to 4 bytes per character', () => {
      expect(utf8ByteLength('')).to.equal(0);
      expect(utf8ByteLength('a')).to.equal(1);
      expect(utf8ByteLength('é')).to.equal(2);
      expect(utf8ByteLength('€')).to.equal(3);
      expect(utf8ByteLength('😀')).to.equal(4);
      expect(utf8ByteLength('\u00a0')).to.equal(2);
      expect(utf8ByteLength('aé€😀')).to.equal(10);
    });

    it('agrees with Buffer.byteLength, lone surrogates included', () => {
      for (const text of ['Éléphant rose', '日本語', 'a\ud800b', '\udc00', '\ud83d', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢']) {
        expect(utf8ByteLength(text), JSON.stringify(text)).to.equal(Buffer.byteLength(text, 'utf8'));
      }
    });
  });

  const ascii = (bytes: number) => 'a'.repeat(bytes);

  it('accepts a text answer of exactly 10 240 bytes', () => {
    expect(checkAnswer(qrocSolution, ascii(10_240), 'fr')).to.deep.equal({ correct: false });
    expect(checkAnswer(qcu, ascii(10_240), 'fr')).to.deep.equal({ correct: false });
  });

  it('refuses a text answer of 10 241 bytes, for every challenge type taking text', () => {
    for (const solution of [qcu, qcm, qrocSolution] satisfies Solution[]) {
      const error = thrown(() => checkAnswer(solution, ascii(10_241), 'fr'));
      expect(error, solution.type).to.be.instanceOf(AnswerTooLargeError);
      expect(isDomainError(error)).to.equal(true);
      expect((error as AnswerTooLargeError).code).to.equal('ANSWER_TOO_LARGE');
      expect((error as AnswerTooLargeError).details).to.deep.equal({ maxBytes: 10_240 });
    }
  });

  it('counts the bytes of multi-byte characters, not the characters', () => {
    // 5 120 × "é" (2 bytes) = 10 240 bytes: accepted.
    expect(checkAnswer(qrocSolution, 'é'.repeat(5_120), 'fr').correct).to.equal(false);
    // 5 120 × "é" + "a" = 10 241 bytes, although only 5 121 characters.
    expect(() => checkAnswer(qrocSolution, `${'é'.repeat(5_120)}a`, 'fr')).to.throw(AnswerTooLargeError);
    // 2 560 × "😀" (4 bytes, 2 UTF-16 units) = 10 240 bytes: accepted; one more byte is refused.
    expect(checkAnswer(qrocSolution, '😀'.repeat(2_560), 'fr').correct).to.equal(false);
    expect(() => checkAnswer(qrocSolution, `${'😀'.repeat(2_560)}a`, 'fr')).to.throw(AnswerTooLargeError);
    // 3 413 × "€" (3 bytes) = 10 239 bytes, + "é" = 10 241.
    expect(checkAnswer(qrocSolution, `${'€'.repeat(3_413)}a`, 'fr').correct).to.equal(false);
    expect(() => checkAnswer(qrocSolution, `${'€'.repeat(3_413)}é`, 'fr')).to.throw(AnswerTooLargeError);
  });

  it('counts a decomposed character before normalisation', () => {
    // "e" + U+0301 is 3 bytes (NFC "é" would be 2): 3 413 of them plus "aa" = 10 241 bytes.
    expect(() => checkAnswer(qrocSolution, `${'e\u0301'.repeat(3_413)}aa`, 'fr')).to.throw(
      AnswerTooLargeError,
    );
  });

  it('adds up the keys and values of an object answer', () => {
    // Key "p1" (2 bytes) + value (10 238 bytes) = 10 240: accepted.
    expect(checkQrocmInd(qrocmIndSolution, { p1: ascii(10_238) }, 'fr').correct).to.equal(false);
    expect(() => checkQrocmInd(qrocmIndSolution, { p1: ascii(10_239) }, 'fr')).to.throw(AnswerTooLargeError);
    // Spread over several keys, extra keys included.
    const spread = { p1: 'Paris', x: ascii(5_000), y: ascii(5_000), zz: ascii(230) };
    expect(utf8ByteLength(Object.entries(spread).flat().join(''))).to.equal(10_241);
    expect(() => checkAnswer(qrocmIndSolution, spread, 'fr')).to.throw(AnswerTooLargeError);
    expect(() => checkAnswer(qrocmDepSolution, spread, 'fr')).to.throw(AnswerTooLargeError);
    const { zz: _zz, ...fits } = spread;
    expect(checkAnswer(qrocmIndSolution, fits, 'fr').correct).to.equal(true);
  });

  it('refuses an oversized answer before checking its shape', () => {
    // A string for a QROCM is malformed, but the size is checked first.
    expect(() => checkAnswer(qrocmIndSolution, ascii(10_241), 'fr')).to.throw(AnswerTooLargeError);
    expect(() => checkAnswer(qcu, { p1: ascii(10_241) }, 'fr')).to.throw(AnswerTooLargeError);
  });

  it('refuses a huge answer quickly', () => {
    expect(() => checkAnswer(qrocSolution, ascii(5_000_000), 'fr')).to.throw(AnswerTooLargeError);
    const manyKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 'v']));
    expect(() => checkAnswer(qrocmDepSolution, manyKeys, 'fr')).to.throw(AnswerTooLargeError);
  });
});

describe('answer shape', () => {
  const expectMalformed = (solution: Solution, value: unknown, expected: 'string' | 'object') => {
    const error = thrown(() => checkAnswer(solution, value as AnswerValue, 'fr'));
    expect(error, `${solution.type} ${JSON.stringify(value)}`).to.be.instanceOf(AnswerMalformedError);
    expect((error as AnswerMalformedError).code).to.equal('ANSWER_MALFORMED');
    expect((error as AnswerMalformedError).details).to.deep.equal({ challengeType: solution.type, expected });
  };

  it('refuses anything but a string for QCU, QCM and QROC', () => {
    for (const solution of [qcu, qcm, qrocSolution] satisfies Solution[]) {
      for (const value of [{ p1: '2' }, {}, 2, null, undefined, ['2'], true]) {
        expectMalformed(solution, value, 'string');
      }
    }
  });

  it('refuses anything but an object of strings for QROCM-ind and QROCM-dep', () => {
    for (const solution of [qrocmIndSolution, qrocmDepSolution] satisfies Solution[]) {
      for (const value of [
        'p1: Paris',
        '',
        42,
        null,
        undefined,
        ['Paris'],
        { p1: 42 },
        { p1: null },
        { p1: ['Paris'] },
        { p1: 'Paris', p2: { nested: 'x' } },
        new Map([['p1', 'Paris']]),
      ]) {
        expectMalformed(solution, value, 'object');
      }
    }
  });
});
