import { expect } from 'chai';
import { applyAnswer } from '../../../src/evaluation/domain/answer-inference.js';
import { buildEngineIndex, type EngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import type { KnowledgeElement } from '../../../src/evaluation/domain/knowledge-element.js';
import {
  competenceScope,
  computeNextChallenge,
  type AssessmentAnswerRef,
  type NextChallengeResult,
} from '../../../src/evaluation/domain/positioning.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import { createSeededRandom } from '../../../src/shared/domain/random.js';
import type { Framework } from '../../../src/framework/domain/models.js';
import { buildFramework, challengeId, ke } from '../../support/builders/evaluation/framework-builder.js';

const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));

function next(
  index: EngineIndex,
  options: {
    knowledgeElements?: readonly KnowledgeElement[];
    answers?: readonly AssessmentAnswerRef[];
    assessmentId?: string;
    competenceCode?: string;
  } = {},
): NextChallengeResult {
  return computeNextChallenge({
    index,
    scope: competenceScope(index, options.competenceCode ?? '1.1'),
    locale: 'fr',
    knowledgeElements: options.knowledgeElements ?? [],
    answers: options.answers ?? [],
    assessmentId: options.assessmentId ?? 'assessment-1',
    algorithm: 'pix',
  });
}

/** The skills picked over 60 assessment ids. */
function pickedSkills(index: EngineIndex, options: Parameters<typeof next>[1] = {}): string[] {
  const picked = new Set<string>();
  for (let n = 0; n < 60; n += 1) {
    const result = next(index, { ...options, assessmentId: `assessment-${n}` });
    if (result.kind === 'challenge') picked.add(result.skillId);
  }
  return [...picked].sort();
}

