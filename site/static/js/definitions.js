// The workstation definitions the caller may read (/<slug>/definitions/), each with its current
// image and the state of a build in progress (polled while one is), edit, copy, permissions and
// delete, and the way to a new one.

import { api, ApiError, describeError } from './api.js';
import {
  $, callerRights, confirmDialog, el, listAll, say, startWorkspacePage, wireDialogs, wsPath,
} from './wspage.js';
import {
  elapsedMillis, formatDuration, gpuText, inProgress, OS_LABELS, poller, statusBadge, statusLabel,
} from './builds.js';

const page = await startWorkspacePage();
const rowsBody = $('definitions-rows');
const status = $('definitions-status');
const error = $('definitions-error');
let definitions = [];
let canCreate = false;
/** The latest build of each definition whose current build is in progress (its start and version), by id. */
const liveBuilds = new Map();
let ticker = null;

function pageHref(rest) {
  return `/${encodeURIComponent(page.slug)}/${rest}`;
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
    el('a', {
      className: 'member-email definition-link', text: d.displayName, dataset: { name: '' },
      attrs: { href: pageHref(`definitions/view/?id=${id}`) },
    }),
    el('code', { className: 'cli-name', text: d.cliName, dataset: { cliName: '' } })));
  tr.append(el('td', { text: OS_LABELS[d.os] || d.os, dataset: { os: '' } }));
  tr.append(el('td', { className: 'cell-nowrap', text: `${d.cpuCores} CPU · ${d.memoryGb} GB`, dataset: { size: '' } }));
  tr.append(el('td', { className: 'cell-nowrap', text: gpuText(d.gpu), dataset: { gpu: '' } }));
  tr.append(el('td', { text: `v${d.version}`, dataset: { version: String(d.version) } }));
  tr.append(imageCell(d));

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

/**
 * The current image (the newest available one) — from `currentImage` when the API gives it, else
 * the current build when that is available — or null.
 */
function currentImageOf(d) {
  if ('currentImage' in d) return d.currentImage;
  const b = d.currentBuild;
  return b && b.status === 'available' ? { buildId: b.id, version: b.version ?? d.version, amiId: null } : null;
}

/** The current image, and the current build's state when it is not that image. */
function imageCell(d) {
  const image = currentImageOf(d);
  const build = d.currentBuild;
  const td = el('td', {
    className: 'cell-image',
    dataset: { image: image ? String(image.version) : '', build: build ? build.status : '' },
  });
  td.append(image
    ? el('span', { className: 'image-current', text: `v${image.version} · available`, attrs: { title: image.amiId || undefined } })
    : el('span', { className: 'image-current muted', text: 'none yet' }));
  if (build && !(image && image.buildId === build.id)) {
    const live = liveBuilds.get(d.id);
    const version = build.version ?? (live?.id === build.id ? live.version : null);
    const line = el('span', { className: 'image-live', dataset: { liveBuild: build.id } });
    const words = `${version ? `v${version} ` : ''}${statusLabel(build.status).toLowerCase()}`;
    line.append(statusBadge(build.status));
    line.firstChild.textContent = words;
    if (inProgress(build.status) && live?.id === build.id) {
      line.append(' · ', el('span', { className: 'image-elapsed', text: formatDuration(elapsedMillis(live)) }));
    }
    td.append(line);
  }
  return td;
}

function tick() {
  for (const span of rowsBody.querySelectorAll('.image-elapsed')) {
    const tr = span.closest('tr[data-definition]');
    const live = liveBuilds.get(tr?.dataset.definition);
    if (live) span.textContent = formatDuration(elapsedMillis(live));
  }
}

const anyInProgress = () => definitions.some((d) => inProgress(d.currentBuild?.status));

function render() {
  rowsBody.replaceChildren(...definitions.map(row));
  $('definitions-loading').hidden = true;
  $('definitions-empty').hidden = definitions.length > 0;
  $('definitions-wrap').hidden = definitions.length === 0;
  updateTicker();
}

function updateTicker() {
  if (anyInProgress() && !ticker) ticker = setInterval(tick, 1000);
  if (!anyInProgress() && ticker) { clearInterval(ticker); ticker = null; }
}

/** The latest build of each definition building now: its start for the elapsed time. */
async function loadLiveBuilds(items) {
  const building = items.filter((d) => inProgress(d.currentBuild?.status));
  const found = await Promise.all(building.map((d) => api(`${wsPath(page.slug, `/definitions/${encodeURIComponent(d.id)}/builds`)}?limit=1`)
    .then((p) => p?.items?.[0] ?? null).catch(() => null)));
  liveBuilds.clear();
  building.forEach((d, i) => { if (found[i]) liveBuilds.set(d.id, found[i]); });
}

function sorted(items) {
  return [...items].sort((a, b) => String(a.displayName).localeCompare(String(b.displayName), undefined, { sensitivity: 'base' }));
}

/** Reads the list again while a build is in progress; rows stay, their version and image cells change. */
const polling = poller(async () => {
  const items = sorted(await listAll(wsPath(page.slug, '/definitions')));
  await loadLiveBuilds(items);
  const same = items.length === definitions.length && items.every((d, i) => d.id === definitions[i].id);
  definitions = items;
  if (!same) { render(); return; }
  for (const d of definitions) {
    const tr = rowsBody.querySelector(`tr[data-definition="${CSS.escape(d.id)}"]`);
    if (!tr) continue;
    const version = tr.querySelector('td[data-version]');
    version.textContent = `v${d.version}`;
    version.dataset.version = String(d.version);
    tr.querySelector('td.cell-image').replaceWith(imageCell(d));
  }
  updateTicker();
}, { everyMs: 3000, wanted: anyInProgress });

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
    definitions = sorted(items);
    await loadLiveBuilds(definitions);
    render();
    page.show();
    polling.ensure();
  } catch (err) {
    $('workspace-loading').hidden = true;
    say($('workspace-failed-detail'), describeError(err));
    $('workspace-failed').hidden = false;
  }
}

start();
