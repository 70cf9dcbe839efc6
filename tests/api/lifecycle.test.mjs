// Server life cycle: SIGTERM lets in-flight requests finish and closes the
// store cleanly; the route table (via the OpenAPI document) guards every
// non-public route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { startServer } from '../lib/server.mjs';

test('serve_sigterm_finishes_in_flight_requests_and_exits_0', async () => {
  const srv = await startServer();
  // A request is in flight once the server has its headers and part of its
  // body: send those, signal, then send the rest; the answer must still come.
  const body = JSON.stringify({ username: 'admin', password: srv.password });
  const half = Math.floor(body.length / 2);
  const sock = connect(srv.port, '127.0.0.1');
  let response = '';
  sock.on('data', (d) => { response += d; });
  const closed = new Promise((resolve) => sock.on('close', resolve));
  await new Promise((resolve) => sock.on('connect', resolve));
  sock.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`);
  await new Promise((r) => setTimeout(r, 500));
  srv.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  sock.write(body.slice(half));
  await closed;
  assert.match(response, /^HTTP\/1\.1 200/, 'the in-flight login is answered');
  assert.match(response, /"token":"/);
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

test('sessions_disabled_from_the_cli_stop_working_within_the_cache_ttl', async () => {
  const srv = await startServer();
  try {
    const token = await srv.login('leader');
    assert.equal((await srv.api('GET', '/api/v1/me', undefined, { token })).status, 200); // now cached
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('../lib/server.mjs');
    const r = spawnSync(BIN, ['user', 'disable', 'leader', '--db', srv.db], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await new Promise((res) => setTimeout(res, 2200)); // session cache TTL is 2 s
    const me = await srv.api('GET', '/api/v1/me', undefined, { token });
    assert.equal(me.status, 401);
  } finally {
    await srv.stop();
  }
});
