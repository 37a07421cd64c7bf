/**
 * Opens an attachment with a real parser for its type and returns what a learner could read in
 * it: its text, and named properties (cell values, EXIF tags, mail headers, archive entries…).
 * The property names are the ones the specs' `checks.props` use (content/files-src/).
 */
import ExcelJS from 'exceljs';
import exifr from 'exifr';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import jpeg from 'jpeg-js';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { parse as parseHtml } from 'node-html-parser';
import { PNG } from 'pngjs';
import PostalMime from 'postal-mime';
import { parse as parseCsv } from 'csv-parse/sync';

export type PropValue = string | number | boolean | null;

export interface Inspection {
  /** The text a reader sees (whitespace collapsed). */
  readonly text: string;
  readonly props: Readonly<Record<string, PropValue>>;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const iso = (date: Date) => date.toISOString().replace(/\.000Z$/, 'Z');
const columnName = (column: number): string => {
  let name = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26))
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  return name;
};
const decodeXml = (text: string) =>
  text.replace(
    /&(quot|apos|lt|gt|amp);/g,
    (_, entity: string) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[entity]!,
  );
const countBy = (values: readonly string[]) => [...new Set(values)].sort().join(', ');

export async function inspect(fileName: string, data: Buffer, encoding?: string): Promise<Inspection> {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  switch (extension) {
    case 'xlsx':
      return inspectXlsx(data);
    case 'ods':
      return inspectOds(data);
    case 'docx':
      return inspectDocx(data);
    case 'odt':
      return inspectOdt(data);
    case 'pdf':
      return inspectPdf(data);
    case 'jpg':
    case 'jpeg':
      return inspectJpeg(data);
    case 'png':
      return inspectPng(data);
    case 'eml':
      return inspectEml(data);
    case 'zip':
      return inspectZip(data);
    case 'html':
      return inspectHtml(data);
    case 'csv':
      return inspectCsv(data);
    case 'wav':
      return inspectWav(data);
    default:
      return inspectText(extension, data, encoding);
  }
}

// ---------------------------------------------------------------------------------------------
// Spreadsheets
// ---------------------------------------------------------------------------------------------

async function inspectXlsx(data: Buffer): Promise<Inspection> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const props: Record<string, PropValue> = {
    sheets: workbook.worksheets.map((sheet) => sheet.name).join(' | '),
    creator: workbook.creator || null,
    lastModifiedBy: workbook.lastModifiedBy || null,
    title: workbook.title || null,
    created: workbook.created ? iso(workbook.created) : null,
    modified: workbook.modified ? iso(workbook.modified) : null,
  };
  const texts: string[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        const key = `${sheet.name}!${cell.address}`;
        const value = cell.value;
        let shown: PropValue;
        if (value instanceof Date) shown = value.toISOString().slice(0, 10);
        else if (value && typeof value === 'object' && 'formula' in value) {
          props[`formula:${key}`] = value.formula ?? null;
          const result = value.result;
          shown =
            result instanceof Date
              ? result.toISOString().slice(0, 10)
              : result && typeof result === 'object' && 'error' in result
                ? String(result.error)
                : ((result as PropValue) ?? null);
        } else if (value && typeof value === 'object' && 'richText' in value)
          shown = value.richText.map((r) => r.text).join('');
        else shown = (value as PropValue) ?? null;
        props[key] = shown;
        if (cell.note)
          props[`note:${key}`] =
            typeof cell.note === 'string' ? cell.note : (cell.note.texts ?? []).map((t) => t.text).join('');
        if (cell.font?.bold) props[`bold:${key}`] = true;
        if (cell.numFmt) props[`fmt:${key}`] = cell.numFmt;
        texts.push(String(shown ?? ''));
      });
    });
  }
  return { text: collapse(texts.join(' ')), props };
}

