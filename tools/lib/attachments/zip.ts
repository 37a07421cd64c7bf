/**
 * ZIP packages written reproducibly: every entry gets a fixed date, entries keep a stable order,
 * and compression (pako, through JSZip) does not depend on the machine.
 */
import JSZip from 'jszip';

export interface ZipEntry {
  readonly path: string;
  /** Undefined for a folder entry (path ending with "/"). */
  readonly data?: Buffer | string;
  readonly date: Date;
  /** Stored without compression (the ODF "mimetype" entry must be). */
  readonly store?: boolean;
  readonly comment?: string;
}

export async function writeZip(entries: readonly ZipEntry[], comment?: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const entry of entries) {
    if (entry.data === undefined) {
      zip.file(entry.path.replace(/\/?$/, '/'), null, { dir: true, date: entry.date, createFolders: false });
    } else {
      zip.file(entry.path, entry.data, {
        date: entry.date,
        binary: typeof entry.data !== 'string',
        compression: entry.store ? 'STORE' : 'DEFLATE',
        // Folders are listed only when the caller lists them (JSZip would date them "now").
        createFolders: false,
        ...(entry.comment ? { comment: entry.comment } : {}),
      });
    }
  }
  return zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'DOS',
    ...(comment ? { comment } : {}),
  });
}

/**
 * Rewrites a ZIP-based file (an .xlsx or .docx written by a library) with fixed entry dates,
 * applying `transform` to the text of some entries (to fix dates inside the XML, for example).
 */
export async function normalizeZip(
  buffer: Buffer | Uint8Array,
  date: Date,
  transform: (path: string, text: string) => string = (_path, text) => text,
): Promise<Buffer> {
  const source = await JSZip.loadAsync(buffer);
  const entries: ZipEntry[] = [];
  for (const [path, file] of Object.entries(source.files)) {
    if (file.dir) continue;
    if (/\.(xml|rels)$/.test(path)) {
      entries.push({ path, data: transform(path, await file.async('string')), date });
    } else {
      entries.push({ path, data: await file.async('nodebuffer'), date });
    }
  }
  return writeZip(entries);
}

/** W3C date-time without milliseconds, as office documents write it. */
export function w3cDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets dcterms:created and dcterms:modified of an OOXML docProps/core.xml. */
export function fixCoreDates(text: string, created: Date, modified: Date): string {
  return text
    .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${w3cDate(created)}$2`)
    .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${w3cDate(modified)}$2`);
}
