/**
 * The evaluation context's expected failures. Each has a stable `code`, mapped to an HTTP status in
 * src/shared/application/error-mapping.ts. The engine's own codes (UNKNOWN_COMPETENCE,
 * UNKNOWN_CHALLENGE, RESET_NOT_ALLOWED from `resetCompetence`, …) are DomainErrors too.
 */
import { DomainError } from '../../shared/domain/errors.js';

/** No such assessment for this learner (another learner's assessment is reported the same way). */
export class AssessmentNotFoundError extends DomainError {
  constructor(assessmentId: string) {
    super('ASSESSMENT_NOT_FOUND', 'This assessment does not exist.', { assessmentId });
  }
}

/** No such positioning for this learner. */
export class PositioningNotFoundError extends DomainError {
  constructor(positioningId: string) {
    super('POSITIONING_NOT_FOUND', 'This positioning does not exist.', { positioningId });
  }
}

/** The assessment takes no more answers: it is completed, or a reset of its competence superseded it. */
export class AssessmentNotOngoingError extends DomainError {
  constructor(assessmentId: string, reason: 'completed' | 'reset') {
    super(
      'ASSESSMENT_NOT_ONGOING',
      reason === 'completed'
        ? 'This assessment is already completed.'
        : 'This competence was reset: start it again.',
      { assessmentId, reason },
    );
  }
}

/** The answer names a position whose challenge was never served. */
export class ChallengeNotServedError extends DomainError {
  constructor(assessmentId: string, position: number) {
    super('CHALLENGE_NOT_SERVED', 'This challenge was not served: ask for the next challenge first.', {
      assessmentId,
      position,
    });
  }
}

export class UnknownAreaError extends DomainError {
  constructor(areaCode: string) {
    super('UNKNOWN_AREA', `Unknown area ${areaCode}`, { areaCode });
  }
}

/** The competence is outside the scope of the positioning it is started from. */
export class CompetenceNotInScopeError extends DomainError {
  constructor(positioningId: string, competenceCode: string) {
    super('COMPETENCE_NOT_IN_SCOPE', `Competence ${competenceCode} is not part of this positioning.`, {
      positioningId,
      competenceCode,
    });
  }
}

/**
 * Improving a competence is refused. `reason` is one of the rule's reasons
 * (COMPETENCE_NOT_COMPLETED, MAX_LEVEL_REACHED, IMPROVE_TOO_EARLY); `availableAt` is set when the
 * only obstacle is the delay.
 */
export class ImproveNotAllowedError extends DomainError {
  constructor(
    competenceCode: string,
    readonly reason: string,
    readonly availableAt?: Date,
  ) {
    super('IMPROVE_NOT_ALLOWED', improveMessage(reason, availableAt), {
      competenceCode,
      reason,
      ...(availableAt ? { availableAt: availableAt.toISOString() } : {}),
    });
  }
}

/** Resetting a competence is refused: NOTHING_TO_RESET, or RESET_TOO_EARLY with `availableAt`. */
export class ResetNotAllowedError extends DomainError {
  constructor(
    competenceCode: string,
    readonly reason: string,
    readonly availableAt?: Date,
  ) {
    super(
      'RESET_NOT_ALLOWED',
      reason === 'NOTHING_TO_RESET'
        ? 'This competence has nothing to reset.'
        : `This competence can be reset from ${availableAt?.toISOString() ?? 'later'}.`,
      { competenceCode, reason, ...(availableAt ? { availableAt: availableAt.toISOString() } : {}) },
    );
  }
}

function improveMessage(reason: string, availableAt: Date | undefined): string {
  switch (reason) {
    case 'COMPETENCE_NOT_COMPLETED':
      return 'Finish this competence before trying to improve it.';
    case 'MAX_LEVEL_REACHED':
      return 'This competence is already at the highest level.';
    default:
      return `This competence can be improved from ${availableAt?.toISOString() ?? 'later'}.`;
  }
}