type Ordered = Record<string, unknown>;
const orderedParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
});
const nameOf = (node: Ordered) => Object.keys(node).find((key) => key !== ':@') ?? '';
const childrenOf = (node: Ordered): Ordered[] => {
  const children = node[nameOf(node)];
  return Array.isArray(children) ? (children as Ordered[]) : [];
};
const attrs = (node: Ordered) => (node[':@'] as Record<string, string> | undefined) ?? {};
function textOf(node: Ordered, skip: (name: string) => boolean = () => false): string {
  const name = nameOf(node);
  if (name === '#text') return String(node['#text']);
  if (skip(name)) return '';
  if (name === 'text:tab') return '\t';
  if (name === 'text:s') return ' ';
  const inner = childrenOf(node)
    .map((child) => textOf(child, skip))
    .join('');
  return BLOCKS.has(name) ? `${inner}\n` : inner;
}
const BLOCKS = new Set(['text:p', 'text:h', 'table:table-cell', 'text:list-item']);
function* walk(nodes: readonly Ordered[]): Generator<Ordered> {
  for (const node of nodes) {
    yield node;
    yield* walk(childrenOf(node));
  }
}

async function openOdf(data: Buffer, mediaType: string) {
  const zip = await JSZip.loadAsync(data);
  const first = Object.keys(zip.files)[0];
  if (first !== 'mimetype') throw new Error(`the first entry is "${first}", not "mimetype"`);
  const mimetype = await zip.file('mimetype')!.async('string');
  if (mimetype !== mediaType) throw new Error(`mimetype is "${mimetype}"`);
  const read = async (path: string) => {
    const text = await zip.file(path)?.async('string');
    if (text === undefined) throw new Error(`missing ${path}`);
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw new Error(`${path} is not well-formed XML: ${valid.err.msg}`);
    return orderedParser.parse(text) as Ordered[];
  };
  const props: Record<string, PropValue> = {};
  for (const node of walk(await read('meta.xml'))) {
    const name = nameOf(node);
    if (/^(dc|meta):/.test(name) && name !== 'office:meta') {
      const value = textOf(node);
      if (value) props[`meta.${name.split(':')[1]}`] = value;
    }
  }
  await read('styles.xml');
  const manifest = await zip.file('META-INF/manifest.xml')?.async('string');
  if (!manifest?.includes(mediaType)) throw new Error('META-INF/manifest.xml does not declare the document');
  return { content: await read('content.xml'), props, zip };
}

async function inspectOds(data: Buffer): Promise<Inspection> {
  const { content, props } = await openOdf(data, 'application/vnd.oasis.opendocument.spreadsheet');
  const texts: string[] = [];
  const sheets: string[] = [];
  for (const table of walk(content)) {
    if (nameOf(table) !== 'table:table') continue;
    const sheet = attrs(table)['@table:name'] ?? '';
    sheets.push(sheet);
    let row = 0;
    const rows = [...walk(childrenOf(table))].filter((node) => nameOf(node) === 'table:table-row');
    for (const rowNode of rows) {
      row += Number(attrs(rowNode)['@table:number-rows-repeated'] ?? 1) - 1;
      row++;
      let column = 0;
      for (const cell of childrenOf(rowNode)) {
        const cellName = nameOf(cell);
        if (cellName !== 'table:table-cell' && cellName !== 'table:covered-table-cell') continue;
        const a = attrs(cell);
        const repeat = Number(a['@table:number-columns-repeated'] ?? 1);
        column++;
        const key = `${sheet}!${columnName(column)}${row}`;
        const type = a['@office:value-type'];
        const shown = textOf(cell, (name) => name === 'office:annotation').trim();
        if (type === 'float' || type === 'percentage' || type === 'currency')
          props[key] = Number(a['@office:value']);
        else if (type === 'date') props[key] = a['@office:date-value'] ?? null;
        else if (type === 'boolean') props[key] = a['@office:boolean-value'] === 'true';
        else if (type === 'string' && a['@calcext:value-type'] === 'error') props[key] = shown;
        else if (type === 'string') props[key] = a['@office:string-value'] ?? shown;
        if (a['@table:formula']) props[`formula:${key}`] = a['@table:formula'];
        const note = childrenOf(cell).find((child) => nameOf(child) === 'office:annotation');
        if (note) props[`note:${key}`] = collapse(textOf(note));
        if (shown) texts.push(shown);
        column += repeat - 1;
      }
    }
  }
  props.sheets = sheets.join(' | ');
  return { text: collapse(texts.join(' ')), props };
}

