import { expect } from 'chai';
import { buildEngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import {
  canImproveCompetence,
  canResetCompetence,
  DAY_MS,
  improvingCutoff,
  lastKnowledgeElementAt,
  resetCompetence,
  withoutIgnoredInvalidated,
} from '../../../src/evaluation/domain/improvement.js';
import { computeCompetenceScore } from '../../../src/evaluation/domain/scoring.js';
import { competenceScope, computeNextChallenge } from '../../../src/evaluation/domain/positioning.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { buildFramework, ke } from '../../support/builders/evaluation/framework-builder.js';

const start = new Date('2025-03-01T10:00:00Z');
const daysAfter = (days: number) => new Date(start.getTime() + days * DAY_MS);

describe('improve and reset rules', () => {
  describe('improve', () => {
    const base = { competenceCompleted: true, level: 3, maxLevel: 6, lastKnowledgeElementAt: start };

    it('is allowed 4 days after the last KE of a completed competence below the max level', () => {
      expect(canImproveCompetence({ ...base, now: daysAfter(4) })).to.deep.equal({ allowed: true });
      expect(canImproveCompetence({ ...base, now: daysAfter(3.99) })).to.deep.equal({
        allowed: false,
        reason: 'IMPROVE_TOO_EARLY',
        availableAt: daysAfter(4),
      });
    });

    it('takes the delay as a parameter (0 days allowed)', () => {
      expect(canImproveCompetence({ ...base, now: start, daysBeforeImproving: 0 })).to.deep.equal({
        allowed: true,
      });
      expect(canImproveCompetence({ ...base, now: daysAfter(5), daysBeforeImproving: 6 })).to.have.property(
        'allowed',
        false,
      );
    });

    it('is refused while the competence is not completed, or at the max level (a parameter)', () => {
      expect(
        canImproveCompetence({ ...base, competenceCompleted: false, now: daysAfter(9) }),
      ).to.deep.include({
        reason: 'COMPETENCE_NOT_COMPLETED',
      });
      expect(canImproveCompetence({ ...base, level: 6, now: daysAfter(9) })).to.deep.include({
        reason: 'MAX_LEVEL_REACHED',
      });
      expect(canImproveCompetence({ ...base, level: 6, maxLevel: 8, now: daysAfter(9) })).to.deep.equal({
        allowed: true,
      });
    });

    it('ignores, in an improving assessment, invalidated KEs older than N days; validated ones stay', () => {
      const kes = [
        ke('@web1', 'validated', { createdAt: start }),
        ke('@web2', 'invalidated', { createdAt: start }),
        ke('@web3', 'invalidated', { source: 'inferred', createdAt: start }),
        ke('@mail2', 'invalidated', { createdAt: daysAfter(3.5) }),
      ];
      const context = { startedAt: daysAfter(4), daysBeforeImproving: 4 };
      expect(improvingCutoff(context)).to.equal(start.getTime());
      expect(withoutIgnoredInvalidated(kes, context).map((k) => k.skillId)).to.deep.equal([
        '@web1',
        '@mail2',
      ]);
    });

    it('lets the engine ask an ignored skill again', () => {
      const index = buildEngineIndex(buildFramework({ '1.1': { web: [1, 2, 3] } }));
      const kes = [
        ke('@web1', 'validated', { createdAt: start }),
        ke('@web2', 'invalidated', { createdAt: start }),
        ke('@web3', 'invalidated', { source: 'inferred', createdAt: start }),
      ];
      const input = {
        index,
        scope: competenceScope(index, '1.1'),
        locale: 'fr' as const,
        knowledgeElements: kes,
        answers: [],
        assessmentId: 'improve-1',
        algorithm: 'pix' as const,
      };
      expect(computeNextChallenge(input)).to.deep.include({ kind: 'completed' });
      expect(computeNextChallenge({ ...input, improving: { startedAt: daysAfter(4) } })).to.deep.include({
        kind: 'challenge',
        skillId: '@web2',
      });
    });
  });

  describe('reset', () => {
    const index = buildEngineIndex(buildFramework({ '1.1': { web: [1, 2] }, '1.2': { data: [1] } }));
    const kes = [
      ke('@web1', 'validated', { createdAt: start, earnedPix: 4 }),
      ke('@web2', 'invalidated', { createdAt: start }),
      ke('@data1', 'validated', { createdAt: daysAfter(6), competenceCode: '1.2', earnedPix: 4 }),
    ];

    it('is allowed 7 days after the last KE of the competence (a parameter)', () => {
      const last = lastKnowledgeElementAt(kes, '1.1');
      expect(last).to.deep.equal(start);
      expect(canResetCompetence({ lastKnowledgeElementAt: last, now: daysAfter(7) })).to.deep.equal({
        allowed: true,
      });
      expect(canResetCompetence({ lastKnowledgeElementAt: last, now: daysAfter(6) })).to.have.property(
        'allowed',
        false,
      );
      expect(
        canResetCompetence({ lastKnowledgeElementAt: last, now: daysAfter(2), daysBeforeReset: 2 }),
      ).to.deep.equal({ allowed: true });
      expect(canResetCompetence({ lastKnowledgeElementAt: undefined, now: start })).to.deep.include({
        reason: 'NOTHING_TO_RESET',
      });
    });

    it('writes one reset KE with 0 pix per assessed skill of the competence, bringing it back to 0', () => {
      const clock = createFixedClock(daysAfter(8));
      const resets = resetCompetence({
        index,
        competenceCode: '1.1',
        knowledgeElements: kes,
        now: clock.now(),
      });
      expect(resets.map((k) => [k.skillId, k.status, k.earnedPix])).to.deep.equal([
        ['@web1', 'reset', 0],
        ['@web2', 'reset', 0],
      ]);
      const after = [...kes, ...resets];
      expect(computeCompetenceScore(after, '1.1').pix).to.equal(0);
      expect(computeCompetenceScore(after, '1.2').pix).to.equal(4);
    });

    it('refuses a reset that comes too early', () => {
      expect(() =>
        resetCompetence({ index, competenceCode: '1.1', knowledgeElements: kes, now: daysAfter(1) }),
      )
        .to.throw(DomainError)
        .with.property('code', 'RESET_NOT_ALLOWED');
    });
  });
});
