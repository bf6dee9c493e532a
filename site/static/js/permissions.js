// The grants on one resource (/<slug>/permissions/?resource=definition:<id>) and the
// "Final permissions for" preview of any member or group on it.

import { apiResponse, api, ApiError, describeError } from './api.js';
import {
  $, LEVELS, PRESETS, el, fieldIndex, fieldName, listAll, say, startWorkspacePage, wsPath,
} from './wspage.js';

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
  rows: [], // {principal, levels: Set, groupName}
  etag: null,
  members: [],
  groups: [],
  emails: new Map(),
  groupNames: new Map(),
  readOnly: false,
};

const rowsBody = $('grants-rows');
const saveButton = $('grants-save');
const grantsError = $('grants-error');
const grantsStatus = $('grants-status');
const grantsConflict = $('grants-conflict');
const userSelect = $('add-user-select');
const groupSelect = $('add-group-select');

function grantsPath() {
  return wsPath(page.slug, `/${resource.collection}/${encodeURIComponent(resource.id)}/grants`);
}

function labelOf(principal, groupName) {
  const [kind, id] = [principal.slice(0, principal.indexOf(':')), principal.slice(principal.indexOf(':') + 1)];
  if (kind === 'group') return { text: groupName || state.groupNames.get(id) || 'Deleted group', group: true };
  return { text: state.emails.get(id) || 'Former member', group: false };
}

function presetOf(levels) {
  for (const [name, list] of Object.entries(PRESETS)) {
    if (list.length === levels.size && list.every((l) => levels.has(l))) return name;
  }
  return 'custom';
}

// ---- the grants table --------------------------------------------------------------

function grantRow(row, index) {
  const label = labelOf(row.principal, row.groupName);
  const tr = el('tr', { dataset: { principal: row.principal } });
  tr.append(el('th', { className: 'cell-member', attrs: { scope: 'row' } },
    el('span', { className: 'member-email', text: label.text }),
    label.group ? el('span', { className: 'pill', text: 'group' }) : null));

  const preset = el('select', { attrs: { 'aria-label': `Preset for ${label.text}` }, dataset: { preset: '' } });
  preset.append(new Option('Full access', 'full'), new Option('Editor', 'editor'), new Option('Viewer', 'viewer'), new Option('Custom', 'custom'));
  preset.value = presetOf(row.levels);

  const boxes = LEVELS.map((level) => {
    const box = el('input', { attrs: { type: 'checkbox', 'aria-label': `${level} for ${label.text}` }, dataset: { level } });
    box.checked = row.levels.has(level);
    box.disabled = state.readOnly;
    box.addEventListener('change', () => {
      if (box.checked) row.levels.add(level); else row.levels.delete(level);
      preset.value = presetOf(row.levels);
      say(grantsStatus, '');
    });
    tr.append(el('td', { className: 'cell-center levels-cell' }, box));
    return box;
  });

  preset.disabled = state.readOnly;
  preset.addEventListener('change', () => {
    if (preset.value === 'custom') return; // keeps the boxes as they are, to edit one by one
    row.levels = new Set(PRESETS[preset.value]);
    boxes.forEach((b) => { b.checked = row.levels.has(b.dataset.level); });
    say(grantsStatus, '');
  });
  tr.append(el('td', {}, preset));

  const cell = el('td', { className: 'cell-buttons' });
  if (!state.readOnly) {
    const remove = el('button', {
      className: 'button button-danger-quiet', text: 'Remove',
      attrs: { type: 'button', 'aria-label': `Remove the grant of ${label.text}` },
      dataset: { removeRow: String(index) },
    });
    remove.addEventListener('click', () => {
      state.rows.splice(state.rows.indexOf(row), 1);
      renderRows();
      say(grantsStatus, '');
      (rowsBody.querySelector('button[data-remove-row]') || saveButton).focus();
    });
    cell.append(remove);
  }
  tr.append(cell);
  return tr;
}

function renderRows() {
  rowsBody.replaceChildren(...state.rows.map(grantRow));
  $('grants-empty').hidden = state.rows.length > 0;
  $('grants-table').hidden = state.rows.length === 0;
  renderPickers();
  saveButton.disabled = state.readOnly;
}

function fillPicker(select, button, options, emptyText) {
  select.replaceChildren(...options.map(([text, value]) => new Option(text, value)));
  const none = options.length === 0;
  if (none) select.append(new Option(emptyText, ''));
  select.disabled = none || state.readOnly;
  button.disabled = none || state.readOnly;
}

function renderPickers() {
  const taken = new Set(state.rows.map((r) => r.principal));
  $('grants-toolbar').hidden = state.readOnly;
  fillPicker(userSelect, $('add-user'),
    state.members.filter((m) => !taken.has(`user:${m.userId}`)).map((m) => [m.email, `user:${m.userId}`]),
    'Every member has a grant');
  fillPicker(groupSelect, $('add-group'),
    state.groups.filter((g) => !taken.has(`group:${g.id}`)).map((g) => [g.name, `group:${g.id}`]),
    state.groups.length ? 'Every group has a grant' : 'No groups in this workspace');
}

function addRow(select) {
  const principal = select.value;
  if (!principal) return;
  const groupName = principal.startsWith('group:') ? state.groupNames.get(principal.slice(6)) : undefined;
  state.rows.push({ principal, levels: new Set(PRESETS.viewer), groupName });
  renderRows();
  say(grantsStatus, '');
  rowsBody.lastElementChild?.querySelector('select')?.focus();
}

$('add-user').addEventListener('click', () => addRow(userSelect));
$('add-group').addEventListener('click', () => addRow(groupSelect));

function setGrants(data, etag) {
  state.rows = (Array.isArray(data) ? data : []).map((g) => ({
    principal: g.principal, levels: new Set(g.levels ?? []), groupName: g.groupName,
  }));
  state.etag = etag;
  renderRows();
}

function showRowErrors(errors) {
  const general = [];
  for (const e of errors) {
    const i = fieldIndex(e.field);
    const row = i >= 0 && state.rows[i]
      ? rowsBody.querySelector(`tr[data-principal="${CSS.escape(state.rows[i].principal)}"]`) : null;
    if (row) {
      row.classList.add('has-error');
      const message = el('p', { className: 'error', text: e.message || 'This grant is not valid.', dataset: { rowError: String(i), field: fieldName(e.field) } });
      row.after(el('tr', { className: 'row-error' }, el('td', { attrs: { colspan: '8' } }, message)));
    } else {
      general.push(e.field ? `${e.field}: ${e.message}` : e.message);
    }
  }
  return general;
}

function readOnlyNow(message) {
  state.readOnly = true;
  renderRows();
  say(grantsError, message);
}

saveButton.addEventListener('click', async () => {
  say(grantsError, '');
  say(grantsStatus, '');
  say(grantsConflict, '');
  const body = state.rows.map((r) => ({ principal: r.principal, levels: LEVELS.filter((l) => r.levels.has(l)) }));
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
      const general = showRowErrors(err.fieldErrors);
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
    ...state.members.map((m) => new Option(m.email, `user:${m.userId}`)));
  const groups = el('optgroup', { attrs: { label: 'Groups' } },
    ...state.groups.map((g) => new Option(g.name, `group:${g.id}`)));
  pick.replaceChildren(placeholder, members, ...(state.groups.length ? [groups] : []));
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
    state.members = [...members].sort((a, b) => String(a.email).localeCompare(String(b.email)));
    state.groups = [...groups].sort((a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }));
    for (const m of members) state.emails.set(m.userId, m.email);
    for (const g of groups) state.groupNames.set(g.id, g.name);
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
