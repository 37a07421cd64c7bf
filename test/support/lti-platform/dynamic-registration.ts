import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ALL_SCOPES, MESSAGE_TYPE } from './constants.js';
import type { PlatformEmulator } from './platform-emulator.js';

/**
 * LTI Dynamic Registration 1.0 on the platform side, the way Moodle 4.x does it
 * (mod/lti/openid-configuration.php and openid-registration.php), for a started emulator:
 * - GET  /mod/lti/openid-configuration.php: the emulator's issuer and endpoints, plus the
 *   registration endpoint;
 * - POST /mod/lti/openid-registration.php: checks the one-time registration token (bearer) and the
 *   tool's registration as Moodle does, registers the tool in the emulator (a new client id and a
 *   deployment id, Moodle's tool type id) and answers with Moodle's registration response, whose
 *   `lti-tool-configuration` carries the `deployment_id` (unless told to leave it out).
 * A server of its own, beside the emulator's (no change to the emulator needed).
 */

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

export interface DynamicRegistrationOptions {
  /** Include `deployment_id` in the registration response (Moodle does); true by default. */
  returnDeploymentId?: boolean;
  productFamilyCode?: string;
  /** Client id given to the next registration; random by default. */
  clientIdFor?: (sequence: number) => string;
}

export interface ReceivedRegistration {
  status: number;
  errors: string[];
  authorization: string | undefined;
  body: Record<string, unknown>;
  clientId?: string;
  deploymentId?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class DynamicRegistrationPlatform {
  readonly registrations: ReceivedRegistration[] = [];
  readonly #emulator: PlatformEmulator;
  readonly #options: DynamicRegistrationOptions;
  readonly #tokens = new Set<string>();
  readonly #app = express();
  #server: Server | undefined;
  #baseUrl: string | undefined;
  #sequence = 0;
  #configurationRequests = 0;

  constructor(emulator: PlatformEmulator, options: DynamicRegistrationOptions = {}) {
    this.#emulator = emulator;
    this.#options = options;
    this.#app.get('/mod/lti/openid-configuration.php', (_req, res) => {
      this.#configurationRequests += 1;
      res.json(this.openidConfiguration());
    });
    this.#app.post('/mod/lti/openid-registration.php', express.json({ limit: '64kb' }), (req, res) =>
      this.#register(req, res),
    );
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = this.#app.listen(0, '127.0.0.1', () => resolve(listening));
      listening.on('error', reject);
    });
    this.#server = server;
    this.#baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get baseUrl(): string {
    if (!this.#baseUrl) throw new Error('The dynamic registration platform is not started');
    return this.#baseUrl;
  }

  get openidConfigurationUrl(): string {
    return `${this.baseUrl}/mod/lti/openid-configuration.php`;
  }

  get registrationEndpoint(): string {
    return `${this.baseUrl}/mod/lti/openid-registration.php`;
  }

  get configurationRequests(): number {
    return this.#configurationRequests;
  }

  /** Moodle's OpenID configuration (no `authorization_server`, as Moodle). */
  openidConfiguration(): Record<string, unknown> {
    return {
      issuer: this.#emulator.issuer,
      authorization_endpoint: this.#emulator.authUrl,
      token_endpoint: this.#emulator.tokenUrl,
      jwks_uri: this.#emulator.jwksUrl,
      registration_endpoint: this.registrationEndpoint,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', ...ALL_SCOPES],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: this.#options.productFamilyCode ?? 'moodle',
        version: '4.3',
        messages_supported: [{ type: MESSAGE_TYPE.resourceLink }, { type: MESSAGE_TYPE.deepLinkingRequest }],
        variables: [],
      },
    };
  }

  /** A one-time registration token, as Moodle puts in the registration URL. */
  issueRegistrationToken(): string {
    const token = randomBytes(16).toString('hex');
    this.#tokens.add(token);
    return token;
  }

  /** The URL the admin's browser opens: the tool's registration URL with Moodle's parameters. */
  registrationStartUrl(toolRegistrationUrl: string, token = this.issueRegistrationToken()): string {
    const url = new URL(toolRegistrationUrl);
    url.searchParams.set('openid_configuration', this.openidConfigurationUrl);
    url.searchParams.set('registration_token', token);
    return url.toString();
  }

  #register(req: express.Request, res: express.Response): void {
    const authorization = req.get('authorization');
    const body = isObject(req.body) ? req.body : {};
    const received: ReceivedRegistration = { status: 0, errors: [], authorization, body };
    this.registrations.push(received);
    const refuse = (status: number, error: string) => {
      received.status = status;
      received.errors.push(error);
      res.status(status).json({ error });
    };

    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token || !this.#tokens.has(token)) return refuse(401, 'token_already_used_or_unknown');
    this.#tokens.delete(token);

    // Moodle's registration_helper::registration_to_config checks.
    const toolConfiguration = isObject(body[TOOL_CONFIGURATION]) ? body[TOOL_CONFIGURATION] : undefined;
    const responseTypes = body.response_types;
    const redirectUris = body.redirect_uris;
    for (const name of ['initiate_login_uri', 'client_name', 'jwks_uri', 'token_endpoint_auth_method']) {
      if (typeof body[name] !== 'string' || body[name] === '') received.errors.push(`missing ${name}`);
    }
    if (!toolConfiguration) received.errors.push(`missing ${TOOL_CONFIGURATION}`);
    if (!Array.isArray(responseTypes) || !responseTypes.includes('id_token'))
      received.errors.push('invalid_response_types');
    if (!Array.isArray(redirectUris) || redirectUris.some((uri) => typeof uri !== 'string'))
      received.errors.push('invalid_redirect_uris');
    if (body.token_endpoint_auth_method !== 'private_key_jwt')
      received.errors.push('invalid_token_endpoint_auth_method');
    if (body.application_type !== undefined && body.application_type !== 'web')
      received.errors.push('invalid_application_type');
    if (toolConfiguration && (typeof toolConfiguration.domain !== 'string' || !toolConfiguration.domain))
      received.errors.push('missing domain');
    if (toolConfiguration && typeof toolConfiguration.target_link_uri !== 'string')
      received.errors.push('missing target_link_uri');
    if (received.errors.length > 0 || !toolConfiguration) return refuse(400, received.errors.join('; '));

    this.#sequence += 1;
    const clientId = this.#options.clientIdFor?.(this.#sequence) ?? randomBytes(8).toString('hex');
    const deploymentId = String(100 + this.#sequence);
    const targetLinkUri = String(toolConfiguration.target_link_uri);
    const messages = Array.isArray(toolConfiguration.messages) ? toolConfiguration.messages : [];
    const deepLinking = messages.find(
      (message): message is Record<string, unknown> =>
        isObject(message) && message.type === MESSAGE_TYPE.deepLinkingRequest,
    );
    const scopes = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [];
    this.#emulator.registerTool({
      clientId,
      deploymentIds: [deploymentId],
      loginUrl: String(body.initiate_login_uri),
      jwksUrl: String(body.jwks_uri),
      targetLinkUri,
      ...(typeof deepLinking?.target_link_uri === 'string' && {
        deepLinkingUrl: deepLinking.target_link_uri,
      }),
      redirectUris: redirectUris as string[],
      scopes: scopes.filter((scope) => (ALL_SCOPES as readonly string[]).includes(scope)),
      name: String(body.client_name),
    });
    received.status = 200;
    received.clientId = clientId;
    received.deploymentId = deploymentId;

    // Moodle's registration_helper::config_to_registration.
    res.json({
      client_id: clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      response_types: ['id_token'],
      jwks_uri: body.jwks_uri,
      initiate_login_uri: body.initiate_login_uri,
      grant_types: ['client_credentials', 'implicit'],
      redirect_uris: redirectUris,
      application_type: ['web'],
      client_name: body.client_name,
      logo_uri: body.logo_uri ?? '',
      scope: scopes.join(' '),
      [TOOL_CONFIGURATION]: {
        ...(this.#options.returnDeploymentId !== false && { deployment_id: deploymentId }),
        target_link_uri: targetLinkUri,
        domain: toolConfiguration.domain,
        description: toolConfiguration.description ?? '',
        ...(deepLinking && { messages: [deepLinking] }),
        claims: ['sub', 'iss', 'name', 'family_name', 'middle_name', 'email'],
      },
    });
  }
}

/** Starts Moodle-like dynamic registration endpoints for a started emulator. */
export async function startDynamicRegistrationPlatform(
  emulator: PlatformEmulator,
  options: DynamicRegistrationOptions = {},
): Promise<DynamicRegistrationPlatform> {
  const platform = new DynamicRegistrationPlatform(emulator, options);
  await platform.start();
  return platform;
}
