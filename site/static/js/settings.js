// Workspace settings (/<slug>/settings/): name and colour, logo, AI provider, deletion.

import { api, apiResponse, ApiError, describeError } from './api.js';
import { DEFAULT_PRIMARY, renderLogo, showImage } from './brand.js';
import { workspaceHref } from './frame.js';
import { $, el, fieldName, listAll, say, startWorkspacePage, wireDialogs, wsPath } from './wspage.js';

const page = await startWorkspacePage();

const SWATCHES = [
  { color: '#4f46e5', name: 'Indigo' },
  { color: '#2563eb', name: 'Blue' },
  { color: '#0891b2', name: 'Cyan' },
  { color: '#0d9488', name: 'Teal' },
  { color: '#15803d', name: 'Green' },
  { color: '#b45309', name: 'Amber' },
  { color: '#dc2626', name: 'Red' },
  { color: '#db2777', name: 'Pink' },
  { color: '#7c3aed', name: 'Violet' },
  { color: '#475569', name: 'Slate' },
];
const HEX = /^#[0-9a-fA-F]{6}$/;
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'];
const LOGO_MAX_BYTES = 1024 * 1024;
const NEEDS_BASE_URL = new Set(['ollama', 'custom']);

const state = {
  ws: null,
  etag: null,
  rights: { isOwner: false, canManage: false },
  ai: null, // the stored AI settings view
  aiEtag: null,
  key: 'keep', // what saving does with the stored key: keep | replace | clear
};

/** Shows (or clears) an error next to a field. */
function fieldError(input, node, message) {
  say(node, message);
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** The workspace changed (or was read again): header, forms, logo. */
function setWorkspace(ws, etag) {
  state.ws = ws;
  if (etag) state.etag = etag;
  page.frame.setWorkspace(ws);
  renderLogoPanel();
}

async function reloadWorkspace() {
  const { data, etag } = await apiResponse(wsPath(page.slug));
  setWorkspace(data, etag);
  return data;
}

// ---- name and colour -------------------------------------------------------------

const generalForm = $('general-form');
const nameInput = $('ws-name');
const nameError = $('ws-name-error');
const colorInput = $('ws-color');
const colorError = $('ws-color-error');
const generalError = $('general-error');
const generalStatus = $('general-status');
const generalConflict = $('general-conflict');
const generalSave = $('general-save');

function buildSwatches() {
  $('swatches').replaceChildren(...SWATCHES.map((s) => {
    const id = `swatch-${s.color.slice(1)}`;
    const input = el('input', {
      className: 'swatch-input',
      attrs: { type: 'radio', name: 'swatch', id, value: s.color },
    });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      colorInput.value = s.color;
      fieldError(colorInput, colorError, '');
      previewColor();
    });
    const label = el('label', { className: 'swatch', attrs: { for: id, title: `${s.name} ${s.color}` } },
      el('span', { className: 'swatch-dot', attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'visually-hidden', text: `${s.name} ${s.color}` }));
    label.querySelector('.swatch-dot').style.background = s.color;
    return el('span', { className: 'swatch-item' }, input, label);
  }));
}

function previewColor() {
  const value = colorInput.value.trim();
  const valid = HEX.test(value);
  $('color-preview').style.background = valid ? value : 'transparent';
  $('color-preview').classList.toggle('color-preview-empty', !valid);
  for (const input of document.querySelectorAll('input[name="swatch"]')) {
    input.checked = valid && input.value === value.toLowerCase();
  }
}

function fillGeneral() {
  nameInput.value = state.ws.name;
  colorInput.value = (state.ws.primaryColor || DEFAULT_PRIMARY).toLowerCase();
  previewColor();
}

colorInput.addEventListener('input', () => {
  fieldError(colorInput, colorError, '');
  previewColor();
});
nameInput.addEventListener('input', () => fieldError(nameInput, nameError, ''));

generalForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  say(generalError, '');
  say(generalStatus, '');
  say(generalConflict, '');
  fieldError(nameInput, nameError, '');
  fieldError(colorInput, colorError, '');
  const name = nameInput.value.trim();
  let color = colorInput.value.trim();
  if (color && !color.startsWith('#')) color = `#${color}`;
  let invalid = null;
  if (!HEX.test(color)) {
    fieldError(colorInput, colorError, 'Enter a colour as # followed by six hexadecimal digits, for example #4f46e5.');
    invalid = colorInput;
  }
  if (!name) {
    fieldError(nameInput, nameError, 'Enter a name for the workspace.');
    invalid = nameInput;
  }
  if (invalid) {
    invalid.focus();
    return;
  }
  const body = {};
  if (name !== state.ws.name) body.name = name;
  if (color.toLowerCase() !== String(state.ws.primaryColor || DEFAULT_PRIMARY).toLowerCase()) body.primaryColor = color.toLowerCase();
  if (!Object.keys(body).length) {
    say(generalStatus, 'Nothing to save: the name and colour are as stored.');
    return;
  }
  generalSave.disabled = true;
  generalForm.setAttribute('aria-busy', 'true');
  try {
    const { data, etag } = await apiResponse(wsPath(page.slug), {
      method: 'PATCH', body, headers: { 'If-Match': state.etag },
    });
    setWorkspace(data, etag);
    fillGeneral();
    say(generalStatus, 'Saved. The new name and colour show everywhere in the workspace.');
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      try {
        await reloadWorkspace();
        fillGeneral();
        say(generalConflict, 'The workspace was changed by someone else — reloaded. Make your change again and save.');
      } catch (e) {
        say(generalError, describeError(e));
      }
    } else if (err instanceof ApiError && err.status === 403) {
      refuse();
    } else if (err instanceof ApiError && err.fieldErrors.length) {
      for (const e of err.fieldErrors) {
        const f = fieldName(e.field);
        if (f === 'name') fieldError(nameInput, nameError, `The name ${e.message}.`);
        else if (f === 'primaryColor') fieldError(colorInput, colorError, `The colour ${e.message}.`);
        else say(generalError, describeError(err));
      }
    } else {
      say(generalError, describeError(err));
    }
  } finally {
    generalSave.disabled = false;
    generalForm.removeAttribute('aria-busy');
  }
});

// ---- logo --------------------------------------------------------------------------

const logoForm = $('logo-form');
const logoFile = $('logo-file');
const logoError = $('logo-error');
const logoStatus = $('logo-status');
const logoUpload = $('logo-upload');
const logoRemove = $('logo-remove');

function renderLogoPanel() {
  const ws = state.ws;
  renderLogo($('logo-preview'), ws, { size: 64 });
  $('logo-state').textContent = ws.logo
    ? `An uploaded logo (${ws.logo.contentType}) is shown in the header.`
    : 'The default badge (the workspace’s initials) is shown.';
  logoRemove.hidden = !ws.logo;
}

function logoProblem(file) {
  if (!file) return 'Choose an image file first.';
  if (file.type && !LOGO_TYPES.includes(file.type)) return `A logo must be PNG, JPEG or SVG; this file is ${file.type}.`;
  if (file.size === 0) return 'This file is empty.';
  if (file.size > LOGO_MAX_BYTES) return `This file is ${(file.size / 1024 / 1024).toFixed(1)} MiB; a logo may be at most 1 MiB.`;
  return null;
}

