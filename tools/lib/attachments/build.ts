/**
 * Builds one attachment from its resolved spec, by kind. ZIP archives and e-mails may hold other
 * files, described by nested specs of any kind.
 *
 *   kind: zip
 *   comment: archive comment
 *   entries:
 *     - { path: Photos/, date: 2024-05-02 }                          a folder
 *     - { path: notes.txt, date: 2024-05-02T10:00, text: '…' }
 *     - { path: IMG_0001.jpg, date: …, spec: { kind: jpeg, … } }    a file built by another builder
 *     - { path: big.log, spec: { kind: text, repeat: … }, store: true }
 *     - { path: SHA256SUMS.txt, checksums: [a.pdf, b.txt], published: { b.txt: 'original text' } }
 *       a checksum file (sha256sum format) of entries listed before it; `published` gives the content a
 *       file had when its checksum was published (to simulate a file altered since)
 */
import { createHash } from 'node:crypto';
import { buildDocx } from './docx.js';
import { buildEml } from './eml.js';
import { buildJpeg, buildPng } from './images.js';
import { buildOds } from './ods.js';
import { buildOdt } from './odt.js';
import { buildPdf } from './pdf.js';
import { buildCsv, buildText, buildWav } from './plain.js';
import { DEFAULT_DATE, dateOf, list, optStr, record, str, type ResolvedSpec } from './spec.js';
import { buildXlsx } from './xlsx.js';
import { writeZip, type ZipEntry } from './zip.js';

/** The kinds of spec, and the file extensions each one may write. */
export const KINDS: Readonly<Record<string, readonly string[]>> = {
  text: ['txt', 'html', 'xml', 'json', 'ics', 'vcf', 'md', 'py', 'js', 'vtt', 'srt', 'log', 'svg', 'csv'],
  csv: ['csv'],
  xlsx: ['xlsx'],
  ods: ['ods'],
  docx: ['docx'],
  odt: ['odt'],
  pdf: ['pdf'],
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  eml: ['eml'],
  zip: ['zip'],
  wav: ['wav'],
};

export async function buildAttachment(spec: ResolvedSpec, name: string): Promise<Buffer> {
  switch (spec.kind) {
    case 'text':
      return buildText(spec);
    case 'csv':
      return buildCsv(spec);
    case 'xlsx':
      return buildXlsx(spec);
    case 'ods':
      return buildOds(spec);
    case 'docx':
      return buildDocx(spec);
    case 'odt':
      return buildOdt(spec);
    case 'pdf':
      return buildPdf(spec);
    case 'jpeg':
      return buildJpeg(spec);
    case 'png':
      return buildPng(spec);
    case 'wav':
      return buildWav(spec);
    case 'eml':
      return buildEml(spec, name, (nested) => buildAttachment(nested, `${name}/nested`));
    case 'zip':
      return buildZipArchive(spec, name);
    default:
      throw new Error(`unknown kind "${spec.kind}"`);
  }
}

async function buildZipArchive(spec: ResolvedSpec, name: string): Promise<Buffer> {
  const entries: ZipEntry[] = [];
  const folders = new Set<string>();
  for (const [i, input] of list(spec.entries, 'entries').entries()) {
    const entry = record(input, `entries[${i}]`);
    const path = str(entry.path, `entries[${i}].path`);
    const date = entry.date ? dateOf(entry.date, `entries[${i}].date`) : DEFAULT_DATE;
    const comment = optStr(entry.comment, `entries[${i}].comment`);
    let data: Buffer | undefined;
    if (path.endsWith('/')) data = undefined;
    else if (entry.text !== undefined) data = Buffer.from(str(entry.text, `entries[${i}].text`), 'utf8');
    else if (entry.spec !== undefined)
      data = await buildAttachment(
        record(entry.spec, `entries[${i}].spec`) as ResolvedSpec,
        `${name}/${path}`,
      );
    else if (entry.checksums !== undefined) {
      const published = record(entry.published, `entries[${i}].published`);
      const lines = list(entry.checksums, `entries[${i}].checksums`).map((item) => {
        const target = str(item, `entries[${i}].checksums`);
        const original = published[target];
        const content =
          original !== undefined
            ? Buffer.from(str(original, `published.${target}`), 'utf8')
            : entries.find((e) => e.path === target)?.data;
        if (content === undefined)
          throw new Error(`entries[${i}]: no entry "${target}" before the checksum file`);
        return `${createHash('sha256').update(content).digest('hex')}  ${target.slice(target.lastIndexOf('/') + 1)}`;
      });
      data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    } else throw new Error(`entries[${i}] (${path}) needs "text", "spec" or "checksums"`);
    // Parent folders get an entry of their own, dated like their first file.
    const parts = path.replace(/\/$/, '').split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = `${parts.slice(0, depth).join('/')}/`;
      if (!folders.has(folder)) {
        folders.add(folder);
        entries.push({ path: folder, date });
      }
    }
    if (path.endsWith('/')) {
      if (folders.has(path)) continue;
      folders.add(path);
    }
    entries.push({
      path,
      date,
      ...(data !== undefined ? { data } : {}),
      ...(entry.store === true ? { store: true } : {}),
      ...(comment ? { comment } : {}),
    });
  }
  return writeZip(entries, optStr(spec.comment, 'comment'));
}
