// The workspace badge (initials in the workspace colour) and the --primary colour.

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
