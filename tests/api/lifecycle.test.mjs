// Server life cycle: SIGTERM lets in-flight requests finish and closes the
// store cleanly; the route table (via the OpenAPI document) guards every
// non-public route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';

test('serve_sigterm_finishes_in_flight_requests_and_exits_0', async () => {
  const srv = await startServer();
  // A login spends ~0.1 s in argon2id: send it, then SIGTERM while it runs.
  const pending = srv.api('POST', '/api/v1/auth/login', { username: 'admin', password: srv.password });
  await new Promise((r) => setTimeout(r, 20));
  srv.child.kill('SIGTERM');
  const r = await pending;
  assert.equal(r.status, 200, 'the in-flight login is answered');
  assert.ok(r.json.token);
  const { code } = await srv.exited;
  assert.equal(code, 0);
  assert.match(srv.log(), /stopped cleanly/);
  // Store closed cleanly: SQLite removes the WAL file on the last close.
  assert.equal(existsSync(srv.db + '-wal'), false, 'WAL checkpointed and removed');
  await srv.stop();
});

test('serve_refuses_new_connections_after_sigterm', async () => {
  const srv = await startServer();
  srv.child.kill('SIGTERM');
  await srv.exited;
  await assert.rejects(fetch(srv.url + '/healthz'));
  await srv.stop();
});

test('routes_every_non_public_route_refuses_anonymous_callers', async () => {
  const srv = await startServer();
  try {
    const doc = await srv.api('GET', '/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    let checked = 0;
    for (const [path, item] of Object.entries(doc.json.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const concrete = path.replace(/\{[^}]+\}/g, '1');
        const r = await srv.api(method.toUpperCase(), concrete, method === 'get' ? undefined : {});
        if (Array.isArray(op.security) && op.security.length === 0) {
          assert.notEqual(r.status, 403, `${method} ${path} is public`);
          continue;
        }
        assert.equal(r.status, 401, `${method.toUpperCase()} ${path} without a session`);
        assert.equal(r.json.error.code, 'unauthenticated');
        assert.ok(op['x-roles'].length > 0, `${path} names its roles`);
        checked++;
      }
    }
    assert.ok(checked >= 6, `checked ${checked} protected routes`);
  } finally {
    await srv.stop();
  }
});

test('server_refuses_to_start_on_a_busy_port_with_exit_1', async () => {
  const a = await startServer();
  try {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('../lib/server.mjs');
    const r = spawnSync(BIN, ['serve', '--db', a.db, '--listen', `127.0.0.1:${a.port}`], { encoding: 'utf8', timeout: 5000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot listen/);
  } finally {
    await a.stop();
  }
});
