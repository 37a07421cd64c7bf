import { expect } from 'chai';
import { applyAnswer } from '../../../src/evaluation/domain/answer-inference.js';
import type { PositioningAlgorithm } from '../../../src/evaluation/domain/algorithm.js';
import { buildEngineIndex, type EngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import { IMPROVED_DEFAULTS } from '../../../src/evaluation/domain/improved-positioning.js';
import type { KnowledgeElement } from '../../../src/evaluation/domain/knowledge-element.js';
import {
  competenceScope,
  computeNextChallenge,
  type NextChallengeResult,
} from '../../../src/evaluation/domain/positioning.js';
import { computeCompetenceScore } from '../../../src/evaluation/domain/scoring.js';
import { buildFramework } from '../../support/builders/evaluation/framework-builder.js';

// Three tubes covering levels 1…6, two skills or more per level, three challenges per skill.
const index = buildEngineIndex(
  buildFramework(
    { '1.1': { a: [1, 2, 3, 4, 5, 6], b: [1, 2, 3, 4, 5, 6], c: [1, 2, 3, 4, 5, 6] } },
    { challengesPerSkill: 3 },
  ),
);

interface Run {
  readonly level: number;
  readonly served: readonly { skillId: string; challengeId: string; confirmation: boolean }[];
  readonly end: NextChallengeResult;
}

/** A scripted learner: right iff the skill level ≤ trueLevel, except the answers listed in `slips`. */
function position(
  algorithm: PositioningAlgorithm,
  trueLevel: number,
  slips: ReadonlySet<number> = new Set(),
  parameters: Partial<typeof IMPROVED_DEFAULTS> = {},
  engine: EngineIndex = index,
): Run {
  const kes: KnowledgeElement[] = [];
  const answers: { challengeId: string }[] = [];
  const served: Run['served'][number][] = [];
  for (let step = 0; step < 100; step += 1) {
    const next = computeNextChallenge({
      index: engine,
      scope: competenceScope(engine, '1.1'),
      locale: 'fr',
      knowledgeElements: kes,
      answers,
      assessmentId: 'scripted',
      algorithm,
      maxLevel: 6,
      improvedParameters: parameters,
    });
    if (next.kind === 'completed') {
      return { level: computeCompetenceScore(kes, '1.1', { maxLevel: 6 }).level, served, end: next };
    }
    served.push({ skillId: next.skillId, challengeId: next.challengeId, confirmation: next.confirmation });
    const level = engine.skills[engine.skillIdxById.get(next.skillId) ?? -1]?.level ?? 0;
    const correct = slips.has(step) ? level > trueLevel : level <= trueLevel;
    const { created } = applyAnswer({
      index: engine,
      knowledgeElements: kes,
      answer: {
        assessmentId: 'scripted',
        answerIndex: answers.length,
        challengeId: next.challengeId,
        correct,
      },
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, step)),
      algorithm,
    });
    kes.push(...created);
    answers.push({ challengeId: next.challengeId });
  }
  throw new Error('the positioning did not stop');
}

describe("positioning, 'improved' algorithm", () => {
  it('starts like Pix: the same first challenge rule', () => {
    const improved = position('improved', 3).served[0];
    const pix = position('pix', 3).served[0];
    expect(improved?.skillId).to.match(/^@[abc]2$/);
    expect(improved).to.deep.equal(pix);
  });

  it('finds the exact level of a consistent learner at every level', () => {
    for (let trueLevel = 0; trueLevel <= 6; trueLevel += 1) {
      const run = position('improved', trueLevel);
      expect(run.level, `true level ${trueLevel}`).to.equal(trueLevel);
      expect(run.served.length).to.be.at.most(IMPROVED_DEFAULTS.maxChallenges);
    }
  });

  it('repairs a slip on the first answer that Pix keeps (learner at level 5)', () => {
    const pix = position('pix', 5, new Set([0]));
    expect(pix.level).to.be.below(5);
    const improved = position('improved', 5, new Set([0]));
    expect(improved.level).to.equal(5);
    const first = improved.served[0]?.skillId;
    expect(improved.served.some((s) => s.confirmation && s.skillId === first)).to.equal(true);
  });

  it('never serves a challenge twice and asks a skill at most maxDirectAsksPerSkill times', () => {
    const run = position('improved', 4, new Set([0, 3, 5]), { maxDirectAsksPerSkill: 2 });
    const challenges = run.served.map((s) => s.challengeId);
    expect(new Set(challenges).size).to.equal(challenges.length);
    const perSkill = new Map<string, number>();
    for (const s of run.served) perSkill.set(s.skillId, (perSkill.get(s.skillId) ?? 0) + 1);
    expect(Math.max(...perSkill.values())).to.be.at.most(2);
  });

  it('stops after maxChallenges', () => {
    const run = position('improved', 6, new Set(), { maxChallenges: 3 });
    expect(run.served).to.have.length(3);
    expect(run.end).to.deep.include({ kind: 'completed', reason: 'max-challenges' });
  });

  it('reports why it stopped', () => {
    const run = position('improved', 2);
    expect(['confident', 'nothing-to-confirm']).to.include(
      run.end.kind === 'completed' ? run.end.reason : '',
    );
    expect(position('pix', 2).end).to.deep.include({ reason: 'no-candidate' });
  });
});
