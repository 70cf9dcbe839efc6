// API tests: role checks on the admin-only user routes. Every non-admin demo
// role is refused with 403, a request without a token with 401, and the user
// store is read back afterwards to show nothing changed.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  DEMO_ROLES, NON_ADMIN_USERS, assertError, assertStatus, snapshotUsers,
  assertUsersUnchanged, newUserBody, uniqueName,
} from './helpers.mjs';

describe('roles: admin-only user routes', () => {
  let srv;
  let admin;
  const tokens = {};
  let adminId;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    for (const u of NON_ADMIN_USERS) tokens[u] = await srv.login(u);
    const me = await srv.api('GET', '/api/v1/me', undefined, { token: admin });
    adminId = me.json.user.id;
  });
  after(async () => { await srv?.stop(); });

  test('roles_admin_may_list_users', async () => {
    const r = await srv.api('GET', '/api/v1/users', undefined, { token: admin });
    assertStatus(r, 200);
    assert.ok(Array.isArray(r.json.items));
  });

  for (const u of NON_ADMIN_USERS) {
    test(`roles_${DEMO_ROLES[u]}_is_refused_GET_users_with_403`, async () => {
      const r = await srv.api('GET', '/api/v1/users', undefined, { token: tokens[u] });
      assertError(r, 403, 'forbidden');
      assert.ok(!r.text.includes('"items"'), 'a 403 leaked the user list');
    });

    test(`roles_${DEMO_ROLES[u]}_is_refused_POST_users_with_403_and_nothing_is_created`, async () => {
      const before = await snapshotUsers(srv, admin);
      const body = newUserBody({ username: uniqueName('evil'), roles: ['admin'] });
      const r = await srv.api('POST', '/api/v1/users', body, { token: tokens[u] });
      assertError(r, 403, 'forbidden');
      await assertUsersUnchanged(srv, admin, before, [body.username]);
    });

    test(`roles_${DEMO_ROLES[u]}_is_refused_GET_user_by_id_with_403`, async () => {
      const r = await srv.api('GET', `/api/v1/users/${adminId}`, undefined, { token: tokens[u] });
      assertError(r, 403, 'forbidden');
    });

    test(`roles_${DEMO_ROLES[u]}_cannot_grant_itself_admin_via_PATCH`, async () => {
      const before = await snapshotUsers(srv, admin);
      const me = await srv.api('GET', '/api/v1/me', undefined, { token: tokens[u] });
      assertStatus(me, 200);
      const r = await srv.api('PATCH', `/api/v1/users/${me.json.user.id}`, { roles: ['admin'] }, { token: tokens[u] });
      assertError(r, 403, 'forbidden');
      await assertUsersUnchanged(srv, admin, before);
      const me2 = await srv.api('GET', '/api/v1/me', undefined, { token: tokens[u] });
      assert.deepEqual(me2.json.user.roles, [DEMO_ROLES[u]]);
    });
  }

  test('roles_non_admin_cannot_disable_admin_via_PATCH', async () => {
    const before = await snapshotUsers(srv, admin);
    const r = await srv.api('PATCH', `/api/v1/users/${adminId}`, { disabled: true }, { token: tokens.gridworker });
    assertError(r, 403, 'forbidden');
    await assertUsersUnchanged(srv, admin, before);
    assertStatus(await srv.api('GET', '/api/v1/me', undefined, { token: admin }), 200);
  });

  test('roles_no_token_GET_users_is_401', async () => {
    assertError(await srv.api('GET', '/api/v1/users'), 401, 'unauthenticated');
  });

  test('roles_no_token_POST_users_is_401_and_nothing_is_created', async () => {
    const before = await snapshotUsers(srv, admin);
    const body = newUserBody({ username: uniqueName('anon') });
    const r = await srv.api('POST', '/api/v1/users', body);
    assertError(r, 401, 'unauthenticated');
    await assertUsersUnchanged(srv, admin, before, [body.username]);
  });

  test('roles_no_token_POST_users_with_invalid_body_is_401_not_422', async () => {
    const before = await snapshotUsers(srv, admin);
    const r = await srv.api('POST', '/api/v1/users', { username: 'X' });
    assertError(r, 401, 'unauthenticated');
    await assertUsersUnchanged(srv, admin, before);
  });

  test('roles_no_token_GET_and_PATCH_user_by_id_are_401', async () => {
    const before = await snapshotUsers(srv, admin);
    assertError(await srv.api('GET', `/api/v1/users/${adminId}`), 401, 'unauthenticated');
    assertError(await srv.api('PATCH', `/api/v1/users/${adminId}`, { disabled: true }), 401, 'unauthenticated');
    await assertUsersUnchanged(srv, admin, before);
  });
});
