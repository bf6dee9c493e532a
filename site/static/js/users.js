// The site's users (/users/, site administrators): list, create, issue a token (shown once).

import { api, ApiError, describeError, newIdempotencyKey } from './api.js';
import { startFrame } from './frame.js';
import { hideSecretOnce, showSecretOnce, wireSecretOnce } from './once.js';
import { $, el, fieldName, formatTime, listAll, say, wireDialogs } from './wspage.js';

const frame = startFrame();

const pageStatus = $('users-status');
const pageError = $('users-error');
const rows = $('users-rows');
let users = [];
let issuingTo = null;

function fieldError([input, node], message) {
  say(node, message);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function refuse() {
  $('users-loading').hidden = true;
  $('users-body').hidden = true;
  $('users-refused').hidden = false;
}

// ---- the list ------------------------------------------------------------------------

function userRow(u) {
  const issue = el('button', {
    className: 'button button-quiet', text: 'Issue token',
    attrs: { type: 'button', 'aria-label': `Issue a token to ${u.email}`, 'aria-haspopup': 'dialog' },
    dataset: { issue: u.id },
  });
  issue.addEventListener('click', () => openIssue(u));
  return el('tr', { dataset: { userId: u.id } },
    el('th', { className: 'cell-member', attrs: { scope: 'row' } },
      el('span', { className: 'member-email', text: u.email }),
      u.siteAdmin ? el('span', { className: 'pill', text: 'site admin' }) : null),
    el('td', { text: u.displayName }),
    el('td', { text: u.createdAt ? formatTime(u.createdAt) : '—' }),
    el('td', { className: 'cell-buttons' }, issue));
}

function render() {
  const sorted = [...users].sort((a, b) => String(a.email).localeCompare(String(b.email)));
  rows.replaceChildren(...sorted.map(userRow));
  $('users-table').hidden = sorted.length === 0;
  say($('users-list-status'), sorted.length ? '' : 'No users yet.');
}

async function load() {
  try {
    users = await listAll('/users');
    render();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) refuse();
    else say($('users-list-status'), `The users could not be loaded. ${describeError(err)}`);
  }
}

// ---- creating a user -----------------------------------------------------------------

const form = $('user-form');
const email = [$('user-email-input'), $('user-email-error')];
const displayName = [$('user-display-name'), $('user-display-name-error')];
const formError = $('user-form-error');
const submit = $('user-create');

email[0].addEventListener('input', () => fieldError(email, ''));
displayName[0].addEventListener('input', () => fieldError(displayName, ''));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  fieldError(email, '');
  fieldError(displayName, '');
  say(formError, '');
  say(pageStatus, '');
  say(pageError, '');
  const body = { email: email[0].value.trim(), displayName: displayName[0].value.trim() };
  let invalid = null;
  if (!body.displayName) {
    fieldError(displayName, 'Enter the name to show for this user.');
    invalid = displayName[0];
  }
  if (!body.email) {
    fieldError(email, 'Enter the user’s email address.');
    invalid = email[0];
  } else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) {
    fieldError(email, 'Enter an email address such as name@example.com.');
    invalid = email[0];
  }
  if (invalid) {
    invalid.focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const created = await api('/users', { method: 'POST', body, headers: { 'Idempotency-Key': newIdempotencyKey() } });
    form.reset();
    users = users.filter((u) => u.id !== created.id);
    users.push({ ...created, siteAdmin: false, createdAt: new Date().toISOString() });
    render();
    say(pageStatus, `${created.email} was created. Issue them a token, or they can ask for a sign-in link.`);
    rows.querySelector(`button[data-issue="${CSS.escape(created.id)}"]`)?.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      refuse();
    } else if (err instanceof ApiError && err.status === 409) {
      fieldError(email, 'A user with this email address already exists.');
      email[0].focus();
    } else if (err instanceof ApiError && err.fieldErrors.length) {
      for (const e of err.fieldErrors) {
        const f = fieldName(e.field);
        if (f === 'email') fieldError(email, `The email address ${e.message}.`);
        else if (f === 'displayName') fieldError(displayName, `The display name ${e.message}.`);
        else say(formError, e.message);
      }
    } else {
      say(formError, describeError(err));
    }
  } finally {
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
});

// ---- issuing a token -----------------------------------------------------------------

const dialog = $('issue-dialog');
const issueForm = $('issue-form');
const issueName = [$('issue-name'), $('issue-name-error')];
const issueDays = [$('issue-days'), $('issue-days-error')];
const issueError = $('issue-error');
const issueSubmit = $('issue-submit');

function openIssue(u) {
  issuingTo = u;
  $('issue-email').textContent = u.email;
  issueForm.reset();
  issueForm.hidden = false;
  hideSecretOnce('issued');
  fieldError(issueName, '');
  fieldError(issueDays, '');
  say(issueError, '');
  issueSubmit.disabled = false;
  dialog.showModal();
  issueName[0].focus();
}

dialog.addEventListener('close', () => {
  hideSecretOnce('issued'); // the token leaves the page with the dialog
  const id = issuingTo?.id;
  issuingTo = null;
  if (id) rows.querySelector(`button[data-issue="${CSS.escape(id)}"]`)?.focus();
});

issueName[0].addEventListener('input', () => fieldError(issueName, ''));
issueDays[0].addEventListener('input', () => fieldError(issueDays, ''));

issueForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const u = issuingTo;
  if (!u) return;
  fieldError(issueName, '');
  fieldError(issueDays, '');
  say(issueError, '');
  const name = issueName[0].value.trim();
  const daysText = issueDays[0].value.trim();
  const days = Number(daysText);
  let invalid = null;
  if (!/^\d+$/.test(daysText) || days < 1 || days > 365) {
    fieldError(issueDays, 'Enter a whole number of days from 1 to 365.');
    invalid = issueDays[0];
  }
  if (!name) {
    fieldError(issueName, 'Enter a name for the token.');
    invalid = issueName[0];
  }
  if (invalid) {
    invalid.focus();
    return;
  }
  issueSubmit.disabled = true;
  issueForm.setAttribute('aria-busy', 'true');
  try {
    const issued = await api(`/users/${encodeURIComponent(u.id)}/tokens`, {
      method: 'POST', body: { name, expiresInDays: days },
    });
    issueForm.hidden = true;
    showSecretOnce('issued', issued.token, `“${issued.name}” for ${u.email}, valid until ${formatTime(issued.expiresAt)}.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      say(issueError, 'This user no longer exists.');
    } else if (err instanceof ApiError && err.fieldErrors.length) {
      for (const e of err.fieldErrors) {
        const f = fieldName(e.field);
        if (f === 'name') fieldError(issueName, `The name ${e.message}.`);
        else if (f === 'expiresInDays') fieldError(issueDays, `The number of days ${e.message}.`);
        else say(issueError, e.message);
      }
    } else {
      say(issueError, describeError(err));
    }
  } finally {
    issueSubmit.disabled = false;
    issueForm.removeAttribute('aria-busy');
  }
});

wireSecretOnce('issued', { onDone: () => dialog.close('done') });

// ---- start ---------------------------------------------------------------------------

async function start() {
  wireDialogs();
  let me;
  try {
    me = await frame.me;
  } catch (err) {
    say($('users-loading'), `Your profile could not be loaded. ${describeError(err)}`);
    return;
  }
  if (!me.siteAdmin) {
    refuse();
    return;
  }
  $('users-loading').hidden = true;
  $('users-body').hidden = false;
  await load();
}

start();
