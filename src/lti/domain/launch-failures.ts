/**
 * Why a launch was refused: one stable reason code per failure, logged, counted, and turned into an
 * explanatory page. ltijs reports failures as error messages; ours are thrown with our own codes.
 */
export const LAUNCH_FAILURE_REASONS = [
  'MALFORMED_TOKEN',
  'TOKEN_TOO_LARGE',
  'MISSING_STATE',
  'STATE_MISMATCH',
  'UNKNOWN_ISSUER',
  'UNKNOWN_CLIENT',
  'PLATFORM_INACTIVE',
  'UNKNOWN_DEPLOYMENT',
  'BAD_SIGNATURE',
  'UNKNOWN_KEY',
  'BAD_ALGORITHM',
  'EXPIRED',
  'ISSUED_IN_FUTURE',
  'TOO_OLD',
  'BAD_AUDIENCE',
  'BAD_AZP',
  'NONCE_REPLAYED',
  'NONCE_NOT_ISSUED',
  'MISSING_CLAIM',
  'BAD_VERSION',
  'BAD_MESSAGE_TYPE',
  'TARGET_LINK_URI_MISMATCH',
  'PLATFORM_KEYS_UNAVAILABLE',
  'SESSION_EXPIRED',
  'LTIK_NOT_ACCEPTED',
  'UNKNOWN',
] as const;
export type LaunchFailureReason = (typeof LAUNCH_FAILURE_REASONS)[number];

/** An error thrown by our own launch checks; its message is the reason code. */
export class LaunchRefusal extends Error {
  constructor(
    readonly reason: LaunchFailureReason,
    readonly detail = '',
  ) {
    super(reason);
    this.name = 'LaunchRefusal';
  }
}

/** ltijs 5.9.9's failure messages (src/Utils/Auth.js, Provider.js) and jsonwebtoken's, by reason. */
const MESSAGE_PATTERNS: ReadonlyArray<readonly [RegExp, LaunchFailureReason]> = [
  [/^MISSING_VALIDATION_COOKIE$/, 'MISSING_STATE'],
  [/^ISS_CLAIM_DOES_NOT_MATCH$/, 'STATE_MISMATCH'],
  [/^UNREGISTERED_PLATFORM$/, 'UNKNOWN_CLIENT'],
  [/^PLATFORM_NOT_ACTIVATED$/, 'PLATFORM_INACTIVE'],
  [/^(KID_NOT_FOUND|KEY_NOT_FOUND|KEYSET_NOT_FOUND)$/, 'UNKNOWN_KEY'],
  [/^INVALID_JWT_RECEIVED$|^jwt malformed$|^invalid token$|^jwt must be provided$/, 'MALFORMED_TOKEN'],
  [/^ALG_NOT_SUPPORTED$|^invalid algorithm$|^jwt signature is required$/, 'BAD_ALGORITHM'],
  [/^invalid signature$/, 'BAD_SIGNATURE'],
  [/^jwt expired$/, 'EXPIRED'],
  [/^jwt not active$|^IAT_IN_THE_FUTURE$/, 'ISSUED_IN_FUTURE'],
  [/^TOKEN_TOO_OLD$/, 'TOO_OLD'],
  [/^AUD_DOES_NOT_MATCH_CLIENTID$|^jwt audience invalid/, 'BAD_AUDIENCE'],
  [/^(NO_AZP_CLAIM|AZP_DOES_NOT_MATCH_CLIENTID)$/, 'BAD_AZP'],
  [/^NONCE_ALREADY_RECEIVED$/, 'NONCE_REPLAYED'],
  [/^NO_NONCE$/, 'MISSING_CLAIM'],
  [/^NO_(VERSION|MESSAGE_TYPE|TARGET_LINK_URI|RESOURCE_LINK_ID|SUB|ROLES|DEPLOYMENT_ID)/, 'MISSING_CLAIM'],
  [/^WRONG_LTI_VERSION|^INVALID_LTI_VERSION|^LTI_VERSION/, 'BAD_VERSION'],
  [/^(INVALID_MESSAGE_TYPE|MESSAGE_TYPE)/, 'BAD_MESSAGE_TYPE'],
  [/^NO_LTIK_OR_IDTOKEN_FOUND$|^IDTOKEN_NOT_FOUND_DB$|^SESSION_NOT_FOUND$/, 'SESSION_EXPIRED'],
];

export function launchFailureReasonOf(message: string | undefined): LaunchFailureReason {
  if (!message) return 'UNKNOWN';
  if ((LAUNCH_FAILURE_REASONS as readonly string[]).includes(message)) return message as LaunchFailureReason;
  for (const [pattern, reason] of MESSAGE_PATTERNS) {
    if (pattern.test(message)) return reason;
  }
  return 'UNKNOWN';
}

/** 403 when the launch is well-formed but not allowed here; 401 when it cannot be authenticated. */
export function statusForLaunchFailure(reason: LaunchFailureReason): 400 | 401 | 403 | 413 {
  switch (reason) {
    case 'TOKEN_TOO_LARGE':
      return 413;
    case 'UNKNOWN_DEPLOYMENT':
    case 'PLATFORM_INACTIVE':
    case 'TARGET_LINK_URI_MISMATCH':
      return 403;
    case 'MALFORMED_TOKEN':
    case 'MISSING_CLAIM':
    case 'BAD_VERSION':
    case 'BAD_MESSAGE_TYPE':
      return 400;
    default:
      return 401;
  }
}