// ---------------------------------------------------------------------------------------------
// Text documents
// ---------------------------------------------------------------------------------------------

async function inspectDocx(data: Buffer): Promise<Inspection> {
  const { value, messages } = await mammoth.extractRawText({ buffer: data });
  const errors = messages.filter((message) => message.type === 'error');
  if (errors.length) throw new Error(`mammoth: ${errors.map((e) => e.message).join('; ')}`);
  const zip = await JSZip.loadAsync(data);
  const xmlOf = async (path: string) => (await zip.file(path)?.async('string')) ?? '';
  const document = await xmlOf('word/document.xml');
  const core = await xmlOf('docProps/core.xml');
  const comments = await xmlOf('word/comments.xml');
  const styles = await xmlOf('word/styles.xml');
  const attributeValues = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]!);
  const props: Record<string, PropValue> = {};
  for (const m of core.matchAll(/<(dc|cp|dcterms):(\w+)[^>]*>([^<]*)</g)) props[`meta.${m[2]}`] = m[3]!;
  const insertions = attributeValues(document, /<w:ins [^>]*w:author="([^"]*)"/g);
  const deletions = attributeValues(document, /<w:del [^>]*w:author="([^"]*)"/g);
  props['changes.insertion'] = insertions.length;
  props['changes.deletion'] = deletions.length;
  props['changes.authors'] = countBy([...insertions, ...deletions]);
  const commentAuthors = attributeValues(comments, /<w:comment [^>]*w:author="([^"]*)"/g);
  props.comments = commentAuthors.length;
  props['comments.authors'] = countBy(commentAuthors);
  for (let level = 1; level <= 4; level++) {
    props[`headings.${level}`] = (
      document.match(new RegExp(`<w:pStyle w:val="Heading${level}"/>`, 'g')) ?? []
    ).length;
  }
  const images = attributeValues(document, /<wp:docPr ([^>]*)\/?>/g);
  props.images = images.length;
  props['images.withoutAlt'] = images.filter((a) => !/descr="[^"]+"/.test(a)).length;
  for (const [style] of styles.matchAll(/<w:style .*?<\/w:style>/gs)) {
    const name = /<w:name w:val="([^"]+)"/.exec(style)?.[1];
    const basedOn = /<w:basedOn w:val="([^"]+)"/.exec(style)?.[1];
    if (name && basedOn) props[`style.${name}.basedOn`] = basedOn;
  }
  props.mergeFields = attributeValues(document, /MERGEFIELD\s+([^\s"]+)/g).join(', ');
  props['images.wrap'] = [...document.matchAll(/<wp:(inline|anchor)\b.*?<\/wp:\1>/gs)]
    .map(([drawing, kind]) => (kind === 'inline' ? 'inline' : (/<wp:wrap(\w+)/.exec(drawing)?.[1] ?? 'none')))
    .join(', ');
  props.fonts = countBy(attributeValues(document, /<w:rFonts [^>]*w:ascii="([^"]+)"/g));
  props.boldText = decodeXml(
    collapse(
      [...document.matchAll(/<w:r>(?:(?!<\/w:r>).)*?<w:b\/>(?:(?!<\/w:r>).)*?<w:t[^>]*>([^<]*)<\/w:t>/gs)]
        .map((m) => m[1]!)
        .join(' '),
    ),
  );
  const deleted = [...document.matchAll(/<w:delText[^>]*>([^<]*)</g)].map((m) => m[1]!).join(' ');
  props['deletedText'] = collapse(deleted);
  const commentTexts = [...comments.matchAll(/<w:t[^>]*>([^<]*)</g)].map((m) => m[1]!).join(' ');
  props['commentsText'] = decodeXml(collapse(commentTexts));
  return { text: collapse(value), props };
}

async function inspectOdt(data: Buffer): Promise<Inspection> {
  const { content, props, zip } = await openOdf(data, 'application/vnd.oasis.opendocument.text');
  const insertions: string[] = [];
  const deletions: string[] = [];
  const commentAuthors: string[] = [];
  const deletedTexts: string[] = [];
  const commentTexts: string[] = [];
  let images = 0;
  let withoutAlt = 0;
  const headings: Record<number, number> = {};
  for (const node of walk(content)) {
    const name = nameOf(node);
    if (name === 'text:insertion' || name === 'text:deletion') {
      const creator = [...walk(childrenOf(node))].find((n) => nameOf(n) === 'dc:creator');
      (name === 'text:insertion' ? insertions : deletions).push(creator ? textOf(creator) : '');
      if (name === 'text:deletion') {
        deletedTexts.push(
          childrenOf(node)
            .filter((n) => nameOf(n) === 'text:p')
            .map((n) => textOf(n))
            .join(' '),
        );
      }
    } else if (name === 'office:annotation') {
      const creator = childrenOf(node).find((n) => nameOf(n) === 'dc:creator');
      commentAuthors.push(creator ? textOf(creator) : '');
      commentTexts.push(
        childrenOf(node)
          .filter((n) => nameOf(n) === 'text:p')
          .map((n) => textOf(n))
          .join(' '),
      );
    } else if (name === 'text:h') {
      const level = Number(attrs(node)['@text:outline-level'] ?? 1);
      headings[level] = (headings[level] ?? 0) + 1;
    } else if (name === 'draw:frame') {
      images++;
      if (!childrenOf(node).some((n) => nameOf(n) === 'svg:desc' && textOf(n).trim())) withoutAlt++;
    }
  }
  props['changes.insertion'] = insertions.length;
  props['changes.deletion'] = deletions.length;
  props['changes.authors'] = countBy([...insertions, ...deletions]);
  props.comments = commentAuthors.length;
  props['comments.authors'] = countBy(commentAuthors);
  for (let level = 1; level <= 4; level++) props[`headings.${level}`] = headings[level] ?? 0;
  props.images = images;
  props['images.withoutAlt'] = withoutAlt;
  props.deletedText = collapse(deletedTexts.join(' '));
  props.commentsText = collapse(commentTexts.join(' '));
  // Direct formatting: the automatic text styles, and the text of the spans that use them.
  const textStyles = new Map<string, Record<string, string>>();
  for (const node of walk(content)) {
    if (nameOf(node) !== 'style:style' || attrs(node)['@style:family'] !== 'text') continue;
    const properties = childrenOf(node).find((n) => nameOf(n) === 'style:text-properties');
    textStyles.set(attrs(node)['@style:name'] ?? '', properties ? attrs(properties) : {});
  }
  const bold: string[] = [];
  const fonts = new Set<string>();
  const sizes = new Set<string>();
  for (const node of walk(content)) {
    if (nameOf(node) !== 'text:span') continue;
    const style = textStyles.get(attrs(node)['@text:style-name'] ?? '') ?? {};
    if (style['@fo:font-weight'] === 'bold') bold.push(textOf(node));
    if (style['@fo:font-family']) fonts.add(style['@fo:font-family']);
    if (style['@fo:font-size']) sizes.add(style['@fo:font-size']);
  }
  props.boldText = collapse(bold.join(' '));
  props.fonts = [...fonts].sort().join(', ');
  props.sizes = [...sizes].sort().join(', ');
  for (const picture of Object.keys(zip.files).filter((path) => path.startsWith('Pictures/'))) {
    const bytes = await zip.file(picture)!.async('nodebuffer');
    if (picture.endsWith('.png')) PNG.sync.read(bytes);
    else jpeg.decode(bytes);
  }
  const body = [...walk(content)].find((node) => nameOf(node) === 'office:text');
  const text = body
    ? textOf(body, (n) => ['text:tracked-changes', 'office:annotation', 'svg:desc', 'svg:title'].includes(n))
    : '';
  return { text: collapse(text), props };
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

async function inspectPdf(data: Buffer): Promise<Inspection> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({
    data: new Uint8Array(data),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const props: Record<string, PropValue> = { pages: document.numPages };
    const { info } = (await document.getMetadata()) as unknown as { info: Record<string, unknown> };
    for (const key of [
      'Title',
      'Author',
      'Subject',
      'Keywords',
      'Creator',
      'Producer',
      'CreationDate',
      'ModDate',
      'PDFFormatVersion',
    ]) {
      if (typeof info[key] === 'string') props[`info.${key}`] = info[key];
    }
    const mark = (await document.getMarkInfo()) as { Marked?: boolean } | null;
    props.tagged = mark?.Marked === true;
    props.lang = /\/Lang \(([^)]*)\)/.exec(data.toString('latin1'))?.[1] ?? null;
    props.displayTitle = /\/DisplayDocTitle true/.test(data.toString('latin1'));
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      if (n === 1) {
        const [x0, y0, x1, y1] = page.view as [number, number, number, number];
        props['page1.width'] = Math.round(x1 - x0);
        props['page1.height'] = Math.round(y1 - y0);
      }
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : ''))
        .join('');
      props[`page${n}`] = collapse(text);
      pages.push(text);
    }
    return { text: collapse(pages.join('\n')), props };
  } finally {
    await document.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

async function inspectJpeg(data: Buffer): Promise<Inspection> {
  const image = jpeg.decode(data, { useTArray: true });
  const props: Record<string, PropValue> = { width: image.width, height: image.height };
  const exif = (await exifr.parse(data, {
    tiff: true,
    exif: true,
    gps: true,
    reviveValues: false,
    translateValues: false,
  })) as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(exif ?? {})) {
    if (typeof value === 'string' || typeof value === 'number')
      props[`exif.${key}`] = typeof value === 'string' ? value.replace(/\0+$/, '') : value;
  }
  const gps = await exifr.gps(data).catch(() => undefined);
  if (gps && Number.isFinite(gps.latitude)) {
    props['gps.latitude'] = Math.round(gps.latitude * 10_000) / 10_000;
    props['gps.longitude'] = Math.round(gps.longitude * 10_000) / 10_000;
  }
  const text = Object.entries(props)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('\n');
  return { text, props };
}