function typeOf(file) {
  if (LOGO_TYPES.includes(file.type)) return file.type;
  const ext = file.name.toLowerCase().split('.').pop();
  return { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', svg: 'image/svg+xml' }[ext] || file.type || 'application/octet-stream';
}

logoFile.addEventListener('change', () => {
  fieldError(logoFile, logoError, '');
  say(logoStatus, '');
  const file = logoFile.files[0];
  if (!file) return;
  const problem = logoProblem(file);
  if (problem) fieldError(logoFile, logoError, problem);
  else showImage($('logo-preview'), file, { size: 64, alt: '' }); // a local preview until it is uploaded
});

function logoFailed(err) {
  if (err instanceof ApiError && err.status === 403) {
    refuse();
    return;
  }
  let message = describeError(err);
  if (err instanceof ApiError) {
    const details = err.fieldErrors.map((e) => e.message).filter(Boolean);
    if (err.status === 413) message = 'This image is too large: a logo may be at most 1 MiB.';
    else if (err.status === 415) message = 'This type of file is not accepted: use PNG, JPEG or SVG.';
    else if (details.length) message = `The logo was refused: ${details.join(' ')}`;
  }
  fieldError(logoFile, logoError, message);
}

async function afterLogoConflict() {
  await reloadWorkspace();
  fieldError(logoFile, logoError, 'The workspace was changed by someone else — reloaded. Try again.');
}

logoForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  fieldError(logoFile, logoError, '');
  say(logoStatus, '');
  const file = logoFile.files[0];
  const problem = logoProblem(file);
  if (problem) {
    fieldError(logoFile, logoError, problem);
    logoFile.focus();
    return;
  }
  logoUpload.disabled = true;
  logoForm.setAttribute('aria-busy', 'true');
  try {
    await apiResponse(wsPath(page.slug, '/logo'), {
      method: 'PUT', raw: file, contentType: typeOf(file), headers: { 'If-Match': state.etag },
    });
    logoForm.reset();
    await reloadWorkspace();
    say(logoStatus, 'Logo uploaded. It shows in the header of every workspace page.');
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      try { await afterLogoConflict(); } catch (e) { fieldError(logoFile, logoError, describeError(e)); }
    } else {
      logoFailed(err);
      renderLogoPanel();
    }
  } finally {
    logoUpload.disabled = false;
    logoForm.removeAttribute('aria-busy');
  }
});

logoRemove.addEventListener('click', async () => {
  fieldError(logoFile, logoError, '');
  say(logoStatus, '');
  logoRemove.disabled = true;
  try {
    await api(wsPath(page.slug, '/logo'), { method: 'DELETE', headers: { 'If-Match': state.etag } });
    await reloadWorkspace();
    say(logoStatus, 'Logo removed. The default badge shows again.');
    logoFile.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      try { await afterLogoConflict(); } catch (e) { fieldError(logoFile, logoError, describeError(e)); }
    } else {
      logoFailed(err);
    }
  } finally {
    logoRemove.disabled = false;
  }
});

// ---- AI provider -------------------------------------------------------------------

const aiForm = $('ai-form');
const provider = $('ai-provider');
const model = $('ai-model');
const baseUrl = $('ai-base-url');
const keyInput = $('ai-key');
const aiFields = {
  provider: [provider, $('ai-provider-error')],
  model: [model, $('ai-model-error')],
  baseUrl: [baseUrl, $('ai-base-url-error')],
  apiKey: [keyInput, $('ai-key-error')],
};
const aiError = $('ai-error');
const aiStatus = $('ai-status');
const aiConflict = $('ai-conflict');
const aiSave = $('ai-save');

function clearAiErrors() {
  for (const [input, node] of Object.values(aiFields)) fieldError(input, node, '');
  say(aiError, '');
}

function showBaseUrl() {
  const needed = NEEDS_BASE_URL.has(provider.value);
  $('ai-base-url-field').hidden = !needed;
  baseUrl.required = needed;
}

/** The key line: what is stored, and what saving will do with it. */
function renderKey() {
  const ai = state.ai;
  const summary = $('ai-key-summary');
  const set = Boolean(ai?.apiKeySet);
  if (state.key === 'clear') summary.textContent = 'The stored key will be removed when you save.';
  else if (set) summary.textContent = `Set — ends in ••••${ai.apiKeyLast4 ?? ''}`;
  else summary.textContent = 'No key set.';
  summary.classList.toggle('key-summary-warn', state.key === 'clear');
  $('ai-key-replace').hidden = !set || state.key !== 'keep';
  $('ai-key-clear').hidden = !set || state.key !== 'keep';
  $('ai-key-keep').hidden = !set || state.key === 'keep';
  // Without a stored key the field is simply there (optional); with one it appears on "Replace key".
  $('ai-key-input-wrap').hidden = set ? state.key !== 'replace' : false;
  $('ai-key-state').hidden = false;
}

