/** .docx documents, written with the docx package then normalized (fixed dates) for reproducibility. */
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  HorizontalPositionAlign,
  HorizontalPositionRelativeFrom,
  ImageRun,
  InsertedTextRun,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  SimpleMailMergeField,
  Table,
  TableCell,
  TableRow,
  TextRun,
  TextWrappingSide,
  TextWrappingType,
  VerticalPositionRelativeFrom,
  WidthType,
  type IFloating,
  type ICommentOptions,
  type IStylesOptions,
  type ParagraphChild,
  type ISectionOptions,
} from 'docx';
import { readDocument, type Block, type ParagraphFormat, type Run } from './document-model.js';
import { buildJpeg, buildPng } from './images.js';
import { DEFAULT_DATE, dateOf, optNum, optStr, record, type ResolvedSpec } from './spec.js';
import { fixCoreDates, normalizeZip, w3cDate } from './zip.js';

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
];
const ALIGN = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
} as const;
/** Pixels (at 96 dpi) per centimetre, for image sizes. */
const PX_PER_CM = 96 / 2.54;

/**
 * The docx package draws the ids of hyperlink relationships with Math.random: while a document is
 * built, Math.random is replaced by a fixed sequence so that the same spec gives the same file.
 */
async function withFixedSequence<T>(build: () => Promise<T>): Promise<T> {
  const original = Math.random;
  let state = 0x2545f491;
  Math.random = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  try {
    return await build();
  } finally {
    Math.random = original;
  }
}

