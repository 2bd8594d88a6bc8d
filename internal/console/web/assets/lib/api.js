// The console's only way to data: the JSON API under /api/v1, with the
// session cookie the browser holds. Commands repeat the CSRF token (the
// govshare_csrf cookie, readable by this site's scripts only) in the
// X-CSRF-Token header; the API refuses cookie-authenticated commands
// without it (403 auth.csrf_invalid).

/** An RFC 9457 problem answered by the API (or a network failure, status 0). */
export class Problem extends Error {
  constructor(status, body = {}) {
    super(body.title || `请求失败（${status}）`);
    this.status = status;
    this.code = body.code || '';
    this.title = body.title || '';
    this.detail = body.detail || '';
    this.field = body.field || '';
    // errors: the API's list of problems at once (e.g. a file's bad rows,
    // dataset.rows_invalid), each with its field and row.
    this.errors = Array.isArray(body.errors) ? body.errors : [];
  }
  /** True when the object does not exist or is not for this person. */
  get notFoundOrForbidden() { return this.status === 404 || this.status === 403; }
}

export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'govshare_csrf') return decodeURIComponent(rest.join('='));
  }
  return '';
}

/**
 * api('GET', '/todo') → parsed JSON; null for 204. Throws Problem.
 * path is under /api/v1; query parameters go in path, encoded by the caller
 * (use qs()).
 */
export async function api(method, path, body, contentType) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (contentType) {
    // A file sent as it is (upload()).
    headers['Content-Type'] = contentType;
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken();
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch {
    throw new Problem(0, { code: 'network', title: '无法连接服务器，请检查网络后重试' });
  }
  if (res.status === 204) return null;
  const json = (res.headers.get('Content-Type') || '').includes('json');
  const data = json ? await res.json() : null;
  if (!res.ok) throw new Problem(res.status, data || {});
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);
/** upload('POST', path, file, 'text/csv'): a file's bytes as the request body. */
export const upload = (method, path, file, contentType) => api(method, path, file, contentType);

/** qs({q: '驾驶证', limit: 20}) → '?q=%E9…&limit=20'; empty values left out. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== undefined && v !== null) u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}
