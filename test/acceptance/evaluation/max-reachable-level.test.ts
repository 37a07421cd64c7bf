import { expect } from 'chai';
import { pino } from 'pino';
import { parseConfig } from '../../../src/shared/config/config.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import type { Profile } from '../../../src/evaluation/application/profile.js';
import type { KnowledgeElement } from '../../../src/evaluation/domain/knowledge-element.js';
import { loadContentOrThrow } from '../../../src/framework/infrastructure/content/content-loader.js';
import { createMongoKnowledgeElementRepository } from '../../../src/evaluation/infrastructure/knowledge-element-repository.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { freshDatabaseUri } from '../../support/database.js';

/**
 * The highest reachable level is a setting (MAX_REACHABLE_LEVEL): 6 by default (768 pix at most),
 * 8 eventually (1,024). Changing it changes the maximum total and nothing else of a profile.
 */
describe('Acceptance | Evaluation | the highest reachable level setting', () => {
  const learnerKey = 'https://lms.example.org#learner-max-level';
  let databaseUri: string;
  let running: RunningServer | undefined;

  before(() => {
    databaseUri = freshDatabaseUri('max-reachable-level');
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  /** Starts the tool as `npm start` would, reads the learner's profile, and stops it. */
  async function profileWith(environment: Record<string, string>): Promise<Profile> {
    const config = parseConfig({ NODE_ENV: 'test', PORT: '0', MONGODB_URI: databaseUri, ...environment });
    running = await startServer(config, pino({ level: 'silent' }), {
      clock: createFixedClock('2026-02-01T10:00:00.000Z'),
      backgroundJobs: false,
    });
    const profile = await running.evaluation.getProfile({ learnerKey, locale: 'fr' });
    await running.stop();
    running = undefined;
    return profile;
  }

  it('raises the maximum total from 768 to 1,024 when MAX_REACHABLE_LEVEL goes from 6 to 8, with no other change', async () => {
    // A learner who already earned pix in three competences (KEs of a past positioning).
    const { framework } = await loadContentOrThrow();
    const config = parseConfig({ NODE_ENV: 'test', PORT: '0', MONGODB_URI: databaseUri });
    running = await startServer(config, pino({ level: 'silent' }), { backgroundJobs: false });
    const elements: KnowledgeElement[] = [];
    for (const [competenceCode, skills] of [
      ['1.1', 5],
      ['3.2', 3],
      ['4.1', 2],
    ] as const) {
      for (const skill of framework.skills
        .filter((s) => s.competenceCode === competenceCode)
        .slice(0, skills)) {
        elements.push({
          skillId: skill.id,
          competenceCode,
          source: 'direct',
          status: 'validated',
          earnedPix: 4,
          createdAt: new Date('2026-01-10T10:00:00.000Z'),
        });
      }
    }
    await createMongoKnowledgeElementRepository(running.connection).addAll(
      learnerKey,
      elements.map((element, order) => ({ id: `seed:${element.skillId}`, order, element })),
    );
    await running.stop();
    running = undefined;

    const six = await profileWith({ MAX_REACHABLE_LEVEL: '6' });
    const byDefault = await profileWith({});
    const eight = await profileWith({ MAX_REACHABLE_LEVEL: '8' });

    expect(six.maxTotalPix).to.equal(768);
    expect(byDefault.maxTotalPix).to.equal(768);
    expect(eight.maxTotalPix).to.equal(1024);
    expect(six.totalPix).to.equal(40);
    expect(six.competences.find((competence) => competence.code === '1.1')).to.deep.include({
      pix: 20,
      level: 2,
      pixAheadOfNextLevel: 4,
    });
    const rest = ({ maxTotalPix: _total, maxLevel: _level, ...profile }: Profile) => profile;
    expect(rest(eight)).to.deep.equal(rest(six));
    expect(byDefault).to.deep.equal(six);
  });
});
