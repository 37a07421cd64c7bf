import { LaunchRefusal } from './launch-failures.js';

/**
 * Checks on a verified id_token's claims that ltijs 5.9.9 skips or does loosely (see
 * docs/adr/0003-ltijs-hardening.md). Pure: the clock is a parameter.
 */

export const LTI_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
export const MAX_ID_TOKEN_BYTES = 64 * 1024;
/** Tolerated difference between the platform's clock and ours, in seconds. */
export const CLOCK_SKEW_SECONDS = 30;
/** How old an id_token may be (from its iat), in seconds. */
export const TOKEN_MAX_AGE_SECONDS = 60;

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export type Claims = Readonly<Record<string, unknown>>;

export function claim(claims: Claims, name: string): unknown {
  return claims[`${LTI_CLAIM}${name}`];
}

export function assertTokenSize(token: string): void {
  if (Buffer.byteLength(token, 'utf8') > MAX_ID_TOKEN_BYTES) {
    throw new LaunchRefusal('TOKEN_TOO_LARGE', `over ${MAX_ID_TOKEN_BYTES} bytes`);
  }
}

/**
 * The audience rules of the 1EdTech Security Framework §5.1.3 (steps 3 to 5): aud must list our
 * client id, and may list no other audience, since we trust none; with several entries azp is
 * required, and azp, when present, must be our client id.
 */
export function assertAudience(claims: Claims, clientId: string): void {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(clientId)) throw new LaunchRefusal('BAD_AUDIENCE');
  if (claims.azp !== undefined && claims.azp !== clientId) throw new LaunchRefusal('BAD_AZP');
  if (audiences.some((audience) => audience !== clientId)) {
    throw new LaunchRefusal('BAD_AUDIENCE', 'untrusted extra audience');
  }
  if (audiences.length > 1 && claims.azp === undefined)
    throw new LaunchRefusal('BAD_AZP', 'several audiences and no azp');
}

/** exp is required and not past; iat is required, not in the future beyond the skew, and recent. */
export function assertTimes(claims: Claims, nowSeconds: number): void {
  const { exp, iat } = claims;
  if (typeof exp !== 'number' || typeof iat !== 'number')
    throw new LaunchRefusal('MISSING_CLAIM', 'exp or iat');
  if (nowSeconds > exp + CLOCK_SKEW_SECONDS) throw new LaunchRefusal('EXPIRED');
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new LaunchRefusal('ISSUED_IN_FUTURE');
  if (nowSeconds - iat > TOKEN_MAX_AGE_SECONDS + CLOCK_SKEW_SECONDS) throw new LaunchRefusal('TOO_OLD');
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The LTI Core 1.3 required claims, with a precise reason for each. */
export function assertLtiClaims(claims: Claims): MessageType {
  const version = claim(claims, 'version');
  if (version === undefined) throw new LaunchRefusal('MISSING_CLAIM', 'version');
  if (version !== '1.3.0') throw new LaunchRefusal('BAD_VERSION', String(version));
  const messageType = claim(claims, 'message_type');
  if (messageType === undefined) throw new LaunchRefusal('MISSING_CLAIM', 'message_type');
  if (!MESSAGE_TYPES.includes(messageType as MessageType)) {
    throw new LaunchRefusal('BAD_MESSAGE_TYPE', String(messageType));
  }
  if (!nonEmptyString(claims.nonce)) throw new LaunchRefusal('MISSING_CLAIM', 'nonce');
  if (!nonEmptyString(claims.sub)) throw new LaunchRefusal('MISSING_CLAIM', 'sub');
  if (!Array.isArray(claim(claims, 'roles'))) throw new LaunchRefusal('MISSING_CLAIM', 'roles');
  if (!nonEmptyString(claim(claims, 'deployment_id')))
    throw new LaunchRefusal('MISSING_CLAIM', 'deployment_id');
  if (messageType === 'LtiResourceLinkRequest') {
    const resourceLink = claim(claims, 'resource_link') as { id?: unknown } | undefined;
    if (!resourceLink || !nonEmptyString(resourceLink.id))
      throw new LaunchRefusal('MISSING_CLAIM', 'resource_link');
    if (!nonEmptyString(claim(claims, 'target_link_uri')))
      throw new LaunchRefusal('MISSING_CLAIM', 'target_link_uri');
  }
  if (messageType === 'LtiDeepLinkingRequest') {
    const settings = claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as
      { deep_link_return_url?: unknown } | undefined;
    if (!settings || !nonEmptyString(settings.deep_link_return_url)) {
      throw new LaunchRefusal('MISSING_CLAIM', 'deep_linking_settings');
    }
  }
  return messageType as MessageType;
}

/**
 * The URL the platform launched must be the URL that received the launch (LTI Core §5.1.1.5 asks the
 * tool to verify target_link_uri). Compared without query string and trailing slash, case-insensitively
 * on scheme and host only.
 */
export function sameLaunchUrl(targetLinkUri: string, receivedUrl: string): boolean {
  const normalise = (value: string) => {
    try {
      const url = new URL(value);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return undefined;
    }
  };
  const target = normalise(targetLinkUri);
  return target !== undefined && target === normalise(receivedUrl);
}
