import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { createJwksCache } from '../../../src/lti/infrastructure/jwks-cache.js';

describe('Unit | LTI | platform key cache (JWKS)', () => {
  const URL = 'https://lms.example.org/jwks';
  const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) };
  const keySet = { keys: [{ ...jwk, kid: 'k1', use: 'sig', alg: 'RS256' }] };

  function fakePlatform(options: { failing?: boolean } = {}) {
    let clock = 0;
    const fetched: string[] = [];
    const fetchImpl = (async (url: string) => {
      fetched.push(url);
      if (options.failing) throw new Error('connection refused');
      return new Response(JSON.stringify(keySet), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const cache = createJwksCache({
      fetchImpl,
      now: () => clock,
      ttlMs: 60_000,
      minRefreshIntervalMs: 10_000,
    });
    return { cache, fetched, advance: (ms: number) => (clock += ms) };
  }

  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('warms a missing key set in the background, and the launch then uses it without fetching', async () => {
    const { cache, fetched } = fakePlatform();
    cache.warm(URL);
    cache.warm(URL);
    await settled();
    expect(fetched).to.deep.equal([URL]);
    const key = await cache.keyFor(URL, 'k1');
    expect(key.asymmetricKeyType).to.equal('rsa');
    expect(fetched).to.have.length(1);
  });

  it('does not refetch a fresh key set, and refetches a stale one', async () => {
    const { cache, fetched, advance } = fakePlatform();
    await cache.keyFor(URL, 'k1');
    cache.warm(URL);
    await settled();
    expect(fetched).to.have.length(1);
    advance(61_000);
    cache.warm(URL);
    await settled();
    expect(fetched).to.have.length(2);
  });

  it('swallows a failing warm-up, tries again only after the refresh interval, and the launch still reports the failure', async () => {
    const { cache, fetched, advance } = fakePlatform({ failing: true });
    cache.warm(URL);
    await settled();
    cache.warm(URL);
    await settled();
    expect(fetched).to.have.length(1);
    advance(10_000);
    cache.warm(URL);
    await settled();
    expect(fetched).to.have.length(2);
    const error = await cache.keyFor(URL, 'k1').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.have.property('reason', 'PLATFORM_KEYS_UNAVAILABLE');
  });
});
