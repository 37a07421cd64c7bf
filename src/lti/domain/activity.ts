/**
 * The activities an instructor can embed, and how they travel in LTI custom parameters
 * (`activity`, `scope`, `target_profile`), which both Moodle and Canvas pass back on every launch.
 */
export type PositioningScope =
  | { readonly type: 'all' }
  | { readonly type: 'area'; readonly code: string }
  | { readonly type: 'competence'; readonly code: string };

export type Activity =
  | { readonly kind: 'positioning'; readonly scope: PositioningScope }
  | { readonly kind: 'practice'; readonly targetProfileId: string }
  | { readonly kind: 'mock-certification' };

export const PIX_PER_LEVEL = 8;

const AREA_CODE = /^[1-9]$/;
const COMPETENCE_CODE = /^[1-9]\.[1-9]$/;
const TARGET_PROFILE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function scopeToText(scope: PositioningScope): string {
  return scope.type === 'all' ? 'all' : `${scope.type}:${scope.code}`;
}

export function parseScope(text: string | undefined): PositioningScope | undefined {
  if (text === undefined || text === 'all') return { type: 'all' };
  const [type, code] = text.split(':');
  if (type === 'area' && code && AREA_CODE.test(code)) return { type, code };
  if (type === 'competence' && code && COMPETENCE_CODE.test(code)) return { type, code };
  return undefined;
}

/** Reads an activity from custom parameters; undefined when they name none or a malformed one. */
export function activityFromCustom(lookup: (name: string) => string | undefined): Activity | undefined {
  switch (lookup('activity')) {
    case 'positioning': {
      const scope = parseScope(lookup('scope'));
      return scope && { kind: 'positioning', scope };
    }
    case 'practice': {
      const targetProfileId = lookup('target_profile');
      return targetProfileId && TARGET_PROFILE_ID.test(targetProfileId)
        ? { kind: 'practice', targetProfileId }
        : undefined;
    }
    case 'mock-certification':
      return { kind: 'mock-certification' };
    default:
      return undefined;
  }
}

export function activityToCustom(activity: Activity): Record<string, string> {
  switch (activity.kind) {
    case 'positioning':
      return { activity: 'positioning', scope: scopeToText(activity.scope) };
    case 'practice':
      return { activity: 'practice', target_profile: activity.targetProfileId };
    case 'mock-certification':
      return { activity: 'mock-certification' };
  }
}

/** A stable id for the line item of an activity (AGS resourceId) and a tag grouping them. */
export function activityResourceId(activity: Activity): string {
  switch (activity.kind) {
    case 'positioning':
      return `positioning:${scopeToText(activity.scope)}`;
    case 'practice':
      return `practice:${activity.targetProfileId}`;
    case 'mock-certification':
      return 'mock-certification';
  }
}

/**
 * The grade's maximum: pix in scope for a positioning (competences × highest level × 8), a mastery
 * percentage for a practice unit.
 */
export function scoreMaximumFor(
  activity: Activity,
  competencesInScope: number,
  maxReachableLevel: number,
): number {
  if (activity.kind === 'practice') return 100;
  return competencesInScope * maxReachableLevel * PIX_PER_LEVEL;
}
