// The workstation definitions the caller may read (/<slug>/definitions/), with edit, copy,
// permissions and delete for each, and the way to a new one.

import { api, ApiError, describeError } from './api.js';
import {
  $, callerRights, confirmDialog, el, listAll, say, startWorkspacePage, wireDialogs, wsPath,
} from './wspage.js';

export const OS_LABELS = { linux: 'Linux', windows: 'Windows' };

const page = await startWorkspacePage();
const rowsBody = $('definitions-rows');
const status = $('definitions-status');
const error = $('definitions-error');
let definitions = [];
let canCreate = false;

function pageHref(rest) {
  return `/${encodeURIComponent(page.slug)}/${rest}`;
}

function gpuText(gpu) {
  return gpu ? `${gpu.count} × ${gpu.type}` : 'None';
}

/** A button that, refused with 403, says so and stays disabled. */
function refuse(button, message) {
  button.disabled = true;
  say(error, message);
}

async function remove(definition, button) {
  const ok = await confirmDialog({
    title: `Delete “${definition.displayName}”?`,
    message: 'Deleting is irreversible: the definition, its grants and its CLI name go. Images already built from it stay.',
    confirmLabel: 'Delete definition',
  });
  if (!ok) { button.focus(); return; }
  say(status, '');
  say(error, '');
  button.disabled = true;
  try {
    await api(wsPath(page.slug, `/definitions/${encodeURIComponent(definition.id)}`), { method: 'DELETE' });
    definitions = definitions.filter((d) => d.id !== definition.id);
    render();
    say(status, `“${definition.displayName}” was deleted.`);
    $('definitions-heading').focus?.();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      refuse(button, `You may not delete “${definition.displayName}”: that needs the Write level on it.`);
    } else if (err instanceof ApiError && err.status === 404) {
      definitions = definitions.filter((d) => d.id !== definition.id);
      render();
      say(error, `“${definition.displayName}” no longer exists.`);
    } else {
      button.disabled = false;
      say(error, describeError(err));
    }
  }
}

function row(d) {
  const id = encodeURIComponent(d.id);
  const tr = el('tr', { dataset: { definition: d.id } });
  tr.append(el('th', { className: 'cell-member', attrs: { scope: 'row' } },
    el('span', { className: 'member-email', text: d.displayName, dataset: { name: '' } }),
    el('code', { className: 'cli-name', text: d.cliName, dataset: { cliName: '' } })));
  tr.append(el('td', { text: OS_LABELS[d.os] || d.os, dataset: { os: '' } }));
  tr.append(el('td', { className: 'cell-nowrap', text: `${d.cpuCores} CPU · ${d.memoryGb} GB`, dataset: { size: '' } }));
  tr.append(el('td', { className: 'cell-nowrap', text: gpuText(d.gpu), dataset: { gpu: '' } }));
  tr.append(el('td', { text: `v${d.version}`, dataset: { version: String(d.version) } }));
  const build = d.currentBuild;
  tr.append(el('td', {
    className: build ? 'cell-build' : 'muted cell-build',
    text: build ? `Build: ${build.status}` : 'Not built',
    dataset: { build: build ? build.status : '' },
  }));

  const name = d.displayName;
  const cell = el('div', { className: 'row-actions' });
  cell.append(el('a', {
    className: 'button button-quiet', text: 'Edit',
    attrs: { href: pageHref(`definitions/edit/?id=${id}`), 'aria-label': `Edit ${name}` }, dataset: { edit: d.id },
  }));
  if (canCreate) {
    cell.append(el('a', {
      className: 'button button-quiet', text: 'Copy & customise',
      attrs: { href: pageHref(`definitions/new/?copy=${id}`), 'aria-label': `Copy and customise ${name}` }, dataset: { copy: d.id },
    }));
  }
  cell.append(el('a', {
    className: 'button button-quiet', text: 'Permissions',
    attrs: { href: pageHref(`permissions/?resource=definition:${id}`), 'aria-label': `Permissions of ${name}` }, dataset: { permissions: d.id },
  }));
  const del = el('button', {
    className: 'button button-danger-quiet', text: 'Delete',
    attrs: { type: 'button', 'aria-label': `Delete ${name}` }, dataset: { delete: d.id },
  });
  del.addEventListener('click', () => remove(d, del));
  cell.append(del);
  tr.append(el('td', { className: 'cell-actions' }, cell));
  return tr;
}

function render() {
  rowsBody.replaceChildren(...definitions.map(row));
  $('definitions-loading').hidden = true;
  $('definitions-empty').hidden = definitions.length > 0;
  $('definitions-wrap').hidden = definitions.length === 0;
}

/** A message the wizard left for the list (`?created=` / `?saved=`), then a clean address. */
function showArrival() {
  const params = new URLSearchParams(window.location.search);
  const created = params.get('created');
  const saved = params.get('saved');
  const d = definitions.find((x) => x.id === (created || saved));
  if (d) say(status, created ? `“${d.displayName}” was created.` : `“${d.displayName}” was saved as version ${d.version}.`);
  if (created || saved) window.history.replaceState(null, '', window.location.pathname);
}

async function start() {
  if (!page) return;
  wireDialogs();
  document.title = `Definitions · ${page.ws.name}`;
  $('new-definition').href = pageHref('definitions/new/');
  try {
    const [items, members] = await Promise.all([
      listAll(wsPath(page.slug, '/definitions')),
      listAll(wsPath(page.slug, '/members')).catch(() => []),
    ]);
    const rights = callerRights(members, page.me?.id);
    canCreate = rights.isOwner || (rights.self?.actions ?? []).includes('images.manage');
    $('new-definition').hidden = !canCreate;
    if (!canCreate) {
      $('definitions-empty-detail').textContent = 'None has been shared with you. Creating definitions needs the “Manage images” action; ask the workspace owner.';
    }
    definitions = [...items].sort((a, b) => String(a.displayName).localeCompare(String(b.displayName), undefined, { sensitivity: 'base' }));
    render();
    page.show();
    showArrival();
  } catch (err) {
    $('workspace-loading').hidden = true;
    say($('workspace-failed-detail'), describeError(err));
    $('workspace-failed').hidden = false;
  }
}

start();
