import http from 'node:http';
import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { parseConfig } from '../../../src/shared/config/config.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { freshDatabaseUri } from '../../support/database.js';

describe('Acceptance | Shared | the app shell', () => {
  let server: RunningServer;

  before(async () => {
    const config = parseConfig({ NODE_ENV: 'test', PORT: '0', MONGODB_URI: freshDatabaseUri('app-shell') });
    server = await startServer(config, pino({ level: 'silent' }));
  });

  after(async () => {
    await server?.stop();
  });

  it('answers /healthz while the process is up', async () => {
    const response = await request(server.url).get('/healthz').expect(200);
    expect(response.body).to.deep.equal({ status: 'ok' });
    expect(response.headers['cache-control']).to.equal('no-store');
  });

  it('answers /readyz when the database answers ping', async () => {
    const response = await request(server.url).get('/readyz').expect(200);
    expect(response.body).to.deep.equal({ status: 'ready' });
  });

  it('renders the home page in French by default', async () => {
    const response = await request(server.url).get('/').expect(200).expect('Content-Type', /html/);
    expect(response.text).to.include('<html lang="fr">');
    expect(response.text).to.include('<h1>Vos compétences numériques, depuis votre cours</h1>');
    // Numbers are formatted for the locale: a narrow no-break space groups thousands in French.
    expect(response.text).to.match(/5 domaines, 16 compétences, 6 niveaux : jusqu’à 768 pix/);
    expect(response.headers['content-language']).to.equal('fr');
  });

  it('renders the home page in English when asked, and links back to French', async () => {
    const response = await request(server.url).get('/?lang=en').expect(200);
    expect(response.text).to.include('<html lang="en">');
    expect(response.text).to.include('<h1>Your digital skills, from your course</h1>');
    expect(response.text).to.include('href="/?lang=fr"');
    const fromHeader = await request(server.url)
      .get('/')
      .set('Accept-Language', 'en-GB,en;q=0.9')
      .expect(200);
    expect(fromHeader.text).to.include('<html lang="en">');
  });

  it('serves the stylesheet', async () => {
    await request(server.url).get('/css/app.css').expect(200).expect('Content-Type', /css/);
  });

  it('answers an unknown page with a localised 404 page, and JSON for API calls', async () => {
    const page = await request(server.url).get('/nowhere?lang=en').expect(404);
    expect(page.text).to.include('Page not found');
    const french = await request(server.url).get('/nulle-part').expect(404);
    expect(french.text).to.include('Page introuvable');
    const api = await request(server.url).get('/api/nowhere').expect(404);
    expect(api.body).to.deep.equal({ error: { code: 'NOT_FOUND' } });
  });

  it('keeps the language link of any page on this site, whatever slashes start its path', async () => {
    // The raw request target, as sent (a client library would normalise it).
    const rawGet = (target: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${server.url}/`, { path: target, headers: { 'accept-language': 'fr' } }, (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    for (const target of [
      '//x//evil.example/a',
      '//evil.example/a',
      '/\\evil.example/a',
      '/.//evil.example/a',
    ]) {
      const page = await rawGet(target);
      expect(page.status, target).to.equal(404);
      const href = /class="language-switch" href="([^"]*)"/.exec(page.body)?.[1] ?? '';
      expect(href, target).to.match(/^\/(?![/\\])[^"]*\?lang=en$/);
      expect(new URL(href, server.url).origin, target).to.equal(new URL(server.url).origin);
    }
  });

  it('answers /readyz with 503 once the database is gone, while /healthz stays 200', async () => {
    await server.connection.close();
    const response = await request(server.url).get('/readyz').expect(503);
    expect(response.body).to.deep.equal({ status: 'unavailable', reason: 'database' });
    await request(server.url).get('/healthz').expect(200);
  });
});
