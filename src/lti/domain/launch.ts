import { resolveLocale, type Locale } from '../../shared/domain/locale.js';
import { claim, type Claims, type MessageType } from './id-token-checks.js';
import { isTestUser, launchRoleOf, type LaunchRole } from './roles.js';

/** What a verified launch tells us, in our own terms. Built once, stored with the launch's session. */
export interface Launch {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  /** The platform's user id (`sub`), stable for a user of that platform. */
  readonly userId: string;
  /** issuer + sub: the learner's identity across every course of the platform. */
  readonly learnerKey: string;
  readonly role: LaunchRole;
  readonly roles: readonly string[];
  readonly testUser: boolean;
  readonly locale: Locale;
  readonly name?: string;
  /** `given_name` and `family_name`, when the LMS shares them (the dashboard sorts and exports by them). */
  readonly givenName?: string;
  readonly familyName?: string;
  readonly email?: string;
  /**
   * The learner's id in the institution's records: the LIS claim's `person_sourcedid`, else the
   * `external_id` custom parameter. Shown in the instructor's dashboard and CSV export.
   */
  readonly externalId?: string;
  readonly context?: { readonly id: string; readonly title?: string };
  readonly resourceLink?: { readonly id: string; readonly title?: string };
  readonly messageType: MessageType;
  /** Custom parameters as name/value pairs (names may contain dots, so never object keys in storage). */
  readonly custom: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly ags?: {
    readonly lineItems?: string;
    readonly lineItem?: string;
    readonly scopes: readonly string[];
  };
  readonly nrps?: { readonly membershipsUrl: string };
  readonly deepLinking?: {
    readonly returnUrl: string;
    readonly acceptTypes: readonly string[];
    readonly acceptMultiple: boolean;
    readonly acceptLineItem: boolean;
    readonly data?: string;
  };
  readonly returnUrl?: string;
}

export function learnerKeyOf(issuer: string, userId: string): string {
  return `${issuer}#${userId}`;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The `external_id` custom parameter, unless the LMS left a substitution variable unexpanded ($…). */
function customExternalId(value: unknown): string | undefined {
  const raw = typeof value === 'number' ? String(value) : text(value);
  return raw === undefined || raw.startsWith('$') ? undefined : raw.trim() || undefined;
}

/** Builds a Launch from claims that passed validation (see id-token-checks.ts and ltijs-hardening.ts). */
export function launchFromClaims(claims: Claims, clientId: string): Launch {
  const issuer = claims.iss as string;
  const userId = claims.sub as string;
  const roles = (claim(claims, 'roles') as unknown[]).filter(
    (role): role is string => typeof role === 'string',
  );
  const presentation = (claim(claims, 'launch_presentation') ?? {}) as Record<string, unknown>;
  const context = claim(claims, 'context') as Record<string, unknown> | undefined;
  const resourceLink = claim(claims, 'resource_link') as Record<string, unknown> | undefined;
  const custom = (claim(claims, 'custom') ?? {}) as Record<string, unknown>;
  const ags = claims['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as
    Record<string, unknown> | undefined;
  const nrps = claims['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] as
    Record<string, unknown> | undefined;
  const deepLinking = claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as
    Record<string, unknown> | undefined;
  const name =
    text(claims.name) ??
    ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ') || undefined);
  const contextId = text(context?.id);
  const resourceLinkId = text(resourceLink?.id);
  const lis = claim(claims, 'lis') as Record<string, unknown> | undefined;
  const externalId = text(lis?.person_sourcedid) ?? customExternalId(custom.external_id);
  const givenName = text(claims.given_name);
  const familyName = text(claims.family_name);
  const membershipsUrl = text(nrps?.context_memberships_url);
  const returnUrl = text(deepLinking?.deep_link_return_url);

  return {
    issuer,
    clientId,
    deploymentId: claim(claims, 'deployment_id') as string,
    userId,
    learnerKey: learnerKeyOf(issuer, userId),
    role: launchRoleOf(roles),
    roles,
    testUser: isTestUser(roles),
    locale: resolveLocale(text(presentation.locale)),
    ...(name && { name }),
    ...(givenName && { givenName }),
    ...(familyName && { familyName }),
    ...(text(claims.email) && { email: text(claims.email) }),
    ...(externalId && { externalId }),
    ...(contextId && {
      context: { id: contextId, ...(text(context?.title) && { title: text(context?.title) }) },
    }),
    ...(resourceLinkId && {
      resourceLink: {
        id: resourceLinkId,
        ...(text(resourceLink?.title) && { title: text(resourceLink?.title) }),
      },
    }),
    messageType: claim(claims, 'message_type') as MessageType,
    custom: Object.entries(custom)
      .filter(
        ([, value]) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
      )
      .map(([key, value]) => ({ name: key, value: String(value) })),
    ...(ags && {
      ags: {
        ...(text(ags.lineitems) && { lineItems: text(ags.lineitems) }),
        ...(text(ags.lineitem) && { lineItem: text(ags.lineitem) }),
        scopes: Array.isArray(ags.scope)
          ? ags.scope.filter((scope): scope is string => typeof scope === 'string')
          : [],
      },
    }),
    ...(membershipsUrl && { nrps: { membershipsUrl } }),
    ...(returnUrl && {
      deepLinking: {
        returnUrl,
        acceptTypes: Array.isArray(deepLinking?.accept_types)
          ? deepLinking.accept_types.filter((type): type is string => typeof type === 'string')
          : [],
        acceptMultiple: deepLinking?.accept_multiple === true || deepLinking?.accept_multiple === 'true',
        acceptLineItem: deepLinking?.accept_lineitem !== false && deepLinking?.accept_lineitem !== 'false',
        ...(text(deepLinking?.data) && { data: text(deepLinking?.data) }),
      },
    }),
    ...(text(presentation.return_url) && { returnUrl: text(presentation.return_url) }),
  };
}

export function customParameter(launch: Launch, name: string): string | undefined {
  return launch.custom.find((entry) => entry.name === name)?.value;
}
