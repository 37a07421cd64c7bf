import { expect } from 'chai';
import {
  EmbeddedEngineUnavailableError,
  ensureEngineBinary,
  wrapperSourceHash,
} from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';

describe('Unit | Shared | embedded engine binary', () => {
  it('names both fixes when the engine cannot be built for lack of Go', async () => {
    let caught: unknown;
    try {
      await ensureEngineBinary({ force: true, goCommand: '/nonexistent/go-toolchain/bin/go' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(EmbeddedEngineUnavailableError);
    const message = (caught as Error).message;
    expect(message).to.include('MONGODB_URI');
    expect(message).to.match(/install Go/);
    expect(message).to.include('Go toolchain was not found');
  });

  it('keys the cached binary on the wrapper sources', async () => {
    const hash = await wrapperSourceHash();
    expect(hash).to.match(/^[0-9a-f]{64}$/);
    expect(await wrapperSourceHash()).to.equal(hash);
  });
});
