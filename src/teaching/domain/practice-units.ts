/**
 * Practice units: how well the class masters each tube of the activity's scope, weakest first, with
 * tutorials to share with the class (pix-reference §5, "analysis by tube").
 *
 * Rules:
 * - A tube's learners are the participants who answered in the tube's competence (their status in
 *   that competence is not 'not-started') and whose snapshot lists the tube.
 * - masteryPercent = round(100 × Σ validated / Σ targeted) over those learners.
 * - A tube nobody answered, or with nothing targeted (Σ targeted = 0), is left out.
 * - Order: mastery ascending, then more learners first, then tube id (a total order).
 * - Suggested tutorials: skills are validated mostly from the easiest up, so a learner who validated
 *   k skills of a tube typically holds its k easiest ones. The class "typically masters" the
 *   floor(median k) easiest skills; the suggestions are the tutorials, available in the dashboard's
 *   locale, of the skills from that position onwards in level order (the next skills the class has
 *   to reach), in that order, without duplicates, at most 3. A class that typically masters every
 *   skill of the tube gets no suggestion.
 */
import type { ClassParticipant } from './class-participant.js';
import type { PracticeUnit } from './dashboard-model.js';

export const MAX_SUGGESTED_TUTORIALS = 3;

export interface PracticeSkill {
  readonly skillId: string;
  readonly level: number;
  readonly tutorialIds: readonly string[];
}

/** A tube of the activity's scope with its active skills (those counted in `targeted`). */
export interface PracticeTube {
  readonly tubeId: string;
  readonly competenceCode: string;
  /** Sorted by level here anyway, so the caller's order does not matter. */
  readonly skills: readonly PracticeSkill[];
}

/** The tutorials available in the dashboard's locale: a Set of ids or a Map keyed by id both fit. */
export interface TutorialAvailability {
  has(tutorialId: string): boolean;
}

export interface BuildPracticeUnitsInput {
  readonly tubes: readonly PracticeTube[];
  /** The activity's participants (one per learner); those who never answered are ignored. */
  readonly participants: readonly ClassParticipant[];
  readonly availableTutorials: TutorialAvailability;
}

/** The lower median (floor of the usual median) of a non-empty multiset given as counts[value]. */
function lowerMedian(counts: readonly number[], size: number): number {
  // The usual median is the mean of the values at ranks floor((size-1)/2) and floor(size/2).
  const lowRank = Math.floor((size - 1) / 2);
  const highRank = Math.floor(size / 2);
  let low: number | undefined;
  let seen = 0;
  for (let value = 0; value < counts.length; value += 1) {
    seen += counts[value] ?? 0;
    if (low === undefined && seen > lowRank) low = value;
    if (seen > highRank) return Math.floor(((low ?? value) + value) / 2);
  }
  return 0;
}

/** Tutorials of the skills from `fromPosition` onwards (level order), available, distinct, at most 3. */
export function suggestTutorials(
  skills: readonly PracticeSkill[],
  fromPosition: number,
  availableTutorials: TutorialAvailability,
): string[] {
  const ordered = [...skills].sort((a, b) => a.level - b.level || compareStrings(a.skillId, b.skillId));
  const suggested: string[] = [];
  for (const skill of ordered.slice(Math.max(0, fromPosition))) {
    for (const tutorialId of skill.tutorialIds) {
      if (suggested.length >= MAX_SUGGESTED_TUTORIALS) return suggested;
      if (availableTutorials.has(tutorialId) && !suggested.includes(tutorialId)) suggested.push(tutorialId);
    }
  }
  return suggested;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface TubeTally {
  readonly competenceCode: string;
  validated: number;
  targeted: number;
  learners: number;
  /** validatedCounts[k]: learners who validated k skills of the tube. */
  readonly validatedCounts: number[];
}

export function buildPracticeUnits(input: BuildPracticeUnitsInput): PracticeUnit[] {
  const tallies = new Map<string, TubeTally>();
  for (const tube of input.tubes) {
    if (!tallies.has(tube.tubeId))
      tallies.set(tube.tubeId, {
        competenceCode: tube.competenceCode,
        validated: 0,
        targeted: 0,
        learners: 0,
        validatedCounts: [],
      });
  }

  const answered = new Set<string>(); // reused: one class can hold thousands of participants
  for (const participant of input.participants) {
    answered.clear();
    for (const competence of participant.competences)
      if (competence.status !== 'not-started') answered.add(competence.code);
    if (answered.size === 0) continue;
    for (const tube of participant.tubes) {
      const tally = tallies.get(tube.tubeId);
      if (tally === undefined || !answered.has(tally.competenceCode)) continue;
      tally.validated += tube.validated;
      tally.targeted += tube.targeted;
      tally.learners += 1;
      const k = Math.max(0, Math.floor(tube.validated));
      for (let value = tally.validatedCounts.length; value <= k; value += 1) tally.validatedCounts.push(0);
      tally.validatedCounts[k] = (tally.validatedCounts[k] ?? 0) + 1;
    }
  }

  const units: PracticeUnit[] = [];
  const emitted = new Set<string>();
  for (const tube of input.tubes) {
    const tally = tallies.get(tube.tubeId);
    if (!tally || tally.learners === 0 || tally.targeted === 0) continue;
    if (emitted.has(tube.tubeId)) continue;
    emitted.add(tube.tubeId);
    units.push({
      tubeId: tube.tubeId,
      competenceCode: tube.competenceCode,
      masteryPercent: Math.round((100 * tally.validated) / tally.targeted),
      learners: tally.learners,
      tutorialIds: suggestTutorials(
        tube.skills,
        lowerMedian(tally.validatedCounts, tally.learners),
        input.availableTutorials,
      ),
    });
  }
  return units.sort(
    (a, b) =>
      a.masteryPercent - b.masteryPercent || b.learners - a.learners || compareStrings(a.tubeId, b.tubeId),
  );
}
