import { expect } from 'chai';
import {
  characterClasses,
  checkPolicy,
  estimateStrength,
  passwordAnswer,
} from '../../../public/simulators/password-checker/logic.js';

describe('simulators: password strength estimate', () => {
  it('rates very common passwords, even with substitutions, as very weak', () => {
    for (const password of ['azerty', '123456789', 'P@ssw0rd', 'Soleil2024!', 'motdepasse']) {
      expect(estimateStrength(password).score, password).to.equal(0);
    }
    expect(estimateStrength('P@ssw0rd').feedback).to.include('common');
  });

  it('detects sequences, keyboard runs, repeats and years', () => {
    expect(estimateStrength('abcdefgh').feedback).to.include('sequence');
    expect(estimateStrength('qsdfghjk').feedback).to.include('sequence');
    expect(estimateStrength('aaaaaaaaaa').feedback).to.include('repeat');
    expect(estimateStrength('Zq!1987').feedback).to.include('year');
  });

  it("penalises the user's own details", () => {
    const withName = estimateStrength('CamilleRousseau!', { userInputs: ['Camille Rousseau'] });
    const without = estimateStrength('CamilleRousseau!');
    expect(withName.bits).to.be.lessThan(without.bits);
    expect(withName.feedback).to.include('personal');
  });

  it('rates long random passwords and long passphrases as strong or better', () => {
    expect(estimateStrength('k9#Qm2!vLp7x').score).to.be.at.least(3);
    expect(estimateStrength('cactus-violon-orage-lapin').score).to.equal(4);
    expect(estimateStrength('lune-bateau').score).to.be.lessThan(3);
  });

  it('grows with length for random characters', () => {
    const short = estimateStrength('xK7!q');
    const long = estimateStrength('xK7!qRw2#mZ9');
    expect(long.bits).to.be.greaterThan(short.bits);
    expect(estimateStrength('').feedback).to.deep.equal(['empty']);
  });

  it('classifies characters', () => {
    expect(characterClasses('aB3!')).to.deep.equal({ lower: true, upper: true, digit: true, symbol: true });
    expect(characterClasses('éÉ')).to.deep.equal({ lower: true, upper: true, digit: false, symbol: false });
  });
});

describe('simulators: password policy', () => {
  const policy = {
    minLength: 12,
    minClasses: 3,
    forbidPersonal: true,
    forbidCommon: true,
    minScore: 3,
    confirm: true,
  };
  const userInputs = ['Camille', 'Rousseau', '1990'];

  it('lists each rule in a fixed order with whether it is met', () => {
    const rules = checkPolicy('Rousseau2025!', policy, { userInputs, confirmation: '' });
    expect(rules.map((rule) => rule.id)).to.deep.equal([
      'length',
      'classes',
      'personal',
      'common',
      'strength',
      'confirm',
    ]);
    expect(passwordAnswer(rules)).to.equal('unmet:personal,strength,confirm');
  });

  it('accepts a password that meets every rule, and the answer never contains the password', () => {
    const password = 'cactus-Violon-orage-42';
    const rules = checkPolicy(password, policy, { userInputs, confirmation: password });
    const answer = passwordAnswer(rules);
    expect(answer).to.equal('unmet:none');
    expect(answer).to.not.contain(password);
  });

  it('refuses a previous password and a password missing a required class', () => {
    const rules = checkPolicy('Lumen2024!', {
      forbidPrevious: ['lumen2024!'],
      requireClasses: ['symbol', 'digit'],
    });
    expect(passwordAnswer(rules)).to.equal('unmet:previous');
    expect(passwordAnswer(checkPolicy('abcdef', { requireClasses: ['upper'] }))).to.equal('unmet:upper');
  });
});
