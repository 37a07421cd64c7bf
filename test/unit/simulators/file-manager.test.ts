import { expect } from 'chai';
import {
  FileOpError,
  ROOT,
  TRASH,
  children,
  createFileState,
  createFolder,
  deleteForever,
  emptyTrash,
  fileAnswer,
  findByPath,
  formatSize,
  listFolder,
  modifiedOf,
  move,
  pathOf,
  properties,
  rename,
  restoreItem,
  search,
  sizeOf,
  trashItem,
  usedSpace,
  validateName,
  type FileState,
} from '../../../public/simulators/file-manager/logic.js';
import * as fileManager from '../../../public/simulators/file-manager/logic.js';

const { isListed, panelKeyAction } = fileManager;

const scenario = {
  capacity: 10_000,
  items: [
    { path: 'Documents/Factures/eau.pdf', size: 300, modified: '2025-02-01T10:00:00Z' },
    { path: 'Documents/Factures/gaz.pdf', size: 200, modified: '2025-03-01T10:00:00Z' },
    { path: 'Documents/notes.txt', size: 50, modified: '2024-12-01T10:00:00Z' },
    { path: 'Images/photo10.jpg', size: 1000, modified: '2024-07-01T10:00:00Z' },
    { path: 'Images/photo9.jpg', size: 2000, modified: '2024-07-02T10:00:00Z' },
    { path: 'Musique/' },
    { path: 'Téléchargements/vieux.iso', size: 4000, modified: '2023-01-01T10:00:00Z', trashed: true },
  ],
};

function id(state: FileState, path: string): string {
  const node = findByPath(state, path);
  if (!node) throw new Error(`no ${path}`);
  return node.id;
}

