import { expect } from 'chai';
import { loadContentOrThrow } from '../../../../src/framework/infrastructure/content/content-loader.js';
import { createEvaluationContent } from '../../../../src/evaluation/application/evaluation-content.js';
import {
  buildEvaluationHarness,
  LEARNER,
  OTHER_LEARNER,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { rejection } from './helpers.js';

describe('Unit | Evaluation | use cases | positioning', () => {
  describe('startPositioning', () => {
    it('creates a positioning over one area and lists its competences, none started', async () => {
      const { useCases } = buildEvaluationHarness();
      const view = await useCases.startPositioning({
        learnerKey: LEARNER,
        scope: { type: 'area', code: '1' },
        locale: 'fr',
        activityId: 'link-1',
      });
      expect(view.positioning).to.deep.include({
        learnerKey: LEARNER,
        scope: { type: 'area', code: '1' },
        activityId: 'link-1',
        locale: 'fr',
      });
      expect(view.competences.map((competence) => [competence.code, competence.status])).to.deep.equal([
        ['1.1', 'not-started'],
        ['1.2', 'not-started'],
      ]);
      expect(view).to.deep.include({ completed: false, pix: 0, maxPix: 2 * 6 * 8 });
    });

    it('returns the same positioning when started again, and another one for another activity', async () => {
      const { useCases, repositories } = buildEvaluationHarness();
      const input = { learnerKey: LEARNER, scope: { type: 'all' } as const, locale: 'fr' as const };
      const first = await useCases.startPositioning({ ...input, activityId: 'link-1' });
      const again = await useCases.startPositioning({ ...input, activityId: 'link-1' });
      const concurrent = await Promise.all([
        useCases.startPositioning({ ...input, activityId: 'link-2' }),
        useCases.startPositioning({ ...input, activityId: 'link-2' }),
      ]);
      expect(again.positioning.id).to.equal(first.positioning.id);
      expect(concurrent[0].positioning.id).to.equal(concurrent[1].positioning.id);
      expect(concurrent[0].positioning.id).not.to.equal(first.positioning.id);
      expect(repositories.stored.positionings).to.have.length(2);
    });

    it('starts the competence evaluation at once when the scope is one competence', async () => {
      const { useCases } = buildEvaluationHarness();
      const view = await useCases.startPositioning({
        learnerKey: LEARNER,
        scope: { type: 'competence', code: '1.2' },
        locale: 'en',
      });
      expect(view.competences).to.have.length(1);
      expect(view.competences[0]).to.deep.include({ code: '1.2', status: 'in-progress' });
      expect(view.competences[0]?.assessmentId).to.be.a('string');
    });

    it('refuses a scope that names no area or competence of the framework', async () => {
      const { useCases } = buildEvaluationHarness();
      const area = await rejection(
        useCases.startPositioning({ learnerKey: LEARNER, scope: { type: 'area', code: '9' }, locale: 'fr' }),
      );
      const competence = await rejection(
        useCases.startPositioning({
          learnerKey: LEARNER,
          scope: { type: 'competence', code: '9.9' },
          locale: 'fr',
        }),
      );
      expect(area).to.have.property('code', 'UNKNOWN_AREA');
      expect(competence).to.have.property('code', 'UNKNOWN_COMPETENCE');
    });

    it('covers the 16 competences of the real framework for the scope "all", and 3 for area 4', async () => {
      const { framework } = await loadContentOrThrow();
      const { useCases } = buildEvaluationHarness({ content: createEvaluationContent(framework) });
      const all = await useCases.startPositioning({
        learnerKey: LEARNER,
        scope: { type: 'all' },
        locale: 'fr',
      });
      const area = await useCases.startPositioning({
        learnerKey: LEARNER,
        scope: { type: 'area', code: '4' },
        locale: 'en',
      });
      expect(all.competences).to.have.length(16);
      expect(all.maxPix).to.equal(768);
      expect(area.competences.map((competence) => competence.code)).to.deep.equal(['4.1', '4.2', '4.3']);
      expect(area.competences[0]?.name).to.equal(
        framework.competences.find((c) => c.code === '4.1')?.name.en,
      );
    });
  });

  describe('getPositioning', () => {
    it("shows the learner's progress, and hides the positioning from anyone else", async () => {
      const { useCases } = buildEvaluationHarness();
      const { positioning } = await useCases.startPositioning({
        learnerKey: LEARNER,
        scope: { type: 'area', code: '1' },
        locale: 'fr',
      });
      await useCases.startCompetenceEvaluation({
        learnerKey: LEARNER,
        competenceCode: '1.2',
        locale: 'fr',
        positioningId: positioning.id,
      });
      const view = await useCases.getPositioning({ positioningId: positioning.id, learnerKey: LEARNER });
      expect(view.competences.map((competence) => competence.status)).to.deep.equal([
        'not-started',
        'in-progress',
      ]);
      const error = await rejection(
        useCases.getPositioning({ positioningId: positioning.id, learnerKey: OTHER_LEARNER }),
      );
      expect(error).to.have.property('code', 'POSITIONING_NOT_FOUND');
    });
  });

  describe('readPositioning', () => {
    it('reads a scope never started as not started, and creates nothing', async () => {
      const { useCases, repositories } = buildEvaluationHarness();
      const view = await useCases.readPositioning({
        learnerKey: LEARNER,
        scope: { type: 'competence', code: '1.2' },
        locale: 'fr',
        activityId: 'link-1',
      });
      expect(view.positioning).to.equal(undefined);
      expect(view.competences.map((competence) => [competence.code, competence.status])).to.deep.equal([
        ['1.2', 'not-started'],
      ]);
      expect(view).to.deep.include({ completed: false, pix: 0, maxPix: 6 * 8 });
      expect(repositories.stored.positionings).to.have.length(0);
      expect(repositories.stored.assessments).to.have.length(0);
    });

    it('reads the stored positioning once started, and competences started elsewhere', async () => {
      const { useCases } = buildEvaluationHarness();
      const input = {
        learnerKey: LEARNER,
        scope: { type: 'area', code: '1' } as const,
        locale: 'fr' as const,
      };
      await useCases.startCompetenceEvaluation({ learnerKey: LEARNER, competenceCode: '1.2', locale: 'fr' });
      const before = await useCases.readPositioning({ ...input, activityId: 'link-1' });
      expect(before.positioning).to.equal(undefined);
      expect(before.competences.map((competence) => competence.status)).to.deep.equal([
        'not-started',
        'in-progress',
      ]);
      const { positioning } = await useCases.startPositioning({ ...input, activityId: 'link-1' });
      const after = await useCases.readPositioning({ ...input, activityId: 'link-1' });
      expect(after.positioning?.id).to.equal(positioning.id);
      expect(after.competences).to.deep.equal(before.competences);
    });
  });

  describe('startCompetenceEvaluation', () => {
    it('keeps one ongoing assessment per learner and competence, even when started twice at once', async () => {
      const { useCases, repositories } = buildEvaluationHarness();
      const input = { learnerKey: LEARNER, competenceCode: '1.1', locale: 'fr' as const };
      const [a, b] = await Promise.all([
        useCases.startCompetenceEvaluation(input),
        useCases.startCompetenceEvaluation(input),
      ]);
      const again = await useCases.startCompetenceEvaluation(input);
      expect(a.id).to.equal(b.id);
      expect(again.id).to.equal(a.id);
      expect(a).to.deep.include({ attempt: 1, state: 'started', improving: false, algorithm: 'improved' });
      const other = await useCases.startCompetenceEvaluation({ ...input, learnerKey: OTHER_LEARNER });
      expect(other.id).not.to.equal(a.id);
      expect(repositories.stored.assessments).to.have.length(2);
    });

    it('refuses a competence outside the positioning it is started from', async () => {
      const { useCases } = buildEvaluationHarness();
      const { positioning } = await useCases.startPositioning({
        learnerKey: LEARNER,
        scope: { type: 'area', code: '1' },
        locale: 'fr',
      });
      const error = await rejection(
        useCases.startCompetenceEvaluation({
          learnerKey: LEARNER,
          competenceCode: '2.1',
          locale: 'fr',
          positioningId: positioning.id,
        }),
      );
      expect(error).to.have.property('code', 'COMPETENCE_NOT_IN_SCOPE');
    });
  });
});
