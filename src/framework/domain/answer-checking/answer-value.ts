import { AnswerTooLargeError, MAX_ANSWER_BYTES } from './errors.js';

/**
 * The value a learner submits: a plain string for QCU, QCM and QROC (`"2"`, `"1,3"`, `"Paris"`),
 * and an object input key → text for QROCM-ind and QROCM-dep.
 */
export type AnswerValue = string | Readonly<Record<string, string>>;

/**
 * UTF-8 size of a string, computed without allocating. A lone surrogate counts 3 bytes, which is
 * what an encoder writes for it (U+FFFD). Stops counting as soon as `limit` is exceeded.
 */
export function utf8ByteLength(text: string, limit: number = Number.POSITIVE_INFINITY): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      bytes += 1;
    } else if (unit < 0x800) {
      bytes += 2;
    } else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** A non-null, non-array object whose prototype is Object.prototype or null (what JSON.parse yields). */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Refuses an answer whose total UTF-8 size exceeds {@link MAX_ANSWER_BYTES}. For an object the
 * size is the sum of its own keys and string values (the structure itself is not counted). This
 * runs before any other processing and stops early, so a huge answer costs at most ~10 kB of work.
 *
 * @throws AnswerTooLargeError
 */
export function assertAnswerSize(value: unknown, maxBytes: number = MAX_ANSWER_BYTES): void {
  if (typeof value === 'string') {
    // Every UTF-16 code unit is at least one UTF-8 byte: a longer string is surely too large.
    if (value.length > maxBytes || utf8ByteLength(value, maxBytes) > maxBytes) {
      throw new AnswerTooLargeError(maxBytes);
    }
    return;
  }
  if (!isPlainObject(value)) return;
  let total = 0;
  for (const key of Object.keys(value)) {
    const entry = value[key];
    const remaining = maxBytes - total;
    total += utf8ByteLength(key, remaining);
    if (typeof entry === 'string') {
      total += utf8ByteLength(entry, maxBytes - total);
    }
    if (total > maxBytes) throw new AnswerTooLargeError(maxBytes);
  }
}
