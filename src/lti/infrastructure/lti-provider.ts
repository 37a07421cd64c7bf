import path from 'node:path';
import type { Express, NextFunction, Request, Response } from 'express';
import ltijs, { type Platform } from 'ltijs';
import type { ServiceCredentials } from './service-client.js';
import type { Clock } from '../../shared/domain/clock.js';
import { PROJECT_ROOT } from '../../shared/infrastructure/embedded-db/engine-binary.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import { TOKEN_MAX_AGE_SECONDS, type Claims } from '../domain/id-token-checks.js';
import { launchFailureReasonOf, type LaunchFailureReason } from '../domain/launch-failures.js';
import { launchFromClaims, type Launch } from '../domain/launch.js';
import { TOOL_NAME, toolEndpoints } from '../domain/tool-endpoints.js';
import { createJwksCache } from './jwks-cache.js';
import type { LaunchStore } from './launch-store.js';
import { installLtijsHardening, runWithLaunchRequest } from './ltijs-hardening.js';
import { isIdTokenPost, ltikCarriedBy } from './ltik-refusal.js';

/**
 * ltijs 5.9.9, set up once per process (its Provider is a singleton), hardened, and mounted by the
 * app under /lti: /lti/login, /lti/keys, /lti/register and the launch URL /lti/launch. ltijs keeps its
 * own mongoose 7 connection (docs/adr/0001). Its handlers call the dependencies of the server that is
 * running now, so that tests can start and stop servers in one process.
 */

export const LTI_MOUNT_PATH = '/lti';
export const LAUNCH_PATH = `${LTI_MOUNT_PATH}/launch`;

export interface LtiHandlers {
  /** A launch passed every check: create the session and send the browser on. */
  onLaunch(launch: Launch, req: Request, res: Response): Promise<void>;
  /** A launch was refused: answer with an explanatory page. */
  onRefusal(reason: LaunchFailureReason, detail: string, req: Request, res: Response): void;
  /** GET/POST /lti/register: LTI Dynamic Registration (404 when absent). */
  onDynamicRegistration?(req: Request, res: Response): Promise<void>;
}

export interface LtiDependencies extends LtiHandlers {
  readonly databaseUri: string;
  readonly encryptionKey: string;
  readonly publicUrl: string;
  readonly store: LaunchStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** ltijs's dynReg options (our handler, onDynamicRegistration, does the registration itself). */
  readonly dynamicRegistration?: { readonly autoActivate: boolean; readonly description: string };
}

type RequestHandlerOf = (req: Request, res: Response, next: NextFunction) => void;

let current: LtiDependencies | undefined;
let setUpFor: string | undefined;
let deployed = false;

const secureCookies = (publicUrl: string) => publicUrl.startsWith('https://');

/** Adds the CHIPS `Partitioned` attribute to cross-site cookies, so that they work inside LMS iframes. */
export function partitionCookies(_req: Request, res: Response, next: NextFunction) {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name: string, value: number | string | readonly string[]) => {
    if (name.toLowerCase() === 'set-cookie') {
      const cookies = (Array.isArray(value) ? value : [String(value)]) as string[];
      const partitioned = cookies.map((cookie) =>
        /;\s*SameSite=None/i.test(cookie) && /;\s*Secure/i.test(cookie) && !/;\s*Partitioned/i.test(cookie)
          ? `${cookie}; Partitioned`
          : cookie,
      );
      return setHeader(name, partitioned);
    }
    return setHeader(name, value);
  };
  next();
}

/** ltijs's launch token (idtoken + platformContext) back into the claim shape our domain reads. */
function claimsOf(token: Record<string, unknown>): { claims: Claims; clientId: string } {
  const context = (token.platformContext ?? {}) as Record<string, unknown>;
  const user = (token.userInfo ?? {}) as Record<string, unknown>;
  const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
  return {
    clientId: String(token.clientId),
    claims: {
      iss: token.iss,
      sub: token.user,
      name: user.name,
      given_name: user.given_name,
      family_name: user.family_name,
      email: user.email,
      [`${lti}deployment_id`]: token.deploymentId,
      [`${lti}roles`]: context.roles ?? [],
      [`${lti}message_type`]: context.messageType,
      [`${lti}version`]: context.version,
      [`${lti}context`]: context.context,
      [`${lti}resource_link`]: context.resource,
      [`${lti}custom`]: context.custom,
      [`${lti}launch_presentation`]: context.launchPresentation,
      [`${lti}lis`]: context.lis,
      [`${lti}target_link_uri`]: context.targetLinkUri,
      'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': context.endpoint,
      'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': context.namesRoles,
      'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': context.deepLinkingSettings,
    },
  };
}

function active(): LtiDependencies {
  if (!current) throw new Error('LTI is not running');
  return current;
}

function refusal(reason: LaunchFailureReason) {
  return (req: Request, res: Response) => {
    active().onRefusal(reason, '', req, res);
  };
}

