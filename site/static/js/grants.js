// The grants table: rows of a principal with level checkboxes and a preset, and the
// "Add user" / "Add group" pickers. Used by the permissions page and by the definition
// wizard's second step; the markup is the `grants-table` partial.

import { $, LEVELS, PRESETS, el, fieldIndex, fieldName } from './wspage.js';

export function presetOf(levels) {
  for (const [name, list] of Object.entries(PRESETS)) {
    if (list.length === levels.size && list.every((l) => levels.has(l))) return name;
  }
  return 'custom';
}

export class GrantsTable {
  /**
   * @param {object} options
   * @param {() => void} [options.onChange] called whenever the rows change by hand
   * @param {() => HTMLElement} [options.focusAfterRemove] where focus goes when the last row is removed
   */
  constructor({ onChange = () => {}, focusAfterRemove = () => $('add-user') } = {}) {
    this.rows = []; // {principal, levels: Set, groupName}
    this.members = [];
    this.groups = [];
    this.emails = new Map();
    this.groupNames = new Map();
    this.readOnly = false;
    this.onChange = onChange;
    this.focusAfterRemove = focusAfterRemove;
    this.body = $('grants-rows');
    this.userSelect = $('add-user-select');
    this.groupSelect = $('add-group-select');
    $('add-user').addEventListener('click', () => this.addRow(this.userSelect));
    $('add-group').addEventListener('click', () => this.addRow(this.groupSelect));
  }

  /** The workspace's members (`{userId, email}`) and groups (`{id, name}`) to pick from. */
  setPeople(members, groups) {
    this.members = [...members].sort((a, b) => String(a.email).localeCompare(String(b.email)));
    this.groups = [...groups].sort((a, b) => String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }));
    for (const m of members) this.emails.set(m.userId, m.email);
    for (const g of groups) this.groupNames.set(g.id, g.name);
  }

  /** Replaces the rows with grants as the API gives them (`[{principal, levels, groupName?}]`). */
  setGrants(data) {
    this.rows = (Array.isArray(data) ? data : []).map((g) => ({
      principal: g.principal, levels: new Set(g.levels ?? []), groupName: g.groupName,
    }));
    this.render();
  }

  setReadOnly(readOnly) {
    this.readOnly = readOnly;
    this.render();
  }

  /** The rows as the API takes them: `[{principal, levels}]`, levels in their usual order. */
  grants() {
    return this.rows.map((r) => ({ principal: r.principal, levels: LEVELS.filter((l) => r.levels.has(l)) }));
  }

  labelOf(principal, groupName) {
    const at = principal.indexOf(':');
    const kind = principal.slice(0, at);
    const id = principal.slice(at + 1);
    if (kind === 'group') return { text: groupName || this.groupNames.get(id) || 'Deleted group', group: true };
    return { text: this.emails.get(id) || 'Former member', group: false };
  }

  rowElement(row, index) {
    const label = this.labelOf(row.principal, row.groupName);
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
      box.disabled = this.readOnly;
      box.addEventListener('change', () => {
        if (box.checked) row.levels.add(level); else row.levels.delete(level);
        preset.value = presetOf(row.levels);
        this.onChange();
      });
      tr.append(el('td', { className: 'cell-center levels-cell' }, box));
      return box;
    });

    preset.disabled = this.readOnly;
    preset.addEventListener('change', () => {
      if (preset.value === 'custom') return; // keeps the boxes as they are, to edit one by one
      row.levels = new Set(PRESETS[preset.value]);
      boxes.forEach((b) => { b.checked = row.levels.has(b.dataset.level); });
      this.onChange();
    });
    tr.append(el('td', {}, preset));

    const cell = el('td', { className: 'cell-buttons' });
    if (!this.readOnly) {
      const remove = el('button', {
        className: 'button button-danger-quiet', text: 'Remove',
        attrs: { type: 'button', 'aria-label': `Remove the grant of ${label.text}` },
        dataset: { removeRow: String(index) },
      });
      remove.addEventListener('click', () => {
        this.rows.splice(this.rows.indexOf(row), 1);
        this.render();
        this.onChange();
        (this.body.querySelector('button[data-remove-row]') || this.focusAfterRemove())?.focus();
      });
      cell.append(remove);
    }
    tr.append(cell);
    return tr;
  }

  render() {
    this.body.replaceChildren(...this.rows.map((row, i) => this.rowElement(row, i)));
    const empty = $('grants-empty');
    if (empty) empty.hidden = this.rows.length > 0;
    $('grants-table').hidden = this.rows.length === 0;
    this.renderPickers();
  }

  fillPicker(select, button, options, emptyText) {
    select.replaceChildren(...options.map(([text, value]) => new Option(text, value)));
    const none = options.length === 0;
    if (none) select.append(new Option(emptyText, ''));
    select.disabled = none || this.readOnly;
    button.disabled = none || this.readOnly;
  }

  renderPickers() {
    const taken = new Set(this.rows.map((r) => r.principal));
    $('grants-toolbar').hidden = this.readOnly;
    this.fillPicker(this.userSelect, $('add-user'),
      this.members.filter((m) => !taken.has(`user:${m.userId}`)).map((m) => [m.email, `user:${m.userId}`]),
      'Every member has a grant');
    this.fillPicker(this.groupSelect, $('add-group'),
      this.groups.filter((g) => !taken.has(`group:${g.id}`)).map((g) => [g.name, `group:${g.id}`]),
      this.groups.length ? 'Every group has a grant' : 'No groups in this workspace');
  }

  addRow(select) {
    const principal = select.value;
    if (!principal) return;
    const groupName = principal.startsWith('group:') ? this.groupNames.get(principal.slice(6)) : undefined;
    this.rows.push({ principal, levels: new Set(PRESETS.viewer), groupName });
    this.render();
    this.onChange();
    this.body.lastElementChild?.querySelector('select')?.focus();
  }

  /**
   * Shows field errors such as `[2].principal` or `grants[2].principal` under their row; resolves
   * the rest into sentences for a general message. Call `render()` first to clear earlier ones.
   */
  showRowErrors(errors) {
    const general = [];
    for (const e of errors) {
      const i = fieldIndex(e.field);
      const row = i >= 0 && this.rows[i]
        ? this.body.querySelector(`tr[data-principal="${CSS.escape(this.rows[i].principal)}"]`) : null;
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
}
