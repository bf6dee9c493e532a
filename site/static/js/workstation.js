// One workstation (/<slug>/runtime/view/?id=<id>): its details and status history, live while it is
// on its way somewhere, the lifecycle buttons the caller may use, pinning, and its metrics drawn as SVG.

import { api, ApiError, describeError } from './api.js';
import { $, confirmDialog, el, formatTime, listAll, say, startWorkspacePage, wireDialogs, wsPath } from './wspage.js';
import { OS_LABELS, gpuText, poller } from './builds.js';
import {
  allowedRequests, connect, displayName, levelsOn, loadCaller, moving, pinButtonText, pins, recent, REQUEST_LABELS,
  sendRequest, statusBadge, statusLabel, wireConnectDialog, workstationPath,
} from './workstations.js';

const id = new URLSearchParams(window.location.search).get('id');
const page = await startWorkspacePage();
const message = $('workstation-message');
const error = $('workstation-error');
const SVG = 'http://www.w3.org/2000/svg';
const METRICS_WINDOW_MS = 60 * 60 * 1000;

const state = { names: new Map(), caller: null, w: null, levels: new Set(), busy: false, metricsGone: false, definition: null };

function listHref() {
  return `/${encodeURIComponent(page.slug)}/runtime/`;
}

function definitionHref(definitionId) {
  return `/${encodeURIComponent(page.slug)}/definitions/view/?${new URLSearchParams({ id: definitionId })}`;
}

/** A member's name (their display name or email) for a user id, the id itself when unknown. */
function who(userId) {
  return state.names.get(userId) || userId;
}

/** A reason with the user ids in it written as names. */
function named(text) {
  let out = String(text);
  for (const [id, name] of state.names) out = out.split(id).join(name);
  return out;
}

function missing() {
  for (const part of ['page-body', 'workstation-missing']) $(part).hidden = part !== 'workstation-missing';
}

async function load() {
  const w = await api(workstationPath(page.slug, id));
  state.w = w;
  render();
  loadMetrics();
}

function render() {
  const w = state.w;
  document.title = `${displayName(w)} · ${page.ws.name}`;
  $('workstation-name').textContent = displayName(w);
  $('workstation-status').replaceChildren(statusBadge(w));
  const def = el('a', { text: state.definition?.displayName || w.definitionId, attrs: { href: definitionHref(w.definitionId) } });
  $('detail-definition').replaceChildren(...[def, el('span', { text: ` · version ${w.definitionVersion}` }),
    w.updateAvailable ? el('span', { className: 'pill pill-current', text: 'Update available' }) : null].filter(Boolean));
  $('detail-ami').replaceChildren(el('code', { text: w.amiId || '—' }));
  $('detail-instance-type').replaceChildren(el('code', { text: w.instanceType }));
  $('detail-os').textContent = OS_LABELS[w.os] || w.os;
  $('detail-gpu').textContent = gpuText(w.gpu);
  $('detail-launched').textContent = `${formatTime(w.createdAt)} by ${w.launchedBy === state.caller.me.id ? 'you' : who(w.launchedBy)}`;
  $('detail-updated').textContent = formatTime(w.updatedAt);
  $('detail-instance').textContent = w.instanceId || '—';
  say($('detail-failure'), w.status === 'failed' ? `Failed: ${w.failureReason || 'no reason given'}` : '');
  $('history').replaceChildren(...[...(w.statusHistory ?? [])].reverse().map((h) => el('li', { className: 'history-item', dataset: { status: h.status } },
    el('span', { className: 'history-status', text: statusLabel(h.status) }),
    el('time', { className: 'muted', text: formatTime(h.at), attrs: { datetime: h.at } }),
    h.reason ? el('span', { className: 'history-reason', text: named(h.reason) }) : null)));
  renderActions();
}

function renderActions() {
  const w = state.w;
  const allowed = allowedRequests(w, state.caller, state.levels);
  const row = $('workstation-actions');
  const buttons = [];
  for (const what of ['start', 'stop', 'restart', 'update', 'connect', 'keepAlive', 'terminate']) {
    if (!allowed[what]) continue;
    const b = el('button', {
      className: `button ${what === 'terminate' ? 'button-danger-quiet' : what === 'connect' ? 'button-primary' : 'button-quiet'}`,
      text: REQUEST_LABELS[what], attrs: { type: 'button', disabled: state.busy }, dataset: { action: what },
    });
    b.addEventListener('click', () => act(what));
    buttons.push(b);
  }
  const pinned = pins.has(page.slug, w.id);
  const pin = el('button', { className: 'button button-quiet', text: pinButtonText(pinned), attrs: { type: 'button', 'aria-pressed': String(pinned) }, dataset: { pin: w.id } });
  pin.addEventListener('click', () => { pins.toggle(page.slug, w.id); renderActions(); });
  buttons.push(pin);
  row.replaceChildren(...buttons);
}

