// Personal access tokens (/tokens/): list, create (shown once), revoke.

import { api, ApiError, describeError } from './api.js';
import { startFrame } from './frame.js';
import { hideSecretOnce, showSecretOnce, wireSecretOnce } from './once.js';
import { $, confirmDialog, el, fieldName, formatTime, listAll, say } from './wspage.js';

startFrame();

const pageStatus = $('tokens-status');
const pageError = $('tokens-error');
const rows = $('tokens-rows');
const form = $('token-form');
const nameInput = $('token-name');
const daysInput = $('token-days');
const fields = {
  name: [nameInput, $('token-name-error')],
  expiresInDays: [daysInput, $('token-days-error')],
};
const formError = $('token-error');
const submit = $('token-create');

let tokens = [];

function fieldError(field, message) {
  const [input, node] = fields[field];
  say(node, message);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function tokenRow(t) {
  const expired = Date.parse(t.expiresAt) < Date.now();
  const revoke = el('button', {
    className: 'button button-danger-quiet', text: 'Revoke',
    attrs: { type: 'button', 'aria-label': `Revoke ${t.name}` },
    dataset: { revoke: t.id },
  });
  revoke.addEventListener('click', () => revokeToken(t));
  return el('tr', { dataset: { tokenId: t.id } },
    el('th', { attrs: { scope: 'row' } }, el('span', { className: 'member-email', text: t.name })),
    el('td', { text: formatTime(t.createdAt) }),
    el('td', {}, el('span', { text: formatTime(t.expiresAt) }), expired ? el('span', { className: 'pill', text: 'expired' }) : null),
    el('td', { className: 'cell-buttons' }, revoke));
}

function render() {
  const sorted = [...tokens].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
  rows.replaceChildren(...sorted.map(tokenRow));
  $('tokens-table').hidden = sorted.length === 0;
  $('tokens-empty').hidden = sorted.length !== 0;
}

async function load() {
  try {
    tokens = await listAll('/me/tokens');
    $('tokens-loading').hidden = true;
    render();
  } catch (err) {
    say($('tokens-loading'), `Your tokens could not be loaded. ${describeError(err)}`);
  }
}

async function revokeToken(t) {
  const ok = await confirmDialog({
    title: 'Revoke this token?',
    message: `“${t.name}” stops working at once, wherever it is used. If this browser signed in with it, you will be signed out.`,
    confirmLabel: 'Revoke token',
  });
  if (!ok) {
    rows.querySelector(`button[data-revoke="${CSS.escape(t.id)}"]`)?.focus();
    return;
  }
  say(pageStatus, '');
  say(pageError, '');
  try {
    await api(`/me/tokens/${encodeURIComponent(t.id)}`, { method: 'DELETE' });
    say(pageStatus, `The token “${t.name}” was revoked.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      say(pageStatus, `The token “${t.name}” was already gone.`);
    } else {
      say(pageError, describeError(err));
      return;
    }
  }
  tokens = tokens.filter((x) => x.id !== t.id);
  render();
  nameInput.focus();
}

nameInput.addEventListener('input', () => fieldError('name', ''));
daysInput.addEventListener('input', () => fieldError('expiresInDays', ''));

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  fieldError('name', '');
  fieldError('expiresInDays', '');
  say(formError, '');
  hideSecretOnce('token');
  const name = nameInput.value.trim();
  const daysText = daysInput.value.trim();
  const days = Number(daysText);
  let invalid = null;
  if (!/^\d+$/.test(daysText) || days < 1 || days > 365) {
    fieldError('expiresInDays', 'Enter a whole number of days from 1 to 365.');
    invalid = daysInput;
  }
  if (!name) {
    fieldError('name', 'Enter a name for the token.');
    invalid = nameInput;
  }
  if (invalid) {
    invalid.focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    // No Idempotency-Key: the API does not take one here (a replay would have to store the secret).
    const created = await api('/me/tokens', { method: 'POST', body: { name, expiresInDays: days } });
    form.reset();
    showSecretOnce('token', created.token, `“${created.name}” expires ${formatTime(created.expiresAt)}.`);
    tokens.push({ id: created.id, name: created.name, createdAt: new Date().toISOString(), expiresAt: created.expiresAt });
    render();
  } catch (err) {
    if (err instanceof ApiError && err.fieldErrors.length) {
      for (const e of err.fieldErrors) {
        const f = fieldName(e.field);
        if (fields[f]) fieldError(f, `${f === 'name' ? 'The name' : 'The number of days'} ${e.message}.`);
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

wireSecretOnce('token', { onDone: () => nameInput.focus() });
load();
