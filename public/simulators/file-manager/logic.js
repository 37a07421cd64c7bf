/**
 * File manager simulator: pure state and operations (no DOM).
 * A scenario lists items by path ("Documents/Factures/f-01.pdf"; a trailing "/" marks an empty
 * folder); folders on the way are created. Node ids are stable: 'root', 'trash', then 'n1', 'n2'…
 */
import { fold } from '../shared/protocol.js';

export const ROOT = 'root';
export const TRASH = 'trash';
const INVALID_CHARS = /[\\/:*?"<>|]/;
const MAX_NAME = 120;

export class FileOpError extends Error {
  constructor(code) {
    super(code);
    this.code = code;
  }
}

export function createFileState(scenario) {
  const nodes = {
    [ROOT]: { id: ROOT, name: '', kind: 'folder', parent: null, modified: scenario.rootModified ?? null },
    [TRASH]: { id: TRASH, name: '', kind: 'folder', parent: null, modified: null },
  };
  let counter = 0;
  const folderIds = new Map([['', ROOT]]);
  const ensureFolder = (segments, modified) => {
    let parentKey = '';
    let parentId = ROOT;
    for (const segment of segments) {
      const key = parentKey ? `${parentKey}/${segment}` : segment;
      let id = folderIds.get(key);
      if (!id) {
        counter += 1;
        id = `n${counter}`;
        nodes[id] = { id, name: segment, kind: 'folder', parent: parentId, modified: modified ?? null };
        folderIds.set(key, id);
      }
      parentKey = key;
      parentId = id;
    }
    return parentId;
  };
  for (const item of scenario.items) {
    const isFolder = item.path.endsWith('/');
    const segments = item.path.replace(/\/+$/, '').split('/').filter(Boolean);
    if (isFolder) {
      const id = ensureFolder(segments, item.modified);
      if (item.modified) nodes[id].modified = item.modified;
      continue;
    }
    const parent = ensureFolder(segments.slice(0, -1), item.modified);
    counter += 1;
    const id = `n${counter}`;
    nodes[id] = {
      id,
      name: segments[segments.length - 1],
      kind: 'file',
      parent: item.trashed ? TRASH : parent,
      origin: item.trashed ? parent : undefined,
      size: item.size ?? 0,
      modified: item.modified ?? null,
      created: item.created ?? item.modified ?? null,
    };
  }
  return { nodes, capacity: scenario.capacity ?? null };
}

function withNodes(state, changes) {
  return { ...state, nodes: { ...state.nodes, ...changes } };
}

export function getNode(state, id) {
  const node = state.nodes[id];
  if (!node) throw new FileOpError('notFound');
  return node;
}

export function children(state, folderId) {
  return Object.values(state.nodes).filter((node) => node.parent === folderId);
}

export function isInTrash(state, id) {
  let node = state.nodes[id];
  while (node) {
    if (node.parent === TRASH) return true;
    node = state.nodes[node.parent];
  }
  return false;
}

/** '/Documents/Factures/f.pdf' for a live item; for an item in the trash, its path inside the trash. */
export function pathOf(state, id) {
  const names = [];
  let node = state.nodes[id];
  while (node && node.id !== ROOT && node.id !== TRASH) {
    names.unshift(node.name);
    node = state.nodes[node.parent];
  }
  return `/${names.join('/')}`;
}

export function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Total size of a file, or of everything inside a folder. */
export function sizeOf(state, id) {
  const node = getNode(state, id);
  if (node.kind === 'file') return node.size;
  return children(state, id).reduce((total, child) => total + sizeOf(state, child.id), 0);
}

/** Most recent modification date of a file, or of a folder and everything inside it. */
export function modifiedOf(state, id) {
  const node = getNode(state, id);
  if (node.kind === 'file') return node.modified;
  return children(state, id).reduce((latest, child) => {
    const date = modifiedOf(state, child.id);
    return date && (!latest || date > latest) ? date : latest;
  }, node.modified);
}

function countInside(state, id) {
  let files = 0;
  let folders = 0;
  for (const child of children(state, id)) {
    if (child.kind === 'file') files += 1;
    else {
      folders += 1;
      const inner = countInside(state, child.id);
      files += inner.files;
      folders += inner.folders;
    }
  }
  return { files, folders };
}

export function properties(state, id) {
  const node = getNode(state, id);
  const base = {
    name: node.name,
    kind: node.kind,
    location: pathOf(state, node.parent),
    inTrash: isInTrash(state, id),
    size: sizeOf(state, id),
    modified: modifiedOf(state, id),
  };
  if (node.kind === 'file') return { ...base, type: extensionOf(node.name), created: node.created };
  return { ...base, ...countInside(state, id) };
}

const SORTERS = {
  name: (state, lang) => (a, b) => a.name.localeCompare(b.name, lang, { numeric: true, sensitivity: 'base' }),
  size: (state) => (a, b) => sizeOf(state, a.id) - sizeOf(state, b.id),
  modified: (state) => (a, b) =>
    String(modifiedOf(state, a.id)).localeCompare(String(modifiedOf(state, b.id))),
  type: (state, lang) => (a, b) =>
    (a.kind === 'folder' ? '' : extensionOf(a.name)).localeCompare(
      b.kind === 'folder' ? '' : extensionOf(b.name),
      lang,
    ),
};

/**
 * A folder's content, folders first, sorted by `key` (name, size, modified, type) in `direction`
 * (asc, desc); ties are broken by name.
 */
export function listFolder(state, folderId, { key = 'name', direction = 'asc', lang = 'fr' } = {}) {
  return sortItems(state, children(state, folderId), { key, direction, lang });
}

export function sortItems(state, items, { key = 'name', direction = 'asc', lang = 'fr' } = {}) {
  const compare = (SORTERS[key] ?? SORTERS.name)(state, lang);
  const byName = SORTERS.name(state, lang);
  const sign = direction === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    return sign * compare(a, b) || byName(a, b);
  });
}