describe("positioning, 'pix' algorithm (Pix's smart random)", () => {
  describe('first challenge', () => {
    it('is an untested level-2 skill from an easy tube (max level ≤ 3)', () => {
      const index = buildEngineIndex(
        buildFramework({ '1.1': { easy: [1, 2, 3], other: [1, 2], hard: [2, 4, 6] } }),
      );
      expect(pickedSkills(index)).to.deep.equal(['@easy2', '@other2']);
      const first = next(index);
      expect(first).to.deep.include({ kind: 'challenge', predictedLevel: 2, confirmation: false });
    });

    it('skips timed skills unless none would remain', () => {
      const timed = buildEngineIndex(
        buildFramework({ '1.1': { easy: [1, 2, 3], other: [1, 2] } }, { timedSkills: ['@easy2'] }),
      );
      expect(pickedSkills(timed)).to.deep.equal(['@other2']);
      const allTimed = buildEngineIndex(
        buildFramework({ '1.1': { easy: [1, 2, 3] } }, { timedSkills: ['@easy1', '@easy2', '@easy3'] }),
      );
      expect(pickedSkills(allTimed)).to.deep.equal(['@easy2']);
    });

    it('takes the lowest level available when no level-2 skill is left', () => {
      const index = buildEngineIndex(buildFramework({ '1.1': { easy: [1, 3], hard: [2, 5] } }));
      expect(pickedSkills(index)).to.deep.equal(['@easy1']);
      const tested = [ke('@easy1', 'validated', { source: 'inferred' })];
      expect(pickedSkills(index, { knowledgeElements: tested })).to.deep.equal(['@easy3']);
    });

    it('uses every tube when there is no easy tube', () => {
      const index = buildEngineIndex(buildFramework({ '1.1': { a: [2, 4, 6], b: [1, 2, 5] } }));
      expect(pickedSkills(index)).to.deep.equal(['@a2', '@b2']);
    });
  });

  describe('next challenges', () => {
    // Tube t has levels 1…8; the only answer is out of scope, so the predicted level is 3.5 (the
    // two virtual answers alone). Rewards p·d + (1−p)·(9−d) with p = σ(3.5 − d): d=3 → 4.14,
    // d=4 → 4.62, d=5 → 4.18; d ≥ 6 is more than 2 above 3.5.
    const framework: Framework = buildFramework(
      { '1.1': { t: [1, 2, 3, 4, 5, 6, 7, 8] }, '1.2': { other: [1] } },
      { timedSkills: ['@t4'] },
    );
    const index = buildEngineIndex(framework);
    const outOfScope = [{ challengeId: challengeId('@other1') }];

    it('picks the skill of maximal reward', () => {
      const result = next(index, { answers: outOfScope });
      expect(result).to.deep.include({ kind: 'challenge', skillId: '@t4', predictedLevel: 3.5 });
    });

    it('after a timed challenge, drops timed skills when possible (then @t5, reward 4.18 > 4.14)', () => {
      const timedIndex = buildEngineIndex(
        buildFramework(
          { '1.1': { t: [1, 2, 3, 4, 5, 6, 7, 8] }, '1.2': { other: [1] } },
          {
            timedSkills: ['@t4', '@other1'],
          },
        ),
      );
      expect(next(timedIndex, { answers: outOfScope })).to.deep.include({ skillId: '@t5' });
    });

    it('drops skills more than 2 levels above the predicted level and keeps every tie', () => {
      // A wrong answer at level 2 predicts level 1.0: only levels ≤ 3 remain. @y1 and @y3 tie at
      // reward 2 (0.5·1 + 0.5·3 and 0.12·2 + 0.88·2).
      const capped = buildEngineIndex(
        buildFramework({ '1.1': { x: [2, 3, 4, 5, 6, 7, 8], y: [1, 3, 4], z: [4, 5] } }),
      );
      expect(pickedSkills(capped)).to.deep.equal(['@x2']);
      const { created } = applyAnswer({
        index: capped,
        knowledgeElements: [],
        answer: { assessmentId: 'a', answerIndex: 0, challengeId: challengeId('@x2'), correct: false },
        createdAt: at(0),
        algorithm: 'pix',
      });
      const answers = [{ challengeId: challengeId('@x2') }];
      const result = next(capped, { knowledgeElements: created, answers });
      expect(result).to.have.property('predictedLevel', 1);
      expect(pickedSkills(capped, { knowledgeElements: created, answers })).to.deep.equal(['@y1', '@y3']);
    });

    it('ends when no candidate skill remains', () => {
      const small = buildEngineIndex(buildFramework({ '1.1': { t: [1, 2] } }));
      const kes = [ke('@t1', 'validated'), ke('@t2', 'invalidated')];
      expect(next(small, { knowledgeElements: kes, answers: [{ challengeId: 'ch-t2' }] })).to.deep.include({
        kind: 'completed',
        reason: 'no-candidate',
      });
    });

    it('ends a positioning where the remaining skills are all too hard', () => {
      const small = buildEngineIndex(buildFramework({ '1.1': { t: [1, 2, 6] } }));
      const kes = [ke('@t1', 'invalidated'), ke('@t2', 'invalidated', { source: 'inferred' })];
      const result = next(small, { knowledgeElements: kes, answers: [{ challengeId: 'ch-t1' }] });
      expect(result).to.deep.include({ kind: 'completed', reason: 'no-candidate' });
    });
  });

  describe('determinism of the pick among ties', () => {
    const index = buildEngineIndex(
      buildFramework({ '1.1': { a: [1, 2, 3], b: [1, 2, 3], c: [1, 2] } }, { challengesPerSkill: 3 }),
    );

    it('gives the same challenge for the same assessment and step', () => {
      const first = next(index, { assessmentId: 'same' });
      for (let n = 0; n < 5; n += 1) expect(next(index, { assessmentId: 'same' })).to.deep.equal(first);
    });

    it('spreads different assessments over the tied skills and their challenges', () => {
      const challenges = new Set<string>();
      for (let n = 0; n < 200; n += 1) {
        const result = next(index, { assessmentId: `spread-${n}` });
        if (result.kind === 'challenge') challenges.add(result.challengeId);
      }
      expect(challenges.size).to.equal(9);
    });

    it('uses an injected RandomSource when given', () => {
      const run = (seed: number) =>
        computeNextChallenge({
          index,
          scope: competenceScope(index, '1.1'),
          locale: 'fr',
          knowledgeElements: [],
          answers: [],
          assessmentId: 'same',
          algorithm: 'pix',
          random: createSeededRandom(seed),
        });
      expect(run(3)).to.deep.equal(run(3));
      const distinct = new Set(Array.from({ length: 30 }, (_, seed) => JSON.stringify(run(seed))));
      expect(distinct.size).to.be.greaterThan(1);
    });
  });

  it('serves challenges in the learner locale only', () => {
    const index = buildEngineIndex(
      buildFramework({ '1.1': { easy: [1, 2, 3], other: [1, 2] } }, { locales: { '@easy2': ['fr'] } }),
    );
    for (let n = 0; n < 30; n += 1) {
      const result = computeNextChallenge({
        index,
        scope: competenceScope(index, '1.1'),
        locale: 'en',
        knowledgeElements: [],
        answers: [],
        assessmentId: `en-${n}`,
        algorithm: 'pix',
      });
      expect(result).to.deep.include({ skillId: '@other2' });
    }
  });

  it('rejects an unknown competence and an unknown algorithm', () => {
    const index = buildEngineIndex(buildFramework({ '1.1': { t: [1] } }));
    expect(() => competenceScope(index, '9.9'))
      .to.throw(DomainError)
      .with.property('code', 'UNKNOWN_COMPETENCE');
    expect(() =>
      computeNextChallenge({
        index,
        scope: competenceScope(index, '1.1'),
        locale: 'fr',
        knowledgeElements: [],
        answers: [],
        assessmentId: 'a',
        algorithm: 'magic' as 'pix',
      }),
    )
      .to.throw(DomainError)
      .with.property('code', 'UNKNOWN_POSITIONING_ALGORITHM');
  });
});
