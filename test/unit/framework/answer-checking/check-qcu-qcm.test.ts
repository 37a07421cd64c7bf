import { expect } from 'chai';
import {
  AnswerMalformedError,
  checkAnswer,
  checkQcm,
  checkQcu,
} from '../../../../src/framework/domain/answer-checking/index.js';
import type { QcmSolution, QcuSolution } from '../../../../src/framework/domain/models.js';

const qcu: QcuSolution = { type: 'QCU', answer: 2 };
const qcm: QcmSolution = { type: 'QCM', answers: [1, 3] };

describe('QCU', () => {
  it('accepts the right index', () => {
    expect(checkQcu(qcu, '2')).to.deep.equal({ correct: true });
    expect(checkAnswer(qcu, '2', 'fr')).to.deep.equal({ correct: true });
  });

  it('accepts surrounding spaces, including no-break spaces', () => {
    expect(checkQcu(qcu, ' 2 ').correct).to.equal(true);
    expect(checkQcu(qcu, '\u00a02\u202f').correct).to.equal(true);
  });

  it('refuses another index', () => {
    expect(checkQcu(qcu, '1')).to.deep.equal({ correct: false });
    expect(checkQcu(qcu, '3').correct).to.equal(false);
    expect(checkQcu(qcu, '12').correct).to.equal(false);
  });

  it('refuses garbage without throwing', () => {
    for (const value of [
      '',
      ' ',
      'two',
      '2.0',
      '2,',
      '1,2',
      '+2',
      '-2',
      '02',
      '2e0',
      '0x2',
      '２',
      '0',
      '#ABAND#',
    ]) {
      expect(checkQcu(qcu, value).correct, JSON.stringify(value)).to.equal(false);
    }
  });

  it('refuses an index too large to be an integer', () => {
    expect(checkQcu({ type: 'QCU', answer: 2 }, '2'.repeat(30)).correct).to.equal(false);
  });

  it('refuses an object answer as malformed', () => {
    expect(() => checkAnswer(qcu, { p1: '2' }, 'fr'))
      .to.throw(AnswerMalformedError)
      .with.property('code', 'ANSWER_MALFORMED');
  });
});

describe('QCM', () => {
  it('accepts the right set of indexes', () => {
    expect(checkQcm(qcm, '1,3')).to.deep.equal({ correct: true });
    expect(checkAnswer(qcm, '1,3', 'en')).to.deep.equal({ correct: true });
  });

  it('is order-insensitive', () => {
    expect(checkQcm(qcm, '3,1').correct).to.equal(true);
    const large: QcmSolution = { type: 'QCM', answers: [4, 1, 10] };
    expect(checkQcm(large, '10,4,1').correct).to.equal(true);
    expect(checkQcm(large, '1,4,10').correct).to.equal(true);
  });

  it('trims each item', () => {
    expect(checkQcm(qcm, ' 1 , 3 ').correct).to.equal(true);
    expect(checkQcm(qcm, '1,\u00a03').correct).to.equal(true);
  });

  it('is all-or-nothing', () => {
    expect(checkQcm(qcm, '1').correct).to.equal(false);
    expect(checkQcm(qcm, '3').correct).to.equal(false);
    expect(checkQcm(qcm, '1,2,3').correct).to.equal(false);
    expect(checkQcm(qcm, '1,2').correct).to.equal(false);
    expect(checkQcm(qcm, '2').correct).to.equal(false);
  });

  it('refuses repeated indexes', () => {
    expect(checkQcm(qcm, '1,1,3').correct).to.equal(false);
    expect(checkQcm(qcm, '1,3,3').correct).to.equal(false);
    expect(checkQcm({ type: 'QCM', answers: [1] }, '1,1').correct).to.equal(false);
  });

  it('refuses garbage without throwing', () => {
    for (const value of [
      '',
      ' ',
      ',',
      '1,,3',
      '1,3,',
      ',1,3',
      '1;3',
      '1 3',
      '1,3a',
      'un,trois',
      '1.0,3',
      '01,3',
    ]) {
      expect(checkQcm(qcm, value).correct, JSON.stringify(value)).to.equal(false);
    }
  });

  it('does not accept "1,3" for a solution with more answers', () => {
    expect(checkQcm({ type: 'QCM', answers: [1, 3, 4] }, '1,3').correct).to.equal(false);
  });

  it('refuses an object answer as malformed', () => {
    expect(() => checkQcm(qcm, { a: '1', b: '3' })).to.throw(AnswerMalformedError);
  });

  it('does not modify the solution', () => {
    const answers = Object.freeze([3, 1]);
    const solution: QcmSolution = Object.freeze({ type: 'QCM', answers });
    expect(checkQcm(solution, '1,3').correct).to.equal(true);
    expect(answers).to.deep.equal([3, 1]);
  });
});
