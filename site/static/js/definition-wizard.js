// The two-step definition wizard: a new definition (/<slug>/definitions/new/), a copy to
// customise (/<slug>/definitions/new/?copy=<id>) and a new version of one
// (/<slug>/definitions/edit/?id=<id>). Step 1 is the configuration, step 2 the grants.

import { apiResponse, ApiError, describeError, newIdempotencyKey } from './api.js';
import { $, callerRights, el, listAll, say, startWorkspacePage, wsPath } from './wspage.js';
import { GrantsTable } from './grants.js';
import { requirementProblems } from './requirements.js';
import { slugify } from './slug.js';

const params = new URLSearchParams(window.location.search);
const editing = window.location.pathname.includes('/definitions/edit/');
const mode = editing ? 'edit' : params.get('copy') ? 'copy' : 'new';
const sourceId = editing ? params.get('id') : params.get('copy');

const page = await startWorkspacePage();

const form = $('wizard-form');
const nameInput = $('def-display-name');
const cliInput = $('def-cli-name');
const gpuBox = $('def-gpu');
const backButton = $('wizard-back');
const nextButton = $('wizard-next');
const submitButton = $('wizard-submit');
const wizardError = $('wizard-error');
const wizardConflict = $('wizard-conflict');
const grantsError = $('grants-error');

/** Each field of the API with its input and its error element. */
const FIELDS = {
  displayName: 'def-display-name',
  cliName: 'def-cli-name',
  memoryGb: 'def-memory',
  cpuCores: 'def-cpu',
  pythonVersion: 'def-python',
  requirements: 'def-requirements',
  preBuildScript: 'def-pre-build',
  postBuildScript: 'def-post-build',
  os: 'def-os',
  gpu: 'def-gpu',
  'gpu.type': 'def-gpu-type',
  'gpu.count': 'def-gpu-count',
  baseImage: 'def-base-image',
};

const state = {
  step: 1,
  source: null, // the definition edited or copied, as the API gave it
  etag: null,
  canCreate: false,
  pending: null, // {json, key}: a retry of the same create reuses its Idempotency-Key
};

const table = new GrantsTable({ onChange: () => say(grantsError, '') });

function pageHref(rest) {
  return `/${encodeURIComponent(page.slug)}/${rest}`;
}

// ---- the CLI name follows the display name until edited by hand ------------------------

let cliFollowsName = mode !== 'edit';

function updateCliFromName() {
  const derived = slugify(nameInput.value);
  cliInput.placeholder = derived;
  if (cliFollowsName) cliInput.value = derived;
}

nameInput.addEventListener('input', () => {
  clearFieldError('displayName');
  updateCliFromName();
});
cliInput.addEventListener('input', () => {
  clearFieldError('cliName');
  cliFollowsName = cliInput.value === '' && mode !== 'edit';
});

// ---- OS, GPU --------------------------------------------------------------------------------

function currentOs() {
  return form.querySelector('input[name="os"]:checked')?.value || 'linux';
}

function updateScriptLabels() {
  const lang = currentOs() === 'windows' ? 'PowerShell' : 'Bash';
  for (const span of document.querySelectorAll('.script-lang')) span.textContent = lang;
}

for (const radio of form.querySelectorAll('input[name="os"]')) {
  radio.addEventListener('change', () => { clearFieldError('os'); updateScriptLabels(); });
}

function updateGpu() {
  $('gpu-fields').hidden = !gpuBox.checked;
}
gpuBox.addEventListener('change', () => {
  clearFieldError('gpu'); clearFieldError('gpu.type'); clearFieldError('gpu.count');
  updateGpu();
});

// ---- field errors ---------------------------------------------------------------------------

function inputOf(field) {
  return field === 'os' ? $('os-linux') : $(FIELDS[field]);
}

function setFieldError(field, messages) {
  const list = Array.isArray(messages) ? messages : [messages];
  const node = $(`${FIELDS[field]}-error`);
  if (node.tagName === 'UL') {
    node.replaceChildren(...list.map((m) => el('li', { text: m })));
  } else {
    node.textContent = list.join(' ');
  }
  node.hidden = list.length === 0;
  const input = inputOf(field);
  if (field === 'os') {
    for (const r of form.querySelectorAll('input[name="os"]')) r.setAttribute('aria-invalid', 'true');
  } else if (input) {
    input.setAttribute('aria-invalid', 'true');
  }
}

function clearFieldError(field) {
  const node = $(`${FIELDS[field]}-error`);
  if (node) { node.replaceChildren(); node.hidden = true; }
  if (field === 'os') {
    for (const r of form.querySelectorAll('input[name="os"]')) r.removeAttribute('aria-invalid');
  } else {
    inputOf(field)?.removeAttribute('aria-invalid');
  }
}

