import { expect } from 'chai';
import { createRosterService } from '../../../src/lti/infrastructure/roster.js';
import { createServiceClient } from '../../../src/lti/infrastructure/service-client.js';
import { serviceCredentials } from '../../../src/lti/infrastructure/lti-provider.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { always } from '../../support/lti-platform/index.js';
import { startToolWithPlatform, type ToolWithPlatform } from '../../support/tool-fixture.js';

describe('Acceptance | LTI | roster (NRPS)', function () {
  this.timeout(60_000);
  const clock = createFixedClock(Date.now());
  let tool: ToolWithPlatform;

  before(async () => {
    tool = await startToolWithPlatform('roster', { overrides: { clock, backgroundJobs: false } });
  });

  after(async () => {
    await tool?.stop();
  });

  const launchOf = (spec: Parameters<ToolWithPlatform['launchAndReadBack']>[0]) =>
    tool.launchAndReadBack(spec);

  it('fetches every page of the roster, with names, emails and least-privilege roles', async () => {
    const roster = createRosterService({
      connection: tool.server.connection,
      service: createServiceClient({ credentials: serviceCredentials, clock }),
      clock,
      pageSize: 2,
    });
    const result = await roster.rosterFor(await launchOf({ user: 'teacher-1' }));
    expect(result.available).to.equal(true);
    if (!result.available || !('fetchedAt' in result) || !result.fetchedAt)
      throw new Error('expected a roster');
    expect(
      result.members.map((member) => [member.userId, member.name, member.email, member.role]),
    ).to.deep.equal([
      ['learner-1', 'Camille Martin', 'camille@example.org', 'learner'],
      ['learner-2', 'Sacha Petit', 'sacha@example.org', 'learner'],
      ['teacher-1', 'Dominique Bernard', 'dominique@example.org', 'instructor'],
    ]);
    const pages = tool.emulator.events('nrps').length;
    expect(pages).to.be.at.least(2);
  });

  it('serves the cached roster while fresh, and the stale one, said to be stale, when the LMS fails', async () => {
    const launch = await launchOf({ user: 'teacher-1' });
    const before = tool.emulator.events('nrps').length;
    const cachedResult = await tool.server.roster.rosterFor(launch);
    const again = await tool.server.roster.rosterFor(launch);
    expect(tool.emulator.events('nrps').length - before).to.be.at.most(1);
    expect(again).to.deep.equal(cachedResult);

    tool.emulator.setFailure('nrps', always({ status: 500 }));
    clock.advance(11 * 60_000);
    const stale = await tool.server.roster.rosterFor(launch);
    tool.emulator.setFailure('nrps', undefined);
    expect(stale.available).to.equal(true);
    if (stale.available && 'stale' in stale) {
      expect(stale.stale?.error).to.match(/^HTTP 500/);
      expect(stale.members).to.have.length(3);
    } else {
      throw new Error('expected a stale roster');
    }
  });

  it('says so when the launch offers no roster: no context, or no NRPS claim', async () => {
    expect(
      await tool.server.roster.rosterFor(await launchOf({ user: 'teacher-1', courseId: null })),
    ).to.deep.equal({
      available: false,
      reason: 'no-context',
    });
    expect(
      await tool.server.roster.rosterFor(await launchOf({ user: 'teacher-1', nrps: false })),
    ).to.deep.equal({
      available: false,
      reason: 'not-offered',
    });
  });
});
