import { expect } from 'chai';
import {
  applyT1,
  applyT2,
  applyTreatments,
  isWithinEditDistance,
  matchesSelect,
  matchesText,
  preTreat,
} from '../../../../src/framework/domain/answer-checking/index.js';
import { ALL_TOLERANCES, NO_TOLERANCE, T1, T1_T2, T2, T3 } from './fixtures.js';

const CYRILLIC_A = '\u0430';
const DECOMPOSED_E_ACUTE = 'e\u0301';

describe('text treatments', () => {
  describe('preTreat', () => {
    it('normalises to NFC', () => {
      expect(preTreat(`caf${DECOMPOSED_E_ACUTE}`)).to.equal('caf\u00e9');
    });

    it('turns no-break, narrow no-break and figure spaces into plain spaces', () => {
      expect(preTreat('a\u00a0b\u202fc\u2007d')).to.equal('a b c d');
    });

    it('does not trim, change case or strip punctuation', () => {
      expect(preTreat(' Élé-phant ! ')).to.equal(' Élé-phant ! ');
    });
  });

  describe('T1 (spaces, case, accents)', () => {
    it('trims, lowercases, strips accents and removes every whitespace', () => {
      expect(applyT1(' Éléphant ')).to.equal('elephant');
      expect(applyT1('Mont  Saint\tMichel\n')).to.equal('montsaintmichel');
      expect(applyT1('Ça  Ôte')).to.equal('caote');
    });

    it('strips accents from decomposed characters as well', () => {
      expect(applyT1(`${DECOMPOSED_E_ACUTE}t${DECOMPOSED_E_ACUTE}`)).to.equal('ete');
    });

    it('keeps punctuation', () => {
      expect(applyT1("L'Île-de-France")).to.equal("l'ile-de-france");
    });

    it('does not turn a Cyrillic look-alike into a Latin letter', () => {
      expect(applyT1(`P${CYRILLIC_A}ris`)).to.equal(`p${CYRILLIC_A}ris`);
    });
  });

  describe('T2 (punctuation)', () => {
    it('drops every character outside [a-zA-Z0-9 ] and collapses repeated spaces', () => {
      expect(applyT2('Hello,   world!?')).to.equal('Hello world');
      expect(applyT2('a.b-c_d')).to.equal('abcd');
    });

    it('keeps case and drops accented letters, since they are outside [a-zA-Z]', () => {
      expect(applyT2('Éléphant')).to.equal('lphant');
    });

    it('trims the spaces left around stripped punctuation', () => {
      expect(applyT2('« Paris » !')).to.equal('Paris');
    });

    it('drops Cyrillic look-alikes instead of mapping them to Latin', () => {
      expect(applyT2(`P${CYRILLIC_A}ris`)).to.equal('Pris');
    });
  });

  describe('applyTreatments', () => {
    it('applies T1 then T2', () => {
      expect(applyTreatments(" L'Éléphant, rose ! ", T1_T2)).to.equal('lelephantrose');
    });

    it('leaves the text untouched without T1 and T2', () => {
      expect(applyTreatments(' A-b ', NO_TOLERANCE)).to.equal(' A-b ');
      expect(applyTreatments(' A-b ', T3)).to.equal(' A-b ');
    });
  });

  describe('isWithinEditDistance (T3)', () => {
    it('accepts a ratio of exactly 0.25', () => {
      // 1 edit over 4 characters.
      expect(isWithinEditDistance('pari', ['paro'])).to.equal(true);
    });

    it('refuses a ratio just above 0.25', () => {
      // 1 edit over 3 characters.
      expect(isWithinEditDistance('cht', ['cat'])).to.equal(false);
    });

    it('takes the closest variant', () => {
      expect(isWithinEditDistance('elephant', ['girafe', 'elefant'])).to.equal(true);
    });

    it('divides by the length of the answer, not of the variant', () => {
      // distance("abcd", "abcdef") = 2: 2/4 = 0.5 > 0.25 although 2/6 ≈ 0.33 would also fail;
      // distance("abcdefgh", "abcdefghij") = 2: 2/8 = 0.25 is accepted.
      expect(isWithinEditDistance('abcd', ['abcdef'])).to.equal(false);
      expect(isWithinEditDistance('abcdefgh', ['abcdefghij'])).to.equal(true);
      // distance("abcdefghij", "abcdefgh") = 2: 2/10 accepted.
      expect(isWithinEditDistance('abcdefghij', ['abcdefgh'])).to.equal(true);
    });

    it('never accepts an empty answer', () => {
      expect(isWithinEditDistance('', [''])).to.equal(false);
      expect(isWithinEditDistance('', ['a'])).to.equal(false);
    });

    it('refuses when there is no variant', () => {
      expect(isWithinEditDistance('paris', [])).to.equal(false);
    });
  });

  describe('matchesText', () => {
    it('T1: "Éléphant " matches "elephant"', () => {
      expect(matchesText('Éléphant ', ['elephant'], T1)).to.equal(true);
    });

    it('T1 applies to the variants too', () => {
      expect(matchesText('elephant', ['Éléphant'], T1)).to.equal(true);
    });

    it('without T1, case, accents and spaces matter', () => {
      expect(matchesText('Éléphant ', ['elephant'], NO_TOLERANCE)).to.equal(false);
      expect(matchesText('Elephant', ['elephant'], NO_TOLERANCE)).to.equal(false);
      expect(matchesText(' elephant', ['elephant'], NO_TOLERANCE)).to.equal(false);
      expect(matchesText('elephant', ['elephant'], NO_TOLERANCE)).to.equal(true);
    });

    it('T2: punctuation is stripped', () => {
      expect(matchesText('Paris !', ['Paris'], T2)).to.equal(true);
      expect(matchesText('P.a.r.i.s', ['Paris'], T2)).to.equal(true);
      expect(matchesText('Paris !', ['Paris'], NO_TOLERANCE)).to.equal(false);
    });

    it('T2 alone keeps case sensitivity', () => {
      expect(matchesText('paris!', ['Paris'], T2)).to.equal(false);
    });

    it('T1 and T2 together', () => {
      expect(matchesText(" L'île-de-France. ", ["L'Île de France"], T1_T2)).to.equal(true);
      expect(matchesText(" L'île-de-France. ", ["L'Île de France"], T1)).to.equal(false);
      expect(matchesText(" L'île-de-France. ", ["L'Île de France"], T2)).to.equal(false);
    });

    it('T3: one typo in a word of 4+ letters is accepted', () => {
      expect(matchesText('Pari', ['Paru'], T3)).to.equal(true);
      expect(matchesText('elephent', ['elephant'], ALL_TOLERANCES)).to.equal(true);
      // "f" for "ph" is two edits: 2/7 > 0.25.
      expect(matchesText('elefant', ['elephant'], ALL_TOLERANCES)).to.equal(false);
      expect(matchesText('Elephnt', ['Éléphant'], ALL_TOLERANCES)).to.equal(true);
    });

    it('T3: two typos in a short word are refused', () => {
      expect(matchesText('chein', ['chien'], ALL_TOLERANCES)).to.equal(false);
      expect(matchesText('lyin', ['lyon'], ALL_TOLERANCES)).to.equal(true);
      expect(matchesText('lyun', ['lyon'], ALL_TOLERANCES)).to.equal(true);
      expect(matchesText('luin', ['lyon'], ALL_TOLERANCES)).to.equal(false);
    });

    it('without T3, a single typo is refused', () => {
      expect(matchesText('elephent', ['elephant'], T1_T2)).to.equal(false);
    });

    it('T3 is computed on the treated strings', () => {
      // Treated by T1: "elephant" vs "elephant" (accents, case, spaces), no typo left.
      expect(matchesText(' É L É P H A N T ', ['elephant'], { t1: true, t2: false, t3: true })).to.equal(
        true,
      );
      // Without T1, case and accents count as edits: 2 edits over 8 characters pass, 3 do not.
      expect(matchesText('ÉlÉphant', ['elephant'], T3)).to.equal(true);
      expect(matchesText('ÉLÉphant', ['elephant'], T3)).to.equal(false);
    });

    it('refuses empty and whitespace-only answers, whatever the tolerances', () => {
      for (const tolerances of [NO_TOLERANCE, T1, T2, T3, ALL_TOLERANCES]) {
        expect(matchesText('', ['paris'], tolerances)).to.equal(false);
        expect(matchesText('   \t', ['paris'], tolerances)).to.equal(false);
        expect(matchesText('\u00a0\u202f', ['paris'], tolerances)).to.equal(false);
        expect(matchesText('', [''], tolerances)).to.equal(false);
        expect(matchesText(' ', [' '], tolerances)).to.equal(false);
      }
    });

    it('refuses an answer that the treatments reduce to nothing, unless it is exactly a variant', () => {
      // Under T2 both would become "", which must not make them equal.
      expect(matchesText('?!', ['Москва'], T1_T2)).to.equal(false);
      expect(matchesText('東京', ['Москва'], ALL_TOLERANCES)).to.equal(false);
      expect(matchesText('Москва', ['Москва'], ALL_TOLERANCES)).to.equal(true);
    });

    it('does not accept a Cyrillic "а" for a Latin "a" with T1 and T2 alone', () => {
      const answer = `P${CYRILLIC_A}ris`;
      expect(matchesText(answer, ['Paris'], NO_TOLERANCE)).to.equal(false);
      expect(matchesText(answer, ['Paris'], T1)).to.equal(false);
      expect(matchesText(answer, ['Paris'], T2)).to.equal(false);
      expect(matchesText(answer, ['Paris'], T1_T2)).to.equal(false);
      // Whole words of look-alikes are refused too.
      expect(matchesText('\u0440\u0430\u0440\u0430', ['papa'], T1_T2)).to.equal(false);
    });

    it('T3 treats a Cyrillic look-alike as one typo', () => {
      // T2 drops the Cyrillic letter: "pris" vs "paris" is 1 edit over 4 characters.
      expect(matchesText(`P${CYRILLIC_A}ris`, ['Paris'], ALL_TOLERANCES)).to.equal(true);
      expect(matchesText(`P${CYRILLIC_A}ri`, ['Paris'], ALL_TOLERANCES)).to.equal(false);
    });

    it('decomposed "é" equals precomposed "é", even without tolerance', () => {
      expect(matchesText(`caf${DECOMPOSED_E_ACUTE}`, ['caf\u00e9'], NO_TOLERANCE)).to.equal(true);
      expect(matchesText('caf\u00e9', [`caf${DECOMPOSED_E_ACUTE}`], NO_TOLERANCE)).to.equal(true);
      expect(matchesText(`caf${DECOMPOSED_E_ACUTE}`, ['cafe'], NO_TOLERANCE)).to.equal(false);
      expect(matchesText(`caf${DECOMPOSED_E_ACUTE}`, ['cafe'], T1)).to.equal(true);
    });

    it('treats no-break spaces as plain spaces', () => {
      expect(matchesText('New\u00a0York', ['New York'], NO_TOLERANCE)).to.equal(true);
      expect(matchesText('New\u202fYork', ['New York'], NO_TOLERANCE)).to.equal(true);
      expect(matchesText('New\u2007York', ['New York'], NO_TOLERANCE)).to.equal(true);
      expect(matchesText('New\u00a0York', ['newyork'], T1)).to.equal(true);
      expect(matchesText('New\u00a0\u00a0York', ['New York'], T2)).to.equal(true);
    });

    it('matches any of the variants and refuses when there is none', () => {
      expect(matchesText('Lutèce', ['Paris', 'Lutèce'], NO_TOLERANCE)).to.equal(true);
      expect(matchesText('Paris', [], ALL_TOLERANCES)).to.equal(false);
    });

    it('does not modify the variants array', () => {
      const variants = Object.freeze(['Éléphant', 'Mammouth']);
      expect(matchesText('elephant', variants, ALL_TOLERANCES)).to.equal(true);
      expect(variants).to.deep.equal(['Éléphant', 'Mammouth']);
    });
  });

  describe('matchesSelect', () => {
    it('matches exactly after pre-treatment only', () => {
      expect(matchesSelect('Option B', ['Option A', 'Option B'])).to.equal(true);
      expect(matchesSelect('option b', ['Option B'])).to.equal(false);
      expect(matchesSelect('Option B ', ['Option B'])).to.equal(false);
      expect(matchesSelect('Option\u00a0B', ['Option B'])).to.equal(true);
      expect(matchesSelect(`R${DECOMPOSED_E_ACUTE}seau`, ['R\u00e9seau'])).to.equal(true);
    });

    it('refuses an empty choice', () => {
      expect(matchesSelect('', [''])).to.equal(false);
    });
  });
});
