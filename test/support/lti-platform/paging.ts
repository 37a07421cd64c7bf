/** Paging of service collections (AGS line items and results, NRPS members) with RFC 8288 Link headers. */

export interface PageRequest {
  /** Items per page; undefined or <= 0 means everything in one page. */
  limit?: number;
  /** 1-based page number. */
  page?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number | undefined;
  pageCount: number;
  hasNext: boolean;
  hasPrevious: boolean;
}

export function paginate<T>(all: readonly T[], request: PageRequest = {}): Page<T> {
  const limit = request.limit && request.limit > 0 ? Math.floor(request.limit) : undefined;
  if (!limit) {
    return { items: [...all], page: 1, limit: undefined, pageCount: 1, hasNext: false, hasPrevious: false };
  }
  const pageCount = Math.max(1, Math.ceil(all.length / limit));
  const page = Math.min(Math.max(1, Math.floor(request.page ?? 1)), pageCount);
  const start = (page - 1) * limit;
  return {
    items: all.slice(start, start + limit),
    page,
    limit,
    pageCount,
    hasNext: page < pageCount,
    hasPrevious: page > 1,
  };
}

/** Reads `limit` and `page` from query values, ignoring anything that is not a positive integer. */
export function pageRequestFromQuery(query: { limit?: unknown; page?: unknown }): PageRequest {
  const positive = (value: unknown): number | undefined => {
    if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
    const parsed = Number(value);
    return parsed > 0 ? parsed : undefined;
  };
  return { limit: positive(query.limit), page: positive(query.page) };
}

/** The URL of another page: same URL with `page` (and `limit`) replaced. */
export function pageUrl(url: string, page: number, limit: number): string {
  const parsed = new URL(url);
  parsed.searchParams.set('limit', String(limit));
  parsed.searchParams.set('page', String(page));
  return parsed.toString();
}

/** `Link` header for a page of `url` (next, prev, first, last); undefined for an unpaged answer. */
export function linkHeader(url: string, page: Page<unknown>): string | undefined {
  if (!page.limit) return undefined;
  const links: string[] = [];
  if (page.hasNext) links.push(`<${pageUrl(url, page.page + 1, page.limit)}>; rel="next"`);
  if (page.hasPrevious) links.push(`<${pageUrl(url, page.page - 1, page.limit)}>; rel="prev"`);
  links.push(`<${pageUrl(url, 1, page.limit)}>; rel="first"`);
  links.push(`<${pageUrl(url, page.pageCount, page.limit)}>; rel="last"`);
  return links.join(', ');
}

/** Parses a Link header into `rel → url` (the first URL wins for a repeated rel). */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!header) return result;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const url = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params)?.[1];
    if (!rel) continue;
    for (const name of rel.trim().split(/\s+/)) {
      if (!(name in result)) result[name] = url;
    }
  }
  return result;
}