export async function buildDocx(spec: ResolvedSpec): Promise<Buffer> {
  const properties = record(spec.properties, 'properties');
  const created = properties.created ? dateOf(properties.created, 'properties.created') : DEFAULT_DATE;
  const modified = properties.modified ? dateOf(properties.modified, 'properties.modified') : created;
  const model = readDocument(spec);
  const buffer = await withFixedSequence(async () => {
    let changeId = 1;
    const commentIds = new Map<string, number[]>();
    const comments: ICommentOptions[] = [];
    for (const comment of model.comments) {
      const ids: number[] = [];
      const parentId = comments.length;
      ids.push(parentId);
      comments.push({
        id: parentId,
        author: comment.author,
        initials: initials(comment.author),
        date: comment.date,
        resolved: comment.resolved,
        children: [new Paragraph({ children: [new TextRun(comment.text)] })],
      });
      for (const reply of comment.replies) {
        const id = comments.length;
        ids.push(id);
        comments.push({
          id,
          parentId,
          author: reply.author,
          initials: initials(reply.author),
          date: reply.date,
          children: [new Paragraph({ children: [new TextRun(reply.text)] })],
        });
      }
      commentIds.set(comment.id, ids);
    }

    const runs = (items: readonly Run[], format: ParagraphFormat = {}): ParagraphChild[] => {
      const children: ParagraphChild[] = [];
      let openComment: string | undefined;
      const close = () => {
        if (!openComment) return;
        for (const id of commentIds.get(openComment)!) children.push(new CommentRangeEnd(id));
        for (const id of commentIds.get(openComment)!)
          children.push(new TextRun({ children: [new CommentReference(id)] }));
        openComment = undefined;
      };
      for (const run of items) {
        if (run.comment !== openComment) {
          close();
          if (run.comment) {
            for (const id of commentIds.get(run.comment)!) children.push(new CommentRangeStart(id));
            openComment = run.comment;
          }
        }
        const options = {
          text: run.text,
          bold: run.bold ?? format.bold,
          italics: run.italic ?? format.italic,
          ...(run.underline ? { underline: {} } : {}),
          ...(format.size ? { size: format.size * 2 } : {}),
          ...(format.font ? { font: format.font } : {}),
          ...(format.color ? { color: format.color } : {}),
        };
        if (run.field) children.push(new SimpleMailMergeField(run.field));
        else if (run.link) {
          children.push(
            new ExternalHyperlink({
              link: run.link,
              children: [new TextRun({ ...options, style: 'Hyperlink' })],
            }),
          );
        } else if (run.change) {
          const change = { id: changeId++, author: run.change.author, date: w3cDate(run.change.date) };
          children.push(
            run.change.type === 'ins'
              ? new InsertedTextRun({ ...options, ...change })
              : new DeletedTextRun({ ...options, ...change }),
          );
        } else children.push(new TextRun(options));
      }
      close();
      return children;
    };

    let orderedLists = 0;
    const blockChildren = (block: Block): (Paragraph | Table)[] => {
      switch (block.kind) {
        case 'heading':
          return [
            new Paragraph({
              heading: HEADINGS[block.level - 1] ?? HeadingLevel.HEADING_4,
              children: runs(block.runs),
            }),
          ];
        case 'paragraph':
          return [
            new Paragraph({
              ...(block.format.style ? { style: block.format.style } : {}),
              ...(block.format.align ? { alignment: ALIGN[block.format.align] } : {}),
              children: runs(block.runs, block.format),
            }),
          ];
        case 'list': {
          const instance = block.ordered ? ++orderedLists : 0;
          return block.items.map(
            (item) =>
              new Paragraph({
                ...(block.ordered
                  ? { numbering: { reference: 'numbered', level: 0, instance } }
                  : { bullet: { level: 0 } }),
                children: runs(item),
              }),
          );
        }
        case 'table':
          return [
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: block.rows.map(
                (row, r) =>
                  new TableRow({
                    tableHeader: block.header && r === 0,
                    children: row.map(
                      (cell) =>
                        new TableCell({
                          children: [
                            new Paragraph({
                              children: runs(cell, block.header && r === 0 ? { bold: true } : {}),
                            }),
                          ],
                        }),
                    ),
                  }),
              ),
            }),
            new Paragraph({ children: [] }),
          ];
        case 'image': {
          const picture = { kind: block.type, ...block.picture } as ResolvedSpec;
          const width = optNum(picture.width, 'image.width') ?? 200;
          const height = optNum(picture.height, 'image.height') ?? 150;
          const data = block.type === 'png' ? buildPng(picture) : buildJpeg(picture);
          const shownWidth = Math.round(block.widthCm * PX_PER_CM);
          const floating: IFloating | undefined =
            block.wrap && block.wrap !== 'inline'
              ? {
                  horizontalPosition: {
                    relative: HorizontalPositionRelativeFrom.COLUMN,
                    align: HorizontalPositionAlign.RIGHT,
                  },
                  verticalPosition: { relative: VerticalPositionRelativeFrom.PARAGRAPH, offset: 0 },
                  margins: { left: 114300, right: 114300, top: 0, bottom: 0 },
                  ...(block.wrap === 'behind' ? { behindDocument: true } : {}),
                  wrap:
                    block.wrap === 'square'
                      ? { type: TextWrappingType.SQUARE, side: TextWrappingSide.BOTH_SIDES }
                      : block.wrap === 'topAndBottom'
                        ? { type: TextWrappingType.TOP_AND_BOTTOM }
                        : { type: TextWrappingType.NONE },
                }
              : undefined;
          const image = new Paragraph({
            children: [
              new ImageRun({
                type: block.type === 'png' ? 'png' : 'jpg',
                data,
                transformation: { width: shownWidth, height: Math.round((shownWidth * height) / width) },
                altText: {
                  name: block.title ?? 'Image',
                  title: block.title ?? '',
                  description: block.alt ?? '',
                },
                ...(floating ? { floating } : {}),
              }),
            ],
          });
          return block.caption
            ? [image, new Paragraph({ style: 'Caption', children: runs([{ text: block.caption }]) })]
            : [image];
        }
        case 'pageBreak':
          return [new Paragraph({ children: [new PageBreak()] })];
        case 'section':
          return [];
      }
    };

    const headerOf = (text: string | undefined) =>
      text === undefined
        ? undefined
        : { default: new Header({ children: [new Paragraph({ children: [new TextRun(text)] })] }) };
    const footerOf = (text: string | undefined, numbers: boolean) => {
      if (text === undefined && !numbers) return undefined;
      const children: ParagraphChild[] = [];
      if (text !== undefined) children.push(new TextRun(text));
      if (numbers)
        children.push(
          new TextRun({ children: [text !== undefined ? ' – Page ' : 'Page ', PageNumber.CURRENT] }),
        );
      return {
        default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children })] }),
      };
    };

    const sections: ISectionOptions[] = [];
    let current: {
      header?: string;
      footer?: string;
      pageNumbers: boolean;
      startAt?: number;
      children: (Paragraph | Table)[];
    } = {
      ...(model.header !== undefined ? { header: model.header } : {}),
      ...(model.footer !== undefined ? { footer: model.footer } : {}),
      pageNumbers: model.pageNumbers,
      children: [],
    };
    const flush = () => {
      const headers = headerOf(current.header);
      const footers = footerOf(current.footer, current.pageNumbers);
      sections.push({
        properties:
          current.startAt !== undefined ? { page: { pageNumbers: { start: current.startAt } } } : {},
        ...(headers ? { headers } : {}),
        ...(footers ? { footers } : {}),
        children: current.children,
      });
    };
    for (const block of model.blocks) {
      if (block.kind === 'section') {
        if (current.children.length) flush();
        current = {
          ...(block.header !== undefined ? { header: block.header } : {}),
          ...(block.footer !== undefined ? { footer: block.footer } : {}),
          pageNumbers: block.pageNumbers,
          ...(block.startAt !== undefined ? { startAt: block.startAt } : {}),
          children: [],
        };
      } else current.children.push(...blockChildren(block));
    }
    flush();

    const styles: IStylesOptions = {
      paragraphStyles: model.styles.map((style) => ({
        id: style.id,
        name: style.name,
        basedOn: style.basedOn ?? 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: {
          ...(style.bold ? { bold: true } : {}),
          ...(style.italic ? { italics: true } : {}),
          ...(style.size ? { size: style.size * 2 } : {}),
          ...(style.color ? { color: style.color } : {}),
          ...(style.font ? { font: style.font } : {}),
        },
      })),
    };
    const hasChanges = model.blocks.some((block) => JSON.stringify(block).includes('"change"'));
    const document = new Document({
      creator: optStr(properties.creator, 'properties.creator') ?? '',
      lastModifiedBy:
        optStr(properties.lastModifiedBy, 'properties.lastModifiedBy') ??
        optStr(properties.creator, 'creator') ??
        '',
      title: optStr(properties.title, 'properties.title') ?? '',
      subject: optStr(properties.subject, 'properties.subject') ?? '',
      keywords: optStr(properties.keywords, 'properties.keywords') ?? '',
      description: optStr(properties.description, 'properties.description') ?? '',
      revision: optNum(properties.revision, 'properties.revision') ?? 1,
      styles,
      numbering: {
        config: [
          {
            reference: 'numbered',
            levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
          },
        ],
      },
      ...(comments.length ? { comments: { children: comments } } : {}),
      ...(hasChanges ? { features: { trackRevisions: true } } : {}),
      sections,
    });
    return Packer.toBuffer(document);
  });
  return normalizeZip(buffer, modified, (path, text) =>
    path === 'docProps/core.xml' ? fixCoreDates(text, created, modified) : text,
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .toUpperCase();
}
