import { connect } from '../shared/bridge.js';
import { announce, field, formatDate, h, render, uid } from '../shared/dom.js';
import {
  FileOpError,
  ROOT,
  TRASH,
  allFolders,
  children,
  createFileState,
  createFolder,
  deleteForever,
  emptyTrash,
  extensionOf,
  fileAnswer,
  formatSize,
  getNode,
  isListed,
  listFolder,
  modifiedOf,
  move,
  panelKeyAction,
  pathOf,
  properties,
  rename,
  restoreItem,
  search,
  sizeOf,
  trashItem,
  usedSpace,
} from './logic.js';

const bridge = await connect('file-manager', new URL('.', import.meta.url).href);
const { t, lang } = bridge;
const scenario = bridge.scenario;
let state = createFileState(scenario);
let current = ROOT;
let selected = null;
let sort = { key: 'name', direction: 'asc' };
let query = '';
let panel = null; // { kind: 'rename' | 'newFolder' | 'move' | 'properties', id }

const app = document.getElementById('app');
const live = h('p', { class: 'sim-status', role: 'status', 'aria-live': 'polite' });
const storage = h('p', { class: 'fm-storage' });
const tree = h('nav', { class: 'fm-tree', 'aria-label': t('treeLabel') });
const main = h('section', { class: 'fm-main', 'aria-labelledby': 'fm-location' });
const searchInput = h('input', { type: 'search', id: 'fm-search', autocomplete: 'off' });

render(
  app,
  h('h1', { text: t('title') }),
  h(
    'form',
    {
      role: 'search',
      class: 'sim-toolbar',
      onsubmit: (event) => {
        event.preventDefault();
        query = searchInput.value.trim();
        selected = null;
        panel = null;
        draw();
      },
    },
    h('label', { for: 'fm-search', text: t('searchLabel') }),
    searchInput,
    h('button', { type: 'submit', text: t('search') }),
    h('button', {
      type: 'button',
      text: t('clearSearch'),
      onclick: () => {
        query = '';
        searchInput.value = '';
        draw();
      },
    }),
  ),
  h('div', { class: 'fm-layout' }, tree, main),
  live,
  storage,
);

function folderLabel(id) {
  if (id === ROOT) return t('root');
  if (id === TRASH) return t('trash');
  return getNode(state, id).name;
}

function errorText(error) {
  if (error instanceof FileOpError) return t(`error.${error.code}`);
  throw error;
}

function commit(next, message) {
  state = next;
  if (scenario.report) bridge.answer(fileAnswer(state, scenario.report));
  announce(live, message);
  live.classList.remove('is-error');
  draw();
}

function fail(error) {
  live.classList.add('is-error');
  announce(live, errorText(error));
}

function go(folderId) {
  current = folderId;
  selected = null;
  panel = null;
  query = '';
  searchInput.value = '';
  draw();
  main.querySelector('#fm-location')?.focus();
}

function drawTree() {
  const branch = (folderId) => {
    const folders = listFolder(state, folderId, { lang }).filter((node) => node.kind === 'folder');
    if (!folders.length) return null;
    return h(
      'ul',
      {},
      folders.map((node) =>
        h(
          'li',
          {},
          h('button', {
            type: 'button',
            'aria-current': node.id === current && !query ? 'true' : 'false',
            text: node.name,
            onclick: () => go(node.id),
          }),
          branch(node.id),
        ),
      ),
    );
  };
  render(
    tree,
    h(
      'ul',
      {},
      h(
        'li',
        {},
        h('button', {
          type: 'button',
          'aria-current': current === ROOT && !query ? 'true' : 'false',
          text: t('root'),
          onclick: () => go(ROOT),
        }),
        branch(ROOT),
      ),
      h(
        'li',
        { class: 'fm-trash' },
        h('button', {
          type: 'button',
          'aria-current': current === TRASH && !query ? 'true' : 'false',
          text: `${t('trash')} (${children(state, TRASH).length})`,
          onclick: () => go(TRASH),
        }),
      ),
    ),
  );
}

