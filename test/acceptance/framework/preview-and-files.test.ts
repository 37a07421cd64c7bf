import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { loadContentOrThrow } from '../../../src/framework/infrastructure/content/content-loader.js';
import type { Challenge, QrocmIndSolution } from '../../../src/framework/domain/models.js';
import { parseConfig } from '../../../src/shared/config/config.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { freshDatabaseUri } from '../../support/database.js';

describe('Acceptance | Framework | challenge preview and attached files', function () {
  this.timeout(60_000);
  let server: RunningServer;
  let challenges: readonly Challenge[];

  before(async () => {
    challenges = (await loadContentOrThrow()).framework.challenges;
    server = await startServer(
      parseConfig({ NODE_ENV: 'test', PORT: '0', MONGODB_URI: freshDatabaseUri('preview') }),
      pino({ level: 'silent' }),
      { backgroundJobs: false },
    );
  });

  after(async () => {
    await server?.stop();
  });

  it('lists the challenges of a competence', async () => {
    const response = await request(server.url).get('/dev/challenges?competence=4.1').expect(200);
    const count = challenges.filter((challenge) => challenge.id.startsWith('ch-4.1-')).length;
    expect(response.text).to.include(`${count} épreuves`);
    expect(response.text).not.to.include('ch-1.1-');
  });

  it('shows a QROCM in each language with its inputs, and checks a right and a wrong answer', async () => {
    const challenge = challenges.find(
      (candidate) => candidate.type === 'QROCM-ind' && candidate.status === 'validated',
    );
    if (!challenge) throw new Error('the bank has no validated QROCM-ind');
    const solution = challenge.solution as QrocmIndSolution;
    const path = `/dev/challenges/${encodeURIComponent(challenge.id)}`;

    for (const lang of ['fr', 'en'] as const) {
      const page = await request(server.url).get(`${path}?lang=${lang}`).expect(200);
      expect(page.text).to.include(`<html lang="${lang}">`);
      for (const input of solution.inputs) expect(page.text).to.include(`name="answer[${input.key}]"`);

      const right = Object.fromEntries(
        solution.inputs.map((input) => [`answer[${input.key}]`, input.variants[lang][0] ?? '']),
      );
      const checked = await request(server.url)
        .post(`${path}?lang=${lang}`)
        .type('form')
        .send(right)
        .expect(200);
      expect(checked.text).to.include(lang === 'fr' ? 'Réponse correcte' : 'Right answer');

      const wrong = Object.fromEntries(
        solution.inputs.map((input) => [`answer[${input.key}]`, 'zzz-not-an-answer']),
      );
      const refused = await request(server.url)
        .post(`${path}?lang=${lang}`)
        .type('form')
        .send(wrong)
        .expect(200);
      expect(refused.text).to.include(lang === 'fr' ? 'Réponse incorrecte' : 'Wrong answer');
    }
  });

  it('answers 404 for an unknown challenge', async () => {
    await request(server.url).get('/dev/challenges/ch-9.9-nothing-1-a').expect(404);
  });

  it('serves only the files the bank references, as downloads', async () => {
    const attached = challenges.flatMap((challenge) => challenge.attachments)[0];
    if (attached) {
      const response = await request(server.url).get(`/content/files/${attached.path}`).expect(200);
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      if (!/\.(png|jpe?g|gif|webp)$/i.test(attached.path)) {
        expect(response.headers['content-disposition']).to.match(/^attachment/);
      }
    }
    await request(server.url).get('/content/files/README.md').expect(404);
    await request(server.url).get('/content/files/../framework/areas.yaml').expect(404);
  });
});
