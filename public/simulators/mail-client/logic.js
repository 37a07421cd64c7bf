/**
 * Mail client simulator: pure state and operations (no DOM).
 * State: { account, mails: [{ …mail, folder: 'inbox' | 'spam' | 'trash', reported, read }] }.
 */

export const FOLDERS = Object.freeze(['inbox', 'spam', 'trash']);

export function createMailState(scenario) {
  return {
    account: { ...scenario.account },
    mails: scenario.mails.map((mail) => ({
      ...mail,
      to: mail.to ?? [],
      cc: mail.cc ?? [],
      attachments: mail.attachments ?? [],
      folder: mail.folder ?? 'inbox',
      reported: false,
      read: Boolean(mail.read),
    })),
  };
}

function update(state, id, change) {
  if (!state.mails.some((mail) => mail.id === id)) throw new RangeError(`unknown mail ${id}`);
  return {
    ...state,
    mails: state.mails.map((mail) => (mail.id === id ? { ...mail, ...change(mail) } : mail)),
  };
}

export function findMail(state, id) {
  return state.mails.find((mail) => mail.id === id);
}

/** Most recent first. */
export function mailsInFolder(state, folder) {
  return state.mails
    .filter((mail) => mail.folder === folder)
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id)));
}

export function unreadCount(state, folder) {
  return state.mails.filter((mail) => mail.folder === folder && !mail.read).length;
}

export function markRead(state, id) {
  return update(state, id, () => ({ read: true }));
}

/** Reporting moves the message to the spam folder and marks it as reported phishing. */
export function reportPhishing(state, id) {
  return update(state, id, () => ({ reported: true, folder: 'spam' }));
}

/** "Not phishing": back to the inbox, no longer reported. */
export function unreport(state, id) {
  return update(state, id, () => ({ reported: false, folder: 'inbox' }));
}

export function deleteMail(state, id) {
  return update(state, id, () => ({ folder: 'trash', reported: false }));
}

export function restoreMail(state, id) {
  return update(state, id, () => ({ folder: 'inbox' }));
}

/** The domain of an e-mail address ('' when there is none). */
export function domainOf(address) {
  const at = String(address).lastIndexOf('@');
  return at < 0
    ? ''
    : String(address)
        .slice(at + 1)
        .toLowerCase();
}

/** The host name of a URL ('' when it cannot be parsed). */
export function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

const LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)/g;

/**
 * A body is plain text: paragraphs separated by a blank line, links written [text](url).
 * Returns paragraphs, each a list of segments { text } or { text, href }.
 */
export function parseBody(body) {
  return String(body)
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => {
      const segments = [];
      let last = 0;
      for (const match of paragraph.matchAll(LINK)) {
        if (match.index > last) segments.push({ text: paragraph.slice(last, match.index) });
        segments.push({ text: match[1], href: match[2] });
        last = match.index + match[0].length;
      }
      if (last < paragraph.length) segments.push({ text: paragraph.slice(last) });
      return segments;
    });
}

/** Every link of a message, in order. */
export function linksOf(mail) {
  return parseBody(mail.body)
    .flat()
    .filter((segment) => segment.href);
}

/** The answer posted to the player: the reported messages, e.g. "reported:m2,m5" or "reported:none". */
export function mailAnswer(state) {
  const ids = state.mails
    .filter((mail) => mail.reported)
    .map((mail) => mail.id)
    .sort();
  return `reported:${ids.length ? ids.join(',') : 'none'}`;
}
