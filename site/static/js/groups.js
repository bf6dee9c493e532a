// The groups of a workspace (/<slug>/groups/): list, create, edit members, delete.

import { api, apiResponse, ApiError, describeError, newIdempotencyKey } from './api.js';
import {
  $, callerRights, confirmDialog, el, fieldIndex, fieldName, listAll, say,
  startWorkspacePage, wireDialogs, wsPath,
} from './wspage.js';

const page = await startWorkspacePage();

const state = {
  groups: [],
  members: [],
  emails: new Map(), // userId → email
  canManage: false,
  editing: null,
};

const rowsBody = $('groups-rows');
const pageStatus = $('groups-status');
const pageError = $('groups-error');

function flash(message) { say(pageError, ''); say(pageStatus, message); }
function fail(message) { say(pageStatus, ''); say(pageError, message); }

// ---- the list ------------------------------------------------------------------

function groupRow(g) {
  const members = el('td', { className: 'cell-chips' });
  const ids = g.userIds ?? [];
  if (ids.length) {
    members.append(el('ul', { className: 'chips', attrs: { 'aria-label': `Members of ${g.name}` } },
      ...ids.map((id) => el('li', { className: 'chip chip-group', text: state.emails.get(id) || 'former member', dataset: { userId: id } }))));
  } else {
    members.append(el('span', { className: 'muted', text: 'No members' }));
  }
  const manage = el('td', { className: 'cell-buttons' });
  if (state.canManage) {
    const edit = el('button', {
      className: 'button button-quiet', text: 'Edit members',
      attrs: { type: 'button', 'aria-label': `Edit members of ${g.name}`, 'aria-haspopup': 'dialog' },
      dataset: { edit: g.id },
    });
    edit.addEventListener('click', () => openGroup(g.id));
    const remove = el('button', {
      className: 'button button-danger-quiet', text: 'Delete',
      attrs: { type: 'button', 'aria-label': `Delete ${g.name}` },
      dataset: { delete: g.id },
    });
    remove.addEventListener('click', () => deleteGroup(g.id));
    manage.append(edit, remove);
  }
  return el('tr', { dataset: { groupId: g.id } },
    el('td', {}, el('span', { className: 'member-email', text: g.name })), members, manage);
}

function render() {
  const sorted = [...state.groups].sort((a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }));
  rowsBody.replaceChildren(...sorted.map(groupRow));
  $('groups-table').hidden = sorted.length === 0;
  $('groups-empty').hidden = sorted.length > 0;
  $('groups-empty-hint').textContent = state.canManage
    ? 'Create one with the form; then choose its members.'
    : 'The workspace owner and members who manage members can create groups.';
  $('create-group-panel').hidden = !state.canManage;
}

function replaceGroup(updated) {
  state.groups = state.groups.map((g) => (g.id === updated.id ? updated : g));
  render();
}

function lostManage() {
  state.canManage = false;
  render();
}

// ---- create ----------------------------------------------------------------------

const form = $('create-group');
const nameInput = $('group-name');
const nameError = $('group-name-error');
const formError = $('create-group-error');
const submit = $('create-group-submit');

function nameProblem(message) {
  say(nameError, message);
  nameInput.setAttribute('aria-invalid', 'true');
  nameInput.focus();
}

nameInput.addEventListener('input', () => { say(nameError, ''); nameInput.removeAttribute('aria-invalid'); });

let pending = null; // a retried create reuses its Idempotency-Key

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  say(nameError, '');
  say(formError, '');
  nameInput.removeAttribute('aria-invalid');
  const name = nameInput.value.trim();
  if (!name) { nameProblem('Enter a name for the group.'); return; }
  if (!pending || pending.name !== name) pending = { name, key: newIdempotencyKey() };
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const { data, etag } = await apiResponse(wsPath(page.slug, '/groups'), {
      method: 'POST', body: { name }, headers: { 'Idempotency-Key': pending.key },
    });
    pending = null;
    state.groups.push({ ...data, etag: data?.etag || etag });
    render();
    form.reset();
    flash(`Group “${data.name}” created.`);
    nameInput.focus();
  } catch (err) {
    if (err instanceof ApiError) {
      pending = null;
      if (err.status === 403) {
        fail('You may not create groups in this workspace.');
        lostManage();
        return;
      }
      const named = err.fieldErrors.filter((e) => fieldName(e.field) === 'name');
      if (named.length) nameProblem(named.map((e) => e.message).join(' '));
      else if (err.status === 409 || err.status === 400) nameProblem(describeError(err));
      else say(formError, describeError(err));
    } else {
      say(formError, describeError(err));
    }
  } finally {
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
});

// ---- edit members ------------------------------------------------------------------

const dialog = $('group-dialog');
const groupForm = $('group-form');
const checks = $('group-member-checks');
const groupError = $('group-error');
const groupConflict = $('group-conflict');
const groupSave = $('group-save');

