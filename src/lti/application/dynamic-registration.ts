import type { Request, Response as ExpressResponse } from 'express';
import { setResponseLocale } from '../../shared/application/http.js';
import type { Clock } from '../../shared/domain/clock.js';
import { resolveLocale } from '../../shared/domain/locale.js';
import type { I18n } from '../../shared/infrastructure/i18n/i18n.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import { TOOL_NAME, toolEndpoints, type ToolEndpoints } from '../domain/tool-endpoints.js';
import {
  checkClientId,
  checkDeploymentId,
  checkRegistration,
  checkUrl,
  PlatformAdminError,
  type DeploymentStore,
  type PlatformRegistrationInput,
  type PlatformRegistry,
} from './platform-admin.js';

/**
 * LTI Dynamic Registration 1.0 (Moodle 4.x "Add LTI Advantage"), in place of ltijs's
 * `DynamicRegistration.register`, which keeps the platform's registration response to itself:
 * Moodle answers with the deployment id it created (`lti-tool-configuration.deployment_id`, its
 * tool type id), and our launch checks refuse unknown deployments. So the flow is ours, on
 * ltijs's storage:
 *
 * 1. GET the platform's OpenID configuration (`openid_configuration`, from the query);
 * 2. POST our registration (the body ltijs would send, with our URLs) to its
 *    `registration_endpoint`, with the `registration_token` as a bearer token;
 * 3. register the platform through ltijs (JWK_SET, a fresh tool key pair), inactive unless
 *    LTI_DYNREG_AUTO_ACTIVATE is true;
 * 4. record the deployment id of the response (source 'dynamic-registration'); when the platform
 *    sends none, let the registration's deployments record themselves at their first launch
 *    (auto-deployments on) instead;
 * 5. answer with a page that sends the `org.imsglobal.lti.close` message to the platform.
 */

export const LTI_TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const LTI_PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

export const REGISTRATION_SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
] as const;

/** The identity claims the tool asks for: names for the teacher's views, email for certificates. */
export const REGISTRATION_CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'] as const;

export type DynamicRegistrationErrorCode =
  | 'MISSING_OPENID_CONFIGURATION'
  | 'INVALID_OPENID_CONFIGURATION_URL'
  | 'PLATFORM_UNREACHABLE'
  | 'INVALID_PLATFORM_CONFIGURATION'
  | 'REGISTRATION_REFUSED'
  | 'INVALID_REGISTRATION_RESPONSE'
  | 'PLATFORM_EXISTS'
  | 'BUSY';

const STATUS: Record<DynamicRegistrationErrorCode, number> = {
  MISSING_OPENID_CONFIGURATION: 400,
  INVALID_OPENID_CONFIGURATION_URL: 400,
  PLATFORM_UNREACHABLE: 502,
  INVALID_PLATFORM_CONFIGURATION: 502,
  REGISTRATION_REFUSED: 502,
  INVALID_REGISTRATION_RESPONSE: 502,
  PLATFORM_EXISTS: 409,
  BUSY: 429,
};

export class DynamicRegistrationError extends Error {
  override name = 'DynamicRegistrationError';
  constructor(
    readonly code: DynamicRegistrationErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export interface DynamicRegistrationSettings {
  readonly publicUrl: string;
  /** Activate registrations at once (LTI_DYNREG_AUTO_ACTIVATE); otherwise an administrator does. */
  readonly autoActivate: boolean;
  /** Shown by the LMS next to the tool's name. */
  readonly description: string;
}

export interface DynamicRegistrationDependencies extends DynamicRegistrationSettings {
  readonly registry: PlatformRegistry;
  readonly deployments: DeploymentStore;
  readonly clock: Clock;
  /** `globalThis.fetch` by default. */
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export interface DynamicRegistrationOutcome {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string;
  readonly active: boolean;
  /** The deployment the platform announced, recorded; absent when it announced none. */
  readonly deploymentId: string | undefined;
  /** On when the platform announced no deployment: the first launches record theirs. */
  readonly autoDeployments: boolean;
}

/** The registration request ltijs 5.9.9 sends (DynamicRegistration.js), with our URLs and claims. */
export function buildRegistrationRequest(
  endpoints: ToolEndpoints,
  description: string,
): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: endpoints.loginUrl,
    redirect_uris: [endpoints.launchUrl],
    client_name: TOOL_NAME,
    jwks_uri: endpoints.keysetUrl,
    logo_uri: endpoints.logoUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: REGISTRATION_SCOPES.join(' '),
    [LTI_TOOL_CONFIGURATION]: {
      domain: endpoints.domain,
      description,
      target_link_uri: endpoints.launchUrl,
      custom_parameters: {},
      claims: [...REGISTRATION_CLAIMS],
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: endpoints.launchUrl, label: TOOL_NAME },
        { type: 'LtiDeepLinkingRequest', target_link_uri: endpoints.deepLinkingUrl, label: TOOL_NAME },
      ],
    },
  };
}

