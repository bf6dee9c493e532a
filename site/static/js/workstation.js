// One workstation (/<slug>/runtime/view/?id=<id>): its details and status history, live while it is
// on its way somewhere, the lifecycle buttons the caller may use, pinning, and its metrics drawn as SVG.

import { api, ApiError, describeError } from './api.js';
import { $, confirmDialog, el, formatTime, listAll, say, startWorkspacePage, wireDialogs, wsPath } from './wspage.js';
import { OS_LABELS, gpuText, poller } from './builds.js';
import {
  allowedRequests, connect, displayName, followed, levelsOn, loadCaller, moving, pinButtonText, pins, recent, REQUEST_LABELS,
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
  $('detail-auto-stop').replaceChildren(...autoStopText(w.autoStop));
  say($('detail-failure'), w.status === 'failed' ? `Failed: ${w.failureReason || 'no reason given'}` : '');
  $('history').replaceChildren(...[...(w.statusHistory ?? [])].reverse().map((h) => el('li', { className: 'history-item', dataset: { status: h.status } },
    el('span', { className: 'history-status', text: statusLabel(h.status) }),
    el('time', { className: 'muted', text: formatTime(h.at), attrs: { datetime: h.at } }),
    h.reason ? el('span', { className: 'history-reason', text: named(h.reason) }) : null)));
  renderActions();
}

const DAY_LABELS = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** The auto-stop in effect: after how many idle minutes, at the end of which working hours, and the next stop. */
function autoStopText(a) {
  if (!a || (a.idleMinutes == null && !a.schedule)) return ['Never (no auto-stop)'];
  const parts = [];
  if (a.idleMinutes != null) parts.push(`after ${a.idleMinutes} idle minutes`);
  if (a.schedule) {
    const days = (a.schedule.days ?? []).map((d) => DAY_LABELS[d] || d).join(', ');
    parts.push(`at ${a.schedule.stopAt} ${a.schedule.timezone} (${days})`);
  }
  const out = [el('span', { text: `Stops ${parts.join(', or ')}` })];
  if (a.deadline) {
    out.push(el('br'), el('span', { className: 'muted', text: 'Next stop: ' }),
      el('time', { text: formatTime(a.deadline), attrs: { datetime: a.deadline, id: 'auto-stop-deadline' } }));
  }
  return out;
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

const live = poller(load, { everyMs: 3000, wanted: () => !!state.w && (moving(state.w) || followed.awaiting(state.w)) });

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
    const answer = await sendRequest(page.slug, w, what);
    if (what === 'keepAlive') {
      keptAlive(answer);
    } else {
      say(message, `${REQUEST_LABELS[what]} requested.`);
    }
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

/** After a keep-alive: the workstation as the API answered it, and the message with its new deadline. */
function keptAlive(answer) {
  if (answer && answer.id === state.w.id) {
    state.w = { ...state.w, autoStop: answer.autoStop ?? state.w.autoStop };
    render();
  }
  const at = new Date().toISOString();
  const deadline = state.w.autoStop?.deadline;
  message.replaceChildren(`${displayName(state.w)} is kept alive (at `,
    el('time', { text: formatTime(at), attrs: { datetime: at } }), ')',
    ...(deadline ? ['; if nobody uses it, it stops at ', el('time', { text: formatTime(deadline), attrs: { datetime: deadline, id: 'kept-alive-deadline' } })] : []),
    '.');
  message.hidden = false;
}

// ---- metrics -------------------------------------------------------------------------------

let metricsLoadedAt = 0;

async function loadMetrics() {
  if (state.metricsGone || Date.now() - metricsLoadedAt < 30000) return;
  metricsLoadedAt = Date.now();
  const to = Date.now();
  const from = to - METRICS_WINDOW_MS;
  let data;
  try {
    data = await api(`${workstationPath(page.slug, id, '/metrics')}?${new URLSearchParams({ since: new Date(from).toISOString() })}`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 403)) {
      state.metricsGone = true;
      $('metrics').hidden = true;
      return;
    }
    metricsEmpty(`The metrics could not be loaded: ${describeError(err)}`);
    return;
  }
  const series = (data?.series ?? []).filter((s) => Array.isArray(s.points) && s.points.length > 0);
  $('metrics').hidden = false;
  if (series.length === 0) {
    metricsEmpty(state.w?.status === 'running'
      ? 'No metrics in the last hour yet. A running workstation publishes its CPU and memory use every minute; they show here a few minutes after it starts.'
      : `No metrics in the last hour: a workstation publishes its CPU and memory use only while it runs, and this one is ${statusLabel(state.w?.status).toLowerCase()}.`);
    return;
  }
  say($('metrics-empty'), '');
  $('metrics-charts').replaceChildren(...series.map((s) => chart(s, from, to)));
}

