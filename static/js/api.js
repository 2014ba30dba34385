// Talking to the Matchmaker API. Members are signed in by a session cookie,
// and their writes carry the CSRF token that GET /api/v1/me gives; the host
// sends their token as a Bearer header. The host's token lives in this tab's
// sessionStorage only: never in localStorage, a cookie or a URL, so it goes
// when the tab is closed.

const HOST_TOKEN_KEY = 'matchmaker.host-token';

// ApiError is a failed request: status 0 when the service could not be
// reached, otherwise the HTTP status with the API's error envelope.
export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields || {};
  }
}

let me; // undefined: not asked yet; null: not signed in
let mePromise;

// member returns the signed-in member ({email, member_since, csrf_token}),
// or null. It asks the API once, unless refresh is set.
export async function member(refresh = false) {
  if (refresh) { me = undefined; mePromise = undefined; }
  if (me !== undefined) return me;
  if (!mePromise) {
    // The session answers 200 either way: a visitor's page load logs no
    // failed request.
    mePromise = send('GET', '/api/v1/session', { auth: 'member' })
      .then((s) => { me = s.signed_in ? s.member : null; return me; })
      .finally(() => { mePromise = undefined; });
  }
  return mePromise;
}

export function forgetMember() { me = null; }

export function hostToken() {
  try { return sessionStorage.getItem(HOST_TOKEN_KEY) || ''; } catch { return ''; }
}

export function setHostToken(token) {
  if (token) sessionStorage.setItem(HOST_TOKEN_KEY, token);
  else sessionStorage.removeItem(HOST_TOKEN_KEY);
}

// send makes one request and returns the decoded JSON answer (null for an
// empty one). opts.auth is 'member' (cookie, and the CSRF token on writes),
// 'host' (the Bearer token) or 'none'. A body is sent as JSON unless
// opts.contentType says otherwise. opts.key, from newKey, is the write's
// Idempotency-Key: the same write sent again with it is made once.
export async function send(method, path, opts = {}) {
  const res = await request(method, path, opts);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return null; }
}

// file fetches a file that is not JSON (a CSV statement, an email
// preview) and returns {blob, name, type}: name from the answer's
// Content-Disposition, when it gives one. Failures are ApiErrors, as send's.
export async function file(path, { auth = 'none', signal } = {}) {
  const res = await request('GET', path, { auth, signal, accept: '*/*' });
  const disposition = res.headers.get('Content-Disposition') || '';
  const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || '';
  return { blob: await res.blob(), name, type: res.headers.get('Content-Type') || '' };
}

// request sends a request as send and file describe, and returns the
// answer when it succeeded; otherwise it throws an ApiError from the
// answer's error envelope (status 0 when the server could not be reached).
async function request(method, path, opts) {
  const { body, contentType, auth = 'none', signal, accept = 'application/json', key } = opts;
  const headers = { Accept: accept };
  if (key) headers['Idempotency-Key'] = key;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType || 'application/json';
    payload = contentType ? body : JSON.stringify(body);
  }
  const write = method !== 'GET' && method !== 'HEAD';
  if (auth === 'host') {
    headers.Authorization = `Bearer ${hostToken()}`;
  } else if (auth === 'member' && write) {
    const m = await member();
    if (m && m.csrf_token) headers['X-CSRF-Token'] = m.csrf_token;
  }
  let res;
  try {
    res = await fetch(path, {
      method, headers, body: payload, signal,
      credentials: auth === 'member' ? 'same-origin' : 'omit',
    });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'could not reach Matchmaker');
  }
  if (res.ok) return res;
  let e = {};
  try { e = JSON.parse(await res.text()).error || {}; } catch { /* not the envelope */ }
  const err = new ApiError(res.status, e.code || 'error', e.message || res.statusText, e.fields);
  // A session that changed under us (signed out elsewhere, or a new CSRF
  // token): forget what we knew, so the next request asks again.
  if (auth === 'member' && (res.status === 401 || (res.status === 403 && /CSRF/i.test(err.message)))) me = undefined;
  throw err;
}

export const get = (path, opts) => send('GET', path, opts);
export const post = (path, body, opts = {}) => send('POST', path, { ...opts, body });
export const patch = (path, body, opts = {}) => send('PATCH', path, { ...opts, body });
export const del = (path, opts) => send('DELETE', path, opts);
export const put = (path, body, opts = {}) => send('PUT', path, { ...opts, body });

// query builds a query string from the set values of params.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// currentQuarter is the quarter of today, in UTC, like 2026-Q3.
export function currentQuarter(now = new Date()) {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

// newKey returns a new Idempotency-Key: one for each write a person means
// to make, kept while they may send it again (a double click, a retry), so
// that the service makes it once. (crypto.randomUUID needs HTTPS; a
// community's own server may not have it.)
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
