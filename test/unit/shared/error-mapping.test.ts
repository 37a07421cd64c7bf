import { expect } from 'chai';
import { mapError } from '../../../src/shared/application/error-mapping.js';
import { DomainError } from '../../../src/shared/domain/errors.js';

class AnswerTooLargeError extends DomainError {
  constructor() {
    super('ANSWER_TOO_LARGE', 'Your answer is too long.');
  }
}

describe('Unit | Shared | error mapping', () => {
  it('maps a known domain code to its status and exposes its message', () => {
    expect(mapError(new AnswerTooLargeError())).to.deep.equal({
      status: 413,
      code: 'ANSWER_TOO_LARGE',
      kind: 'badRequest',
      expose: true,
    });
    expect(mapError(new DomainError('NOT_FOUND', 'no such thing'))).to.include({
      status: 404,
      kind: 'notFound',
    });
    expect(mapError(new DomainError('FORBIDDEN', 'no'))).to.include({ status: 403, kind: 'forbidden' });
  });

  it("answers 404 for the teaching context's missing student, grade or dashboard", () => {
    for (const code of ['STUDENT_NOT_FOUND', 'GRADE_NOT_FOUND', 'DASHBOARD_NOT_AVAILABLE']) {
      expect(mapError(new DomainError(code, 'not here')), code).to.include({ status: 404, kind: 'notFound' });
    }
  });

  it('answers 409 for a failed grade that a later grade replaced', () => {
    expect(mapError(new DomainError('GRADE_SUPERSEDED', 'replaced'))).to.include({
      status: 409,
      kind: 'badRequest',
    });
  });

  it('treats an unmapped domain code as an internal error that is not exposed', () => {
    expect(mapError(new DomainError('SOMETHING_NEW', 'secret detail'))).to.deep.equal({
      status: 500,
      code: 'INTERNAL_ERROR',
      kind: 'internal',
      expose: false,
    });
  });

  it('keeps the 4xx status of framework errors without exposing their message', () => {
    const parserError = Object.assign(new Error('Unexpected token } in JSON'), {
      status: 400,
      type: 'entity.parse.failed',
    });
    expect(mapError(parserError)).to.deep.equal({
      status: 400,
      code: 'ENTITY_PARSE_FAILED',
      kind: 'badRequest',
      expose: false,
    });
  });

  it('turns anything else into a 500', () => {
    expect(mapError(new TypeError('x is undefined')).status).to.equal(500);
    expect(mapError('a string').status).to.equal(500);
    expect(mapError(Object.assign(new Error('boom'), { status: 503 })).status).to.equal(500);
  });
});
