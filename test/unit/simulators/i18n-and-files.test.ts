import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/simulators');
const SIMULATORS = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(ROOT, entry.name, 'index.html')))
  .map((entry) => entry.name)
  .sort();

type Dictionary = Record<string, string>;

function readJson<T>(simulator: string, file: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, simulator, file), 'utf8')) as T;
}

function sourceFiles(simulator: string): string[] {
  return readdirSync(path.join(ROOT, simulator))
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(path.join(ROOT, simulator, file), 'utf8'));
}

/** Placeholder names of a translated string: "{count} of {total}" → ['count', 'total']. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('simulators: files, translations and scenarios', () => {
  it('has at least 8 simulators', () => {
    expect(SIMULATORS.length).to.be.at.least(8);
  });

  for (const simulator of SIMULATORS) {
    describe(simulator, () => {
      it('has its page, script, style sheet, translations and scenarios', () => {
        for (const file of ['index.html', 'app.js', 'style.css', 'i18n.json', 'scenarios.json']) {
          expect(existsSync(path.join(ROOT, simulator, file)), file).to.equal(true);
        }
        const html = readFileSync(path.join(ROOT, simulator, 'index.html'), 'utf8');
        expect(html).to.match(/<html lang="fr">/);
        expect(html).to.contain('<script type="module" src="app.js"></script>');
        expect(html).to.contain('../shared/base.css');
        expect(html, 'no external resource').to.not.match(/(src|href)="(https?:)?\/\//);
        const css = readFileSync(path.join(ROOT, simulator, 'style.css'), 'utf8');
        expect(css, 'no external resource').to.not.match(/url\(\s*['"]?(https?:)?\/\//);
      });

      it('has the same translation keys and placeholders in French and English', () => {
        const i18n = readJson<{ fr: Dictionary; en: Dictionary }>(simulator, 'i18n.json');
        expect(Object.keys(i18n).sort()).to.deep.equal(['en', 'fr']);
        expect(Object.keys(i18n.en).sort()).to.deep.equal(Object.keys(i18n.fr).sort());
        for (const key of Object.keys(i18n.fr)) {
          expect(i18n.fr[key]?.trim(), `fr ${key}`).to.not.equal('');
          expect(i18n.en[key]?.trim(), `en ${key}`).to.not.equal('');
          expect(placeholders(i18n.en[key] ?? ''), key).to.deep.equal(placeholders(i18n.fr[key] ?? ''));
        }
        expect(i18n.fr).to.have.property('title');
      });

      it('has a title without placeholder (the bridge makes it the page title, without values)', () => {
        const i18n = readJson<{ fr: Dictionary; en: Dictionary }>(simulator, 'i18n.json');
        for (const lang of ['fr', 'en'] as const) {
          expect(placeholders(i18n[lang].title ?? ''), `${lang} title`).to.deep.equal([]);
        }
      });

      it('translates every key its scripts use literally', () => {
        const i18n = readJson<{ fr: Dictionary }>(simulator, 'i18n.json');
        const used = new Set<string>();
        for (const source of sourceFiles(simulator)) {
          for (const match of source.matchAll(/\b(?:t|out)\('([\w.]+)'/g)) used.add(match[1] ?? '');
        }
        for (const key of used) expect(i18n.fr, key).to.have.property(key);
      });

      it('never uses eval, Function, innerHTML or storage', () => {
        for (const source of sourceFiles(simulator)) {
          expect(source).to.not.match(
            /\beval\(|new Function|innerHTML|outerHTML|insertAdjacentHTML|localStorage|sessionStorage|document\.write/,
          );
        }
      });

      it('has a default scenario and French and English data for every scenario', () => {
        const file = readJson<{
          default: string;
          challenges: Record<string, string>;
          scenarios: Record<string, { fr?: unknown; en?: unknown }>;
        }>(simulator, 'scenarios.json');
        expect(file.scenarios).to.have.property(file.default);
        for (const [name, scenario] of Object.entries(file.scenarios)) {
          expect(scenario.fr, `${name}.fr`).to.be.an('object');
          expect(scenario.en, `${name}.en`).to.be.an('object');
        }
        for (const [challenge, name] of Object.entries(file.challenges)) {
          expect(file.scenarios, challenge).to.have.property(name);
          expect(challenge).to.match(/^ch-[\d.]+-[A-Za-z]+-\d-[a-z]+$/);
        }
      });
    });
  }

  it('keeps the shared modules free of eval and HTML injection', () => {
    for (const file of ['bridge.js', 'dom.js', 'protocol.js']) {
      const source = readFileSync(path.join(ROOT, 'shared', file), 'utf8');
      expect(source, file).to.not.match(/\beval\(|new Function|innerHTML|insertAdjacentHTML/);
    }
  });
});
