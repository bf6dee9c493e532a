// The workspace's audit log (/<slug>/audit/, owner only), newest first, page by page.

import { api, ApiError, describeError } from './api.js';
import { $, el, formatTime, listAll, say, startWorkspacePage, wsPath } from './wspage.js';

const page = await startWorkspacePage();

const rowsBody = $('audit-rows');
const more = $('audit-more');
const emails = new Map(); // userId → email, to name actors
let cursor = null;
let count = 0;

/** Pretty JSON lines of a value ([] for none). */
function lines(value) {
  return value === null || value === undefined ? [] : JSON.stringify(value, null, 2).split('\n');
}

/** A line diff (longest common subsequence): [{type: ' '|'-'|'+', text}]. */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ type: ' ', text: a[i] }); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ type: '-', text: a[i++] });
    else out.push({ type: '+', text: b[j++] });
  }
  while (i < n) out.push({ type: '-', text: a[i++] });
  while (j < m) out.push({ type: '+', text: b[j++] });
  return out;
}

function diffBlock(before, after) {
  const pre = el('pre', { className: 'diff', attrs: { 'aria-label': 'Changes from before to after' } });
  const a = lines(before);
  const b = lines(after);
  if (!a.length && !b.length) {
    pre.append(el('span', { text: 'No details recorded.' }));
    return pre;
  }
  for (const line of diffLines(a, b)) {
    const cls = line.type === '+' ? 'diff-add' : line.type === '-' ? 'diff-del' : '';
    const prefix = line.type === '+' ? '+ ' : line.type === '-' ? '- ' : '  ';
    const span = el('span', { className: cls, text: prefix + line.text });
    if (line.type === '+') span.append(el('span', { className: 'visually-hidden', text: ' (added)' }));
    if (line.type === '-') span.append(el('span', { className: 'visually-hidden', text: ' (removed)' }));
    pre.append(span);
  }
  return pre;
}

function actorName(actor) {
  return emails.get(actor) || actor || '—';
}

/** The member a `member:<id>` target names, when known. */
function targetName(target) {
  const id = String(target ?? '').startsWith('member:') ? target.slice(7) : null;
  return id && emails.has(id) ? el('span', { className: 'muted target-name', text: emails.get(id) }) : null;
}

function entryRows(entry, index) {
  const id = `audit-details-${index}`;
  const toggle = el('button', {
    className: 'button button-quiet', text: 'Show changes',
    attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': id },
  });
  const details = el('tr', { className: 'audit-details', attrs: { id, hidden: true } },
    el('td', { attrs: { colspan: '5' } },
      el('div', { className: 'diff-columns' },
        el('div', {}, el('h3', { text: 'Before' }), el('pre', { className: 'diff', text: entry.before == null ? '—' : JSON.stringify(entry.before, null, 2), dataset: { before: '' } })),
        el('div', {}, el('h3', { text: 'After' }), el('pre', { className: 'diff', text: entry.after == null ? '—' : JSON.stringify(entry.after, null, 2), dataset: { after: '' } }))),
      el('h3', { className: 'subheading', text: 'Difference' }),
      diffBlock(entry.before, entry.after)));
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide changes' : 'Show changes';
    details.hidden = !open;
  });
  const time = el('time', { text: formatTime(entry.at), attrs: { datetime: entry.at } });
  const row = el('tr', { dataset: { action: entry.action, target: entry.target } },
    el('td', {}, time),
    el('td', { className: 'cell-member', text: actorName(entry.actor) }),
    el('td', {}, el('code', { text: entry.action })),
    el('td', { className: 'cell-member' }, el('code', { text: entry.target }), targetName(entry.target)),
    el('td', { className: 'cell-buttons' }, toggle));
  return [row, details];
}

async function loadPage() {
  const query = new URLSearchParams({ limit: '50' });
  if (cursor) query.set('cursor', cursor);
  const result = await api(wsPath(page.slug, `/audit?${query}`));
  const items = result?.items ?? [];
  for (const entry of items) rowsBody.append(...entryRows(entry, count++));
  cursor = result?.nextCursor || null;
  more.hidden = !cursor;
  $('audit-empty').hidden = count > 0;
  $('audit-table').hidden = count === 0;
  return items.length;
}

more.addEventListener('click', async () => {
  more.disabled = true;
  say($('audit-error'), '');
  const firstNew = count;
  try {
    await loadPage();
    // Keyboard users continue at the first new entry.
    rowsBody.querySelectorAll('tr:not(.audit-details)')[firstNew]?.querySelector('button')?.focus();
  } catch (err) {
    say($('audit-error'), `More entries could not be loaded. ${describeError(err)}`);
  } finally {
    more.disabled = false;
  }
});

async function start() {
  if (!page) return;
  try {
    const members = listAll(wsPath(page.slug, '/members')).catch(() => []); // names for actors; ids otherwise
    for (const m of await members) emails.set(m.userId, m.email);
    await loadPage();
    page.show();
  } catch (err) {
    $('workspace-loading').hidden = true;
    if (err instanceof ApiError && err.status === 403) {
      $('audit-refused').hidden = false;
    } else {
      say($('workspace-failed-detail'), describeError(err));
      $('workspace-failed').hidden = false;
    }
  }
}

start();
