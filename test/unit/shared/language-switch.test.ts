import { expect } from 'chai';
import { askedLanguage, languageSwitchHref } from '../../../src/shared/application/http.js';

describe('Unit | Shared | the language switch link', () => {
  it('keeps the path and the query, and sets lang', () => {
    expect(languageSwitchHref('/', 'en')).to.equal('/?lang=en');
    expect(languageSwitchHref('/app/abc?lang=fr&page=2', 'en')).to.equal('/app/abc?lang=en&page=2');
    expect(languageSwitchHref('/app/abc/dashboard?q=a%20b', 'fr')).to.equal(
      '/app/abc/dashboard?q=a+b&lang=fr',
    );
  });

  it('always stays on this site, whatever the request path', () => {
    const cases: Array<[string, string]> = [
      ['//x//evil.example/a', '/x//evil.example/a?lang=en'],
      ['//evil.example/a', '/evil.example/a?lang=en'],
      ['/\\evil.example/a', '/evil.example/a?lang=en'],
      ['\\\\evil.example', '/evil.example?lang=en'],
      ['/.//evil.example/a', '/evil.example/a?lang=en'],
      ['/%2e//evil.example/a', '/evil.example/a?lang=en'],
      ['/a/..//evil.example/b', '/evil.example/b?lang=en'],
      ['http://evil.example/a', '/http://evil.example/a?lang=en'],
    ];
    for (const [originalUrl, expected] of cases) {
      const href = languageSwitchHref(originalUrl, 'en');
      expect(href, originalUrl).to.equal(expected);
      expect(href, originalUrl).to.match(/^\/(?![/\\])/);
      expect(new URL(href, 'https://tool.example').origin, originalUrl).to.equal('https://tool.example');
    }
  });

  it('keeps the asked language only when it names a supported locale exactly', () => {
    expect(askedLanguage({ lang: 'en' })).to.equal('en');
    expect(askedLanguage({ lang: 'fr' })).to.equal('fr');
    for (const lang of [undefined, '', 'EN', 'en-GB', 'de', ['en'], { en: '1' }]) {
      expect(askedLanguage({ lang }), JSON.stringify(lang)).to.equal(undefined);
    }
  });
});