async function inspectPng(data: Buffer): Promise<Inspection> {
  const image = PNG.sync.read(data);
  const props: Record<string, PropValue> = { width: image.width, height: image.height };
  const header = (await exifr.parse(data, { ihdr: true, tEXt: true, mergeOutput: true } as object)) as
    Record<string, unknown> | undefined;
  props.colorType = typeof header?.ColorType === 'string' ? header.ColorType : null;
  props.alpha = /alpha/i.test(String(header?.ColorType ?? ''));
  // Text and resolution chunks, read from the chunk list.
  for (let offset = 8; offset < data.length;) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'tEXt') {
      const zero = body.indexOf(0);
      props[`text.${body.toString('latin1', 0, zero)}`] = body.toString('latin1', zero + 1);
    } else if (type === 'iTXt') {
      const zero = body.indexOf(0);
      let rest = zero + 3;
      rest = body.indexOf(0, rest) + 1;
      rest = body.indexOf(0, rest) + 1;
      props[`text.${body.toString('latin1', 0, zero)}`] = body.toString('utf8', rest);
    } else if (type === 'pHYs' && body.readUInt8(8) === 1) {
      props.dpi = Math.round(body.readUInt32BE(0) * 0.0254);
    }
    offset += 12 + length;
  }
  const text = Object.entries(props)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join('\n');
  return { text, props };
}

