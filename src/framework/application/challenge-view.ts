import path from 'node:path';
import { parseInputBlocks, parseProposalOptions } from '../domain/content-validation.js';
import type { Challenge, Locale } from '../domain/models.js';
import { escapeHtml, inlineMarkdownToHtml, markdownToHtml } from '../infrastructure/markdown.js';

/**
 * What the challenge player shows for one challenge in one locale: HTML for the instruction, the
 * choices or the inline inputs, attachments as download links with type and size, the illustration,
 * the simulator frame, the timer and focus flags. Shared by the learner's player and the authors'
 * preview page, so that the preview is exactly what a learner sees.
 */
export interface ChallengeView {
  readonly id: string;
  readonly type: Challenge['type'];
  readonly locale: Locale;
  readonly instructionHtml: string;
  /** QCU/QCM: the proposals, value = 1-based index. */
  readonly choices: ReadonlyArray<{ readonly value: string; readonly html: string }>;
  readonly multiple: boolean;
  /** QROC/QROCM: the proposals' HTML with its inputs in place (names `answer[<key>]`). */
  readonly inputsHtml: string;
  readonly inputKeys: readonly string[];
  readonly attachments: ReadonlyArray<{
    readonly url: string;
    readonly fileName: string;
    readonly extension: string;
    readonly mediaType: string;
    readonly sizeBytes: number;
  }>;
  readonly illustration?: { readonly url: string; readonly alt: string };
  readonly embed?: {
    readonly src: string;
    readonly title: string;
    readonly height: number;
    readonly autoReply: boolean;
  };
  readonly timer?: number;
  readonly focused: boolean;
}

export interface ChallengeViewOptions {
  /** Where content/files/ is served, e.g. '/content/files'. */
  readonly filesBaseUrl: string;
  /** Where public/simulators/ is served, e.g. '/simulators'. */
  readonly simulatorsBaseUrl: string;
  /** "Answer {{n}}" in the page's language: the label of an input that names none. */
  readonly defaultInputLabel: (position: number) => string;
}

function inputHtml(
  block: ReturnType<typeof parseInputBlocks>['blocks'][number],
  position: number,
  challengeId: string,
  options: ChallengeViewOptions,
): string {
  const id = `${challengeId}-${block.key}`.replace(/[^\w-]/g, '-');
  const label = escapeHtml(block.label ?? options.defaultInputLabel(position));
  const name = `answer[${escapeHtml(block.key)}]`;
  if (block.kind === 'select') {
    const choices = block.options
      .map((option) => `<option value="${escapeHtml(option)}">${escapeHtml(option)}</option>`)
      .join('');
    return `<select id="${id}" name="${name}" aria-label="${label}" required><option value=""></option>${choices}</select>`;
  }
  const placeholder = block.placeholder ? ` placeholder="${escapeHtml(block.placeholder)}"` : '';
  return `<input type="text" id="${id}" name="${name}" aria-label="${label}" autocomplete="off" spellcheck="false" maxlength="500"${placeholder}>`;
}

export function presentChallenge(
  challenge: Challenge,
  locale: Locale,
  options: ChallengeViewOptions,
): ChallengeView {
  const proposals = challenge.proposals[locale];
  const isChoice = challenge.type === 'QCU' || challenge.type === 'QCM';
  let inputsHtml = '';
  let inputKeys: string[] = [];
  if (!isChoice) {
    const { blocks } = parseInputBlocks(proposals);
    inputKeys = blocks.map((block) => block.key);
    // Replace each block by a token, render the Markdown, then put the inputs where the tokens are.
    let text = proposals;
    blocks.forEach((block, index) => {
      text = text.replace(block.raw, `PIXLTIINPUT${index}TOKEN`);
    });
    inputsHtml = markdownToHtml(text);
    blocks.forEach((block, index) => {
      inputsHtml = inputsHtml.replace(
        `PIXLTIINPUT${index}TOKEN`,
        inputHtml(block, index + 1, challenge.id, options),
      );
    });
  }
  return {
    id: challenge.id,
    type: challenge.type,
    locale,
    instructionHtml: markdownToHtml(challenge.instruction[locale]),
    choices: isChoice
      ? parseProposalOptions(proposals).options.map((option, index) => ({
          value: String(index + 1),
          html: inlineMarkdownToHtml(option),
        }))
      : [],
    multiple: challenge.type === 'QCM',
    inputsHtml,
    inputKeys,
    attachments: challenge.attachments.map((attachment) => ({
      url: `${options.filesBaseUrl}/${attachment.path.split('/').map(encodeURIComponent).join('/')}`,
      fileName: path.posix.basename(attachment.path),
      extension: path.posix.extname(attachment.path).slice(1).toUpperCase(),
      mediaType: attachment.mediaType,
      sizeBytes: attachment.sizeBytes,
    })),
    ...(challenge.illustration && {
      illustration: {
        url: `${options.filesBaseUrl}/${challenge.illustration.path.split('/').map(encodeURIComponent).join('/')}`,
        alt: challenge.illustration.alt[locale],
      },
    }),
    ...(challenge.embed && {
      embed: {
        src: `${options.simulatorsBaseUrl}/${encodeURIComponent(challenge.embed.simulatorId)}/index.html?lang=${locale}&challenge=${encodeURIComponent(challenge.id)}`,
        title: challenge.embed.title[locale],
        height: challenge.embed.height,
        autoReply: challenge.embed.autoReply,
      },
    }),
    ...(challenge.timer !== undefined && { timer: challenge.timer }),
    focused: challenge.focused,
  };
}
