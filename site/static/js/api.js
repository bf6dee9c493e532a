// Talking to the Atelier REST API (same origin, /api/v1).

const TOKEN_KEY = 'atelier.token';
const API_ROOT = '/api/v1';

export const tokenStore = {
  get() {
    try { return window.localStorage.getItem(TOKEN_KEY); } catch { return null; }
  },
  set(token) {
    window.localStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    try { window.localStorage.removeItem(TOKEN_KEY); } catch { /* storage blocked */ }
  },
};

/** Where a mailed sign-in link leads afterwards: the link opens in another tab, so it is kept here. */
export const SIGN_IN_NEXT_KEY = 'atelier.sign-in-next';

/** An HTTP error answer; `problem` is the RFC 9457 body (or a stand-in). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** Validation errors as `[{field, message}]`. */
  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/** Where the browser is: path, query and fragment (an invitation link carries its token there). */
export function currentPath() {
  return window.location.pathname + window.location.search + window.location.hash;
}

export function signInUrl(next = currentPath()) {
  return '/sign-in/?next=' + encodeURIComponent(next);
}

/** Forget the token and go to the sign-in page, coming back here afterwards. */
export function redirectToSignIn() {
  tokenStore.clear();
  window.location.replace(signInUrl());
}

/**
 * Where to go after signing in: only a path on this site, never another origin
 * and never the sign-in page itself.
 */
export function safeNext(next, fallback = '/workspaces/') {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/sign-in')) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** A key for the Idempotency-Key header. */
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') {
    return window.crypto.randomUUID();
  }
  // randomUUID needs a secure context; getRandomValues does not.
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function readBody(res) {
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { return JSON.parse(text); } catch { return null; }
  }
  return null;
}

/**
 * Calls the API. Resolves with the parsed JSON body (null when empty); rejects
 * with ApiError for an error status, or TypeError when the server is unreachable.
 * A 401 sends the browser to the sign-in page unless `redirectOn401` is false.
 */
export async function api(path, options = {}) {
  return (await apiResponse(path, options)).data;
}

/**
 * Reads a plain-text resource (a build's log) with the bearer token. Resolves with its text ('' when
 * empty); rejects like `api`, an error answer's problem+json body read as usual.
 */
export async function apiText(path, options = {}) {
  return (await apiResponse(path, { ...options, text: true })).data;
}

/**
 * Like `api`, resolving with `{data, etag}`: the body and the ETag header (null when absent).
 * With `text: true` it asks for `text/plain` and `data` is the body as text ('' when empty).
 */
export async function apiResponse(path, { method = 'GET', body, raw, contentType, headers = {}, token, redirectOn401 = true, text = false } = {}) {
  const bearer = token ?? tokenStore.get();
  const accept = text ? 'text/plain, application/problem+json' : 'application/json, application/problem+json';
  const h = { Accept: accept, ...headers };
  if (bearer) h.Authorization = `Bearer ${bearer}`;
  const init = { method, headers: h, credentials: 'same-origin', cache: 'no-store' };
  if (raw !== undefined) {
    h['Content-Type'] = contentType || 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(API_ROOT + path, init);
  if (res.status === 401 && redirectOn401) {
    redirectToSignIn();
    return new Promise(() => {}); // the page is going away
  }
  if (text && res.ok) {
    return { data: res.status === 204 ? '' : await res.text(), etag: res.headers.get('ETag') };
  }
  const data = await readBody(res);
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : {};
    if (!problem.title) problem.title = res.statusText || `HTTP ${res.status}`;
    if (!problem.status) problem.status = res.status;
    throw new ApiError(res.status, problem);
  }
  return { data, etag: res.headers.get('ETag') };
}

/**
 * Reads a binary resource with the bearer token (an `<img>` cannot send it). Resolves with a
 * Blob, or null for 404; rejects like `api`.
 */
export async function apiBlob(path) {
  const bearer = tokenStore.get();
  const headers = { Accept: '*/*' }; // the route declares no image type to negotiate
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const res = await fetch(API_ROOT + path, { headers, credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 404) return null;
  if (res.status === 401) {
    redirectToSignIn();
    return new Promise(() => {});
  }
  if (!res.ok) {
    const data = await readBody(res);
    const problem = data && typeof data === 'object' ? data : {};
    if (!problem.title) problem.title = res.statusText || `HTTP ${res.status}`;
    throw new ApiError(res.status, problem);
  }
  return res.blob();
}

/** A sentence for the user about a failed call. */
export function describeError(err) {
  if (err instanceof ApiError) {
    return err.problem.detail || err.problem.title || `The server answered ${err.status}.`;
  }
  return 'The server could not be reached. Check your connection and try again.';
}
