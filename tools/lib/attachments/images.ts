/**
 * Images drawn from a short description (no photo is stored in the sources), then written as
 * JPEG (jpeg-js, with EXIF metadata through piexifjs) or PNG (pngjs, with text and resolution
 * chunks). Drawing is deterministic: the "texture" comes from a hash of the pixel position.
 *
 *   kind: jpeg                       or png
 *   width: 200
 *   height: 150
 *   quality: 70                      (jpeg)
 *   picture: { scene: landscape, sky: '#8EC5FF', ground: '#4C8C3A', sun: true }
 *   exif: { make, model, software, artist, copyright, description, orientation, dateTime,
 *           dateTimeOriginal, dateTimeDigitized, xResolution, lensModel, iso, exposureTime: 1/250,
 *           fNumber: 2.8, focalLength: 4.2, userComment, gps: { lat, lon, alt } }      (jpeg)
 *   text: { Title: …, Author: … }    tEXt/iTXt chunks; dpi: 300 (png)
 *   alpha: true                      (png: keep transparency)
 */
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import piexif from 'piexifjs';
import { isRecord, num, optNum, record, str, type ResolvedSpec } from './spec.js';

type Rgba = [number, number, number, number];

export function color(value: unknown, fallback: string): Rgba {
  const text = typeof value === 'string' ? value : fallback;
  const m = /^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$/.exec(text);
  if (!m) throw new Error(`invalid colour "${text}"`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, m[2] ? parseInt(m[2], 16) : 255];
}

/** A deterministic value in [0, 1) for a pixel. */
function hash(x: number, y: number, seed: number): number {
  let h = (x * 374_761_393 + y * 668_265_263 + seed * 2_147_483_647) | 0;
  h = Math.imul(h ^ (h >>> 13), 1_274_126_177);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

export class Canvas {
  readonly data: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = Buffer.alloc(width * height * 4);
  }

  set(x: number, y: number, [r, g, b, a]: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 4;
    if (a === 255) {
      this.data[i] = r;
      this.data[i + 1] = g;
      this.data[i + 2] = b;
      this.data[i + 3] = 255;
      return;
    }
    const alpha = a / 255;
    const under = this.data[i + 3]! / 255;
    const out = alpha + under * (1 - alpha);
    const mix = (c: number, d: number) =>
      out === 0 ? 0 : Math.round((c * alpha + d * under * (1 - alpha)) / out);
    this.data[i] = mix(r, this.data[i]!);
    this.data[i + 1] = mix(g, this.data[i + 1]!);
    this.data[i + 2] = mix(b, this.data[i + 2]!);
    this.data[i + 3] = Math.round(out * 255);
  }

  rect(x0: number, y0: number, w: number, h: number, c: Rgba): void {
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(this.height, Math.round(y0 + h)); y++) {
      for (let x = Math.max(0, Math.round(x0)); x < Math.min(this.width, Math.round(x0 + w)); x++)
        this.set(x, y, c);
    }
  }

  disc(cx: number, cy: number, radius: number, c: Rgba, inner = 0): void {
    for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
      for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        if (d <= radius && d >= inner) this.set(x, y, c);
      }
    }
  }

  /** Fills every pixel under the curve y = top(x). */
  below(top: (x: number) => number, c: Rgba, seed = 0, grain = 0): void {
    for (let x = 0; x < this.width; x++) {
      for (let y = Math.max(0, Math.round(top(x))); y < this.height; y++)
        this.set(x, y, shade(c, x, y, seed, grain));
    }
  }

  gradient(from: Rgba, to: Rgba, y0 = 0, y1 = this.height): void {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      const t = (y - y0) / Math.max(1, y1 - y0);
      const c: Rgba = [0, 1, 2, 3].map((k) => Math.round(from[k]! + (to[k]! - from[k]!) * t)) as Rgba;
      for (let x = 0; x < this.width; x++) this.set(x, y, c);
    }
  }
}

function shade([r, g, b, a]: Rgba, x: number, y: number, seed: number, grain: number): Rgba {
  if (!grain) return [r, g, b, a];
  const d = (hash(x, y, seed) - 0.5) * grain;
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v + d)));
  return [clamp(r), clamp(g), clamp(b), a];
}

