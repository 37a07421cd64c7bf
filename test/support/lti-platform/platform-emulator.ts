import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Clock } from '../../../src/shared/domain/clock.js';
import {
  applyClaimOverrides,
  buildIdTokenPayload,
  type ClaimOverrides,
  type ContextClaim,
  type DeepLinkingSettingsClaim,
  type IdTokenInput,
  type LaunchPresentationClaim,
  type ToolPlatformClaim,
  type UserIdentity,
} from './claims.js';
import {
  AGS_SCOPES,
  ALL_SCOPES,
  CLAIM,
  CLIENT_ASSERTION_TYPE,
  MEDIA_TYPE,
  MESSAGE_TYPE,
  ROLE,
  SCOPE,
  type LaunchMessageType,
} from './constants.js';
import type { FailureDecision, FailureRule, InjectedFailure, PlatformService } from './failures.js';
import {
  Gradebook,
  validateLineItem,
  validateScore,
  type CourseMember,
  type GradebookEntry,
  type LineItem,
  type MemberStatus,
  type ResourceLink,
  type ScoreRecord,
} from './gradebook.js';
import { autoSubmitForm, escapeHtml } from './html.js';
import { decodeJws, signRs256, verifyRs256Signature, type JwtPayload } from './jws.js';
import { KeyRing } from './keys.js';
import { linkHeader, paginate, pageRequestFromQuery } from './paging.js';
import { ToolKeyCache } from './tool-keys.js';
import {
  checkClientAssertion,
  checkDeepLinkingResponse,
  grantScopes,
  parseScopes,
  type ContentItem,
  type LtiResourceLinkItem,
  type ScopePolicy,
} from './tool-messages.js';

/**
 * An LTI 1.3 / LTI Advantage platform (a fake Moodle/Canvas) for tests and the local demo:
 * OIDC launch (`/auth`), JWKS with key rotation, OAuth2 client-credentials token endpoint
 * (RFC 7523), AGS line items/scores/results, NRPS memberships, the deep linking return URL,
 * failure injection and an event log. Real HTTP on 127.0.0.1, because ltijs fetches keys and
 * tokens over HTTP.
 */

// ─── Registration and configuration ────────────────────────────────────────────────────────────

export interface ToolRegistrationInput {
  clientId: string;
  /** Deployment ids of the tool in this platform; the first one is the default. */
  deploymentIds?: string[];
  /** The tool's OIDC login initiation URL (ltijs: `/login`). */
  loginUrl: string;
  /** The tool's JWKS URL (ltijs: `/keys`). */
  jwksUrl: string;
  /** Default target of resource link launches (ltijs: the app route). */
  targetLinkUri: string;
  /** Target of deep linking launches; `targetLinkUri` by default. */
  deepLinkingUrl?: string;
  /** Allowed redirect URIs; by default the target link URI and the deep linking URL. */
  redirectUris?: string[];
  /** Scopes the tool may request at the token endpoint; all AGS and NRPS scopes by default. */
  scopes?: string[];
  name?: string;
  /** Custom parameters added to every launch of the tool (as a Moodle tool type would). */
  customParameters?: Record<string, string>;
}

export interface ToolRegistration extends Required<Omit<ToolRegistrationInput, 'customParameters'>> {
  customParameters: Record<string, string>;
}

/** Registration of a tool built on ltijs's conventions, from its base URL (and route options). */
export function ltijsToolRegistration(
  toolBaseUrl: string,
  options: {
    clientId: string;
    deploymentIds?: string[];
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    extraRedirectUris?: string[];
    scopes?: string[];
    name?: string;
  },
): ToolRegistrationInput {
  const base = toolBaseUrl.replace(/\/$/, '');
  const targetLinkUri = `${base}${options.appRoute ?? '/'}`;
  return {
    clientId: options.clientId,
    deploymentIds: options.deploymentIds ?? ['1'],
    loginUrl: `${base}${options.loginRoute ?? '/login'}`,
    jwksUrl: `${base}${options.keysetRoute ?? '/keys'}`,
    targetLinkUri,
    redirectUris: [targetLinkUri, ...(options.extraRedirectUris ?? [])],
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.name ? { name: options.name } : {}),
  };
}

export interface CourseInput {
  id: string;
  label?: string;
  title?: string;
  type?: string[];
  members?: Array<{ user: string | UserIdentity; roles: string[]; status?: MemberStatus }>;
  resourceLinks?: Array<{
    id?: string;
    title?: string;
    description?: string;
    url?: string;
    custom?: Record<string, string>;
    /** A line item created for the link (as a graded activity has). */
    lineItem?: { label?: string; scoreMaximum: number; resourceId?: string; tag?: string };
  }>;
}

export interface PlatformEmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The `iss` of the platform; its base URL by default (e.g. 'https://canvas.instructure.com'). */
  issuer?: string;
  name?: string;
  productFamilyCode?: string;
  /** The emulator's clock: token times, access-token expiry, failure schedules. */
  clock?: Clock;
  /** RSA modulus length of the platform keys (2048 by default). */
  keyBits?: number;
  idTokenLifetimeSeconds?: number;
  accessTokenLifetimeSeconds?: number;
  /** What the token endpoint does with scopes the tool may not have: reject (default) or narrow. */
  scopePolicy?: ScopePolicy;
  /** Scores for users who are not members of the course get a Moodle-like 400 (default true). */
  rejectScoresOfNonMembers?: boolean;
  /** Accept scoreGiven > scoreMaximum (default false). */
  allowExtraCredit?: boolean;
  /** Query added to every service URL and then required on requests (Moodle's `?type_id=N`). */
  serviceUrlQuery?: Record<string, string>;
  /** Default `launch_presentation.locale`. */
  locale?: string;
  tools?: ToolRegistrationInput[];
  users?: UserIdentity[];
  courses?: CourseInput[];
  failures?: Partial<Record<PlatformService, FailureRule>>;
  /** PEM certificate trusted when fetching a tool's JWKS over https (a test tool's self-signed one). */
  trustedToolCa?: string;
}

/** Values a tool administrator copies from the platform (and the ltijs `registerPlatform` argument). */
export interface PlatformConfig {
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authenticationEndpoint: string;
  accessTokenEndpoint: string;
  jwksUrl: string;
  openidConfigurationUrl: string;
  ltijsRegistration: {
    url: string;
    name: string;
    clientId: string;
    authenticationEndpoint: string;
    accesstokenEndpoint: string;
    authConfig: { method: 'JWK_SET'; key: string };
  };
}

// ─── Launches ─────────────────────────────────────────────────────────────────────────────────

