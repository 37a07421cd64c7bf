/**
 * What must expire, and when. FerretDB 1.x does not enforce TTL indexes, so an explicit job
 * deletes expired documents on every engine (on MongoDB it simply does the TTL monitor's work
 * sooner). Each rule names a collection and a date field:
 * - `maxAgeSeconds`: the field holds a creation date; documents older than that age expire;
 * - no `maxAgeSeconds`: the field holds an expiry date; documents whose date has passed expire.
 */
export interface ExpiryRule {
  readonly collection: string;
  readonly field: string;
  readonly maxAgeSeconds?: number;
}

export interface ExpiryCutoff {
  readonly collection: string;
  readonly field: string;
  /** Documents whose `field` is strictly before this instant are deleted. */
  readonly before: Date;
}

export function computeExpiryCutoffs(rules: readonly ExpiryRule[], now: Date): ExpiryCutoff[] {
  return rules.map((rule) => {
    if (
      rule.maxAgeSeconds !== undefined &&
      (!Number.isFinite(rule.maxAgeSeconds) || rule.maxAgeSeconds < 0)
    ) {
      throw new RangeError(`expiry rule for ${rule.collection}.${rule.field}: maxAgeSeconds must be ≥ 0`);
    }
    const ageMs = (rule.maxAgeSeconds ?? 0) * 1000;
    return { collection: rule.collection, field: rule.field, before: new Date(now.getTime() - ageMs) };
  });
}

/**
 * ltijs 5.9.9's collections and the lifetimes its schemas declare with `expires`, except the
 * nonces: ltijs keeps them 10 s, which lets a token be replayed once its nonce is gone but while
 * its `iat` is still accepted (tokenMaxAge). We keep nonces for `nonceRetentionSeconds`, which must
 * exceed the token age window plus the clock skew.
 */
export function ltijsExpiryRules(options: { nonceRetentionSeconds: number }): ExpiryRule[] {
  return [
    { collection: 'idtokens', field: 'createdAt', maxAgeSeconds: 24 * 3600 },
    { collection: 'contexttokens', field: 'createdAt', maxAgeSeconds: 24 * 3600 },
    { collection: 'accesstokens', field: 'createdAt', maxAgeSeconds: 3600 },
    { collection: 'nonces', field: 'createdAt', maxAgeSeconds: options.nonceRetentionSeconds },
    { collection: 'states', field: 'createdAt', maxAgeSeconds: 600 },
  ];
}