/** Draws a picture description on a new canvas. */
export function paint(width: number, height: number, picture: Record<string, unknown>): Canvas {
  const canvas = new Canvas(width, height);
  const scene = typeof picture.scene === 'string' ? picture.scene : 'landscape';
  const seed = typeof picture.seed === 'number' ? picture.seed : 1;
  /** Texture strength: 0 gives flat colours (smaller files), 1 the default. */
  const grain = (amount: number) => amount * (typeof picture.grain === 'number' ? picture.grain : 1);
  const w = width;
  const h = height;
  switch (scene) {
    case 'flat': {
      canvas.rect(0, 0, w, h, color(picture.background, '#FFFFFF'));
      if (picture.shape) canvas.rect(w * 0.25, h * 0.25, w * 0.5, h * 0.5, color(picture.shape, '#000000'));
      break;
    }
    case 'logo': {
      if (picture.background) canvas.rect(0, 0, w, h, color(picture.background, '#FFFFFF'));
      const main = color(picture.color, '#1E6FD9');
      const r = Math.min(w, h) * 0.42;
      canvas.disc(w / 2, h / 2, r, main, r * 0.62);
      canvas.disc(w / 2, h / 2, r * 0.4, color(picture.accent, '#F2A516'));
      break;
    }
    case 'city':
    case 'flood': {
      canvas.gradient(
        color(picture.sky, scene === 'flood' ? '#8D97A3' : '#7FB7F0'),
        color(picture.haze, '#DDE6EE'),
        0,
        h,
      );
      const buildings = 9;
      for (let i = 0; i < buildings; i++) {
        const bw = w / buildings;
        const bh = h * (0.3 + 0.45 * hash(i, 7, seed));
        const tone = 90 + Math.round(80 * hash(i, 3, seed));
        canvas.rect(i * bw, h - bh, bw - 2, bh, [tone, tone - 10, tone - 25, 255]);
        for (let wy = h - bh + 6; wy < h - 8; wy += 10) {
          for (let wx = i * bw + 4; wx < (i + 1) * bw - 8; wx += 8)
            canvas.rect(wx, wy, 4, 5, [235, 220, 150, 255]);
        }
      }
      if (scene === 'flood') {
        canvas.below((x) => h * 0.72 + Math.sin(x / 9) * 2, [122, 102, 70, 220], seed, grain(18));
      } else {
        canvas.rect(0, h * 0.92, w, h * 0.08, [70, 70, 75, 255]);
      }
      break;
    }
    case 'sea': {
      canvas.gradient(
        color(picture.sky, '#F7B267'),
        color(picture.horizon, '#F4D6A0'),
        0,
        Math.round(h * 0.55),
      );
      canvas.disc(w * 0.5, h * 0.5, h * 0.12, color(picture.sunColor, '#FFF3C4'));
      canvas.below(() => h * 0.55, color(picture.water, '#2F6690'), seed, grain(22));
      for (let y = Math.round(h * 0.58); y < h; y += 4)
        canvas.rect(w * 0.44, y, w * 0.12, 1, [255, 230, 170, 160]);
      break;
    }
    case 'mountain': {
      canvas.gradient(color(picture.sky, '#5DA9E9'), [225, 238, 250, 255], 0, h);
      const peak = (cx: number, top: number, spread: number) => (x: number) =>
        top + Math.abs(x - cx) * spread;
      canvas.below(peak(w * 0.35, h * 0.18, 1.1), [110, 110, 125, 255], seed, grain(20));
      canvas.below(peak(w * 0.75, h * 0.3, 0.9), [95, 98, 112, 255], seed + 1, grain(20));
      // Snow on the highest peak, above 30 % of the height.
      const main = peak(w * 0.35, h * 0.18, 1.1);
      for (let x = 0; x < w; x++) {
        for (let y = Math.max(0, Math.round(main(x))); y < h * 0.3; y++)
          canvas.set(x, y, [250, 250, 252, 255]);
      }
      canvas.below(
        (x) => h * 0.78 + Math.sin(x / 23) * 4,
        color(picture.ground, '#3E7C3A'),
        seed + 2,
        grain(25),
      );
      break;
    }
    case 'document': {
      canvas.rect(0, 0, w, h, [245, 245, 245, 255]);
      canvas.rect(w * 0.08, h * 0.05, w * 0.84, h * 0.9, [255, 255, 255, 255]);
      canvas.rect(w * 0.14, h * 0.1, w * 0.5, h * 0.05, color(picture.title, '#2B4C7E'));
      for (let y = h * 0.22; y < h * 0.88; y += h * 0.06)
        canvas.rect(w * 0.14, y, w * (0.55 + 0.17 * hash(y, 1, seed)), h * 0.02, [150, 150, 150, 255]);
      break;
    }
    default: {
      const horizon = h * (typeof picture.horizon === 'number' ? picture.horizon : 0.6);
      canvas.gradient(color(picture.sky, '#6FB1E8'), color(picture.haze, '#D9ECF8'), 0, Math.round(horizon));
      if (picture.sun !== false) canvas.disc(w * 0.78, h * 0.2, h * 0.09, color(picture.sunColor, '#FFE27A'));
      canvas.below(
        (x) => horizon - 12 + Math.sin(x / 17 + seed) * 8,
        color(picture.hills, '#6E9F57'),
        seed,
        grain(20),
      );
      canvas.below(
        (x) => horizon + 10 + Math.sin(x / 29 + seed * 2) * 6,
        color(picture.ground, '#4C8C3A'),
        seed + 1,
        grain(28),
      );
      if (picture.tree !== false) {
        canvas.rect(w * 0.2, horizon - h * 0.05, w * 0.025, h * 0.2, [92, 64, 40, 255]);
        canvas.disc(w * 0.21, horizon - h * 0.09, h * 0.1, [46, 104, 48, 255]);
      }
      break;
    }
  }
  return canvas;
}