function fillChecks(group) {
  const chosen = new Set(group.userIds ?? []);
  checks.replaceChildren(...state.members.map((m, i) => {
    const id = `group-member-${i}`;
    const input = el('input', { attrs: { type: 'checkbox', id, value: m.userId } });
    input.checked = chosen.has(m.userId);
    return el('div', { className: 'check' }, input,
      el('label', { text: m.email, attrs: { for: id } }),
      m.role === 'owner' ? el('span', { className: 'pill', text: 'owner' }) : null);
  }));
}

function openGroup(id) {
  const group = state.groups.find((g) => g.id === id);
  if (!group) return;
  state.editing = group;
  $('group-dialog-name').textContent = group.name;
  say(groupError, '');
  say(groupConflict, '');
  groupSave.disabled = false;
  fillChecks(group);
  dialog.showModal();
  checks.querySelector('input')?.focus();
}

groupForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const group = state.editing;
  if (!group) return;
  say(groupError, '');
  say(groupConflict, '');
  const userIds = [...checks.querySelectorAll('input:checked')].map((i) => i.value);
  groupSave.disabled = true;
  groupForm.setAttribute('aria-busy', 'true');
  try {
    const { data, etag } = await apiResponse(wsPath(page.slug, `/groups/${encodeURIComponent(group.id)}/members`), {
      method: 'PUT', body: { userIds }, headers: { 'If-Match': group.etag },
    });
    replaceGroup({ ...data, etag: data?.etag || etag });
    state.editing = null;
    dialog.close('saved');
    flash(`Members of “${group.name}” saved.`);
    rowsBody.querySelector(`button[data-edit="${CSS.escape(group.id)}"]`)?.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      say(groupConflict, 'This group was changed by someone else — reloaded. Review the members and save again.');
      try {
        const { data, etag } = await apiResponse(wsPath(page.slug, `/groups/${encodeURIComponent(group.id)}`));
        const fresh = { ...data, etag: data?.etag || etag };
        replaceGroup(fresh);
        state.editing = fresh;
        fillChecks(fresh);
      } catch (e) { say(groupError, describeError(e)); }
    } else if (err instanceof ApiError && err.status === 403) {
      say(groupError, 'You may not change the members of groups in this workspace.');
      lostManage();
      return;
    } else if (err instanceof ApiError && err.fieldErrors.length) {
      say(groupError, err.fieldErrors.map((e) => {
        const i = fieldIndex(e.field);
        const who = i >= 0 && userIds[i] ? state.emails.get(userIds[i]) || userIds[i] : null;
        return who ? `${who}: ${e.message}` : e.message;
      }).join(' '));
    } else {
      say(groupError, describeError(err));
    }
    groupSave.disabled = false;
  } finally {
    groupForm.removeAttribute('aria-busy');
  }
});

dialog.addEventListener('close', () => {
  if (dialog.returnValue !== 'saved' && state.editing) {
    const id = state.editing.id;
    state.editing = null;
    rowsBody.querySelector(`button[data-edit="${CSS.escape(id)}"]`)?.focus();
  }
});

// ---- delete ---------------------------------------------------------------------------

async function deleteGroup(id) {
  const group = state.groups.find((g) => g.id === id);
  if (!group) return;
  const ok = await confirmDialog({
    title: 'Delete this group?',
    message: `“${group.name}” is deleted, and its members lose what grants to the group gave them.`,
    confirmLabel: 'Delete group',
  });
  if (!ok) return;
  try {
    await api(wsPath(page.slug, `/groups/${encodeURIComponent(id)}`), { method: 'DELETE' });
    state.groups = state.groups.filter((g) => g.id !== id);
    render();
    flash(`Group “${group.name}” deleted.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      fail('You may not delete groups in this workspace.');
      lostManage();
    } else if (err instanceof ApiError && err.status === 404) {
      state.groups = state.groups.filter((g) => g.id !== id);
      render();
    } else {
      fail(describeError(err));
    }
  }
}

// ---- start ----------------------------------------------------------------------------

async function start() {
  if (!page) return;
  wireDialogs();
  try {
    const [members, groups] = await Promise.all([
      listAll(wsPath(page.slug, '/members')),
      listAll(wsPath(page.slug, '/groups')),
    ]);
    state.members = [...members].sort((a, b) => String(a.email).localeCompare(String(b.email)));
    for (const m of members) state.emails.set(m.userId, m.email);
    state.groups = groups;
    state.canManage = callerRights(members, page.me.id).canManage;
    render();
    page.show();
  } catch (err) {
    say($('workspace-failed-detail'), describeError(err));
    $('workspace-loading').hidden = true;
    $('workspace-failed').hidden = false;
  }
}

start();
