// One image build's log (/<slug>/definitions/log/?id=<definition id>&build=<build id>): the log as
// the API gives it, refreshed while the build is in progress.

import { api, apiResponse, apiText, ApiError, describeError } from './api.js';
import { $, say, startWorkspacePage, wsPath } from './wspage.js';
import { ended, inProgress, poller, statusBadge, statusLabel } from './builds.js';

const EVERY_MS = 5000;
const PAGE_SIZE = 50;
/** How close to the end (in pixels) still counts as reading the end of the log. */
const AT_END_SLACK = 8;

const params = new URLSearchParams(window.location.search);
const definitionId = params.get('id');
const buildId = params.get('build');

const page = await startWorkspacePage();
const pre = $('log-text');
const error = $('log-error');

const state = {
  definition: null,
  build: null,
  text: null, // the log shown, null before the first answer
  refused: false, // 403: the caller lacks logs.view
  gone: false, // 404: the definition or the build is no longer there
};

const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function pageHref(rest) {
  return `/${encodeURIComponent(page.slug)}/${rest}`;
}

function definitionPath(rest = '') {
  return wsPath(page.slug, `/definitions/${encodeURIComponent(definitionId)}${rest}`);
}

const logPath = () => definitionPath(`/builds/${encodeURIComponent(buildId)}/log`);

/**
 * The build, from the definition's builds (there is no route for one build): page by page, newest
 * first, until it shows or ids older than it do (ids sort by time). Null when it is not there.
 */
async function findBuild() {
  let cursor = null;
  const seen = new Set();
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    const data = await api(`${definitionPath('/builds')}?${query}`);
    const items = data?.items ?? [];
    const found = items.find((b) => b.id === buildId);
    if (found) return found;
    if (items.length && items[items.length - 1].id < buildId) return null;
    seen.add(cursor);
    cursor = data?.nextCursor || null;
  } while (cursor && !seen.has(cursor));
  return null;
}

// ---- what the page shows -------------------------------------------------------------------

function renderHeader() {
  const d = state.definition;
  const b = state.build;
  $('log-definition-name').textContent = d.displayName;
  $('log-build-id').textContent = b.id;
  $('log-build-version').textContent = `Version ${b.version}`;
  $('log-build-badge').replaceChildren(statusBadge(b.status));
  document.title = `Build log · ${d.displayName} · ${page.ws.name}`;
}

function renderUpdated() {
  const b = state.build;
  let text = '';
  if (state.refused || state.gone) text = '';
  else if (inProgress(b.status)) text = `Updated ${clockFormat.format(new Date())}; refreshed every ${EVERY_MS / 1000} seconds while the build is in progress.`;
  else if (state.text !== null) text = `The build has ended (${statusLabel(b.status)}); its log no longer changes.`;
  $('log-updated').textContent = text;
  $('log-updated').hidden = !text;
}

/** Whether the reader is at the end of the log (or it does not scroll): new lines then keep it there. */
function atEnd() {
  return pre.scrollHeight - pre.scrollTop - pre.clientHeight <= AT_END_SLACK;
}

function renderLog(text) {
  $('log-loading').hidden = true;
  const empty = !text.trim();
  $('log-empty').hidden = !empty;
  if (text === state.text) return;
  const first = state.text === null;
  const follow = first || pre.hidden || atEnd();
  const top = pre.scrollTop;
  state.text = text;
  pre.hidden = empty;
  pre.textContent = text;
  pre.dataset.lines = String(empty ? 0 : text.replace(/\n$/, '').split('\n').length);
  pre.scrollTop = follow ? pre.scrollHeight : top;
}

function refuse() {
  state.refused = true;
  $('log-loading').hidden = true;
  $('log-empty').hidden = true;
  pre.hidden = true;
  $('log-refused').hidden = false;
}

function notFound(title, detail) {
  state.gone = true;
  polling.stop();
  $('workspace-loading').hidden = true;
  $('page-body').hidden = true;
  $('log-missing-title').textContent = title;
  $('log-missing-detail').textContent = detail;
  $('log-missing').hidden = false;
}

const buildMissing = () => notFound('Build not found', 'This build does not exist, or you may not see its definition.');

// ---- loading -------------------------------------------------------------------------------

async function loadLog() {
  try {
    renderLog(await apiText(logPath()));
    say(error, '');
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) { refuse(); return; }
    if (err instanceof ApiError && err.status === 404) { buildMissing(); return; }
    $('log-loading').hidden = true;
    say(error, `The log could not be loaded: ${describeError(err)}`);
    throw err;
  } finally {
    renderUpdated();
  }
}

/**
 * One refresh: the build's status first, then the log, so the last log read is the whole of it;
 * the status is shown once its log is.
 */
async function refresh() {
  const wasLive = inProgress(state.build.status);
  let build;
  try {
    build = await findBuild();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) { buildMissing(); return; }
    say(error, `The build could not be refreshed: ${describeError(err)}`);
    throw err;
  }
  if (!build) { buildMissing(); return; }
  state.build = build;
  // The header follows the log: a status that ended never shows above a log that has not yet.
  try {
    await loadLog();
  } finally {
    if (!state.gone) renderHeader();
  }
  if (wasLive && ended(build.status) && !state.gone) {
    const node = $('log-status');
    node.className = `page-message ${{ available: 'success', failed: 'error notice-error' }[build.status] ?? 'notice-warning'}`;
    say(node, `The build ended: ${statusLabel(build.status)}.${build.failureReason ? ` ${build.failureReason}` : ''}`);
  }
}

const polling = poller(refresh, {
  everyMs: EVERY_MS,
  wanted: () => !state.refused && !state.gone && inProgress(state.build?.status),
});

// ---- start ---------------------------------------------------------------------------------

async function start() {
  if (!page) return;
  for (const a of document.querySelectorAll('.back-to-list')) a.href = pageHref('definitions/');
  for (const a of document.querySelectorAll('.back-to-definition')) {
    a.href = definitionId ? pageHref(`definitions/view/?id=${encodeURIComponent(definitionId)}`) : pageHref('definitions/');
  }
  if (!definitionId || !buildId) {
    notFound('No build chosen', 'Open a build’s log from its definition’s page.');
    return;
  }
  try {
    const [{ data }, build] = await Promise.all([apiResponse(definitionPath()), findBuild()]);
    if (!build) { buildMissing(); return; }
    state.definition = data;
    state.build = build;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      notFound('Definition not found', 'It does not exist in this workspace, or you may not see it.');
    } else {
      $('workspace-loading').hidden = true;
      say($('workspace-failed-detail'), describeError(err));
      $('workspace-failed').hidden = false;
    }
    return;
  }
  renderHeader();
  page.show();
  try { await loadLog(); } catch { /* said on the page; the next round tries again */ }
  polling.ensure();
}

start();
