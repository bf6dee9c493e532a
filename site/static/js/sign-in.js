// The sign-in page: an access token, checked against GET /me before it is kept.

import { api, ApiError, tokenStore, safeNext, describeError } from './api.js';

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
    tokenStore.set(token);
    const next = new URLSearchParams(window.location.search).get('next');
    window.location.replace(safeNext(next));
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
input.focus();
