/**
 * A cache of parsed YAML, keyed by each file's content hash, so that loading an unchanged bank
 * skips YAML parsing (by far the slowest step: the `yaml` package parses about 1 MB/s on a cold
 * process, while the whole bank validates in a few tens of milliseconds).
 *
 * Only the YAML → plain data step is cached; schemas, cross-references and files are checked on
 * every load, so a cached bank is validated exactly like a fresh one. An entry is used only when
 * the file's text has the same SHA-256 as when it was parsed, and only files that parsed without
 * error and survive a JSON round trip are cached. The cache lives in the project's
 * node_modules/.cache/ (the usual place for tool caches, owned by the project and never
 * committed), one file per content folder; any problem reading or writing it is ignored (the bank
 * is then simply parsed, e.g. on a read-only deployment).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE_VERSION = 1;

interface CacheEntry {
  readonly sha256: string;
  readonly data: unknown;
}

interface CacheFile {
  readonly version: number;
  readonly files: Record<string, CacheEntry>;
}

export interface YamlCache {
  /** The cached data of a file whose text hashes to `sha256`, if any. */
  get(relative: string, sha256: string): { readonly data: unknown } | undefined;
  /** Remembers freshly parsed data. */
  set(relative: string, sha256: string, data: unknown): void;
  /** Writes the cache back when it changed. */
  save(): Promise<void>;
  readonly hits: number;
  readonly misses: number;
}

export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

const CACHE_DIR = fileURLToPath(new URL('../../../../node_modules/.cache/pix-lti-content/', import.meta.url));

/** The default cache file of a content folder. */
export function defaultYamlCacheFile(contentDir: string): string {
  const key = createHash('sha256').update(path.resolve(contentDir)).digest('hex').slice(0, 16);
  return path.join(CACHE_DIR, `${key}.json`);
}

/** True for data a JSON round trip gives back unchanged. */
function isJsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).every(([key, child]) => key !== '__proto__' && isJsonSafe(child));
  }
  return false;
}

class FileYamlCache implements YamlCache {
  hits = 0;
  misses = 0;
  private readonly used: Record<string, CacheEntry> = {};

  constructor(
    private readonly file: string,
    private readonly previous: Record<string, CacheEntry>,
  ) {}

  get(relative: string, sha256: string): { readonly data: unknown } | undefined {
    const entry = Object.hasOwn(this.previous, relative) ? this.previous[relative] : undefined;
    if (entry && entry.sha256 === sha256) {
      this.hits += 1;
      this.used[relative] = entry;
      return { data: entry.data };
    }
    this.misses += 1;
    return undefined;
  }

  set(relative: string, sha256: string, data: unknown): void {
    if (isJsonSafe(data)) this.used[relative] = { sha256, data };
  }

  async save(): Promise<void> {
    const unchanged =
      this.misses === 0 && Object.keys(this.used).length === Object.keys(this.previous).length;
    if (unchanged) return;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      const content: CacheFile = { version: CACHE_VERSION, files: this.used };
      await writeFile(temporary, JSON.stringify(content));
      await rename(temporary, this.file);
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
}

/** Opens the cache file (a missing or unreadable one is an empty cache). */
export async function openYamlCache(file: string): Promise<YamlCache> {
  let previous: Record<string, CacheEntry> = {};
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFile>;
    if (parsed.version === CACHE_VERSION && parsed.files && typeof parsed.files === 'object') {
      previous = parsed.files;
    }
  } catch {
    // No cache yet, or a broken one: start empty.
  }
  return new FileYamlCache(file, previous);
}

/** A cache that never hits and never writes. */
export function noYamlCache(): YamlCache {
  let misses = 0;
  return {
    get: () => {
      misses += 1;
      return undefined;
    },
    set: () => undefined,
    save: async () => undefined,
    hits: 0,
    get misses() {
      return misses;
    },
  };
}
