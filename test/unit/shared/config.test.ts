import { expect } from 'chai';
import { ConfigError, parseConfig } from '../../../src/shared/config/config.js';

function problemsOf(environment: Record<string, string>): readonly string[] {
  try {
    parseConfig(environment);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('Unit | Shared | config', () => {
  it('gives every documented default when the environment is empty', () => {
    const config = parseConfig({});
    expect(config).to.deep.include({
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      logLevel: 'debug',
      mongodbUri: undefined,
      dataDir: './data',
      expiryJobIntervalMs: 60_000,
      gradeWorkerIntervalMs: 5000,
      trustProxy: false,
    });
    expect(config.scoring).to.deep.equal({ maxReachableLevel: 6, improveAfterDays: 4, resetAfterDays: 7 });
    expect(config.demoLms).to.deep.equal({ enabled: true, port: 3001 });
    expect(config.tls).to.equal(undefined);
    expect(config.lti.usesDevelopmentKey).to.equal(true);
    expect(config.exportTimeZone).to.equal('Europe/Paris');
  });

  it("takes the CSV exports' time zone from EXPORT_TIME_ZONE, and refuses one the runtime does not know", () => {
    expect(parseConfig({ EXPORT_TIME_ZONE: 'America/Montreal' }).exportTimeZone).to.equal('America/Montreal');
    expect(problemsOf({ EXPORT_TIME_ZONE: 'Mars/Olympus_Mons' })).to.deep.equal([
      'EXPORT_TIME_ZONE: must be an IANA time zone such as Europe/Paris (got "Mars/Olympus_Mons")',
    ]);
  });

  it('reads and converts valid values', () => {
    const config = parseConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://tool.example.org/',
      MONGODB_URI: 'mongodb://db.example.org:27017/pix',
      MAX_REACHABLE_LEVEL: '8',
      TRUST_PROXY: 'true',
      LTI_ENCRYPTION_KEY: 'k'.repeat(40),
    });
    expect(config.port).to.equal(8080);
    expect(config.publicUrl).to.equal('https://tool.example.org');
    expect(config.scoring.maxReachableLevel).to.equal(8);
    expect(config.trustProxy).to.equal(true);
    expect(config.lti).to.deep.equal({ encryptionKey: 'k'.repeat(40), usesDevelopmentKey: false });
  });

  it('refuses a non-numeric PORT with one line naming PORT and the bad value', () => {
    expect(problemsOf({ PORT: 'abc' })).to.deep.equal([
      'PORT: must be a whole number from 0 to 65535 (got "abc")',
    ]);
  });

  it('gives one line per bad variable', () => {
    const problems = problemsOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      MAX_REACHABLE_LEVEL: '9',
      TRUST_PROXY: 'maybe',
    });
    expect(problems).to.have.length(4);
    expect(problems.map((line) => line.split(':')[0])).to.have.members([
      'PORT',
      'LOG_LEVEL',
      'MAX_REACHABLE_LEVEL',
      'TRUST_PROXY',
    ]);
  });

  it('runs the demo LMS in development only, and refuses it in production', () => {
    expect(parseConfig({ NODE_ENV: 'test' }).demoLms.enabled).to.equal(false);
    expect(parseConfig({ NODE_ENV: 'test', DEMO_LMS: 'true' }).demoLms.enabled).to.equal(true);
    expect(problemsOf({ NODE_ENV: 'production', DEMO_LMS: 'true' }).join('\n')).to.include(
      'DEMO_LMS: cannot be on in production',
    );
  });

  it('needs both TLS files or neither', () => {
    expect(parseConfig({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem' }).tls).to.deep.equal({
      certFile: 'c.pem',
      keyFile: 'k.pem',
    });
    expect(problemsOf({ TLS_CERT_FILE: 'c.pem' })).to.deep.equal([
      'TLS_KEY_FILE: is needed too: give both TLS files or neither',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ PORT: '', MONGODB_URI: '' })).to.include({ port: 3000, mongodbUri: undefined });
  });

  it('requires a real key, a database and a public URL in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((line) => line.split(':')[0])).to.have.members([
      'LTI_ENCRYPTION_KEY',
      'MONGODB_URI',
      'PUBLIC_URL',
    ]);
  });

  it('names a bad secret without printing its value', () => {
    const [problem] = problemsOf({
      MONGODB_URI: 'postgres://user:hunter2@db/x',
      LTI_ENCRYPTION_KEY: 'short',
    }).filter((line) => line.startsWith('MONGODB_URI'));
    expect(problem).to.match(/^MONGODB_URI: must be a mongodb/);
    expect(problem).not.to.include('hunter2');
    expect(problemsOf({ LTI_ENCRYPTION_KEY: 'short-secret' }).join('\n')).not.to.include('short-secret');
  });
});
