/**
 * The source of each attachment: one YAML file under content/files-src/<competence>/, holding the
 * human-editable truth of one file (or of a French and an English version of it).
 *
 * Any value may be written `{ fr: …, en: … }`: it is then resolved for the version being built.
 * A spec with `file:` builds one file, which must not contain such localized values; a spec with
 * `files: { fr: …, en: … }` builds one file per language.
 *
 * `checks` lists what the challenges depend on; the attachments test opens the built file with a
 * real parser and asserts it (see test/unit/content-files/attachments.test.ts):
 *   contains: texts that the extracted text must contain;
 *   props:    values of properties read by the parser (cell values, EXIF tags, mail headers…).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Scalar = string | number | boolean | null;

export interface AttachmentChecks {
  /** Texts the extracted text of the file must contain (after whitespace is collapsed). */
  readonly contains?: readonly string[];
  /** Property values read by the parser, by property name (see the attachments test). */
  readonly props?: Readonly<Record<string, Scalar>>;
}

/** A spec once resolved for one language: plain data, whose shape depends on `kind`. */
export interface ResolvedSpec {
  readonly kind: string;
  readonly checks?: AttachmentChecks;
  readonly [key: string]: unknown;
}

/** One file to build: where it goes and the spec resolved for its language. */
export interface AttachmentTarget {
  /** Path under content/files/, e.g. `1.3/club-budget.xlsx`. */
  readonly path: string;
  /** The language of this version, or undefined for a file shared by both. */
  readonly locale: Locale | undefined;
  /** The source file, relative to the sources folder. */
  readonly source: string;
  readonly spec: ResolvedSpec;
}

export class SpecError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'SpecError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for `{ fr: …, en: … }` (exactly these two keys). */
export function isLocalized(value: unknown): value is Record<Locale, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes('fr') && keys.includes('en');
}

/** Replaces every `{ fr, en }` value by the one of `locale`; throws when locale is undefined. */
export function resolveLocale(value: unknown, locale: Locale | undefined, where = ''): unknown {
  if (isLocalized(value)) {
    if (!locale) throw new Error(`${where || 'value'}: localized value in a file shared by both languages`);
    return resolveLocale(value[locale], locale, where);
  }
  if (Array.isArray(value))
    return value.map((item, index) => resolveLocale(item, locale, `${where}[${index}]`));
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = resolveLocale(item, locale, where ? `${where}.${key}` : key);
    }
    return result;
  }
  return value;
}

const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Reads one spec file and lists the files it builds. */
export function targetsOf(source: string, text: string): AttachmentTarget[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new SpecError(source, `invalid YAML: ${(error as Error).message}`);
  }
  if (!isRecord(data) || typeof data.kind !== 'string') throw new SpecError(source, 'must have a "kind"');
  const competence = path.posix.dirname(source);
  if (!/^[1-9]\.[1-9]$/.test(competence)) {
    throw new SpecError(source, 'must be in a competence folder such as "1.3/"');
  }
  const { file, files, ...rest } = data;
  const outputs: { name: string; locale: Locale | undefined }[] = [];
  if (typeof file === 'string' && files === undefined) {
    outputs.push({ name: file, locale: undefined });
  } else if (isLocalized(files) && file === undefined) {
    for (const locale of LOCALES) outputs.push({ name: String(files[locale]), locale });
  } else {
    throw new SpecError(source, 'give either "file: <name>" or "files: { fr: <name>, en: <name> }"');
  }
  return outputs.map(({ name, locale }) => {
    if (!FILE_NAME.test(name)) throw new SpecError(source, `invalid file name "${name}"`);
    let spec: unknown;
    try {
      spec = resolveLocale(rest, locale);
    } catch (error) {
      throw new SpecError(source, (error as Error).message);
    }
    return { path: `${competence}/${name}`, locale, source, spec: spec as ResolvedSpec };
  });
}

/** Every spec under `srcDir` (sorted, so the build order is stable), as the files they build. */
export async function loadTargets(srcDir: string): Promise<AttachmentTarget[]> {
  const sources: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(srcDir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.name.endsWith('.yaml')) sources.push(child);
    }
  };
  await walk('');
  sources.sort();
  const targets: AttachmentTarget[] = [];
  const seen = new Map<string, string>();
  for (const source of sources) {
    const text = await readFile(path.join(srcDir, source), 'utf8');
    for (const target of targetsOf(source, text)) {
      const other = seen.get(target.path);
      if (other) throw new SpecError(source, `builds ${target.path}, already built by ${other}`);
      seen.set(target.path, source);
      targets.push(target);
    }
  }
  return targets;
}

// ---------------------------------------------------------------------------------------------
// Small readers used by the builders
// ---------------------------------------------------------------------------------------------

export function str(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`${what} must be text`);
}

export function optStr(value: unknown, what: string): string | undefined {
  return value === undefined || value === null ? undefined : str(value, what);
}

export function num(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new Error(`${what} must be a number`);
}

export function optNum(value: unknown, what: string): number | undefined {
  return value === undefined || value === null ? undefined : num(value, what);
}

export function list(value: unknown, what: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new Error(`${what} must be a list`);
}

export function record(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (isRecord(value)) return value;
  throw new Error(`${what} must be a mapping`);
}

export { isRecord };

/** A date from a spec (`2024-05-03` or `2024-05-03T10:15:00Z`; no zone means UTC). */
export function dateOf(value: unknown, what: string): Date {
  const text = str(value, what);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : /T\d{2}:\d{2}(:\d{2})?$/.test(text)
      ? `${text}Z`
      : text;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`${what}: invalid date "${text}"`);
  return date;
}

/** The date used for every embedded timestamp a spec does not set. */
export const DEFAULT_DATE = new Date('2024-05-15T08:00:00Z');