function metricsEmpty(text) {
  $('metrics').hidden = false;
  $('metrics-charts').replaceChildren();
  say($('metrics-empty'), text);
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

const METRIC_LABELS = { cpu: 'CPU', memory: 'Memory', gpu: 'GPU', gpuMemory: 'GPU memory' };
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function isPercent(unit) {
  return ['percent', '%'].includes(String(unit ?? '').toLowerCase());
}

function formatValue(v, unit) {
  const n = Math.round(v * 10) / 10;
  return isPercent(unit) ? `${n}%` : `${n}${unit && unit !== 'None' ? ` ${unit}` : ''}`;
}

/**
 * One series as a line chart over the window [from, to]: inline SVG made with DOM calls (no
 * markup strings, nothing styled inline), the value axis labelled at 0, half and top, the time
 * axis at both ends, a dot on each reading.
 */
function chart(series, from, to) {
  const W = 360; const H = 150; const LEFT = 40; const RIGHT = 12; const TOP = 10; const BOTTOM = 24;
  const points = series.points.map(([at, v]) => [Date.parse(at), Number(v)]).filter(([t, v]) => !Number.isNaN(t) && Number.isFinite(v));
  const t0 = Math.min(from, ...points.map((p) => p[0])); const t1 = Math.max(to, ...points.map((p) => p[0]));
  const top = isPercent(series.unit) ? 100 : Math.max(1, ...points.map((p) => p[1]));
  const x = (t) => LEFT + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - LEFT - RIGHT));
  const y = (v) => H - BOTTOM - (Math.min(top, Math.max(0, v)) / top) * (H - TOP - BOTTOM);
  const label = METRIC_LABELS[series.name] || series.name;
  const last = points[points.length - 1];
  const title = `${label}: ${last ? formatValue(last[1], series.unit) : 'no data'}`;
  const figure = el('figure', { className: 'chart', dataset: { metric: series.name } });
  const drawing = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}, last hour`, class: 'chart-svg' });
  for (const v of [0, top / 2, top]) {
    drawing.append(
      svg('line', { x1: LEFT, y1: y(v), x2: W - RIGHT, y2: y(v), class: v === 0 ? 'chart-axis' : 'chart-grid' }),
      svg('text', { x: LEFT - 5, y: y(v) + 3, class: 'chart-label chart-value-label', 'text-anchor': 'end' }, formatValue(v, series.unit)));
  }
  drawing.append(svg('line', { x1: LEFT, y1: TOP, x2: LEFT, y2: H - BOTTOM, class: 'chart-axis' }));
  drawing.append(
    svg('text', { x: LEFT, y: H - 6, class: 'chart-label chart-time-label', 'text-anchor': 'start' }, clock.format(new Date(t0))),
    svg('text', { x: W - RIGHT, y: H - 6, class: 'chart-label chart-time-label', 'text-anchor': 'end' }, clock.format(new Date(t1))));
  if (points.length > 1) {
    drawing.append(svg('polyline', { points: points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '), class: 'chart-line' }));
  }
  for (const [t, v] of points) {
    const dot = svg('circle', { cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.5, class: 'chart-point' });
    dot.append(svg('title', {}, `${clock.format(new Date(t))}: ${formatValue(v, series.unit)}`));
    drawing.append(dot);
  }
  figure.append(el('figcaption', { className: 'chart-title', text: title }), drawing);
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
      // the page and its chart follow the workstation every minute, also while nothing seems to change
      // (an auto-stop, or a request made elsewhere)
      setInterval(() => { if (!document.hidden) live.poke(); }, 60000);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) missing();
      else { page.show(); say(error, describeError(err)); }
    }
  }
}
