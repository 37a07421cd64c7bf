/**
 * Improve ("retenter") and reset rules (pix-reference §2, "Retry, improve and reset"), as pure
 * functions. Every delay is measured from the last KE of the competence (any status, including
 * reset elements) and compares elapsed milliseconds with N × 24 h: "4 days" means 96 hours.
 */
import { DomainError } from '../../shared/domain/errors.js';
import type { EngineIndex } from './engine-index.js';
import { competenceNode } from './engine-index.js';
import { latestKnowledgeElements, type KnowledgeElement } from './knowledge-element.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DAYS_BEFORE_IMPROVING = 4;
export const DEFAULT_DAYS_BEFORE_RESET = 7;

/** Set on an improving assessment. */
export interface ImprovingContext {
  /** When the improving assessment started. */
  readonly startedAt: Date;
  /** Default 4. */
  readonly daysBeforeImproving?: number;
}

/**
 * In an improving assessment, a skill whose latest KE is invalidated and was created at or before
 * `startedAt − N days` counts as untested (it can be asked again); validated KEs are kept.
 * Returns that instant (epoch ms).
 */
export function improvingCutoff(context: ImprovingContext): number {
  const days = checkDays(context.daysBeforeImproving ?? DEFAULT_DAYS_BEFORE_IMPROVING, 'daysBeforeImproving');
  return context.startedAt.getTime() - days * DAY_MS;
}

/**
 * The KEs an improving assessment works from: every KE of the skills whose latest KE is
 * invalidated and created at or before the cutoff is left out, so those skills count as untested.
 * (The engine functions apply the same rule themselves when given `improving`.)
 */
export function withoutIgnoredInvalidated(
  knowledgeElements: readonly KnowledgeElement[],
  context: ImprovingContext,
): readonly KnowledgeElement[] {
  const cutoff = improvingCutoff(context);
  const ignoredSkills = new Set<string>();
  for (const ke of latestKnowledgeElements(knowledgeElements)) {
    if (ke.status === 'invalidated' && ke.createdAt.getTime() <= cutoff) ignoredSkills.add(ke.skillId);
  }
  return knowledgeElements.filter((ke) => !ignoredSkills.has(ke.skillId));
}

/** The latest createdAt among the KEs of the competence, or undefined when there is none. */
export function lastKnowledgeElementAt(
  knowledgeElements: readonly KnowledgeElement[],
  competenceCode: string,
): Date | undefined {
  let last: number | undefined;
  for (const ke of knowledgeElements) {
    if (ke.competenceCode !== competenceCode) continue;
    const time = ke.createdAt.getTime();
    if (last === undefined || time > last) last = time;
  }
  return last === undefined ? undefined : new Date(last);
}

export type RuleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: string; readonly availableAt?: Date };

export interface ImproveInput {
  /** The competence evaluation (positioning of this competence) is completed. */
  readonly competenceCompleted: boolean;
  /** The current level of the competence (computeCompetenceScore). */
  readonly level: number;
  /** The highest reachable level (default setting 6, allowed 1–8). */
  readonly maxLevel: number;
  readonly lastKnowledgeElementAt: Date | undefined;
  readonly now: Date;
  /** Default 4. */
  readonly daysBeforeImproving?: number;
}

/** Improve is allowed once the competence is completed, below the max level, N days after the last KE. */
export function canImproveCompetence(input: ImproveInput): RuleDecision {
  const days = checkDays(input.daysBeforeImproving ?? DEFAULT_DAYS_BEFORE_IMPROVING, 'daysBeforeImproving');
  if (!input.competenceCompleted) return { allowed: false, reason: 'COMPETENCE_NOT_COMPLETED' };
  if (input.level >= input.maxLevel) return { allowed: false, reason: 'MAX_LEVEL_REACHED' };
  return delayDecision(input.lastKnowledgeElementAt, input.now, days, 'IMPROVE_TOO_EARLY');
}

export interface ResetInput {
  readonly lastKnowledgeElementAt: Date | undefined;
  readonly now: Date;
  /** Default 7. */
  readonly daysBeforeReset?: number;
}

/** Reset is allowed M days after the last KE of the competence (and needs at least one KE). */
export function canResetCompetence(input: ResetInput): RuleDecision {
  const days = checkDays(input.daysBeforeReset ?? DEFAULT_DAYS_BEFORE_RESET, 'daysBeforeReset');
  if (input.lastKnowledgeElementAt === undefined) return { allowed: false, reason: 'NOTHING_TO_RESET' };
  return delayDecision(input.lastKnowledgeElementAt, input.now, days, 'RESET_TOO_EARLY');
}

/**
 * The reset elements of a competence: one 'reset' KE with 0 pix for every skill of the competence
 * whose latest KE is not already a reset one. Throws DomainError 'RESET_NOT_ALLOWED' when
 * `canResetCompetence` refuses.
 */
export function resetCompetence(input: {
  readonly index: EngineIndex;
  readonly competenceCode: string;
  readonly knowledgeElements: readonly KnowledgeElement[];
  readonly now: Date;
  readonly daysBeforeReset?: number;
}): readonly KnowledgeElement[] {
  const node = competenceNode(input.index, input.competenceCode);
  const decision = canResetCompetence({
    lastKnowledgeElementAt: lastKnowledgeElementAt(input.knowledgeElements, node.code),
    now: input.now,
    ...(input.daysBeforeReset === undefined ? {} : { daysBeforeReset: input.daysBeforeReset }),
  });
  if (!decision.allowed) {
    throw new DomainError('RESET_NOT_ALLOWED', `The competence ${node.code} cannot be reset yet`, {
      competenceCode: node.code,
      reason: decision.reason,
      ...(decision.availableAt ? { availableAt: decision.availableAt.toISOString() } : {}),
    });
  }
  const createdAt = new Date(input.now.getTime());
  return latestKnowledgeElements(input.knowledgeElements)
    .filter((ke) => ke.competenceCode === node.code)
    .map((ke): KnowledgeElement =>
      Object.freeze({
        skillId: ke.skillId,
        competenceCode: ke.competenceCode,
        source: ke.source,
        status: 'reset',
        earnedPix: 0,
        createdAt,
      }),
    );
}

function delayDecision(last: Date | undefined, now: Date, days: number, reason: string): RuleDecision {
  if (last === undefined) return { allowed: true };
  const availableAt = new Date(last.getTime() + days * DAY_MS);
  return now.getTime() >= availableAt.getTime() ? { allowed: true } : { allowed: false, reason, availableAt };
}

function checkDays(days: number, name: string): number {
  if (!Number.isFinite(days) || days < 0) {
    throw new DomainError('INVALID_DELAY', `${name} must be a number of days ≥ 0`, { [name]: days });
  }
  return days;
}
