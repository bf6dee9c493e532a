// What the runtime pages share: workstation statuses, what the caller may do with a workstation
// (from GET /me, their member record and the workstation's grants), the lifecycle requests,
// the connect dialog, and the pinned and recently opened workstations kept in this browser.

import { api, ApiError, describeError, newIdempotencyKey } from './api.js';
import { $, el, listAll, PRESETS, say, wsPath } from './wspage.js';

export const STATUS_LABELS = {
  pending: 'Pending',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  terminating: 'Terminating',
  terminated: 'Terminated',
  failed: 'Failed',
};

const TRANSITIONAL = new Set(['pending', 'stopping', 'terminating']);

export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status ?? '');
}

/** Whether the workstation is on its way somewhere: a status EC2 leaves soon, or a request under way. */
export function moving(w) {
  return TRANSITIONAL.has(w.status) || !!w.operation;
}

/** The status each request ends in, once EC2 has done it all. */
const SETTLES_AS = { start: 'running', restart: 'running', update: 'running', stop: 'stopped', terminate: 'terminated' };
const FOLLOW_MS = 5 * 60 * 1000;
const awaited = new Map();

/**
 * The workstations a request was made for in this page, followed until they show the status the
 * request ends in (or a few minutes have passed): EC2's events are not ordered, so a workstation
 * may look settled on its way (a restart's late "stopped" after its start).
 */
export const followed = {
  expect(w, what) {
    if (SETTLES_AS[what]) awaited.set(w.id, { status: SETTLES_AS[what], until: Date.now() + FOLLOW_MS });
  },
  /** Whether the page should still follow the workstation for a request made here. */
  awaiting(w) {
    const a = awaited.get(w.id);
    if (!a) return false;
    if ((w.status === a.status && !w.operation) || w.status === 'failed' || w.status === 'terminated' || Date.now() > a.until) {
      awaited.delete(w.id);
      return false;
    }
    return true;
  },
};

/** A status badge: the word is always there, the colour only repeats it. */
export function statusBadge(w) {
  const kind = TRANSITIONAL.has(w.status) ? 'progress'
    : w.status === 'running' ? 'available' : w.status === 'failed' ? 'failed' : 'cancelled';
  const badge = el('span', { className: `badge badge-${kind}`, text: statusLabel(w.status), dataset: { status: w.status } });
  if (!w.operation) return badge;
  return el('span', { className: 'status-cell' }, badge,
    el('span', { className: 'muted operation', text: `${w.operation.name} requested`, dataset: { operation: w.operation.name } }));
}

/** The caller: `{me, owner, actions, principals}` from GET /me and their member record. */
export async function loadCaller(slug, me) {
  let self = null;
  try {
    self = await api(wsPath(slug, `/members/${encodeURIComponent(me.id)}`));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 401) throw err;
    try {
      self = (await listAll(wsPath(slug, '/members'))).find((m) => m.userId === me.id) || null;
    } catch { self = null; }
  }
  const owner = self?.role === 'owner';
  return {
    me,
    owner,
    actions: new Set(self?.actions ?? []),
    principals: new Set([`user:${me.id}`, ...(self?.groups ?? []).map((g) => `group:${g}`)]),
  };
}

const grantsCache = new Map();

/** The levels the caller holds on the workstation: owners and its launcher all, others from its grants. */
export async function levelsOn(slug, caller, w) {
  if (caller.owner || w.launchedBy === caller.me.id) return new Set(PRESETS.full);
  if (!grantsCache.has(w.id)) {
    grantsCache.set(w.id, api(wsPath(slug, `/workstations/${encodeURIComponent(w.id)}/grants`)).catch(() => []));
  }
  const levels = new Set();
  for (const g of (await grantsCache.get(w.id)) ?? []) {
    if (caller.principals.has(g.principal)) for (const l of g.levels ?? []) levels.add(l);
  }
  return levels;
}

/** What may be asked of the workstation now: its status allows it, and the caller holds the level and the action. */
export function allowedRequests(w, caller, levels) {
  const acts = (a) => caller.owner || caller.actions.has(a);
  const operate = levels.has('operate');
  const op = w.operation?.name ?? null;
  const gone = w.status === 'terminated' || w.status === 'failed' || w.status === 'terminating' || op === 'terminate';
  const free = !gone && !op;
  return {
    start: free && w.status === 'stopped' && operate && acts('workstations.restart'),
    stop: free && w.status === 'running' && operate && acts('workstations.stop'),
    restart: free && (w.status === 'running' || w.status === 'stopped') && operate && acts('workstations.restart'),
    update: free && !!w.updateAvailable && (w.status === 'running' || w.status === 'stopped') && operate,
    terminate: !gone && operate && acts('workstations.delete'),
    connect: !gone && w.status === 'running' && levels.has('access') && acts('workstations.connect'),
    keepAlive: !gone && w.status === 'running' && levels.has('access') && w.autoStop?.idleMinutes != null,
  };
}

export const REQUEST_LABELS = {
  start: 'Start', stop: 'Stop', restart: 'Restart', update: 'Update', terminate: 'Terminate', connect: 'Connect', keepAlive: 'Keep alive',
};

export function workstationPath(slug, id, rest = '') {
  return wsPath(slug, `/workstations/${encodeURIComponent(id)}${rest}`);
}

