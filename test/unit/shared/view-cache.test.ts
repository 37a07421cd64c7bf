import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ejs from 'ejs';
import { PROJECT_ROOT } from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { precompileViews } from '../../../src/shared/infrastructure/view-cache.js';

describe('Unit | Shared | views compiled at start-up', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pix-lti-views-'));
    await mkdir(path.join(dir, 'partials'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    ejs.clearCache();
  });

  it('compiles every view, partials included, into the cache that cached renders read', async () => {
    await writeFile(path.join(dir, 'page.ejs'), "<p><%= name %></p><%- include('partials/end') %>");
    await writeFile(path.join(dir, 'partials', 'end.ejs'), '<footer>end</footer>');
    expect(await precompileViews(dir)).to.equal(2);
    // The cached function is used, not the file: the file now says something else.
    await writeFile(path.join(dir, 'page.ejs'), 'changed');
    const html = await ejs.renderFile(path.join(dir, 'page.ejs'), { name: 'Camille' }, { cache: true });
    expect(html).to.equal('<p>Camille</p><footer>end</footer>');
  });

  it('fails on a view that does not compile', async () => {
    await writeFile(path.join(dir, 'broken.ejs'), '<% if (x) { %>');
    const error = await precompileViews(dir).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(Error);
  });

  it("compiles the project's own views", async () => {
    expect(await precompileViews(path.join(PROJECT_ROOT, 'views'))).to.be.greaterThan(20);
  });
});
