import type { RequestHandler } from 'express';
import type { Logger } from '../infrastructure/logger.js';

/**
 * A cheap defence in depth against cross-site request forgery on the pages of a launched session
 * (/app: the learner's and the instructor's forms). Those forms are the tool's own pages posting to
 * the tool: the browser marks such requests `Sec-Fetch-Site: same-origin` and sends the tool's
 * origin in `Origin`. A write that a browser marks cross-site, or that names another origin, did not
 * come from our pages: it is refused with a 403. Requests without either header (old browsers,
 * non-browser clients) go on: the session cookie still authenticates them.
 *
 * The launch itself (the LMS's cross-site POST of the id_token to /lti) is not under /app, and is
 * never checked here.
 */

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export type CrossSiteReason = 'SEC_FETCH_SITE_CROSS_SITE' | 'FOREIGN_ORIGIN';

export interface WriteHeaders {
  readonly secFetchSite?: string | undefined;
  readonly origin?: string | undefined;
}

/** Why a state-changing request is refused as cross-site, or undefined when it may go on. */
export function crossSiteReason(headers: WriteHeaders, toolOrigin: string): CrossSiteReason | undefined {
  if (headers.secFetchSite?.trim().toLowerCase() === 'cross-site') return 'SEC_FETCH_SITE_CROSS_SITE';
  if (headers.origin !== undefined && headers.origin.trim() !== toolOrigin) return 'FOREIGN_ORIGIN';
  return undefined;
}

/** Refuses (403) any write whose headers say it came from another site than PUBLIC_URL's origin. */
export function refuseCrossSiteWrites(deps: { publicUrl: string; logger: Logger }): RequestHandler {
  const toolOrigin = new URL(deps.publicUrl).origin;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const origin = req.get('origin');
    const reason = crossSiteReason({ secFetchSite: req.get('sec-fetch-site'), origin }, toolOrigin);
    if (reason === undefined) {
      next();
      return;
    }
    deps.logger.warn(
      {
        reason,
        method: req.method,
        path: req.path,
        origin: origin?.slice(0, 200),
        correlationId: res.locals.correlationId as string | undefined,
      },
      'cross-site request refused',
    );
    res.status(403).render('shared/error', { kind: 'forbidden', message: '', correlationId: '' });
  };
}
