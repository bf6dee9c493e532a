// The caller's workspaces, and the form that creates one.

import { api, ApiError, describeError, newIdempotencyKey } from './api.js';
import { renderBadge } from './brand.js';
import { startFrame, workspaceHref } from './frame.js';
import { slugify } from './slug.js';

const $ = (id) => document.getElementById(id);
const frame = startFrame();

// ---- the list -------------------------------------------------------------

const list = $('workspace-list');
const listStatus = $('workspace-list-status');
const empty = $('workspace-empty');
const workspaces = new Map(); // slug → workspace

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function formatDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateFormat.format(d);
}

function entry(ws) {
  const li = document.createElement('li');
  li.className = 'workspace-item';
  li.dataset.slug = ws.slug;

  const link = document.createElement('a');
  link.className = 'workspace-link';
  link.href = workspaceHref(ws.slug);

  const badge = document.createElement('span');
  badge.className = 'logo';
  badge.setAttribute('aria-hidden', 'true');
  renderBadge(badge, ws.name, { size: 36, color: ws.primaryColor });

  const text = document.createElement('span');
  text.className = 'workspace-text';
  const name = document.createElement('span');
  name.className = 'workspace-name';
  name.textContent = ws.name;
  const path = document.createElement('span');
  path.className = 'workspace-path';
  path.textContent = `/${ws.slug}/`;
  text.append(name, path);

  const meta = document.createElement('span');
  meta.className = 'workspace-meta';
  if (ws.role) {
    const role = document.createElement('span');
    role.className = 'pill';
    role.textContent = ws.role;
    meta.append(role);
  }
  const created = formatDate(ws.createdAt);
  if (created) {
    const time = document.createElement('time');
    time.dateTime = ws.createdAt;
    time.textContent = `Created ${created}`;
    meta.append(time);
  }

  link.append(badge, text, meta);
  li.append(link);
  return li;
}

function byName(a, b) {
  return String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }) ||
    String(a.slug).localeCompare(String(b.slug));
}

function renderList() {
  const items = [...workspaces.values()].sort(byName);
  list.replaceChildren(...items.map(entry));
  empty.hidden = items.length > 0;
  list.hidden = items.length === 0;
}

async function loadAll() {
  const seen = new Set();
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '100' });
    if (cursor) query.set('cursor', cursor);
    const page = await api(`/workspaces?${query}`);
    for (const ws of page?.items ?? []) workspaces.set(ws.slug, ws);
    seen.add(cursor);
    cursor = page?.nextCursor || null;
  } while (cursor && !seen.has(cursor));
}

async function showList() {
  list.setAttribute('aria-busy', 'true');
  try {
    await loadAll();
    listStatus.hidden = true;
    renderList();
  } catch (err) {
    listStatus.textContent = `Your workspaces could not be loaded. ${describeError(err)}`;
    listStatus.classList.add('error');
  } finally {
    list.removeAttribute('aria-busy');
  }
}

// ---- the create form --------------------------------------------------------

const form = $('create-workspace');
const nameInput = $('workspace-name');
const slugInput = $('workspace-slug');
const submit = $('create-workspace-submit');
const formError = $('create-workspace-error');
const formStatus = $('create-workspace-status');
const fields = {
  name: { input: nameInput, error: $('workspace-name-error') },
  slug: { input: slugInput, error: $('workspace-slug-error') },
};

// The slug follows the name until it is edited by hand; emptying it hands it back.
let slugFollowsName = true;

function updateSlugFromName() {
  const derived = slugify(nameInput.value);
  slugInput.placeholder = derived;
  if (slugFollowsName) slugInput.value = derived;
}

nameInput.addEventListener('input', () => {
  clearFieldError('name');
  updateSlugFromName();
});

slugInput.addEventListener('input', () => {
  clearFieldError('slug');
  slugFollowsName = slugInput.value === '';
});

function setFieldError(field, message) {
  const f = fields[field];
  f.error.textContent = message;
  f.error.hidden = false;
  f.input.setAttribute('aria-invalid', 'true');
}

function clearFieldError(field) {
  const f = fields[field];
  f.error.hidden = true;
  f.error.textContent = '';
  f.input.removeAttribute('aria-invalid');
}

function setFormError(message) {
  formError.textContent = message;
  formError.hidden = false;
}

function clearMessages() {
  clearFieldError('name');
  clearFieldError('slug');
  formError.hidden = true;
  formError.textContent = '';
  formStatus.hidden = true;
  formStatus.textContent = '';
}

function fieldOf(name) {
  const last = String(name ?? '').split(/[.[\]/]/).filter(Boolean).pop();
  return last === 'name' || last === 'slug' ? last : null;
}

function showProblem(err) {
  const other = [];
  let shown = false;
  for (const { field, message } of err.fieldErrors) {
    const f = fieldOf(field);
    if (f) {
      setFieldError(f, message || 'This value is not valid.');
      shown = true;
    } else if (message) {
      other.push(field ? `${field}: ${message}` : message);
    }
  }
  if (err.status === 409 && !shown) {
    setFieldError('slug', err.problem.detail || 'This slug is already taken.');
    shown = true;
  }
  if (other.length) setFormError(other.join(' '));
  else if (!shown) setFormError(describeError(err));
  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (firstInvalid) firstInvalid.focus();
}

// A retry after a lost answer reuses the key, so the server sees one request.
let pending = null; // { body, key }

function idempotencyKeyFor(body) {
  const json = JSON.stringify(body);
  if (!pending || pending.json !== json) pending = { json, key: newIdempotencyKey() };
  return pending.key;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessages();
  const name = nameInput.value.trim();
  if (!name) {
    setFieldError('name', 'Enter a name for the workspace.');
    nameInput.focus();
    return;
  }
  const body = { name };
  const slug = slugInput.value.trim();
  if (slug) body.slug = slug;

  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const created = await api('/workspaces', {
      method: 'POST',
      body,
      headers: { 'Idempotency-Key': idempotencyKeyFor(body) },
    });
    pending = null;
    const ws = { ...created, role: created.role ?? 'owner' };
    workspaces.set(ws.slug, ws);
    listStatus.hidden = true;
    renderList();
    frame.addWorkspace(ws);
    form.reset();
    slugInput.placeholder = '';
    slugFollowsName = true;
    formStatus.textContent = `Workspace “${ws.name}” created.`;
    formStatus.hidden = false;
    nameInput.focus();
  } catch (err) {
    if (err instanceof ApiError) {
      pending = null;
      showProblem(err);
    } else {
      setFormError(describeError(err));
    }
  } finally {
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
});

showList();