/** Sends a lifecycle request; resolves with the workstation as the API answers it. */
export async function sendRequest(slug, w, what) {
  let answer;
  if (what === 'terminate') {
    answer = await api(workstationPath(slug, w.id), { method: 'DELETE' });
  } else if (what === 'keepAlive') {
    answer = await api(workstationPath(slug, w.id, '/keep-alive'), { method: 'POST', headers: { 'Idempotency-Key': newIdempotencyKey() } });
  } else {
    answer = await api(workstationPath(slug, w.id, `/${what}`), { method: 'POST' });
  }
  followed.expect(w, what);
  return answer;
}

/** The name shown for a workstation. */
export function displayName(w) {
  return w.name || w.id;
}

let fileUrl = null;
let expiryTimer = null;

const PROTOCOLS = {
  dcv: 'Amazon DCV desktop, through a Session Manager tunnel from this computer.',
  rdp: 'Windows Remote Desktop, through a Session Manager tunnel from this computer.',
  ssh: 'SSH, through a Session Manager tunnel from this computer.',
};

/**
 * Asks for a connection and shows it: the command that opens the tunnel (with a copy button),
 * then the URL to open (DCV) or the .rdp file (RDP), and until when the command may be run.
 */
export async function connect(slug, w, errorNode) {
  let answer;
  try {
    answer = await api(workstationPath(slug, w.id, '/connect'), { method: 'POST' });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
      say(errorNode, 'Connecting is not available here.');
    } else {
      say(errorNode, describeError(err));
    }
    return false;
  }
  const protocol = String(answer?.protocol ?? '');
  $('connect-title').textContent = `Connect to ${displayName(w)}`;
  $('connect-summary').textContent = PROTOCOLS[protocol] || `${protocol.toUpperCase()}, through a Session Manager tunnel.`;
  $('connect-dialog').dataset.protocol = protocol;
  $('connect-command-row').hidden = !answer?.command;
  $('connect-command').value = answer?.command || '';
  say($('connect-copied'), '');
  const url = safeUrl(answer?.url);
  $('connect-link-row').hidden = !url;
  if (url) {
    $('connect-link').setAttribute('href', url);
    $('connect-link').textContent = answer.url;
  }
  if (fileUrl) { URL.revokeObjectURL(fileUrl); fileUrl = null; }
  $('connect-file-row').hidden = !answer?.file;
  if (answer?.file) {
    const name = `${(w.name || 'workstation').replace(/[^A-Za-z0-9._-]+/g, '-')}.rdp`;
    fileUrl = URL.createObjectURL(new Blob([answer.file], { type: 'application/x-rdp' }));
    $('connect-file').setAttribute('href', fileUrl);
    $('connect-file').setAttribute('download', name);
    $('connect-file').textContent = name;
    $('connect-file-address').textContent = /full address:s:([^\r\n]+)/.exec(answer.file)?.[1] ?? '';
  }
  showExpiry(answer?.expiresAt);
  $('connect-dialog').showModal();
  return true;
}

/** Until when the command may be run, and, once that has passed, that Connect must be pressed again. */
function showExpiry(expiresAt) {
  clearTimeout(expiryTimer);
  const node = $('connect-expires');
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) { node.replaceChildren(); return; }
  const time = el('time', { text: new Date(at).toLocaleTimeString(), attrs: { datetime: expiresAt } });
  const expired = () => {
    node.dataset.expired = 'true';
    node.replaceChildren('The command expired at ', time, '. Close this and press Connect again for a new one.');
  };
  delete node.dataset.expired;
  if (at <= Date.now()) { expired(); return; }
  node.replaceChildren('Run the command before ', time,
    ' (it is valid for a minute); once the tunnel is up, it stays open as long as the command runs.');
  expiryTimer = setTimeout(expired, at - Date.now());
}

export function wireConnectDialog() {
  $('connect-copy').addEventListener('click', async () => {
    const input = $('connect-command');
    try {
      await navigator.clipboard.writeText(input.value);
      say($('connect-copied'), 'Copied to the clipboard.');
    } catch {
      input.focus();
      input.select();
      say($('connect-copied'), 'Selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  });
  $('connect-dialog').addEventListener('close', () => { say($('connect-copied'), ''); clearTimeout(expiryTimer); });
}

function safeUrl(url) {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch { return null; }
}

// ---- pinned and recent, per workspace, in this browser ------------------------------------

const RECENT_MAX = 5;

function storeKey(slug, kind) {
  return `atelier.runtime.${kind}.${slug}`;
}

function readList(slug, kind) {
  try {
    const v = JSON.parse(window.localStorage.getItem(storeKey(slug, kind)) || '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
  } catch { return []; }
}

function writeList(slug, kind, list) {
  try { window.localStorage.setItem(storeKey(slug, kind), JSON.stringify(list)); } catch { /* storage blocked */ }
}

export const pins = {
  list: (slug) => readList(slug, 'pinned'),
  has: (slug, id) => readList(slug, 'pinned').includes(id),
  toggle(slug, id) {
    const list = readList(slug, 'pinned');
    const next = list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
    writeList(slug, 'pinned', next);
    return next.includes(id);
  },
};

export const recent = {
  list: (slug) => readList(slug, 'recent'),
  opened(slug, id) {
    writeList(slug, 'recent', [id, ...readList(slug, 'recent').filter((x) => x !== id)].slice(0, RECENT_MAX));
  },
};

/** The pin button's words for the state it is in. */
export function pinButtonText(pinned) {
  return pinned ? 'Unpin' : 'Pin';
}
