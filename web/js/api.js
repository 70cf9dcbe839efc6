// The one API client of the web app.
//
//   import { api } from './api.js';
//   const { items } = await api.get('/users', { query: { page: 1 } });
//   await api.post('/users', body, { silent: true });
//   await api.post('/cases', body, { headers: { 'Idempotency-Key': key } });
//   await api.request('POST', '/categories/import', { raw: file, contentType: 'text/csv; charset=utf-8' });
//
// Requests go to /api/v1 with the session cookie (credentials 'same-origin')
// and JSON bodies (or a raw body: a string, Blob or File sent as it is, with
// its contentType). A failed request throws an ApiError carrying the HTTP status
// and the server's error object {code, field, message, message_en}; unless the
// call passes { silent: true }, the message is also shown to the user in the
// current language.
import { i18n, t } from './i18n.js';

export const API_BASE = 'api/v1';

export class ApiError extends Error {
  constructor(status, error, { retryAfter = null } = {}) {
    const e = error || {};
    super(e.message || e.message_en || e.code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;            // HTTP status, 0 for a network failure
    this.code = e.code || null;      // e.g. invalid_credentials, too_many_attempts, invalid_field, conflict
    this.field = e.field ?? null;    // the offending field, or null
    this.message_zh = e.message || null;
    this.message_en = e.message_en || null;
    this.error = e;                  // the server's error object as sent
    this.retryAfter = retryAfter;    // seconds, from Retry-After (429)
  }

  // The server's message in the current language (falls back to the other one).
  get localizedMessage() {
    return errorMessage(this);
  }
}

// Message of any error in the current language.
export function errorMessage(err) {
  if (!err) return '';
  if (err instanceof ApiError) {
    const en = i18n.lang === 'en';
    const msg = en ? (err.message_en || err.message_zh) : (err.message_zh || err.message_en);
    if (msg) return msg;
    if (err.status === 0) return t('errors.network');
    return t('errors.server', { status: err.status });
  }
  return err.message || String(err);
}

let unauthorizedHandler = null;
// Called with the ApiError when a request (other than login / me) gets 401.
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

function showError(err) {
  const EP = window.ElementPlus;
  if (EP && EP.ElMessage) {
    EP.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
  }
}

function buildUrl(path, query) {
  let url = API_BASE + (path.startsWith('/') ? path : '/' + path);
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.append(k, String(v));
    }
    const s = qs.toString();
    if (s) url += '?' + s;
  }
  return url;
}

function parseRetryAfter(value) {
  if (!value) return null;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const d = Date.parse(value);
  if (!Number.isNaN(d)) return Math.max(0, Math.ceil((d - Date.now()) / 1000));
  return null;
}

export async function request(method, path, { body, raw, contentType, query, headers: extra, silent = false, skipAuthRedirect = false } = {}) {
  const headers = { ...(extra || {}), Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (raw !== undefined) {
    headers['Content-Type'] = contentType || 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let res;
  try {
    res = await fetch(buildUrl(path, query), init);
  } catch (cause) {
    const err = new ApiError(0, { code: 'network_error', field: null, message: t('errors.network'), message_en: null });
    err.cause = cause;
    if (!silent) showError(err);
    throw err;
  }

  let data = null;
  const text = res.status === 204 ? '' : await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }

  if (res.ok) return data;

  const serverError = data && typeof data === 'object' && data.error && typeof data.error === 'object' ? data.error : null;
  const err = new ApiError(res.status, serverError || { code: 'http_' + res.status, field: null }, {
    retryAfter: parseRetryAfter(res.headers.get('Retry-After')),
  });
  if (res.status === 401 && !skipAuthRedirect && unauthorizedHandler) {
    unauthorizedHandler(err);
    throw err;               // the handler tells the user; no second message
  }
  if (!silent) showError(err);
  throw err;
}

export const api = {
  request,
  get: (path, opts) => request('GET', path, opts),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
};
