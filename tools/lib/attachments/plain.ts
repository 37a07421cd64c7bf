/**
 * Text-based files (.txt, .html, .csv, .xml, .json, .ics, .py, .js, .vtt…) and .wav sounds.
 *
 *   kind: text
 *   content: |                        the text itself (HTML, a log, a script…)
 *   repeat: { line: 'row {n}', times: 200, from: 1 }   lines appended after the content
 *   encoding: utf8 | utf8bom | latin1 | utf16le       (default utf8)
 *   eol: lf | crlf                                     (default lf)
 *
 *   kind: csv
 *   delimiter: ';'   bom: true   eol: crlf
 *   rows: [[Header, Header], [a, 1]]
 *
 *   kind: wav
 *   sampleRate: 8000   channels: 1   bits: 8
 *   segments: [{ tone: 440, seconds: 1.5, volume: 0.4 }, { silence: 2 }]
 */
import { stringify } from 'csv-stringify/sync';
import { list, num, optNum, optStr, record, str, type ResolvedSpec } from './spec.js';

function encode(text: string, spec: ResolvedSpec): Buffer {
  const eol = spec.eol === 'crlf' ? '\r\n' : '\n';
  const normalized = text.replace(/\r?\n/g, eol);
  switch (spec.encoding ?? 'utf8') {
    case 'utf8':
      return Buffer.from(normalized, 'utf8');
    case 'utf8bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(normalized, 'utf8')]);
    case 'latin1':
      if ([...normalized].some((char) => char.charCodeAt(0) > 0xff))
        throw new Error('text has characters that Latin-1 cannot encode');
      return Buffer.from(normalized, 'latin1');
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(normalized, 'utf16le')]);
    default:
      throw new Error(`unknown encoding "${String(spec.encoding)}"`);
  }
}

export function buildText(spec: ResolvedSpec): Buffer {
  let text = str(spec.content ?? '', 'content');
  if (spec.repeat !== undefined) {
    const repeat = record(spec.repeat, 'repeat');
    const line = str(repeat.line, 'repeat.line');
    const from = optNum(repeat.from, 'repeat.from') ?? 1;
    const times = num(repeat.times, 'repeat.times');
    const lines: string[] = [];
    for (let n = from; n < from + times; n++) lines.push(line.replace(/\{n\}/g, String(n)));
    if (text && !text.endsWith('\n')) text += '\n';
    text += `${lines.join('\n')}\n`;
    if (repeat.after !== undefined) text += str(repeat.after, 'repeat.after');
  }
  return encode(text, spec);
}

export function buildCsv(spec: ResolvedSpec): Buffer {
  const rows = list(spec.rows, 'rows').map((row, r) =>
    list(row, `rows[${r}]`).map((cell) => (cell === null || cell === undefined ? '' : String(cell))),
  );
  const text = stringify(rows, {
    delimiter: optStr(spec.delimiter, 'delimiter') ?? ',',
    record_delimiter: spec.eol === 'crlf' ? 'windows' : 'unix',
    quoted: spec.quoted === true,
  });
  return spec.bom === true
    ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
    : Buffer.from(text, 'utf8');
}

export function buildWav(spec: ResolvedSpec): Buffer {
  const rate = optNum(spec.sampleRate, 'sampleRate') ?? 8000;
  const channels = optNum(spec.channels, 'channels') ?? 1;
  const bits = optNum(spec.bits, 'bits') ?? 8;
  if (bits !== 8 && bits !== 16) throw new Error('bits must be 8 or 16');
  const samples: number[] = [];
  for (const [i, input] of list(spec.segments, 'segments').entries()) {
    const segment = record(input, `segments[${i}]`);
    const seconds = num(segment.seconds ?? segment.silence, `segments[${i}].seconds`);
    const count = Math.round(seconds * rate);
    const tone = optNum(segment.tone, `segments[${i}].tone`);
    const volume = optNum(segment.volume, `segments[${i}].volume`) ?? 0.4;
    for (let s = 0; s < count; s++) {
      // Short fades avoid clicks at the start and end of a tone.
      const fade = Math.min(1, s / (rate * 0.01), (count - s) / (rate * 0.01));
      samples.push(tone === undefined ? 0 : Math.sin((2 * Math.PI * tone * s) / rate) * volume * fade);
    }
  }
  const bytesPerSample = bits / 8;
  const dataSize = samples.length * channels * bytesPerSample;
  const out = Buffer.alloc(44 + dataSize);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataSize, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * channels * bytesPerSample, 28);
  out.writeUInt16LE(channels * bytesPerSample, 32);
  out.writeUInt16LE(bits, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataSize, 40);
  let offset = 44;
  for (const sample of samples) {
    for (let c = 0; c < channels; c++) {
      if (bits === 8) out.writeUInt8(Math.round(128 + sample * 127), offset);
      else out.writeInt16LE(Math.round(sample * 32767), offset);
      offset += bytesPerSample;
    }
  }
  return out;
}
