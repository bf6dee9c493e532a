// The runtime page (/<slug>/runtime/): the workspace's workstations (or the caller's), their
// status live while any is on its way somewhere, launching one from a definition, the lifecycle
// buttons the caller may use, and the pinned and recently opened workstations at the top.

import { api, ApiError, describeError, newIdempotencyKey } from './api.js';
import { $, confirmDialog, el, fieldName, formatTime, listAll, say, startWorkspacePage, wireDialogs, wsPath } from './wspage.js';
import { poller } from './builds.js';
import {
  allowedRequests, connect, displayName, followed, levelsOn, loadCaller, moving, pinButtonText, pins, recent, REQUEST_LABELS,
  sendRequest, statusBadge, wireConnectDialog,
} from './workstations.js';

const page = await startWorkspacePage();
const message = $('runtime-status');
const error = $('runtime-error');

const state = {
  caller: null,
  mine: new URLSearchParams(window.location.search).get('mine') === 'true',
  workstations: [],
  levels: new Map(), // id → Set of levels
  busy: new Set(), // ids with a request on its way
  launchKey: null,
  definitions: [],
};

function viewHref(id) {
  return `/${encodeURIComponent(page.slug)}/runtime/view/?${new URLSearchParams({ id })}`;
}

// ---- the list ------------------------------------------------------------------------------

async function load() {
  const query = state.mine ? '?mine=true' : '';
  const items = await listAllWith(wsPath(page.slug, '/workstations'), query);
  for (const w of items) if (!state.levels.has(w.id)) state.levels.set(w.id, await levelsOn(page.slug, state.caller, w));
  state.workstations = items.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  render();
}

async function listAllWith(path, query) {
  if (!query) return listAll(path);
  const page1 = await api(`${path}${query}&limit=100`);
  const items = [...(page1?.items ?? [])];
  let cursor = page1?.nextCursor || null;
  const seen = new Set();
  while (cursor && !seen.has(cursor)) {
    seen.add(cursor);
    const next = await api(`${path}${query}&limit=100&cursor=${encodeURIComponent(cursor)}`);
    items.push(...(next?.items ?? []));
    cursor = next?.nextCursor || null;
  }
  return items;
}

function actionButton(w, what) {
  const danger = what === 'terminate';
  const b = el('button', {
    className: `button ${danger ? 'button-danger-quiet' : 'button-quiet'}`,
    text: REQUEST_LABELS[what],
    attrs: { type: 'button', 'aria-label': `${REQUEST_LABELS[what]} ${displayName(w)}`, disabled: state.busy.has(w.id) },
    dataset: { action: what },
  });
  b.addEventListener('click', () => act(w, what));
  return b;
}

function row(w) {
  const allowed = allowedRequests(w, state.caller, state.levels.get(w.id) ?? new Set());
  const actions = el('div', { className: 'button-row' });
  for (const what of ['start', 'stop', 'restart', 'update', 'connect', 'keepAlive', 'terminate']) {
    if (allowed[what]) actions.append(actionButton(w, what));
  }
  const pinned = pins.has(page.slug, w.id);
  const pin = el('button', {
    className: 'button button-quiet', text: pinButtonText(pinned),
    attrs: { type: 'button', 'aria-pressed': String(pinned), 'aria-label': `${pinButtonText(pinned)} ${displayName(w)}` },
    dataset: { pin: w.id },
  });
  pin.addEventListener('click', () => { pins.toggle(page.slug, w.id); render(); });
  actions.append(pin);
  return el('tr', { dataset: { workstation: w.id, status: w.status } },
    el('th', { attrs: { scope: 'row' } },
      el('a', { text: displayName(w), attrs: { href: viewHref(w.id) }, dataset: { name: '' } }),
      el('div', { className: 'muted', text: `Definition v${w.definitionVersion}` })),
    el('td', {}, statusBadge(w)),
    el('td', {}, el('code', { text: w.instanceType }), w.gpu ? el('div', { className: 'muted', text: `${w.gpu.count} × ${w.gpu.type}` }) : null),
    el('td', { text: formatTime(w.createdAt) }),
    el('td', {}, actions));
}

function render() {
  $('workstations-loading').hidden = true;
  const list = state.workstations;
  $('workstations-empty').hidden = list.length > 0;
  $('workstations-wrap').hidden = list.length === 0;
  $('workstations-rows').replaceChildren(...list.map(row));
  renderQuick();
}

function quickItem(id, kind) {
  const w = state.workstations.find((x) => x.id === id);
  if (!w) return null;
  return el('li', { className: 'quick-item', dataset: { [kind]: id } },
    el('a', { text: displayName(w), attrs: { href: viewHref(id) } }), ' ', statusBadge(w));
}

function renderQuick() {
  const pinned = pins.list(page.slug).map((id) => quickItem(id, 'pinned')).filter(Boolean);
  const recents = recent.list(page.slug).filter((id) => !pins.has(page.slug, id)).map((id) => quickItem(id, 'recent')).filter(Boolean);
  $('quick-pinned').replaceChildren(...pinned);
  $('quick-recent').replaceChildren(...recents);
  $('quick-pinned').hidden = pinned.length === 0;
  $('quick-recent').hidden = recents.length === 0;
  $('quick').hidden = pinned.length === 0 && recents.length === 0;
}