function fillAi() {
  const ai = state.ai;
  provider.value = ai.provider || '';
  if (!ai.provider) provider.selectedIndex = 0;
  model.value = ai.model || '';
  baseUrl.value = ai.baseUrl || '';
  keyInput.value = ''; // never filled from the server
  state.key = 'keep';
  showBaseUrl();
  renderKey();
}

async function loadAi() {
  try {
    const { data, etag } = await apiResponse(wsPath(page.slug, '/ai-settings'));
    state.ai = data;
    state.aiEtag = etag;
    fillAi();
    $('ai-loading').hidden = true;
    aiForm.hidden = false;
  } catch (err) {
    $('ai-loading').hidden = true;
    if (err instanceof ApiError && err.status === 403) refuse();
    else say($('ai-failed'), `The AI settings could not be loaded. ${describeError(err)}`);
  }
}

provider.addEventListener('change', () => {
  fieldError(provider, aiFields.provider[1], '');
  showBaseUrl();
});
model.addEventListener('input', () => fieldError(model, aiFields.model[1], ''));
baseUrl.addEventListener('input', () => fieldError(baseUrl, aiFields.baseUrl[1], ''));
keyInput.addEventListener('input', () => fieldError(keyInput, aiFields.apiKey[1], ''));

$('ai-key-replace').addEventListener('click', () => {
  state.key = 'replace';
  renderKey();
  keyInput.focus();
});
$('ai-key-clear').addEventListener('click', () => {
  state.key = 'clear';
  keyInput.value = '';
  renderKey();
  $('ai-key-keep').focus();
});
$('ai-key-keep').addEventListener('click', () => {
  state.key = 'keep';
  keyInput.value = '';
  fieldError(keyInput, aiFields.apiKey[1], '');
  renderKey();
  $(state.ai?.apiKeySet ? 'ai-key-replace' : 'ai-key').focus();
});

aiForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearAiErrors();
  say(aiStatus, '');
  say(aiConflict, '');
  const body = { provider: provider.value, model: model.value.trim() };
  const needsUrl = NEEDS_BASE_URL.has(body.provider);
  if (needsUrl) body.baseUrl = baseUrl.value.trim();
  const key = keyInput.value;
  const problems = [];
  if (!body.provider) problems.push(['provider', 'Choose a provider.']);
  if (!body.model) problems.push(['model', 'Enter the model name.']);
  if (needsUrl && !body.baseUrl) problems.push(['baseUrl', 'Enter the base URL of the provider.']);
  if (needsUrl && body.baseUrl && !/^https?:\/\/[^\s/]+/i.test(body.baseUrl)) problems.push(['baseUrl', 'Enter an absolute http or https address.']);
  const writingKey = state.key === 'replace' || !state.ai?.apiKeySet;
  if (writingKey && key) {
    if (key.length < 8) problems.push(['apiKey', 'An API key has at least 8 characters.']);
    else if (/\s/.test(key)) problems.push(['apiKey', 'An API key contains no spaces.']);
    body.apiKey = key;
  } else if (state.key === 'replace') {
    problems.push(['apiKey', 'Enter the new key, or choose “Keep current key”.']);
  } else if (state.key === 'clear') {
    body.apiKey = null;
  } else if (state.ai?.apiKeySet) {
    const moved = body.provider !== state.ai.provider || (body.baseUrl ?? null) !== (state.ai.baseUrl ?? null);
    if (moved) problems.push(['apiKey', 'The stored key is only used with the provider and address it was set for: replace it or clear it.']);
  }
  if (problems.length) {
    for (const [f, message] of problems) fieldError(aiFields[f][0], aiFields[f][1], message);
    const first = aiFields[problems[0][0]][0];
    if (first.offsetParent) first.focus();
    else $('ai-key-replace').focus();
    return;
  }
  aiSave.disabled = true;
  aiForm.setAttribute('aria-busy', 'true');
  try {
    const { data, etag } = await apiResponse(wsPath(page.slug, '/ai-settings'), {
      method: 'PUT', body, headers: { 'If-Match': state.aiEtag },
    });
    state.ai = data;
    state.aiEtag = etag;
    fillAi();
    say(aiStatus, 'AI settings saved.');
  } catch (err) {
    keyInput.value = '';
    if (err instanceof ApiError && err.status === 412) {
      try {
        const { data, etag } = await apiResponse(wsPath(page.slug, '/ai-settings'));
        state.ai = data;
        state.aiEtag = etag;
        fillAi();
        say(aiConflict, 'The AI settings were changed by someone else — reloaded. Review them and save again.');
      } catch (e) {
        say(aiError, describeError(e));
      }
    } else if (err instanceof ApiError && err.status === 403) {
      refuse();
    } else if (err instanceof ApiError && err.fieldErrors.length) {
      for (const e of err.fieldErrors) {
        const f = fieldName(e.field);
        if (aiFields[f]) {
          if (f === 'apiKey' && state.ai?.apiKeySet && state.key === 'keep') {
            state.key = 'replace';
            renderKey();
          }
          fieldError(aiFields[f][0], aiFields[f][1], `${{ provider: 'The provider', model: 'The model', baseUrl: 'The base URL', apiKey: 'The API key' }[f]} ${e.message}.`);
        } else {
          say(aiError, e.message || describeError(err));
        }
      }
    } else {
      say(aiError, describeError(err));
    }
  } finally {
    aiSave.disabled = false;
    aiForm.removeAttribute('aria-busy');
  }
});

