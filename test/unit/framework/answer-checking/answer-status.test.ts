import { expect } from 'chai';
import {
  ABAND_ANSWER_VALUE,
  ANSWER_STATUSES,
  isSuccess,
  resolveAnswerStatus,
  type AnswerStatusInput,
} from '../../../../src/framework/domain/answer-checking/index.js';

const base: AnswerStatusInput = { skipped: false, correct: true, timedOut: false, focusedOut: false };

describe('answer status', () => {
  it('lists the five statuses and the stored value of a skipped answer', () => {
    expect(ANSWER_STATUSES).to.deep.equal(['ok', 'ko', 'aband', 'timedout', 'focusedOut']);
    expect(ABAND_ANSWER_VALUE).to.equal('#ABAND#');
  });

  it('is ok for a correct answer in time with focus kept', () => {
    expect(resolveAnswerStatus(base)).to.equal('ok');
  });

  it('is ko for a wrong answer', () => {
    expect(resolveAnswerStatus({ ...base, correct: false })).to.equal('ko');
  });

  it('is aband for a skipped answer, whatever the other flags', () => {
    expect(resolveAnswerStatus({ ...base, skipped: true })).to.equal('aband');
    expect(
      resolveAnswerStatus({
        skipped: true,
        correct: false,
        timedOut: true,
        focusedOut: true,
        focusedOutCounts: true,
      }),
    ).to.equal('aband');
  });

  it('is timedout for a correct answer given after the time limit', () => {
    expect(resolveAnswerStatus({ ...base, timedOut: true })).to.equal('timedout');
  });

  it('keeps ko for a wrong answer given after the time limit', () => {
    expect(resolveAnswerStatus({ ...base, correct: false, timedOut: true })).to.equal('ko');
  });

  it('is focusedOut for a correct answer when focus was lost, by default', () => {
    expect(resolveAnswerStatus({ ...base, focusedOut: true })).to.equal('focusedOut');
    expect(resolveAnswerStatus({ ...base, focusedOut: true, focusedOutCounts: true })).to.equal('focusedOut');
  });

  it('ignores a lost focus when focus-out does not count', () => {
    expect(resolveAnswerStatus({ ...base, focusedOut: true, focusedOutCounts: false })).to.equal('ok');
  });

  it('keeps ko for a wrong answer when focus was lost', () => {
    expect(resolveAnswerStatus({ ...base, correct: false, focusedOut: true })).to.equal('ko');
  });

  it('prefers timedout over focusedOut', () => {
    expect(resolveAnswerStatus({ ...base, timedOut: true, focusedOut: true })).to.equal('timedout');
  });

  it('counts only ok as a success', () => {
    expect(ANSWER_STATUSES.filter(isSuccess)).to.deep.equal(['ok']);
  });
});
