// Accepting an invitation: /invitations/#ati_<slug>.<secret> (the token stays in the
// fragment, which browsers never send to a server).

import { api, ApiError, describeError, signInUrl, tokenStore } from './api.js';
import { startFrame, workspaceHref } from './frame.js';

const $ = (id) => document.getElementById(id);

/** The token from the fragment, or null when it does not look like one. */
function tokenFromHash() {
  let raw = window.location.hash.slice(1);
  try { raw = decodeURIComponent(raw); } catch { return null; }
  return /^ati_[a-z0-9-]+\.[A-Za-z0-9_~.-]+$/.test(raw) ? raw : null;
}

/** The workspace an invitation leads to: between `ati_` and the first `.`. */
function slugOf(token) {
  return token.slice(4, token.indexOf('.'));
}

const token = tokenFromHash();
const frame = startFrame();
const accept = $('accept-invitation');

function problem(message, { workspace = null, switchUser = false } = {}) {
  $('invitation-problem-text').textContent = message;
  $('invitation-problem-link').hidden = !workspace;
  if (workspace) $('invitation-workspace-link').href = workspaceHref(workspace);
  $('invitation-switch').hidden = !switchUser;
  $('invitation-problem').hidden = false;
}

$('invitation-sign-in-again').addEventListener('click', () => {
  tokenStore.clear();
  window.location.assign(signInUrl('/invitations/#' + token));
});

async function start() {
  if (!token) {
    $('invitation-missing').hidden = false;
    return;
  }
  const slug = slugOf(token);
  $('invitation-slug').textContent = slug;
  $('invitation-address').textContent = window.location.origin + workspaceHref(slug);
  document.title = `Join ${slug} · Atelier`;
  $('invitation').hidden = false;
  frame.me.then((me) => { $('invitation-me').textContent = me.email || me.displayName || ''; }, () => {});
  accept.focus();

  accept.addEventListener('click', async () => {
    accept.disabled = true;
    $('invitation-problem').hidden = true;
    try {
      const joined = await api(`/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST' });
      window.location.assign(workspaceHref(joined?.slug || slug));
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 403) {
        problem('This invitation was sent to another email address than the one you are signed in with. Sign in as the invited person to accept it.', { switchUser: true });
      } else if (status === 410) {
        problem('This invitation was already used or has expired. Ask the workspace owner for a new one.');
      } else if (status === 404) {
        problem('This invitation does not exist. Check that you opened the whole link from the email.');
      } else if (status === 409) {
        problem('You are already a member of this workspace.', { workspace: slug });
      } else {
        problem(describeError(err));
        accept.disabled = false;
        return;
      }
      accept.hidden = true;
    }
  });
}

start();
