/**
 * The model of a text document, shared by the .docx and .odt builders. A spec gives:
 *
 *   properties: { title, subject, creator, lastModifiedBy, keywords, description, created, modified, revision }
 *   styles:     [{ id: Quote, name: Project quote, basedOn: Normal, italic: true, size: 11, color: 555555, font }]
 *   header / footer: text of the page header and footer; pageNumbers: true adds "Page N" to the footer
 *   comments:   [{ id: c1, author, date, text, replies: [{ author, date, text }], resolved }]
 *   blocks:
 *     - { h: 1, text: Introduction }                         a heading (Heading 1…3 style)
 *     - { p: 'Text with **bold**, *italics* and __underline__', style, align, bold, italic, size, font, color }
 *     - { list: [first, second], ordered: true }
 *     - { table: [[Head 1, Head 2], [a, b]], header: true }
 *     - { image: { width, height, picture }, type: jpeg, widthCm: 8, alt, title, caption, wrap: square }
 *     - { pageBreak: true }
 *     - { section: { header, footer, pageNumbers, startAt } }   starts a new section (docx)
 *
 * Inline marks in texts: **bold**, *italics*, __underline__, [[text|https://…]] links,
 * {+Author|2024-05-03T10:12|inserted text+} and {-Author|2024-05-03T10:12|deleted text-} tracked
 * changes, {#c1|commented text#} the text a comment is attached to, «field» mail-merge fields (docx).
 */
import { dateOf, isRecord, list, optNum, optStr, record, str, type ResolvedSpec } from './spec.js';

export interface Change {
  readonly type: 'ins' | 'del';
  readonly author: string;
  readonly date: Date;
}

export interface Run {
  readonly text: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly link?: string;
  readonly change?: Change;
  /** Id of the comment whose range this run belongs to. */
  readonly comment?: string;
  /** A mail-merge field (its name). */
  readonly field?: string;
}

export interface ParagraphFormat {
  readonly style?: string;
  readonly align?: 'left' | 'center' | 'right' | 'justify';
  readonly bold?: boolean;
  readonly italic?: boolean;
  /** Points. */
  readonly size?: number;
  readonly font?: string;
  /** RRGGBB. */
  readonly color?: string;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: number; readonly runs: Run[] }
  | { readonly kind: 'paragraph'; readonly runs: Run[]; readonly format: ParagraphFormat }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: Run[][] }
  | { readonly kind: 'table'; readonly header: boolean; readonly rows: Run[][][] }
  | {
      readonly kind: 'image';
      readonly picture: Record<string, unknown>;
      readonly type: 'jpeg' | 'png';
      readonly widthCm: number;
      readonly alt?: string;
      readonly title?: string;
      readonly caption?: string;
      /** Text wrapping (docx): inline (default), square, topAndBottom, behind or front. */
      readonly wrap?: 'inline' | 'square' | 'topAndBottom' | 'behind' | 'front';
    }
  | { readonly kind: 'pageBreak' }
  | {
      readonly kind: 'section';
      readonly header?: string;
      readonly footer?: string;
      readonly pageNumbers: boolean;
      readonly startAt?: number;
    };

export interface CommentModel {
  readonly id: string;
  readonly author: string;
  readonly date: Date;
  readonly text: string;
  readonly resolved: boolean;
  readonly replies: readonly { readonly author: string; readonly date: Date; readonly text: string }[];
}

export interface StyleModel {
  readonly id: string;
  readonly name: string;
  readonly basedOn?: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly size?: number;
  readonly color?: string;
  readonly font?: string;
}

export interface DocumentModel {
  readonly blocks: readonly Block[];
  readonly comments: readonly CommentModel[];
  readonly styles: readonly StyleModel[];
  readonly header?: string;
  readonly footer?: string;
  readonly pageNumbers: boolean;
  readonly language?: string;
}