function breadcrumb() {
  if (query) return h('h2', { id: 'fm-location', tabindex: '-1', text: t('searchResults', { query }) });
  if (current === TRASH) return h('h2', { id: 'fm-location', tabindex: '-1', text: t('trash') });
  const chain = [];
  let id = current;
  while (id) {
    chain.unshift(id);
    id = getNode(state, id).parent;
  }
  return [
    h('h2', {
      id: 'fm-location',
      tabindex: '-1',
      text: current === ROOT ? t('root') : getNode(state, current).name,
    }),
    h(
      'nav',
      { 'aria-label': t('pathLabel'), class: 'fm-breadcrumb' },
      h(
        'ol',
        {},
        chain.map((folderId, index) =>
          h(
            'li',
            {},
            index === chain.length - 1
              ? h('span', { 'aria-current': 'location', text: folderLabel(folderId) })
              : h('button', {
                  type: 'button',
                  class: 'fm-crumb',
                  text: folderLabel(folderId),
                  onclick: () => go(folderId),
                }),
          ),
        ),
      ),
    ),
    h('p', { class: 'fm-path' }, t('fullPath'), ' ', h('code', { text: pathOf(state, current) })),
  ];
}

function sortHeader(key, label) {
  const active = sort.key === key;
  return h(
    'th',
    { scope: 'col', 'aria-sort': active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none' },
    h(
      'button',
      {
        type: 'button',
        class: 'fm-sort',
        onclick: () => {
          sort = { key, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' };
          draw();
          main.querySelector(`th[aria-sort] button[data-key="${key}"]`)?.focus();
        },
        dataset: { key },
      },
      label,
      h('span', { 'aria-hidden': 'true', text: active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '' }),
    ),
  );
}

function typeLabel(node) {
  if (node.kind === 'folder') return t('typeFolder');
  const extension = extensionOf(node.name);
  return extension ? t('typeFile', { ext: extension.toUpperCase() }) : t('typeUnknown');
}

function drawTable() {
  const items = query
    ? search(state, query, { ...sort, lang })
    : listFolder(state, current, { ...sort, lang });
  if (!items.length) return h('p', { class: 'sim-muted', text: query ? t('noResult') : t('emptyFolder') });
  return h(
    'table',
    { class: 'sim-table fm-table' },
    h('caption', { class: 'visually-hidden', text: t('tableCaption') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        sortHeader('name', t('col.name')),
        query ? h('th', { scope: 'col', text: t('col.location') }) : null,
        sortHeader('modified', t('col.modified')),
        sortHeader('type', t('col.type')),
        sortHeader('size', t('col.size')),
      ),
    ),
    h(
      'tbody',
      {},
      items.map((node) => {
        const radioId = uid('sel');
        const modified = modifiedOf(state, node.id);
        return h(
          'tr',
          {
            class: node.id === selected ? 'is-selected' : '',
            ondblclick: () => (node.kind === 'folder' ? go(node.id) : openPanel('properties', node.id)),
          },
          h(
            'td',
            { class: 'fm-name' },
            h('input', {
              type: 'radio',
              name: 'fm-selection',
              id: radioId,
              dataset: { item: node.id },
              checked: node.id === selected,
              onchange: () => {
                selected = node.id;
                panel = null;
                drawMain();
                // The redrawn radio has a new id: find it by its item.
                focusItem(node.id);
              },
            }),
            h(
              'label',
              { for: radioId },
              h('span', { 'aria-hidden': 'true', text: node.kind === 'folder' ? '📁 ' : '📄 ' }),
              node.name,
            ),
            node.kind === 'folder' && current !== TRASH
              ? h('button', {
                  type: 'button',
                  class: 'fm-open',
                  'aria-label': t('openFolder', { name: node.name }),
                  text: t('open'),
                  onclick: () => go(node.id),
                })
              : null,
          ),
          query ? h('td', { text: pathOf(state, node.parent) }) : null,
          h('td', { text: modified ? formatDate(modified, lang) : '—' }),
          h('td', { text: typeLabel(node) }),
          h('td', { class: 'fm-size', text: formatSize(sizeOf(state, node.id), lang) }),
        );
      }),
    ),
  );
}

/** Focuses an item's selection radio when it is listed, else the heading of the current view. */
function focusItem(id) {
  const radio = id ? main.querySelector(`input[data-item="${id}"]`) : null;
  (radio ?? main.querySelector('#fm-location'))?.focus();
}

/**
 * Before committing an action that changed an item: an item that leaves the view (moved to another
 * folder, renamed out of the search) is no longer selected, so that the actions do not apply to an
 * item the learner cannot see. After the commit, focusItem(id) focuses it, or the view's heading.
 */
function deselectIfHidden(next, id) {
  if (selected === id && !isListed(next, id, { folder: current, query })) selected = null;
}

function openPanel(kind, id = selected) {
  panel = { kind, id };
  drawMain();
  // The panel's field (the destination list of a move, the name of a rename), else its title.
  const frame = main.querySelector('.fm-panel');
  (frame?.querySelector('input, select') ?? frame?.querySelector('h3'))?.focus();
}

/** Cancels the panel: focus goes back to the toolbar button that opened it. */
function closePanel() {
  const kind = panel?.kind;
  panel = null;
  drawMain();
  const opener = kind ? main.querySelector(`.fm-toolbar button[data-action="${kind}"]`) : null;
  if (opener && !opener.disabled) opener.focus();
  else focusItem(selected);
}

function toolbar() {
  const none = !selected;
  const buttons =
    current === TRASH && !query
      ? [
          h('button', {
            type: 'button',
            text: t('restore'),
            disabled: none,
            onclick: () => {
              try {
                const name = getNode(state, selected).name;
                const next = restoreItem(state, selected);
                selected = null;
                commit(next, t('restored', { name }));
              } catch (error) {
                fail(error);
              }
            },
          }),
          h('button', {
            type: 'button',
            class: 'sim-danger',
            text: t('deleteForever'),
            disabled: none,
            onclick: () => {
              const name = getNode(state, selected).name;
              const next = deleteForever(state, selected);
              selected = null;
              commit(next, t('deletedForever', { name }));
            },
          }),
          h('button', {
            type: 'button',
            class: 'sim-danger',
            text: t('emptyTrash'),
            disabled: children(state, TRASH).length === 0,
            onclick: () => {
              selected = null;
              commit(emptyTrash(state), t('trashEmptied'));
            },
          }),
        ]
      : [
          query
            ? null
            : h('button', {
                type: 'button',
                text: t('newFolder'),
                dataset: { action: 'newFolder' },
                onclick: () => openPanel('newFolder', current),
              }),
          h('button', {
            type: 'button',
            text: t('rename'),
            disabled: none,
            dataset: { action: 'rename' },
            onclick: () => openPanel('rename'),
          }),
          h('button', {
            type: 'button',
            text: t('move'),
            disabled: none,
            dataset: { action: 'move' },
            onclick: () => openPanel('move'),
          }),
          h('button', {
            type: 'button',
            class: 'sim-danger',
            text: t('delete'),
            disabled: none,
            onclick: () => {
              try {
                const name = getNode(state, selected).name;
                const next = trashItem(state, selected);
                selected = null;
                commit(next, t('trashed', { name }));
              } catch (error) {
                fail(error);
              }
            },
          }),
          h('button', {
            type: 'button',
            text: t('properties'),
            disabled: none,
            dataset: { action: 'properties' },
            onclick: () => openPanel('properties'),
          }),
        ];
  return h(
    'div',
    { class: 'sim-toolbar fm-toolbar', role: 'toolbar', 'aria-label': t('actionsLabel') },
    buttons,
  );
}

function panelFrame(title, ...content) {
  return h(
    'section',
    {
      class: 'fm-panel sim-panel',
      'aria-label': title,
      onkeydown: (event) => {
        const action = panelKeyAction(event);
        if (action === 'cancel') {
          event.preventDefault();
          closePanel();
        } else if (action === 'submit') {
          // Enter on the destination list confirms the move, as Enter in a text field does.
          event.preventDefault();
          event.target.form?.requestSubmit();
        }
      },
    },
    h('h3', { tabindex: '-1', text: title }),
    content,
  );
}

function drawPanel() {
  if (!panel) return null;
  if (panel.kind === 'properties') {
    const info = properties(state, panel.id);
    const rows = [
      [t('prop.name'), info.name],
      [t('prop.type'), info.kind === 'folder' ? t('typeFolder') : typeLabel(getNode(state, panel.id))],
      [t('prop.location'), info.inTrash ? t('trash') : info.location],
      [
        t('prop.size'),
        `${formatSize(info.size, lang)} (${t('bytes', { count: info.size.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR') })})`,
      ],
      info.kind === 'folder'
        ? [t('prop.contains'), t('containsCount', { files: info.files, folders: info.folders })]
        : null,
      info.created ? [t('prop.created'), formatDate(info.created, lang)] : null,
      [t('prop.modified'), info.modified ? formatDate(info.modified, lang) : '—'],
    ].filter(Boolean);
    return panelFrame(
      t('propertiesOf', { name: info.name }),
      h(
        'dl',
        { class: 'fm-props' },
        rows.map(([label, value]) => [h('dt', { text: label }), h('dd', { text: value })]),
      ),
      h('button', { type: 'button', text: t('close'), onclick: closePanel }),
    );
  }
  if (panel.kind === 'rename' || panel.kind === 'newFolder') {
    const isRename = panel.kind === 'rename';
    const input = h('input', {
      type: 'text',
      value: isRename ? getNode(state, panel.id).name : '',
      autocomplete: 'off',
    });
    const title = isRename ? t('renameTitle', { name: getNode(state, panel.id).name }) : t('newFolderTitle');
    return panelFrame(
      title,
      h(
        'form',
        {
          onsubmit: (event) => {
            event.preventDefault();
            try {
              if (isRename) {
                const id = panel.id;
                const before = getNode(state, id).name;
                const next = rename(state, id, input.value);
                panel = null;
                deselectIfHidden(next, id);
                commit(next, t('renamed', { before, after: getNode(next, id).name }));
                focusItem(id);
              } else {
                const result = createFolder(state, panel.id, input.value);
                panel = null;
                selected = result.id;
                commit(result.state, t('folderCreated', { name: getNode(result.state, result.id).name }));
                focusItem(result.id);
              }
            } catch (error) {
              fail(error);
              input.focus();
            }
          },
        },
        field(isRename ? t('newName') : t('folderName'), input, { hint: t('nameHint') }),
        h(
          'div',
          { class: 'sim-toolbar' },
          h('button', { type: 'submit', class: 'sim-primary', text: isRename ? t('rename') : t('create') }),
          h('button', { type: 'button', text: t('cancel'), onclick: closePanel }),
        ),
      ),
    );
  }
  const node = getNode(state, panel.id);
  const select = h(
    'select',
    {},
    allFolders(state).map((folder) =>
      h('option', {
        value: folder.id,
        selected: folder.id === node.parent,
        text: folder.id === ROOT ? `/ (${t('root')})` : folder.path,
      }),
    ),
  );
  return panelFrame(
    t('moveTitle', { name: node.name }),
    h(
      'form',
      {
        onsubmit: (event) => {
          event.preventDefault();
          try {
            const next = move(state, node.id, select.value);
            panel = null;
            deselectIfHidden(next, node.id);
            commit(next, t('moved', { name: node.name, path: pathOf(next, select.value) }));
            // The item usually leaves the folder shown: focus then goes to the folder's heading.
            focusItem(node.id);
          } catch (error) {
            fail(error);
            select.focus();
          }
        },
      },
      field(t('destination'), select),
      h(
        'div',
        { class: 'sim-toolbar' },
        h('button', { type: 'submit', class: 'sim-primary', text: t('move') }),
        h('button', { type: 'button', text: t('cancel'), onclick: closePanel }),
      ),
    ),
  );
}

function drawMain() {
  render(main, breadcrumb(), toolbar(), drawPanel(), drawTable());
}

function drawStorage() {
  if (!state.capacity) {
    storage.hidden = true;
    return;
  }
  const used = usedSpace(state);
  render(
    storage,
    t('storage', { used: formatSize(used, lang), capacity: formatSize(state.capacity, lang) }),
    ' ',
    h('meter', {
      min: '0',
      max: String(state.capacity),
      value: String(used),
      high: String(state.capacity * 0.9),
      'aria-hidden': 'true',
    }),
  );
}

function draw() {
  if (selected && !state.nodes[selected]) selected = null;
  drawTree();
  drawMain();
  drawStorage();
}

draw();
bridge.ready();
if (scenario.report) bridge.answer(fileAnswer(state, scenario.report));
