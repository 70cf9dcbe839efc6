// API tests under concurrency: 50 clients logging in at once, each on its own
// TCP connection; concurrent user creation; a race on one username.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import {
  DEMO_USERS, assertError, assertStatus, rawRequest, snapshotUsers, newUserBody, uniqueName,
} from './helpers.mjs';

const JSON_CT = { 'content-type': 'application/json' };

function loginOwnConnection(srv, username, password = DEMO_PASSWORD) {
  return rawRequest(srv, {
    method: 'POST', path: '/api/v1/auth/login', headers: JSON_CT,
    body: JSON.stringify({ username, password }),
  });
}

describe('concurrency', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
  });
  after(async () => { await srv?.stop(); });

  test('concurrency_50_simultaneous_logins_of_the_demo_users_get_distinct_working_tokens', async () => {
    const who = Array.from({ length: 50 }, (_, i) => DEMO_USERS[i % DEMO_USERS.length]);
    const res = await Promise.all(who.map((u) => loginOwnConnection(srv, u)));
    res.forEach((r, i) => assert.equal(r.status, 200, `login #${i} (${who[i]}): ${r.status} ${r.text.slice(0, 200)}`));
    const tokens = res.map((r) => r.json.token);
    assert.equal(new Set(tokens).size, 50, 'tokens are not distinct');
    const mes = await Promise.all(tokens.map((t) => rawRequest(srv, {
      method: 'GET', path: '/api/v1/me', headers: { authorization: `Bearer ${t}` },
    })));
    mes.forEach((r, i) => {
      assert.equal(r.status, 200, `me #${i}: ${r.status} ${r.text.slice(0, 200)}`);
      assert.equal(r.json.user.username, who[i], `token #${i} belongs to the wrong user`);
    });
  });

  test('concurrency_25_simultaneous_logins_of_one_user_get_distinct_working_tokens', async () => {
    const res = await Promise.all(Array.from({ length: 25 }, () => loginOwnConnection(srv, 'dispatcher')));
    res.forEach((r, i) => assert.equal(r.status, 200, `login #${i}: ${r.status} ${r.text.slice(0, 200)}`));
    const tokens = res.map((r) => r.json.token);
    assert.equal(new Set(tokens).size, 25, 'tokens are not distinct');
    const mes = await Promise.all(tokens.map((t) => srv.api('GET', '/api/v1/me', undefined, { token: t })));
    mes.forEach((r, i) => {
      assert.equal(r.status, 200, `me #${i}: ${r.status}`);
      assert.equal(r.json.user.username, 'dispatcher');
    });
  });

  test('concurrency_25_simultaneous_user_creations_all_succeed_with_distinct_ids', async () => {
    const before = await snapshotUsers(srv, admin);
    const bodies = Array.from({ length: 25 }, () => newUserBody({ username: uniqueName('conc') }));
    const res = await Promise.all(bodies.map((b) => rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: JSON.stringify(b),
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    })));
    res.forEach((r, i) => assert.equal(r.status, 201, `create #${i}: ${r.status} ${r.text.slice(0, 200)}`));
    assert.equal(new Set(res.map((r) => String(r.json.user.id))).size, 25, 'ids are not distinct');
    const after = await snapshotUsers(srv, admin);
    assert.equal(after.total, before.total + 25);
    for (const b of bodies) assert.ok(after.users.some((u) => u.username === b.username), `${b.username} missing`);
  });

  test('concurrency_10_racing_creations_of_one_username_give_one_201_and_409s', async () => {
    const before = await snapshotUsers(srv, admin);
    const username = uniqueName('race');
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => rawRequest(srv, {
      method: 'POST', path: '/api/v1/users',
      body: JSON.stringify(newUserBody({ username, name: `竞争者${i}`, password: `race-password-${i}` })),
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    })));
    const created = res.filter((r) => r.status === 201);
    assert.equal(created.length, 1, `statuses: ${res.map((r) => r.status)}`);
    for (const r of res.filter((x) => x.status !== 201)) assertError(r, 409, 'conflict');
    const after = await snapshotUsers(srv, admin);
    assert.equal(after.total, before.total + 1);
    assert.equal(after.users.filter((u) => u.username === username).length, 1);
    // the stored password is the winner's
    const i = Number(created[0].json.user.name.replace('竞争者', ''));
    assertStatus(await srv.api('POST', '/api/v1/auth/login', { username, password: `race-password-${i}` }), 200);
  });
});
