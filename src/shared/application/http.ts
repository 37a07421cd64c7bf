import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { LOCALES, resolveLocale, type Locale } from '../domain/locale.js';
import type { I18n } from '../infrastructure/i18n/i18n.js';
import type { Logger } from '../infrastructure/logger.js';
import { mapError } from './error-mapping.js';

/**
 * The link to this page in another language: the request's path and query with `lang` set. Only
 * ever a path on this site: a request for `//evil.example/a` (or `/\\evil.example/a`) would
 * otherwise give the protocol-relative `//evil.example/a?lang=…`, a link to another site.
 */
export function languageSwitchHref(originalUrl: string, lang: Locale): string {
  // Leading slashes and backslashes collapse to one slash, so that the URL parser reads a path
  // rather than an authority, and the resulting path starts with a single slash.
  const switchUrl = new URL(`/${originalUrl.replace(/^[/\\]+/, '')}`, 'http://local');
  switchUrl.searchParams.set('lang', lang);
  return `/${switchUrl.pathname.replace(/^[/\\]+/, '')}${switchUrl.search}`;
}

/**
 * The language a page was asked in with `?lang=` (the language switch), when it names a supported
 * locale exactly: pages keep it on their links and redirects. Undefined otherwise.
 */
export function askedLanguage(query: Readonly<Record<string, unknown>>): Locale | undefined {
  const lang = query.lang;
  return LOCALES.find((locale) => locale === lang);
}

/** Sets the page language: the `lang` attribute, the translations, and number and date formats. */
export function setResponseLocale(res: Response, i18n: I18n, locale: Locale): void {
  const otherLocale: Locale = LOCALES.find((candidate) => candidate !== locale) ?? locale;
  res.locals.locale = locale;
  res.locals.otherLocale = otherLocale;
  res.locals.languageSwitchHref = languageSwitchHref(res.req.originalUrl, otherLocale);
  res.locals.t = i18n.t(locale);
  res.locals.formatNumber = (value: number) => i18n.formatNumber(locale, value);
  res.locals.formatDate = (value: Date) => i18n.formatDate(locale, value);
  res.setHeader('Content-Language', locale);
}

/** Per-request context: a correlation id, the locale and its translation function. */
export function requestContext(deps: { i18n: I18n; logger: Logger }): RequestHandler {
  return (req, res, next) => {
    const correlationId = randomUUID();
    const langParameter = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    res.locals.correlationId = correlationId;
    setResponseLocale(res, deps.i18n, resolveLocale(langParameter, req.get('accept-language')));

    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.debug(
        { correlationId, method: req.method, path: req.path, status: res.statusCode, durationMs },
        'request',
      );
    });
    next();
  };
}

function wantsJson(req: Parameters<RequestHandler>[0]): boolean {
  return req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'));
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    res.status(404);
    if (wantsJson(req)) {
      res.json({ error: { code: 'NOT_FOUND' } });
      return;
    }
    res.render('shared/error', { kind: 'notFound', message: '', correlationId: '' });
  };
}

/** Maps every error to a status, and to a page in the learner's language (or JSON for API calls). */
export function errorHandler(deps: { logger: Logger }): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const mapped = mapError(error);
    const correlationId: string = res.locals.correlationId ?? randomUUID();
    if (mapped.status >= 500) {
      deps.logger.error({ err: error, correlationId, path: req.path }, 'unexpected error');
    } else {
      deps.logger.info({ code: mapped.code, correlationId, path: req.path }, 'request refused');
    }
    const message = mapped.expose && error instanceof Error ? error.message : '';
    res.status(mapped.status);
    if (wantsJson(req)) {
      res.json({ error: { code: mapped.code, ...(message && { message }), correlationId } });
      return;
    }
    res.render('shared/error', {
      kind: mapped.kind,
      message,
      correlationId: mapped.status >= 500 ? correlationId : '',
    });
  };
}
