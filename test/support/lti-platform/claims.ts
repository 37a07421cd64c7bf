import { CLAIM, LTI_VERSION, MESSAGE_TYPE, claimName, type LaunchMessageType } from './constants.js';
import type { JwtPayload } from './jws.js';

/** Pure construction of id_token payloads. Nothing here touches the network or the clock. */

export interface UserIdentity {
  id: string;
  /** Each PII field is optional: an absent one is omitted from the token (privacy settings). */
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  picture?: string;
  locale?: string;
}

export interface ContextClaim {
  id: string;
  label?: string;
  title?: string;
  type?: string[];
}

export interface ResourceLinkClaim {
  id: string;
  title?: string;
  description?: string;
}

export interface LaunchPresentationClaim {
  locale?: string;
  document_target?: 'iframe' | 'window' | 'frame';
  return_url?: string;
  width?: number;
  height?: number;
}

export interface AgsClaim {
  scope: string[];
  lineitems: string;
  lineitem?: string;
}

export interface NrpsClaim {
  context_memberships_url: string;
  service_versions: string[];
}

export interface DeepLinkingSettingsClaim {
  deep_link_return_url: string;
  accept_types: string[];
  accept_presentation_document_targets: string[];
  accept_media_types?: string;
  accept_multiple?: boolean;
  accept_lineitem?: boolean;
  auto_create?: boolean;
  title?: string;
  text?: string;
  data?: string;
}

export interface ToolPlatformClaim {
  guid: string;
  name?: string;
  contact_email?: string;
  description?: string;
  url?: string;
  product_family_code?: string;
  version?: string;
}

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  deploymentId: string;
  nonce: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  /** Lifetime in seconds (exp = iat + lifetime). */
  lifetime: number;
  messageType: LaunchMessageType;
  targetLinkUri: string;
  user: UserIdentity;
  roles: string[];
  context?: ContextClaim;
  resourceLink?: ResourceLinkClaim;
  launchPresentation?: LaunchPresentationClaim;
  custom?: Record<string, string>;
  ags?: AgsClaim;
  nrps?: NrpsClaim;
  deepLinkingSettings?: DeepLinkingSettingsClaim;
  toolPlatform?: ToolPlatformClaim;
  lis?: Record<string, unknown>;
}

/** Drops keys whose value is undefined, so that omitted fields are absent, not null. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function buildIdTokenPayload(input: IdTokenInput): JwtPayload {
  const isDeepLinking = input.messageType === MESSAGE_TYPE.deepLinkingRequest;
  const payload: JwtPayload = {
    iss: input.issuer,
    aud: input.clientId,
    sub: input.user.id,
    iat: input.issuedAt,
    exp: input.issuedAt + input.lifetime,
    nonce: input.nonce,
    ...compact({
      name: input.user.name,
      given_name: input.user.given_name,
      family_name: input.user.family_name,
      email: input.user.email,
      picture: input.user.picture,
      locale: input.user.locale,
    }),
    [CLAIM.messageType]: input.messageType,
    [CLAIM.version]: LTI_VERSION,
    [CLAIM.deploymentId]: input.deploymentId,
    [CLAIM.targetLinkUri]: input.targetLinkUri,
    [CLAIM.roles]: [...input.roles],
  };
  if (input.resourceLink && !isDeepLinking) payload[CLAIM.resourceLink] = compact({ ...input.resourceLink });
  if (input.context) payload[CLAIM.context] = compact({ ...input.context });
  if (input.toolPlatform) payload[CLAIM.toolPlatform] = compact({ ...input.toolPlatform });
  if (input.launchPresentation) payload[CLAIM.launchPresentation] = compact({ ...input.launchPresentation });
  if (input.custom) payload[CLAIM.custom] = { ...input.custom };
  if (input.lis) payload[CLAIM.lis] = { ...input.lis };
  if (input.ags) payload[CLAIM.ags] = compact({ ...input.ags, scope: [...input.ags.scope] });
  if (input.nrps) payload[CLAIM.nrps] = { ...input.nrps };
  if (isDeepLinking) {
    if (!input.deepLinkingSettings) throw new Error('A deep linking request needs deep_linking_settings');
    payload[CLAIM.deepLinkingSettings] = compact({ ...input.deepLinkingSettings });
  }
  return payload;
}

export interface ClaimOverrides {
  /** Claims to remove; short names (`roles`, `message_type`, `ags`…) or full names. */
  omit?: string[];
  /** Claims to set or replace (applied after omit); short names allowed. */
  set?: Record<string, unknown>;
  /** Extra audiences: `aud` becomes `[clientId, ...extra]`. */
  extraAudiences?: string[];
  /** `azp` value; `undefined` leaves it alone, and it is set to the client id when extra audiences are added. */
  azp?: string | null;
}

export function applyClaimOverrides(payload: JwtPayload, overrides: ClaimOverrides = {}): JwtPayload {
  const result: JwtPayload = structuredClone(payload);
  if (overrides.extraAudiences && overrides.extraAudiences.length > 0) {
    const current = Array.isArray(result.aud) ? (result.aud as unknown[]) : [result.aud];
    result.aud = [...current, ...overrides.extraAudiences];
    if (overrides.azp === undefined) result.azp = current[0];
  }
  if (overrides.azp === null) delete result.azp;
  else if (overrides.azp !== undefined) result.azp = overrides.azp;
  for (const name of overrides.omit ?? []) delete result[claimName(name)];
  for (const [name, value] of Object.entries(overrides.set ?? {})) result[claimName(name)] = value;
  return result;
}

/** Reads a claim by short or full name. */
export function claimOf(payload: JwtPayload, name: string): unknown {
  return payload[claimName(name)];
}
