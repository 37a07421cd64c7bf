/**
 * Cloud sharing dialog simulator: pure state and operations (no DOM).
 * State: { file, owner, people: [{ email, name, role }], access: 'restricted' | 'organisation' |
 * 'anyone', linkRole, expiry: 'none' | '1d' | '7d' | '30d', download: boolean }.
 */

export const ROLES = Object.freeze(['viewer', 'commenter', 'editor']);
export const ACCESS = Object.freeze(['restricted', 'organisation', 'anyone']);
export const EXPIRY = Object.freeze(['none', '1d', '7d', '30d']);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class ShareError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

export function createShareState(scenario) {
  return {
    file: scenario.file,
    owner: { ...scenario.owner },
    organisation: scenario.organisation ?? null,
    people: (scenario.people ?? []).map((person) => ({ ...person })),
    access: scenario.access ?? 'restricted',
    linkRole: scenario.linkRole ?? 'viewer',
    expiry: scenario.expiry ?? 'none',
    download: scenario.download ?? true,
  };
}

export function addPerson(state, email, role = 'viewer', name = '') {
  const address = String(email).trim().toLowerCase();
  if (!EMAIL.test(address)) throw new ShareError('badEmail');
  if (!ROLES.includes(role)) throw new ShareError('badRole');
  if (address === state.owner.email.toLowerCase()) throw new ShareError('isOwner');
  if (state.people.some((person) => person.email === address)) throw new ShareError('alreadyShared');
  return { ...state, people: [...state.people, { email: address, name, role }] };
}

export function setRole(state, email, role) {
  if (!ROLES.includes(role)) throw new ShareError('badRole');
  if (!state.people.some((person) => person.email === email)) throw new ShareError('unknownPerson');
  return {
    ...state,
    people: state.people.map((person) => (person.email === email ? { ...person, role } : person)),
  };
}

export function removePerson(state, email) {
  if (!state.people.some((person) => person.email === email)) throw new ShareError('unknownPerson');
  return { ...state, people: state.people.filter((person) => person.email !== email) };
}

export function setAccess(state, access) {
  if (!ACCESS.includes(access) || (access === 'organisation' && !state.organisation))
    throw new ShareError('badAccess');
  return { ...state, access };
}

export function setLinkRole(state, role) {
  if (!ROLES.includes(role)) throw new ShareError('badRole');
  return { ...state, linkRole: role };
}

export function setExpiry(state, expiry) {
  if (!EXPIRY.includes(expiry)) throw new ShareError('badExpiry');
  return { ...state, expiry };
}

export function setDownload(state, download) {
  return { ...state, download: Boolean(download) };
}

/** Who can open the file, as a sentence key and values, for the summary line. */
export function whoCanOpen(state) {
  return { access: state.access, people: state.people.length, role: state.linkRole };
}

/**
 * The answer posted to the player: the reported keys, in order, e.g.
 * "people=ines@example.org:editor,paul@example.org:commenter;link=restricted;expiry=7d;download=off".
 * people lists email:role sorted by email ('none' when empty); link is 'restricted', or the access
 * and the link role ("anyone:viewer").
 */
export function shareAnswer(state, report = []) {
  return report
    .map((key) => {
      switch (key) {
        case 'people': {
          const people = [...state.people]
            .sort((a, b) => a.email.localeCompare(b.email))
            .map((person) => `${person.email}:${person.role}`);
          return `people=${people.length ? people.join(',') : 'none'}`;
        }
        case 'link':
          return `link=${state.access === 'restricted' ? 'restricted' : `${state.access}:${state.linkRole}`}`;
        case 'expiry':
          return `expiry=${state.expiry}`;
        case 'download':
          return `download=${state.download ? 'on' : 'off'}`;
        default:
          return `${key}=unknown`;
      }
    })
    .join(';');
}
