import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Challenge text is Markdown written by our authors. It is rendered to HTML and then sanitised
 * anyway, so that a mistake in a content file can never inject script or styles into the player.
 */
const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h3',
    'h4',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'hr',
    'kbd',
    'del',
    'sup',
    'sub',
    'span',
  ],
  allowedAttributes: { a: ['href', 'title'], th: ['scope', 'align'], td: ['align'], code: ['class'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  transformTags: {
    // Links in a challenge open outside the LMS iframe and never carry our referrer.
    a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer' }),
  },
} satisfies sanitizeHtml.IOptions;

export function markdownToHtml(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, {
    ...ALLOWED,
    allowedAttributes: { ...ALLOWED.allowedAttributes, a: ['href', 'title', 'target', 'rel'] },
  });
}

/** Inline Markdown (a proposal, a cell): no surrounding paragraph. */
export function inlineMarkdownToHtml(markdown: string): string {
  return sanitizeHtml(marked.parseInline(markdown) as string, {
    ...ALLOWED,
    allowedAttributes: { ...ALLOWED.allowedAttributes, a: ['href', 'title', 'target', 'rel'] },
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