// ---------------------------------------------------------------------------------------------
// Mail, archives, web pages, data and text
// ---------------------------------------------------------------------------------------------

async function inspectEml(data: Buffer): Promise<Inspection> {
  const email = await PostalMime.parse(data);
  const address = (a: { address?: string; name?: string } | undefined) => (a ? (a.address ?? '') : '');
  const props: Record<string, PropValue> = {
    from: address(email.from),
    'from.name': email.from?.name ?? '',
    to: (email.to ?? []).map(address).join(', '),
    'to.count': (email.to ?? []).length,
    cc: (email.cc ?? []).map(address).join(', '),
    bcc: (email.bcc ?? []).map(address).join(', '),
    replyTo: (email.replyTo ?? []).map(address).join(', '),
    subject: email.subject ?? '',
    date: email.date ?? '',
    attachments: email.attachments.map((a) => a.filename ?? '').join(', '),
  };
  for (const header of email.headers) {
    const key = `header.${header.key}`;
    props[key] = props[key] ? `${String(props[key])} | ${header.value}` : header.value;
  }
  for (const attachment of email.attachments) {
    props[`attachment.${attachment.filename}.type`] = attachment.mimeType;
    props[`attachment.${attachment.filename}.bytes`] =
      typeof attachment.content === 'string' ? attachment.content.length : attachment.content.byteLength;
  }
  const links = email.html
    ? parseHtml(email.html)
        .querySelectorAll('a')
        .map((a) => `${a.text.trim()} -> ${a.getAttribute('href') ?? ''}`)
    : [];
  props.links = links.join(' | ');
  // Attached documents must open too; their text follows the message's.
  const attached: string[] = [];
  for (const attachment of email.attachments) {
    const name = attachment.filename ?? '';
    if (!/\.(pdf|docx|odt|xlsx|ods|csv|html|txt|png|jpe?g|zip)$/i.test(name)) continue;
    const content =
      typeof attachment.content === 'string'
        ? Buffer.from(attachment.content)
        : Buffer.from(new Uint8Array(attachment.content));
    attached.push(`[${name}] ${(await inspect(name, content)).text}`);
  }
  const text = [
    email.subject ?? '',
    email.text ?? '',
    email.html ? parseHtml(email.html).structuredText : '',
    ...attached,
  ].join('\n');
  return { text: collapse(text), props };
}

