// The members of a workspace (/<slug>/members/): list, invitations, per-member actions,
// removing a member and leaving.

import { api, apiResponse, ApiError, describeError, newIdempotencyKey } from './api.js';
import {
  $, ACTIONS, callerRights, chip, confirmDialog, el, fieldName, formatTime, listAll, say,
  startWorkspacePage, wireDialogs, wsPath,
} from './wspage.js';

const page = await startWorkspacePage();

const state = {
  members: [],
  groups: new Map(), // id → name
  meId: null,
  rights: { self: null, isOwner: false, canManage: false },
  editing: null, // the member in the permissions dialog
};

const rows = $('members-rows');
const pageStatus = $('members-status');
const pageError = $('members-error');
const actionLabels = new Map(ACTIONS.map((a) => [a.name, a.label]));

function flash(message) {
  say(pageError, '');
  say(pageStatus, message);
}

function fail(message) {
  say(pageStatus, '');
  say(pageError, message);
}

// ---- the list -----------------------------------------------------------------

function memberRow(m) {
  const isSelf = m.userId === state.meId;
  const who = el('td', { className: 'cell-member' },
    el('span', { className: 'member-email', text: m.email }),
    isSelf ? el('span', { className: 'pill pill-self', text: 'you' }) : null);

  const role = el('td', {}, el('span', { className: 'pill', text: m.role }));

  const actions = el('td', { className: 'cell-chips' });
  if (m.role === 'owner') {
    actions.append(el('span', { className: 'muted', text: 'Every action (owner)' }));
  } else if (!m.actions?.length) {
    actions.append(el('span', { className: 'muted', text: 'None' }));
  } else {
    const list = el('ul', { className: 'chips', attrs: { 'aria-label': `Actions of ${m.email}` } });
    for (const name of m.actions) {
      const c = el('li', { className: 'chip', text: name, dataset: { action: name }, attrs: { title: actionLabels.get(name) || name } });
      list.append(c);
    }
    actions.append(list);
  }

  const groups = el('td', { className: 'cell-chips' });
  const names = (m.groups ?? []).map((id) => state.groups.get(id) || id);
  if (names.length) groups.append(...names.map((n) => chip(n, 'chip-group')));
  else groups.append(el('span', { className: 'muted', text: '—' }));

  const manage = el('td', { className: 'cell-buttons' });
  if (state.rights.canManage && m.role !== 'owner') {
    const edit = el('button', {
      className: 'button button-quiet', text: 'Permissions',
      attrs: { type: 'button', 'aria-label': `Permissions of ${m.email}`, 'aria-haspopup': 'dialog' },
      dataset: { permissions: m.userId },
    });
    edit.addEventListener('click', () => openPermissions(m.userId));
    manage.append(edit);
    if (!isSelf) {
      const remove = el('button', {
        className: 'button button-danger-quiet', text: 'Remove',
        attrs: { type: 'button', 'aria-label': `Remove ${m.email}` },
        dataset: { remove: m.userId },
      });
      remove.addEventListener('click', () => removeMember(m.userId));
      manage.append(remove);
    }
  }

  return el('tr', { dataset: { userId: m.userId } }, who, role, actions, groups, manage);
}

function renderMembers() {
  const sorted = [...state.members].sort((a, b) =>
    (a.role === 'owner' ? -1 : 0) - (b.role === 'owner' ? -1 : 0) ||
    String(a.email).localeCompare(String(b.email)));
  rows.replaceChildren(...sorted.map(memberRow));
  $('invite-panel').hidden = !state.rights.canManage;
  const self = state.rights.self;
  $('leave-workspace').hidden = !self || self.role === 'owner';
}

function replaceMember(updated) {
  state.members = state.members.map((m) => (m.userId === updated.userId ? updated : m));
  state.rights = callerRights(state.members, state.meId);
  renderMembers();
}

/** The caller turned out not to be allowed: hide what they may not use. */
function lostManage() {
  state.rights = { ...state.rights, canManage: false };
  renderMembers();
}

// ---- invitations -------------------------------------------------------------

const inviteForm = $('invite-form');
const inviteEmail = $('invite-email');
const inviteEmailError = $('invite-email-error');
const inviteError = $('invite-error');
const inviteStatus = $('invite-status');
const inviteSubmit = $('invite-submit');

