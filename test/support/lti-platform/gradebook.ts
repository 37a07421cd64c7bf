import { ACTIVITY_PROGRESS, GRADING_PROGRESS } from './constants.js';

/**
 * The emulator's course data: users, memberships, resource links, line items and every score
 * received. Pure in-memory logic; the HTTP layer lives in platform-emulator.ts.
 */

export type MemberStatus = 'Active' | 'Inactive' | 'Deleted';

export interface CourseMember {
  userId: string;
  roles: string[];
  status: MemberStatus;
}

export interface ResourceLink {
  id: string;
  courseId: string | undefined;
  title?: string;
  description?: string;
  text?: string;
  /** Target link URI of the link (a deep-linked item's `url`); the tool's default when absent. */
  url?: string;
  custom?: Record<string, string>;
  /** Local id of the line item bound to the link, if any. */
  lineItemId?: string;
  /** Where the link came from. */
  origin: 'setup' | 'launch' | 'deep-linking';
  /** For deep-linked links: the client id of the tool that created it. */
  clientId?: string;
}

export interface Course {
  id: string;
  label?: string;
  title?: string;
  type?: string[];
  members: CourseMember[];
}

export interface LineItem {
  /** The line item's URL (its id in AGS). */
  id: string;
  /** Short id used in the URL path. */
  localId: string;
  courseId: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

export interface ScoreRecord {
  lineItemId: string;
  userId: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  timestamp: string;
  activityProgress: string;
  gradingProgress: string;
  /** The whole body as received (extensions included). */
  body: Record<string, unknown>;
  receivedAt: Date;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isIsoTimestamp(value: unknown): value is string {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type LineItemFields = Omit<LineItem, 'id' | 'localId' | 'courseId'>;

/** Validates a line item body (POST or PUT), as `application/vnd.ims.lis.v2.lineitem+json`. */
export function validateLineItem(body: unknown): Validation<LineItemFields> {
  if (!isRecord(body)) return { ok: false, errors: ['The line item must be a JSON object'] };
  const errors: string[] = [];
  if (typeof body.label !== 'string' || body.label.trim() === '')
    errors.push('label is required (a non-empty string)');
  if (
    typeof body.scoreMaximum !== 'number' ||
    !Number.isFinite(body.scoreMaximum) ||
    body.scoreMaximum <= 0
  ) {
    errors.push('scoreMaximum is required (a number > 0)');
  }
  for (const field of ['resourceId', 'tag', 'resourceLinkId'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string')
      errors.push(`${field} must be a string`);
  }
  for (const field of ['startDateTime', 'endDateTime'] as const) {
    if (body[field] !== undefined && !isIsoTimestamp(body[field]))
      errors.push(`${field} must be an ISO 8601 date-time`);
  }
  if (body.gradesReleased !== undefined && typeof body.gradesReleased !== 'boolean') {
    errors.push('gradesReleased must be a boolean');
  }
  if (errors.length > 0) return { ok: false, errors };
  const value: LineItemFields = { label: body.label as string, scoreMaximum: body.scoreMaximum as number };
  if (typeof body.resourceId === 'string') value.resourceId = body.resourceId;
  if (typeof body.tag === 'string') value.tag = body.tag;
  if (typeof body.resourceLinkId === 'string') value.resourceLinkId = body.resourceLinkId;
  if (typeof body.startDateTime === 'string') value.startDateTime = body.startDateTime;
  if (typeof body.endDateTime === 'string') value.endDateTime = body.endDateTime;
  if (typeof body.gradesReleased === 'boolean') value.gradesReleased = body.gradesReleased;
  return { ok: true, value };
}

export interface ScoreValidationOptions {
  /** Allows scoreGiven > scoreMaximum (extra credit, which the spec permits); false by default. */
  allowExtraCredit?: boolean;
}

export type ScoreFields = Omit<ScoreRecord, 'lineItemId' | 'receivedAt' | 'body'>;

/** Validates a score body (`application/vnd.ims.lis.v1.score+json`). */
export function validateScore(body: unknown, options: ScoreValidationOptions = {}): Validation<ScoreFields> {
  if (!isRecord(body)) return { ok: false, errors: ['The score must be a JSON object'] };
  const errors: string[] = [];
  if (typeof body.userId !== 'string' || body.userId === '')
    errors.push('userId is required (a non-empty string)');
  if (!isIsoTimestamp(body.timestamp))
    errors.push('timestamp is required (an ISO 8601 date-time with a time zone)');
  if (!(ACTIVITY_PROGRESS as readonly unknown[]).includes(body.activityProgress)) {
    errors.push(`activityProgress must be one of ${ACTIVITY_PROGRESS.join(', ')}`);
  }
  if (!(GRADING_PROGRESS as readonly unknown[]).includes(body.gradingProgress)) {
    errors.push(`gradingProgress must be one of ${GRADING_PROGRESS.join(', ')}`);
  }
  const given = body.scoreGiven;
  const maximum = body.scoreMaximum;
  if (given !== undefined && (typeof given !== 'number' || !Number.isFinite(given) || given < 0)) {
    errors.push('scoreGiven must be a number >= 0');
  }
  if (maximum !== undefined && (typeof maximum !== 'number' || !Number.isFinite(maximum) || maximum <= 0)) {
    errors.push('scoreMaximum must be a number > 0');
  }
  if (given !== undefined && maximum === undefined)
    errors.push('scoreMaximum is required when scoreGiven is present');
  if (
    !options.allowExtraCredit &&
    typeof given === 'number' &&
    typeof maximum === 'number' &&
    given > maximum
  ) {
    errors.push(`scoreGiven (${given}) is greater than scoreMaximum (${maximum})`);
  }
  if (body.comment !== undefined && typeof body.comment !== 'string') errors.push('comment must be a string');
  if (errors.length > 0) return { ok: false, errors };
  const value: ScoreFields = {
    userId: body.userId as string,
    timestamp: body.timestamp as string,
    activityProgress: body.activityProgress as string,
    gradingProgress: body.gradingProgress as string,
  };
  if (typeof given === 'number') value.scoreGiven = given;
  if (typeof maximum === 'number') value.scoreMaximum = maximum;
  if (typeof body.comment === 'string') value.comment = body.comment;
  return { ok: true, value };
}

export interface LineItemFilter {
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
}

export interface GradebookEntry {
  lineItem: LineItem;
  /** Latest score per user. */
  latest: Record<string, ScoreRecord>;
  /** Every score received for the line item, in the order received. */
  history: ScoreRecord[];
}

export type ScoreOutcome =
  { ok: true; record: ScoreRecord } | { ok: false; status: 400 | 404 | 409; error: string };

export class Gradebook {
  readonly #courses = new Map<string, Course>();
  readonly #links = new Map<string, ResourceLink>();
  /** Stored without their URL, which is computed when read (the emulator's port is known only once started). */
  readonly #lineItems = new Map<string, Omit<LineItem, 'id'>>();
  readonly #scores: ScoreRecord[] = [];
  readonly #lineItemUrl: (courseId: string, localId: string) => string;
  #nextLineItem = 1;
  #nextLink = 1;

  constructor(options: { lineItemUrl: (courseId: string, localId: string) => string }) {
    this.#lineItemUrl = options.lineItemUrl;
  }

  addCourse(course: { id: string; label?: string; title?: string; type?: string[] }): Course {
    if (this.#courses.has(course.id)) throw new Error(`Course ${course.id} already exists`);
    const created: Course = { ...course, members: [] };
    this.#courses.set(course.id, created);
    return created;
  }

  course(id: string): Course | undefined {
    return this.#courses.get(id);
  }

  courses(): Course[] {
    return [...this.#courses.values()];
  }

  /** Adds or replaces the membership of a user in a course. */
  enrol(courseId: string, member: { userId: string; roles: string[]; status?: MemberStatus }): CourseMember {
    const course = this.#requireCourse(courseId);
    const enrolled: CourseMember = {
      userId: member.userId,
      roles: [...member.roles],
      status: member.status ?? 'Active',
    };
    const index = course.members.findIndex(({ userId }) => userId === member.userId);
    if (index >= 0) course.members[index] = enrolled;
    else course.members.push(enrolled);
    return enrolled;
  }

  member(courseId: string, userId: string): CourseMember | undefined {
    return this.#courses.get(courseId)?.members.find((member) => member.userId === userId);
  }

  addResourceLink(
    link: Omit<ResourceLink, 'id' | 'origin'> & { id?: string; origin?: ResourceLink['origin'] },
  ): ResourceLink {
    if (link.courseId !== undefined) this.#requireCourse(link.courseId);
    let id = link.id;
    while (id === undefined || (link.id === undefined && this.#links.has(id))) id = `rl-${this.#nextLink++}`;
    if (this.#links.has(id)) throw new Error(`Resource link ${id} already exists`);
    const created: ResourceLink = { ...link, id, origin: link.origin ?? 'setup' };
    this.#links.set(id, created);
    return created;
  }

  resourceLink(id: string): ResourceLink | undefined {
    return this.#links.get(id);
  }

  resourceLinks(courseId?: string): ResourceLink[] {
    return [...this.#links.values()].filter((link) => courseId === undefined || link.courseId === courseId);
  }

  createLineItem(courseId: string, fields: LineItemFields): LineItem {
    this.#requireCourse(courseId);
    const localId = String(this.#nextLineItem++);
    this.#lineItems.set(localId, { ...fields, localId, courseId });
    if (fields.resourceLinkId) {
      const link = this.#links.get(fields.resourceLinkId);
      if (link && link.lineItemId === undefined) link.lineItemId = localId;
    }
    return this.#withId(localId) as LineItem;
  }

  /** A copy with `id` as a getter, so that line items can be created before the emulator listens. */
  #withId(localId: string): LineItem | undefined {
    const stored = this.#lineItems.get(localId);
    if (!stored) return undefined;
    const lineItemUrl = this.#lineItemUrl;
    return Object.defineProperty({ ...stored }, 'id', {
      enumerable: true,
      get: () => lineItemUrl(stored.courseId, localId),
    }) as LineItem;
  }

  lineItem(courseId: string, localId: string): LineItem | undefined {
    const lineItem = this.#withId(localId);
    return lineItem && lineItem.courseId === courseId ? lineItem : undefined;
  }

  /** A line item by its URL or its local id. */
  lineItemById(id: string): LineItem | undefined {
    if (this.#lineItems.has(id)) return this.#withId(id);
    return this.#all().find((lineItem) => lineItem.id === id);
  }

  #all(): LineItem[] {
    return [...this.#lineItems.keys()].map((localId) => this.#withId(localId) as LineItem);
  }

  lineItems(courseId: string, filter: LineItemFilter = {}): LineItem[] {
    return this.#all().filter(
      (lineItem) =>
        lineItem.courseId === courseId &&
        (filter.resourceLinkId === undefined || lineItem.resourceLinkId === filter.resourceLinkId) &&
        (filter.resourceId === undefined || lineItem.resourceId === filter.resourceId) &&
        (filter.tag === undefined || lineItem.tag === filter.tag),
    );
  }

  updateLineItem(courseId: string, localId: string, fields: LineItemFields): LineItem | undefined {
    const existing = this.lineItem(courseId, localId);
    if (!existing) return undefined;
    this.#lineItems.set(localId, { ...fields, localId, courseId });
    return this.#withId(localId);
  }

  deleteLineItem(courseId: string, localId: string): boolean {
    if (!this.lineItem(courseId, localId)) return false;
    this.#lineItems.delete(localId);
    for (const link of this.#links.values()) if (link.lineItemId === localId) delete link.lineItemId;
    for (let index = this.#scores.length - 1; index >= 0; index--) {
      if (this.#scores[index]?.lineItemId === localId) this.#scores.splice(index, 1);
    }
    return true;
  }

  /**
   * Records a validated score. Unknown users get a Moodle-like 400 when `requireMember` is set;
   * a score older than the latest one recorded for the user gets 409 (the spec forbids overwriting
   * a newer result).
   */
  recordScore(
    lineItem: LineItem,
    score: ScoreFields,
    body: Record<string, unknown>,
    receivedAt: Date,
    options: { requireMember?: boolean } = {},
  ): ScoreOutcome {
    if (options.requireMember && !this.member(lineItem.courseId, score.userId)) {
      return {
        ok: false,
        status: 400,
        error: `Incorrect score received: user ${score.userId} is not in the course`,
      };
    }
    const latest = this.latestScore(lineItem.localId, score.userId);
    if (latest && Date.parse(score.timestamp) < Date.parse(latest.timestamp)) {
      return {
        ok: false,
        status: 409,
        error: `A newer score (${latest.timestamp}) is already recorded for user ${score.userId}`,
      };
    }
    const record: ScoreRecord = {
      ...score,
      lineItemId: lineItem.localId,
      body: structuredClone(body),
      receivedAt,
    };
    this.#scores.push(record);
    return { ok: true, record };
  }

  /** Scores of a line item (local id or URL), in the order received, optionally for one user. */
  scoreHistory(lineItemId: string, userId?: string): ScoreRecord[] {
    const localId = this.lineItemById(lineItemId)?.localId ?? lineItemId;
    return this.#scores.filter(
      (score) => score.lineItemId === localId && (userId === undefined || score.userId === userId),
    );
  }

  latestScore(lineItemId: string, userId: string): ScoreRecord | undefined {
    return this.scoreHistory(lineItemId, userId).at(-1);
  }

  latestScores(lineItemId: string): Record<string, ScoreRecord> {
    const latest: Record<string, ScoreRecord> = {};
    for (const score of this.scoreHistory(lineItemId)) latest[score.userId] = score;
    return latest;
  }

  /** The gradebook of a course: each line item with the latest score per user and the full history. */
  view(courseId: string): GradebookEntry[] {
    return this.lineItems(courseId).map((lineItem) => ({
      lineItem: { ...lineItem },
      latest: this.latestScores(lineItem.localId),
      history: this.scoreHistory(lineItem.localId),
    }));
  }

  #requireCourse(id: string): Course {
    const course = this.#courses.get(id);
    if (!course) throw new Error(`Unknown course ${id}`);
    return course;
  }
}