/** The properties of files inside an archive that are kept (as `<path>#<property>`). */
const NESTED_PROPS =
  /^(?:exif|meta|info)\.|^(?:tagged|lang|displayTitle|pages|width|height|alpha|colorType|dpi|images(?:\..*)?)$/;

async function inspectZip(data: Buffer): Promise<Inspection> {
  const zip = await JSZip.loadAsync(data);
  const props: Record<string, PropValue> = {};
  const paths: string[] = [];
  const texts: string[] = [];
  let files = 0;
  for (const [path, entry] of Object.entries(zip.files)) {
    paths.push(path);
    props[`date:${path}`] = entry.date.toISOString().slice(0, 16).replace('T', ' ');
    if (entry.dir) continue;
    files++;
    const content = await entry.async('nodebuffer');
    props[`size:${path}`] = content.length;
    // Nested files must open too; their text follows the list of entries, each after its path.
    const nested = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
    if (
      [
        'jpg',
        'jpeg',
        'png',
        'pdf',
        'docx',
        'odt',
        'xlsx',
        'ods',
        'csv',
        'eml',
        'html',
        'txt',
        'md',
        'py',
        'js',
        'json',
      ].includes(nested)
    ) {
      const inner = await inspect(path, content);
      if (!['jpg', 'jpeg', 'png'].includes(nested)) texts.push(`[${path}] ${inner.text.slice(0, 5000)}`);
      for (const [key, value] of Object.entries(inner.props))
        if (NESTED_PROPS.test(key)) props[`${path}#${key}`] = value;
    }
  }
  props.files = files;
  props.comment = (zip as unknown as { comment?: string }).comment ?? null;
  return { text: [...paths, ...texts].join('\n'), props };
}

