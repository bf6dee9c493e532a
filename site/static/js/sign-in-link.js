// The page a mailed sign-in link opens (/sign-in/link/#<link token>): the token comes from the
// fragment, which no server sees, and is exchanged once for a session token.

import { api, ApiError, describeError, safeNext, tokenStore, SIGN_IN_NEXT_KEY } from './api.js';

const $ = (id) => document.getElementById(id);

function fail({ title, detail, error } = {}) {
  $('link-working').hidden = true;
  if (title) $('link-failed-title').textContent = title;
  if (detail) $('link-failed-detail').textContent = detail;
  const node = $('link-failed-error');
  node.textContent = error || '';
  node.hidden = !error;
  $('link-failed').hidden = false;
  $('link-failed-title').focus();
}

function takeNext() {
  try {
    const next = window.localStorage.getItem(SIGN_IN_NEXT_KEY);
    window.localStorage.removeItem(SIGN_IN_NEXT_KEY);
    return next;
  } catch {
    return null;
  }
}

async function redeem() {
  let token = '';
  try { token = decodeURIComponent(window.location.hash.slice(1)).trim(); } catch { token = ''; }
  // Once answered, the token leaves the address bar and the history entry (it works only once).
  const forget = () => window.history.replaceState(null, '', window.location.pathname);
  if (!token) {
    fail({ title: 'This sign-in link is incomplete', detail: 'Open the link exactly as it is in the mail, or ask for a new one.' });
    return;
  }
  try {
    const session = await api('/auth/login-links/redeem', { method: 'POST', body: { token }, redirectOn401: false });
    forget();
    tokenStore.set(session.token);
    window.location.replace(safeNext(takeNext()));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 410 || err.status === 400)) {
      forget();
      fail();
    } else {
      fail({ title: 'Signing in did not work', detail: 'The link could not be checked just now. It may still work: reload this page, or ask for a new link.', error: describeError(err) });
    }
  }
}

redeem();
