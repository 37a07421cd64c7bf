import { expect } from 'chai';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseHtml } from 'node-html-parser';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createSeededRandom } from '../../../src/shared/domain/random.js';
import { failFor, ROLE, type LaunchSpec } from '../../support/lti-platform/index.js';
import { answerCompetence, postAndFollow, textOf, textsOf } from '../../support/teaching-class.js';
import { startToolWithPlatform, type ToolWithPlatform } from '../../support/tool-fixture.js';

/**
 * Issue 6: the instructor's dashboard of a positioning activity, on the whole app with the LTI
 * platform emulator (NRPS roster, AGS gradebook). Course 1 ("Culture numérique L1", activity
 * `link-positioning`, area 4) holds Camille (answers in 4.1), Léa (answers in 4.2, with an external
 * id), Sacha (launches, never answers) and Noé (in the LMS roster, never launches); course 2 holds
 * Alex and its own teacher.
 */
const INSTITUTION_ADMIN = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator';
const CONTEXT_ADMIN = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator';
const THINK_MS = 17_000;

describe('Acceptance | Teaching | the instructor’s dashboard', function () {
  this.timeout(180_000);
  const clock = createFixedClock(Date.now());
  let tool: ToolWithPlatform;
  let url: string;
  const answered: Record<string, string[]> = {};

  /** Launches and returns the session's path (/app/<id>). */
  async function launch(spec: LaunchSpec): Promise<string> {
    const response = await tool.client.launch(spec);
    expect(response.status, response.body.slice(0, 300)).to.equal(200);
    return new URL(response.url).pathname;
  }

  const teacherOf = (course: 'course-1' | 'course-2', locale = 'fr') =>
    launch({
      user: course === 'course-1' ? 'teacher-1' : 'teacher-2',
      courseId: course,
      resourceLinkId: course === 'course-1' ? 'link-positioning' : 'link-course-2',
      launchPresentation: { locale },
    });

  /** The students table row (tr) that names this student. */
  function studentRow(html: string, name: string) {
    return parseHtml(html)
      .querySelectorAll('#students tbody tr')
      .find((row) => row.querySelector('th')?.textContent.includes(name));
  }

  before(async () => {
    tool = await startToolWithPlatform('teaching-dashboard', {
      overrides: { clock, random: createSeededRandom(6), backgroundJobs: false },
    });
    url = tool.server.url;
    const { emulator } = tool;
    emulator.enrol('course-1', { id: 'learner-3', name: 'Noé Jamais', email: 'noe@example.org' }, [
      ROLE.learner,
    ]);
    emulator.enrol(
      'course-1',
      {
        id: 'learner-4',
        name: 'Léa Dupont',
        given_name: 'Léa',
        family_name: 'Dupont',
        email: 'lea.dupont@example.org',
      },
      [ROLE.learner],
    );
    emulator.addCourse({
      id: 'course-2',
      title: 'Culture numérique L2',
      members: [
        { user: { id: 'learner-9', name: 'Alex Autre', email: 'alex@example.org' }, roles: [ROLE.learner] },
        { user: { id: 'teacher-2', name: 'Claude Durand' }, roles: [ROLE.instructor] },
      ],
      resourceLinks: [
        {
          id: 'link-course-2',
          title: 'Positionnement L2',
          custom: { activity: 'positioning', scope: 'area:4' },
          lineItem: { scoreMaximum: 144, label: 'Positionnement L2', resourceId: 'positioning:area:4' },
        },
      ],
    });

    // The class answers through the learner's pages, the clock moving while they think.
    const camille = await launch({ user: 'learner-1', resourceLinkId: 'link-positioning' });
    answered.camille = await answerCompetence(tool.client, url, camille, '4.1', {
      answers: ['right', 'right', 'first'],
      clock,
      thinkMs: THINK_MS,
    });
    const lea = await launch({
      user: 'learner-4',
      resourceLinkId: 'link-positioning',
      lis: { person_sourcedid: 'ETU-0042' },
    });
    answered.lea = await answerCompetence(tool.client, url, lea, '4.2', {
      answers: ['right', 'right', 'right', 'right'],
      clock,
      thinkMs: 5_000,
    });
    await launch({ user: 'learner-2', resourceLinkId: 'link-positioning' });
    const alex = await launch({ user: 'learner-9', courseId: 'course-2', resourceLinkId: 'link-course-2' });
    answered.alex = await answerCompetence(tool.client, url, alex, '4.1', { answers: ['right'] });
  });

  after(async () => {
    await tool?.stop();
  });

  describe('the permission matrix', () => {
    it('refuses a learner of the course every dashboard route with a 403 page', async () => {
      const base = await launch({ user: 'learner-2', resourceLinkId: 'link-positioning' });
      const attempts = [
        await tool.client.request(`${url}${base}/dashboard`),
        await tool.client.request(`${url}${base}/dashboard/students/learner-1`),
        await tool.client.request(`${url}${base}/dashboard/students/learner-2`),
        await tool.client.request(`${url}${base}/dashboard/export.csv`),
        await tool.client.request(`${url}${base}/dashboard/grades/any-entry/retry`, {
          form: { from: 'dashboard' },
          followRedirects: false,
        }),
      ];
      for (const response of attempts) {
        expect(response.status, response.url).to.equal(403);
        expect(response.headers.get('content-type')).to.match(/^text\/html/);
        expect(response.body).to.include('Accès refusé').and.to.include('Seuls les enseignants de ce cours');
        expect(response.body).not.to.include('Camille Martin');
      }
      // A learner's own activity page offers no dashboard.
      expect((await tool.client.request(`${url}${base}`)).body).not.to.include('/dashboard');
    });

    it('refuses a deep-linking launch, even a teacher’s', async () => {
      const response = await tool.client.launch({ user: 'teacher-1', messageType: 'LtiDeepLinkingRequest' });
      const base = new URL(response.url).pathname;
      const dashboard = await tool.client.request(`${url}${base}/dashboard`);
      expect(dashboard.status).to.equal(403);
    });

    it('shows the teacher of the course every learner: those who answered and a roster member who never launched', async () => {
      const base = await teacherOf('course-1');
      const home = await tool.client.request(`${url}${base}`);
      const link = parseHtml(home.body).querySelector(`a[href="${base}/dashboard"]`);
      expect(link?.textContent).to.equal('Ouvrir le tableau de bord de la classe');

      const page = await tool.client.request(`${url}${base}/dashboard`);
      expect(page.status).to.equal(200);
      expect(page.headers.get('cache-control')).to.equal('no-store');
      const names = textsOf(page.body, '#heatmap tbody th');
      expect(names).to.include.members(['Camille Martin', 'Léa Dupont', 'Sacha Petit', 'Noé Jamais']);
      expect(names).not.to.include('Alex Autre');
      expect(names.join()).not.to.include('Dominique');
      // Camille's heatmap row: a level printed in each evaluated competence cell.
      const camille = parseHtml(page.body)
        .querySelectorAll('#heatmap tbody tr')
        .find((row) => row.querySelector('th')?.textContent.includes('Camille Martin'));
      expect(camille?.querySelector('td.status')?.textContent).to.equal('En cours');
      const cells = camille?.querySelectorAll('td.lvl') ?? [];
      expect(cells).to.have.length(3);
      expect(cells[0]?.classNames).to.match(/lvl-\d/);
      expect(cells[0]?.textContent).to.match(/^\d/);
      // Noé is listed from the LMS roster, flagged as never launched.
      expect(studentRow(page.body, 'Noé Jamais')?.textContent).to.include('n’a pas encore ouvert l’activité');
      expect(textOf(page.body, '#roster-state')).to.include('vient du LMS');
      expect(textOf(page.body, '#activities tbody')).to.include('Positionnement');
    });

    it('shows the teacher of another course only their course, and none of course 1’s students', async () => {
      const base = await teacherOf('course-2');
      const page = await tool.client.request(`${url}${base}/dashboard`);
      expect(page.status).to.equal(200);
      const names = textsOf(page.body, '#heatmap tbody th');
      expect(names).to.deep.equal(['Alex Autre']);
      expect(page.body).not.to.include('Camille').and.not.to.include('Culture numérique L1');
      for (const student of ['learner-1', 'learner-3']) {
        const foreign = await tool.client.request(`${url}${base}/dashboard/students/${student}`);
        expect(foreign.status).to.equal(404);
        expect(foreign.body).to.include('Cet élève ne fait pas partie de cette activité.');
      }
      const csv = await tool.client.request(`${url}${base}/dashboard/export.csv`);
      expect(csv.body).to.include('alex@example.org').and.not.to.include('camille');
    });

    for (const [label, id, role] of [
      ['an institution administrator', 'admin-institution', INSTITUTION_ADMIN],
      ['a course administrator', 'admin-course', CONTEXT_ADMIN],
    ] as const) {
      it(`lets ${label} see the course’s dashboard`, async () => {
        const base = await launch({
          user: { id, name: 'Admin' },
          roles: [role],
          resourceLinkId: 'link-positioning',
        });
        const page = await tool.client.request(`${url}${base}/dashboard`);
        expect(page.status).to.equal(200);
        expect(textsOf(page.body, '#heatmap tbody th')).to.include('Camille Martin');
        const student = await tool.client.request(`${url}${base}/dashboard/students/learner-1`);
        expect(student.status).to.equal(200);
      });
    }
  });

  describe('the dashboard’s query', () => {
    it('sorts, filters and searches with links and a GET form, and answers 400 to a malformed query', async () => {
      const base = await teacherOf('course-1');
      const sorted = await tool.client.request(`${url}${base}/dashboard?sort=pix&dir=desc`);
      const header = parseHtml(sorted.body).querySelector('#heatmap th[aria-sort]');
      expect(header?.getAttribute('aria-sort')).to.equal('descending');
      expect(header?.textContent).to.include('Pix');
      const order = textsOf(sorted.body, '#heatmap tbody th');
      expect(order.indexOf('Léa Dupont')).to.be.lessThan(order.indexOf('Noé Jamais'));

      const notStarted = await tool.client.request(`${url}${base}/dashboard?status=not-started`);
      expect(textsOf(notStarted.body, '#heatmap tbody th')).to.have.members(['Noé Jamais', 'Sacha Petit']);
      const search = await tool.client.request(`${url}${base}/dashboard?q=${encodeURIComponent('lea')}`);
      expect(textsOf(search.body, '#heatmap tbody th')).to.deep.equal(['Léa Dupont']);
      // At most level 0 in 4.2: everyone but Léa, who answered there.
      const weak = await tool.client.request(`${url}${base}/dashboard?competence=4.2&maxLevel=0`);
      expect(textsOf(weak.body, '#heatmap tbody th')).to.have.members([
        'Camille Martin',
        'Noé Jamais',
        'Sacha Petit',
      ]);
      expect(
        parseHtml(weak.body).querySelector('#filter-competence option[selected]')?.getAttribute('value'),
      ).to.equal('4.2');
      const byExternalId = await tool.client.request(`${url}${base}/dashboard?q=ETU-0042`);
      expect(textsOf(byExternalId.body, '#heatmap tbody th')).to.deep.equal(['Léa Dupont']);

      // Unknown values fall back to the defaults.
      const unknown = await tool.client.request(`${url}${base}/dashboard?sort=shoe-size&dir=up&status=lost`);
      expect(unknown.status).to.equal(200);
      expect(textsOf(unknown.body, '#heatmap tbody th')).to.have.length(4);
      // Malformed ones get a clear 400 page.
      for (const query of ['maxLevel=abc', 'q=a&q=b', 'competence[x]=1', `q=${'x'.repeat(201)}`]) {
        const response = await tool.client.request(`${url}${base}/dashboard?${query}`);
        expect(response.status, query).to.equal(400);
        expect(response.body).to.include('Requête invalide').and.to.include('n’est pas valide');
      }
    });
  });

  describe('the CSV export', () => {
    /** The raw bytes, as a spreadsheet receives them (fetch's text() would drop the BOM). */
    async function download(path: string): Promise<{ response: Response; bytes: Buffer }> {
      const target = `${url}${path}`;
      const cookie = tool.client.jar.headerFor(target);
      const response = await fetch(target, { headers: cookie ? { cookie } : {} });
      return { response, bytes: Buffer.from(await response.arrayBuffer()) };
    }

    const FRENCH_HEADERS = [
      'Cours',
      'Activité',
      "Nom de l'élève",
      "Prénom de l'élève",
      'Adresse e-mail',
      'Identifiant externe',
      'Statut',
      'Date et heure de début',
      'Date et heure de fin',
      '% de progression',
      'Nombre de pix total',
      "Niveau pour la compétence 4.1 Sécuriser l'environnement numérique",
      "Nombre de pix pour la compétence 4.1 Sécuriser l'environnement numérique",
      'Niveau pour la compétence 4.2 Protéger les données personnelles et la vie privée',
      'Nombre de pix pour la compétence 4.2 Protéger les données personnelles et la vie privée',
      "Niveau pour la compétence 4.3 Protéger la santé, le bien-être et l'environnement",
      "Nombre de pix pour la compétence 4.3 Protéger la santé, le bien-être et l'environnement",
      '% de maîtrise des acquis',
    ];
    const ENGLISH_HEADERS = [
      'Course',
      'Activity',
      "Student's last name",
      "Student's first name",
      'Email address',
      'External ID',
      'Status',
      'Start date and time',
      'Completion date and time',
      '% progress',
      'Total pix',
      'Level for competence 4.1 Secure the digital environment',
      'Pix for competence 4.1 Secure the digital environment',
      'Level for competence 4.2 Protect personal data and privacy',
      'Pix for competence 4.2 Protect personal data and privacy',
      'Level for competence 4.3 Protect health, well-being and the environment',
      'Pix for competence 4.3 Protect health, well-being and the environment',
      '% mastery of the skills',
    ];

    it('downloads UTF-8 with a BOM and “;”, whose French headers and known row parse back', async () => {
      const base = await teacherOf('course-1');
      const { response, bytes } = await download(`${base}/dashboard/export.csv`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).to.match(/^attachment; filename="[^"]+\.csv"/);
      expect(response.headers.get('cache-control')).to.equal('no-store');
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text.split('\r\n')[0]?.split(';')).to.have.length(FRENCH_HEADERS.length);

      const records = parseCsv(text, { delimiter: ';', bom: true, relax_column_count: false }) as string[][];
      expect(records[0]).to.deep.equal(FRENCH_HEADERS);
      // One row per learner of the course: Camille, Léa, Noé, Sacha; not the teacher, not course 2.
      expect(
        records
          .slice(1)
          .map((record) => record[4])
          .sort(),
      ).to.deep.equal([
        'camille@example.org',
        'lea.dupont@example.org',
        'noe@example.org',
        'sacha@example.org',
      ]);

      const lea = records.find((record) => record[4] === 'lea.dupont@example.org') ?? [];
      const profile = await tool.server.evaluation.getProfile({
        learnerKey: `${tool.emulator.issuer}#learner-4`,
        locale: 'fr',
      });
      const scoped = ['4.1', '4.2', '4.3'].map((code) => profile.competences.find((c) => c.code === code));
      expect(lea.slice(0, 7)).to.deep.equal([
        'Culture numérique L1',
        'Positionnement',
        'Dupont',
        'Léa',
        'lea.dupont@example.org',
        'ETU-0042',
        'En cours',
      ]);
      expect(lea[7]).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      expect(lea[8]).to.equal('');
      expect(Number(lea[10])).to.equal(scoped.reduce((sum, competence) => sum + (competence?.pix ?? 0), 0));
      expect(Number(lea[10])).to.be.greaterThan(0);
      // Level and pix per competence in scope, as her profile says (0 where she has not started).
      expect(lea.slice(11, 17)).to.deep.equal(
        scoped.flatMap((competence) => [String(competence?.level), String(competence?.pix)]),
      );
      expect(Number(lea[13])).to.be.greaterThan(0);
      expect(Number(lea[17])).to.be.within(1, 100);

      const noe = records.find((record) => record[4] === 'noe@example.org') ?? [];
      expect(noe[6]).to.equal('Non commencé');
      expect(noe.slice(7)).to.deep.equal(new Array(FRENCH_HEADERS.length - 7).fill(''));
    });

    it('writes the headers and statuses in English for an English launch', async () => {
      const base = await teacherOf('course-1', 'en');
      const { response, bytes } = await download(`${base}/dashboard/export.csv`);
      expect(response.status).to.equal(200);
      const records = parseCsv(bytes.toString('utf8'), { delimiter: ';', bom: true }) as string[][];
      expect(records[0]).to.deep.equal(ENGLISH_HEADERS);
      const lea = records.find((record) => record[4] === 'lea.dupont@example.org');
      expect(lea?.[6]).to.equal('In progress');
    });
  });

  describe('the student drill-down', () => {
    it('shows the teacher a student’s answers with correctness and time spent, and a learner gets 403', async () => {
      const base = await teacherOf('course-1');
      const page = await tool.client.request(`${url}${base}/dashboard/students/learner-1`);
      expect(page.status).to.equal(200);
      expect(textOf(page.body, 'h1')).to.include('Camille Martin');
      const rows = parseHtml(page.body).querySelectorAll('table.answers tbody tr');
      expect(rows).to.have.length(answered.camille?.length ?? -1);
      expect(answered.camille).to.have.length(3);
      for (const [index, row] of rows.entries()) {
        const cells = row.querySelectorAll('td').map((cell) => cell.textContent.replace(/\s+/g, ' ').trim());
        expect(cells[0]).to.equal(String(index + 1));
        expect(cells[1]).to.include(answered.camille?.[index] ?? '?');
        expect(cells[2]).to.match(/Correcte|Incorrecte/);
        expect(cells[3]).to.equal('17 s');
      }
      // The two answers taken from the bank's solutions are right.
      expect(rows.slice(0, 2).map((row) => row.querySelector('.answer')?.classNames)).to.deep.equal([
        'answer answer-correct',
        'answer answer-correct',
      ]);
      // Her profile: the level of 4.1 as the evaluation computes it.
      const profile = await tool.server.evaluation.getProfile({
        learnerKey: `${tool.emulator.issuer}#learner-1`,
        locale: 'fr',
      });
      const level = profile.competences.find((competence) => competence.code === '4.1')?.level;
      const competenceRow = parseHtml(page.body)
        .querySelectorAll('#competences tbody tr')
        .find((row) => row.querySelector('th')?.textContent.startsWith('4.1'));
      expect(competenceRow?.querySelector('.lvl')?.textContent).to.equal(String(level));

      // Noé never launched: the page says so and lists no answers.
      const noe = await tool.client.request(`${url}${base}/dashboard/students/learner-3`);
      expect(noe.status).to.equal(200);
      expect(noe.body).to.include('Cet élève n’a pas encore ouvert l’activité.');

      // A learner of the same course asks for it: 403, nothing shown.
      const sacha = await launch({ user: 'learner-2', resourceLinkId: 'link-positioning' });
      const refused = await tool.client.request(`${url}${sacha}/dashboard/students/learner-1`);
      expect(refused.status).to.equal(403);
      expect(refused.body).not.to.include(answered.camille?.[0] ?? '?');
    });
  });

  describe('grade sync', () => {
    it('shows a grade the LMS refused with its error, retries it on request, and shows it delivered', async () => {
      tool.emulator.setFailure(
        'ags.scores',
        failFor(60_000, { status: 400, body: 'User is not gradable' }, { startAt: clock.now() }),
      );
      for (let run = 0; run < 5; run += 1) await tool.server.gradeWorker.runOnce();

      const base = await teacherOf('course-1');
      const failed = await tool.client.request(`${url}${base}/dashboard`);
      const camille = studentRow(failed.body, 'Camille Martin');
      expect(camille?.querySelector('.sync')?.textContent).to.equal('En échec');
      expect(camille?.querySelector('.sync-error')?.textContent).to.include('User is not gradable');
      const form = camille?.querySelector('form.retry-form');
      const action = form?.getAttribute('action') ?? '';
      expect(action).to.match(/\/dashboard\/grades\/[^/]+\/retry$/);

      // Another course's teacher cannot retry it, and nothing changes.
      const other = await teacherOf('course-2');
      const foreign = await tool.client.request(`${url}${other}${action.slice(base.length)}`, {
        form: { from: 'dashboard' },
        followRedirects: false,
      });
      expect(foreign.status).to.equal(404);
      const stillFailed = await tool.client.request(`${url}${base}/dashboard`);
      expect(studentRow(stillFailed.body, 'Camille Martin')?.querySelector('.sync')?.textContent).to.equal(
        'En échec',
      );
      // An unknown grade: 404.
      const unknown = await tool.client.request(`${url}${base}/dashboard/grades/no-such-entry/retry`, {
        form: { from: 'dashboard' },
        followRedirects: false,
      });
      expect(unknown.status).to.equal(404);

      // The LMS accepts grades again; the teacher retries from the dashboard (post/redirect/get).
      clock.advance(61_000);
      const retried = await postAndFollow(tool.client, `${url}${action}`, [
        ['from', 'dashboard'],
        ['userId', 'learner-1'],
      ]);
      expect(new URL(retried.url).pathname).to.equal(`${base}/dashboard`);
      expect(retried.body).to.include('La note sera renvoyée au LMS dans un instant.');
      expect(studentRow(retried.body, 'Camille Martin')?.querySelector('.sync')?.textContent).to.equal(
        'En attente',
      );

      await tool.server.gradeWorker.runOnce();
      const delivered = await tool.client.request(`${url}${base}/dashboard`);
      expect(studentRow(delivered.body, 'Camille Martin')?.querySelector('.sync')?.textContent).to.equal(
        'Transmise',
      );
      const [book] = tool.emulator.gradebookOf('course-1');
      expect(book?.latest['learner-1']).to.not.equal(undefined);

      // Léa's refused grade is retried from her own page, which the teacher comes back to.
      const leaPage = await tool.client.request(`${url}${base}/dashboard/students/learner-4`);
      const leaAction =
        parseHtml(leaPage.body).querySelector('form.retry-form')?.getAttribute('action') ?? '';
      const back = await postAndFollow(tool.client, `${url}${leaAction}`, [
        ['from', 'student'],
        ['userId', 'learner-4'],
      ]);
      expect(new URL(back.url).pathname).to.equal(`${base}/dashboard/students/learner-4`);
      await tool.server.gradeWorker.runOnce();
      const leaAfter = await tool.client.request(`${url}${base}/dashboard/students/learner-4`);
      expect(textOf(leaAfter.body, '.grade .sync')).to.equal('Transmise');
    });
  });
});