const live = poller(load, { everyMs: 3000, wanted: () => state.workstations.some((w) => moving(w) || followed.awaiting(w)) });

async function act(w, what) {
  say(error, '');
  say(message, '');
  if (what === 'connect') { await connect(page.slug, w, error); return; }
  if (what === 'terminate') {
    const ok = await confirmDialog({
      title: `Terminate ${displayName(w)}?`,
      message: 'The instance and its disks are deleted. This cannot be undone.',
      confirmLabel: 'Terminate',
    });
    if (!ok) return;
  }
  state.busy.add(w.id);
  render();
  try {
    await sendRequest(page.slug, w, what);
    say(message, what === 'keepAlive' ? `${displayName(w)} is kept alive.` : `${REQUEST_LABELS[what]} of ${displayName(w)} requested.`);
  } catch (err) {
    if (err instanceof ApiError && what === 'keepAlive' && (err.status === 404 || err.status === 405)) {
      say(error, 'Keeping a workstation alive is not available here.');
    } else {
      say(error, describeError(err));
    }
  } finally {
    state.busy.delete(w.id);
  }
  live.poke();
}

// ---- launching -----------------------------------------------------------------------------

const FIELDS = { definitionId: 'launch-definition', name: 'launch-name', instanceType: 'launch-instance-type' };

function clearLaunchErrors() {
  say($('launch-error'), '');
  for (const id of Object.values(FIELDS)) {
    say($(`${id}-error`), '');
    $(id).removeAttribute('aria-invalid');
  }
}

async function openLaunch() {
  clearLaunchErrors();
  state.launchKey = null;
  const select = $('launch-definition');
  select.replaceChildren(new Option('Loading definitions…', ''));
  $('launch-dialog').showModal();
  try {
    state.definitions = (await listAll(wsPath(page.slug, '/definitions'))).filter((d) => d.currentImage);
  } catch (err) {
    say($('launch-error'), describeError(err));
    state.definitions = [];
  }
  const preselect = new URLSearchParams(window.location.search).get('definition');
  select.replaceChildren(...(state.definitions.length
    ? state.definitions.map((d) => new Option(`${d.displayName} · v${d.currentImage.version}`, d.id))
    : [new Option('No definition has an available image', '')]));
  if (preselect && state.definitions.some((d) => d.id === preselect)) select.value = preselect;
  $('launch-submit').disabled = state.definitions.length === 0;
}

async function submitLaunch(event) {
  event.preventDefault();
  clearLaunchErrors();
  const body = { definitionId: $('launch-definition').value };
  const name = $('launch-name').value.trim();
  const instanceType = $('launch-instance-type').value.trim();
  if (name) body.name = name;
  if (instanceType) body.instanceType = instanceType;
  if (!body.definitionId) {
    say($('launch-definition-error'), 'Choose a definition.');
    return;
  }
  state.launchKey = state.launchKey || newIdempotencyKey();
  $('launch-submit').disabled = true;
  try {
    const w = await api(wsPath(page.slug, '/workstations'), { method: 'POST', body, headers: { 'Idempotency-Key': state.launchKey } });
    state.launchKey = null;
    $('launch-dialog').close('done');
    $('launch-form').reset();
    say(message, `${displayName(w)} is launching.`);
    if (w?.id && !state.levels.has(w.id)) state.levels.set(w.id, await levelsOn(page.slug, state.caller, w));
    live.poke();
  } catch (err) {
    if (err instanceof ApiError) state.launchKey = null;
    say($('launch-error'), describeError(err));
    if (err instanceof ApiError) {
      for (const e of err.fieldErrors) {
        const id = FIELDS[fieldName(e.field)];
        if (id) {
          say($(`${id}-error`), e.message);
          $(id).setAttribute('aria-invalid', 'true');
        }
      }
    }
  } finally {
    $('launch-submit').disabled = false;
  }
}

function setMine(mine) {
  state.mine = mine;
  $('show-mine').setAttribute('aria-pressed', String(mine));
  $('show-all').setAttribute('aria-pressed', String(!mine));
  const url = new URL(window.location.href);
  if (mine) url.searchParams.set('mine', 'true'); else url.searchParams.delete('mine');
  window.history.replaceState(null, '', url);
  $('workstations-loading').hidden = false;
  live.poke();
}

if (page) {
  document.title = `Workstations · ${page.ws.name}`;
  wireDialogs();
  wireConnectDialog();
  page.show();
  try {
    state.caller = await loadCaller(page.slug, page.me);
    $('launch-open').hidden = false;
    $('launch-open').addEventListener('click', openLaunch);
    $('launch-form').addEventListener('submit', submitLaunch);
    $('show-mine').addEventListener('click', () => setMine(true));
    $('show-all').addEventListener('click', () => setMine(false));
    $('show-mine').setAttribute('aria-pressed', String(state.mine));
    $('show-all').setAttribute('aria-pressed', String(!state.mine));
    await load();
    live.ensure();
  } catch (err) {
    $('workstations-loading').hidden = true;
    say(error, describeError(err));
  }
}