function errorCode(operation: () => unknown): string {
  try {
    operation();
  } catch (error) {
    if (error instanceof FileOpError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('simulators: file manager operations', () => {
  it('builds the tree from paths, with implicit and empty folders and trashed items', () => {
    const state = createFileState(scenario);
    expect(listFolder(state, ROOT).map((node) => node.name)).to.deep.equal([
      'Documents',
      'Images',
      'Musique',
      'Téléchargements',
    ]);
    expect(children(state, TRASH).map((node) => node.name)).to.deep.equal(['vieux.iso']);
    expect(pathOf(state, id(state, '/Documents/Factures/eau.pdf'))).to.equal('/Documents/Factures/eau.pdf');
  });

  it('sorts folders first, then by name (natural order), size, date or type, in both directions', () => {
    const state = createFileState(scenario);
    const images = id(state, '/Images');
    expect(listFolder(state, images).map((node) => node.name)).to.deep.equal(['photo9.jpg', 'photo10.jpg']);
    expect(
      listFolder(state, images, { key: 'size', direction: 'desc' }).map((node) => node.name),
    ).to.deep.equal(['photo9.jpg', 'photo10.jpg']);
    expect(
      listFolder(state, id(state, '/Documents'), { key: 'modified', direction: 'desc' }).map(
        (node) => node.name,
      ),
    ).to.deep.equal(['Factures', 'notes.txt']);
  });

  it('computes folder sizes, latest modification and properties', () => {
    const state = createFileState(scenario);
    expect(sizeOf(state, id(state, '/Documents'))).to.equal(550);
    expect(modifiedOf(state, id(state, '/Documents'))).to.equal('2025-03-01T10:00:00Z');
    expect(properties(state, id(state, '/Documents'))).to.include({
      files: 3,
      folders: 1,
      size: 550,
      location: '/',
    });
    expect(properties(state, id(state, '/Images/photo9.jpg'))).to.include({ type: 'jpg', size: 2000 });
    expect(usedSpace(state)).to.equal(7550);
  });

  it('searches live items by name, ignoring case and accents', () => {
    const state = createFileState(scenario);
    expect(search(state, 'PHOTO').map((node) => node.name)).to.deep.equal(['photo9.jpg', 'photo10.jpg']);
    expect(search(state, 'telecharg').map((node) => node.name)).to.deep.equal(['Téléchargements']);
    expect(search(state, 'vieux')).to.deep.equal([]);
    expect(search(state, '  ')).to.deep.equal([]);
  });

  it('renames, refusing empty, reserved, invalid and duplicate names', () => {
    let state = createFileState(scenario);
    const notes = id(state, '/Documents/notes.txt');
    state = rename(state, notes, '  memo.txt ');
    expect(pathOf(state, notes)).to.equal('/Documents/memo.txt');
    expect(validateName('a/b')).to.equal('invalidChars');
    expect(errorCode(() => rename(state, notes, ''))).to.equal('empty');
    expect(errorCode(() => rename(state, notes, '..'))).to.equal('reserved');
    expect(errorCode(() => rename(state, notes, 'x:y'))).to.equal('invalidChars');
    expect(errorCode(() => rename(state, notes, 'FACTURES'))).to.equal('exists');
    expect(errorCode(() => rename(state, ROOT, 'x'))).to.equal('protected');
  });

  it('moves items, refusing a folder into itself, the same folder and name clashes', () => {
    let state = createFileState(scenario);
    const factures = id(state, '/Documents/Factures');
    state = move(state, id(state, '/Images/photo9.jpg'), factures);
    expect(findByPath(state, '/Documents/Factures/photo9.jpg')).to.not.equal(undefined);
    expect(errorCode(() => move(state, id(state, '/Documents'), factures))).to.equal('intoItself');
    expect(errorCode(() => move(state, factures, id(state, '/Documents')))).to.equal('sameFolder');
    const created = createFolder(state, ROOT, 'Factures');
    expect(errorCode(() => move(created.state, factures, ROOT))).to.equal('exists');
    expect(errorCode(() => move(state, factures, TRASH))).to.equal('badDestination');
  });

  it('tells whether an item is still shown after a move (folder view or search results)', () => {
    let state = createFileState(scenario);
    const photo = id(state, '/Images/photo9.jpg');
    const images = id(state, '/Images');
    const factures = id(state, '/Documents/Factures');
    expect(isListed(state, photo, { folder: images })).to.equal(true);
    state = move(state, photo, factures);
    // Moved out of the folder shown: no longer listed there (the interface deselects it and
    // focuses the folder's heading), but listed in its new folder and in matching search results.
    expect(isListed(state, photo, { folder: images })).to.equal(false);
    expect(isListed(state, photo, { folder: factures })).to.equal(true);
    expect(isListed(state, photo, { folder: images, query: 'photo' })).to.equal(true);
    expect(isListed(state, photo, { folder: images, query: 'facture' })).to.equal(false);
    expect(isListed(trashItem(state, photo), photo, { query: 'photo' })).to.equal(false);
    expect(isListed(state, 'n999', { folder: ROOT })).to.equal(false);
  });

  it('maps the keys of an action panel: Escape cancels, Enter on the destination list confirms', () => {
    const select = { tagName: 'SELECT' };
    expect(panelKeyAction({ key: 'Escape', target: select })).to.equal('cancel');
    expect(panelKeyAction({ key: 'Escape', target: { tagName: 'INPUT' } })).to.equal('cancel');
    expect(panelKeyAction({ key: 'Enter', target: select })).to.equal('submit');
    expect(panelKeyAction({ key: 'Enter', target: { tagName: 'select' } })).to.equal('submit');
    // Enter in a text field or on a button is already handled by the browser (no double action).
    expect(panelKeyAction({ key: 'Enter', target: { tagName: 'INPUT' } })).to.equal(null);
    expect(panelKeyAction({ key: 'Enter', target: { tagName: 'BUTTON' } })).to.equal(null);
    // Modified Enter, Enter while composing text, and other keys do nothing.
    expect(panelKeyAction({ key: 'Enter', target: select, altKey: true })).to.equal(null);
    expect(panelKeyAction({ key: 'Enter', target: select, shiftKey: true })).to.equal(null);
    expect(panelKeyAction({ key: 'Enter', target: select, isComposing: true })).to.equal(null);
    expect(panelKeyAction({ key: 'ArrowDown', target: select })).to.equal(null);
    expect(panelKeyAction({ key: 'Enter', target: null })).to.equal(null);
  });

  it('creates folders, trashes, restores and deletes for good', () => {
    let state = createFileState(scenario);
    const created = createFolder(state, id(state, '/Documents'), 'Archives');
    state = created.state;
    expect(pathOf(state, created.id)).to.equal('/Documents/Archives');
    expect(errorCode(() => createFolder(state, id(state, '/Documents'), 'archives'))).to.equal('exists');
    const gaz = id(state, '/Documents/Factures/gaz.pdf');
    state = trashItem(state, gaz);
    expect(findByPath(state, '/Documents/Factures/gaz.pdf')).to.equal(undefined);
    expect(errorCode(() => rename(state, gaz, 'x.pdf'))).to.equal('inTrash');
    state = restoreItem(state, gaz);
    expect(pathOf(state, gaz)).to.equal('/Documents/Factures/gaz.pdf');
    // Restoring into a folder that is gone puts the item at the root.
    state = trashItem(state, gaz);
    state = trashItem(state, id(state, '/Documents/Factures'));
    state = restoreItem(state, gaz);
    expect(pathOf(state, gaz)).to.equal('/gaz.pdf');
    const before = usedSpace(state);
    state = deleteForever(state, children(state, TRASH).find((node) => node.name === 'Factures')?.id ?? '');
    expect(usedSpace(state)).to.equal(before - 300);
    state = emptyTrash(state);
    expect(children(state, TRASH)).to.deep.equal([]);
  });

  it('answers with the folded paths inside the scope, the trash and the space used', () => {
    let state = createFileState(scenario);
    state = rename(state, id(state, '/Documents/Factures'), 'FACTURÉES');
    expect(fileAnswer(state, { scope: ['/Documents'] })).to.equal(
      'files:/documents/facturees/;/documents/facturees/eau.pdf;/documents/facturees/gaz.pdf;/documents/notes.txt',
    );
    expect(fileAnswer(state, { scope: ['/Musique'], trash: true, space: true })).to.equal(
      'files:|trash:vieux.iso|used:7550',
    );
  });

  it('formats sizes with 1 000-based units in both locales', () => {
    expect(formatSize(950, 'fr')).to.equal('950 o');
    expect(formatSize(52_420_000, 'fr')).to.equal('52,4 Mo');
    expect(formatSize(52_420_000, 'en')).to.equal('52.4 MB');
    expect(formatSize(1_800_000_000, 'en')).to.equal('1.8 GB');
  });
});
