import { expect } from 'chai';
import {
  CellError,
  criterionMatcher,
  expandRange,
  parseRef,
  shiftFormula,
} from '../../../public/simulators/spreadsheet/formula.js';
import {
  computeSheet,
  copyCells,
  createSheet,
  displayValue,
  parseConstant,
  setCell,
  sheetAnswer,
  valueOf,
} from '../../../public/simulators/spreadsheet/sheet.js';

function sheetWith(cells: Record<string, string>) {
  return createSheet({ cols: 8, rows: 20, cells });
}

function value(cells: Record<string, string>, name: string, decimalComma = false) {
  const result = valueOf(sheetWith(cells), name, { decimalComma });
  return result instanceof CellError ? result.code : result;
}

describe('simulators: spreadsheet formula evaluator', () => {
  it('respects operator precedence, unary minus, percent and parentheses', () => {
    expect(value({ A1: '=1+2*3' }, 'A1')).to.equal(7);
    expect(value({ A1: '=(1+2)*3' }, 'A1')).to.equal(9);
    expect(value({ A1: '=2^3^2' }, 'A1')).to.equal(64); // left-associative, as in spreadsheets
    expect(value({ A1: '=-2^2' }, 'A1')).to.equal(4);
    expect(value({ A1: '=50%*8' }, 'A1')).to.equal(4);
    expect(value({ A1: '=10/4' }, 'A1')).to.equal(2.5);
    expect(value({ A1: '="a"&1+1' }, 'A1')).to.equal('a2');
    expect(value({ A1: '=1+2=3' }, 'A1')).to.equal(true);
  });

  it('reads references, treats empty cells as 0 and converts numeric text', () => {
    expect(value({ A1: '4', B1: '=A1*2+C1' }, 'B1')).to.equal(8);
    expect(value({ A1: '2,5', B1: '=A1*2' }, 'B1', true)).to.equal(5);
    expect(value({ A1: 'abc', B1: '=A1+1' }, 'B1')).to.equal('#VALUE!');
  });

  it('computes SUM, AVERAGE, MIN, MAX, COUNT, COUNTA over ranges, ignoring text in ranges', () => {
    const cells = { A1: '10', A2: '20', A3: 'texte', A4: '30', A5: '' };
    expect(value({ ...cells, B1: '=SUM(A1:A5)' }, 'B1')).to.equal(60);
    expect(value({ ...cells, B1: '=AVERAGE(A1:A4)' }, 'B1')).to.equal(20);
    expect(value({ ...cells, B1: '=MIN(A1:A4;5)' }, 'B1')).to.equal(5);
    expect(value({ ...cells, B1: '=MAX(A1:A4)' }, 'B1')).to.equal(30);
    expect(value({ ...cells, B1: '=COUNT(A1:A5)' }, 'B1')).to.equal(3);
    expect(value({ ...cells, B1: '=COUNTA(A1:A5)' }, 'B1')).to.equal(4);
    expect(value({ B1: '=AVERAGE(A1:A3)' }, 'B1')).to.equal('#DIV/0!');
  });

  it('accepts the French function names and both argument separators', () => {
    const cells = { A1: '10', A2: '20' };
    expect(value({ ...cells, B1: '=SOMME(A1:A2)' }, 'B1')).to.equal(30);
    expect(value({ ...cells, B1: '=MOYENNE(A1;A2)' }, 'B1')).to.equal(15);
    expect(value({ ...cells, B1: '=SI(A1>5;"oui";"non")' }, 'B1')).to.equal('oui');
    expect(value({ ...cells, B1: '=NB.SI(A1:A2;">15")' }, 'B1')).to.equal(1);
    expect(value({ ...cells, B1: '=SUM(A1,A2)' }, 'B1')).to.equal(30);
    expect(value({ ...cells, B1: '=ARRONDI(2,345;2)' }, 'B1', true)).to.equal(2.35);
  });

  for (const lang of ['fr', 'en'] as const) {
    it(`evaluates every French function name like its English name, with cell arguments (${lang})`, () => {
      const decimalComma = lang === 'fr';
      const cells = { A1: decimalComma ? '2,5' : '2.5', A2: '-4', A3: 'Pro', B1: '>0' };
      const cases: [string, string, unknown][] = [
        ['=SOMME(A1:A2)', '=SUM(A1:A2)', -1.5],
        ['=MOYENNE(A1;A2)', '=AVERAGE(A1;A2)', -0.75],
        ['=NB(A1:A3)', '=COUNT(A1:A3)', 2],
        ['=NBVAL(A1:A3)', '=COUNTA(A1:A3)', 3],
        ['=NB.SI(A1:A2;B1)', '=COUNTIF(A1:A2;B1)', 1],
        ['=SOMME.SI(A1:A2;B1)', '=SUMIF(A1:A2;B1)', 2.5],
        ['=MOYENNE.SI(A1:A3;A3;A1:A3)', '=AVERAGEIF(A1:A3;A3;A1:A3)', '#DIV/0!'],
        ['=ARRONDI(A1;0)', '=ROUND(A1;0)', 3],
        ['=ARRONDI(A1/3;2)', '=ROUND(A1/3;2)', 0.83],
        ['=ARRONDI(A1)', '=ROUND(A1)', 3],
        ['=ET(A1>0;A2<0)', '=AND(A1>0;A2<0)', true],
        ['=OU(A1<0;A2>0)', '=OR(A1<0;A2>0)', false],
        ['=NON(A1)', '=NOT(A1)', false],
        ['=SI(A1>0;"oui";"non")', '=IF(A1>0;"oui";"non")', 'oui'],
        ['=ABS(A2)', '=ABS(A2)', 4],
        ['=MIN(A1:A2;A1)', '=MIN(A1;A2:A2)', -4],
        ['=MAX(A1:A2;A2)', '=MAX(A2;A1:A1)', 2.5],
      ];
      for (const [french, english, expected] of cases) {
        expect(value({ ...cells, C1: french }, 'C1', decimalComma), french).to.equal(expected);
        expect(value({ ...cells, C1: english }, 'C1', decimalComma), english).to.equal(expected);
      }
      // A function that takes one value refuses a range of several cells.
      expect(value({ ...cells, C1: '=ARRONDI(A1:A2;0)' }, 'C1', decimalComma)).to.equal('#VALUE!');
      // ',' separates arguments in both locales when it does not stand between two digits.
      expect(value({ ...cells, C1: '=ROUND(A1,0)' }, 'C1', decimalComma)).to.equal(3);
      expect(value({ ...cells, C1: '=ROUND(A1/ABS(A2),1)' }, 'C1', decimalComma)).to.equal(0.6);
      expect(value({ ...cells, C1: '=ARRONDI("2"+A1,1)' }, 'C1', decimalComma)).to.equal(4.5);
      // Between two digits, ',' is the decimal comma in French: 3,2 is one number there.
      expect(value({ ...cells, C1: '=ARRONDI(A1/3,2)' }, 'C1', decimalComma)).to.equal(
        decimalComma ? 1 : 0.83,
      );
    });
  }

  it('reads a decimal comma between two digits in the French locale', () => {
    const cells = { A1: '3,14159' };
    expect(value({ ...cells, B1: '=ARRONDI(A1*1,5;2)' }, 'B1', true)).to.equal(4.71);
    expect(value({ ...cells, B1: '=ARRONDI(A1;2)*1,5' }, 'B1', true)).to.equal(4.71);
    expect(value({ ...cells, B1: '=SOMME(0,5;A1;,5)' }, 'B1', true)).to.equal(4.14159);
    expect(value({ ...cells, B1: '=ARRONDI(2,345;2)' }, 'B1', true)).to.equal(2.35);
    expect(value({ ...cells, B1: '=ROUND(2.345,2)' }, 'B1', false)).to.equal(2.35);
    expect(shiftFormula('=ARRONDI(A1*1,5;2)', 1, 0, { decimalComma: true })).to.equal('=ARRONDI(A2*1,5;2)');
  });

  it('evaluates IF lazily and with two or three arguments', () => {
    expect(value({ A1: '=IF(TRUE,1,1/0)' }, 'A1')).to.equal(1);
    expect(value({ A1: '=IF(1>2,"yes")' }, 'A1')).to.equal(false);
    expect(value({ A1: '=IF("x",1,2)' }, 'A1')).to.equal('#VALUE!');
    expect(value({ A1: '=IF(AND(1,OR(0,1),NOT(0)),"ok","ko")' }, 'A1')).to.equal('ok');
  });

  it('matches COUNTIF / SUMIF criteria: comparisons, equality, wildcards, case-insensitive text', () => {
    expect(criterionMatcher('>=10')(10)).to.equal(true);
    expect(criterionMatcher('<>5')(5)).to.equal(false);
    expect(criterionMatcher('Pro')('pro')).to.equal(true);
    expect(criterionMatcher('Du*')('Dupont')).to.equal(true);
    expect(criterionMatcher('D?pont')('Dupont')).to.equal(true);
    expect(criterionMatcher('<>Lyon')('Lille')).to.equal(true);
    expect(criterionMatcher(7)(7)).to.equal(true);
    const cells = { A1: 'Pro', A2: 'Particulier', A3: 'pro', B1: '100', B2: '50', B3: '25,5' };
    expect(value({ ...cells, C1: '=SOMME.SI(A1:A3;"Pro";B1:B3)' }, 'C1', true)).to.equal(125.5);
    expect(value({ ...cells, C1: '=SUMIF(B1:B3,">40")' }, 'C1')).to.equal(150);
    expect(value({ ...cells, C1: '=AVERAGEIF(A1:A3,"pro",B1:B3)' }, 'C1')).to.equal(62.75);
  });

  it('reports errors instead of throwing: division by zero, unknown name, bad reference, syntax, cycles', () => {
    expect(value({ A1: '=1/0' }, 'A1')).to.equal('#DIV/0!');
    expect(value({ A1: '=FOO(1)' }, 'A1')).to.equal('#NAME?');
    expect(value({ A1: '=nothing+1' }, 'A1')).to.equal('#NAME?');
    expect(value({ A1: '=1+' }, 'A1')).to.equal('#ERROR!');
    expect(value({ A1: '=SUM(1' }, 'A1')).to.equal('#ERROR!');
    expect(value({ A1: '="open' }, 'A1')).to.equal('#ERROR!');
    expect(value({ A1: '=B1', B1: '=A1' }, 'A1')).to.equal('#CYCLE!');
    expect(value({ A1: '=A1+1' }, 'A1')).to.equal('#CYCLE!');
    expect(value({ A1: '=#REF!+1' }, 'A1')).to.equal('#REF!');
    expect(value({ A1: '=1/0', B1: '=A1+1' }, 'B1')).to.equal('#DIV/0!');
  });

  it('never evaluates JavaScript', () => {
    expect(value({ A1: '=constructor.constructor("return 1")()' }, 'A1')).to.equal('#ERROR!');
    expect(value({ A1: '=__proto__' }, 'A1')).to.equal('#NAME?');
  });

  it('parses references and ranges', () => {
    expect(parseRef('$B$3')).to.deep.equal({ absCol: true, col: 1, absRow: true, row: 2 });
    expect(parseRef('c10')).to.deep.equal({ absCol: false, col: 2, absRow: false, row: 9 });
    expect(parseRef('B')).to.equal(null);
    expect(expandRange('A1:B2')).to.deep.equal(['A1', 'B1', 'A2', 'B2']);
    expect(expandRange('B2:A1')).to.deep.equal(['A1', 'B1', 'A2', 'B2']);
    expect(() => expandRange('A0:B2')).to.throw(RangeError);
  });

  it('shifts relative references when a formula is copied and keeps absolute ones', () => {
    expect(shiftFormula('=A1+$B2+C$3+$D$4', 1, 1)).to.equal('=B2+$B3+D$3+$D$4');
    expect(shiftFormula('=SUM(A1:A3)*$G$1', 2, 0)).to.equal('=SUM(A3:A5)*$G$1');
    expect(shiftFormula('=A1', -1, 0)).to.equal('=#REF!');
    expect(shiftFormula('="A1"&A1', 1, 0)).to.equal('="A1"&A2');
  });

  it('copies a cell over a range, like copy then paste', () => {
    let sheet = sheetWith({ B2: '10', B3: '20', B4: '30', G1: '0.2', C2: '=B2*(1+$G$1)' });
    sheet = copyCells(sheet, 'C2', 'C3:C4');
    expect(sheet.cells.C3).to.equal('=B3*(1+$G$1)');
    expect(sheet.cells.C4).to.equal('=B4*(1+$G$1)');
    expect(valueOf(sheet, 'C4')).to.equal(36);
    sheet = copyCells(sheet, 'B2:B3', 'D2:D5');
    expect([sheet.cells.D2, sheet.cells.D3, sheet.cells.D4, sheet.cells.D5]).to.deep.equal([
      '10',
      '20',
      '10',
      '20',
    ]);
  });

  it('reads typed constants in both locales', () => {
    expect(parseConstant('1 234,5')).to.equal(1234.5);
    expect(parseConstant('12.5')).to.equal(12.5);
    expect(parseConstant('20%')).to.equal(0.2);
    expect(parseConstant('12 rue')).to.equal('12 rue');
    expect(parseConstant('')).to.equal(null);
  });

  it('displays values with the locale decimal separator', () => {
    expect(displayValue(2.5, 'fr')).to.equal('2,5');
    expect(displayValue(2.5, 'en')).to.equal('2.5');
    expect(displayValue(0.1 + 0.2, 'en')).to.equal('0.3');
    expect(displayValue(true, 'fr')).to.equal('VRAI');
    expect(displayValue(null, 'fr')).to.equal('');
  });

  it('reports cells as formula, value or empty, with a probe that tells a formula from a copied value', () => {
    let sheet = sheetWith({ B2: '10', G1: '0.2', C2: '=B2*(1+$G$1)', C3: '12' });
    expect(sheetAnswer(sheet, 'C2:C4')).to.equal('C2=f:12;C3=v:12;C4=e:');
    expect(sheetAnswer(sheet, { cells: 'C2', probe: { G1: '0.1' } })).to.equal('C2=f:12|probe:C2=f:11');
    sheet = setCell(sheet, 'C2', '=B2*1.2');
    expect(sheetAnswer(sheet, { cells: 'C2', probe: { G1: '0.1' } })).to.equal('C2=f:12|probe:C2=f:12');
  });

  it('computes every cell of a sheet once, including cells only referenced', () => {
    const values = computeSheet(sheetWith({ A1: '=A2*2', A2: '=3' }));
    expect(values.get('A1')).to.equal(6);
    expect(values.get('A2')).to.equal(3);
  });
});
