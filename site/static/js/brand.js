// The workspace badge (initials in the workspace colour, or the uploaded logo) and the --primary colour.

import { apiBlob } from './api.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
export const DEFAULT_PRIMARY = '#4f46e5';

export function safeColor(color) {
  return typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color.toLowerCase() : DEFAULT_PRIMARY;
}

/** Up to two initials: the first letter of the first two words. */
export function initials(name) {
  const words = String(name ?? '').normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return 'A';
  const first = (w) => Array.from(w)[0];
  const letters = words.length === 1 ? [first(words[0])] : [first(words[0]), first(words[1])];
  return letters.join('').toLocaleUpperCase();
}

function relativeLuminance(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Sets --primary (and a readable text colour on it) for the whole page. */
export function applyPrimary(color) {
  const c = safeColor(color);
  const root = document.documentElement.style;
  root.setProperty('--primary', c);
  root.setProperty('--on-primary', relativeLuminance(c) > 0.4 ? '#111827' : '#ffffff');
}

/** Fills `container` with an SVG badge showing the initials of `name`. */
export function renderBadge(container, name, { size = 32, color } = {}) {
  if (!container) return;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 40 40');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('focusable', 'false');
  const rect = document.createElementNS(SVG_NS, 'rect');
  rect.setAttribute('class', 'logo-bg');
  rect.setAttribute('width', '40');
  rect.setAttribute('height', '40');
  rect.setAttribute('rx', '9');
  if (color) rect.style.fill = safeColor(color);
  const text = document.createElementNS(SVG_NS, 'text');
  text.setAttribute('class', 'logo-text');
  text.setAttribute('x', '20');
  text.setAttribute('y', '21');
  text.setAttribute('text-anchor', 'middle');
  text.setAttribute('dominant-baseline', 'central');
  const label = initials(name);
  if (label.length > 1) text.setAttribute('font-size', '16');
  text.textContent = label;
  svg.append(rect, text);
  container.replaceChildren(svg);
}

const blobUrls = new WeakMap(); // container → the object URL it shows

function forgetBlob(container) {
  const url = blobUrls.get(container);
  if (url) URL.revokeObjectURL(url);
  blobUrls.delete(container);
}

/** Shows `blob` as the image in `container` (for previews and the uploaded logo). */
export function showImage(container, blob, { size = 32, alt = '' } = {}) {
  if (!container) return;
  forgetBlob(container);
  const url = URL.createObjectURL(blob);
  blobUrls.set(container, url);
  const img = document.createElement('img');
  img.className = 'logo-img';
  img.src = url;
  img.alt = alt;
  img.width = size;
  img.height = size;
  container.replaceChildren(img);
}

/**
 * The workspace's logo in `container`: the badge at once, then the uploaded image when the
 * workspace view says there is one (fetched with the token; `<img>` cannot send it).
 * Resolves true when an image shows.
 */
export async function renderLogo(container, ws, { size = 32 } = {}) {
  if (!container) return false;
  forgetBlob(container);
  renderBadge(container, ws?.name, { size });
  const asked = ws?.logo && ws.slug ? `${ws.slug}@${ws.logo.updatedAt ?? ''}` : '';
  container.dataset.logoFor = asked;
  if (!asked) return false;
  try {
    const blob = await apiBlob(`/workspaces/${encodeURIComponent(ws.slug)}/logo`);
    if (!blob || container.dataset.logoFor !== asked) return false;
    showImage(container, blob, { size });
    return true;
  } catch {
    return false; // the badge stays
  }
}
