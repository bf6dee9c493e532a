// The page frame shared by every signed-in page: header, sidebar, switcher.

import { api, tokenStore, signInUrl } from './api.js';
import { applyPrimary, renderBadge, renderLogo } from './brand.js';

const $ = (id) => document.getElementById(id);

export function workspaceHref(slug, path = '') {
  return `/${encodeURIComponent(slug)}/${path}`;
}

function wireSignOut() {
  $('sign-out')?.addEventListener('click', () => {
    tokenStore.clear();
    window.location.assign('/sign-in/');
  });
}

function wireMenu() {
  const toggle = $('menu-toggle');
  const sidebar = $('sidebar');
  if (!toggle || !sidebar) return;
  const set = (open) => {
    toggle.setAttribute('aria-expanded', String(open));
    document.body.classList.toggle('sidebar-open', open);
  };
  toggle.addEventListener('click', () => set(toggle.getAttribute('aria-expanded') !== 'true'));
  document.getElementById('main')?.addEventListener('click', () => set(false));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('sidebar-open')) {
      set(false);
      toggle.focus();
    }
  });
}

function wireUserMenu() {
  const toggle = $('user-menu-toggle');
  const menu = $('user-menu');
  if (!toggle || !menu) return;
  const set = (open, focusToggle = false) => {
    toggle.setAttribute('aria-expanded', String(open));
    menu.hidden = !open;
    if (open) menu.querySelector('a:not([hidden]), button')?.focus();
    else if (focusToggle) toggle.focus();
  };
  toggle.addEventListener('click', () => set(toggle.getAttribute('aria-expanded') !== 'true'));
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      set(false, true);
    }
  });
  toggle.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !menu.hidden) set(false);
  });
  document.addEventListener('click', (e) => {
    if (!menu.hidden && !menu.contains(e.target) && !toggle.contains(e.target)) set(false);
  });
  menu.addEventListener('focusout', (e) => {
    if (e.relatedTarget && !menu.contains(e.relatedTarget) && e.relatedTarget !== toggle) set(false);
  });
}

/** Links only site administrators may use (the Users page). */
function showAdminLinks(me) {
  for (const node of document.querySelectorAll('[data-site-admin]')) node.hidden = !me.siteAdmin;
}

function markCurrentLinks() {
  const here = window.location.pathname;
  for (const a of document.querySelectorAll('#sidebar a.nav-link, #user-menu a')) {
    if (a.getAttribute('href') === here) a.setAttribute('aria-current', 'page');
  }
}

function fillWorkspaceNav(slug) {
  for (const a of document.querySelectorAll('#sidebar a[data-ws-path]')) {
    a.setAttribute('href', workspaceHref(slug, a.dataset.wsPath));
  }
}

function fillUser(me) {
  const name = $('user-name');
  const email = $('user-email');
  if (name) name.textContent = me.displayName || me.email || '';
  if (email) email.textContent = me.displayName && me.email ? me.email : '';
  const user = $('current-user');
  if (user) user.title = me.siteAdmin ? 'Site administrator' : '';
}

class Switcher {
  constructor(select, currentSlug) {
    this.select = select;
    this.currentSlug = currentSlug;
    this.workspaces = [];
    select?.addEventListener('change', () => {
      const slug = select.value;
      if (slug && slug !== this.currentSlug) window.location.assign(workspaceHref(slug));
    });
  }

  set(workspaces) {
    this.workspaces = [...workspaces].sort((a, b) =>
      String(a.name).localeCompare(String(b.name), undefined, { sensitivity: 'base' }) ||
      String(a.slug).localeCompare(String(b.slug)));
    this.render();
  }

  /** A workspace renamed on this page shows its new name. */
  rename(ws) {
    const known = this.workspaces.find((w) => w.slug === ws.slug);
    if (!known || known.name === ws.name) return;
    known.name = ws.name;
    this.set(this.workspaces);
  }

  add(ws) {
    if (this.workspaces.some((w) => w.slug === ws.slug)) return;
    this.set([...this.workspaces, { slug: ws.slug, name: ws.name, role: ws.role }]);
  }

  render() {
    const select = this.select;
    if (!select) return;
    const options = [];
    const known = this.workspaces.some((w) => w.slug === this.currentSlug);
    if (!known) {
      const placeholder = new Option(this.workspaces.length ? 'Select a workspace' : 'No workspaces yet', '');
      placeholder.disabled = true;
      placeholder.selected = true;
      options.push(placeholder);
    }
    for (const w of this.workspaces) {
      const option = new Option(w.name, w.slug); // Option sets text, never HTML
      if (w.slug === this.currentSlug) option.selected = true;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.disabled = this.workspaces.length === 0;
  }

  failed() {
    if (!this.select) return;
    this.select.replaceChildren(new Option('Workspaces unavailable', ''));
    this.select.disabled = true;
  }
}

/**
 * Starts the frame. `workspaceSlug` is the workspace the page belongs to, if any.
 * Returns hooks for the page: `me` (a promise of GET /me), `setWorkspace`, `addWorkspace`.
 */
export function startFrame({ workspaceSlug = null } = {}) {
  if (!tokenStore.get()) {
    window.location.replace(signInUrl());
  }
  wireSignOut();
  wireMenu();
  wireUserMenu();
  applyPrimary(null);
  renderBadge($('workspace-logo'), 'Atelier');
  if (workspaceSlug) fillWorkspaceNav(workspaceSlug);
  markCurrentLinks();

  const switcher = new Switcher($('workspace-switcher'), workspaceSlug);
  const me = api('/me').then(
    (profile) => {
      fillUser(profile);
      showAdminLinks(profile);
      switcher.set(Array.isArray(profile.workspaces) ? profile.workspaces : []);
      return profile;
    },
    (err) => {
      switcher.failed();
      const name = $('user-name');
      if (name) name.textContent = 'Profile unavailable';
      throw err;
    });
  me.catch(() => {}); // reported in the header; pages may still await it

  return {
    me,
    /** Shows the workspace in the header: badge (or uploaded logo), name, colour. */
    setWorkspace(ws) {
      applyPrimary(ws.primaryColor);
      renderLogo($('workspace-logo'), ws);
      switcher.rename(ws);
      const label = $('brand-workspace');
      if (label) label.textContent = ws.name;
      document.title = `${ws.name} · Atelier`;
    },
    /** The page's workspace does not exist (or is not visible): no workspace links. */
    hideWorkspaceNav() {
      const nav = $('workspace-nav');
      if (nav) nav.hidden = true;
    },
    /** A workspace created on this page joins the switcher. */
    addWorkspace(ws) {
      switcher.add(ws);
    },
  };
}
