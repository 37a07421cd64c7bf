/**
 * The learner's profile, a read model derived from their KEs and attempts: every competence of the
 * framework (pix, level, status, whether and from when it can be improved or reset), total pix,
 * the most pix the settings allow (competences × MAX_REACHABLE_LEVEL × 8), certification
 * eligibility, and the tutorials recommended for the skills they missed, in their locale.
 */
import type { Locale, TutorialFormat } from '../../framework/domain/models.js';
import { competenceStatus, latestAttempts, type CompetenceStatus } from '../domain/assessment.js';
import {
  canImproveCompetence,
  canResetCompetence,
  lastKnowledgeElementAt,
  type RuleDecision,
} from '../domain/improvement.js';
import { recommendTutorials } from '../domain/recommendations.js';
import { computeProfile } from '../domain/scoring.js';
import { completePendingWrites } from './knowledge-element-writes.js';
import type { EvaluationDeps } from './ports.js';

export const DEFAULT_PROFILE_TUTORIAL_LIMIT = 10;

export interface RuleAvailability {
  readonly allowed: boolean;
  /** Why not, when refused (COMPETENCE_NOT_COMPLETED, MAX_LEVEL_REACHED, IMPROVE_TOO_EARLY, …). */
  readonly reason?: string;
  /** When refused only because of the delay: the instant it becomes allowed. */
  readonly availableAt?: Date;
}

export interface ProfileCompetence {
  readonly code: string;
  readonly name: string;
  readonly areaCode: string;
  readonly pix: number;
  readonly level: number;
  readonly pixAheadOfNextLevel: number;
  readonly status: CompetenceStatus;
  /** The current attempt, when started or completed. */
  readonly assessmentId?: string;
  readonly improve: RuleAvailability;
  readonly reset: RuleAvailability;
}

export interface ProfileTutorial {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly source: string;
  readonly format: TutorialFormat;
  readonly duration: string;
  readonly skillIds: readonly string[];
}

export interface Profile {
  readonly learnerKey: string;
  readonly locale: Locale;
  readonly maxLevel: number;
  readonly areas: ReadonlyArray<{ readonly code: string; readonly name: string; readonly color: string }>;
  readonly competences: readonly ProfileCompetence[];
  readonly totalPix: number;
  readonly maxTotalPix: number;
  readonly certifiableCompetenceCount: number;
  readonly eligibleForCertification: boolean;
  readonly recommendedTutorials: readonly ProfileTutorial[];
}

export async function getProfile(
  deps: EvaluationDeps,
  input: { readonly learnerKey: string; readonly locale: Locale },
): Promise<Profile> {
  const { learnerKey, locale } = input;
  await completePendingWrites(deps, learnerKey);
  const [knowledgeElements, assessments, resets] = await Promise.all([
    deps.knowledgeElements.listByLearner(learnerKey),
    deps.assessments.listByLearner(learnerKey),
    deps.competenceResets.listByLearner(learnerKey),
  ]);
  const { content, settings } = deps;
  const maxLevel = settings.maxReachableLevel;
  const now = deps.clock.now();
  const scores = computeProfile({ competenceCodes: content.competenceCodes, knowledgeElements, maxLevel });
  const latest = latestAttempts(assessments);

  const competences = scores.competences.map((score): ProfileCompetence => {
    const code = score.competenceCode;
    const competence = content.competencesByCode.get(code);
    const attempt = latest.get(code);
    const status = competenceStatus(attempt, resets);
    const last = lastKnowledgeElementAt(knowledgeElements, code);
    const improve =
      status === 'in-progress' && attempt?.improving
        ? { allowed: false, reason: 'IMPROVING' }
        : canImproveCompetence({
            competenceCompleted: status === 'completed',
            level: score.level,
            maxLevel,
            lastKnowledgeElementAt: last,
            now,
            daysBeforeImproving: settings.improveAfterDays,
          });
    return {
      code,
      name: competence?.name[locale] ?? code,
      areaCode: competence?.areaCode ?? '',
      pix: score.pix,
      level: score.level,
      pixAheadOfNextLevel: score.pixAheadOfNextLevel,
      status,
      ...(status !== 'not-started' && attempt ? { assessmentId: attempt.id } : {}),
      improve: availability(improve),
      reset: availability(
        canResetCompetence({ lastKnowledgeElementAt: last, now, daysBeforeReset: settings.resetAfterDays }),
      ),
    };
  });

  const recommendations = recommendTutorials({
    index: content.engineIndex,
    scope: content.profileScope,
    knowledgeElements,
    locale,
    limit: settings.profileTutorialLimit ?? DEFAULT_PROFILE_TUTORIAL_LIMIT,
  });
  return {
    learnerKey,
    locale,
    maxLevel,
    areas: content.framework.areas.map((area) => ({
      code: area.code,
      name: area.name[locale],
      color: area.color,
    })),
    competences,
    totalPix: scores.totalPix,
    maxTotalPix: scores.maxTotalPix,
    certifiableCompetenceCount: scores.certifiableCompetenceCount,
    eligibleForCertification: scores.eligibleForCertification,
    recommendedTutorials: recommendations.map(({ tutorial, skillIds }) => ({
      id: tutorial.id,
      title: tutorial.title,
      url: tutorial.url,
      source: tutorial.source,
      format: tutorial.format,
      duration: tutorial.duration,
      skillIds,
    })),
  };
}

function availability(decision: RuleDecision | { allowed: false; reason: string }): RuleAvailability {
  if (decision.allowed) return { allowed: true };
  return {
    allowed: false,
    reason: decision.reason,
    ...('availableAt' in decision && decision.availableAt ? { availableAt: decision.availableAt } : {}),
  };
}