const MAX_RESPONSE_BYTES = 256 * 1024;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

async function readJson(response: Response, what: string): Promise<unknown> {
  const body = await response.text();
  if (body.length > MAX_RESPONSE_BYTES) {
    throw new DynamicRegistrationError('INVALID_PLATFORM_CONFIGURATION', `${what} is larger than 256 kB`);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new DynamicRegistrationError(
      what === 'the registration response'
        ? 'INVALID_REGISTRATION_RESPONSE'
        : 'INVALID_PLATFORM_CONFIGURATION',
      `${what} is not JSON (HTTP ${response.status})`,
    );
  }
}

/** The platform's values from its OpenID configuration, checked like an administrator's input. */
export function platformFromConfiguration(configuration: unknown): {
  registration: PlatformRegistrationInput;
  registrationEndpoint: string;
} {
  if (!isObject(configuration)) {
    throw new DynamicRegistrationError(
      'INVALID_PLATFORM_CONFIGURATION',
      'the configuration is not an object',
    );
  }
  const platformConfiguration = isObject(configuration[LTI_PLATFORM_CONFIGURATION])
    ? configuration[LTI_PLATFORM_CONFIGURATION]
    : {};
  const issuer = text(configuration.issuer);
  const family = text(platformConfiguration.product_family_code) || 'LMS';
  let host = issuer;
  try {
    host = new URL(issuer).host;
  } catch {
    // Reported by the issuer check below.
  }
  try {
    const authorizationServer = text(configuration.authorization_server);
    return {
      registration: checkRegistration({
        issuer,
        clientId: 'pending',
        name: `${family.slice(0, 40)} · ${host}`,
        authenticationEndpoint: text(configuration.authorization_endpoint),
        accessTokenEndpoint: text(configuration.token_endpoint),
        jwksUrl: text(configuration.jwks_uri),
        ...(authorizationServer && { authorizationServer }),
      }),
      registrationEndpoint: checkUrl(text(configuration.registration_endpoint), 'registrationEndpoint'),
    };
  } catch (error) {
    if (error instanceof PlatformAdminError) {
      throw new DynamicRegistrationError('INVALID_PLATFORM_CONFIGURATION', error.message);
    }
    throw error;
  }
}

/** The client id and the deployment id (if any) of a registration response. */
export function parseRegistrationResponse(body: unknown): {
  clientId: string;
  deploymentId: string | undefined;
} {
  if (!isObject(body) || typeof body.client_id !== 'string' || body.client_id.trim() === '') {
    throw new DynamicRegistrationError('INVALID_REGISTRATION_RESPONSE', 'the response has no client_id');
  }
  const toolConfiguration = isObject(body[LTI_TOOL_CONFIGURATION]) ? body[LTI_TOOL_CONFIGURATION] : {};
  const rawDeployment = toolConfiguration.deployment_id;
  let deploymentId: string | undefined;
  if (typeof rawDeployment === 'string' || typeof rawDeployment === 'number') {
    try {
      deploymentId = checkDeploymentId(String(rawDeployment).trim());
    } catch {
      deploymentId = undefined;
    }
  }
  try {
    return { clientId: checkClientId(body.client_id.trim()), deploymentId };
  } catch (error) {
    throw new DynamicRegistrationError(
      'INVALID_REGISTRATION_RESPONSE',
      error instanceof Error ? error.message : String(error),
    );
  }
}

