// A secret shown once (a new token): the value, a copy button, "you will not see it again".
// The markup is partials/secret-once.html with an id prefix.

import { say } from './wspage.js';

const $ = (id) => document.getElementById(id);

async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // the Clipboard API needs a secure context; selecting and copying works without one
    input.focus();
    input.select();
    try { return document.execCommand('copy'); } catch { return false; }
  }
}

/** Wires the box with id prefix `prefix`; `onDone` runs when it is dismissed. */
export function wireSecretOnce(prefix, { onDone } = {}) {
  const box = $(`${prefix}-once`);
  const input = $(`${prefix}-once-value`);
  const copied = $(`${prefix}-once-copied`);
  $(`${prefix}-once-copy`).addEventListener('click', async () => {
    const ok = await copyText(input);
    say(copied, ok ? 'Copied to the clipboard.' : 'Copying failed: select the token and copy it yourself.');
  });
  input.addEventListener('focus', () => input.select());
  $(`${prefix}-once-done`).addEventListener('click', () => {
    hideSecretOnce(prefix);
    onDone?.();
  });
  return box;
}

/** Shows `secret` (as a value, never as HTML) with a sentence about it, and moves focus there. */
export function showSecretOnce(prefix, secret, detail) {
  const box = $(`${prefix}-once`);
  $(`${prefix}-once-value`).value = secret;
  $(`${prefix}-once-detail`).textContent = detail || '';
  say($(`${prefix}-once-copied`), '');
  box.hidden = false;
  $(`${prefix}-once-value`).focus();
}

/** Forgets the secret: it leaves the page. */
export function hideSecretOnce(prefix) {
  $(`${prefix}-once-value`).value = '';
  $(`${prefix}-once-detail`).textContent = '';
  $(`${prefix}-once`).hidden = true;
}
