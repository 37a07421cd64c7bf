/**
 * From an answer to knowledge elements (pix-reference §2, "Inference into knowledge elements").
 *
 * - A correct answer creates a direct validated KE on the challenge's skill and inferred validated
 *   KEs for the untested, easier skills of the same tube; a wrong one a direct invalidated KE and
 *   inferred invalidated KEs for the untested, harder skills. Validated KEs earn the skill's
 *   pixValue, others 0. Only active (at least one validated challenge), in-scope (targeted) skills
 *   get KEs. New KEs get the caller's `createdAt`, which must not be earlier than existing KEs.
 * - 'pix' algorithm: exactly Pix's rule. A direct KE is created only when the skill is untested,
 *   and inference only reaches untested skills.
 * - 'improved' algorithm: a skill may be asked again to confirm a surprising answer; the new direct
 *   KE supersedes the previous one (the latest KE counts). Then every non-direct skill of the tube
 *   takes the status implied by the newest relevant direct KE of the tube (a validated one at a
 *   level ≥ its own, or an invalidated one at a level ≤ its own). With no re-ask this is Pix's rule;
 *   after a re-ask it keeps the inferred KEs in line with the latest direct evidence.
 * - In both, an inferred KE never replaces a direct KE.
 * - Applying an answer whose (assessmentId, answerIndex) already produced KEs creates nothing: a
 *   resubmitted answer changes nothing.
 */
import { DomainError } from '../../shared/domain/errors.js';
import type { EngineIndex, EngineScope } from './engine-index.js';
import { competenceNode } from './engine-index.js';
import { improvingCutoff, type ImprovingContext } from './improvement.js';
import { SkillState, type KnowledgeElement, type KnowledgeElementSource } from './knowledge-element.js';
import { DEFAULT_POSITIONING_ALGORITHM, type PositioningAlgorithm } from './algorithm.js';

const UNTESTED: number = SkillState.untested;
const INFERRED_VALIDATED: number = SkillState.inferredValidated;
const INFERRED_INVALIDATED: number = SkillState.inferredInvalidated;
const DIRECT_VALIDATED: number = SkillState.directValidated;
const DIRECT_INVALIDATED: number = SkillState.directInvalidated;

export interface AnswerToApply {
  readonly assessmentId: string;
  /** Position of the answer in its assessment (0-based). */
  readonly answerIndex: number;
  readonly challengeId: string;
  /** True when the answer status is 'ok', the only success. */
  readonly correct: boolean;
}

export interface ApplyAnswerInput {
  readonly index: EngineIndex;
  /** The targeted skills; default: the competence of the challenge's skill. */
  readonly scope?: EngineScope;
  /** The learner's KEs (any competence). */
  readonly knowledgeElements: readonly KnowledgeElement[];
  readonly answer: AnswerToApply;
  /** Timestamp of the new KEs, from the caller's clock. */
  readonly createdAt: Date;
  readonly algorithm?: PositioningAlgorithm;
  readonly improving?: ImprovingContext;
}

export interface ApplyAnswerResult {
  /** The KEs to append, the direct one first. Empty when nothing changes. */
  readonly created: readonly KnowledgeElement[];
  /** The same (assessmentId, answerIndex) was already applied. */
  readonly alreadyApplied: boolean;
}

export function applyAnswer(input: ApplyAnswerInput): ApplyAnswerResult {
  const { index, answer } = input;
  const challenge = index.challengesById.get(answer.challengeId);
  if (!challenge) {
    throw new DomainError('UNKNOWN_CHALLENGE', `Unknown challenge ${answer.challengeId}`, {
      challengeId: answer.challengeId,
    });
  }
  for (const ke of input.knowledgeElements) {
    if (ke.answerIndex === answer.answerIndex && ke.assessmentId === answer.assessmentId) {
      return { created: [], alreadyApplied: true };
    }
  }
  const skill = index.skills[challenge.skillIdx];
  if (!skill) return { created: [], alreadyApplied: false };
  const scope = input.scope ?? competenceNode(index, skill.competenceCode).scope;
  if (scope.inScope[skill.idx] !== 1 || !skill.active) return { created: [], alreadyApplied: false };

  const algorithm = input.algorithm ?? DEFAULT_POSITIONING_ALGORITHM;
  const cutoff = input.improving ? improvingCutoff(input.improving) : undefined;
  const tube = readTube(index, input.knowledgeElements, skill.idx, scope, cutoff);
  const own = tube.find((entry) => entry.idx === skill.idx);
  if (!own) return { created: [], alreadyApplied: false };
  if (own.state !== UNTESTED && algorithm === 'pix') return { created: [], alreadyApplied: false };

  const createdAt = new Date(input.createdAt.getTime());
  const created: KnowledgeElement[] = [
    makeKnowledgeElement(index, skill.idx, 'direct', answer.correct, createdAt, answer),
  ];
  if (algorithm === 'pix') {
    // Pix: inferred KEs only onto untested skills, from this answer.
    for (const entry of tube) {
      if (entry.idx === skill.idx || entry.state !== UNTESTED) continue;
      if (answer.correct ? entry.level <= skill.level : entry.level >= skill.level) {
        created.push(makeKnowledgeElement(index, entry.idx, 'inferred', answer.correct, createdAt, answer));
      }
    }
    return { created, alreadyApplied: false };
  }
  // Improved: the new direct KE is the newest evidence; every non-direct skill of the tube takes the
  // status implied by the newest relevant direct KE (validated at a level ≥ its own, or invalidated
  // at a level ≤ its own), when there is one and it differs from its current status.
  own.state = answer.correct ? DIRECT_VALIDATED : DIRECT_INVALIDATED;
  own.time = Infinity;
  own.order = Infinity;
  for (const entry of tube) {
    if (entry.state === DIRECT_VALIDATED || entry.state === DIRECT_INVALIDATED) continue;
    const implied = impliedStatus(tube, entry);
    if (implied === undefined) continue;
    const current =
      entry.state === INFERRED_VALIDATED ? true : entry.state === INFERRED_INVALIDATED ? false : undefined;
    if (current !== implied) {
      created.push(makeKnowledgeElement(index, entry.idx, 'inferred', implied, createdAt, answer));
    }
  }
  return { created, alreadyApplied: false };
}

