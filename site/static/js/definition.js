// One workstation definition (/<slug>/definitions/view/?id=<id>): its summary and its image
// builds, live while one is in progress, with rebuild and cancel for those who may operate it.

import { api, apiResponse, ApiError, describeError, newIdempotencyKey } from './api.js';
import {
  $, callerRights, confirmDialog, el, formatTime, listAll, say, startWorkspacePage, wireDialogs, wsPath, PRESETS,
} from './wspage.js';
import {
  amisOf, elapsedMillis, ended, formatDuration, gpuText, inProgress, OS_LABELS, poller, STAGES, statusBadge, statusLabel,
} from './builds.js';

const PAGE_SIZE = 20;
const params = new URLSearchParams(window.location.search);
const definitionId = params.get('id');

const page = await startWorkspacePage();
const list = $('builds');
const status = $('definition-status');
const error = $('definition-error');
const rebuildButton = $('rebuild');

const state = {
  definition: null,
  levels: new Set(),
  readsLogs: true, // false when the members list says the caller lacks logs.view (owners hold it)
  builds: [], // newest first
  nextCursor: null, // of the older pages shown with "Show older builds"
  olderLoaded: false,
  cards: new Map(), // build id → {li, signature, elapsed, ...}
  rebuildKey: null, // a retry of the same rebuild (after a network failure) reuses its Idempotency-Key
  cancelling: null, // the id of a build said to be "being cancelled", until it ends
  ticker: null,
};

function pageHref(rest) {
  return `/${encodeURIComponent(page.slug)}/${rest}`;
}

function definitionPath(rest = '') {
  return wsPath(page.slug, `/definitions/${encodeURIComponent(definitionId)}${rest}`);
}

const may = (level) => state.levels.has(level);

/** Whether the caller may read build logs (the logs.view action; owners hold every action); true when unknown. */
function readsLogs(members) {
  const rights = callerRights(members, page.me?.id);
  return !rights.self || rights.isOwner || (rights.self.actions ?? []).includes('logs.view');
}

/** The levels the caller holds on the definition: owners all, others from grants to them or their groups. */
function levelsOf(grants, members) {
  const rights = callerRights(members, page.me?.id);
  if (rights.isOwner) return new Set(PRESETS.full);
  const mine = new Set([`user:${page.me?.id}`, ...(rights.self?.groups ?? []).map((g) => `group:${g}`)]);
  const levels = new Set();
  for (const g of grants ?? []) if (mine.has(g.principal)) for (const l of g.levels ?? []) levels.add(l);
  return levels;
}

// ---- the definition ------------------------------------------------------------------------

/** The newest available image: the API's `currentImage` when it gives one, else the newest available build shown. */
function currentImage() {
  const d = state.definition;
  if (d && 'currentImage' in d) return d.currentImage;
  const b = state.builds.find((x) => x.status === 'available');
  return b ? { buildId: b.id, version: b.version, amiId: amisOf(b)[0]?.[1] ?? null, availableAt: b.finishedAt } : null;
}

function renderDefinition() {
  const d = state.definition;
  $('definition-name').textContent = d.displayName;
  $('definition-cli-name').textContent = d.cliName;
  $('definition-version').textContent = `Version ${d.version}`;
  $('summary-os').textContent = OS_LABELS[d.os] || d.os;
  $('summary-size').textContent = `${d.cpuCores} CPU · ${d.memoryGb} GB`;
  $('summary-gpu').textContent = gpuText(d.gpu);
  $('summary-python').textContent = d.pythonVersion;
  $('summary-updated').textContent = formatTime(d.updatedAt);
  renderCurrentImage();
  $('definition-edit').hidden = !may('write');
  rebuildButton.hidden = !may('operate');
  document.title = `${d.displayName} · ${page.ws.name}`;
}

function renderCurrentImage() {
  const image = currentImage();
  const dd = $('summary-image');
  if (image) {
    dd.replaceChildren(el('span', { text: `v${image.version} · available`, attrs: { title: image.amiId || undefined } }),
      image.amiId ? el('code', { className: 'cli-name', text: image.amiId }) : null);
  } else {
    dd.replaceChildren(el('span', { className: 'muted', text: 'None yet' }));
  }
  dd.dataset.version = image ? String(image.version) : '';
  for (const [id, card] of state.cards) card.current.hidden = !(image && image.buildId === id);
}

