import { parse as parseHtml } from 'node-html-parser';

/** What a test needs from a learner's challenge page: its forms and a plausible answer. */
export interface ChallengePage {
  readonly position: number;
  readonly answerAction: string;
  readonly skipAction: string;
  readonly challengeId: string;
  readonly type: 'radio' | 'checkbox' | 'inputs';
  /** A form body answering with the first choice, or "x" / the first option in every field. */
  readonly answer: Record<string, string>;
}

/** Parses the player page; undefined when the page shows no challenge. */
export function readChallengePage(html: string): ChallengePage | undefined {
  const root = parseHtml(html);
  const form = root.querySelector('form#answer-form');
  if (!form) return undefined;
  const position = Number(form.querySelector('input[name="position"]')?.getAttribute('value'));
  const answer: Record<string, string> = { position: String(position) };
  const choice = form.querySelector('input[name="answer"]');
  let type: ChallengePage['type'] = 'inputs';
  if (choice) {
    type = choice.getAttribute('type') === 'checkbox' ? 'checkbox' : 'radio';
    answer.answer = choice.getAttribute('value') ?? '1';
  } else {
    for (const field of form.querySelectorAll('input[name^="answer["]')) {
      answer[field.getAttribute('name') ?? ''] = 'x';
    }
    for (const select of form.querySelectorAll('select[name^="answer["]')) {
      const option = select.querySelectorAll('option').find((candidate) => candidate.getAttribute('value'));
      answer[select.getAttribute('name') ?? ''] = option?.getAttribute('value') ?? '';
    }
  }
  const skip = root
    .querySelectorAll('form')
    .find((candidate) => /\/skip/.test(candidate.getAttribute('action') ?? ''));
  return {
    position,
    answerAction: form.getAttribute('action') ?? '',
    skipAction: skip?.getAttribute('action') ?? '',
    challengeId: form.querySelector('.challenge')?.getAttribute('data-challenge') ?? '',
    type,
    answer,
  };
}
