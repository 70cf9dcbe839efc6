// Test helper: start a real zonegov server on a free 127.0.0.1 port with a
// fresh store filled by `zonegov demo`, and stop it again.
//
//   const srv = await startServer({ env: { ZONEGOV_SESSION_TTL: '2' } });
//   const r = await srv.api('POST', '/api/v1/auth/login', { username: 'admin', password: srv.password });
//   await srv.stop();
//
// To serve an existing store file instead (e.g. again after a crash):
//   const again = await startServer({ db: srv.db });   // no demo fill; the file is kept on stop
//
// The binary is build/zonegov (override with ZONEGOV_BIN).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.ZONEGOV_BIN || join(ROOT, 'build', 'zonegov');
export const DEMO_PASSWORD = 'demo-pass-2026';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function startServer({ env = {}, demo, samples = false, args = [], db: existing } = {}) {
  // A fresh store in a temp folder (removed on stop), or the given store file (kept).
  const own = !existing;
  const dir = own ? mkdtempSync(join(tmpdir(), 'zonegov-test-')) : dirname(existing);
  const db = own ? join(dir, 'zonegov.db') : existing;
  const fullEnv = { ...process.env, ...env };
  if (demo ?? own) {
    execFileSync(BIN, ['demo', '--db', db, '--password', DEMO_PASSWORD, ...(samples ? ['--samples'] : [])],
      { env: fullEnv, stdio: 'pipe' });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, ...args], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`zonegov did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  async function api(method, path, body, { token, headers = {}, raw } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = h['content-type'] || 'application/json';
    }
    const r = await fetch(url + path, { method, headers: h, body: payload });
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, json };
  }

  async function login(username, password = DEMO_PASSWORD) {
    const r = await api('POST', '/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r.json.token;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const res = await exited;
    if (own) rmSync(dir, { recursive: true, force: true });
    return res;
  }

  return { url, port, db, dir, child, exited, api, login, stop, password: DEMO_PASSWORD, log: () => log };
}
