import { CLAIM, LTI_VERSION, MESSAGE_TYPE } from './constants.js';
import type { JwtPayload } from './jws.js';

/**
 * Pure checks of what a tool sends to the platform: the RFC 7523 client assertion of a token
 * request, and the LtiDeepLinkingResponse JWT. Signatures are verified elsewhere; these functions
 * check claims and return readable error messages (an empty list means valid).
 */

function audienceIncludes(aud: unknown, expected: string): boolean {
  return aud === expected || (Array.isArray(aud) && aud.includes(expected));
}

export interface ClientAssertionExpectations {
  clientId: string;
  /** The audiences accepted: the token endpoint URL (and the authorization server id, if any). */
  audiences: string[];
  nowSeconds: number;
  /** True if this jti was already used (replay). */
  jtiSeen: (jti: string) => boolean;
  /** Tolerance for clocks, in seconds. */
  skewSeconds?: number;
}

export function checkClientAssertion(payload: JwtPayload, expected: ClientAssertionExpectations): string[] {
  const errors: string[] = [];
  const skew = expected.skewSeconds ?? 5;
  if (payload.iss !== expected.clientId) errors.push(`iss must be the client id ${expected.clientId}`);
  if (payload.sub !== expected.clientId) errors.push(`sub must be the client id ${expected.clientId}`);
  if (!expected.audiences.some((audience) => audienceIncludes(payload.aud, audience))) {
    errors.push(
      `aud must be the token endpoint (${expected.audiences.join(' or ')}), got ${JSON.stringify(payload.aud)}`,
    );
  }
  if (typeof payload.exp !== 'number') errors.push('exp is required');
  else if (payload.exp + skew <= expected.nowSeconds) errors.push('the client assertion has expired');
  if (
    payload.iat !== undefined &&
    (typeof payload.iat !== 'number' || payload.iat > expected.nowSeconds + skew)
  ) {
    errors.push('iat is in the future');
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') errors.push('jti is required');
  else if (expected.jtiSeen(payload.jti)) errors.push(`jti ${payload.jti} was already used`);
  return errors;
}

export function parseScopes(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(/\s+/).filter((value) => value !== '') : [];
}

export type ScopePolicy = 'reject' | 'narrow';

/**
 * `reject`: any scope not allowed makes the request fail (invalid_scope); `narrow`: only the
 * allowed scopes are granted (what Moodle does), failing only when none is left.
 */
export function grantScopes(
  requested: string[],
  allowed: readonly string[],
  policy: ScopePolicy,
): { granted: string[] } | { error: string } {
  if (requested.length === 0) return { error: 'scope is required' };
  const refused = requested.filter((scope) => !allowed.includes(scope));
  if (policy === 'reject' && refused.length > 0) return { error: `scope not allowed: ${refused.join(' ')}` };
  const granted = requested.filter((scope) => allowed.includes(scope));
  if (granted.length === 0) return { error: `no requested scope is allowed: ${requested.join(' ')}` };
  return { granted };
}

export interface LtiResourceLinkItem {
  type: 'ltiResourceLink';
  url?: string;
  title?: string;
  text?: string;
  custom?: Record<string, string>;
  lineItem?: { scoreMaximum: number; label?: string; resourceId?: string; tag?: string };
  [other: string]: unknown;
}

export type ContentItem = LtiResourceLinkItem | ({ type: string } & Record<string, unknown>);

export interface DeepLinkingExpectations {
  clientId: string;
  platformIssuer: string;
  deploymentId: string;
  /** The `data` of the request settings, which must be echoed; undefined when none was sent. */
  data: string | undefined;
  acceptTypes: string[];
  acceptMultiple: boolean;
  acceptLineItem: boolean;
  nowSeconds: number;
  skewSeconds?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkResourceLinkItem(
  item: Record<string, unknown>,
  index: number,
  acceptLineItem: boolean,
): string[] {
  const errors: string[] = [];
  const at = `content_items[${index}]`;
  if (item.url !== undefined) {
    if (typeof item.url !== 'string' || !URL.canParse(item.url))
      errors.push(`${at}.url must be an absolute URL`);
  }
  for (const field of ['title', 'text'] as const) {
    if (item[field] !== undefined && typeof item[field] !== 'string')
      errors.push(`${at}.${field} must be a string`);
  }
  if (item.custom !== undefined) {
    if (!isRecord(item.custom)) errors.push(`${at}.custom must be an object`);
    else {
      for (const [key, value] of Object.entries(item.custom)) {
        if (typeof value !== 'string') errors.push(`${at}.custom.${key} must be a string`);
      }
    }
  }
  if (item.lineItem !== undefined) {
    if (!acceptLineItem) errors.push(`${at}.lineItem is not accepted (accept_lineitem is false)`);
    if (!isRecord(item.lineItem)) errors.push(`${at}.lineItem must be an object`);
    else {
      const { scoreMaximum, label, resourceId, tag } = item.lineItem;
      if (typeof scoreMaximum !== 'number' || !(scoreMaximum > 0)) {
        errors.push(`${at}.lineItem.scoreMaximum is required (a number > 0)`);
      }
      for (const [name, value] of Object.entries({ label, resourceId, tag })) {
        if (value !== undefined && typeof value !== 'string')
          errors.push(`${at}.lineItem.${name} must be a string`);
      }
    }
  }
  return errors;
}

export function checkDeepLinkingResponse(
  payload: JwtPayload,
  expected: DeepLinkingExpectations,
): { errors: string[]; contentItems: ContentItem[] } {
  const errors: string[] = [];
  const skew = expected.skewSeconds ?? 60;
  if (payload.iss !== expected.clientId) errors.push(`iss must be the client id ${expected.clientId}`);
  if (!audienceIncludes(payload.aud, expected.platformIssuer)) {
    errors.push(`aud must be the platform issuer ${expected.platformIssuer}`);
  }
  if (typeof payload.nonce !== 'string' || payload.nonce === '') errors.push('nonce is required');
  if (typeof payload.exp !== 'number') errors.push('exp is required');
  else if (payload.exp <= expected.nowSeconds) errors.push('the deep linking response has expired');
  if (typeof payload.iat !== 'number') errors.push('iat is required');
  else if (payload.iat > expected.nowSeconds + skew) errors.push('iat is in the future');
  if (payload[CLAIM.messageType] !== MESSAGE_TYPE.deepLinkingResponse) {
    errors.push(`message_type must be ${MESSAGE_TYPE.deepLinkingResponse}`);
  }
  if (payload[CLAIM.version] !== LTI_VERSION) errors.push(`version must be ${LTI_VERSION}`);
  if (payload[CLAIM.deploymentId] !== expected.deploymentId) {
    errors.push(
      `deployment_id must be ${expected.deploymentId}, got ${JSON.stringify(payload[CLAIM.deploymentId])}`,
    );
  }
  if (expected.data !== undefined && payload[CLAIM.dlData] !== expected.data) {
    errors.push(
      `data must echo the request's data (${expected.data}), got ${JSON.stringify(payload[CLAIM.dlData])}`,
    );
  }
  const rawItems = payload[CLAIM.dlContentItems] ?? [];
  const contentItems: ContentItem[] = [];
  if (!Array.isArray(rawItems)) {
    errors.push('content_items must be an array');
  } else {
    if (!expected.acceptMultiple && rawItems.length > 1) {
      errors.push(`${rawItems.length} content items returned but accept_multiple is false`);
    }
    rawItems.forEach((item: unknown, index) => {
      if (!isRecord(item) || typeof item.type !== 'string') {
        errors.push(`content_items[${index}] must be an object with a type`);
        return;
      }
      if (!expected.acceptTypes.includes(item.type)) {
        errors.push(`content_items[${index}].type ${item.type} is not in accept_types`);
        return;
      }
      if (item.type === 'ltiResourceLink')
        errors.push(...checkResourceLinkItem(item, index, expected.acceptLineItem));
      contentItems.push(item as ContentItem);
    });
  }
  return { errors, contentItems };
}
