// The workspace slug derived from a name, the same way the server derives it.

export const SLUG_MAX = 40;

export function slugify(name) {
  let s = String(name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // drop combining marks: é → e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length > SLUG_MAX) s = s.slice(0, SLUG_MAX).replace(/-+$/, '');
  return s;
}