function clearErrors() {
  for (const field of Object.keys(FIELDS)) clearFieldError(field);
  say(wizardError, '');
  say(grantsError, '');
}

for (const [field, id] of Object.entries(FIELDS)) {
  if (field === 'requirements' || field === 'os' || field === 'displayName' || field === 'cliName') continue;
  $(id)?.addEventListener('input', () => clearFieldError(field));
}

// Requirements are checked as they are typed once a problem shows, and when leaving the field.
const requirementsInput = $('def-requirements');
function checkRequirements() {
  const problems = requirementProblems(requirementsInput.value);
  if (problems.length) setFieldError('requirements', problems); else clearFieldError('requirements');
  return problems.length === 0;
}
requirementsInput.addEventListener('blur', checkRequirements);
requirementsInput.addEventListener('input', () => {
  if (requirementsInput.getAttribute('aria-invalid') === 'true') checkRequirements();
});

// ---- the form and the API -------------------------------------------------------------------

function wholeNumber(value) {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
}

/** Step 1 as the API takes it (without grants). */
function configuration() {
  return {
    displayName: nameInput.value.trim(),
    cliName: cliInput.value.trim() || null,
    memoryGb: wholeNumber($('def-memory').value),
    cpuCores: wholeNumber($('def-cpu').value),
    pythonVersion: $('def-python').value,
    requirements: requirementsInput.value,
    preBuildScript: $('def-pre-build').value,
    postBuildScript: $('def-post-build').value,
    os: currentOs(),
    gpu: gpuBox.checked ? { type: $('def-gpu-type').value, count: wholeNumber($('def-gpu-count').value) } : null,
    baseImage: $('def-base-image').value || null,
  };
}

/** Client-side checks of step 1, mirroring the server's; true when all pass. */
function validateConfiguration() {
  for (const field of Object.keys(FIELDS)) clearFieldError(field);
  const c = configuration();
  const range = (field, value, min, max) => {
    if (!Number.isInteger(value) || value < min || value > max) setFieldError(field, `must be a whole number from ${min} to ${max}`);
  };
  if (!c.displayName) setFieldError('displayName', 'Give the definition a name.');
  if (c.cliName && !/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/.test(c.cliName)) {
    setFieldError('cliName', 'must be 3 to 40 of a–z, 0–9 and hyphens, starting and ending with a letter or digit');
  }
  range('memoryGb', c.memoryGb, 1, 1024);
  range('cpuCores', c.cpuCores, 1, 192);
  if (c.gpu) range('gpu.count', c.gpu.count, 1, 8);
  checkRequirements();
  return !form.querySelector('#step-config [aria-invalid="true"]');
}

function focusFirstInvalid() {
  const first = form.querySelector('#step-config [aria-invalid="true"]');
  if (first) first.focus();
}

function goTo(step) {
  state.step = step;
  $('step-config').hidden = step !== 1;
  $('step-permissions').hidden = step !== 2;
  $('step-1-label').toggleAttribute('aria-current', false);
  $('step-2-label').toggleAttribute('aria-current', false);
  $(`step-${step}-label`).setAttribute('aria-current', 'step');
  backButton.hidden = step !== 2;
  nextButton.hidden = step !== 1;
  submitButton.hidden = step !== 2;
  $(step === 1 ? 'step-config-heading' : 'step-permissions-heading').focus();
}

nextButton.addEventListener('click', () => {
  say(wizardError, '');
  if (validateConfiguration()) goTo(2); else focusFirstInvalid();
});
backButton.addEventListener('click', () => goTo(1));

function fill(d) {
  nameInput.value = d.displayName ?? '';
  cliInput.value = d.cliName ?? '';
  $('def-memory').value = String(d.memoryGb ?? 8);
  $('def-cpu').value = String(d.cpuCores ?? 2);
  $('def-python').value = d.pythonVersion ?? '3.12';
  requirementsInput.value = d.requirements ?? '';
  $('def-pre-build').value = d.preBuildScript ?? '';
  $('def-post-build').value = d.postBuildScript ?? '';
  (d.os === 'windows' ? $('os-windows') : $('os-linux')).checked = true;
  gpuBox.checked = !!d.gpu;
  if (d.gpu) {
    $('def-gpu-type').value = d.gpu.type;
    $('def-gpu-count').value = String(d.gpu.count);
  }
  if (d.baseImage) {
    // an image this page cannot list yet: keep it, named as it is
    const select = $('def-base-image');
    if (![...select.options].some((o) => o.value === d.baseImage)) select.append(new Option(d.baseImage, d.baseImage));
    select.value = d.baseImage;
  }
  updateScriptLabels();
  updateGpu();
}