export async function registerWithPlatform(
  deps: DynamicRegistrationDependencies,
  request: { openidConfiguration: string | undefined; registrationToken: string | undefined },
): Promise<DynamicRegistrationOutcome> {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  if (!request.openidConfiguration) {
    throw new DynamicRegistrationError(
      'MISSING_OPENID_CONFIGURATION',
      'the openid_configuration parameter is missing',
    );
  }
  let configurationUrl: string;
  try {
    configurationUrl = checkUrl(request.openidConfiguration, 'openidConfiguration');
  } catch (error) {
    throw new DynamicRegistrationError(
      'INVALID_OPENID_CONFIGURATION_URL',
      error instanceof Error ? error.message : String(error),
    );
  }

  const call = async (url: string, init: RequestInit, what: string) => {
    try {
      return await doFetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new DynamicRegistrationError(
        'PLATFORM_UNREACHABLE',
        `${what}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  const configurationResponse = await call(
    configurationUrl,
    { headers: { Accept: 'application/json' } },
    'the OpenID configuration',
  );
  if (!configurationResponse.ok) {
    throw new DynamicRegistrationError(
      'PLATFORM_UNREACHABLE',
      `the OpenID configuration answered HTTP ${configurationResponse.status}`,
    );
  }
  const { registration, registrationEndpoint } = platformFromConfiguration(
    await readJson(configurationResponse, 'the OpenID configuration'),
  );

  const endpoints = toolEndpoints(deps.publicUrl);
  const registrationResponse = await call(
    registrationEndpoint,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(request.registrationToken && { Authorization: `Bearer ${request.registrationToken}` }),
      },
      body: JSON.stringify(buildRegistrationRequest(endpoints, deps.description)),
    },
    'the registration endpoint',
  );
  if (!registrationResponse.ok) {
    const excerpt = (await registrationResponse.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    throw new DynamicRegistrationError(
      'REGISTRATION_REFUSED',
      `the registration endpoint answered HTTP ${registrationResponse.status}${excerpt ? `: ${excerpt}` : ''}`,
    );
  }
  const { clientId, deploymentId } = parseRegistrationResponse(
    await readJson(registrationResponse, 'the registration response'),
  );

  const { issuer } = registration;
  if (await deps.registry.find(issuer, clientId)) {
    throw new DynamicRegistrationError(
      'PLATFORM_EXISTS',
      `a platform is already registered with issuer ${issuer} and client id ${clientId}`,
    );
  }
  const registered = await deps.registry.register(
    { ...registration, clientId },
    { active: deps.autoActivate },
  );
  try {
    if (deploymentId !== undefined) {
      await deps.deployments.addDeployment(
        { issuer, clientId, deploymentId, source: 'dynamic-registration' },
        deps.clock.now(),
      );
    }
    await deps.deployments.setDeploymentAutoRegistration(issuer, clientId, deploymentId === undefined);
  } catch (error) {
    if (deploymentId !== undefined) {
      await deps.deployments.removeDeployment(issuer, clientId, deploymentId).catch(() => false);
    }
    await deps.registry.remove(issuer, clientId).catch(() => undefined);
    throw error;
  }
  return {
    issuer,
    clientId,
    name: registered.name,
    active: registered.active,
    deploymentId,
    autoDeployments: deploymentId === undefined,
  };
}

/** At most this many registrations at once: each one generates a 4096-bit RSA key pair. */
const MAX_CONCURRENT_REGISTRATIONS = 2;

const parameter = (req: Request, name: string): string | undefined => {
  const fromQuery = req.query[name];
  if (typeof fromQuery === 'string' && fromQuery !== '') return fromQuery;
  const fromBody = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof fromBody === 'string' && fromBody !== '' ? fromBody : undefined;
};

/** The handler of GET/POST /lti/register (ltijs's dynRegRoute), with a page in the admin's language. */
export function createDynamicRegistrationHandler(
  deps: DynamicRegistrationDependencies & { readonly i18n: I18n; readonly logger: Logger },
): (req: Request, res: ExpressResponse) => Promise<void> {
  let inFlight = 0;
  return async (req, res) => {
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    setResponseLocale(res, deps.i18n, resolveLocale(lang, req.get('accept-language')));
    // Not this URL in the other language: its one-time token would start the registration again.
    res.locals.languageSwitchHref = `/?lang=${String(res.locals.otherLocale)}`;
    res.setHeader('Cache-Control', 'no-store');
    if (inFlight >= MAX_CONCURRENT_REGISTRATIONS) {
      res.setHeader('Retry-After', '10');
      res.status(429).render('admin/dynamic-registration', { outcome: undefined, error: 'BUSY' });
      return;
    }
    inFlight += 1;
    try {
      const outcome = await registerWithPlatform(deps, {
        openidConfiguration: parameter(req, 'openid_configuration'),
        registrationToken: parameter(req, 'registration_token'),
      });
      deps.logger.info(
        {
          issuer: outcome.issuer,
          clientId: outcome.clientId,
          deploymentId: outcome.deploymentId,
          active: outcome.active,
          autoDeployments: outcome.autoDeployments,
        },
        'platform registered by dynamic registration',
      );
      res.status(200).render('admin/dynamic-registration', { outcome, error: undefined });
    } catch (error) {
      if (error instanceof DynamicRegistrationError) {
        deps.logger.warn({ code: error.code, detail: error.detail }, 'dynamic registration failed');
        res
          .status(error.status)
          .render('admin/dynamic-registration', { outcome: undefined, error: error.code });
      } else {
        deps.logger.error({ err: error }, 'dynamic registration failed');
        res.status(500).render('admin/dynamic-registration', { outcome: undefined, error: 'UNEXPECTED' });
      }
    } finally {
      inFlight -= 1;
    }
  };
}
