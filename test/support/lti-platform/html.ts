/** Escaping for the emulator's pages, and reading of the auto-submitting forms that LTI uses. */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function decodeHtmlEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (entity, code: string) => {
    const lower = code.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[lower] ?? entity;
  });
}

/** An HTML page whose script posts `fields` to `action` as soon as it loads (the LTI form_post idiom). */
export function autoSubmitForm(
  action: string,
  fields: Record<string, string>,
  title = 'Redirecting…',
): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  return `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
  <body>
    <form id="lti-auto-submit" action="${escapeHtml(action)}" method="POST">
      ${inputs}
      <noscript><button type="submit">Continue</button></noscript>
    </form>
    <script>document.getElementById('lti-auto-submit').submit();</script>
  </body>
</html>
`;
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(
    /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g,
  )) {
    const name = (match[1] ?? '').toLowerCase();
    if (!name || name in attributes) continue;
    attributes[name] = decodeHtmlEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

export interface HtmlForm {
  action: string;
  method: string;
  /** Named input values (hidden or not), in document order; the last wins for a repeated name. */
  fields: Record<string, string>;
}

/** Every `<form>` of a page with its inputs (and textareas). Good enough for generated pages. */
export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attributes = attributesOf(match[1] ?? '');
    const body = match[2] ?? '';
    const fields: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b([^>]*)>/gi)) {
      const inputAttributes = attributesOf((input[1] ?? '').replace(/\/$/, ''));
      if (inputAttributes.name !== undefined) fields[inputAttributes.name] = inputAttributes.value ?? '';
    }
    for (const textarea of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const name = attributesOf(textarea[1] ?? '').name;
      if (name !== undefined) fields[name] = decodeHtmlEntities(textarea[2] ?? '');
    }
    forms.push({
      action: attributes.action ?? '',
      method: (attributes.method ?? 'GET').toUpperCase(),
      fields,
    });
  }
  return forms;
}

/** The single form of a page, or an error naming what was found instead. */
export function parseSingleForm(html: string): HtmlForm {
  const forms = parseForms(html);
  const [form] = forms;
  if (forms.length !== 1 || !form) {
    throw new Error(`Expected one <form> in the page, found ${forms.length}: ${html.slice(0, 300)}`);
  }
  return form;
}