export interface LaunchSpec {
  /** The tool; the only registered tool by default. */
  clientId?: string;
  /** The tool's first deployment by default; any value is accepted (to test unknown deployments). */
  deploymentId?: string;
  messageType?: LaunchMessageType;
  /** A known user id, or an identity (added to the platform's users, PII fields omittable). */
  user: string | UserIdentity;
  /** Roles of this launch; by default the user's roles in the course, or Learner. */
  roles?: string[];
  /** The course; the first course by default, `null` for a launch without context. */
  courseId?: string | null;
  /** The resource link; the course's first link by default (created when missing). */
  resourceLinkId?: string;
  targetLinkUri?: string;
  custom?: Record<string, string>;
  launchPresentation?: LaunchPresentationClaim | null;
  /** Overrides of the deep linking settings (deep linking launches only). */
  deepLinking?: Partial<DeepLinkingSettingsClaim>;
  /** AGS claim: present by default when there is a course; `false` to omit, or scope/line item overrides. */
  ags?: boolean | { scope?: string[]; lineItemId?: string | null };
  /** NRPS claim: present by default when there is a course. */
  nrps?: boolean;
  toolPlatform?: ToolPlatformClaim | null;
  lis?: Record<string, unknown>;
  /** Claim overrides applied to the signed payload (omit, set, extra audiences, azp). */
  claims?: ClaimOverrides;
  idTokenLifetimeSeconds?: number;
  /** Sign with this key of the ring instead of the active one (it may be unpublished). */
  signingKid?: string;
  loginMethod?: 'GET' | 'POST';
  /** login_hint; the user id by default. */
  loginHint?: string;
  /** Changes to the login initiation parameters (omit or set any of them). */
  loginParams?: { omit?: string[]; set?: Record<string, string> };
}

export interface PreparedLaunch {
  id: string;
  clientId: string;
  deploymentId: string;
  messageType: LaunchMessageType;
  userId: string;
  courseId: string | undefined;
  resourceLinkId: string | undefined;
  targetLinkUri: string;
  loginHint: string;
  messageHint: string;
  loginUrl: string;
  loginMethod: 'GET' | 'POST';
  loginParams: Record<string, string>;
  /** The GET login initiation URL (login URL with the parameters in the query). */
  loginInitiationUrl: string;
  /** An emulator URL that starts the launch in a browser (auto-submitted form or redirect). */
  browserStartUrl: string;
  /** Everything of the id_token but the nonce and the times. */
  input: Omit<IdTokenInput, 'nonce' | 'issuedAt'>;
  overrides: ClaimOverrides;
  signingKid: string | undefined;
}

// ─── Events ───────────────────────────────────────────────────────────────────────────────────

export type AgsOperation =
  | 'lineitems.list'
  | 'lineitems.create'
  | 'lineitem.get'
  | 'lineitem.update'
  | 'lineitem.delete'
  | 'scores.post'
  | 'results.list';

interface EventBase {
  seq: number;
  at: Date;
}

export type PlatformEventBody =
  | {
      type: 'launch-prepared';
      launchId: string;
      clientId: string;
      messageType: LaunchMessageType;
      userId: string;
      courseId?: string;
      resourceLinkId?: string;
    }
  | {
      type: 'auth';
      ok: boolean;
      status: number;
      launchId?: string;
      errors: string[];
      params: Record<string, string>;
    }
  | { type: 'id-token'; launchId: string; kid: string; payload: JwtPayload; token: string }
  | { type: 'jwks'; kids: string[] }
  | {
      type: 'token';
      ok: boolean;
      status: number;
      clientId?: string;
      requestedScopes: string[];
      grantedScopes: string[];
      kid?: string;
      jti?: string;
      error?: string;
      accessToken?: string;
    }
  | {
      type: 'ags';
      operation: AgsOperation;
      ok: boolean;
      status: number;
      method: string;
      url: string;
      courseId: string;
      lineItemId?: string;
      clientId?: string;
      contentType?: string;
      body?: unknown;
      error?: string;
    }
  | {
      type: 'nrps';
      ok: boolean;
      status: number;
      url: string;
      courseId: string;
      clientId?: string;
      accept?: string;
      memberCount?: number;
      error?: string;
    }
  | {
      type: 'deep-linking';
      ok: boolean;
      status: number;
      launchId: string;
      clientId?: string;
      errors: string[];
      contentItems: ContentItem[];
      resourceLinks: ResourceLink[];
      lineItems: LineItem[];
      message?: unknown;
      log?: unknown;
    }
  | { type: 'tool-jwks-fetch'; url: string; ok: boolean; kids: string[]; error?: string }
  | {
      type: 'failure-injected';
      service: PlatformService;
      method: string;
      url: string;
      decision: 'hang' | InjectedFailure;
    };

export type PlatformEvent = EventBase & PlatformEventBody;
export type PlatformEventType = PlatformEvent['type'];
export type PlatformEventOf<T extends PlatformEventType> = Extract<PlatformEvent, { type: T }>;

