/**
 * PDF documents written with pdfkit. The document information (CreationDate, ModDate…) is fixed by
 * the spec, and the file ID is derived from it, so the same spec gives the same file.
 *
 *   kind: pdf
 *   info: { title, author, subject, keywords, creator, producer, created, modified }
 *   size: A4 (A3, A5, LETTER…)        layout: portrait | landscape
 *   tagged: true, lang: fr-FR, displayTitle: true      (accessible, tagged PDF)
 *   pageNumbers: true, footer: text   (on every page)
 *   blocks:
 *     - { h1: Title }  { h2: Section }  { p: Text }  { small: Fine print }  { box: A framed notice }
 *     - { list: [a, b], ordered: false }
 *     - { table: [[Head, Head], [a, b]], widths: [200, 100] }
 *     - { chart: { title, bars: [{ label, value }], min, max, unit }, alt }
 *     - { image: { width, height, picture }, type: jpeg, displayWidth: 200, alt }
 *     - { pageBreak: true }
 */
import PDFDocument from 'pdfkit';
import { buildJpeg, buildPng } from './images.js';
import {
  DEFAULT_DATE,
  dateOf,
  isRecord,
  list,
  num,
  optNum,
  optStr,
  record,
  str,
  type ResolvedSpec,
} from './spec.js';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

