import { expect } from 'chai';
import { parseConfig, type ConfigError } from '../../../src/shared/config/config.js';

function problemsOf(raw: Record<string, string>): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
}

describe('Unit | LTI | platform administration: configuration', () => {
  it('has no admin password and no auto-activation by default', () => {
    const config = parseConfig({});
    expect(config.adminPassword).to.equal(undefined);
    expect(config.dynamicRegistration).to.deep.equal({ autoActivate: false });
  });

  it('reads ADMIN_PASSWORD (12 characters at least) and LTI_DYNREG_AUTO_ACTIVATE', () => {
    const config = parseConfig({ ADMIN_PASSWORD: 'twelve chars', LTI_DYNREG_AUTO_ACTIVATE: 'true' });
    expect(config.adminPassword).to.equal('twelve chars');
    expect(config.dynamicRegistration.autoActivate).to.equal(true);
    expect(parseConfig({ ADMIN_PASSWORD: '' }).adminPassword).to.equal(undefined);
  });

  it('refuses a short ADMIN_PASSWORD without printing it', () => {
    const problems = problemsOf({ ADMIN_PASSWORD: 'hunter2' });
    expect(problems).to.deep.equal(['ADMIN_PASSWORD: must be at least 12 characters long']);
  });

  it('refuses a LTI_DYNREG_AUTO_ACTIVATE that is not a boolean', () => {
    expect(problemsOf({ LTI_DYNREG_AUTO_ACTIVATE: 'sometimes' })[0]).to.match(/^LTI_DYNREG_AUTO_ACTIVATE: /);
  });
});
