import { expect } from 'chai';
import { resolveLocale } from '../../../src/shared/domain/locale.js';

describe('Unit | Shared | resolveLocale', () => {
  const cases: Array<[Array<string | undefined>, 'fr' | 'en']> = [
    [[], 'fr'],
    [[undefined, ''], 'fr'],
    [['en'], 'en'],
    [['en-GB'], 'en'],
    [['en_US'], 'en'],
    [['EN-us'], 'en'],
    [['fr-BE'], 'fr'],
    [['de-DE'], 'fr'],
    [['de-DE,en;q=0.8,fr;q=0.5'], 'en'],
    [[undefined, 'en-US,en;q=0.9'], 'en'],
    [['fr', 'en'], 'fr'],
    [['xx', 'en'], 'en'],
  ];
  for (const [input, expected] of cases) {
    it(`maps ${JSON.stringify(input)} to ${expected}`, () => {
      expect(resolveLocale(...input)).to.equal(expected);
    });
  }
});