async function reloadDefinition() {
  const { data } = await apiResponse(definitionPath());
  state.definition = data;
  renderDefinition();
  renderBuilds();
}

// ---- builds --------------------------------------------------------------------------------

/** Where a build is in its stages: for each stage, how far it got, when it was reached, and where it ended. */
function stagesOf(build) {
  const at = new Map();
  for (const h of build.statusHistory ?? []) if (!at.has(h.status)) at.set(h.status, h.at);
  // a failed or cancelled build is shown at the stage it ended in: the last one it reached
  let endStage = null;
  if (build.status === 'failed' || build.status === 'cancelled') {
    for (const s of STAGES) if (at.has(s)) endStage = s;
    endStage = endStage ?? 'pending';
  }
  return STAGES.map((stage) => {
    let how = 'todo';
    if (stage === endStage) how = build.status;
    else if (at.has(stage)) how = stage === build.status && !ended(build.status) ? 'current' : 'done';
    return {
      stage, how, when: at.get(stage) ?? null,
      endedAt: stage === endStage ? at.get(build.status) ?? build.finishedAt ?? null : null,
    };
  });
}

const HOW_TEXT = { done: 'reached', current: 'in progress', failed: 'failed here', cancelled: 'cancelled here', todo: 'not reached' };

const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A stage's time: the clock time, the full date in its title. */
function timeEl(iso, className) {
  const d = new Date(iso);
  const short = Number.isNaN(d.getTime()) ? String(iso) : clockFormat.format(d);
  return el('time', { className, text: short, attrs: { datetime: iso, title: formatTime(iso) } });
}

function stageItem({ stage, how, when, endedAt }) {
  return el('li', { className: `stage stage-${how}`, dataset: { stage, state: how } },
    el('span', { className: 'stage-name', text: statusLabel(stage) }),
    el('span', { className: 'visually-hidden', text: `: ${HOW_TEXT[how]}` }),
    when ? timeEl(when, 'stage-time') : null,
    how === 'failed' || how === 'cancelled'
      ? el('span', { className: 'stage-end' }, el('span', { text: statusLabel(how) }), endedAt ? timeEl(endedAt, 'stage-end-time') : null)
      : null);
}

/** The portal page of a build's log. */
function logHref(build) {
  return pageHref(`definitions/log/?${new URLSearchParams({ id: definitionId, build: build.id })}`);
}

/** What a card shows; the log link shows once the API gives the build a log (`logUrl`). */
function signature(b) {
  return JSON.stringify([b.status, b.statusHistory?.length, b.startedAt, b.finishedAt, b.amiId, b.amis,
    !!b.logUrl, b.failureReason, may('operate'), may('promote'), currentImage()?.buildId === b.id]);
}

function newCard(build) {
  const li = el('li', { className: 'build', dataset: { buildId: build.id } });
  const title = el('h3', { className: 'build-title' });
  const badge = el('span', { className: 'build-badge' });
  const current = el('span', { className: 'pill pill-current', text: 'Current image', attrs: { hidden: true } });
  const actions = el('div', { className: 'build-actions' });
  const stages = el('ol', { className: 'build-stages', attrs: { 'aria-live': 'polite', 'aria-label': 'Progress' } });
  const reason = el('p', { className: 'build-reason', attrs: { hidden: true } });
  const started = el('dd', { className: 'build-started' });
  const elapsedLabel = el('dt', { className: 'build-elapsed-label', text: 'Elapsed' });
  const elapsed = el('dd', { className: 'build-elapsed' });
  const amis = el('dd', { className: 'build-amis' });
  li.append(
    el('div', { className: 'build-head' }, el('div', { className: 'build-heading' }, title, badge, current), actions),
    stages, reason,
    el('dl', { className: 'build-facts' },
      el('div', {}, el('dt', { text: 'Started' }), started),
      el('div', {}, elapsedLabel, elapsed),
      el('div', {}, el('dt', { text: 'AMI' }), amis)));
  return { li, title, badge, current, actions, stages, reason, started, elapsedLabel, elapsed, amis, signature: null, build };
}