/** Live (not trashed) items whose name contains the query, ignoring case and accents. */
export function search(state, query, options = {}) {
  const needle = fold(query);
  if (!needle) return [];
  const found = Object.values(state.nodes).filter(
    (node) =>
      node.id !== ROOT && node.id !== TRASH && !isInTrash(state, node.id) && fold(node.name).includes(needle),
  );
  return sortItems(state, found, options);
}

/**
 * Whether an item is shown in the current view: the search results when `query` is set, else the
 * content of `folder`. After a move the item usually leaves the folder shown, so the interface no
 * longer keeps it selected (the actions would apply to an item the learner cannot see).
 */
export function isListed(state, id, { folder = ROOT, query = '' } = {}) {
  if (!state.nodes[id]) return false;
  if (query) return search(state, query).some((node) => node.id === id);
  return state.nodes[id].parent === folder;
}

/**
 * What a key does in an open action panel (move, rename, new folder, properties), from a keydown
 * event's { key, target: { tagName }, altKey, ctrlKey, metaKey, shiftKey, isComposing }:
 * 'cancel' for Escape; 'submit' for a plain Enter on a list (the move destination: browsers never
 * submit a form with Enter on a <select>); null otherwise — Enter in a text field already submits
 * and Enter on a button already presses it, so handling them here would do it twice.
 */
export function panelKeyAction(event) {
  if (!event || event.isComposing) return null;
  if (event.key === 'Escape') return 'cancel';
  const modified = event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
  if (event.key === 'Enter' && !modified && String(event.target?.tagName).toUpperCase() === 'SELECT') {
    return 'submit';
  }
  return null;
}

/** Every live folder, as { id, path }, in path order: the destinations of a move. */
export function allFolders(state) {
  return Object.values(state.nodes)
    .filter((node) => node.kind === 'folder' && node.id !== TRASH && !isInTrash(state, node.id))
    .map((node) => ({ id: node.id, path: pathOf(state, node.id) }))
    .sort((a, b) => a.path.localeCompare(b.path, 'fr', { numeric: true }));
}

/** null when the name is acceptable, else an error code. */
export function validateName(name) {
  const trimmed = String(name).trim();
  if (!trimmed) return 'empty';
  if (trimmed === '.' || trimmed === '..') return 'reserved';
  if (INVALID_CHARS.test(trimmed)) return 'invalidChars';
  if (trimmed.length > MAX_NAME) return 'tooLong';
  return null;
}

function nameTaken(state, folderId, name, exceptId) {
  return children(state, folderId).some((node) => node.id !== exceptId && fold(node.name) === fold(name));
}

function assertLive(state, id) {
  if (id === ROOT || id === TRASH) throw new FileOpError('protected');
  getNode(state, id);
  if (isInTrash(state, id)) throw new FileOpError('inTrash');
}

export function rename(state, id, newName) {
  assertLive(state, id);
  const error = validateName(newName);
  if (error) throw new FileOpError(error);
  const name = String(newName).trim();
  const node = getNode(state, id);
  if (nameTaken(state, node.parent, name, id)) throw new FileOpError('exists');
  return withNodes(state, { [id]: { ...node, name } });
}

function isInside(state, id, ancestorId) {
  let node = state.nodes[id];
  while (node) {
    if (node.id === ancestorId) return true;
    node = state.nodes[node.parent];
  }
  return false;
}

