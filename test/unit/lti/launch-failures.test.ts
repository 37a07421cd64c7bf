import { expect } from 'chai';
import {
  LAUNCH_FAILURE_REASONS,
  launchFailureReasonOf,
  statusForLaunchFailure,
} from '../../../src/lti/domain/launch-failures.js';

describe('Unit | LTI | launch failure reasons', () => {
  const ltijsMessages: Array<[string, string]> = [
    ['MISSING_VALIDATION_COOKIE', 'MISSING_STATE'],
    ['ISS_CLAIM_DOES_NOT_MATCH', 'STATE_MISMATCH'],
    ['UNREGISTERED_PLATFORM', 'UNKNOWN_CLIENT'],
    ['PLATFORM_NOT_ACTIVATED', 'PLATFORM_INACTIVE'],
    ['KID_NOT_FOUND', 'UNKNOWN_KEY'],
    ['invalid signature', 'BAD_SIGNATURE'],
    ['jwt expired', 'EXPIRED'],
    ['TOKEN_TOO_OLD', 'TOO_OLD'],
    ['NONCE_ALREADY_RECEIVED', 'NONCE_REPLAYED'],
    ['NO_SUB_CLAIM', 'MISSING_CLAIM'],
    ['WRONG_LTI_VERSION_CLAIM', 'BAD_VERSION'],
    ['NO_LTIK_OR_IDTOKEN_FOUND', 'SESSION_EXPIRED'],
  ];
  for (const [message, reason] of ltijsMessages) {
    it(`maps ltijs's ${message} to ${reason}`, () => {
      expect(launchFailureReasonOf(message)).to.equal(reason);
    });
  }

  it('keeps our own reason codes as they are, and calls anything else UNKNOWN', () => {
    for (const reason of LAUNCH_FAILURE_REASONS) expect(launchFailureReasonOf(reason)).to.equal(reason);
    expect(launchFailureReasonOf('something new')).to.equal('UNKNOWN');
    expect(launchFailureReasonOf(undefined)).to.equal('UNKNOWN');
  });

  it('answers every reason with a 4xx', () => {
    for (const reason of LAUNCH_FAILURE_REASONS) {
      const status = statusForLaunchFailure(reason);
      expect(status >= 400 && status < 500, reason).to.equal(true);
    }
    expect(statusForLaunchFailure('UNKNOWN_DEPLOYMENT')).to.equal(403);
    expect(statusForLaunchFailure('TOKEN_TOO_LARGE')).to.equal(413);
    expect(statusForLaunchFailure('BAD_SIGNATURE')).to.equal(401);
    expect(statusForLaunchFailure('MISSING_CLAIM')).to.equal(400);
  });
});