/** Shows the server's field errors at their fields, on their step; the rest in general. */
function showServerErrors(err) {
  const byField = new Map();
  const grantErrors = [];
  const general = [];
  for (const e of err.fieldErrors) {
    const field = String(e.field ?? '');
    if (field.startsWith('grants')) grantErrors.push(e);
    else if (FIELDS[field]) byField.set(field, [...(byField.get(field) ?? []), e.message || 'This value is not valid.']);
    else general.push(field ? `${field}: ${e.message}` : e.message);
  }
  if (err.status === 409 && byField.size === 0 && grantErrors.length === 0 && err.fieldErrors.length === 0) {
    general.push(describeError(err));
  }
  for (const [field, messages] of byField) setFieldError(field, messages);
  table.render(); // clears earlier row errors
  const unplaced = table.showRowErrors(grantErrors);
  if (grantErrors.length) say(grantsError, unplaced.length ? unplaced.join(' ') : 'Some grants are not valid; see the rows marked below them.');
  if (general.length) say(wizardError, general.join(' '));
  if (byField.size) {
    if (state.step !== 1) goTo(1);
    focusFirstInvalid();
  } else if (grantErrors.length) {
    if (state.step !== 2) goTo(2);
    (table.body.querySelector('tr.has-error select') || $('step-permissions-heading')).focus();
  } else if (!general.length) {
    say(wizardError, describeError(err));
  }
}

function idempotencyKeyFor(body) {
  const json = JSON.stringify(body);
  if (!state.pending || state.pending.json !== json) state.pending = { json, key: newIdempotencyKey() };
  return state.pending.key;
}

function busy(on) {
  form.setAttribute('aria-busy', on ? 'true' : 'false');
  submitButton.disabled = on;
  backButton.disabled = on;
}

function withoutNullCli(c) {
  const body = { ...c };
  if (!body.cliName) delete body.cliName;
  return body;
}

/** Whether the copy's configuration differs from its source in more than its names. */
function changedBeyondNames(c, source) {
  const pick = (d) => JSON.stringify([d.memoryGb, d.cpuCores, d.pythonVersion, d.requirements ?? '', d.preBuildScript ?? '',
    d.postBuildScript ?? '', d.os, d.gpu ? [d.gpu.type, d.gpu.count] : null, d.baseImage ?? null]);
  return pick(c) !== pick(source);
}

async function create(c) {
  const body = { ...withoutNullCli(c), grants: table.grants() };
  const { data } = await apiResponse(wsPath(page.slug, '/definitions'), {
    method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKeyFor(body) },
  });
  window.location.assign(pageHref(`definitions/view/?id=${encodeURIComponent(data.id)}&created=1`));
}

async function saveEdit(c) {
  const body = { ...c, cliName: c.cliName || state.source.cliName };
  const { data } = await apiResponse(wsPath(page.slug, `/definitions/${encodeURIComponent(state.source.id)}`), {
    method: 'PUT', body, headers: { 'If-Match': state.etag },
  });
  window.location.assign(pageHref(`definitions/view/?id=${encodeURIComponent(data.id)}&saved=1`));
}

async function copy(c) {
  const copyBody = { displayName: c.displayName };
  if (c.cliName) copyBody.cliName = c.cliName;
  const { data: copied, etag } = await apiResponse(wsPath(page.slug, `/definitions/${encodeURIComponent(state.source.id)}/copy`), {
    method: 'POST', body: copyBody, headers: { 'Idempotency-Key': idempotencyKeyFor(copyBody) },
  });
  if (changedBeyondNames(c, state.source)) {
    try {
      await apiResponse(wsPath(page.slug, `/definitions/${encodeURIComponent(copied.id)}`), {
        method: 'PUT', body: { ...c, cliName: copied.cliName }, headers: { 'If-Match': etag || '"1"' },
      });
    } catch (err) {
      // The copy exists: go on as editing it, with what was typed still in the form.
      becomeEditOf(copied, etag || '"1"');
      throw err;
    }
  }
  window.location.assign(pageHref(`definitions/view/?id=${encodeURIComponent(copied.id)}&created=1`));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.step === 1) { nextButton.click(); return; }
  clearErrors();
  say(wizardConflict, '');
  if (!validateConfiguration()) { goTo(1); focusFirstInvalid(); return; }
  const c = configuration();
  busy(true);
  try {
    if (mode === 'edit' || state.copied) await saveEdit(c);
    else if (mode === 'copy') await copy(c);
    else await create(c);
  } catch (err) {
    busy(false);
    if (!(err instanceof ApiError)) { say(wizardError, describeError(err)); return; }
    if (err.status === 412) {
      say(wizardConflict, 'This definition was changed by someone else — reloaded. Make your changes again.');
      try {
        await reload();
        goTo(1);
      } catch (again) {
        say(wizardError, describeError(again));
      }
    } else if (err.status === 403) {
      submitButton.disabled = true;
      say(wizardError, mode === 'edit' || state.copied
        ? 'You may not change this definition: that needs the Write level on it.'
        : 'You may not create workstation definitions: that needs the “Manage images” action.');
    } else if (err.status === 404 && (mode === 'edit' || mode === 'copy')) {
      submitButton.disabled = true;
      say(wizardError, 'This definition no longer exists, or you may no longer see it.');
    } else if (state.copied && !err.fieldErrors.length) {
      say(wizardError, `The copy was created, but your changes were not saved: ${describeError(err)}`);
    } else {
      showServerErrors(err);
      if (state.copied) say(wizardError, 'The copy was created, but your changes were not saved; correct them and save again.');
    }
  }
});

