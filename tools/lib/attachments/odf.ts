/** OpenDocument packages (.odt, .ods): the XML parts and their ZIP container. */
import { DEFAULT_DATE, dateOf, optNum, optStr, record, type ResolvedSpec } from './spec.js';
import { writeZip, w3cDate } from './zip.js';

export const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const ODF_NAMESPACES = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
  'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"',
  'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"',
].join(' ');

export const GENERATOR = 'pix-lti content generator';

export interface OdfMeta {
  readonly created: Date;
  readonly modified: Date;
  readonly xml: string;
}

/** meta.xml from `properties: { title, subject, keywords, creator, lastModifiedBy, created, modified, editingCycles, editingMinutes }`. */
export function odfMeta(spec: ResolvedSpec): OdfMeta {
  const p = record(spec.properties, 'properties');
  const created = p.created ? dateOf(p.created, 'properties.created') : DEFAULT_DATE;
  const modified = p.modified ? dateOf(p.modified, 'properties.modified') : created;
  const creator = optStr(p.creator, 'properties.creator');
  const last = optStr(p.lastModifiedBy, 'properties.lastModifiedBy') ?? creator;
  const cycles = optNum(p.editingCycles, 'properties.editingCycles') ?? 1;
  const minutes = optNum(p.editingMinutes, 'properties.editingMinutes');
  const parts = [
    `<meta:generator>${GENERATOR}</meta:generator>`,
    p.title ? `<dc:title>${xml(String(p.title))}</dc:title>` : '',
    p.subject ? `<dc:subject>${xml(String(p.subject))}</dc:subject>` : '',
    p.description ? `<dc:description>${xml(String(p.description))}</dc:description>` : '',
    p.keywords ? `<meta:keyword>${xml(String(p.keywords))}</meta:keyword>` : '',
    p.language ? `<dc:language>${xml(String(p.language))}</dc:language>` : '',
    creator ? `<meta:initial-creator>${xml(creator)}</meta:initial-creator>` : '',
    `<meta:creation-date>${w3cDate(created).replace(/Z$/, '')}</meta:creation-date>`,
    last ? `<dc:creator>${xml(last)}</dc:creator>` : '',
    `<dc:date>${w3cDate(modified).replace(/Z$/, '')}</dc:date>`,
    `<meta:editing-cycles>${cycles}</meta:editing-cycles>`,
    minutes !== undefined
      ? `<meta:editing-duration>PT${Math.floor(minutes / 60)}H${minutes % 60}M0S</meta:editing-duration>`
      : '',
  ];
  return {
    created,
    modified,
    xml:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<office:document-meta ${ODF_NAMESPACES} office:version="1.3"><office:meta>${parts.join('')}</office:meta></office:document-meta>`,
  };
}

/** The ZIP package: "mimetype" first and stored, then the manifest and the parts. */
export async function odfPackage(
  mediaType: string,
  parts: Readonly<Record<string, string | Buffer>>,
  date: Date,
): Promise<Buffer> {
  const entries = Object.keys(parts).map(
    (path) =>
      `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="${path.endsWith('.xml') ? 'text/xml' : path.endsWith('.png') ? 'image/png' : 'image/jpeg'}"/>`,
  );
  const manifest =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${mediaType}"/>` +
    entries.join('') +
    '</manifest:manifest>';
  return writeZip([
    { path: 'mimetype', data: mediaType, date, store: true },
    { path: 'META-INF/manifest.xml', data: manifest, date },
    ...Object.entries(parts).map(([path, data]) => ({ path, data, date })),
  ]);
}
