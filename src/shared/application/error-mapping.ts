import { isDomainError } from '../domain/errors.js';

/**
 * The one place where domain error codes become HTTP statuses. A code absent from this table is a
 * bug in the mapping, reported as 500 like any unexpected error.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 400,
  ANSWER_MALFORMED: 400,
  ANSWER_TOO_LARGE: 413,
  // Evaluation (src/evaluation/domain/errors.ts and the engine's own codes).
  ASSESSMENT_NOT_FOUND: 404,
  POSITIONING_NOT_FOUND: 404,
  UNKNOWN_AREA: 404,
  UNKNOWN_COMPETENCE: 404,
  ASSESSMENT_NOT_ONGOING: 409,
  CHALLENGE_NOT_SERVED: 409,
  COMPETENCE_NOT_IN_SCOPE: 409,
  IMPROVE_NOT_ALLOWED: 409,
  RESET_NOT_ALLOWED: 409,
  // Teaching (src/teaching/application/use-cases.ts).
  DASHBOARD_NOT_AVAILABLE: 404,
  STUDENT_NOT_FOUND: 404,
  GRADE_NOT_FOUND: 404,
  GRADE_SUPERSEDED: 409,
};

export type ErrorPageKind = 'notFound' | 'forbidden' | 'badRequest' | 'internal';

export interface MappedError {
  readonly status: number;
  readonly code: string;
  readonly kind: ErrorPageKind;
  /** Safe to show: domain messages are written for users; unexpected errors never leak. */
  readonly expose: boolean;
}

function kindOf(status: number): ErrorPageKind {
  if (status === 404) return 'notFound';
  if (status === 403 || status === 401) return 'forbidden';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'internal';
}

export function mapError(error: unknown): MappedError {
  if (isDomainError(error)) {
    const status = STATUS_BY_CODE[error.code];
    if (status !== undefined) return { status, code: error.code, kind: kindOf(status), expose: true };
  }
  // Body-parser and similar express errors carry a 4xx status and a safe `type`.
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') {
    const status = error.status;
    if (status >= 400 && status < 500) {
      const type = 'type' in error && typeof error.type === 'string' ? error.type : 'BAD_REQUEST';
      return { status, code: type.toUpperCase().replace(/\W+/g, '_'), kind: kindOf(status), expose: false };
    }
  }
  return { status: 500, code: 'INTERNAL_ERROR', kind: 'internal', expose: false };
}
