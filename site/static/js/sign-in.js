// The sign-in page: a mailed sign-in link, the company account (identity provider: username
// and password, a new password on the first sign-in), or an access token checked against
// GET /me before it is kept.

import { api, ApiError, tokenStore, safeNext, describeError, SIGN_IN_NEXT_KEY as NEXT_KEY } from './api.js';

const nextParam = new URLSearchParams(window.location.search).get('next');

function say(node, message) {
  node.textContent = message || '';
  node.hidden = !message;
}

function goOn(token) {
  tokenStore.set(token);
  window.location.replace(safeNext(nextParam));
}

const form = document.getElementById('sign-in-form');
const input = document.getElementById('token');
const button = document.getElementById('sign-in');
const error = document.getElementById('sign-in-error');

function showError(message) {
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

function clearError() {
  error.hidden = true;
  error.textContent = '';
  input.removeAttribute('aria-invalid');
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError();
  const token = input.value.trim();
  if (!token) {
    showError('Enter your access token.');
    return;
  }
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    await api('/me', { token, redirectOn401: false });
    goOn(token);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showError(err.problem.detail || 'This access token was not accepted.');
    } else {
      showError(describeError(err));
    }
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }
});

input.addEventListener('input', () => {
  if (!error.hidden) clearError();
});

// ---- a sign-in link by mail ---------------------------------------------------------

const linkForm = document.getElementById('link-form');
const linkEmail = document.getElementById('link-email');
const linkEmailError = document.getElementById('link-email-error');
const linkError = document.getElementById('link-error');
const linkSent = document.getElementById('link-sent');
const linkSubmit = document.getElementById('link-submit');

function linkFieldError(message) {
  say(linkEmailError, message);
  if (message) linkEmail.setAttribute('aria-invalid', 'true');
  else linkEmail.removeAttribute('aria-invalid');
}

linkEmail.addEventListener('input', () => linkFieldError(''));

linkForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  linkFieldError('');
  say(linkError, '');
  say(linkSent, '');
  const email = linkEmail.value.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    linkFieldError(email ? 'Enter an email address such as name@example.com.' : 'Enter your email address.');
    linkEmail.focus();
    return;
  }
  linkSubmit.disabled = true;
  linkForm.setAttribute('aria-busy', 'true');
  try {
    await api('/auth/login-links', { method: 'POST', body: { email }, redirectOn401: false });
    try {
      if (nextParam) window.localStorage.setItem(NEXT_KEY, safeNext(nextParam));
      else window.localStorage.removeItem(NEXT_KEY);
    } catch { /* storage blocked: the link leads to the workspaces */ }
    // The same words whoever asks: the answer tells nothing about who has an account.
    say(linkSent, `If ${email} belongs to an account, a sign-in link is on its way. It works once, for 15 minutes.`);
  } catch (err) {
    const fieldErrors = err instanceof ApiError ? err.fieldErrors : [];
    if (fieldErrors.length) linkFieldError(`The email address ${fieldErrors[0].message}.`);
    else say(linkError, describeError(err));
  } finally {
    linkSubmit.disabled = false;
    linkForm.removeAttribute('aria-busy');
  }
});

// ---- the company account (identity provider) ------------------------------------------

const passwordForm = document.getElementById('password-form');
const username = document.getElementById('username');
const password = document.getElementById('password');
const passwordError = document.getElementById('password-error');
const passwordSubmit = document.getElementById('password-submit');
const newForm = document.getElementById('new-password-form');
const newPassword = document.getElementById('new-password');
const newPasswordAgain = document.getElementById('new-password-again');
const newPasswordError = document.getElementById('new-password-error');
const newPasswordAgainError = document.getElementById('new-password-again-error');
const newFormError = document.getElementById('new-password-form-error');
const newSubmit = document.getElementById('new-password-submit');
let challenge = null; // {username, session} of a first sign-in

function fieldError(input, node, message) {
  say(node, message);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

function showPasswordForm() {
  challenge = null;
  newForm.reset();
  newForm.hidden = true;
  passwordForm.hidden = false;
  password.value = '';
  password.focus();
}

passwordForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  say(passwordError, '');
  const user = username.value.trim();
  if (!user || !password.value) {
    say(passwordError, 'Enter your email or username and your password.');
    (user ? password : username).focus();
    return;
  }
  passwordSubmit.disabled = true;
  passwordForm.setAttribute('aria-busy', 'true');
  try {
    const session = await api('/auth/sign-in', {
      method: 'POST', body: { username: user, password: password.value }, redirectOn401: false,
    });
    goOn(session.idToken);
  } catch (err) {
    password.value = '';
    if (err instanceof ApiError && err.status === 409 && String(err.problem.type || '').endsWith('new-password-required')) {
      challenge = { username: user, session: err.problem.session };
      passwordForm.hidden = true;
      newForm.hidden = false;
      newPassword.focus();
    } else if (err instanceof ApiError && err.status === 401) {
      say(passwordError, 'The username or password is not right.');
      password.focus();
    } else {
      say(passwordError, describeError(err));
    }
  } finally {
    passwordSubmit.disabled = false;
    passwordForm.removeAttribute('aria-busy');
  }
});

newPassword.addEventListener('input', () => fieldError(newPassword, newPasswordError, ''));
newPasswordAgain.addEventListener('input', () => fieldError(newPasswordAgain, newPasswordAgainError, ''));
document.getElementById('new-password-cancel').addEventListener('click', showPasswordForm);

newForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  say(newFormError, '');
  fieldError(newPassword, newPasswordError, '');
  fieldError(newPasswordAgain, newPasswordAgainError, '');
  if (!challenge) {
    showPasswordForm();
    return;
  }
  if (newPassword.value.length < 12) {
    fieldError(newPassword, newPasswordError, 'Use at least 12 characters.');
    newPassword.focus();
    return;
  }
  if (newPassword.value !== newPasswordAgain.value) {
    fieldError(newPasswordAgain, newPasswordAgainError, 'The two passwords differ.');
    newPasswordAgain.focus();
    return;
  }
  newSubmit.disabled = true;
  newForm.setAttribute('aria-busy', 'true');
  try {
    const session = await api('/auth/sign-in/new-password', {
      method: 'POST', body: { ...challenge, newPassword: newPassword.value }, redirectOn401: false,
    });
    goOn(session.idToken);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showPasswordForm();
      say(passwordError, 'That took too long or the session ended: sign in with the temporary password again.');
    } else if (err instanceof ApiError && err.fieldErrors.some((e) => e.field === 'newPassword')) {
      const e = err.fieldErrors.find((x) => x.field === 'newPassword');
      fieldError(newPassword, newPasswordError, `The new password ${e.message}.`);
      newPassword.focus();
    } else {
      say(newFormError, describeError(err));
    }
  } finally {
    newSubmit.disabled = false;
    newForm.removeAttribute('aria-busy');
  }
});

linkEmail.focus();
