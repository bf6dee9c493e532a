// The workspace overview, reached as /<slug>/.

import { api, ApiError, describeError } from './api.js';
import { renderLogo } from './brand.js';
import { startFrame, workspaceHref } from './frame.js';

const $ = (id) => document.getElementById(id);

/** The workspace slug is the first segment of the address: /<slug>/... */
function slugFromPath(pathname) {
  const first = pathname.split('/').filter(Boolean)[0];
  if (!first || first === 'w') return null; // the page's own folder, opened directly
  try { return decodeURIComponent(first); } catch { return null; }
}

const slug = slugFromPath(window.location.pathname);
const frame = startFrame({ workspaceSlug: slug });

function show(id) {
  for (const part of ['workspace-loading', 'workspace-missing', 'workspace-failed', 'workspace-overview']) {
    $(part).hidden = part !== id;
  }
}

function render(ws) {
  frame.setWorkspace(ws);
  renderLogo($('overview-logo'), ws, { size: 56 });
  $('workspace-title').textContent = ws.name;
  $('workspace-slug-value').textContent = ws.slug;
  $('workspace-address').textContent = window.location.origin + workspaceHref(ws.slug);
  $('workspace-role').textContent = ws.role || '—';
  const created = new Date(ws.createdAt);
  $('workspace-created').textContent = Number.isNaN(created.getTime())
    ? '—'
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(created);
  show('workspace-overview');
}

async function load() {
  if (!slug) {
    frame.hideWorkspaceNav();
    show('workspace-missing');
    return;
  }
  try {
    render(await api(`/workspaces/${encodeURIComponent(slug)}`));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      frame.hideWorkspaceNav();
      show('workspace-missing');
    } else {
      $('workspace-failed-detail').textContent = describeError(err);
      show('workspace-failed');
    }
  }
}

load();