// ---- deletion ------------------------------------------------------------------------

const deleteDialog = $('delete-dialog');
const deleteConfirm = $('delete-confirm');
const deleteSubmit = $('delete-submit');
const deleteError = $('delete-error');

$('delete-open').addEventListener('click', () => {
  $('delete-slug').textContent = page.slug;
  deleteConfirm.value = '';
  deleteSubmit.disabled = true;
  say(deleteError, '');
  deleteDialog.showModal();
  deleteConfirm.focus();
});

deleteConfirm.addEventListener('input', () => {
  deleteSubmit.disabled = deleteConfirm.value.trim() !== page.slug;
});

deleteDialog.addEventListener('close', () => {
  if (deleteDialog.returnValue !== 'deleted') $('delete-open').focus();
});

$('delete-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (deleteConfirm.value.trim() !== page.slug) return;
  say(deleteError, '');
  deleteSubmit.disabled = true;
  try {
    await api(wsPath(page.slug), { method: 'DELETE', headers: { 'If-Match': state.etag } });
    deleteDialog.close('deleted');
    window.location.assign('/workspaces/');
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) {
      try { await reloadWorkspace(); fillGeneral(); } catch { /* the message below says enough */ }
      say(deleteError, 'The workspace was changed by someone else — reloaded. Check it and delete again.');
    } else if (err instanceof ApiError && err.status === 403) {
      say(deleteError, 'Only the owner may delete this workspace.');
      $('danger-zone').hidden = true;
      return;
    } else {
      say(deleteError, describeError(err));
    }
    deleteSubmit.disabled = deleteConfirm.value.trim() !== page.slug;
  }
});

// ---- start ---------------------------------------------------------------------------

function refuse() {
  $('settings-panels').hidden = true;
  $('settings-refused').hidden = false;
  $('settings-refused-back').setAttribute('href', workspaceHref(page.slug));
  page.show();
}

async function start() {
  if (!page) return;
  state.ws = page.ws;
  state.etag = page.etag;
  wireDialogs();
  try {
    const members = await listAll(wsPath(page.slug, '/members'));
    const self = members.find((m) => m.userId === page.me.id);
    const isOwner = self?.role === 'owner' || page.ws.role === 'owner';
    state.rights = { isOwner, canManage: isOwner || (self?.actions ?? []).includes('settings.manage') };
  } catch (err) {
    say($('workspace-failed-detail'), describeError(err));
    $('workspace-loading').hidden = true;
    $('workspace-failed').hidden = false;
    return;
  }
  if (!state.rights.canManage) {
    refuse();
    return;
  }
  buildSwatches();
  fillGeneral();
  renderLogoPanel();
  $('danger-zone').hidden = !state.rights.isOwner;
  $('settings-panels').hidden = false;
  page.show();
  await loadAi();
}

start();