export async function buildPdf(spec: ResolvedSpec): Promise<Buffer> {
  const info = record(spec.info, 'info');
  const created = info.created ? dateOf(info.created, 'info.created') : DEFAULT_DATE;
  const modified = info.modified ? dateOf(info.modified, 'info.modified') : created;
  const tagged = spec.tagged === true;
  const lang = optStr(spec.lang, 'lang');
  const margin = optNum(spec.margin, 'margin') ?? 56;
  const doc = new PDFDocument({
    size: optStr(spec.size, 'size') ?? 'A4',
    layout: spec.layout === 'landscape' ? 'landscape' : 'portrait',
    margin,
    bufferPages: true,
    compress: true,
    pdfVersion: tagged ? '1.7' : '1.4',
    tagged,
    ...(lang ? { lang } : {}),
    displayTitle: spec.displayTitle === true,
    info: {
      ...(info.title !== undefined ? { Title: str(info.title, 'info.title') } : {}),
      ...(info.author !== undefined ? { Author: str(info.author, 'info.author') } : {}),
      ...(info.subject !== undefined ? { Subject: str(info.subject, 'info.subject') } : {}),
      ...(info.keywords !== undefined ? { Keywords: str(info.keywords, 'info.keywords') } : {}),
      Creator: optStr(info.creator, 'info.creator') ?? 'pix-lti content generator',
      Producer: optStr(info.producer, 'info.producer') ?? 'PDFKit',
      CreationDate: created,
      ModDate: modified,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font(FONT).fontSize(11);
  const root: Struct | undefined = tagged ? doc.struct('Document') : undefined;
  if (root) doc.addStructure(root);
  /** Draws with `draw`, inside a structure element of type `type` when the PDF is tagged. */
  const tag = (type: string, draw: () => void, options: Record<string, string> = {}) => {
    if (root) root.add(doc.struct(type, options, () => draw()));
    else draw();
  };
  const width = () => doc.page.width - doc.page.margins.left - doc.page.margins.right;

  for (const [index, input] of list(spec.blocks, 'blocks').entries()) {
    const where = `blocks[${index}]`;
    const block = record(input, where);
    if (block.h1 !== undefined) {
      tag('H1', () =>
        doc.font(BOLD).fontSize(18).fillColor('#1F3A5F').text(str(block.h1, where), { paragraphGap: 8 }),
      );
    } else if (block.h2 !== undefined) {
      doc.moveDown(0.4);
      tag('H2', () =>
        doc.font(BOLD).fontSize(13).fillColor('#1F3A5F').text(str(block.h2, where), { paragraphGap: 4 }),
      );
    } else if (block.p !== undefined) {
      tag('P', () =>
        doc
          .font(FONT)
          .fontSize(11)
          .fillColor('#000000')
          .text(str(block.p, where), { paragraphGap: 6, align: 'left' }),
      );
    } else if (block.small !== undefined) {
      tag('P', () =>
        doc.font(FONT).fontSize(8).fillColor('#444444').text(str(block.small, where), { paragraphGap: 4 }),
      );
    } else if (block.box !== undefined) {
      const text = str(block.box, where);
      doc.font(FONT).fontSize(10);
      const height = doc.heightOfString(text, { width: width() - 16 }) + 12;
      const top = doc.y;
      const draw = () => {
        doc.rect(doc.page.margins.left, top, width(), height).lineWidth(0.8).strokeColor('#555555').stroke();
        doc.fillColor('#000000').text(text, doc.page.margins.left + 8, top + 6, { width: width() - 16 });
      };
      tag('P', draw);
      doc.x = doc.page.margins.left;
      doc.y = top + height + 8;
    } else if (block.list !== undefined) {
      const items = list(block.list, where).map((item) => str(item, where));
      const ordered = block.ordered === true;
      const drawItem = (item: string, i: number) => () =>
        doc
          .font(FONT)
          .fontSize(11)
          .fillColor('#000000')
          .text(`${ordered ? `${i + 1}.` : '•'}  ${item}`, { indent: 10, paragraphGap: 3 });
      if (root)
        root.add(
          doc.struct(
            'L',
            {},
            items.map((item, i) => doc.struct('LI', {}, [doc.struct('LBody', {}, drawItem(item, i))])),
          ),
        );
      else items.forEach((item, i) => drawItem(item, i)());
      doc.moveDown(0.4);
    } else if (block.table !== undefined) {
      drawTable(doc, block, where, root);
    } else if (block.chart !== undefined) {
      const draw = () => drawChart(doc, record(block.chart, `${where}.chart`));
      if (root) root.add(doc.struct('Figure', { alt: str(block.alt ?? 'Chart', `${where}.alt`) }, draw));
      else draw();
    } else if (block.image !== undefined) {
      const picture = {
        kind: block.type === 'png' ? 'png' : 'jpeg',
        ...record(block.image, `${where}.image`),
      } as ResolvedSpec;
      const data = picture.kind === 'png' ? buildPng(picture) : buildJpeg(picture);
      const shown = optNum(block.displayWidth, `${where}.displayWidth`) ?? 200;
      const draw = () => {
        doc.image(data, doc.page.margins.left, doc.y, { width: shown });
        doc.y += (shown * num(picture.height, 'height')) / num(picture.width, 'width') + 8;
      };
      if (root && block.alt !== undefined)
        root.add(doc.struct('Figure', { alt: str(block.alt, `${where}.alt`) }, draw));
      else if (root) root.add(doc.struct('Artifact', {}, draw));
      else draw();
      doc.x = doc.page.margins.left;
    } else if (block.pageBreak === true) {
      doc.addPage();
    } else if (block.space !== undefined) {
      doc.moveDown(num(block.space, where));
    } else {
      throw new Error(`${where}: unknown block ${JSON.stringify(input)}`);
    }
  }

  const footer = optStr(spec.footer, 'footer');
  if (spec.pageNumbers === true || footer !== undefined) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const parts = [footer, spec.pageNumbers === true ? `${i + 1} / ${range.count}` : undefined].filter(
        Boolean,
      );
      if (tagged) doc.markContent('Artifact', { type: 'Pagination' });
      doc
        .font(FONT)
        .fontSize(8)
        .fillColor('#666666')
        .text(parts.join('   —   '), doc.page.margins.left, doc.page.height - 36, {
          width: width(),
          align: 'center',
          lineBreak: false,
        });
      if (tagged) doc.endMarkedContent();
      doc.page.margins.bottom = bottom;
    }
  }
  root?.end();
  doc.end();
  return done;
}

function drawTable(doc: Doc, block: Record<string, unknown>, where: string, root: Struct | undefined): void {
  const rows = list(block.table, `${where}.table`).map((row) =>
    list(row, where).map((cell) => (cell === null ? '' : String(cell))),
  );
  const available = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const columns = Math.max(...rows.map((row) => row.length));
  const widths = block.widths
    ? list(block.widths, `${where}.widths`).map(Number)
    : Array(columns).fill(available / columns);
  const fontSize = optNum(block.fontSize, `${where}.fontSize`) ?? 9;
  const drawRow = (row: string[], header: boolean) => () => {
    doc
      .font(header ? BOLD : FONT)
      .fontSize(fontSize)
      .fillColor('#000000');
    const height = Math.max(...row.map((cell, c) => doc.heightOfString(cell, { width: widths[c]! - 8 }))) + 8;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    let x = doc.page.margins.left;
    row.forEach((cell, c) => {
      if (header) doc.rect(x, top, widths[c]!, height).fillColor('#E6ECF3').fill();
      doc.rect(x, top, widths[c]!, height).lineWidth(0.5).strokeColor('#888888').stroke();
      doc.fillColor('#000000').text(cell, x + 4, top + 4, { width: widths[c]! - 8 });
      x += widths[c]!;
    });
    doc.x = doc.page.margins.left;
    doc.y = top + height;
  };
  if (root) {
    root.add(
      doc.struct(
        'Table',
        {},
        rows.map((row, r) =>
          doc.struct('TR', {}, [doc.struct(r === 0 ? 'TH' : 'TD', {}, drawRow(row, r === 0))]),
        ),
      ),
    );
  } else rows.forEach((row, r) => drawRow(row, r === 0)());
  doc.moveDown(0.6);
}

function drawChart(doc: Doc, chart: Record<string, unknown>): void {
  const bars = list(chart.bars, 'chart.bars').map((b) => {
    const bar = record(b, 'bar');
    return { label: str(bar.label, 'bar.label'), value: num(bar.value, 'bar.value') };
  });
  const min = optNum(chart.min, 'chart.min') ?? 0;
  const max = optNum(chart.max, 'chart.max') ?? Math.max(...bars.map((b) => b.value));
  const unit = optStr(chart.unit, 'chart.unit') ?? '';
  const decimal = optStr(chart.decimal, 'chart.decimal') ?? '.';
  const number = (value: number) => String(Math.round(value * 100) / 100).replace('.', decimal);
  const step = optNum(chart.step, 'chart.step') ?? (max - min) / 5;
  const left = doc.page.margins.left + 40;
  const top = doc.y + 24;
  const height = optNum(chart.height, 'chart.height') ?? 180;
  const barWidth = optNum(chart.barWidth, 'chart.barWidth') ?? 50;
  const gap = 30;
  if (chart.title)
    doc
      .font(BOLD)
      .fontSize(11)
      .fillColor('#000000')
      .text(str(chart.title, 'chart.title'), doc.page.margins.left, doc.y);
  const y = (value: number) => top + height - ((value - min) / (max - min)) * height;
  doc.lineWidth(0.5).strokeColor('#999999');
  for (let v = min; v <= max + 1e-9; v += step) {
    doc
      .moveTo(left, y(v))
      .lineTo(left + bars.length * (barWidth + gap) + gap, y(v))
      .stroke();
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor('#333333')
      .text(`${number(v)}${unit}`, left - 40, y(v) - 4, { width: 34, align: 'right' });
  }
  const colors = list(chart.colors, 'chart.colors');
  bars.forEach((bar, i) => {
    const x = left + gap + i * (barWidth + gap);
    const fill = typeof colors[i] === 'string' ? (colors[i] as string) : '#3A6EA5';
    doc
      .rect(x, y(Math.max(bar.value, min)), barWidth, y(min) - y(Math.max(bar.value, min)))
      .fillColor(fill)
      .fill();
    if (chart.labels !== false) {
      doc
        .font(BOLD)
        .fontSize(8)
        .fillColor('#000000')
        .text(`${number(bar.value)}${unit}`, x - 10, y(bar.value) - 11, {
          width: barWidth + 20,
          align: 'center',
        });
    }
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor('#000000')
      .text(bar.label, x - 10, top + height + 4, { width: barWidth + 20, align: 'center' });
  });
  doc.x = doc.page.margins.left;
  doc.y = top + height + 30;
  if (isRecord(chart) && chart.source)
    doc.font(FONT).fontSize(8).fillColor('#444444').text(str(chart.source, 'chart.source'));
  doc.moveDown(0.5);
}