function updateCard(card, build) {
  card.build = build;
  const sig = signature(build);
  if (sig === card.signature) return;
  card.signature = sig;
  const { li } = card;
  li.dataset.status = build.status;
  card.title.textContent = `Version ${build.version}`;
  card.badge.replaceChildren(statusBadge(build.status));
  card.stages.setAttribute('aria-label', `Progress of the build of version ${build.version}`);
  card.stages.replaceChildren(...stagesOf(build).map(stageItem));

  const reasonText = build.status === 'failed' ? `Failed: ${build.failureReason || 'no reason given'}`
    : build.status === 'cancelled' ? `Cancelled${build.failureReason ? `: ${build.failureReason}` : ''}` : '';
  card.reason.textContent = reasonText;
  card.reason.hidden = !reasonText;
  card.reason.className = `build-reason${build.status === 'failed' ? ' error notice-error' : ' muted'}`;

  card.started.replaceChildren(build.startedAt
    ? el('time', { text: formatTime(build.startedAt), attrs: { datetime: build.startedAt } })
    : el('span', { className: 'muted', text: ended(build.status) ? 'Never started' : 'Not started yet' }));
  card.elapsedLabel.textContent = ended(build.status) ? 'Duration' : 'Elapsed';
  updateElapsed(card);

  const amis = amisOf(build);
  card.amis.replaceChildren(...(amis.length
    ? amis.map(([region, ami]) => el('span', { className: 'build-ami' }, el('code', { text: ami }),
      region ? el('span', { className: 'muted', text: ` (${region})` }) : null))
    : [el('span', { className: 'muted', text: build.status === 'available' ? 'Not reported' : '—' })]));

  const actions = [];
  if (build.logUrl && state.readsLogs) {
    actions.push(el('a', {
      className: 'button button-quiet build-log', text: 'Log',
      attrs: { href: logHref(build), 'aria-label': `Log of the build of version ${build.version}` },
    }));
  }
  if (may('promote') && build.status === 'available' && currentImage()?.buildId !== build.id) {
    const promote = el('button', {
      className: 'button button-quiet', text: 'Make current image',
      attrs: { type: 'button', 'aria-label': `Make the version ${build.version} build of ${formatTime(build.finishedAt)} the current image` },
      dataset: { promote: build.id },
    });
    promote.addEventListener('click', () => promoteBuild(card.build, promote));
    actions.push(promote);
  }
  if (may('operate') && inProgress(build.status)) {
    const cancel = el('button', {
      className: 'button button-danger-quiet', text: 'Cancel',
      attrs: { type: 'button', 'aria-label': `Cancel the build of version ${build.version}` }, dataset: { cancel: build.id },
    });
    cancel.addEventListener('click', () => cancelBuild(card.build, cancel));
    actions.push(cancel);
  }
  card.actions.replaceChildren(...actions);
}

function updateElapsed(card) {
  const ms = elapsedMillis(card.build);
  card.elapsed.textContent = formatDuration(ms);
  card.elapsed.dataset.ms = ms === null ? '' : String(ms);
}

function tick() {
  for (const card of state.cards.values()) if (inProgress(card.build.status)) updateElapsed(card);
}

function renderBuilds() {
  const keep = new Set(state.builds.map((b) => b.id));
  for (const id of [...state.cards.keys()]) if (!keep.has(id)) { state.cards.get(id).li.remove(); state.cards.delete(id); }
  state.builds.forEach((build, i) => {
    let card = state.cards.get(build.id);
    if (!card) { card = newCard(build); state.cards.set(build.id, card); }
    updateCard(card, build);
    if (list.children[i] !== card.li) list.insertBefore(card.li, list.children[i] ?? null);
  });
  $('builds-loading').hidden = true;
  $('builds-empty').hidden = state.builds.length > 0;
  $('builds-more').hidden = !state.nextCursor;
  renderCurrentImage();
  const cancelling = state.builds.find((b) => b.id === state.cancelling);
  if (cancelling && ended(cancelling.status)) {
    state.cancelling = null;
    say(status, cancelling.status === 'cancelled'
      ? `The build of version ${cancelling.version} was cancelled.`
      : `The build of version ${cancelling.version} ended ${statusLabel(cancelling.status).toLowerCase()} before it could be cancelled.`);
  }

  const live = state.builds.some((b) => inProgress(b.status));
  list.setAttribute('aria-busy', 'false');
  if (live && !state.ticker) state.ticker = setInterval(tick, 1000);
  if (!live && state.ticker) { clearInterval(state.ticker); state.ticker = null; }
}

