// What the definition pages share: labels, and about image builds: statuses, their stages, durations,
// status badges and a poller that asks again while a build is in progress.

import { el } from './wspage.js';

export const OS_LABELS = { linux: 'Linux', windows: 'Windows' };

export function gpuText(gpu) {
  return gpu ? `${gpu.count} × ${gpu.type}` : 'None';
}

/** The stages a build walks through, in order; it ends at `available`, or `failed` / `cancelled` on the way. */
export const STAGES = ['pending', 'building', 'testing', 'distributing', 'available'];

export const STATUS_LABELS = {
  pending: 'Pending',
  building: 'Building',
  testing: 'Testing',
  distributing: 'Distributing',
  available: 'Available',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const ENDED = new Set(['available', 'failed', 'cancelled']);

export function ended(status) {
  return ENDED.has(status);
}

export function inProgress(status) {
  return !!status && !ended(status);
}

export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status ?? '');
}

function millis(iso) {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? null : t;
}

/** When a build began: its start, or when it was asked for while it is still pending. */
export function beganAt(build) {
  return millis(build.startedAt) ?? millis(build.statusHistory?.[0]?.at);
}

/** Milliseconds from its beginning to its end (or to `now` while in progress); null when unknown. */
export function elapsedMillis(build, now = Date.now()) {
  const from = beganAt(build);
  if (from === null) return null;
  const to = ended(build.status) ? millis(build.finishedAt) ?? now : now;
  return Math.max(0, to - from);
}

/** `45s`, `2m 10s`, `1h 05m`. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A status badge: the word is always there, the colour only repeats it. */
export function statusBadge(status) {
  return el('span', { className: `badge badge-${ended(status) ? status : 'progress'}`, text: statusLabel(status), dataset: { status } });
}

/** The AMIs of a build as `[[region, amiId]]` (`amis` when the API gives it, else `amiId`). */
export function amisOf(build) {
  if (build.amis && typeof build.amis === 'object' && Object.keys(build.amis).length) {
    return Object.entries(build.amis).sort(([a], [b]) => a.localeCompare(b));
  }
  return build.amiId ? [[null, build.amiId]] : [];
}

/**
 * Calls `load` now and then every `everyMs` while `wanted()` says so and the page is visible;
 * never two at once. `poke()` loads again at once (after a change); `stop()` ends it.
 */
export function poller(load, { everyMs = 3000, wanted }) {
  let timer = null;
  let running = false;
  let again = false;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    timer = null;
    if (stopped || document.hidden || !wanted()) return;
    timer = setTimeout(run, everyMs);
  };

  async function run() {
    clearTimeout(timer);
    timer = null;
    if (stopped) return;
    if (running) { again = true; return; }
    running = true;
    try {
      await load();
    } catch { /* the page shows its own errors; the next round tries again */ }
    running = false;
    if (again) { again = false; run(); return; }
    schedule();
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) { clearTimeout(timer); timer = null; } else if (!running && wanted()) run();
  });

  return {
    /** Loads again now (or right after the load under way), then goes on while wanted. */
    poke: run,
    /** Starts polling if it is not (after something began), without loading at once. */
    ensure: () => { if (!timer && !running) schedule(); },
    stop: () => { stopped = true; clearTimeout(timer); },
  };
}
