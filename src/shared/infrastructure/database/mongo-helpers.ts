import type { Model } from 'mongoose';

/** MongoDB and FerretDB both refuse a duplicate insert under a unique index with this code. */
export const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/** Inserts one document; false when a unique index already holds its key. */
export async function insertUnlessDuplicate<T>(model: Model<T>, document: T): Promise<boolean> {
  try {
    await model.create(document);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/**
 * Creates the collection and the schema's indexes, explicitly (autoIndex is off, see
 * docs/adr/0001): a refused index fails here instead of being swallowed.
 */
export async function ensureModelIndexes(
  models: ReadonlyArray<{ createCollection(): Promise<unknown>; createIndexes(): Promise<unknown> }>,
): Promise<void> {
  for (const model of models) {
    await model.createCollection().catch(() => undefined);
    await model.createIndexes();
  }
}

/** Drops `null`/`undefined` optional fields read back from a document. */
export function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
