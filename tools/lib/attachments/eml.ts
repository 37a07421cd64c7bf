/**
 * E-mail messages (.eml, RFC 5322 with MIME), written as text: CRLF line ends, quoted-printable
 * bodies, base64 attachments, and boundaries derived from the file name (no randomness).
 *
 *   kind: eml
 *   headers:                          extra headers first, in order (Received, Authentication-Results…)
 *     - [Received, 'from … by …']
 *   from: 'Léa Martin <lea.martin@example.org>'
 *   to: ['Paul <paul@example.com>']   cc, bcc, replyTo: same shape
 *   subject: …
 *   date: 2024-05-03T09:12:00+02:00
 *   messageId: '<…@example.org>'
 *   extraHeaders: [[List-Id, …]]      after the standard ones
 *   text: plain-text body
 *   html: HTML body (the message is then multipart/alternative)
 *   attachments: [{ name, type: application/pdf, text | base64 | spec }]
 */
import { createHash } from 'node:crypto';
import { list, optStr, record, str, type ResolvedSpec } from './spec.js';

const CRLF = '\r\n';

/** RFC 2047 encoded-word for a phrase with non-ASCII characters. */
function encodeWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const bytes = Buffer.from(text, 'utf8');
  let encoded = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9!*+\-/]/.test(char)
      ? char
      : byte === 0x20
        ? '_'
        : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // Encoded words are at most 75 characters: split long ones.
  const words: string[] = [];
  const chunkSize = 60;
  for (let i = 0; i < encoded.length;) {
    let end = Math.min(encoded.length, i + chunkSize);
    while (end < encoded.length && encoded[end - 1] === '=') end--;
    while (end < encoded.length && encoded[end - 2] === '=') end -= 2;
    words.push(`=?UTF-8?Q?${encoded.slice(i, end)}?=`);
    i = end;
  }
  return words.join(`${CRLF} `);
}

/** "Name <address>" with the name encoded (and quoted when it needs to be). */
function encodeAddress(value: string): string {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (!m || !m[1]) return value.trim();
  const name = m[1].replace(/^"(.*)"$/, '$1');
  const shown = /^[\x20-\x7e]*$/.test(name)
    ? /[,.;:@()<>[\]"]/.test(name)
      ? `"${name.replace(/"/g, '\\"')}"`
      : name
    : encodeWord(name);
  return `${shown} <${m[2]}>`;
}

const addressList = (value: unknown, what: string): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map((v) => str(v, what)) : [str(value, what)];

/** Folds a header line at spaces so no line is longer than 78 characters. */
function fold(line: string): string {
  if (line.length <= 78 || line.includes(CRLF)) return line;
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + word.length + 1 > 76) {
      out.push(current);
      current = ` ${word}`;
    } else current = current ? `${current} ${word}` : word;
  }
  out.push(current);
  return out.join(CRLF);
}

