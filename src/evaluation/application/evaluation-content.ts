/**
 * The read-only content the use cases work on, built once per framework: the engine index, the
 * challenges by id, and the scope of the whole profile (for tutorial recommendations).
 */
import type { Area, Challenge, Competence, Framework } from '../../framework/domain/models.js';
import { buildEngineIndex, buildScope, type EngineIndex, type EngineScope } from '../domain/engine-index.js';
import { competenceNode } from '../domain/engine-index.js';
import type { PositioningScope } from '../domain/assessment.js';
import { UnknownAreaError } from '../domain/errors.js';

export interface EvaluationContent {
  readonly framework: Framework;
  readonly engineIndex: EngineIndex;
  readonly challengesById: ReadonlyMap<string, Challenge>;
  readonly areasByCode: ReadonlyMap<string, Area>;
  readonly competencesByCode: ReadonlyMap<string, Competence>;
  /** Every competence code, in framework order. */
  readonly competenceCodes: readonly string[];
  /** Every skill of the framework. */
  readonly profileScope: EngineScope;
}

export function createEvaluationContent(framework: Framework): EvaluationContent {
  const engineIndex = buildEngineIndex(framework);
  return Object.freeze({
    framework,
    engineIndex,
    challengesById: new Map(framework.challenges.map((challenge) => [challenge.id, challenge])),
    areasByCode: new Map(framework.areas.map((area) => [area.code, area])),
    competencesByCode: new Map(framework.competences.map((competence) => [competence.code, competence])),
    competenceCodes: framework.competences.map((competence) => competence.code),
    profileScope: buildScope(
      engineIndex,
      'profile',
      engineIndex.skills.map((skill) => skill.idx),
    ),
  });
}

/**
 * The competence codes of a positioning scope, in framework order. DomainError UNKNOWN_AREA or
 * UNKNOWN_COMPETENCE when the scope names nothing.
 */
export function competenceCodesOf(content: EvaluationContent, scope: PositioningScope): string[] {
  switch (scope.type) {
    case 'all':
      return [...content.competenceCodes];
    case 'area': {
      if (!content.areasByCode.has(scope.code)) throw new UnknownAreaError(scope.code);
      return content.framework.competences
        .filter((competence) => competence.areaCode === scope.code)
        .map((competence) => competence.code);
    }
    case 'competence':
      return [competenceNode(content.engineIndex, scope.code).code];
  }
}