export function move(state, id, destinationId) {
  assertLive(state, id);
  const destination = getNode(state, destinationId);
  if (destination.kind !== 'folder' || destinationId === TRASH || isInTrash(state, destinationId)) {
    throw new FileOpError('badDestination');
  }
  const node = getNode(state, id);
  if (node.parent === destinationId) throw new FileOpError('sameFolder');
  if (isInside(state, destinationId, id)) throw new FileOpError('intoItself');
  if (nameTaken(state, destinationId, node.name, id)) throw new FileOpError('exists');
  return withNodes(state, { [id]: { ...node, parent: destinationId } });
}

export function createFolder(state, parentId, name) {
  const parent = getNode(state, parentId);
  if (parent.kind !== 'folder' || parentId === TRASH || isInTrash(state, parentId)) {
    throw new FileOpError('badDestination');
  }
  const error = validateName(name);
  if (error) throw new FileOpError(error);
  const trimmed = String(name).trim();
  if (nameTaken(state, parentId, trimmed)) throw new FileOpError('exists');
  let counter = Object.keys(state.nodes).length;
  while (state.nodes[`n${counter}`]) counter += 1;
  const id = `n${counter}`;
  return {
    state: withNodes(state, {
      [id]: { id, name: trimmed, kind: 'folder', parent: parentId, modified: null },
    }),
    id,
  };
}

export function trashItem(state, id) {
  assertLive(state, id);
  const node = getNode(state, id);
  return withNodes(state, { [id]: { ...node, parent: TRASH, origin: node.parent } });
}

/** Back where it was, or to the root when that folder is gone. */
export function restoreItem(state, id) {
  const node = getNode(state, id);
  if (node.parent !== TRASH) throw new FileOpError('notInTrash');
  const origin =
    node.origin && state.nodes[node.origin] && !isInTrash(state, node.origin) ? node.origin : ROOT;
  if (nameTaken(state, origin, node.name, id)) throw new FileOpError('exists');
  return withNodes(state, { [id]: { ...node, parent: origin, origin: undefined } });
}

function withoutSubtree(state, id) {
  const nodes = { ...state.nodes };
  const remove = (nodeId) => {
    for (const child of children({ nodes }, nodeId)) remove(child.id);
    delete nodes[nodeId];
  };
  remove(id);
  return { ...state, nodes };
}

export function deleteForever(state, id) {
  const node = getNode(state, id);
  if (node.parent !== TRASH) throw new FileOpError('notInTrash');
  return withoutSubtree(state, id);
}

export function emptyTrash(state) {
  return children(state, TRASH).reduce((next, node) => withoutSubtree(next, node.id), state);
}

/** Bytes used on the drive: everything, the trash included (it still takes space until emptied). */
export function usedSpace(state) {
  return sizeOf(state, ROOT) + sizeOf(state, TRASH);
}

/**
 * The answer posted to the player. `report.scope` lists folder paths ('/' for everything); the
 * answer lists every live item inside them, folders ending with '/', sorted, separated by ';'.
 * Paths are folded (lower case, no accents), so "Factures" and "factures" give the same answer.
 * With `report.trash`, '|trash:' and the names in the trash follow; with `report.space`, '|used:'
 * and the bytes used.
 */
export function fileAnswer(state, report = { scope: ['/'] }) {
  const scopes = (report.scope ?? ['/']).map((scope) =>
    scope === '/' ? '/' : `${fold(scope).replace(/\/+$/, '')}/`,
  );
  const paths = Object.values(state.nodes)
    .filter((node) => node.id !== ROOT && node.id !== TRASH && !isInTrash(state, node.id))
    .map((node) => fold(pathOf(state, node.id)) + (node.kind === 'folder' ? '/' : ''))
    .filter((path) => scopes.some((scope) => path.startsWith(scope) && path !== scope))
    .sort();
  let answer = `files:${paths.join(';')}`;
  if (report.trash) {
    const names = children(state, TRASH)
      .map((node) => fold(node.name))
      .sort();
    answer += `|trash:${names.join(';')}`;
  }
  if (report.space) answer += `|used:${usedSpace(state)}`;
  return answer;
}

const UNITS = {
  fr: ['o', 'Ko', 'Mo', 'Go', 'To'],
  en: ['bytes', 'KB', 'MB', 'GB', 'TB'],
};

/** 1 000-based units, one decimal from Mo/MB up: "1,5 Mo", "820 Ko", "1.5 MB". */
export function formatSize(bytes, lang = 'fr') {
  const units = UNITS[lang] ?? UNITS.fr;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit >= 2 ? 1 : 0;
  const number = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
  return `${number} ${units[unit]}`;
}

/** The live item at that path ('/Documents/Factures'), if any. */
export function findByPath(state, path) {
  return Object.values(state.nodes).find(
    (node) =>
      node.id !== ROOT && node.id !== TRASH && !isInTrash(state, node.id) && pathOf(state, node.id) === path,
  );
}
