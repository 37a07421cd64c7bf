import { CookieJar } from './cookie-jar.js';
import { parseSingleForm } from './html.js';
import type { LaunchSpec, PlatformEmulator, PreparedLaunch } from './platform-emulator.js';

/**
 * Drives LTI launches against a tool the way a browser would, without one: fetch with
 * `redirect: 'manual'` and a cookie jar. Login initiation → the tool's redirect to the platform's
 * /auth → the auto-submitted form → id_token + state POSTed to the tool with its cookies → the
 * tool's redirects (ltijs 302s to the same path with ?ltik=) → the final response.
 */

export interface HttpResult {
  status: number;
  headers: Headers;
  body: string;
  /** URL of this (final) response. */
  url: string;
  /** Every URL requested, in order (the first one included). */
  chain: Array<{ method: string; url: string; status: number }>;
  /** Set-Cookie headers received along the chain. */
  setCookies: string[];
}

export interface ToolResponse extends HttpResult {
  /** The ltik found in the final URL or a redirect of the chain (ltijs). */
  ltik: string | undefined;
  /** The body parsed as JSON, or undefined if it is not JSON. */
  json<T = unknown>(): T | undefined;
  /** ltijs's error code (`details.message`) when the body is one of its JSON errors. */
  ltijsError: string | undefined;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  followRedirects?: boolean;
  /** Uses this jar instead of the client's (e.g. an emptied copy to drop cookies). */
  jar?: CookieJar;
}

/** A launch stopped at the platform's door: the tool has answered the login initiation. */
export interface LaunchFlow {
  launch: PreparedLaunch;
  loginResponse: HttpResult;
  /** The platform authorization request the tool redirected to. */
  authUrl: string;
  authParams: Record<string, string>;
  state: string;
  nonce: string;
  redirectUri: string;
}

function withHelpers(result: HttpResult): ToolResponse {
  let ltik: string | undefined;
  for (const { url } of [...result.chain].reverse()) {
    ltik = new URL(url).searchParams.get('ltik') ?? undefined;
    if (ltik) break;
  }
  const json = <T>(): T | undefined => {
    try {
      return JSON.parse(result.body) as T;
    } catch {
      return undefined;
    }
  };
  const parsed = json<{ details?: { message?: unknown } }>();
  const ltijsError = typeof parsed?.details?.message === 'string' ? parsed.details.message : undefined;
  return { ...result, ltik, json, ltijsError };
}

export class LaunchClient {
  readonly jar: CookieJar;
  readonly #emulator: PlatformEmulator;
  readonly #maxRedirects: number;

  constructor(emulator: PlatformEmulator, options: { jar?: CookieJar; maxRedirects?: number } = {}) {
    this.#emulator = emulator;
    this.jar = options.jar ?? new CookieJar();
    this.#maxRedirects = options.maxRedirects ?? 10;
  }

  /** One HTTP request with the jar's cookies; follows redirects (303/302/301 become GET) unless told not to. */
  async request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
    const jar = options.jar ?? this.jar;
    let method = (
      options.method ?? (options.form || options.json !== undefined ? 'POST' : 'GET')
    ).toUpperCase();
    let body: string | undefined;
    const headers: Record<string, string> = { ...options.headers };
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const chain: HttpResult['chain'] = [];
    const setCookies: string[] = [];
    let current = url;
    for (let hop = 0; ; hop++) {
      const cookie = jar.headerFor(current);
      const response = await fetch(current, {
        method,
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        redirect: 'manual',
      });
      const received = response.headers.getSetCookie();
      jar.store(current, received);
      setCookies.push(...received);
      chain.push({ method, url: current, status: response.status });
      const location = response.headers.get('location');
      const isRedirect = [301, 302, 303, 307, 308].includes(response.status) && location;
      if (!isRedirect || options.followRedirects === false) {
        return {
          status: response.status,
          headers: response.headers,
          body: await response.text(),
          url: current,
          chain,
          setCookies,
        };
      }
      await response.arrayBuffer();
      if (hop >= this.#maxRedirects) throw new Error(`More than ${this.#maxRedirects} redirects from ${url}`);
      current = new URL(location, current).toString();
      if (response.status !== 307 && response.status !== 308) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
    }
  }

  /** A request to the tool, as the tool's own front end would make it after a launch. */
  async callTool(url: string, options: RequestOptions & { ltik?: string } = {}): Promise<ToolResponse> {
    const headers = { ...options.headers };
    if (options.ltik) headers.authorization = `Bearer ${options.ltik}`;
    return withHelpers(await this.request(url, { ...options, headers }));
  }

  /** Prepares a launch on the emulator and sends the login initiation to the tool, stopping before /auth. */
  async startLaunch(spec: LaunchSpec | PreparedLaunch): Promise<LaunchFlow> {
    const launch = 'loginInitiationUrl' in spec ? spec : this.#emulator.prepareLaunch(spec);
    const loginResponse =
      launch.loginMethod === 'GET'
        ? await this.request(launch.loginInitiationUrl, { followRedirects: false })
        : await this.request(launch.loginUrl, { form: launch.loginParams, followRedirects: false });
    const location = loginResponse.headers.get('location');
    if (loginResponse.status < 300 || loginResponse.status >= 400 || !location) {
      throw new Error(
        `The tool did not redirect the login initiation to the platform (HTTP ${loginResponse.status}): ${loginResponse.body.slice(0, 500)}`,
      );
    }
    const authUrl = new URL(location, launch.loginUrl);
    const authParams = Object.fromEntries(authUrl.searchParams.entries());
    return {
      launch,
      loginResponse,
      authUrl: authUrl.toString(),
      authParams,
      state: authParams.state ?? '',
      nonce: authParams.nonce ?? '',
      redirectUri: authParams.redirect_uri ?? '',
    };
  }

  /** Lets the platform answer the authorization request, then posts its form to the tool. */
  async completeLaunch(flow: LaunchFlow): Promise<ToolResponse> {
    const auth = await this.request(flow.authUrl, { followRedirects: false });
    if (auth.status !== 200) {
      throw new Error(`The platform refused the authorization request (HTTP ${auth.status}): ${auth.body}`);
    }
    const form = parseSingleForm(auth.body);
    return withHelpers(
      await this.request(new URL(form.action, flow.authUrl).toString(), { form: form.fields }),
    );
  }

  /** The whole launch; the final response of the tool (its onConnect page on success). */
  async launch(spec: LaunchSpec | PreparedLaunch): Promise<ToolResponse> {
    return this.completeLaunch(await this.startLaunch(spec));
  }

  /**
   * Posts an id_token of the caller's making for a started flow, as a forged authentication
   * response: with the flow's state and the tool's cookies by default, or a different state, or
   * without the state cookie.
   */
  async postIdToken(
    flow: LaunchFlow,
    idToken: string,
    options: { state?: string; withoutStateCookie?: boolean; withoutCookies?: boolean } = {},
  ): Promise<ToolResponse> {
    let jar = this.jar;
    if (options.withoutCookies) jar = new CookieJar();
    else if (options.withoutStateCookie) {
      jar = this.jar.clone();
      jar.remove((cookie) => cookie.name.startsWith('state'));
    }
    const target = flow.redirectUri || flow.launch.targetLinkUri;
    return withHelpers(
      await this.request(target, { form: { id_token: idToken, state: options.state ?? flow.state }, jar }),
    );
  }
}

export function createLaunchClient(
  emulator: PlatformEmulator,
  options: { jar?: CookieJar; maxRedirects?: number } = {},
): LaunchClient {
  return new LaunchClient(emulator, options);
}