async function loadInvitations() {
  const status = $('invitations-status');
  const list = $('invitations-list');
  if (!state.rights.canManage) return;
  try {
    const now = Date.now();
    const pending = (await listAll(wsPath(page.slug, '/invitations')))
      .filter((i) => i.status === 'pending' && !(Date.parse(i.expiresAt) < now))
      .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    list.replaceChildren(...pending.map((i) => el('li', { className: 'plain-item', dataset: { invitation: i.id } },
      el('span', { className: 'member-email', text: i.email }),
      el('span', { className: 'muted', text: `expires ${formatTime(i.expiresAt)}` }))));
    say(status, pending.length ? '' : 'No pending invitations.');
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      lostManage();
    } else {
      say(status, `Invitations could not be loaded. ${describeError(err)}`);
    }
  }
}

function clearInviteMessages() {
  say(inviteEmailError, '');
  inviteEmail.removeAttribute('aria-invalid');
  say(inviteError, '');
  say(inviteStatus, '');
}

function showEmailError(message) {
  say(inviteEmailError, message);
  inviteEmail.setAttribute('aria-invalid', 'true');
  inviteEmail.focus();
}

inviteEmail.addEventListener('input', () => {
  say(inviteEmailError, '');
  inviteEmail.removeAttribute('aria-invalid');
});

inviteForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearInviteMessages();
  const email = inviteEmail.value.trim();
  if (!email) {
    showEmailError('Enter the email address to invite.');
    return;
  }
  inviteSubmit.disabled = true;
  inviteForm.setAttribute('aria-busy', 'true');
  try {
    const created = await api(wsPath(page.slug, '/invitations'), {
      method: 'POST', body: { email }, headers: { 'Idempotency-Key': newIdempotencyKey() },
    });
    inviteForm.reset();
    say(inviteStatus, `Invitation sent to ${created?.email || email}.`);
    await loadInvitations();
    inviteEmail.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      say(inviteError, 'You may not invite members to this workspace.');
      lostManage();
    } else if (err instanceof ApiError) {
      const emailErrors = err.fieldErrors.filter((e) => fieldName(e.field) === 'email');
      const others = err.fieldErrors.filter((e) => fieldName(e.field) !== 'email');
      if (emailErrors.length) showEmailError(emailErrors.map((e) => e.message).join(' '));
      else if (err.status === 409 || (err.status === 400 && !others.length)) showEmailError(describeError(err));
      if (others.length) say(inviteError, others.map((e) => e.message).join(' '));
      else if (!emailErrors.length && err.status !== 409 && err.status !== 400) say(inviteError, describeError(err));
    } else {
      say(inviteError, describeError(err));
    }
  } finally {
    inviteSubmit.disabled = false;
    inviteForm.removeAttribute('aria-busy');
  }
});

// ---- the permissions dialog ----------------------------------------------------

const dialog = $('permissions-dialog');
const permForm = $('permissions-form');
const permError = $('permissions-error');
const permConflict = $('permissions-conflict');
const permSave = $('permissions-save');
const checks = $('permissions-actions');

function buildChecks() {
  checks.replaceChildren(...ACTIONS.map((a) => {
    const id = `action-${a.name.replace('.', '-')}`;
    const input = el('input', { attrs: { type: 'checkbox', id, name: 'actions', value: a.name, 'aria-describedby': `${id}-desc` } });
    return el('div', { className: 'check' },
      input,
      el('div', {},
        el('label', { text: a.label, attrs: { for: id } }, ' ', el('code', { className: 'check-name', text: a.name })),
        el('p', { className: 'hint check-hint', text: a.description, attrs: { id: `${id}-desc` } })));
  }));
}

function fillChecks(member) {
  const held = new Set(member.actions ?? []);
  for (const input of checks.querySelectorAll('input[type="checkbox"]')) input.checked = held.has(input.value);
}

function openPermissions(userId) {
  const member = state.members.find((m) => m.userId === userId);
  if (!member) return;
  state.editing = member;
  $('permissions-email').textContent = member.email;
  say(permError, '');
  say(permConflict, '');
  permSave.disabled = false;
  fillChecks(member);
  dialog.showModal();
  checks.querySelector('input')?.focus();
}