function quotedPrintable(text: string): string {
  const lines = text.replace(/\r?\n/g, '\n').split('\n');
  return lines
    .map((line) => {
      let encoded = '';
      for (const byte of Buffer.from(line, 'utf8')) {
        const safe = (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 || byte === 9;
        encoded += safe ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      encoded = encoded.replace(
        /[ \t]$/,
        (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      );
      const parts: string[] = [];
      while (encoded.length > 76) {
        let cut = 75;
        while (encoded[cut - 1] === '=' || encoded[cut - 2] === '=') cut--;
        parts.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      parts.push(encoded);
      return parts.join(CRLF);
    })
    .join(CRLF);
}

const base64Lines = (data: Buffer): string =>
  data
    .toString('base64')
    .replace(/.{1,76}/g, (line) => `${line}${CRLF}`)
    .trimEnd();

/** RFC 5322 date, keeping the offset written in the spec ("2024-05-03T09:12:00+02:00"). */
function mailDate(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) throw new Error(`date: expected "2024-05-03T09:12:00+02:00", got "${text}"`);
  const [, y, mo, d, h, mi, s = '00', zone] = m;
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const offset = zone === 'Z' ? '+0000' : zone!.replace(':', '');
  return `${days[local.getUTCDay()]}, ${Number(d)} ${months[Number(mo) - 1]} ${y} ${h}:${mi}:${s} ${offset}`;
}

export type AttachmentBuilder = (spec: ResolvedSpec) => Promise<Buffer>;

export async function buildEml(
  spec: ResolvedSpec,
  name: string,
  buildNested: AttachmentBuilder,
): Promise<Buffer> {
  const seed = createHash('sha256').update(name).digest('hex').slice(0, 16);
  const lines: string[] = [];
  for (const [i, header] of list(spec.headers, 'headers').entries()) {
    const [key, value] = list(header, `headers[${i}]`).map((v) => str(v, `headers[${i}]`));
    lines.push(fold(`${key}: ${value}`));
  }
  const addressHeader = (key: string, value: unknown) => {
    const addresses = addressList(value, key).map(encodeAddress);
    if (addresses.length) lines.push(`${key}: ${addresses.join(`,${CRLF} `)}`);
  };
  addressHeader('From', spec.from);
  addressHeader('To', spec.to);
  addressHeader('Cc', spec.cc);
  addressHeader('Bcc', spec.bcc);
  addressHeader('Reply-To', spec.replyTo);
  lines.push(fold(`Subject: ${encodeWord(str(spec.subject, 'subject'))}`));
  lines.push(`Date: ${mailDate(str(spec.date, 'date'))}`);
  lines.push(`Message-ID: ${optStr(spec.messageId, 'messageId') ?? `<${seed}@mail.example.org>`}`);
  for (const [i, header] of list(spec.extraHeaders, 'extraHeaders').entries()) {
    const [key, value] = list(header, `extraHeaders[${i}]`).map((v) => str(v, `extraHeaders[${i}]`));
    lines.push(fold(`${key}: ${value}`));
  }
  lines.push('MIME-Version: 1.0');

  const textPart = (type: string, body: string) =>
    [
      `Content-Type: ${type}; charset="utf-8"`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      quotedPrintable(body),
    ].join(CRLF);
  const text = optStr(spec.text, 'text') ?? '';
  const html = optStr(spec.html, 'html');
  const body = html
    ? [
        `Content-Type: multipart/alternative; boundary="alt-${seed}"`,
        '',
        `--alt-${seed}`,
        textPart('text/plain', text),
        `--alt-${seed}`,
        textPart('text/html', html),
        `--alt-${seed}--`,
      ].join(CRLF)
    : textPart('text/plain', text);

  const attachments = list(spec.attachments, 'attachments');
  if (!attachments.length) {
    return Buffer.from([...lines, body].join(CRLF) + CRLF, 'utf8');
  }
  const parts: string[] = [];
  for (const [i, input] of attachments.entries()) {
    const attachment = record(input, `attachments[${i}]`);
    const fileName = str(attachment.name, `attachments[${i}].name`);
    const type = optStr(attachment.type, `attachments[${i}].type`) ?? 'application/octet-stream';
    let data: Buffer;
    if (attachment.text !== undefined) data = Buffer.from(str(attachment.text, 'text'), 'utf8');
    else if (attachment.base64 !== undefined) data = Buffer.from(str(attachment.base64, 'base64'), 'base64');
    else data = await buildNested(record(attachment.spec, `attachments[${i}].spec`) as ResolvedSpec);
    const encodedName = encodeWord(fileName);
    const quoted = encodedName === fileName ? `"${fileName}"` : `"${encodedName}"`;
    parts.push(
      [
        `Content-Type: ${type}; name=${quoted}`,
        `Content-Disposition: attachment; filename=${quoted}`,
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(data),
      ].join(CRLF),
    );
  }
  const mixed = `mixed-${seed}`;
  return Buffer.from(
    [
      ...lines,
      `Content-Type: multipart/mixed; boundary="${mixed}"`,
      '',
      'This is a multi-part message in MIME format.',
      `--${mixed}`,
      body,
      ...parts.flatMap((part) => [`--${mixed}`, part]),
      `--${mixed}--`,
      '',
    ].join(CRLF),
    'utf8',
  );
}