/** The latest KE of each in-scope, active skill of the tube of `skillIdx`. */
interface TubeEntry {
  readonly idx: number;
  readonly level: number;
  state: number;
  /** createdAt of the latest KE (epoch ms), and its position in the list for ties. */
  time: number;
  order: number;
}

function readTube(
  index: EngineIndex,
  knowledgeElements: readonly KnowledgeElement[],
  skillIdx: number,
  scope: EngineScope,
  cutoff: number | undefined,
): TubeEntry[] {
  const entries: TubeEntry[] = [];
  const byId = new Map<string, TubeEntry>();
  for (const idx of index.tubeSkillIdxs[skillIdx] ?? []) {
    const skill = index.skills[idx];
    if (!skill?.active || scope.inScope[idx] !== 1) continue;
    const entry: TubeEntry = { idx, level: skill.level, state: UNTESTED, time: -Infinity, order: -1 };
    entries.push(entry);
    byId.set(skill.id, entry);
  }
  const competenceCode = index.skills[skillIdx]?.competenceCode;
  for (let k = 0; k < knowledgeElements.length; k += 1) {
    const ke = knowledgeElements[k];
    if (ke === undefined || ke.competenceCode !== competenceCode) continue;
    const entry = byId.get(ke.skillId);
    if (entry === undefined) continue;
    const time = ke.createdAt.getTime();
    if (time < entry.time) continue;
    entry.time = time;
    entry.order = k;
    entry.state = stateCode(ke);
  }
  if (cutoff !== undefined) {
    for (const entry of entries) {
      const invalidated = entry.state === INFERRED_INVALIDATED || entry.state === DIRECT_INVALIDATED;
      if (invalidated && entry.time <= cutoff) entry.state = UNTESTED;
    }
  }
  return entries;
}

/** The status implied for `entry` by the newest relevant direct KE of the tube, if any. */
function impliedStatus(tube: readonly TubeEntry[], entry: TubeEntry): boolean | undefined {
  let newest: TubeEntry | undefined;
  for (const other of tube) {
    if (other === entry) continue;
    const relevant =
      (other.state === DIRECT_VALIDATED && other.level >= entry.level) ||
      (other.state === DIRECT_INVALIDATED && other.level <= entry.level);
    if (!relevant) continue;
    if (
      newest === undefined ||
      other.time > newest.time ||
      (other.time === newest.time && other.order > newest.order)
    ) {
      newest = other;
    }
  }
  return newest === undefined ? undefined : newest.state === DIRECT_VALIDATED;
}

function stateCode(ke: KnowledgeElement): number {
  if (ke.status === 'reset') return UNTESTED;
  if (ke.source === 'direct') return ke.status === 'validated' ? DIRECT_VALIDATED : DIRECT_INVALIDATED;
  return ke.status === 'validated' ? INFERRED_VALIDATED : INFERRED_INVALIDATED;
}

function makeKnowledgeElement(
  index: EngineIndex,
  skillIdx: number,
  source: KnowledgeElementSource,
  validated: boolean,
  createdAt: Date,
  answer: AnswerToApply,
): KnowledgeElement {
  const skill = index.skills[skillIdx];
  return Object.freeze({
    skillId: skill?.id ?? '',
    competenceCode: skill?.competenceCode ?? '',
    source,
    status: validated ? 'validated' : 'invalidated',
    earnedPix: validated ? (skill?.pixValue ?? 0) : 0,
    createdAt,
    assessmentId: answer.assessmentId,
    answerIndex: answer.answerIndex,
    ...(source === 'direct' ? { challengeId: answer.challengeId } : {}),
  });
}
