export {
  ABAND_ANSWER_VALUE,
  ANSWER_STATUSES,
  isSuccess,
  resolveAnswerStatus,
  type AnswerStatus,
  type AnswerStatusInput,
} from './answer-status.js';
export { assertAnswerSize, utf8ByteLength, type AnswerValue } from './answer-value.js';
export {
  checkAnswer,
  checkQcm,
  checkQcu,
  checkQroc,
  checkQrocmDep,
  checkQrocmInd,
  matchesInput,
  type AnswerCheckResult,
} from './check-answer.js';
export { AnswerMalformedError, AnswerTooLargeError, MAX_ANSWER_BYTES } from './errors.js';
export { matchesNumber, numbersEqual, NUMERIC_RELATIVE_EPSILON, parseNumber } from './numeric.js';
export {
  applyT1,
  applyT2,
  applyTreatments,
  isWithinEditDistance,
  matchesSelect,
  matchesText,
  preTreat,
  T3_MAX_RATIO,
} from './text-treatments.js';
