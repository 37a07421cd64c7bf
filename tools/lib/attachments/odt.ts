/** .odt documents, written from their XML parts (same spec as .docx, see document-model.ts). */
import {
  readDocument,
  type Block,
  type CommentModel,
  type ParagraphFormat,
  type Run,
} from './document-model.js';
import { buildJpeg, buildPng } from './images.js';
import { ODF_NAMESPACES, odfMeta, odfPackage, xml } from './odf.js';
import { optNum, type ResolvedSpec } from './spec.js';
import { w3cDate } from './zip.js';

const MEDIA_TYPE = 'application/vnd.oasis.opendocument.text';
const odfDate = (date: Date) => w3cDate(date).replace(/Z$/, '');

/** Style names as LibreOffice writes them ("Heading 1" → "Heading_20_1"). */
const styleName = (name: string) => name.replace(/ /g, '_20_');

export async function buildOdt(spec: ResolvedSpec): Promise<Buffer> {
  const meta = odfMeta(spec);
  const model = readDocument(spec);
  const automatic = new Map<string, string>();
  const changes: string[] = [];
  const pictures: Record<string, Buffer> = {};
  const commentsById = new Map<string, CommentModel>(model.comments.map((c) => [c.id, c]));

  const autoStyle = (family: 'text' | 'paragraph', properties: string, parent?: string): string => {
    const key = `${family}|${parent ?? ''}|${properties}`;
    let name = automatic.get(key);
    if (!name) {
      name = `${family === 'text' ? 'T' : 'P'}${automatic.size + 1}`;
      automatic.set(key, name);
    }
    return name;
  };

  const textProperties = (run: Partial<Run>, format: ParagraphFormat = {}) => {
    const parts: string[] = [];
    if (run.bold ?? format.bold) parts.push('fo:font-weight="bold"');
    if (run.italic ?? format.italic) parts.push('fo:font-style="italic"');
    if (run.underline)
      parts.push(
        'style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"',
      );
    if (format.size) parts.push(`fo:font-size="${format.size}pt"`);
    if (format.font) parts.push(`style:font-name="${xml(format.font)}" fo:font-family="${xml(format.font)}"`);
    if (format.color) parts.push(`fo:color="#${format.color}"`);
    return parts.join(' ');
  };

  const inline = (runs: readonly Run[], format: ParagraphFormat = {}): string => {
    let out = '';
    let openComment: string | undefined;
    const close = () => {
      if (openComment) out += `<office:annotation-end office:name="${openComment}"/>`;
      openComment = undefined;
    };
    for (const run of runs) {
      if (run.comment !== openComment) {
        close();
        if (run.comment) {
          const comment = commentsById.get(run.comment)!;
          out +=
            `<office:annotation office:name="${run.comment}"${comment.resolved ? ' loext:resolved="true"' : ''}>` +
            `<dc:creator>${xml(comment.author)}</dc:creator><dc:date>${odfDate(comment.date)}</dc:date>` +
            `<text:p>${xml(comment.text)}</text:p>` +
            comment.replies.map((r) => `<text:p>${xml(`${r.author} : ${r.text}`)}</text:p>`).join('') +
            '</office:annotation>';
          openComment = run.comment;
        }
      }
      const properties = textProperties(run, format);
      const styled = (text: string) =>
        properties
          ? `<text:span text:style-name="${autoStyle('text', properties)}">${text}</text:span>`
          : text;
      let text = xml(run.text).replace(/\t/g, '<text:tab/>');
      if (run.link) text = `<text:a xlink:type="simple" xlink:href="${xml(run.link)}">${text}</text:a>`;
      if (run.change) {
        const id = `ct${changes.length + 1}`;
        const info = `<office:change-info><dc:creator>${xml(run.change.author)}</dc:creator><dc:date>${odfDate(run.change.date)}</dc:date></office:change-info>`;
        if (run.change.type === 'ins') {
          changes.push(
            `<text:changed-region text:id="${id}"><text:insertion>${info}</text:insertion></text:changed-region>`,
          );
          out += `<text:change-start text:change-id="${id}"/>${styled(text)}<text:change-end text:change-id="${id}"/>`;
        } else {
          changes.push(
            `<text:changed-region text:id="${id}"><text:deletion>${info}<text:p>${styled(text)}</text:p></text:deletion></text:changed-region>`,
          );
          out += `<text:change text:change-id="${id}"/>`;
        }
      } else if (run.field) {
        out += `<text:database-display text:table-name="" text:table-type="table" text:column-name="${xml(run.field)}">${text}</text:database-display>`;
      } else out += styled(text);
    }
    close();
    return out;
  };

  const paragraphStyle = (format: ParagraphFormat): string => {
    const parent = styleName(format.style ?? 'Standard');
    const paragraphProps = format.align
      ? `<style:paragraph-properties fo:text-align="${format.align === 'left' ? 'start' : format.align === 'right' ? 'end' : format.align}"/>`
      : '';
    if (!paragraphProps) return parent;
    return autoStyle('paragraph', paragraphProps, parent);
  };

  let imageCount = 0;
  let listCount = 0;
  const blockXml = (block: Block): string => {
    switch (block.kind) {
      case 'heading':
        return `<text:h text:style-name="Heading_20_${block.level}" text:outline-level="${block.level}">${inline(block.runs)}</text:h>`;
      case 'paragraph':
        return `<text:p text:style-name="${paragraphStyle(block.format)}">${inline(block.runs, block.format)}</text:p>`;
      case 'list': {
        listCount++;
        const style = block.ordered ? 'Numbering_20_123' : 'List_20_1';
        return (
          `<text:list xml:id="list${listCount}" text:style-name="${style}">` +
          block.items
            .map(
              (item) =>
                `<text:list-item><text:p text:style-name="List_20_Paragraph">${inline(item)}</text:p></text:list-item>`,
            )
            .join('') +
          '</text:list>'
        );
      }
      case 'table': {
        const columns = Math.max(...block.rows.map((row) => row.length));
        const rows = block.rows.map((row, r) => {
          const cells = row.map(
            (cell) =>
              `<table:table-cell office:value-type="string"><text:p text:style-name="${block.header && r === 0 ? 'Table_20_Heading' : 'Table_20_Contents'}">${inline(cell)}</text:p></table:table-cell>`,
          );
          const line = `<table:table-row>${cells.join('')}</table:table-row>`;
          return block.header && r === 0
            ? `<table:table-header-rows>${line}</table:table-header-rows>`
            : line;
        });
        return `<table:table table:name="Table${listCount + imageCount + 1}"><table:table-column table:number-columns-repeated="${columns}"/>${rows.join('')}</table:table>`;
      }
      case 'image': {
        imageCount++;
        const picture = { kind: block.type, ...block.picture } as ResolvedSpec;
        const width = optNum(picture.width, 'image.width') ?? 200;
        const height = optNum(picture.height, 'image.height') ?? 150;
        const ext = block.type === 'png' ? 'png' : 'jpg';
        const path = `Pictures/image${imageCount}.${ext}`;
        pictures[path] = block.type === 'png' ? buildPng(picture) : buildJpeg(picture);
        const heightCm = (block.widthCm * height) / width;
        const frame =
          `<draw:frame draw:name="${xml(block.title ?? `Image${imageCount}`)}" text:anchor-type="as-char" ` +
          `svg:width="${block.widthCm.toFixed(2)}cm" svg:height="${heightCm.toFixed(2)}cm">` +
          `<draw:image xlink:href="${path}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>` +
          (block.title ? `<svg:title>${xml(block.title)}</svg:title>` : '') +
          (block.alt ? `<svg:desc>${xml(block.alt)}</svg:desc>` : '') +
          '</draw:frame>';
        return (
          `<text:p text:style-name="Standard">${frame}</text:p>` +
          (block.caption
            ? `<text:p text:style-name="Caption">${inline([{ text: block.caption }])}</text:p>`
            : '')
        );
      }
      case 'pageBreak':
        return `<text:p text:style-name="${autoStyle('paragraph', '<style:paragraph-properties fo:break-before="page"/>', 'Standard')}"/>`;
      case 'section':
        return '';
    }
  };

  const body = model.blocks.map(blockXml).join('');
  const automaticXml = [...automatic]
    .map(([key, name]) => {
      const [family, parent, properties] = key.split('|') as [string, string, string];
      if (family === 'text')
        return `<style:style style:name="${name}" style:family="text"><style:text-properties ${properties}/></style:style>`;
      return `<style:style style:name="${name}" style:family="paragraph" style:parent-style-name="${parent}">${properties}</style:style>`;
    })
    .join('');
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-content ${ODF_NAMESPACES} office:version="1.3">` +
    `<office:automatic-styles>${automaticXml}</office:automatic-styles>` +
    '<office:body><office:text>' +
    (changes.length
      ? `<text:tracked-changes text:track-changes="true">${changes.join('')}</text:tracked-changes>`
      : '') +
    body +
    '</office:text></office:body></office:document-content>';

  const customStyles = model.styles
    .map(
      (style) =>
        `<style:style style:name="${styleName(style.id)}" style:display-name="${xml(style.name)}" style:family="paragraph" ` +
        `style:parent-style-name="${styleName(style.basedOn ?? 'Standard')}" style:class="text">` +
        `<style:text-properties ${textProperties({ bold: style.bold, italic: style.italic }, { ...(style.size ? { size: style.size } : {}), ...(style.font ? { font: style.font } : {}), ...(style.color ? { color: style.color } : {}) })}/></style:style>`,
    )
    .join('');
  const headingStyle = (level: number, size: number) =>
    `<style:style style:name="Heading_20_${level}" style:display-name="Heading ${level}" style:family="paragraph" ` +
    `style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="${level}" style:class="text">` +
    `<style:text-properties fo:font-size="${size}pt" fo:font-weight="bold"/></style:style>`;
  const footerParts: string[] = [];
  if (model.footer !== undefined) footerParts.push(xml(model.footer));
  if (model.pageNumbers)
    footerParts.push(
      `${model.footer !== undefined ? ' – ' : ''}Page <text:page-number text:select-page="current">1</text:page-number>`,
    );
  const styles =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-styles ${ODF_NAMESPACES} office:version="1.3">` +
    '<office:font-face-decls><style:font-face style:name="Liberation Serif" svg:font-family="\'Liberation Serif\'"/>' +
    '<style:font-face style:name="Liberation Sans" svg:font-family="\'Liberation Sans\'"/></office:font-face-decls>' +
    '<office:styles>' +
    `<style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt"${model.language ? ` fo:language="${model.language.split('-')[0]}" fo:country="${model.language.split('-')[1] ?? ''}"` : ''}/></style:default-style>` +
    '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>' +
    '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-bottom="0.25cm"/></style:style>' +
    '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"/><style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt"/></style:style>' +
    headingStyle(1, 18) +
    headingStyle(2, 15) +
    headingStyle(3, 13) +
    '<style:style style:name="List_20_Paragraph" style:display-name="List Paragraph" style:family="paragraph" style:parent-style-name="Standard" style:class="list"/>' +
    '<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="10pt" fo:font-style="italic"/></style:style>' +
    '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>' +
    '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>' +
    '<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>' +
    '<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:text-align="center"/></style:style>' +
    customStyles +
    '<text:list-style style:name="List_20_1" style:display-name="List 1"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>' +
    '<text:list-style style:name="Numbering_20_123" style:display-name="Numbering 123"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-number></text:list-style>' +
    '</office:styles>' +
    '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>' +
    '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">' +
    (model.header !== undefined
      ? `<style:header><text:p text:style-name="Header">${xml(model.header)}</text:p></style:header>`
      : '') +
    (footerParts.length
      ? `<style:footer><text:p text:style-name="Footer">${footerParts.join('')}</text:p></style:footer>`
      : '') +
    '</style:master-page></office:master-styles></office:document-styles>';

  return odfPackage(
    MEDIA_TYPE,
    { 'content.xml': content, 'styles.xml': styles, 'meta.xml': meta.xml, ...pictures },
    meta.modified,
  );
}
