import type { DeliveryFailure, OutboxEntry, ScoreTarget } from '../domain/grade-outbox.js';
import type { LineItemStore } from './grade-outbox-repository.js';
import { ServiceFailure, type ServiceClient } from './service-client.js';

/**
 * LTI Assignment and Grade Services, as the grade worker needs them: a service token (RFC 7523
 * client assertion), the line item of a resource link (found or created), and the score POST.
 * LMS quirks stay in here: Moodle's `?type_id=` on line item URLs, line items found by resource link
 * before one is created; tokens, timeouts and the User-Agent are the service client's.
 */

export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

const MEDIA = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItems: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

export interface AgsClient {
  /** Delivers one queued score; undefined on success, else why it failed. */
  deliver(entry: Pick<OutboxEntry, 'target' | 'score'>): Promise<DeliveryFailure | undefined>;
}

export function createAgsClient(deps: { service: ServiceClient; lineItems: LineItemStore }): AgsClient {
  const authorised = (target: ScoreTarget, scopes: readonly string[], url: string, init: RequestInit) =>
    deps.service.request(target, scopes, url, init);
  function granted(target: ScoreTarget, scope: string): boolean {
    return target.scopes.includes(scope);
  }

  async function lineItemUrl(target: ScoreTarget): Promise<string> {
    if (target.lineItemUrl) return target.lineItemUrl;
    const known = await deps.lineItems.find(target);
    if (known) return known;
    if (!target.lineItemsUrl) {
      throw new ServiceFailure({
        kind: 'configuration',
        message: 'the launch granted no line items URL for this link',
      });
    }
    const readScope = granted(target, AGS_SCOPES.lineItemReadOnly)
      ? AGS_SCOPES.lineItemReadOnly
      : AGS_SCOPES.lineItem;
    const search = new URL(target.lineItemsUrl);
    search.searchParams.set('resource_link_id', target.resourceLinkId);
    const listed = await authorised(target, [readScope], search.toString(), {
      headers: { Accept: MEDIA.lineItems },
    });
    const items = (await listed.json()) as Array<{ id?: unknown; resourceLinkId?: unknown }>;
    const existing = Array.isArray(items)
      ? items.find(
          (item) =>
            typeof item.id === 'string' &&
            (item.resourceLinkId ?? target.resourceLinkId) === target.resourceLinkId,
        )
      : undefined;
    if (existing && typeof existing.id === 'string') {
      return deps.lineItems.save(target, existing.id);
    }
    if (!granted(target, AGS_SCOPES.lineItem)) {
      throw new ServiceFailure({
        kind: 'configuration',
        message: 'no line item exists and the launch does not allow creating one',
      });
    }
    const created = await authorised(target, [AGS_SCOPES.lineItem], target.lineItemsUrl, {
      method: 'POST',
      headers: { 'Content-Type': MEDIA.lineItem, Accept: MEDIA.lineItem },
      body: JSON.stringify({ ...target.lineItem, resourceLinkId: target.resourceLinkId }),
    });
    const item = (await created.json()) as { id?: unknown };
    if (typeof item.id !== 'string') {
      throw new ServiceFailure({
        kind: 'network',
        message: 'the platform created a line item without an id',
      });
    }
    return deps.lineItems.save(target, item.id);
  }

  /** `<line item>/scores`, keeping the line item's query string (Moodle adds `?type_id=N`). */
  function scoresUrl(lineItem: string): string {
    const url = new URL(lineItem);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
    return url.toString();
  }

  return {
    async deliver({ target, score }) {
      try {
        if (!granted(target, AGS_SCOPES.score)) {
          return { kind: 'configuration', message: 'the launch does not grant the score scope' };
        }
        const url = scoresUrl(await lineItemUrl(target));
        await authorised(target, [AGS_SCOPES.score], url, {
          method: 'POST',
          headers: { 'Content-Type': MEDIA.score },
          body: JSON.stringify({
            userId: target.userId,
            ...(score.scoreGiven !== undefined && { scoreGiven: score.scoreGiven }),
            scoreMaximum: score.scoreMaximum,
            activityProgress: score.activityProgress,
            gradingProgress: score.gradingProgress,
            ...(score.comment !== undefined && { comment: score.comment }),
            timestamp: score.timestamp.toISOString(),
          }),
        });
        return undefined;
      } catch (error) {
        if (error instanceof ServiceFailure) return error.failure;
        return { kind: 'network', message: (error as Error).message };
      }
    },
  };
}
