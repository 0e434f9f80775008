// The API as the pages call it: JSON in and out, the bearer token from sessionStorage (never a
// cookie), and the API's problem+json answers as ApiError (status, title, detail, field).
const TOKEN_KEY = 'rifa1122.token';
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.title = problem?.title || '';
    this.detail = problem?.detail || '';
    this.field = problem?.field || '';
    this.type = problem?.type || '';
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
}

// The token's claims (for display only: the API decides what the token may do).
export function claims() {
  const t = token();
  if (!t) return null;
  try {
    const part = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch { return null; }
}

export async function call(method, path, body, { auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && token()) headers.Authorization = `Bearer ${token()}`;
  const res = await fetch(API + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store',
  });
  const text = await res.text();
  let data = null;
  if (text) { try { data = JSON.parse(text); } catch { data = null; } }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const get = (path, opts) => call('GET', path, undefined, opts);
export const post = (path, body, opts) => call('POST', path, body ?? {}, opts);
export const patch = (path, body, opts) => call('PATCH', path, body, opts);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Every page of a paginated list (per_page 100), up to `limit` items.
export async function getAll(path, params = {}, limit = 10000, opts) {
  const items = [];
  for (let page = 1; items.length < limit; page++) {
    const r = await get(path + query({ ...params, page, per_page: 100 }), opts);
    items.push(...r.items);
    if (r.items.length < 100 || items.length >= r.total) break;
  }
  return items;
}
