// Shared assertions and small HTTP helpers for the API tests in this folder.
//
// Not a test file itself (node --test only picks up *.test.mjs here). Everything
// talks to a real zonegov started by tests/lib/server.mjs.
import assert from 'node:assert/strict';
import http from 'node:http';

export const DEMO_ROLES = {
  admin: 'admin',
  leader: 'leader',
  dispatcher: 'dispatcher',
  handler: 'department_handler',
  gridleader: 'grid_leader',
  gridworker: 'grid_worker',
  supervisor: 'supervisor',
};
export const DEMO_USERS = Object.keys(DEMO_ROLES);
export const NON_ADMIN_USERS = DEMO_USERS.filter((u) => u !== 'admin');
export const ALL_ROLES = Object.values(DEMO_ROLES);

const CJK = /[\u3400-\u9fff]/;

// A unique, valid username for this run (letters, digits, '_'), at most 32 chars.
let seq = 0;
export function uniqueName(prefix = 'u') {
  seq += 1;
  return `${prefix}_${process.pid % 10000}_${seq}`.slice(0, 32);
}

// Assert the uniform error contract:
//   status, content-type application/json, X-Request-Id, and
//   {"error":{"code","field":string|null,"message":Chinese,"message_en":English}}.
// `field`: undefined = only check the type; null or a string = exact value.
// `code` may be a string or an array of acceptable codes.
export function assertError(r, status, code, field) {
  const ctx = `response was ${r.status} ${r.headers.get('content-type')} ${r.text.slice(0, 400)}`;
  assert.equal(r.status, status, `status: ${ctx}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json\b/i, `content-type: ${ctx}`);
  assert.ok(r.headers.get('x-request-id'), `X-Request-Id missing: ${ctx}`);
  assert.ok(r.json && typeof r.json === 'object', `body is not JSON: ${ctx}`);
  const e = r.json.error;
  assert.ok(e && typeof e === 'object' && !Array.isArray(e), `no error object: ${ctx}`);
  if (Array.isArray(code)) assert.ok(code.includes(e.code), `code ${e.code} not in ${code}: ${ctx}`);
  else assert.equal(e.code, code, `code: ${ctx}`);
  assert.ok('field' in e, `error.field missing (must be string or null): ${ctx}`);
  assert.ok(e.field === null || typeof e.field === 'string', `error.field type: ${ctx}`);
  if (field !== undefined) assert.equal(e.field, field, `field: ${ctx}`);
  assert.equal(typeof e.message, 'string', `message: ${ctx}`);
  assert.ok(e.message.trim().length > 0, `message empty: ${ctx}`);
  assert.match(e.message, CJK, `message is not Chinese: ${ctx}`);
  assert.equal(typeof e.message_en, 'string', `message_en: ${ctx}`);
  assert.ok(e.message_en.trim().length > 0, `message_en empty: ${ctx}`);
  assert.match(e.message_en, /[A-Za-z]/, `message_en is not English: ${ctx}`);
  return e;
}

// Bearer tokens of several demo users: { name: token } (srv.login fails loudly).
export async function loginAll(srv, users) {
  return Object.fromEntries(await Promise.all(users.map(async (u) => [u, await srv.login(u)])));
}

export function assertStatus(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`);
}

// The fields of a user that the contract names, in a stable form, so that two
// snapshots of the store can be compared without tripping over extra fields.
function projectUser(u) {
  return {
    id: u.id, username: u.username, name: u.name,
    roles: Array.isArray(u.roles) ? [...u.roles].sort() : u.roles,
    scope: u.scope, phone: u.phone, disabled: u.disabled, created_at: u.created_at,
  };
}

// Read the whole user list (all pages) as admin. Returns {total, users} with users
// sorted by id; used to prove that a refused request changed nothing.
export async function snapshotUsers(srv, adminToken) {
  const users = [];
  let total = null;
  // ask for big pages; if the server refuses per_page=100, use its default page size
  let per = '&per_page=100';
  const probe = await srv.api('GET', `/api/v1/users?page=1${per}`, undefined, { token: adminToken });
  if (probe.status !== 200) per = '';
  for (let page = 1; page <= 1000; page++) {
    const r = await srv.api('GET', `/api/v1/users?page=${page}${per}`, undefined, { token: adminToken });
    assertStatus(r, 200);
    assert.ok(Array.isArray(r.json.items), `items is not an array: ${r.text.slice(0, 200)}`);
    total = r.json.total;
    users.push(...r.json.items);
    if (r.json.items.length === 0 || users.length >= total) break;
  }
  users.sort((a, b) => String(a.id).localeCompare(String(b.id), 'en', { numeric: true }));
  return { total, users: users.map(projectUser) };
}

