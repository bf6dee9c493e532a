// What the pages inside a workspace (/<slug>/<page>/) share: the slug, the workspace
// and its loading states, the caller's membership, lists, dialogs and small DOM helpers.

import { api, apiResponse, ApiError, describeError } from './api.js';
import { startFrame } from './frame.js';

export const $ = (id) => document.getElementById(id);

/** The member actions (API.md, "The access model"), with a label and what each allows. */
export const ACTIONS = [
  { name: 'workstations.view', label: 'View workstations', description: 'See running workstations and their details.' },
  { name: 'workstations.restart', label: 'Start and restart workstations', description: 'Start or restart workstations they may operate.' },
  { name: 'workstations.stop', label: 'Stop workstations', description: 'Stop workstations they may operate.' },
  { name: 'workstations.connect', label: 'Connect to workstations', description: 'Connect as a user to workstations they have access to.' },
  { name: 'workstations.delete', label: 'Delete workstations', description: 'Delete running workstations they may operate.' },
  { name: 'images.manage', label: 'Manage images', description: 'Create, restore and delete machine images they may write.' },
  { name: 'logs.view', label: 'View logs', description: 'Read build and workstation logs of resources they can see.' },
  { name: 'ide.open', label: 'Open the web IDE', description: 'Open the web IDE on workstations they can see.' },
  { name: 'settings.manage', label: 'Manage workspace settings', description: 'Change the name, colour, logo and AI provider settings.' },
  { name: 'members.manage', label: 'Manage members', description: 'Invite and remove members, set their actions, edit groups.' },
];

export const LEVELS = ['read', 'write', 'operate', 'access', 'promote'];

export const PRESETS = {
  full: ['read', 'write', 'operate', 'access', 'promote'],
  editor: ['read', 'write', 'operate', 'access'],
  viewer: ['read'],
};

/** The workspace slug is the first segment of the address: /<slug>/... */
export function slugFromPath(pathname) {
  const first = pathname.split('/').filter(Boolean)[0];
  if (!first || first === 'w') return null; // the page's own folder, opened directly
  try { return decodeURIComponent(first); } catch { return null; }
}

/** `/api/v1/workspaces/<slug><rest>` without the API root, for `api()`. */
export function wsPath(slug, rest = '') {
  return `/workspaces/${encodeURIComponent(slug)}${rest}`;
}

/** Creates an element; `text` goes in as textContent, never as HTML. */
export function el(tag, { className, text, attrs, dataset } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  if (dataset) for (const [k, v] of Object.entries(dataset)) node.dataset[k] = String(v);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function chip(text, extraClass = '') {
  return el('span', { className: `chip ${extraClass}`.trim(), text });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? '') : timeFormat.format(d);
}

/** Every item of a paged list (`{items, nextCursor}`). */
export async function listAll(path) {
  const items = [];
  const seen = new Set();
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const page = await api(`${path}?${query}`);
    items.push(...(page?.items ?? []));
    seen.add(cursor);
    cursor = page?.nextCursor || null;
  } while (cursor && !seen.has(cursor));
  return items;
}

/** Shows a message in a status or error element (hidden when empty). */
export function say(node, message) {
  if (!node) return;
  node.textContent = message || '';
  node.hidden = !message;
}

function showState(id) {
  for (const part of ['workspace-loading', 'workspace-missing', 'workspace-failed', 'page-body']) {
    const node = $(part);
    if (node) node.hidden = part !== id;
  }
}

/**
 * Starts a workspace page: the frame, the workspace (404 → "not found"), the caller's
 * profile. Resolves with `{slug, ws, etag, me, frame}`, or null when the page cannot show.
 */
export async function startWorkspacePage() {
  const slug = slugFromPath(window.location.pathname);
  const frame = startFrame({ workspaceSlug: slug });
  if (!slug) {
    frame.hideWorkspaceNav();
    showState('workspace-missing');
    return null;
  }
  try {
    const [{ data: ws, etag }, me] = await Promise.all([apiResponse(wsPath(slug)), frame.me]);
    frame.setWorkspace(ws);
    return { slug, ws, etag, me, frame, show: () => showState('page-body') };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      frame.hideWorkspaceNav();
      showState('workspace-missing');
    } else {
      say($('workspace-failed-detail'), describeError(err));
      showState('workspace-failed');
    }
    return null;
  }
}

/** The caller's rights as the members list tells them. */
export function callerRights(members, meId) {
  const self = members.find((m) => m.userId === meId) || null;
  const isOwner = self?.role === 'owner';
  const actions = new Set(self?.actions ?? []);
  return { self, isOwner, canManage: isOwner || actions.has('members.manage') };
}

/** Asks a yes/no question in the page's confirm dialog; resolves true when confirmed. */
export function confirmDialog({ title, message, confirmLabel = 'Confirm' }) {
  const dialog = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-message').textContent = message;
  const ok = $('confirm-ok');
  ok.textContent = confirmLabel;
  return new Promise((resolve) => {
    const done = () => {
      dialog.removeEventListener('close', done);
      resolve(dialog.returnValue === 'confirm');
    };
    dialog.returnValue = '';
    dialog.addEventListener('close', done);
    dialog.showModal();
    $('confirm-cancel').focus();
  });
}

/** Wires the standard close buttons (`[data-close]`) of every dialog on the page. */
export function wireDialogs() {
  for (const button of document.querySelectorAll('dialog [data-close]')) {
    button.addEventListener('click', () => button.closest('dialog').close(button.dataset.close || ''));
  }
}

/** The last part of a field name: `[2].principal` → `principal`, `userIds[1]` → `userIds`. */
export function fieldName(field) {
  return String(field ?? '').split(/[.[\]/]/).filter((p) => p && !/^\d+$/.test(p)).pop() || '';
}

/** The index in a field name such as `[2].principal` or `userIds[2]`, or -1. */
export function fieldIndex(field) {
  const m = /\[(\d+)\]/.exec(String(field ?? ''));
  return m ? Number(m[1]) : -1;
}