const live = poller(load, { everyMs: 3000, wanted: () => !!state.w && moving(state.w) });

async function act(what) {
  say(error, '');
  say(message, '');
  const w = state.w;
  if (what === 'connect') { await connect(page.slug, w, error); return; }
  if (what === 'terminate') {
    const ok = await confirmDialog({
      title: `Terminate ${displayName(w)}?`,
      message: 'The instance and its disks are deleted. This cannot be undone.',
      confirmLabel: 'Terminate',
    });
    if (!ok) return;
  }
  state.busy = true;
  renderActions();
  try {
    await sendRequest(page.slug, w, what);
    say(message, what === 'keepAlive' ? `${displayName(w)} is kept alive.` : `${REQUEST_LABELS[what]} requested.`);
  } catch (err) {
    if (err instanceof ApiError && what === 'keepAlive' && (err.status === 404 || err.status === 405)) {
      say(error, 'Keeping a workstation alive is not available here.');
    } else {
      say(error, describeError(err));
    }
  } finally {
    state.busy = false;
  }
  live.poke();
}

// ---- metrics -------------------------------------------------------------------------------

let metricsLoadedAt = 0;

async function loadMetrics() {
  if (state.metricsGone || Date.now() - metricsLoadedAt < 30000) return;
  metricsLoadedAt = Date.now();
  const since = new Date(Date.now() - METRICS_WINDOW_MS).toISOString();
  let data;
  try {
    data = await api(`${workstationPath(page.slug, id, '/metrics')}?${new URLSearchParams({ since })}`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 403)) state.metricsGone = true;
    $('metrics').hidden = true;
    return;
  }
  const series = (data?.series ?? []).filter((s) => Array.isArray(s.points) && s.points.length > 0);
  $('metrics').hidden = series.length === 0;
  $('metrics-charts').replaceChildren(...series.map(chart));
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

const METRIC_LABELS = { cpu: 'CPU', memory: 'Memory', gpu: 'GPU', gpuMemory: 'GPU memory' };

/** One series as a line chart: inline SVG made with DOM calls (no markup strings, nothing styled inline). */
function chart(series) {
  const W = 320; const H = 120; const PAD = 24;
  const points = series.points.map(([at, v]) => [Date.parse(at), Number(v)]).filter(([t, v]) => !Number.isNaN(t) && Number.isFinite(v));
  const t0 = Math.min(...points.map((p) => p[0])); const t1 = Math.max(...points.map((p) => p[0]));
  const top = series.unit === 'percent' || series.unit === '%' ? 100 : Math.max(1, ...points.map((p) => p[1]));
  const x = (t) => PAD + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - 2 * PAD));
  const y = (v) => H - PAD - (Math.max(0, v) / top) * (H - 2 * PAD);
  const label = METRIC_LABELS[series.name] || series.name;
  const last = points[points.length - 1];
  const unit = series.unit === 'percent' ? '%' : ` ${series.unit ?? ''}`;
  const title = `${label}: ${last ? `${Math.round(last[1] * 10) / 10}${unit}` : 'no data'}`;
  const figure = el('figure', { className: 'chart', dataset: { metric: series.name } });
  const drawing = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart-svg' });
  drawing.append(
    svg('line', { x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD, class: 'chart-axis' }),
    svg('line', { x1: PAD, y1: PAD, x2: PAD, y2: H - PAD, class: 'chart-axis' }));
  const topLabel = svg('text', { x: PAD - 4, y: PAD + 4, class: 'chart-label', 'text-anchor': 'end' });
  topLabel.textContent = String(top);
  drawing.append(topLabel);
  if (points.length) {
    drawing.append(svg('polyline', { points: points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '), class: 'chart-line' }));
  }
  figure.append(drawing, el('figcaption', { text: title }));
  return figure;
}

if (page) {
  for (const a of document.querySelectorAll('.back-to-list')) a.setAttribute('href', listHref());
  wireDialogs();
  wireConnectDialog();
  if (!id) {
    missing();
  } else {
    try {
      state.caller = await loadCaller(page.slug, page.me);
      const w = await api(workstationPath(page.slug, id));
      state.w = w;
      state.levels = await levelsOn(page.slug, state.caller, w);
      try { state.definition = await api(wsPath(page.slug, `/definitions/${encodeURIComponent(w.definitionId)}`)); } catch { state.definition = null; }
      try {
        for (const m of await listAll(wsPath(page.slug, '/members'))) state.names.set(m.userId, m.displayName || m.email || m.userId);
      } catch { /* ids are shown instead */ }
      recent.opened(page.slug, id);
      page.show();
      render();
      loadMetrics();
      live.ensure();
      // the chart follows the workstation every minute, also while nothing else changes
      setInterval(() => { if (!document.hidden) loadMetrics(); }, 60000);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) missing();
      else { page.show(); say(error, describeError(err)); }
    }
  }
}