// ---------------------------------------------------------------------------------------------
// JPEG with EXIF
// ---------------------------------------------------------------------------------------------

const rational = (value: number, denominator = 100): [number, number] => [
  Math.round(value * denominator),
  denominator,
];

/** EXIF dates are written "YYYY:MM:DD HH:MM:SS"; specs may also write ISO dates. */
function exifDate(value: unknown, what: string): string {
  const text = str(value, what);
  const m = /^(\d{4})[-:](\d{2})[-:](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`${what}: expected "YYYY:MM:DD HH:MM:SS", got "${text}"`);
  return `${m[1]}:${m[2]}:${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
}

/** EXIF text tags are ASCII: other characters would be silently mangled. */
function ascii(value: unknown, what: string): string {
  const text = str(value, what);
  if (!/^[\x20-\x7e]*$/.test(text))
    throw new Error(`${what} must be plain ASCII (EXIF text tags are): "${text}"`);
  return text;
}

function exifBytes(exif: Record<string, unknown>, width: number, height: number): string {
  const zeroth: Record<number, unknown> = {};
  const exifIfd: Record<number, unknown> = {};
  const gps: Record<number, unknown> = {};
  const I = piexif.ImageIFD;
  const E = piexif.ExifIFD;
  const G = piexif.GPSIFD;
  if (exif.make !== undefined) zeroth[I.Make] = ascii(exif.make, 'exif.make');
  if (exif.model !== undefined) zeroth[I.Model] = ascii(exif.model, 'exif.model');
  if (exif.software !== undefined) zeroth[I.Software] = ascii(exif.software, 'exif.software');
  if (exif.artist !== undefined) zeroth[I.Artist] = ascii(exif.artist, 'exif.artist');
  if (exif.copyright !== undefined) zeroth[I.Copyright] = ascii(exif.copyright, 'exif.copyright');
  if (exif.description !== undefined)
    zeroth[I.ImageDescription] = ascii(exif.description, 'exif.description');
  if (exif.orientation !== undefined) zeroth[I.Orientation] = num(exif.orientation, 'exif.orientation');
  if (exif.dateTime !== undefined) zeroth[I.DateTime] = exifDate(exif.dateTime, 'exif.dateTime');
  const dpi = optNum(exif.xResolution, 'exif.xResolution');
  if (dpi !== undefined) {
    zeroth[I.XResolution] = [dpi, 1];
    zeroth[I.YResolution] = [optNum(exif.yResolution, 'exif.yResolution') ?? dpi, 1];
    zeroth[I.ResolutionUnit] = 2;
  }
  if (exif.dateTimeOriginal !== undefined)
    exifIfd[E.DateTimeOriginal] = exifDate(exif.dateTimeOriginal, 'exif.dateTimeOriginal');
  if (exif.dateTimeDigitized !== undefined)
    exifIfd[E.DateTimeDigitized] = exifDate(exif.dateTimeDigitized, 'exif.dateTimeDigitized');
  if (exif.lensModel !== undefined) exifIfd[E.LensModel] = ascii(exif.lensModel, 'exif.lensModel');
  if (exif.iso !== undefined) exifIfd[E.ISOSpeedRatings] = num(exif.iso, 'exif.iso');
  if (exif.exposureTime !== undefined) {
    const [a, b] = str(exif.exposureTime, 'exif.exposureTime').split('/').map(Number);
    exifIfd[E.ExposureTime] = [a, b ?? 1];
  }
  if (exif.fNumber !== undefined) exifIfd[E.FNumber] = rational(num(exif.fNumber, 'exif.fNumber'), 10);
  if (exif.focalLength !== undefined)
    exifIfd[E.FocalLength] = rational(num(exif.focalLength, 'exif.focalLength'), 10);
  if (exif.flash !== undefined) exifIfd[E.Flash] = num(exif.flash, 'exif.flash');
  if (exif.userComment !== undefined) {
    exifIfd[E.UserComment] = `ASCII\0\0\0${ascii(exif.userComment, 'exif.userComment')}`;
  }
  if (Object.keys(exifIfd).length) {
    exifIfd[E.PixelXDimension] = width;
    exifIfd[E.PixelYDimension] = height;
  }
  if (exif.gps !== undefined) {
    const g = record(exif.gps, 'exif.gps');
    const lat = num(g.lat, 'exif.gps.lat');
    const lon = num(g.lon, 'exif.gps.lon');
    gps[G.GPSVersionID] = [2, 3, 0, 0];
    gps[G.GPSLatitudeRef] = lat >= 0 ? 'N' : 'S';
    gps[G.GPSLatitude] = piexif.GPSHelper.degToDmsRational(lat);
    gps[G.GPSLongitudeRef] = lon >= 0 ? 'E' : 'W';
    gps[G.GPSLongitude] = piexif.GPSHelper.degToDmsRational(lon);
    if (g.alt !== undefined) {
      gps[G.GPSAltitudeRef] = 0;
      gps[G.GPSAltitude] = rational(num(g.alt, 'exif.gps.alt'), 10);
    }
    if (g.date !== undefined) gps[G.GPSDateStamp] = str(g.date, 'exif.gps.date').replace(/-/g, ':');
  }
  return piexif.dump({ '0th': zeroth, Exif: exifIfd, GPS: gps });
}

export function buildJpeg(spec: ResolvedSpec): Buffer {
  const width = num(spec.width, 'width');
  const height = num(spec.height, 'height');
  const canvas = paint(width, height, record(spec.picture, 'picture'));
  const encoded = jpeg.encode({ data: canvas.data, width, height }, optNum(spec.quality, 'quality') ?? 75);
  const data = Buffer.from(encoded.data);
  if (!isRecord(spec.exif)) return data;
  const inserted = piexif.insert(exifBytes(spec.exif, width, height), data.toString('binary'));
  return Buffer.from(inserted, 'binary');
}

// ---------------------------------------------------------------------------------------------
// PNG with text and resolution chunks
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

export function buildPng(spec: ResolvedSpec): Buffer {
  const width = num(spec.width, 'width');
  const height = num(spec.height, 'height');
  const canvas = paint(width, height, record(spec.picture, 'picture'));
  const alpha = spec.alpha === true;
  const png = new PNG({ width, height, colorType: alpha ? 6 : 2, inputHasAlpha: true });
  canvas.data.copy(png.data);
  if (!alpha) for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const encoded = PNG.sync.write(png, { colorType: alpha ? 6 : 2, inputHasAlpha: true, deflateLevel: 9 });
  const extra: Buffer[] = [];
  const dpi = optNum(spec.dpi, 'dpi');
  if (dpi !== undefined) {
    const data = Buffer.alloc(9);
    const perMetre = Math.round(dpi / 0.0254);
    data.writeUInt32BE(perMetre, 0);
    data.writeUInt32BE(perMetre, 4);
    data.writeUInt8(1, 8);
    extra.push(chunk('pHYs', data));
  }
  for (const [keyword, value] of Object.entries(record(spec.text, 'text'))) {
    const text = str(value, `text.${keyword}`);
    // tEXt is Latin-1 only: other texts go in an (uncompressed) iTXt chunk.
    if (/^[\x20-\x7e\n]*$/.test(text)) {
      extra.push(
        chunk('tEXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from(text, 'latin1')])),
      );
    } else {
      extra.push(
        chunk(
          'iTXt',
          Buffer.concat([Buffer.from(`${keyword}\0\0\0\0\0`, 'latin1'), Buffer.from(text, 'utf8')]),
        ),
      );
    }
  }
  // Signature (8 bytes) and IHDR (25 bytes) first, then our chunks, then the rest.
  return Buffer.concat([encoded.subarray(0, 33), ...extra, encoded.subarray(33)]);
}