export interface AccessToken {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const asyncHandler =
  (handler: (req: Request, res: Response) => Promise<void> | void): RequestHandler =>
  (req, res, next) => {
    Promise.resolve(handler(req, res)).catch(next);
  };

function stringParams(source: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (source && typeof source === 'object') {
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string') result[key] = value;
  }
  return result;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function mediaTypeOf(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const DEFAULT_CLOCK: Clock = { now: () => new Date() };

export class PlatformEmulator {
  readonly keys: KeyRing;
  readonly gradebook: Gradebook;
  readonly #options: PlatformEmulatorOptions;
  readonly #clock: Clock;
  readonly #tools = new Map<string, ToolRegistration>();
  readonly #users = new Map<string, UserIdentity>();
  readonly #launches = new Map<string, PreparedLaunch>();
  readonly #accessTokens = new Map<string, AccessToken>();
  readonly #usedJti = new Map<string, number>();
  readonly #events: PlatformEvent[] = [];
  readonly #failures = new Map<PlatformService, FailureRule>();
  readonly #requestCounts = new Map<PlatformService, number>();
  readonly #hanging = new Set<Response>();
  readonly #toolKeys: ToolKeyCache;
  readonly #app = express();
  #server: Server | undefined;
  #baseUrl: string | undefined;
  #seq = 0;

  constructor(options: PlatformEmulatorOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? DEFAULT_CLOCK;
    this.keys = new KeyRing({ modulusLength: options.keyBits ?? 2048, now: () => this.#clock.now() });
    this.gradebook = new Gradebook({
      lineItemUrl: (courseId, localId) => this.lineItemUrl(courseId, localId),
    });
    this.#toolKeys = new ToolKeyCache({
      onFetch: (fetched) => this.#record({ type: 'tool-jwks-fetch', ...fetched }),
      ...(options.trustedToolCa !== undefined && { trustedCa: options.trustedToolCa }),
    });
    for (const [service, rule] of Object.entries(options.failures ?? {})) {
      if (rule) this.#failures.set(service as PlatformService, rule);
    }
    for (const user of options.users ?? []) this.addUser(user);
    for (const tool of options.tools ?? []) this.registerTool(tool);
    for (const course of options.courses ?? []) this.addCourse(course);
    this.#routes();
  }

  // ─── Lifecycle ──────────────────────────────────────────────────────────────────────────────

  async start(): Promise<{ url: string }> {
    if (this.#server) return { url: this.baseUrl };
    const host = this.#options.host ?? '127.0.0.1';
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = this.#app.listen(this.#options.port ?? 0, host, () => resolve(listening));
      listening.on('error', reject);
    });
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    this.#baseUrl = `http://${host}:${port}`;
    return { url: this.#baseUrl };
  }

  /** Stops listening; requests left hanging by failure injection are cut. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get baseUrl(): string {
    if (!this.#baseUrl) throw new Error('The platform emulator is not started');
    return this.#baseUrl;
  }

  get issuer(): string {
    return this.#options.issuer ?? this.baseUrl;
  }

  get authUrl(): string {
    return `${this.baseUrl}/auth`;
  }

  get tokenUrl(): string {
    return `${this.baseUrl}/token`;
  }

  get jwksUrl(): string {
    return `${this.baseUrl}/jwks`;
  }

  /** The express app (to mount extra demo pages, or to test it with supertest). */
  get app(): express.Express {
    return this.#app;
  }

  now(): Date {
    return this.#clock.now();
  }

  // ─── Tools, users, courses ──────────────────────────────────────────────────────────────────

  registerTool(input: ToolRegistrationInput): ToolRegistration {
    const deepLinkingUrl = input.deepLinkingUrl ?? input.targetLinkUri;
    const tool: ToolRegistration = {
      clientId: input.clientId,
      deploymentIds: input.deploymentIds && input.deploymentIds.length > 0 ? [...input.deploymentIds] : ['1'],
      loginUrl: input.loginUrl,
      jwksUrl: input.jwksUrl,
      targetLinkUri: input.targetLinkUri,
      deepLinkingUrl,
      redirectUris: input.redirectUris ?? [...new Set([input.targetLinkUri, deepLinkingUrl])],
      scopes: input.scopes ?? [...ALL_SCOPES],
      name: input.name ?? input.clientId,
      customParameters: { ...input.customParameters },
    };
    this.#tools.set(tool.clientId, tool);
    return tool;
  }

  tool(clientId?: string): ToolRegistration {
    if (clientId === undefined) {
      if (this.#tools.size !== 1)
        throw new Error(`${this.#tools.size} tools are registered: name the client id`);
      return [...this.#tools.values()][0] as ToolRegistration;
    }
    const tool = this.#tools.get(clientId);
    if (!tool) throw new Error(`No tool registered with client id ${clientId}`);
    return tool;
  }

  /** What the tool's administrator needs to register this platform. */
  platformConfig(clientId?: string): PlatformConfig {
    const tool = this.tool(clientId);
    return {
      issuer: this.issuer,
      clientId: tool.clientId,
      deploymentIds: [...tool.deploymentIds],
      authenticationEndpoint: this.authUrl,
      accessTokenEndpoint: this.tokenUrl,
      jwksUrl: this.jwksUrl,
      openidConfigurationUrl: `${this.baseUrl}/.well-known/openid-configuration`,
      ltijsRegistration: {
        url: this.issuer,
        name: this.#options.name ?? 'LTI platform emulator',
        clientId: tool.clientId,
        authenticationEndpoint: this.authUrl,
        accesstokenEndpoint: this.tokenUrl,
        authConfig: { method: 'JWK_SET', key: this.jwksUrl },
      },
    };
  }

  addUser(user: UserIdentity): UserIdentity {
    const stored = { ...user };
    this.#users.set(user.id, stored);
    return stored;
  }

  user(id: string): UserIdentity | undefined {
    return this.#users.get(id);
  }

  addCourse(input: CourseInput): void {
    this.gradebook.addCourse({ id: input.id, label: input.label, title: input.title, type: input.type });
    for (const member of input.members ?? []) {
      const userId = typeof member.user === 'string' ? member.user : this.addUser(member.user).id;
      if (!this.#users.has(userId)) this.addUser({ id: userId });
      this.gradebook.enrol(input.id, { userId, roles: member.roles, status: member.status });
    }
    for (const link of input.resourceLinks ?? []) {
      const created = this.gradebook.addResourceLink({
        id: link.id,
        courseId: input.id,
        title: link.title,
        description: link.description,
        url: link.url,
        custom: link.custom,
      });
      if (link.lineItem) {
        this.gradebook.createLineItem(input.id, {
          label: link.lineItem.label ?? link.title ?? created.id,
          scoreMaximum: link.lineItem.scoreMaximum,
          resourceId: link.lineItem.resourceId,
          tag: link.lineItem.tag,
          resourceLinkId: created.id,
        });
      }
    }
  }

  /** Adds (or updates) a member of a course; the user is created if unknown. */
  enrol(courseId: string, user: string | UserIdentity, roles: string[], status?: MemberStatus): CourseMember {
    const userId = typeof user === 'string' ? user : this.addUser(user).id;
    if (!this.#users.has(userId)) this.addUser({ id: userId });
    return this.gradebook.enrol(courseId, { userId, roles, status });
  }

  // ─── URLs of the services ───────────────────────────────────────────────────────────────────

  #withServiceQuery(url: string): string {
    const query = this.#options.serviceUrlQuery;
    if (!query || Object.keys(query).length === 0) return url;
    return `${url}?${new URLSearchParams(query).toString()}`;
  }

  lineItemsUrl(courseId: string): string {
    return this.#withServiceQuery(`${this.baseUrl}/api/courses/${encodeURIComponent(courseId)}/lineitems`);
  }

  lineItemUrl(courseId: string, localId: string): string {
    return this.#withServiceQuery(
      `${this.baseUrl}/api/courses/${encodeURIComponent(courseId)}/lineitems/${encodeURIComponent(localId)}`,
    );
  }

  membershipsUrl(courseId: string): string {
    return this.#withServiceQuery(`${this.baseUrl}/api/courses/${encodeURIComponent(courseId)}/memberships`);
  }

  deepLinkReturnUrl(launchId: string): string {
    return `${this.baseUrl}/deep-linking/return/${encodeURIComponent(launchId)}`;
  }

  // ─── Launch ─────────────────────────────────────────────────────────────────────────────────

  /** Resolves a launch and remembers it under an opaque lti_message_hint; no HTTP yet. */
  prepareLaunch(spec: LaunchSpec): PreparedLaunch {
    const tool = this.tool(spec.clientId);
    const deploymentId = spec.deploymentId ?? tool.deploymentIds[0] ?? '1';
    const user: UserIdentity =
      typeof spec.user === 'string'
        ? (this.#users.get(spec.user) ?? this.addUser({ id: spec.user }))
        : this.addUser(spec.user);
    const course =
      spec.courseId === null
        ? undefined
        : spec.courseId !== undefined
          ? this.gradebook.course(spec.courseId)
          : this.gradebook.courses()[0];
    if (spec.courseId && !course) throw new Error(`Unknown course ${spec.courseId}`);

    let roles = spec.roles;
    if (course) {
      const member = this.gradebook.member(course.id, user.id);
      if (!member) this.gradebook.enrol(course.id, { userId: user.id, roles: roles ?? [ROLE.learner] });
      roles ??= member?.roles ?? [ROLE.learner];
    }
    roles ??= [ROLE.learner];

    const messageType = spec.messageType ?? MESSAGE_TYPE.resourceLink;
    const isDeepLinking = messageType === MESSAGE_TYPE.deepLinkingRequest;
    let link: ResourceLink | undefined;
    if (!isDeepLinking) {
      link = spec.resourceLinkId ? this.gradebook.resourceLink(spec.resourceLinkId) : undefined;
      if (!link && !spec.resourceLinkId && course) link = this.gradebook.resourceLinks(course.id)[0];
      link ??= this.gradebook.addResourceLink({
        id: spec.resourceLinkId,
        courseId: course?.id,
        title: 'Activity',
        origin: 'launch',
      });
    }

    const id = randomBytes(12).toString('hex');
    const targetLinkUri =
      spec.targetLinkUri ?? (isDeepLinking ? tool.deepLinkingUrl : (link?.url ?? tool.targetLinkUri));
    const custom = { ...tool.customParameters, ...link?.custom, ...spec.custom };

    const agsSpec = typeof spec.ags === 'object' ? spec.ags : {};
    const toolAgsScopes = tool.scopes.filter((scope) => AGS_SCOPES.includes(scope));
    let ags: IdTokenInput['ags'];
    if (course && spec.ags !== false && (toolAgsScopes.length > 0 || agsSpec.scope)) {
      const lineItemLocalId =
        agsSpec.lineItemId === null ? undefined : (agsSpec.lineItemId ?? link?.lineItemId ?? undefined);
      const lineItem = lineItemLocalId ? this.gradebook.lineItemById(lineItemLocalId) : undefined;
      ags = {
        scope: agsSpec.scope ?? toolAgsScopes,
        lineitems: this.lineItemsUrl(course.id),
        ...(lineItem ? { lineitem: lineItem.id } : {}),
      };
    }
    const nrps =
      course &&
      spec.nrps !== false &&
      (spec.nrps === true || tool.scopes.includes(SCOPE.contextMembershipReadonly))
        ? { context_memberships_url: this.membershipsUrl(course.id), service_versions: ['2.0'] }
        : undefined;
    const context: ContextClaim | undefined = course
      ? { id: course.id, label: course.label, title: course.title, type: course.type }
      : undefined;
    const deepLinkingSettings: DeepLinkingSettingsClaim | undefined = isDeepLinking
      ? {
          deep_link_return_url: this.deepLinkReturnUrl(id),
          accept_types: ['ltiResourceLink'],
          accept_presentation_document_targets: ['iframe', 'window'],
          accept_multiple: true,
          accept_lineitem: true,
          auto_create: true,
          title: 'Add an activity',
          data: `dl-${id}`,
          ...spec.deepLinking,
        }
      : undefined;
    const launchPresentation =
      spec.launchPresentation === null
        ? undefined
        : (spec.launchPresentation ?? {
            locale: this.#options.locale ?? 'fr-FR',
            document_target: 'iframe' as const,
            return_url: `${this.baseUrl}/courses/${encodeURIComponent(course?.id ?? 'none')}/return`,
          });
    const toolPlatform =
      spec.toolPlatform === null
        ? undefined
        : (spec.toolPlatform ?? {
            guid: `emulator-${new URL(this.baseUrl).port}`,
            name: this.#options.name ?? 'LTI platform emulator',
            product_family_code: this.#options.productFamilyCode ?? 'pix-lti-emulator',
            version: '1.0',
          });

    const input: PreparedLaunch['input'] = {
      issuer: this.issuer,
      clientId: tool.clientId,
      deploymentId,
      lifetime: spec.idTokenLifetimeSeconds ?? this.#options.idTokenLifetimeSeconds ?? 300,
      messageType,
      targetLinkUri,
      user: { ...user },
      roles: [...roles],
      context,
      resourceLink: link ? { id: link.id, title: link.title, description: link.description } : undefined,
      launchPresentation,
      custom: Object.keys(custom).length > 0 ? custom : undefined,
      ags,
      nrps,
      deepLinkingSettings,
      toolPlatform,
      lis: spec.lis,
    };

    const loginHint = spec.loginHint ?? user.id;
    const loginParams: Record<string, string> = {
      iss: this.issuer,
      login_hint: loginHint,
      target_link_uri: targetLinkUri,
      lti_message_hint: id,
      lti_deployment_id: deploymentId,
      client_id: tool.clientId,
    };
    for (const name of spec.loginParams?.omit ?? []) delete loginParams[name];
    Object.assign(loginParams, spec.loginParams?.set);

    const loginUrl = new URL(tool.loginUrl);
    for (const [name, value] of Object.entries(loginParams)) loginUrl.searchParams.set(name, value);

    const launch: PreparedLaunch = {
      id,
      clientId: tool.clientId,
      deploymentId,
      messageType,
      userId: user.id,
      courseId: course?.id,
      resourceLinkId: link?.id,
      targetLinkUri,
      loginHint,
      messageHint: id,
      loginUrl: tool.loginUrl,
      loginMethod: spec.loginMethod ?? 'POST',
      loginParams,
      loginInitiationUrl: loginUrl.toString(),
      browserStartUrl: `${this.baseUrl}/launches/${id}/start`,
      input,
      overrides: spec.claims ?? {},
      signingKid: spec.signingKid,
    };
    this.#launches.set(id, launch);
    this.#record({
      type: 'launch-prepared',
      launchId: id,
      clientId: tool.clientId,
      messageType,
      userId: user.id,
      ...(course ? { courseId: course.id } : {}),
      ...(link ? { resourceLinkId: link.id } : {}),
    });
    return launch;
  }

  launch(id: string): PreparedLaunch | undefined {
    return this.#launches.get(id);
  }

  /** The payload the emulator signs for a launch and a nonce (overrides applied). */
  idTokenPayloadFor(
    launch: PreparedLaunch | string,
    options: { nonce: string; issuedAt?: Date },
  ): JwtPayload {
    const prepared = typeof launch === 'string' ? this.#launches.get(launch) : launch;
    if (!prepared) throw new Error(`Unknown launch ${String(launch)}`);
    const issuedAt = Math.floor((options.issuedAt ?? this.#clock.now()).getTime() / 1000);
    const payload = buildIdTokenPayload({ ...prepared.input, nonce: options.nonce, issuedAt });
    return applyClaimOverrides(payload, prepared.overrides);
  }

  /** Signs a payload as the platform: RS256 with the active key (or the key named by `kid`). */
  signIdToken(payload: JwtPayload, options: { kid?: string } = {}): string {
    const key = options.kid ? this.keys.get(options.kid) : this.keys.active;
    if (!key) throw new Error(`Unknown kid ${String(options.kid)}`);
    return signRs256({ alg: 'RS256', typ: 'JWT', kid: key.kid }, payload, key.privateKey);
  }

  // ─── Services state, for assertions ─────────────────────────────────────────────────────────

  /** Each line item of a course with the latest score per user and the full ordered history. */
  gradebookOf(courseId: string): GradebookEntry[] {
    return this.gradebook.view(courseId);
  }

  scores(lineItemId: string, userId?: string): ScoreRecord[] {
    return this.gradebook.scoreHistory(lineItemId, userId);
  }

  /** Makes every access token issued so far invalid (as a platform restart or revocation would). */
  revokeAccessTokens(): void {
    this.#accessTokens.clear();
  }

  accessTokens(): AccessToken[] {
    return [...this.#accessTokens.values()].map((token) => ({ ...token, scopes: [...token.scopes] }));
  }

  /** The tool keys are fetched again at the next need (as after a cache expiry). */
  forgetToolKeys(): void {
    this.#toolKeys.forget();
  }

  // ─── Failure injection and events ───────────────────────────────────────────────────────────

  setFailure(service: PlatformService, rule: FailureRule | undefined): void {
    if (rule) this.#failures.set(service, rule);
    else this.#failures.delete(service);
  }

  clearFailures(): void {
    this.#failures.clear();
  }

  /** Number of requests a service has received. */
  requestCount(service: PlatformService): number {
    return this.#requestCounts.get(service) ?? 0;
  }

  events(): PlatformEvent[];
  events<T extends PlatformEventType>(type: T): PlatformEventOf<T>[];
  events(type?: PlatformEventType): PlatformEvent[] {
    return type ? this.#events.filter((event) => event.type === type) : [...this.#events];
  }

  lastEvent<T extends PlatformEventType>(type: T): PlatformEventOf<T> | undefined {
    return this.events(type).at(-1);
  }

  clearEvents(): void {
    this.#events.length = 0;
  }

  #record(body: PlatformEventBody): void {
    this.#events.push({ seq: ++this.#seq, at: this.#clock.now(), ...body } as PlatformEvent);
  }

  // ─── HTTP ───────────────────────────────────────────────────────────────────────────────────

  #failureGate(service: PlatformService): RequestHandler {
    return (req, res, next) => {
      const count = (this.#requestCounts.get(service) ?? 0) + 1;
      this.#requestCounts.set(service, count);
      const rule = this.#failures.get(service);
      const decision: FailureDecision = rule
        ? rule({ service, method: req.method, url: req.originalUrl, count }, this.#clock.now())
        : 'ok';
      if (decision === 'ok') return next();
      this.#record({ type: 'failure-injected', service, method: req.method, url: req.originalUrl, decision });
      if (decision === 'hang') {
        this.#hanging.add(res);
        res.on('close', () => this.#hanging.delete(res));
        return;
      }
      const answer = () => {
        if (decision.status === undefined) return next();
        res.status(decision.status);
        for (const [name, value] of Object.entries(decision.headers ?? {})) res.setHeader(name, value);
        res.json(decision.body ?? { error: 'injected_failure', status: decision.status });
      };
      if (decision.delayMs && decision.delayMs > 0) setTimeout(answer, decision.delayMs);
      else answer();
    };
  }

  #routes(): void {
    const app = this.#app;
    app.disable('x-powered-by');
    app.disable('etag');
    const form = express.urlencoded({ extended: false, limit: '2mb' });
    const json = express.json({
      type: (req) => /json/i.test(String(req.headers['content-type'] ?? '')),
      limit: '2mb',
    });

    app.get('/.well-known/openid-configuration', (_req, res) => {
      res.json({
        issuer: this.issuer,
        authorization_endpoint: this.authUrl,
        token_endpoint: this.tokenUrl,
        jwks_uri: this.jwksUrl,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['id_token'],
        scopes_supported: ['openid', ...ALL_SCOPES],
        id_token_signing_alg_values_supported: ['RS256'],
        'https://purl.imsglobal.org/spec/lti-platform-configuration': {
          product_family_code: this.#options.productFamilyCode ?? 'pix-lti-emulator',
          version: '1.0',
          messages_supported: [
            { type: MESSAGE_TYPE.resourceLink },
            { type: MESSAGE_TYPE.deepLinkingRequest },
          ],
        },
      });
    });

    app.get('/jwks', this.#failureGate('jwks'), (_req, res) => {
      const jwks = this.keys.jwks();
      this.#record({ type: 'jwks', kids: jwks.keys.map(({ kid }) => kid) });
      res.json(jwks);
    });

    app.get('/launches/:launchId/start', (req, res) => {
      const launch = this.#launches.get(req.params.launchId ?? '');
      if (!launch) {
        res.status(404).send('Unknown launch');
        return;
      }
      if (launch.loginMethod === 'GET') res.redirect(302, launch.loginInitiationUrl);
      else res.type('html').send(autoSubmitForm(launch.loginUrl, launch.loginParams, 'Launching the tool…'));
    });

    app.all('/auth', form, this.#failureGate('auth'), (req, res) => this.#authorize(req, res));
    app.post(
      '/token',
      form,
      this.#failureGate('token'),
      asyncHandler((req, res) => this.#token(req, res)),
    );

    const course = '/api/courses/:courseId';
    app.use('/api', (req, res, next) => this.#checkServiceQuery(req, res, next));
    app.get(`${course}/lineitems`, this.#failureGate('ags.lineitems'), (req, res) =>
      this.#listLineItems(req, res),
    );
    app.post(`${course}/lineitems`, this.#failureGate('ags.lineitems'), json, (req, res) =>
      this.#createLineItem(req, res),
    );
    app.get(`${course}/lineitems/:lineItemId`, this.#failureGate('ags.lineitems'), (req, res) =>
      this.#lineItemOperation(req, res, 'lineitem.get'),
    );
    app.put(`${course}/lineitems/:lineItemId`, this.#failureGate('ags.lineitems'), json, (req, res) =>
      this.#lineItemOperation(req, res, 'lineitem.update'),
    );
    app.delete(`${course}/lineitems/:lineItemId`, this.#failureGate('ags.lineitems'), (req, res) =>
      this.#lineItemOperation(req, res, 'lineitem.delete'),
    );
    app.post(`${course}/lineitems/:lineItemId/scores`, this.#failureGate('ags.scores'), json, (req, res) =>
      this.#postScore(req, res),
    );
    app.get(`${course}/lineitems/:lineItemId/results`, this.#failureGate('ags.results'), (req, res) =>
      this.#listResults(req, res),
    );
    app.get(`${course}/memberships`, this.#failureGate('nrps'), (req, res) => this.#memberships(req, res));
    app.post(
      '/deep-linking/return/:launchId',
      form,
      this.#failureGate('deep-linking'),
      asyncHandler((req, res) => this.#deepLinkingReturn(req, res)),
    );

    app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(error);
      if (error instanceof HttpError) {
        res.status(error.status).set(error.headers).json({ error: error.message });
        return;
      }
      const status = (error as { status?: number }).status ?? 500;
      res.status(status).json({ error: (error as Error).message ?? String(error) });
    });
  }

  // ─── /auth ──────────────────────────────────────────────────────────────────────────────────

  #authorize(req: Request, res: Response): void {
    const params = { ...stringParams(req.query), ...stringParams(req.body) };
    const errors: string[] = [];
    const expect = (condition: boolean, message: string) => {
      if (!condition) errors.push(message);
    };
    expect((params.scope ?? '').split(' ').includes('openid'), 'scope must be openid');
    expect(params.response_type === 'id_token', 'response_type must be id_token');
    expect(params.response_mode === 'form_post', 'response_mode must be form_post');
    expect(params.prompt === 'none', 'prompt must be none');
    expect(!!params.nonce, 'nonce is required');
    expect(!!params.state, 'state is required');
    expect(!!params.login_hint, 'login_hint is required');
    const tool = params.client_id ? this.#tools.get(params.client_id) : undefined;
    expect(!!tool, `unknown client_id ${params.client_id ?? '(missing)'}`);
    if (tool) {
      expect(
        !!params.redirect_uri && tool.redirectUris.includes(params.redirect_uri),
        `redirect_uri ${params.redirect_uri ?? '(missing)'} is not registered for ${tool.clientId}`,
      );
    }
    const launch = params.lti_message_hint ? this.#launches.get(params.lti_message_hint) : undefined;
    expect(!!launch, `lti_message_hint ${params.lti_message_hint ?? '(missing)'} does not name a launch`);
    if (launch) {
      expect(!tool || launch.clientId === tool.clientId, 'client_id does not match the launch');
      expect(
        !params.login_hint || params.login_hint === launch.loginHint,
        'login_hint does not match the launch',
      );
      expect(
        !params.lti_deployment_id || params.lti_deployment_id === launch.deploymentId,
        'lti_deployment_id does not match the launch',
      );
    }
    if (errors.length > 0 || !launch || !params.nonce || !params.state || !params.redirect_uri) {
      this.#record({
        type: 'auth',
        ok: false,
        status: 400,
        errors,
        params,
        ...(launch ? { launchId: launch.id } : {}),
      });
      res.status(400).json({ error: 'invalid_request', error_description: errors.join('; ') });
      return;
    }
    const payload = this.idTokenPayloadFor(launch, { nonce: params.nonce });
    const kid = launch.signingKid ?? this.keys.active.kid;
    const token = this.signIdToken(payload, { kid });
    this.#record({ type: 'auth', ok: true, status: 200, errors: [], params, launchId: launch.id });
    this.#record({ type: 'id-token', launchId: launch.id, kid, payload, token });
    res
      .type('html')
      .send(
        autoSubmitForm(params.redirect_uri, { id_token: token, state: params.state }, 'Launching the tool…'),
      );
  }

  // ─── /token ─────────────────────────────────────────────────────────────────────────────────

  async #token(req: Request, res: Response): Promise<void> {
    const body = stringParams(req.body);
    const requestedScopes = parseScopes(body.scope);
    const event: PlatformEventOf<'token'> = {
      type: 'token',
      seq: 0,
      at: this.#clock.now(),
      ok: false,
      status: 400,
      requestedScopes,
      grantedScopes: [],
    };
    const fail = (status: number, error: string, description: string) => {
      this.#record({ ...event, ok: false, status, error: `${error}: ${description}` });
      res.status(status).json({ error, error_description: description });
    };
    if (body.grant_type !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    if (body.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      return fail(400, 'invalid_request', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    }
    if (!body.client_assertion) return fail(400, 'invalid_request', 'client_assertion is required');
    let decoded;
    try {
      decoded = decodeJws(body.client_assertion);
    } catch (error) {
      return fail(401, 'invalid_client', `client_assertion is not a JWT (${(error as Error).message})`);
    }
    const { header, payload } = decoded;
    if (header.alg !== 'RS256')
      return fail(401, 'invalid_client', `client_assertion alg must be RS256, got ${String(header.alg)}`);
    if (typeof header.kid !== 'string') return fail(401, 'invalid_client', 'client_assertion has no kid');
    event.kid = header.kid;
    const clientId = typeof payload.iss === 'string' ? payload.iss : undefined;
    const tool = clientId ? this.#tools.get(clientId) : undefined;
    if (!tool) return fail(401, 'invalid_client', `unknown client ${String(payload.iss)}`);
    event.clientId = tool.clientId;
    const key = await this.#toolKeys.key(tool.jwksUrl, header.kid);
    if (!key)
      return fail(401, 'invalid_client', `kid ${header.kid} is not in the tool's JWKS (${tool.jwksUrl})`);
    if (!verifyRs256Signature(body.client_assertion, key)) {
      return fail(401, 'invalid_client', 'client_assertion signature is invalid');
    }
    const nowSeconds = this.#clock.now().getTime() / 1000;
    for (const [jti, expiresAt] of this.#usedJti) if (expiresAt < nowSeconds - 300) this.#usedJti.delete(jti);
    const errors = checkClientAssertion(payload, {
      clientId: tool.clientId,
      audiences: [this.tokenUrl],
      nowSeconds,
      jtiSeen: (jti) => this.#usedJti.has(jti),
    });
    if (typeof payload.jti === 'string') event.jti = payload.jti;
    if (errors.length > 0) return fail(401, 'invalid_client', errors.join('; '));
    this.#usedJti.set(payload.jti as string, typeof payload.exp === 'number' ? payload.exp : nowSeconds);
    const grant = grantScopes(requestedScopes, tool.scopes, this.#options.scopePolicy ?? 'reject');
    if ('error' in grant) return fail(400, 'invalid_scope', grant.error);
    const lifetime = this.#options.accessTokenLifetimeSeconds ?? 3600;
    const accessToken: AccessToken = {
      token: randomBytes(24).toString('base64url'),
      clientId: tool.clientId,
      scopes: grant.granted,
      expiresAt: this.#clock.now().getTime() + lifetime * 1000,
    };
    this.#accessTokens.set(accessToken.token, accessToken);
    this.#record({
      ...event,
      ok: true,
      status: 200,
      grantedScopes: grant.granted,
      accessToken: accessToken.token,
    });
    res.json({
      access_token: accessToken.token,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: grant.granted.join(' '),
    });
  }

  /** Checks the Bearer token and that it carries one of `scopes`; throws an HttpError otherwise. */
  #authorizeService(req: Request, scopes: readonly string[]): AccessToken {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const challenge = (error: string) => ({
      'WWW-Authenticate': `Bearer realm="lti-platform-emulator", error="${error}"`,
    });
    if (!match?.[1])
      throw new HttpError(401, 'A Bearer access token is required', challenge('invalid_request'));
    const token = this.#accessTokens.get(match[1]);
    if (!token) throw new HttpError(401, 'Unknown access token', challenge('invalid_token'));
    if (token.expiresAt <= this.#clock.now().getTime()) {
      throw new HttpError(401, 'The access token has expired', challenge('invalid_token'));
    }
    if (!scopes.some((scope) => token.scopes.includes(scope))) {
      throw new HttpError(
        403,
        `The access token lacks the scope ${scopes.join(' or ')}`,
        challenge('insufficient_scope'),
      );
    }
    return token;
  }

  #checkServiceQuery(req: Request, res: Response, next: NextFunction): void {
    const expected = this.#options.serviceUrlQuery ?? {};
    const missing = Object.entries(expected).filter(([name, value]) => queryString(req, name) !== value);
    if (missing.length === 0) return next();
    res
      .status(400)
      .json({ error: `Missing or wrong query parameter(s): ${missing.map(([name]) => name).join(', ')}` });
  }

  /** Runs a service operation: failure gate passed, now auth + handler, with its event recorded. */
  #service(
    req: Request,
    res: Response,
    base: { type: 'ags'; operation: AgsOperation } | { type: 'nrps' },
    scopes: readonly string[],
    handler: (token: AccessToken) => {
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    },
  ): void {
    const courseId = req.params.courseId ?? '';
    const url = `${this.baseUrl}${req.originalUrl}`;
    let clientId: string | undefined;
    let status: number;
    let error: string | undefined;
    let extra: Record<string, unknown> = {};
    try {
      const token = this.#authorizeService(req, scopes);
      clientId = token.clientId;
      if (!this.gradebook.course(courseId)) throw new HttpError(404, `Unknown course ${courseId}`);
      const result = handler(token);
      status = result.status;
      extra = result.extra ?? {};
      res.status(status).set(result.headers ?? {});
      if (result.body === undefined) res.end();
      else if (typeof result.body === 'string') res.send(result.body);
      else res.send(JSON.stringify(result.body));
      if (status >= 400) error = (result.body as { error?: string } | undefined)?.error;
    } catch (caught) {
      if (!(caught instanceof HttpError)) throw caught;
      status = caught.status;
      error = caught.message;
      res.status(status).set(caught.headers).json({ error: caught.message });
    }
    const common = {
      ok: status < 400,
      status,
      url,
      courseId,
      ...(clientId ? { clientId } : {}),
      ...(error ? { error } : {}),
    };
    if (base.type === 'ags') {
      this.#record({
        type: 'ags',
        operation: base.operation,
        method: req.method,
        ...(req.params.lineItemId ? { lineItemId: req.params.lineItemId } : {}),
        ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
        ...(req.body !== undefined && Object.keys(req.body as object).length > 0
          ? { body: req.body as unknown }
          : {}),
        ...common,
        ...extra,
      });
    } else {
      this.#record({
        type: 'nrps',
        ...(req.headers.accept ? { accept: req.headers.accept } : {}),
        ...common,
        ...extra,
      });
    }
  }

  // ─── AGS ────────────────────────────────────────────────────────────────────────────────────

  #lineItemJson(lineItem: LineItem): Record<string, unknown> {
    const { localId: _localId, courseId: _courseId, ...json } = lineItem;
    return json;
  }

  #listLineItems(req: Request, res: Response): void {
    this.#service(
      req,
      res,
      { type: 'ags', operation: 'lineitems.list' },
      [SCOPE.lineItem, SCOPE.lineItemReadonly],
      () => {
        const courseId = req.params.courseId ?? '';
        const all = this.gradebook.lineItems(courseId, {
          resourceLinkId: queryString(req, 'resource_link_id'),
          resourceId: queryString(req, 'resource_id'),
          tag: queryString(req, 'tag'),
        });
        const page = paginate(all, pageRequestFromQuery(req.query));
        const link = linkHeader(`${this.baseUrl}${req.originalUrl}`, page);
        return {
          status: 200,
          body: page.items.map((lineItem) => this.#lineItemJson(lineItem)),
          headers: { 'Content-Type': MEDIA_TYPE.lineItemContainer, ...(link ? { Link: link } : {}) },
        };
      },
    );
  }

  #createLineItem(req: Request, res: Response): void {
    this.#service(req, res, { type: 'ags', operation: 'lineitems.create' }, [SCOPE.lineItem], () => {
      if (mediaTypeOf(req) !== MEDIA_TYPE.lineItem) {
        throw new HttpError(
          415,
          `Content-Type must be ${MEDIA_TYPE.lineItem}, got ${mediaTypeOf(req) || '(none)'}`,
        );
      }
      const validation = validateLineItem(req.body);
      if (!validation.ok) throw new HttpError(400, `Invalid line item: ${validation.errors.join('; ')}`);
      const lineItem = this.gradebook.createLineItem(req.params.courseId ?? '', validation.value);
      return {
        status: 201,
        body: this.#lineItemJson(lineItem),
        headers: { 'Content-Type': MEDIA_TYPE.lineItem },
        extra: { lineItemId: lineItem.localId },
      };
    });
  }

  #requireLineItem(req: Request): LineItem {
    const lineItem = this.gradebook.lineItem(req.params.courseId ?? '', req.params.lineItemId ?? '');
    if (!lineItem) throw new HttpError(404, `Unknown line item ${req.params.lineItemId ?? ''}`);
    return lineItem;
  }

  #lineItemOperation(
    req: Request,
    res: Response,
    operation: 'lineitem.get' | 'lineitem.update' | 'lineitem.delete',
  ) {
    const scopes = operation === 'lineitem.get' ? [SCOPE.lineItem, SCOPE.lineItemReadonly] : [SCOPE.lineItem];
    this.#service(req, res, { type: 'ags', operation }, scopes, () => {
      const lineItem = this.#requireLineItem(req);
      if (operation === 'lineitem.get') {
        return {
          status: 200,
          body: this.#lineItemJson(lineItem),
          headers: { 'Content-Type': MEDIA_TYPE.lineItem },
        };
      }
      if (operation === 'lineitem.delete') {
        this.gradebook.deleteLineItem(lineItem.courseId, lineItem.localId);
        return { status: 204 };
      }
      if (mediaTypeOf(req) !== MEDIA_TYPE.lineItem) {
        throw new HttpError(
          415,
          `Content-Type must be ${MEDIA_TYPE.lineItem}, got ${mediaTypeOf(req) || '(none)'}`,
        );
      }
      const validation = validateLineItem(req.body);
      if (!validation.ok) throw new HttpError(400, `Invalid line item: ${validation.errors.join('; ')}`);
      const updated = this.gradebook.updateLineItem(lineItem.courseId, lineItem.localId, validation.value);
      return {
        status: 200,
        body: updated && this.#lineItemJson(updated),
        headers: { 'Content-Type': MEDIA_TYPE.lineItem },
      };
    });
  }

  #postScore(req: Request, res: Response): void {
    this.#service(req, res, { type: 'ags', operation: 'scores.post' }, [SCOPE.score], () => {
      const lineItem = this.#requireLineItem(req);
      if (mediaTypeOf(req) !== MEDIA_TYPE.score) {
        throw new HttpError(
          415,
          `Content-Type must be ${MEDIA_TYPE.score}, got ${mediaTypeOf(req) || '(none)'}`,
        );
      }
      const validation = validateScore(req.body, { allowExtraCredit: this.#options.allowExtraCredit });
      if (!validation.ok)
        throw new HttpError(400, `Incorrect score received: ${validation.errors.join('; ')}`);
      const outcome = this.gradebook.recordScore(
        lineItem,
        validation.value,
        req.body as Record<string, unknown>,
        this.#clock.now(),
        { requireMember: this.#options.rejectScoresOfNonMembers ?? true },
      );
      if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
      return {
        status: 200,
        body: {
          resultUrl: `${lineItem.id.split('?')[0]}/results/${encodeURIComponent(validation.value.userId)}`,
        },
        headers: { 'Content-Type': 'application/json' },
      };
    });
  }

  #listResults(req: Request, res: Response): void {
    this.#service(req, res, { type: 'ags', operation: 'results.list' }, [SCOPE.resultReadonly], () => {
      const lineItem = this.#requireLineItem(req);
      const userFilter = queryString(req, 'user_id');
      const latest = Object.values(this.gradebook.latestScores(lineItem.localId)).filter(
        (score) => userFilter === undefined || score.userId === userFilter,
      );
      const results = latest.map((score) => ({
        id: `${lineItem.id.split('?')[0]}/results/${encodeURIComponent(score.userId)}`,
        scoreOf: lineItem.id,
        userId: score.userId,
        ...(score.scoreGiven !== undefined ? { resultScore: score.scoreGiven } : {}),
        ...(score.scoreMaximum !== undefined ? { resultMaximum: score.scoreMaximum } : {}),
        ...(score.comment !== undefined ? { comment: score.comment } : {}),
      }));
      const page = paginate(results, pageRequestFromQuery(req.query));
      const link = linkHeader(`${this.baseUrl}${req.originalUrl}`, page);
      return {
        status: 200,
        body: page.items,
        headers: { 'Content-Type': MEDIA_TYPE.resultContainer, ...(link ? { Link: link } : {}) },
      };
    });
  }

  // ─── NRPS ───────────────────────────────────────────────────────────────────────────────────

  #memberships(req: Request, res: Response): void {
    this.#service(req, res, { type: 'nrps' }, [SCOPE.contextMembershipReadonly], () => {
      const accept = req.headers.accept;
      if (accept && !accept.includes(MEDIA_TYPE.membershipContainer) && !accept.includes('*/*')) {
        throw new HttpError(406, `Accept must allow ${MEDIA_TYPE.membershipContainer}`);
      }
      const course = this.gradebook.course(req.params.courseId ?? '');
      if (!course) throw new HttpError(404, 'Unknown course');
      const rlid = queryString(req, 'rlid');
      if (rlid !== undefined && this.gradebook.resourceLink(rlid)?.courseId !== course.id) {
        throw new HttpError(400, `rlid ${rlid} is not a resource link of course ${course.id}`);
      }
      const role = queryString(req, 'role');
      const matchesRole = (roles: string[]) =>
        role === undefined || roles.some((candidate) => candidate === role || candidate.endsWith(`#${role}`));
      const members = course.members
        .filter((member) => matchesRole(member.roles))
        .map((member) => {
          const user = this.#users.get(member.userId) ?? { id: member.userId };
          return Object.fromEntries(
            Object.entries({
              status: member.status,
              name: user.name,
              picture: user.picture,
              given_name: user.given_name,
              family_name: user.family_name,
              email: user.email,
              user_id: member.userId,
              roles: member.roles,
            }).filter(([, value]) => value !== undefined),
          );
        });
      const page = paginate(members, pageRequestFromQuery(req.query));
      const url = `${this.baseUrl}${req.originalUrl}`;
      const link = linkHeader(url, page);
      return {
        status: 200,
        body: {
          id: url,
          context: Object.fromEntries(
            Object.entries({ id: course.id, label: course.label, title: course.title }).filter(
              ([, v]) => v !== undefined,
            ),
          ),
          members: page.items,
        },
        headers: { 'Content-Type': MEDIA_TYPE.membershipContainer, ...(link ? { Link: link } : {}) },
        extra: { memberCount: page.items.length },
      };
    });
  }

  // ─── Deep linking return ────────────────────────────────────────────────────────────────────

  async #deepLinkingReturn(req: Request, res: Response): Promise<void> {
    const launchId = req.params.launchId ?? '';
    const launch = this.#launches.get(launchId);
    const jwt = stringParams(req.body).JWT;
    const event: PlatformEventOf<'deep-linking'> = {
      type: 'deep-linking',
      seq: 0,
      at: this.#clock.now(),
      ok: false,
      status: 400,
      launchId,
      errors: [],
      contentItems: [],
      resourceLinks: [],
      lineItems: [],
    };
    const fail = (errors: string[]) => {
      this.#record({ ...event, ok: false, status: 400, errors });
      res
        .status(400)
        .type('html')
        .send(
          `<!doctype html><html><body><h1>Deep linking failed</h1><ul>${errors
            .map((error) => `<li>${escapeHtml(error)}</li>`)
            .join('')}</ul></body></html>`,
        );
    };
    if (!launch || launch.messageType !== MESSAGE_TYPE.deepLinkingRequest) {
      return fail([`${launchId} is not a deep linking request of this platform`]);
    }
    const settings = launch.input.deepLinkingSettings;
    if (!settings) return fail(['The deep linking request had no settings']);
    if (!jwt) return fail(['The form field JWT is missing']);
    let decoded;
    try {
      decoded = decodeJws(jwt);
    } catch (error) {
      return fail([`JWT is not a JWS: ${(error as Error).message}`]);
    }
    const { header, payload } = decoded;
    if (header.alg !== 'RS256') return fail([`alg must be RS256, got ${String(header.alg)}`]);
    if (typeof header.kid !== 'string') return fail(['The JWT header has no kid']);
    const clientId = typeof payload.iss === 'string' ? payload.iss : undefined;
    if (clientId) event.clientId = clientId;
    const tool = clientId ? this.#tools.get(clientId) : undefined;
    if (!tool) return fail([`iss ${String(payload.iss)} is not a registered client id`]);
    if (tool.clientId !== launch.clientId)
      return fail([`iss ${tool.clientId} is not the tool that was launched`]);
    const key = await this.#toolKeys.key(tool.jwksUrl, header.kid);
    if (!key) return fail([`kid ${header.kid} is not in the tool's JWKS (${tool.jwksUrl})`]);
    if (!verifyRs256Signature(jwt, key)) return fail(['The JWT signature is invalid']);
    const { errors, contentItems } = checkDeepLinkingResponse(payload, {
      clientId: tool.clientId,
      platformIssuer: this.issuer,
      deploymentId: launch.deploymentId,
      data: settings.data,
      acceptTypes: settings.accept_types,
      acceptMultiple: settings.accept_multiple !== false,
      acceptLineItem: settings.accept_lineitem !== false,
      nowSeconds: this.#clock.now().getTime() / 1000,
    });
    event.contentItems = contentItems;
    if (payload[CLAIM.dlMsg] !== undefined) event.message = payload[CLAIM.dlMsg];
    if (payload[CLAIM.dlLog] !== undefined) event.log = payload[CLAIM.dlLog];
    const courseId = launch.courseId;
    if (!courseId && contentItems.some((item) => (item as { lineItem?: unknown }).lineItem !== undefined)) {
      errors.push('A line item needs a course, and the deep linking request had no context');
    }
    if (errors.length > 0) return fail(errors);

    for (const item of contentItems) {
      if (item.type !== 'ltiResourceLink') continue;
      const resource = item as LtiResourceLinkItem;
      const link = this.gradebook.addResourceLink({
        courseId,
        title: resource.title,
        text: resource.text,
        url: resource.url,
        custom: resource.custom,
        origin: 'deep-linking',
        clientId: tool.clientId,
      });
      event.resourceLinks.push(link);
      if (resource.lineItem && courseId) {
        const lineItem = this.gradebook.createLineItem(courseId, {
          label: resource.lineItem.label ?? resource.title ?? link.id,
          scoreMaximum: resource.lineItem.scoreMaximum,
          ...(resource.lineItem.resourceId !== undefined ? { resourceId: resource.lineItem.resourceId } : {}),
          ...(resource.lineItem.tag !== undefined ? { tag: resource.lineItem.tag } : {}),
          resourceLinkId: link.id,
        });
        event.lineItems.push(lineItem);
      }
    }
    this.#record({ ...event, ok: true, status: 200 });
    res
      .status(200)
      .type('html')
      .send(
        `<!doctype html><html><body><h1>Deep linking done</h1><p>${contentItems.length} item(s) added.</p>${
          typeof event.message === 'string' ? `<p>${escapeHtml(event.message)}</p>` : ''
        }</body></html>`,
      );
  }
}

/** Creates an emulator (not started: call `start()`). */
export function createPlatformEmulator(options: PlatformEmulatorOptions = {}): PlatformEmulator {
  return new PlatformEmulator(options);
}