async function reloadEditing(userId) {
  const { data, etag } = await apiResponse(wsPath(page.slug, `/members/${encodeURIComponent(userId)}`));
  const fresh = { ...data, etag: data?.etag || etag };
  replaceMember(fresh);
  if (state.editing?.userId === userId) {
    state.editing = fresh;
    fillChecks(fresh);
  }
}

permForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const member = state.editing;
  if (!member) return;
  say(permError, '');
  say(permConflict, '');
  const actions = [...checks.querySelectorAll('input:checked')].map((i) => i.value);
  permSave.disabled = true;
  permForm.setAttribute('aria-busy', 'true');
  try {
    const { data, etag } = await apiResponse(wsPath(page.slug, `/members/${encodeURIComponent(member.userId)}/actions`), {
      method: 'PUT', body: { actions }, headers: { 'If-Match': member.etag },
    });
    replaceMember({ ...data, etag: data?.etag || etag });
    state.editing = null;
    dialog.close('saved');
    flash(`Permissions of ${member.email} saved.`);
    rows.querySelector(`button[data-permissions="${CSS.escape(member.userId)}"]`)?.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      say(permConflict, 'This member was changed by someone else — reloaded. Review the actions and save again.');
      try { await reloadEditing(member.userId); } catch (e) { say(permError, describeError(e)); }
    } else if (err instanceof ApiError && err.status === 403) {
      say(permError, 'You may not change the permissions of members in this workspace.');
      lostManage();
      return; // leave Save disabled
    } else if (err instanceof ApiError && err.status === 404) {
      say(permError, 'This member is no longer in the workspace.');
      state.members = state.members.filter((m) => m.userId !== member.userId);
      renderMembers();
      return;
    } else {
      const details = err instanceof ApiError ? err.fieldErrors.map((e) => e.message).filter(Boolean) : [];
      say(permError, details.length ? details.join(' ') : describeError(err));
    }
    permSave.disabled = false;
  } finally {
    permForm.removeAttribute('aria-busy');
  }
});

dialog.addEventListener('close', () => {
  if (dialog.returnValue !== 'saved' && state.editing) {
    const id = state.editing.userId;
    state.editing = null;
    rows.querySelector(`button[data-permissions="${CSS.escape(id)}"]`)?.focus();
  }
});

// ---- removing and leaving -------------------------------------------------------

async function removeMember(userId) {
  const member = state.members.find((m) => m.userId === userId);
  if (!member) return;
  const ok = await confirmDialog({
    title: 'Remove this member?',
    message: `${member.email} loses access to this workspace at once. Grants naming them stay but have no effect.`,
    confirmLabel: 'Remove member',
  });
  if (!ok) return;
  try {
    await api(wsPath(page.slug, `/members/${encodeURIComponent(userId)}`), { method: 'DELETE' });
    state.members = state.members.filter((m) => m.userId !== userId);
    renderMembers();
    flash(`${member.email} was removed from the workspace.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      fail('You may not remove members from this workspace.');
      lostManage();
    } else if (err instanceof ApiError && err.status === 404) {
      state.members = state.members.filter((m) => m.userId !== userId);
      renderMembers();
      flash(`${member.email} is no longer a member.`);
    } else {
      fail(describeError(err));
    }
  }
}

$('leave-workspace').addEventListener('click', async () => {
  const ok = await confirmDialog({
    title: 'Leave this workspace?',
    message: `You lose access to ${page.ws.name} at once; only a new invitation brings you back.`,
    confirmLabel: 'Leave workspace',
  });
  if (!ok) return;
  try {
    await api(wsPath(page.slug, `/members/${encodeURIComponent(state.meId)}`), { method: 'DELETE' });
    window.location.assign('/workspaces/');
  } catch (err) {
    fail(describeError(err));
  }
});

// ---- start ------------------------------------------------------------------------

async function start() {
  if (!page) return;
  state.meId = page.me.id;
  wireDialogs();
  buildChecks();
  try {
    const [members, groups] = await Promise.all([
      listAll(wsPath(page.slug, '/members')),
      listAll(wsPath(page.slug, '/groups')).catch(() => []),
    ]);
    state.members = members;
    for (const g of groups) state.groups.set(g.id, g.name);
    state.rights = callerRights(members, state.meId);
    renderMembers();
    page.show();
    await loadInvitations();
  } catch (err) {
    say($('workspace-failed-detail'), describeError(err));
    $('workspace-loading').hidden = true;
    $('workspace-failed').hidden = false;
  }
}

start();