// Assert that the user store is exactly as in `before`, and that none of
// `absent` (usernames) exists.
export async function assertUsersUnchanged(srv, adminToken, before, absent = []) {
  const after = await snapshotUsers(srv, adminToken);
  assert.equal(after.total, before.total, 'user total changed');
  assert.deepEqual(after.users, before.users, 'user list changed');
  for (const name of absent) {
    assert.ok(!after.users.some((u) => u.username === name), `user ${name} was created`);
  }
}

// Parse a Set-Cookie header value into {name, value, attrs: Map(lowercased name -> value|true)}.
export function parseSetCookie(line) {
  const parts = line.split(';').map((s) => s.trim());
  const [nv, ...rest] = parts;
  const eq = nv.indexOf('=');
  const attrs = new Map();
  for (const a of rest) {
    if (!a) continue;
    const i = a.indexOf('=');
    if (i < 0) attrs.set(a.toLowerCase(), true);
    else attrs.set(a.slice(0, i).trim().toLowerCase(), a.slice(i + 1).trim());
  }
  return { name: nv.slice(0, eq), value: nv.slice(eq + 1), attrs };
}

export function sessionCookie(r) {
  const lines = typeof r.headers.getSetCookie === 'function'
    ? r.headers.getSetCookie()
    : (r.headers.get('set-cookie') ? [r.headers.get('set-cookie')] : []);
  const c = lines.map(parseSetCookie).find((x) => x.name === 'zonegov_session');
  return c || null;
}

// One HTTP request on its own TCP connection (agent: false), via node:http.
// `body` may be a string or Buffer; `chunked: true` sends it with
// Transfer-Encoding: chunked in 64 KiB pieces. If the server answers before the
// body is fully written and then closes, the answer is still returned.
export function rawRequest(srv, { method = 'GET', path = '/', headers = {}, body, chunked = false }) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    const buf = body === undefined ? null : (Buffer.isBuffer(body) ? body : Buffer.from(body));
    if (buf && !chunked) h['content-length'] = String(buf.length);
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, headers: h, agent: false });
    let res = null;
    const chunks = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      const hdrs = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) v.forEach((x) => hdrs.append(k, x)); else hdrs.set(k, v);
      }
      resolve({ status: res.statusCode, headers: hdrs, text, json });
    };
    req.on('response', (r) => {
      res = r;
      r.on('data', (d) => chunks.push(d));
      r.on('end', finish);
      r.on('error', () => finish());
    });
    req.on('error', (err) => {
      if (!res) reject(err);
    });
    if (!buf) { req.end(); return; }
    if (!chunked) { req.end(buf); return; }
    let off = 0;
    const step = 64 * 1024;
    const pump = () => {
      while (off < buf.length) {
        if (res || req.destroyed) return;
        const piece = buf.subarray(off, off + step);
        off += step;
        if (!req.write(piece)) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}

// Prometheus text format: list of {name, labels: {..}, value}.
export function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?\s*$/);
    if (!m) continue;
    const labels = {};
    if (m[2]) {
      for (const lm of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
        labels[lm[1]] = lm[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
    }
    const v = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    out.push({ name: m[1], labels, value: v });
  }
  return out;
}

export function sumMetric(samples, name, pred = () => true) {
  return samples.filter((s) => s.name === name && pred(s.labels)).reduce((a, s) => a + s.value, 0);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// expires_at may be an ISO-8601 string or a Unix time in seconds (or ms).
export function expiresAtMs(v) {
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return expiresAtMs(Number(v));
    return Date.parse(v);
  }
  return NaN;
}

// A valid body for POST /api/v1/users; override any field.
export function newUserBody(over = {}) {
  return {
    username: uniqueName('user'),
    name: '测试用户',
    password: 'correct-horse-42',
    roles: ['grid_worker'],
    ...over,
  };
}

// Create a user as admin and return {user, body}; fails the test unless 201.
export async function createUser(srv, adminToken, over = {}) {
  const body = newUserBody(over);
  const r = await srv.api('POST', '/api/v1/users', body, { token: adminToken });
  assertStatus(r, 201);
  assert.ok(r.json && r.json.user, `no user in ${r.text}`);
  return { user: r.json.user, body };
}

export async function loginRaw(srv, username, password) {
  return srv.api('POST', '/api/v1/auth/login', { username, password });
}
