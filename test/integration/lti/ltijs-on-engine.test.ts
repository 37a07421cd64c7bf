import { expect } from 'chai';
import ltijs from 'ltijs';
import { freshDatabaseUri } from '../../support/database.js';

/**
 * ltijs 5.9.9 brings its own mongoose 7 and registers its models on that module's default
 * connection. This proves it works on the engine the tests run on. ltijs's Provider is a
 * process-wide singleton: it can be set up once per mocha process.
 */
describe('Integration | LTI | ltijs 5.9.9 on the engine', function () {
  this.timeout(60_000);
  const lti = ltijs.Provider;

  before(async () => {
    lti.setup(
      'integration-test-encryption-key-0123456789',
      { url: freshDatabaseUri('ltijs') },
      { cookies: { secure: false, sameSite: '' }, devMode: false, tokenMaxAge: 60 },
    );
    await lti.deploy({ serverless: true, silent: true });
  });

  after(async () => {
    await lti.close({ silent: true });
  });

  it('registers a platform and reads it back', async () => {
    const registered = await lti.registerPlatform({
      url: 'https://moodle.example.org',
      name: 'Moodle de test',
      clientId: 'client-42',
      authenticationEndpoint: 'https://moodle.example.org/mod/lti/auth.php',
      accesstokenEndpoint: 'https://moodle.example.org/mod/lti/token.php',
      authConfig: { method: 'JWK_SET', key: 'https://moodle.example.org/mod/lti/certs.php' },
    });
    const kid = await registered.platformKid();
    expect(kid).to.match(/^[0-9a-f]{32}$/);

    const platform = await lti.getPlatform('https://moodle.example.org', 'client-42');
    expect(platform).not.to.equal(false);
    if (!platform) return;
    expect(await platform.platformName()).to.equal('Moodle de test');
    expect(await platform.platformClientId()).to.equal('client-42');
    expect(await platform.platformKid()).to.equal(kid);
    // A mongoose sub-document: compare its plain properties.
    expect(await platform.platformAuthConfig()).to.include({
      method: 'JWK_SET',
      key: 'https://moodle.example.org/mod/lti/certs.php',
    });
    // The tool's key pair is stored encrypted and its public half is readable.
    expect(await platform.platformPublicKey()).to.match(/BEGIN PUBLIC KEY/);
  });

  it('updates a registration in place when the same (issuer, client id) is registered again', async () => {
    await lti.registerPlatform({
      url: 'https://moodle.example.org',
      name: 'Moodle renamed',
      clientId: 'client-42',
      authenticationEndpoint: 'https://moodle.example.org/mod/lti/auth.php',
      accesstokenEndpoint: 'https://moodle.example.org/mod/lti/token.php',
      authConfig: { method: 'JWK_SET', key: 'https://moodle.example.org/mod/lti/certs.php' },
    });
    const all = await lti.getAllPlatforms();
    expect(all).to.have.length(1);
    expect(await all[0]?.platformName()).to.equal('Moodle renamed');
  });

  it('answers false for an unknown platform and deletes a known one', async () => {
    expect(await lti.getPlatform('https://unknown.example.org', 'nobody')).to.equal(false);
    await lti.deletePlatform('https://moodle.example.org', 'client-42');
    expect(await lti.getPlatform('https://moodle.example.org', 'client-42')).to.equal(false);
  });
});
