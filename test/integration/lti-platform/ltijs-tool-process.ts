/**
 * A bare ltijs 5.9.9 tool, run in a child process by ltijs-against-emulator.test.ts.
 *
 * Why a child process: ltijs's Provider is a process-wide singleton (a second `setup` throws
 * PROVIDER_ALREADY_SETUP), and mocha runs every integration test file in one process, where
 * test/integration/lti/ltijs-on-engine.test.ts already sets it up. A process of its own lets this
 * tool choose its options (appRoute '/launch') whatever the file order.
 *
 * Protocol: started with LTIJS_TOOL_DATABASE_URI in the environment and an IPC channel; it sends
 * `{ type: 'ready', url }` once listening, and exits when the parent disconnects.
 * Routes: /launch (onConnect → JSON of the launch, onDeepLinking → the deep linking form),
 * /api/* (ltijs services, need the ltik and the session cookie), /harness/* (test controls).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Express, type Request, type Response } from 'express';
import ltijs, { type PlatformRegistration } from 'ltijs';
import { findFreePort } from '../../../src/shared/infrastructure/embedded-db/embedded-engine.js';

type IdToken = Record<string, unknown> & {
  user: string;
  platformContext: {
    endpoint?: { lineitem?: string; lineitems?: string };
    deepLinkingSettings?: { deep_link_return_url: string };
  };
};

/** The part of ltijs's services used here (types/ltijs.d.ts does not declare them yet). */
interface LtijsServices {
  Grade: {
    submitScore(
      idtoken: IdToken,
      lineItemId: string,
      score: Record<string, unknown>,
    ): Promise<Record<string, unknown>>;
    getScores(
      idtoken: IdToken,
      lineItemId: string,
      options?: { userId?: string; limit?: number },
    ): Promise<unknown>;
    getLineItems(idtoken: IdToken, options?: Record<string, unknown>): Promise<unknown>;
    createLineItem(
      idtoken: IdToken,
      lineItem: Record<string, unknown>,
      options?: { resourceLinkId?: boolean },
    ): Promise<unknown>;
  };
  NamesAndRoles: {
    getMembers(
      idtoken: IdToken,
      options?: {
        role?: string;
        limit?: number;
        pages?: number | false;
        url?: string;
        resourceLinkId?: boolean;
      },
    ): Promise<unknown>;
  };
  DeepLinking: {
    createDeepLinkingMessage(
      idtoken: IdToken,
      contentItems: Array<Record<string, unknown>>,
      options?: { message?: string; log?: string; errMessage?: string; errLog?: string },
    ): Promise<string>;
  };
  Database: { Delete(collection: string, query: Record<string, unknown>): Promise<boolean> };
}

const databaseUri = process.env.LTIJS_TOOL_DATABASE_URI;
if (!databaseUri) throw new Error('LTIJS_TOOL_DATABASE_URI is required');

const lti = ltijs.Provider;
const services = lti as unknown as LtijsServices;

function addHarnessRoutes(app: Express) {
  // serverAddon routes run before ltijs's session check: public test controls.
  app.post('/harness/platforms', async (req: Request, res: Response) => {
    const platform = await lti.registerPlatform(req.body as PlatformRegistration);
    res.json({ kid: await platform.platformKid() });
  });
  app.post('/harness/forget-access-tokens', async (_req: Request, res: Response) => {
    await services.Database.Delete('accesstoken', {});
    res.json({ ok: true });
  });
}

lti.setup(
  `ltijs-tool-process-${randomBytes(8).toString('hex')}`,
  { url: databaseUri },
  {
    appRoute: '/launch',
    cookies: { secure: false, sameSite: '' },
    tokenMaxAge: 60,
    devMode: false,
    serverAddon: addHarnessRoutes,
  },
);

lti.onConnect((token, req, res) => {
  res.json({
    handler: 'onConnect',
    token,
    ltik: res.locals.ltik as string,
    query: req.query,
  });
});