const INLINE =
  /\*\*(.+?)\*\*|\*(.+?)\*|__(.+?)__|\[\[(.+?)\|(.+?)\]\]|\{([+-])([^|{}]+)\|([^|{}]+)\|(.*?)[+-]\}|\{#(\w+)\|(.*?)#\}|«([\p{L}\p{N}_]+)»/gsu;

/** Splits a text with inline marks into runs. */
export function parseRuns(text: string, inherited: Partial<Run> = {}): Run[] {
  const runs: Run[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) runs.push({ ...inherited, text: text.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[1] !== undefined) runs.push(...parseRuns(m[1], { ...inherited, bold: true }));
    else if (m[2] !== undefined) runs.push(...parseRuns(m[2], { ...inherited, italic: true }));
    else if (m[3] !== undefined) runs.push(...parseRuns(m[3], { ...inherited, underline: true }));
    else if (m[4] !== undefined) runs.push({ ...inherited, text: m[4], link: m[5]! });
    else if (m[6] !== undefined) {
      const change: Change = {
        type: m[6] === '+' ? 'ins' : 'del',
        author: m[7]!.trim(),
        date: dateOf(m[8]!.trim(), 'change date'),
      };
      runs.push(...parseRuns(m[9]!, { ...inherited, change }));
    } else if (m[10] !== undefined) runs.push(...parseRuns(m[11]!, { ...inherited, comment: m[10] }));
    else if (m[12] !== undefined) runs.push({ ...inherited, text: `«${m[12]}»`, field: m[12] });
  }
  if (last < text.length) runs.push({ ...inherited, text: text.slice(last) });
  return runs.filter((run) => run.text !== '' || run.comment);
}

export const plainText = (runs: readonly Run[]): string => runs.map((run) => run.text).join('');

function readBlock(input: unknown, where: string): Block {
  const b = record(input, where);
  if (b.h !== undefined)
    return { kind: 'heading', level: Number(b.h), runs: parseRuns(str(b.text, `${where}.text`)) };
  if (b.p !== undefined) {
    const format: ParagraphFormat = {
      ...(b.style ? { style: str(b.style, `${where}.style`) } : {}),
      ...(b.align ? { align: str(b.align, `${where}.align`) as ParagraphFormat['align'] } : {}),
      ...(b.bold === true ? { bold: true } : {}),
      ...(b.italic === true ? { italic: true } : {}),
      ...(b.size !== undefined ? { size: Number(b.size) } : {}),
      ...(b.font ? { font: str(b.font, `${where}.font`) } : {}),
      ...(b.color ? { color: str(b.color, `${where}.color`) } : {}),
    };
    return { kind: 'paragraph', runs: parseRuns(str(b.p, `${where}.p`)), format };
  }
  if (b.list !== undefined) {
    return {
      kind: 'list',
      ordered: b.ordered === true,
      items: list(b.list, `${where}.list`).map((item, i) => parseRuns(str(item, `${where}.list[${i}]`))),
    };
  }
  if (b.table !== undefined) {
    return {
      kind: 'table',
      header: b.header !== false,
      rows: list(b.table, `${where}.table`).map((row, r) =>
        list(row, `${where}.table[${r}]`).map((cell) => parseRuns(cell === null ? '' : String(cell))),
      ),
    };
  }
  if (b.image !== undefined) {
    const type = b.type === 'png' ? 'png' : 'jpeg';
    return {
      kind: 'image',
      picture: record(b.image, `${where}.image`),
      type,
      widthCm: optNum(b.widthCm, `${where}.widthCm`) ?? 8,
      ...(b.alt !== undefined ? { alt: str(b.alt, `${where}.alt`) } : {}),
      ...(b.title !== undefined ? { title: str(b.title, `${where}.title`) } : {}),
      ...(b.caption !== undefined ? { caption: str(b.caption, `${where}.caption`) } : {}),
      ...(b.wrap !== undefined ? { wrap: str(b.wrap, `${where}.wrap`) as 'square' } : {}),
    };
  }
  if (b.pageBreak === true) return { kind: 'pageBreak' };
  if (b.section !== undefined) {
    const s = record(b.section, `${where}.section`);
    return {
      kind: 'section',
      ...(s.header !== undefined ? { header: str(s.header, `${where}.section.header`) } : {}),
      ...(s.footer !== undefined ? { footer: str(s.footer, `${where}.section.footer`) } : {}),
      pageNumbers: s.pageNumbers === true,
      ...(s.startAt !== undefined ? { startAt: Number(s.startAt) } : {}),
    };
  }
  throw new Error(`${where}: unknown block ${JSON.stringify(input)}`);
}

export function readDocument(spec: ResolvedSpec): DocumentModel {
  const comments = list(spec.comments, 'comments').map((c, i): CommentModel => {
    const comment = record(c, `comments[${i}]`);
    return {
      id: str(comment.id, `comments[${i}].id`),
      author: str(comment.author, `comments[${i}].author`),
      date: dateOf(comment.date, `comments[${i}].date`),
      text: str(comment.text, `comments[${i}].text`),
      resolved: comment.resolved === true,
      replies: list(comment.replies, `comments[${i}].replies`).map((r, j) => {
        const reply = record(r, `comments[${i}].replies[${j}]`);
        return {
          author: str(reply.author, 'reply author'),
          date: dateOf(reply.date, 'reply date'),
          text: str(reply.text, 'reply text'),
        };
      }),
    };
  });
  const styles = list(spec.styles, 'styles').map((s, i): StyleModel => {
    const style = record(s, `styles[${i}]`);
    return {
      id: str(style.id, `styles[${i}].id`),
      name: str(style.name ?? style.id, `styles[${i}].name`),
      ...(style.basedOn ? { basedOn: str(style.basedOn, 'basedOn') } : {}),
      ...(style.bold === true ? { bold: true } : {}),
      ...(style.italic === true ? { italic: true } : {}),
      ...(style.size !== undefined ? { size: Number(style.size) } : {}),
      ...(style.color ? { color: str(style.color, 'color') } : {}),
      ...(style.font ? { font: str(style.font, 'font') } : {}),
    };
  });
  const blocks = list(spec.blocks, 'blocks').map((b, i) => readBlock(b, `blocks[${i}]`));
  const ids = new Set(comments.map((c) => c.id));
  for (const block of blocks) {
    const runs =
      block.kind === 'heading' || block.kind === 'paragraph'
        ? block.runs
        : block.kind === 'list'
          ? block.items.flat()
          : block.kind === 'table'
            ? block.rows.flat(2)
            : [];
    for (const run of runs) {
      if (run.comment && !ids.has(run.comment)) throw new Error(`unknown comment "${run.comment}"`);
    }
  }
  if (!isRecord(spec) || spec.blocks === undefined) throw new Error('a document needs blocks');
  return {
    blocks,
    comments,
    styles,
    ...(spec.header !== undefined ? { header: str(spec.header, 'header') } : {}),
    ...(spec.footer !== undefined ? { footer: str(spec.footer, 'footer') } : {}),
    pageNumbers: spec.pageNumbers === true,
    ...(optStr(spec.language, 'language') ? { language: optStr(spec.language, 'language')! } : {}),
  };
}