/**
 * Puts fresh builds in place of the ones shown, keeping the others (older pages, a rebuild an answer
 * read before it does not hold yet): build records are never deleted. Ids sort by time: newest first.
 */
function merge(fresh) {
  const byId = new Map(state.builds.map((b) => [b.id, b]));
  for (const b of fresh) byId.set(b.id, b);
  state.builds = [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

async function loadBuilds() {
  const wasLive = new Set(state.builds.filter((b) => inProgress(b.status)).map((b) => b.id));
  const data = await api(`${definitionPath('/builds')}?${new URLSearchParams({ limit: String(PAGE_SIZE) })}`);
  const fresh = data?.items ?? [];
  if (!state.olderLoaded) state.nextCursor = data?.nextCursor || null;
  merge(fresh);
  renderBuilds();
  if (fresh.some((b) => wasLive.has(b.id) && ended(b.status))) {
    reloadDefinition().catch(() => {});
  }
}

const polling = poller(async () => {
  try {
    await loadBuilds();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) { gone(); polling.stop(); return; }
    say(error, `The builds could not be refreshed: ${describeError(err)}`);
    throw err;
  }
}, { everyMs: 3000, wanted: () => state.builds.some((b) => inProgress(b.status)) });

$('builds-more').addEventListener('click', async () => {
  const button = $('builds-more');
  button.disabled = true;
  try {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), cursor: state.nextCursor });
    const data = await api(`${definitionPath('/builds')}?${query}`);
    state.nextCursor = data?.nextCursor || null;
    state.olderLoaded = true;
    merge(data?.items ?? []);
    renderBuilds();
  } catch (err) {
    say(error, describeError(err));
  } finally {
    button.disabled = false;
  }
});

function gone() {
  say(error, 'This definition no longer exists, or you may no longer see it.');
  rebuildButton.hidden = true;
  for (const b of list.querySelectorAll('button[data-cancel]')) b.disabled = true;
}

/** A control refused with 403: says so and stays disabled. */
function refuse(button, message) {
  button.disabled = true;
  button.dataset.refused = '';
  say(error, message);
}

// ---- rebuild and cancel --------------------------------------------------------------------

rebuildButton.addEventListener('click', async () => {
  say(status, '');
  say(error, '');
  rebuildButton.disabled = true;
  state.rebuildKey = state.rebuildKey || newIdempotencyKey();
  try {
    const build = await api(definitionPath('/builds'), { method: 'POST', headers: { 'Idempotency-Key': state.rebuildKey } });
    state.rebuildKey = null;
    merge([build]);
    state.definition.currentBuild = { id: build.id, status: build.status, version: build.version };
    renderBuilds();
    say(status, `Version ${build.version} is being built again.`);
    polling.ensure();
    rebuildButton.disabled = false;
  } catch (err) {
    if (err instanceof ApiError) state.rebuildKey = null;
    if (err instanceof ApiError && err.status === 403) {
      refuse(rebuildButton, 'You may not rebuild this definition: that needs the Operate level on it.');
      return;
    }
    rebuildButton.disabled = false;
    if (err instanceof ApiError && err.status === 404) {
      gone();
    } else if (err instanceof ApiError && err.status === 409) {
      say(error, `${describeError(err)} The page shows it as it is now.`);
      reloadDefinition().catch(() => {});
      polling.poke();
    } else {
      say(error, describeError(err));
    }
  }
});

