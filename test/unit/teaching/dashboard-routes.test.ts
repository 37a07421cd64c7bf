import { expect } from 'chai';
import {
  contentDisposition,
  dashboardSearch,
  formatIsoDuration,
  formatSeconds,
  parseDashboardQuery,
} from '../../../src/teaching/application/dashboard-routes.js';

const CODES = ['4.1', '4.2', '4.3'];
const MAX_LEVEL = 6;

/** A translator that shows the key and its options, enough to check what was asked. */
const t = (key: string, options: Record<string, unknown> = {}) => `${key}${JSON.stringify(options)}`;

describe('Unit | Teaching | dashboard routes: query, links and formats', () => {
  describe('parseDashboardQuery', () => {
    it('gives the defaults for an empty query', () => {
      expect(parseDashboardQuery({}, CODES, MAX_LEVEL)).to.deep.equal({
        ok: true,
        value: { query: { sort: 'name', direction: 'asc', statuses: [], search: '' }, page: 1 },
      });
    });

    it('reads every parameter of a well-formed query', () => {
      const result = parseDashboardQuery(
        {
          sort: 'competence:4.2',
          dir: 'desc',
          status: ['completed', 'in-progress'],
          q: '  Dupont ',
          competence: '4.1',
          maxLevel: '2',
          page: '3',
          lang: 'en',
        },
        CODES,
        MAX_LEVEL,
      );
      expect(result).to.deep.equal({
        ok: true,
        value: {
          query: {
            sort: 'competence:4.2',
            direction: 'desc',
            // In the dashboard's order, whatever the query's.
            statuses: ['in-progress', 'completed'],
            search: 'Dupont',
            competence: { code: '4.1', maxLevel: 2 },
          },
          page: 3,
        },
      });
    });

    it('falls back to the defaults for unknown values', () => {
      const result = parseDashboardQuery(
        {
          sort: 'competence:1.1',
          dir: 'sideways',
          status: 'lost',
          competence: '9.9',
          maxLevel: '3',
          page: '0',
        },
        CODES,
        MAX_LEVEL,
      );
      expect(result).to.deep.equal({
        ok: true,
        value: { query: { sort: 'name', direction: 'asc', statuses: [], search: '' }, page: 1 },
      });
      // A level at or above the maximum filters nothing out: no filter.
      const noFilter = parseDashboardQuery(
        { competence: '4.1', maxLevel: String(MAX_LEVEL) },
        CODES,
        MAX_LEVEL,
      );
      expect(noFilter.ok && noFilter.value.query.competence).to.equal(undefined);
      // A competence without a level (the form's "any level") is no filter either.
      const anyLevel = parseDashboardQuery({ competence: '4.1', maxLevel: '' }, CODES, MAX_LEVEL);
      expect(anyLevel.ok && anyLevel.value.query.competence).to.equal(undefined);
    });

    it('names the malformed parameter: repeated, nested, too long or not a number', () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ q: ['a', 'b'] }, 'q'],
        [{ sort: ['name', 'pix'] }, 'sort'],
        [{ competence: { x: '1' } }, 'competence'],
        [{ q: 'x'.repeat(201) }, 'q'],
        [{ maxLevel: 'abc' }, 'maxLevel'],
        [{ maxLevel: '-1' }, 'maxLevel'],
        [{ page: '1.5' }, 'page'],
        [{ status: ['completed', 'completed', 'completed', 'completed'] }, 'status'],
      ];
      for (const [raw, parameter] of cases) {
        expect(parseDashboardQuery(raw, CODES, MAX_LEVEL), JSON.stringify(raw)).to.deep.equal({
          ok: false,
          parameter,
        });
      }
    });
  });

  it('builds dashboard links that keep the filters and change only what is asked', () => {
    const query = {
      sort: 'pix' as const,
      direction: 'desc' as const,
      statuses: ['in-progress' as const],
      search: 'Léa D',
      competence: { code: '4.1', maxLevel: 2 },
    };
    expect(dashboardSearch(query, {}, '')).to.equal(
      '?sort=pix&dir=desc&status=in-progress&q=L%C3%A9a+D&competence=4.1&maxLevel=2',
    );
    expect(dashboardSearch(query, { sort: 'name', direction: 'asc', page: 2 }, 'en')).to.equal(
      '?lang=en&status=in-progress&q=L%C3%A9a+D&competence=4.1&maxLevel=2&page=2',
    );
    expect(dashboardSearch({ sort: 'name', direction: 'asc', statuses: [], search: '' }, {}, '')).to.equal(
      '',
    );
  });

  it('formats ISO 8601 durations and seconds for people', () => {
    expect(formatIsoDuration('PT5M', t)).to.equal('teaching.duration.minutes{"minutes":5}');
    expect(formatIsoDuration('PT1H5M', t)).to.equal('teaching.duration.hours{"hours":1,"minutes":"05"}');
    expect(formatIsoDuration('PT30S', t)).to.equal('teaching.duration.seconds{"seconds":30}');
    expect(formatIsoDuration('P1D', t)).to.equal('P1D');
    expect(formatIsoDuration('PT', t)).to.equal('PT');
    expect(formatSeconds(42.4, t)).to.equal('teaching.duration.seconds{"seconds":42}');
    expect(formatSeconds(125, t)).to.equal('teaching.duration.minutesSeconds{"minutes":2,"seconds":"05"}');
    expect(formatSeconds(undefined, t)).to.equal('—');
    expect(formatSeconds(-1, t)).to.equal('—');
  });

  it('names the CSV file in ASCII and in UTF-8 for the download', () => {
    expect(contentDisposition('Culture numérique L1 - Positionnement - 2026-03-10.csv')).to.equal(
      'attachment; filename="Culture-numerique-L1-Positionnement-2026-03-10.csv"; ' +
        "filename*=UTF-8''Culture%20num%C3%A9rique%20L1%20-%20Positionnement%20-%202026-03-10.csv",
    );
    expect(contentDisposition('"; evil=1.csv')).to.match(/^attachment; filename="evil-1\.csv"; filename\*=/);
    expect(contentDisposition('---')).to.match(/^attachment; filename="export\.csv"/);
  });

  it('encodes the UTF-8 name with RFC 8187 attr-chars only, and never throws on a lone surrogate', () => {
    expect(contentDisposition("L'an (2) * 3.csv")).to.equal(
      'attachment; filename="L-an-2-3.csv"; ' + "filename*=UTF-8''L%27an%20%282%29%20%2A%203.csv",
    );
    // Half of an emoji (a cut title): replaced, not a URIError.
    expect(contentDisposition('Cours \uD83D.csv')).to.equal(
      'attachment; filename="Cours-.csv"; ' + "filename*=UTF-8''Cours%20%EF%BF%BD.csv",
    );
    expect(contentDisposition('\uDE00 😀.csv')).to.include("filename*=UTF-8''%EF%BF%BD%20%F0%9F%98%80.csv");
    const extValue = /filename\*=UTF-8''(.*)$/.exec(contentDisposition("a'b(c)d*e!#$&+-.^_`|~ é😀.csv"))?.[1];
    expect(extValue).to.match(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
    expect(decodeURIComponent(extValue ?? '')).to.equal("a'b(c)d*e!#$&+-.^_`|~ é😀.csv");
  });
});