// ---- edit, copy, and starting -------------------------------------------------------------

function definitionPath(id) {
  return wsPath(page.slug, `/definitions/${encodeURIComponent(id)}`);
}

async function reload() {
  const { data, etag } = await apiResponse(definitionPath(state.source.id));
  setUpEdit(data, etag);
  fill(data);
}

function showGrantsElsewhere(id, text) {
  $('grants-editor').hidden = true;
  $('grants-elsewhere').hidden = false;
  $('grants-elsewhere-text').textContent = text;
  $('grants-link').href = pageHref(`permissions/?resource=definition:${encodeURIComponent(id)}`);
}

function setUpEdit(d, etag) {
  state.source = d;
  state.etag = etag;
  $('wizard-title').textContent = `Edit “${d.displayName}”`;
  $('wizard-lead').textContent = `Version ${d.version}. Saving makes version ${d.version + 1}.`;
  submitButton.textContent = 'Save';
  $('def-cli-name-hint').textContent = 'Used on the command line: 3–40 of a–z, 0–9 and hyphens, unique in the workspace. Changing it renames the definition there.';
  showGrantsElsewhere(d.id, 'Who may use an existing definition is set on its Permissions page: saving here does not change its grants.');
  document.title = `Edit ${d.displayName} · ${page.ws.name}`;
}

/** After a copy whose changes could not be saved: the page edits the copy from now on. */
function becomeEditOf(copied, etag) {
  state.copied = true;
  cliFollowsName = false;
  cliInput.value = copied.cliName;
  setUpEdit(copied, etag);
  window.history.replaceState(null, '', pageHref(`definitions/edit/?id=${encodeURIComponent(copied.id)}`));
}

function refuseToStart(title, detail) {
  $('workspace-loading').hidden = true;
  $('definition-missing-title').textContent = title;
  $('definition-missing-detail').textContent = detail;
  $('definition-missing').hidden = false;
}

async function start() {
  if (!page) return;
  for (const a of document.querySelectorAll('.back-to-list')) a.href = pageHref('definitions/');
  $('wizard-cancel').href = pageHref('definitions/');
  document.title = `New definition · ${page.ws.name}`;
  updateCliFromName();
  try {
    const [members, groups, source] = await Promise.all([
      listAll(wsPath(page.slug, '/members')),
      listAll(wsPath(page.slug, '/groups')).catch(() => []),
      sourceId ? apiResponse(definitionPath(sourceId)) : null,
    ]);
    const rights = callerRights(members, page.me?.id);
    state.canCreate = rights.isOwner || (rights.self?.actions ?? []).includes('images.manage');
    table.setPeople(members.filter((m) => m.userId !== page.me?.id), groups);
    table.setGrants([]);
    if (mode !== 'edit' && !state.canCreate) {
      refuseToStart('You may not create workstation definitions',
        'Creating and copying definitions needs the “Manage images” action. Ask the workspace owner for it.');
      return;
    }
    if (mode === 'edit' && !sourceId) {
      refuseToStart('No definition chosen', 'Open a definition from the list to edit it.');
      return;
    }
    if (mode === 'edit') {
      setUpEdit(source.data, source.etag);
      fill(source.data);
    } else if (mode === 'copy') {
      state.source = source.data;
      fill({ ...source.data, displayName: `${source.data.displayName} (copy)`, cliName: '' });
      cliFollowsName = true;
      updateCliFromName();
      $('wizard-title').textContent = `Copy “${source.data.displayName}”`;
      $('wizard-lead').textContent = 'Every value is copied; change what you need. Two steps: the configuration, then who may use the copy.';
      showGrantsElsewhere(source.data.id, 'The copy starts with you holding Full access, and no other grants. After creating it, share it from its Permissions page (the Permissions link in the list).');
      $('grants-link').closest('p').hidden = true;
      document.title = `Copy ${source.data.displayName} · ${page.ws.name}`;
    }
    page.show();
    nameInput.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      refuseToStart('Definition not found', 'It does not exist in this workspace, or you may not see it.');
    } else {
      $('workspace-loading').hidden = true;
      say($('workspace-failed-detail'), describeError(err));
      $('workspace-failed').hidden = false;
    }
  }
}

start();