lti.onDeepLinking(async (token, req, res) => {
  const idtoken = token as IdToken;
  const toolUrl = `${req.protocol}://${req.get('host') ?? ''}`;
  const items = [
    {
      type: 'ltiResourceLink',
      title: 'Positioning',
      url: `${toolUrl}/launch?activity=positioning`,
      custom: { activity: 'positioning' },
      lineItem: { scoreMaximum: 100, label: 'Positioning', resourceId: 'positioning', tag: 'pix' },
    },
    {
      type: 'ltiResourceLink',
      title: 'Practice',
      url: `${toolUrl}/launch`,
      custom: { activity: 'practice' },
    },
    { type: 'html', html: '<p>not accepted by the platform: ltijs drops it silently</p>' },
  ];
  const message = await services.DeepLinking.createDeepLinkingMessage(idtoken, items, {
    message: 'Two activities added',
  });
  const action = idtoken.platformContext.deepLinkingSettings?.deep_link_return_url ?? '';
  res
    .type('html')
    .send(
      `<!doctype html><html><body><form id="dl" action="${action}" method="POST">` +
        `<input type="hidden" name="JWT" value="${message}"></form>` +
        `<script>document.getElementById('dl').submit()</script></body></html>`,
    );
});

/** Runs an ltijs service call for the launch of the request, with an optional timeout. */
async function serviceCall(req: Request, res: Response, call: (idtoken: IdToken) => Promise<unknown>) {
  const idtoken = res.locals.token as IdToken;
  const timeoutMs = Number(req.query.timeoutMs ?? 0);
  try {
    const work = call(idtoken);
    const result =
      timeoutMs > 0
        ? await Promise.race([
            work,
            new Promise((_resolve, reject) =>
              setTimeout(() => reject(new Error(`TIMEOUT after ${timeoutMs} ms`)), timeoutMs),
            ),
          ])
        : await work;
    res.json({ ok: true, result });
  } catch (error) {
    const response = (error as { response?: { statusCode?: number; body?: unknown } }).response;
    res.status(502).json({
      ok: false,
      error: (error as Error).message,
      name: (error as Error).name,
      ...(response ? { status: response.statusCode, body: response.body } : {}),
    });
  }
}

lti.app.post('/api/score', (req, res) =>
  serviceCall(req, res, (idtoken) => {
    const body = req.body as { lineItemId?: string; score: Record<string, unknown> };
    const lineItemId = body.lineItemId ?? idtoken.platformContext.endpoint?.lineitem;
    if (!lineItemId) throw new Error('The launch has no line item');
    return services.Grade.submitScore(idtoken, lineItemId, body.score);
  }),
);
lti.app.get('/api/scores', (req, res) =>
  serviceCall(req, res, (idtoken) =>
    services.Grade.getScores(
      idtoken,
      String(req.query.lineItemId ?? idtoken.platformContext.endpoint?.lineitem),
    ),
  ),
);
lti.app.get('/api/lineitems', (req, res) =>
  serviceCall(req, res, (idtoken) =>
    services.Grade.getLineItems(idtoken, {
      ...(req.query.tag ? { tag: String(req.query.tag) } : {}),
      ...(req.query.limit ? { limit: Number(req.query.limit) } : {}),
      ...(req.query.resourceLinkId ? { resourceLinkId: true } : {}),
    }),
  ),
);
lti.app.post('/api/lineitems', (req, res) =>
  serviceCall(req, res, (idtoken) =>
    services.Grade.createLineItem(idtoken, req.body as Record<string, unknown>, { resourceLinkId: true }),
  ),
);
lti.app.get('/api/members', (req, res) =>
  serviceCall(req, res, (idtoken) =>
    services.NamesAndRoles.getMembers(idtoken, {
      ...(req.query.limit ? { limit: Number(req.query.limit) } : {}),
      ...(req.query.role ? { role: String(req.query.role) } : {}),
      pages: req.query.pages === 'all' ? false : Number(req.query.pages ?? 1),
    }),
  ),
);

await lti.deploy({ serverless: true, silent: true });
const app = express();
app.use(lti.app);
const port = await findFreePort();
const server: Server = await new Promise((resolve) => {
  const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
});
process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });

process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
  void lti.close({ silent: true }).finally(() => process.exit(0));
});