function inspectHtml(data: Buffer): Inspection {
  const source = data.toString('utf8');
  const root = parseHtml(source, { comment: false });
  const attributes = root
    .querySelectorAll('[href], [src], [alt], [content], [aria-label], [title]')
    .flatMap((node) =>
      ['href', 'src', 'alt', 'content', 'aria-label', 'title']
        .map((name) => node.getAttribute(name))
        .filter((v): v is string => !!v),
    );
  const props: Record<string, PropValue> = {
    title: root.querySelector('title')?.text.trim() ?? null,
    lang: root.querySelector('html')?.getAttribute('lang') ?? null,
    links: root.querySelectorAll('a').length,
    images: root.querySelectorAll('img').length,
    'images.withoutAlt': root.querySelectorAll('img').filter((img) => img.getAttribute('alt') === undefined)
      .length,
  };
  for (const level of [1, 2, 3, 4]) props[`h${level}`] = root.querySelectorAll(`h${level}`).length;
  return { text: collapse(`${root.structuredText}\n${attributes.join('\n')}`), props };
}

function inspectCsv(data: Buffer): Inspection {
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter =
    (firstLine.match(/;/g) ?? []).length > (firstLine.match(/,/g) ?? []).length
      ? ';'
      : firstLine.includes('\t')
        ? '\t'
        : ',';
  const rows = parseCsv(text, { delimiter, relax_column_count: false, skip_empty_lines: true }) as string[][];
  const props: Record<string, PropValue> = {
    rows: rows.length,
    columns: rows[0]?.length ?? 0,
    delimiter,
    bom: data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf,
  };
  rows.forEach((row, r) => row.forEach((cell, c) => (props[`${columnName(c + 1)}${r + 1}`] = cell)));
  return { text: collapse(rows.map((row) => row.join(' ')).join('\n')), props };
}

function inspectWav(data: Buffer): Inspection {
  if (data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WAVE')
    throw new Error('not a RIFF/WAVE file');
  const channels = data.readUInt16LE(22);
  const sampleRate = data.readUInt32LE(24);
  const byteRate = data.readUInt32LE(28);
  const bits = data.readUInt16LE(34);
  const dataSize = data.readUInt32LE(40);
  if (44 + dataSize !== data.length) throw new Error('data chunk size does not match the file');
  const props = { channels, sampleRate, bits, duration: Math.round((dataSize / byteRate) * 100) / 100 };
  return { text: '', props };
}

function inspectText(extension: string, data: Buffer, encoding?: string): Inspection {
  let text: string;
  if (data[0] === 0xff && data[1] === 0xfe) text = data.subarray(2).toString('utf16le');
  else if (encoding === 'latin1') text = data.toString('latin1');
  else text = new TextDecoder('utf-8', { fatal: true }).decode(data).replace(/^\uFEFF/, '');
  const props: Record<string, PropValue> = {
    bytes: data.length,
    characters: [...text].length,
    lines: text.split(/\r?\n/).length - (text.endsWith('\n') ? 1 : 0),
    bom: data[0] === 0xef || data[0] === 0xff,
    crlf: text.includes('\r\n'),
  };
  if (extension === 'json') JSON.parse(text);
  if (extension === 'xml' || extension === 'svg') {
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg}`);
  }
  if (extension === 'ics' && !/^BEGIN:VCALENDAR\r?\n[\s\S]*END:VCALENDAR\r?\n?$/.test(text))
    throw new Error('not an iCalendar file');
  if (extension === 'vtt' && !text.startsWith('WEBVTT')) throw new Error('not a WebVTT file');
  return { text: collapse(text), props };
}
