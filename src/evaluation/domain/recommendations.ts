/**
 * Tutorial recommendations: the tutorials attached to the skills whose KE that counts is
 * invalidated (direct or inferred) in a scope (a target profile or a competence), in the learner's
 * locale only. Ranking, deterministic:
 * 1. the lowest level among the invalidated skills the tutorial covers, ascending (fix the basics
 *    first);
 * 2. the number of invalidated skills it covers, descending;
 * 3. the tutorial id, ascending.
 */
import type { Locale, Tutorial } from '../../framework/domain/models.js';
import type { EngineIndex, EngineScope } from './engine-index.js';
import { computeSkillStates, isInvalidatedState, type KnowledgeElement } from './knowledge-element.js';

export interface TutorialRecommendation {
  readonly tutorial: Tutorial;
  /** The invalidated skills of the scope it covers, by level then id. */
  readonly skillIds: readonly string[];
  readonly lowestLevel: number;
}

export function recommendTutorials(input: {
  readonly index: EngineIndex;
  readonly scope: EngineScope;
  readonly knowledgeElements: readonly KnowledgeElement[];
  readonly locale: Locale;
  /** At most this many recommendations (default: all). */
  readonly limit?: number;
}): readonly TutorialRecommendation[] {
  const { index, scope } = input;
  const states = computeSkillStates(index, input.knowledgeElements, { scope });
  const byTutorial = new Map<string, { tutorial: Tutorial; skills: { id: string; level: number }[] }>();
  for (const idx of scope.skillIdxs) {
    if (!isInvalidatedState(states[idx] ?? 0)) continue;
    const skill = index.skills[idx];
    if (!skill) continue;
    for (const tutorialId of skill.tutorialIds) {
      const tutorial = index.tutorialsById.get(tutorialId);
      if (!tutorial || tutorial.locale !== input.locale) continue;
      const entry = byTutorial.get(tutorialId) ?? { tutorial, skills: [] };
      entry.skills.push({ id: skill.id, level: skill.level });
      byTutorial.set(tutorialId, entry);
    }
  }
  const ranked = [...byTutorial.values()]
    .map(({ tutorial, skills }) => {
      const sorted = [...skills].sort((a, b) => a.level - b.level || compareText(a.id, b.id));
      return { tutorial, skillIds: sorted.map((s) => s.id), lowestLevel: sorted[0]?.level ?? 0 };
    })
    .sort(
      (a, b) =>
        a.lowestLevel - b.lowestLevel ||
        b.skillIds.length - a.skillIds.length ||
        compareText(a.tutorial.id, b.tutorial.id),
    );
  return input.limit === undefined ? ranked : ranked.slice(0, Math.max(0, input.limit));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
