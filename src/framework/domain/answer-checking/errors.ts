import { DomainError } from '../../../shared/domain/errors.js';

/** Largest accepted answer, in UTF-8 bytes (keys and values of a QROCM answer added together). */
export const MAX_ANSWER_BYTES = 10_240;

/** The answer is larger than {@link MAX_ANSWER_BYTES}; it is refused before any processing. */
export class AnswerTooLargeError extends DomainError {
  constructor(maxBytes: number = MAX_ANSWER_BYTES) {
    super('ANSWER_TOO_LARGE', `The answer exceeds ${maxBytes} bytes.`, { maxBytes });
  }
}

/** The answer does not have the shape the challenge type expects (string vs. key → string object). */
export class AnswerMalformedError extends DomainError {
  constructor(challengeType: string, expected: 'string' | 'object', reason: string) {
    super('ANSWER_MALFORMED', `Malformed answer for a ${challengeType} challenge: ${reason}.`, {
      challengeType,
      expected,
    });
  }
}
