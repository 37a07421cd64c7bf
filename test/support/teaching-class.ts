import { parse as parseHtml } from 'node-html-parser';
import type { Solution } from '../../src/framework/domain/models.js';
import { loadContentOrThrow } from '../../src/framework/infrastructure/content/content-loader.js';
import type { Clock } from '../../src/shared/domain/clock.js';
import { readChallengePage } from './learner-pages.js';
import type { HttpResult, LaunchClient } from './lti-platform/index.js';

/**
 * Fills a class for the dashboard's tests through the learner's real pages: a learner launched
 * into an activity starts a competence and answers challenges (rightly from the bank's solutions, or
 * with the page's first choice), posting the forms a browser would post.
 */

let solutions: Map<string, Solution> | undefined;

/** The bank's solutions by challenge id (loaded once). */
export async function bankSolutions(): Promise<Map<string, Solution>> {
  if (!solutions) {
    const { framework } = await loadContentOrThrow();
    solutions = new Map(framework.challenges.map((challenge) => [challenge.id, challenge.solution]));
  }
  return solutions;
}

/** The form fields of the right answer to a challenge (repeated `answer` fields for a QCM). */
export function rightAnswerFields(solution: Solution): Array<[string, string]> {
  switch (solution.type) {
    case 'QCU':
      return [['answer', String(solution.answer)]];
    case 'QCM':
      return solution.answers.map((answer) => ['answer', String(answer)]);
    case 'QROC':
      return [[`answer[${solution.input.key}]`, solution.input.variants.fr[0] ?? '']];
    case 'QROCM-ind':
      return solution.inputs.map((input) => [`answer[${input.key}]`, input.variants.fr[0] ?? '']);
    case 'QROCM-dep':
      return solution.inputKeys.map((key, index) => [`answer[${key}]`, solution.groups[index]?.fr[0] ?? '']);
  }
}

/** Posts a form (fields may repeat) with the client's cookies and follows the 303 to the next page. */
export async function postAndFollow(
  client: LaunchClient,
  url: string,
  fields: Array<[string, string]>,
): Promise<HttpResult> {
  const cookie = client.jar.headerFor(url);
  const response = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
    redirect: 'manual',
  });
  client.jar.store(url, response.headers.getSetCookie());
  const location = response.headers.get('location');
  const text = await response.text();
  if (response.status !== 303 || !location) {
    throw new Error(`POST ${url} answered ${response.status} instead of 303: ${text.slice(0, 300)}`);
  }
  return client.request(new URL(location, url).toString());
}

export interface AnswerPlan {
  /** One entry per challenge to answer: 'right' (from the bank) or 'first' (the page's first choice). */
  readonly answers: ReadonlyArray<'right' | 'first'>;
  /** Time the learner spends on each challenge (the test's clock is advanced before answering). */
  readonly thinkMs?: number;
  readonly clock?: Clock & { advance(ms: number): void };
}

/**
 * Starts (or resumes) a competence from the activity page at `toolUrl + base`, then answers as
 * planned. Returns the challenge ids answered, in order (fewer when the competence ends first).
 */
export async function answerCompetence(
  client: LaunchClient,
  toolUrl: string,
  base: string,
  competenceCode: string,
  plan: AnswerPlan,
): Promise<string[]> {
  const bank = await bankSolutions();
  let page = await postAndFollow(client, `${toolUrl}${base}/competences/${competenceCode}`, []);
  const answered: string[] = [];
  for (const kind of plan.answers) {
    const challenge = readChallengePage(page.body);
    if (!challenge) break;
    if (plan.clock && plan.thinkMs) plan.clock.advance(plan.thinkMs);
    const solution = bank.get(challenge.challengeId);
    if (!solution) throw new Error(`challenge ${challenge.challengeId} is not in the bank`);
    const fields: Array<[string, string]> =
      kind === 'right'
        ? [['position', String(challenge.position)], ...rightAnswerFields(solution)]
        : Object.entries(challenge.answer);
    page = await postAndFollow(client, `${toolUrl}${challenge.answerAction}`, fields);
    answered.push(challenge.challengeId);
  }
  return answered;
}

/** The text content of the first element matching `selector`, whitespace collapsed. */
export function textOf(html: string, selector: string): string {
  return (parseHtml(html).querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Every element matching `selector`, as text. */
export function textsOf(html: string, selector: string): string[] {
  return parseHtml(html)
    .querySelectorAll(selector)
    .map((element) => element.textContent.replace(/\s+/g, ' ').trim());
}
