import { expect } from 'chai';
import fc from 'fast-check';
import { applyAnswer } from '../../../src/evaluation/domain/answer-inference.js';
import { buildEngineIndex, type EngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import {
  latestKnowledgeElements,
  type KnowledgeElement,
} from '../../../src/evaluation/domain/knowledge-element.js';
import { competenceScope, computeNextChallenge } from '../../../src/evaluation/domain/positioning.js';
import { computeCompetenceScore, computeProfile } from '../../../src/evaluation/domain/scoring.js';
import { generateSyntheticFramework, REAL_BANK_SHAPE } from '../../../tools/lib/synthetic-bank.js';
import { buildFramework, challengeId } from '../../support/builders/evaluation/framework-builder.js';

const bank = buildEngineIndex(generateSyntheticFramework(REAL_BANK_SHAPE));
const competenceCodes = bank.competences.map((competence) => competence.code);
const small = buildEngineIndex(
  buildFramework(
    { '1.1': { a: [1, 2, 3, 4, 5, 6], b: [2, 3, 5], c: [1, 4, 7, 8] } },
    { challengesPerSkill: 2 },
  ),
);
const smallChallenges = small.skills.flatMap((skill) => [challengeId(skill.id, 0), challengeId(skill.id, 1)]);
const at = (step: number) => new Date(Date.UTC(2025, 0, 1) + step * 60_000);
const algorithms = fc.constantFrom('pix' as const, 'improved' as const);

interface AnswerStep {
  readonly challenge: string;
  readonly correct: boolean;
}

function play(
  index: EngineIndex,
  steps: readonly AnswerStep[],
  algorithm: 'pix' | 'improved',
): KnowledgeElement[] {
  const kes: KnowledgeElement[] = [];
  steps.forEach((step, position) => {
    const { created } = applyAnswer({
      index,
      knowledgeElements: kes,
      answer: {
        assessmentId: 'prop',
        answerIndex: position,
        challengeId: step.challenge,
        correct: step.correct,
      },
      createdAt: at(position),
      algorithm,
    });
    kes.push(...created);
  });
  return kes;
}

const answerSteps = fc.array(
  fc.record({ challenge: fc.constantFrom(...smallChallenges), correct: fc.boolean() }),
  { maxLength: 30 },
);

function skillOf(index: EngineIndex, skillId: string) {
  const skill = index.skills[index.skillIdxById.get(skillId) ?? -1];
  if (!skill) throw new Error(`unknown skill ${skillId}`);
  return skill;
}

describe('properties of the evaluation domain (fast-check)', () => {
  it('pix never exceeds maxLevel × 8, the level never exceeds maxLevel, and both follow the floors', () => {
    const keArb = fc.record({
      skillId: fc.constantFrom(...bank.skills.slice(0, 40).map((skill) => skill.id)),
      status: fc.constantFrom('validated' as const, 'invalidated' as const, 'reset' as const),
      earnedPix: fc.double({ min: 0, max: 4, noNaN: true }),
      minute: fc.nat(100),
    });
    fc.assert(
      fc.property(fc.array(keArb, { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (raw, maxLevel) => {
        const kes: KnowledgeElement[] = raw.map((k) => ({
          skillId: k.skillId,
          competenceCode: skillOf(bank, k.skillId).competenceCode,
          source: 'direct',
          status: k.status,
          earnedPix: k.status === 'validated' ? k.earnedPix : 0,
          createdAt: at(k.minute),
        }));
        const profile = computeProfile({ competenceCodes, knowledgeElements: kes, maxLevel });
        for (const score of profile.competences) {
          expect(Number.isInteger(score.pix)).to.equal(true);
          expect(score.pix).to.be.within(0, maxLevel * 8);
          expect(score.level).to.equal(Math.min(maxLevel, Math.floor(score.pix / 8)));
          expect(score.pixAheadOfNextLevel).to.be.within(0, 7);
        }
        expect(profile.totalPix).to.be.at.most(competenceCodes.length * maxLevel * 8);
      }),
    );
  });

  it('the level never decreases when more skills are validated', () => {
    const competence = bank.competences[0]!;
    const skillIds = competence.skillIdxs.map((idx) => bank.skills[idx]!.id);
    const statuses = fc.array(fc.boolean(), { minLength: skillIds.length, maxLength: skillIds.length });
    fc.assert(
      fc.property(statuses, statuses, fc.integer({ min: 1, max: 8 }), (before, extra, maxLevel) => {
        const kesFor = (validated: readonly boolean[]): KnowledgeElement[] =>
          skillIds.map((skillId, i) => ({
            skillId,
            competenceCode: competence.code,
            source: 'direct',
            status: validated[i] ? 'validated' : 'invalidated',
            earnedPix: validated[i] ? skillOf(bank, skillId).pixValue : 0,
            createdAt: at(0),
          }));
        const more = before.map((value, i) => value || (extra[i] ?? false));
        const lower = computeCompetenceScore(kesFor(before), competence.code, { maxLevel });
        const higher = computeCompetenceScore(kesFor(more), competence.code, { maxLevel });
        expect(higher.pix).to.be.at.least(lower.pix);
        expect(higher.level).to.be.at.least(lower.level);
      }),
    );
  });

  it('an inferred KE never replaces or contradicts a direct one', () => {
    fc.assert(
      fc.property(answerSteps, algorithms, (steps, algorithm) => {
        const kes = play(small, steps, algorithm);
        // (a) Once a skill has a direct KE, no inferred KE about it comes later.
        const direct = new Set<string>();
        for (const k of kes) {
          if (k.source === 'direct') direct.add(k.skillId);
          else expect(direct.has(k.skillId), `${k.skillId} inferred after a direct KE`).to.equal(false);
        }
        // (b) Each inferred KE that counts agrees with the newest relevant direct KE of its tube:
        // validated at a level ≥ its own, or invalidated at a level ≤ its own.
        const latest = latestKnowledgeElements(kes);
        const position = new Map(kes.map((k, i) => [k, i]));
        for (const inferred of latest.filter((k) => k.source === 'inferred')) {
          const skill = skillOf(small, inferred.skillId);
          const relevant = latest.filter((k) => {
            const other = skillOf(small, k.skillId);
            if (k.source !== 'direct' || other.tubeId !== skill.tubeId) return false;
            return k.status === 'validated' ? other.level >= skill.level : other.level <= skill.level;
          });
          const newest = relevant.sort((x, y) => (position.get(y) ?? 0) - (position.get(x) ?? 0))[0];
          if (newest) expect(inferred.status, inferred.skillId).to.equal(newest.status);
        }
        // (c) With Pix's rules, each tube stays consistent: no validated skill above an invalidated one.
        if (algorithm === 'pix') {
          for (const upper of latest) {
            for (const lower of latest) {
              const u = skillOf(small, upper.skillId);
              const l = skillOf(small, lower.skillId);
              if (u.tubeId === l.tubeId && u.level > l.level && upper.status === 'validated') {
                expect(lower.status, `${lower.skillId} below ${upper.skillId}`).to.equal('validated');
              }
            }
          }
        }
      }),
    );
  });

  it('a resubmitted answer (same assessment position) changes nothing', () => {
    fc.assert(
      fc.property(answerSteps, algorithms, fc.nat(), fc.boolean(), (steps, algorithm, pick, correct) => {
        fc.pre(steps.length > 0);
        const kes = play(small, steps, algorithm);
        const position = pick % steps.length;
        const again = applyAnswer({
          index: small,
          knowledgeElements: kes,
          answer: {
            assessmentId: 'prop',
            answerIndex: position,
            challengeId: steps[position]!.challenge,
            correct,
          },
          createdAt: at(1000),
          algorithm,
        });
        const producedKes = kes.some((k) => k.answerIndex === position);
        expect(again.created).to.deep.equal([]);
        expect(again.alreadyApplied).to.equal(producedKes);
      }),
    );
  });

  it('applying the same answer twice in a row is idempotent', () => {
    fc.assert(
      fc.property(answerSteps, algorithms, (steps, algorithm) => {
        const once = play(small, steps, algorithm);
        const twice: KnowledgeElement[] = [];
        steps.forEach((step, position) => {
          for (let repeat = 0; repeat < 2; repeat += 1) {
            const { created } = applyAnswer({
              index: small,
              knowledgeElements: twice,
              answer: {
                assessmentId: 'prop',
                answerIndex: position,
                challengeId: step.challenge,
                correct: step.correct,
              },
              createdAt: at(position),
              algorithm,
            });
            twice.push(...created);
          }
        });
        expect(twice).to.deep.equal(once);
      }),
    );
  });

  it('the engine never serves a challenge twice in an assessment, and always stops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        algorithms,
        (outcomes, algorithm) => {
          const kes: KnowledgeElement[] = [];
          const answers: { challengeId: string }[] = [];
          let completed = false;
          for (const correct of outcomes) {
            const next = computeNextChallenge({
              index: small,
              scope: competenceScope(small, '1.1'),
              locale: 'fr',
              knowledgeElements: kes,
              answers,
              assessmentId: 'prop-engine',
              algorithm,
            });
            if (next.kind === 'completed') {
              completed = true;
              break;
            }
            expect(answers.map((a) => a.challengeId)).not.to.include(next.challengeId);
            const { created } = applyAnswer({
              index: small,
              knowledgeElements: kes,
              answer: {
                assessmentId: 'prop-engine',
                answerIndex: answers.length,
                challengeId: next.challengeId,
                correct,
              },
              createdAt: at(answers.length),
              algorithm,
            });
            if (algorithm === 'pix') expect(next.confirmation).to.equal(false);
            kes.push(...created);
            answers.push({ challengeId: next.challengeId });
          }
          expect(completed).to.equal(true);
        },
      ),
    );
  });
});
