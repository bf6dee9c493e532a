// The grants on one resource (/<slug>/permissions/?resource=definition:<id>) and the
// "Final permissions for" preview of any member or group on it.

import { apiResponse, api, ApiError, describeError } from './api.js';
import {
  $, LEVELS, el, listAll, say, startWorkspacePage, wsPath,
} from './wspage.js';
import { GrantsTable } from './grants.js';

const KINDS = {
  definition: { collection: 'definitions', label: 'Workstation definition' },
  image: { collection: 'images', label: 'Image' },
  workstation: { collection: 'workstations', label: 'Workstation' },
};

const REASONS = {
  grant: 'a direct grant',
  owner: 'workspace owner',
  launcher: 'launched this workstation',
};

/** `definition:<id>` from the query string, or null. */
function resourceFromQuery() {
  const raw = new URLSearchParams(window.location.search).get('resource') || '';
  const at = raw.indexOf(':');
  if (at < 0) return null;
  const kind = raw.slice(0, at);
  const id = raw.slice(at + 1);
  if (!KINDS[kind] || !id) return null;
  return { kind, id, raw: `${kind}:${id}`, ...KINDS[kind] };
}

const page = await startWorkspacePage();
const resource = resourceFromQuery();

const state = {
  etag: null,
  readOnly: false,
};

const saveButton = $('grants-save');
const grantsError = $('grants-error');
const grantsStatus = $('grants-status');
const grantsConflict = $('grants-conflict');
const table = new GrantsTable({
  onChange: () => say(grantsStatus, ''),
  focusAfterRemove: () => saveButton,
});

function grantsPath() {
  return wsPath(page.slug, `/${resource.collection}/${encodeURIComponent(resource.id)}/grants`);
}

function renderRows() {
  table.render();
  saveButton.disabled = state.readOnly;
}

function setGrants(data, etag) {
  state.etag = etag;
  table.setGrants(data);
  saveButton.disabled = state.readOnly;
}

function readOnlyNow(message) {
  state.readOnly = true;
  table.setReadOnly(true);
  saveButton.disabled = true;
  say(grantsError, message);
}

saveButton.addEventListener('click', async () => {
  say(grantsError, '');
  say(grantsStatus, '');
  say(grantsConflict, '');
  const body = table.grants();
  saveButton.disabled = true;
  try {
    const headers = state.etag ? { 'If-Match': state.etag } : {};
    const { data, etag } = await apiResponse(grantsPath(), { method: 'PUT', body, headers });
    setGrants(data, etag);
    say(grantsStatus, 'Grants saved.');
    refreshEffective();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      readOnlyNow('You can see these grants but may not change them: that needs the Promote level on this resource.');
      return;
    }
    if (err instanceof ApiError && err.status === 412) {
      say(grantsConflict, 'These grants were changed by someone else — reloaded. Make your changes again.');
      await loadGrants();
    } else if (err instanceof ApiError && err.fieldErrors.length) {
      renderRows(); // clears earlier row errors
      const general = table.showRowErrors(err.fieldErrors);
      say(grantsError, general.length ? general.join(' ') : 'Some grants are not valid; see the rows marked below them.');
    } else {
      say(grantsError, describeError(err));
    }
    saveButton.disabled = state.readOnly;
  }
});

async function loadGrants() {
  const { data, etag } = await apiResponse(grantsPath());
  setGrants(data, etag);
}

// ---- final permissions -----------------------------------------------------------------

const pick = $('effective-principal');
const effStatus = $('effective-status');
const effResult = $('effective-result');

function fillEffectivePicker() {
  const placeholder = new Option('Choose a member or group', '');
  const members = el('optgroup', { attrs: { label: 'Members' } },
    ...table.members.map((m) => new Option(m.email, `user:${m.userId}`)));
  const groups = el('optgroup', { attrs: { label: 'Groups' } },
    ...table.groups.map((g) => new Option(g.name, `group:${g.id}`)));
  pick.replaceChildren(placeholder, members, ...(table.groups.length ? [groups] : []));
}

function chipList(values, label, key) {
  if (!values.length) return el('span', { className: 'muted', text: 'None' });
  return el('ul', { className: 'chips', attrs: { 'aria-label': label } },
    ...values.map((v) => el('li', { className: 'chip', text: v, dataset: { [key]: v } })));
}

function reasonText(source) {
  if (source.startsWith('group:')) return `member of the group “${source.slice(6)}”`;
  return REASONS[source] || source;
}

function renderEffective(result) {
  const levels = result.levels ?? [];
  const order = (l) => { const i = LEVELS.indexOf(l); return i < 0 ? LEVELS.length : i; };
  $('effective-levels').replaceChildren(chipList([...levels].sort((a, b) => order(a) - order(b)), 'Levels', 'level'));
  $('effective-actions').replaceChildren(chipList(result.actions ?? [], 'Actions', 'action'));
  const reasons = [...(result.reasons ?? [])].sort((a, b) => order(a.level) - order(b.level));
  $('effective-reasons').replaceChildren(...(reasons.length
    ? reasons.map((r) => el('li', { dataset: { level: r.level, source: r.source } },
      el('span', { className: 'reason-level', text: r.level }), el('span', { text: reasonText(r.source) })))
    : [el('li', { className: 'muted', text: 'No grant reaches this resource: no access.' })]));
  effResult.hidden = false;
}

let effectiveRequest = 0;

async function refreshEffective() {
  const principal = pick.value;
  effResult.hidden = true;
  if (!principal) { say(effStatus, ''); return; }
  const mine = ++effectiveRequest;
  say(effStatus, 'Loading…');
  try {
    const query = new URLSearchParams({ principal, resource: resource.raw });
    const result = await api(wsPath(page.slug, `/effective-permissions?${query}`));
    if (mine !== effectiveRequest) return;
    say(effStatus, '');
    renderEffective(result || {});
  } catch (err) {
    if (mine !== effectiveRequest) return;
    if (err instanceof ApiError && err.status === 403) {
      say(effStatus, 'Only the workspace owner and members who manage members can preview final permissions.');
      pick.disabled = true;
    } else {
      say(effStatus, describeError(err));
    }
  }
}

pick.addEventListener('change', refreshEffective);

// ---- start -------------------------------------------------------------------------------

async function start() {
  if (!page) return;
  if (!resource) {
    $('workspace-loading').hidden = true;
    $('resource-missing').hidden = false;
    return;
  }
  $('resource-title').textContent = `${resource.label} ${resource.id}`;
  document.title = `Permissions · ${resource.label} ${resource.id} · ${page.ws.name}`;
  try {
    const [members, groups] = await Promise.all([
      listAll(wsPath(page.slug, '/members')),
      listAll(wsPath(page.slug, '/groups')),
    ]);
    table.setPeople(members, groups);
    await loadGrants();
    fillEffectivePicker();
    page.show();
  } catch (err) {
    $('workspace-loading').hidden = true;
    if (err instanceof ApiError && err.status === 404) {
      $('resource-missing-title').textContent = `${resource.label} not found`;
      $('resource-missing-detail').textContent = 'It does not exist in this workspace, or you may not see it.';
      $('resource-missing').hidden = false;
    } else {
      say($('workspace-failed-detail'), describeError(err));
      $('workspace-failed').hidden = false;
    }
  }
}

start();