/** Sets ltijs up (once per process), points its handlers at `deps`, and returns the app to mount. */
export async function startLti(deps: LtiDependencies): Promise<Express> {
  const lti = ltijs.Provider;
  current = deps;
  installLtijsHardening({
    store: deps.store,
    jwks: createJwksCache(),
    clock: deps.clock,
    publicUrl: deps.publicUrl,
  });

  if (setUpFor === undefined) {
    const secure = secureCookies(deps.publicUrl);
    lti.setup(
      deps.encryptionKey,
      { url: deps.databaseUri },
      {
        appRoute: '/launch',
        loginRoute: '/login',
        keysetRoute: '/keys',
        dynRegRoute: '/register',
        dynReg: {
          url: `${deps.publicUrl}${LTI_MOUNT_PATH}`,
          name: TOOL_NAME,
          logo: toolEndpoints(deps.publicUrl).logoUrl,
          description: deps.dynamicRegistration?.description ?? TOOL_NAME,
          redirectUris: [toolEndpoints(deps.publicUrl).launchUrl],
          customParameters: {},
          autoActivate: deps.dynamicRegistration?.autoActivate ?? false,
          useDeepLinking: true,
        },
        cors: false,
        devMode: false,
        // The validated launch goes straight to onConnect/onDeepLinking in the id_token POST,
        // instead of a 302 to /lti/launch?ltik=… and two more reads: one round trip less, and no
        // ltik in a URL. Our own session takes over at once (docs/adr/0003, "Sessions after launch").
        ltiaas: true,
        tokenMaxAge: TOKEN_MAX_AGE_SECONDS,
        cookies: secure ? { secure: true, sameSite: 'None' } : { secure: false, sameSite: 'Lax' },
        serverAddon: (app) => {
          app.set('view engine', 'ejs');
          app.set('views', path.join(PROJECT_ROOT, 'views'));
          // We never hand out ltijs's ltik, and in ltiaas mode ltijs would take one without its
          // session cookie and call onConnect again: refuse any request carrying one before ltijs acts
          // on it (its server has put it in req.token by now; its session validator runs after this).
          app.use((req, res, next) => {
            const carrier = ltikCarriedBy(req);
            if (carrier === undefined) {
              next();
              return;
            }
            active().onRefusal('LTIK_NOT_ACCEPTED', `ltik in ${carrier}`, req, res);
          });
          if (secure) app.use(partitionCookies);
          // The URL that received the request, as the platform sees it, for the target_link_uri check.
          // ltijs has parsed the body by then: the state identifies the login this response answers.
          app.use((req, _res, next) => {
            const receivedUrl = `${active().publicUrl}${req.originalUrl.split('?')[0] ?? ''}`;
            const state = typeof req.body?.state === 'string' ? (req.body.state as string) : undefined;
            runWithLaunchRequest({ receivedUrl, ...(state !== undefined && { state }) }, next);
          });
        },
      },
    );
    const launched = async (token: Record<string, unknown>, req: Request, res: Response) => {
      // Only the validated id_token POST launches: never ltijs's ltik path (see the addon above).
      if (!isIdTokenPost(req)) {
        active().onRefusal('LTIK_NOT_ACCEPTED', 'not the id_token POST', req, res);
        return;
      }
      const { claims, clientId } = claimsOf(token);
      await active().onLaunch(launchFromClaims(claims, clientId), req, res);
    };
    lti.onConnect((token, req, res, next) => launched(token, req, res).catch(next));
    lti.onDeepLinking((token, req, res, next) => launched(token, req, res).catch(next));
    lti.onInvalidToken((req: Request, res: Response) => {
      const error = res.locals.err as { details?: { message?: string } } | undefined;
      const message = error?.details?.message ?? '';
      active().onRefusal(launchFailureReasonOf(message), message, req, res);
    });
    lti.onSessionTimeout(refusal('SESSION_EXPIRED'));
    lti.onUnregisteredPlatform(refusal('UNKNOWN_ISSUER'));
    lti.onInactivePlatform(refusal('PLATFORM_INACTIVE'));
    // ltijs's own flow drops the platform's response, and with it the deployment id: ours keeps it.
    (lti as unknown as { onDynamicRegistration(handler: RequestHandlerOf): true }).onDynamicRegistration(
      (req, res, next) => {
        const handler = current?.onDynamicRegistration;
        if (!handler) {
          res.status(404).end();
          return;
        }
        handler(req, res).catch(next);
      },
    );
    setUpFor = deps.databaseUri;
  } else if (setUpFor !== deps.databaseUri) {
    deps.logger.warn(
      { ltiDatabase: setUpFor },
      'ltijs can be set up once per process: it keeps using the database it was first given',
    );
  }
  if (!deployed) {
    // deploy() adds a SIGINT listener that exits the process at once, which would cut our graceful
    // shutdown short: keep shutdown ours by removing exactly the listeners it adds.
    const before = new Set(process.listeners('SIGINT'));
    await lti.deploy({ serverless: true, silent: true });
    for (const listener of process.listeners('SIGINT')) {
      if (!before.has(listener)) process.off('SIGINT', listener);
    }
    deployed = true;
  }
  return lti.app;
}

/** Closes ltijs's database connection; the next startLti() reconnects it. */
export async function stopLti(): Promise<void> {
  current = undefined;
  if (deployed) {
    deployed = false;
    await ltijs.Provider.close({ silent: true });
  }
}

export function ltiProvider() {
  return ltijs.Provider;
}

/** What the AGS client needs to sign its client assertion, from ltijs's stored registration. */
export async function serviceCredentials(
  issuer: string,
  clientId: string,
): Promise<ServiceCredentials | undefined> {
  const platform = (await ltijs.Provider.getPlatform(issuer, clientId)) as
    | (Platform & {
        platformAuthorizationServer(): Promise<string | undefined>;
        platformPrivateKey(): Promise<string>;
      })
    | false;
  if (!platform) return undefined;
  const tokenEndpoint = await platform.platformAccessTokenEndpoint();
  return {
    tokenEndpoint,
    audience: (await platform.platformAuthorizationServer()) || tokenEndpoint,
    clientId,
    keyId: await platform.platformKid(),
    privateKey: await platform.platformPrivateKey(),
  };
}

/** The database ltijs was set up with in this process (it keeps the first one it is given). */
export function ltijsDatabaseUri(): string | undefined {
  return setUpFor;
}