async function cancelBuild(build, button) {
  $('confirm-cancel').textContent = 'Keep building';
  const ok = await confirmDialog({
    title: `Cancel the build of version ${build.version}?`,
    message: 'The build stops and makes no image. The definition stays as it is; you can rebuild it later.',
    confirmLabel: 'Cancel build',
  });
  if (!ok) { button.focus(); return; }
  say(status, '');
  say(error, '');
  button.disabled = true;
  try {
    const after = await api(definitionPath(`/builds/${encodeURIComponent(build.id)}/cancel`), { method: 'POST' });
    if (after) merge([after]);
    say(status, `The build of version ${build.version} is being cancelled.`);
    state.cancelling = build.id;
    renderBuilds();
    polling.poke();
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      say(error, `The build of version ${build.version} had already ended; the page shows how.`);
      polling.poke();
    } else if (err instanceof ApiError && err.status === 403) {
      refuse(button, 'You may not cancel builds of this definition: that needs the Operate level on it.');
    } else if (err instanceof ApiError && err.status === 404) {
      say(error, 'This build or its definition no longer exists.');
      polling.poke();
    } else {
      button.disabled = false;
      say(error, describeError(err));
    }
  }
  $('builds-heading').focus?.();
}

/** Makes an available build the current image again (the promote level): how a team goes back to a good image. */
async function promoteBuild(build, button) {
  say(status, '');
  say(error, '');
  button.disabled = true;
  try {
    const definition = await api(definitionPath(`/builds/${encodeURIComponent(build.id)}/promote`), { method: 'POST' });
    if (definition) state.definition = definition; else await reloadDefinition();
    renderDefinition();
    renderBuilds();
    say(status, `The image of the version ${build.version} build of ${formatTime(build.finishedAt)} is now the current image.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      refuse(button, 'You may not choose the current image: that needs the Promote level on this definition.');
    } else if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
      button.disabled = false;
      say(error, `${describeError(err)} The page shows the builds as they are now.`);
      polling.poke();
    } else {
      button.disabled = false;
      say(error, describeError(err));
    }
  }
}

// ---- start ---------------------------------------------------------------------------------

function refuseToStart(title, detail) {
  $('workspace-loading').hidden = true;
  $('definition-missing-title').textContent = title;
  $('definition-missing-detail').textContent = detail;
  $('definition-missing').hidden = false;
}

/** A message the wizard left (`&created=1` / `&saved=1`), then a clean address. */
function showArrival() {
  const d = state.definition;
  if (params.has('created')) say(status, `“${d.displayName}” was created; its first build has started.`);
  else if (params.has('saved')) say(status, `“${d.displayName}” was saved as version ${d.version}; it is being built.`);
  if (params.has('created') || params.has('saved')) {
    window.history.replaceState(null, '', `${window.location.pathname}?id=${encodeURIComponent(definitionId)}`);
  }
}

async function start() {
  if (!page) return;
  wireDialogs();
  for (const a of document.querySelectorAll('.back-to-list')) a.href = pageHref('definitions/');
  if (!definitionId) {
    refuseToStart('No definition chosen', 'Open a definition from the list to see it.');
    return;
  }
  $('definition-edit').href = pageHref(`definitions/edit/?id=${encodeURIComponent(definitionId)}`);
  $('definition-permissions').href = pageHref(`permissions/?resource=definition:${encodeURIComponent(definitionId)}`);
  try {
    const [{ data }, members, grants] = await Promise.all([
      apiResponse(definitionPath()),
      listAll(wsPath(page.slug, '/members')).catch(() => []),
      api(definitionPath('/grants')).catch(() => []),
    ]);
    state.definition = data;
    state.levels = levelsOf(Array.isArray(grants) ? grants : grants?.items, members);
    state.readsLogs = readsLogs(members);
    renderDefinition();
    page.show();
    showArrival();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      refuseToStart('Definition not found', 'It does not exist in this workspace, or you may not see it.');
    } else {
      $('workspace-loading').hidden = true;
      say($('workspace-failed-detail'), describeError(err));
      $('workspace-failed').hidden = false;
    }
    return;
  }
  polling.poke();
}

start();
