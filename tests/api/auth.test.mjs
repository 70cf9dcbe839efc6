// API tests: login, logout, session cookie, session expiry, login back-off,
// disabled users. One server per describe block.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import {
  DEMO_ROLES, DEMO_USERS, assertError, assertStatus, sessionCookie, snapshotUsers,
  assertUsersUnchanged, createUser, loginRaw, expiresAtMs, sleep, uniqueName,
} from './helpers.mjs';

describe('auth: login and logout', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
  });
  after(async () => { await srv?.stop(); });

  test('auth_login_returns_token_expires_at_and_user', async () => {
    const t0 = Date.now();
    const r = await loginRaw(srv, 'admin', DEMO_PASSWORD);
    assertStatus(r, 200);
    assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
    assert.equal(typeof r.json.token, 'string');
    assert.ok(r.json.token.length >= 16, `token too short: ${r.json.token}`);
    const exp = expiresAtMs(r.json.expires_at);
    assert.ok(Number.isFinite(exp), `expires_at not a time: ${JSON.stringify(r.json.expires_at)}`);
    assert.ok(exp > t0, `expires_at ${r.json.expires_at} is not in the future`);
    assert.equal(r.json.user.username, 'admin');
    assert.ok(r.json.user.roles.includes('admin'), `roles: ${JSON.stringify(r.json.user.roles)}`);
  });

  test('auth_login_response_does_not_contain_password_or_hash', async () => {
    const r = await loginRaw(srv, 'admin', DEMO_PASSWORD);
    assertStatus(r, 200);
    assert.ok(!r.text.includes(DEMO_PASSWORD), 'password echoed in login response');
    for (const k of Object.keys(r.json.user)) assert.doesNotMatch(k, /pass|hash|salt/i, `user.${k} leaked`);
  });

  test('auth_login_sets_httponly_samesite_strict_session_cookie', async () => {
    const r = await loginRaw(srv, 'leader', DEMO_PASSWORD);
    assertStatus(r, 200);
    const c = sessionCookie(r);
    assert.ok(c, `no zonegov_session cookie; set-cookie: ${r.headers.get('set-cookie')}`);
    assert.ok(c.value.length >= 16, `cookie value too short: ${c.value}`);
    assert.equal(c.attrs.get('httponly'), true, 'HttpOnly missing');
    assert.equal(String(c.attrs.get('samesite')).toLowerCase(), 'strict', 'SameSite=Strict missing');
  });

  test('auth_session_cookie_authenticates_me_without_bearer', async () => {
    const r = await loginRaw(srv, 'dispatcher', DEMO_PASSWORD);
    assertStatus(r, 200);
    const c = sessionCookie(r);
    assert.ok(c, 'no zonegov_session cookie');
    const me = await srv.api('GET', '/api/v1/me', undefined, { headers: { cookie: `zonegov_session=${c.value}` } });
    assertStatus(me, 200);
    assert.equal(me.json.user.username, 'dispatcher');
  });

  for (const username of DEMO_USERS) {
    test(`auth_demo_user_${username}_logs_in_and_me_shows_role_${DEMO_ROLES[username]}`, async () => {
      const token = await srv.login(username);
      const me = await srv.api('GET', '/api/v1/me', undefined, { token });
      assertStatus(me, 200);
      const u = me.json.user;
      assert.equal(u.username, username);
      assert.ok(u.id !== undefined && u.id !== null, 'id missing');
      assert.equal(typeof u.name, 'string');
      assert.ok(u.name.length > 0, 'name empty');
      assert.deepEqual(u.roles, [DEMO_ROLES[username]]);
      assert.ok(u.scope && typeof u.scope === 'object', 'scope missing');
      assert.ok('unit' in u.scope && 'department' in u.scope, `scope keys: ${JSON.stringify(u.scope)}`);
      assert.ok(u.scope.unit === null || typeof u.scope.unit === 'string', 'scope.unit type');
      assert.ok(u.scope.department === null || ['string', 'number'].includes(typeof u.scope.department),
        'scope.department type');
    });
  }

  test('auth_wrong_password_and_unknown_user_get_identical_401_invalid_credentials', async () => {
    const before = await snapshotUsers(srv, admin);
    const wrong = await loginRaw(srv, 'supervisor', 'not-the-password-1');
    const unknown = await loginRaw(srv, 'no_such_user_xyz', 'not-the-password-1');
    assertError(wrong, 401, 'invalid_credentials');
    assertError(unknown, 401, 'invalid_credentials');
    assert.deepEqual(unknown.json, wrong.json, 'bodies differ between unknown user and wrong password');
    assert.equal(unknown.headers.get('content-type'), wrong.headers.get('content-type'));
    assert.equal(wrong.headers.get('set-cookie'), null, 'failed login set a cookie');
    // nothing changed: the right password still works, no user appeared
    await srv.login('supervisor');
    await assertUsersUnchanged(srv, admin, before, ['no_such_user_xyz']);
  });

  test('auth_login_without_password_is_422_missing_field_password', async () => {
    const before = await snapshotUsers(srv, admin);
    const r = await srv.api('POST', '/api/v1/auth/login', { username: 'handler' });
    assertError(r, 422, 'missing_field', 'password');
    assert.equal(r.headers.get('set-cookie'), null, 'a refused login set a cookie');
    await assertUsersUnchanged(srv, admin, before);
    await srv.login('handler');
  });

  test('auth_login_without_username_is_422_missing_field_username', async () => {
    const before = await snapshotUsers(srv, admin);
    const r = await srv.api('POST', '/api/v1/auth/login', { password: DEMO_PASSWORD });
    assertError(r, 422, 'missing_field', 'username');
    assert.equal(r.headers.get('set-cookie'), null, 'a refused login set a cookie');
    await assertUsersUnchanged(srv, admin, before);
  });

  test('auth_me_without_token_is_401_unauthenticated', async () => {
    const r = await srv.api('GET', '/api/v1/me');
    assertError(r, 401, 'unauthenticated');
  });

  test('auth_me_with_unknown_token_is_401_unauthenticated', async () => {
    const real = await srv.login('gridworker');
    const forged = real.slice(0, -4) + (real.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const tok of ['x'.repeat(43), forged, '']) {
      const r = await srv.api('GET', '/api/v1/me', undefined, { headers: { authorization: `Bearer ${tok}` } });
      assertError(r, 401, 'unauthenticated');
    }
    const ok = await srv.api('GET', '/api/v1/me', undefined, { token: real });
    assertStatus(ok, 200);
  });

  test('auth_me_with_non_bearer_authorization_is_401_unauthenticated', async () => {
    const token = await srv.login('gridworker');
    const r = await srv.api('GET', '/api/v1/me', undefined, { headers: { authorization: `Basic ${token}` } });
    assertError(r, 401, 'unauthenticated');
    assertStatus(await srv.api('GET', '/api/v1/me', undefined, { token }), 200);
  });

  test('auth_me_with_unknown_session_cookie_is_401_unauthenticated', async () => {
    const r = await srv.api('GET', '/api/v1/me', undefined, { headers: { cookie: 'zonegov_session=deadbeefdeadbeefdeadbeef' } });
    assertError(r, 401, 'unauthenticated');
  });

  test('auth_logout_returns_204_and_the_token_is_then_refused', async () => {
    const token = await srv.login('gridleader');
    const me1 = await srv.api('GET', '/api/v1/me', undefined, { token });
    assertStatus(me1, 200);
    const out = await srv.api('POST', '/api/v1/auth/logout', undefined, { token });
    assertStatus(out, 204);
    assert.equal(out.text, '', '204 must have no body');
    const me2 = await srv.api('GET', '/api/v1/me', undefined, { token });
    assertError(me2, 401, 'unauthenticated');
    const again = await srv.api('POST', '/api/v1/auth/logout', undefined, { token });
    assertError(again, 401, 'unauthenticated');
  });

  test('auth_logout_via_cookie_ends_the_cookie_session', async () => {
    const r = await loginRaw(srv, 'gridleader', DEMO_PASSWORD);
    assertStatus(r, 200);
    const c = sessionCookie(r);
    assert.ok(c, 'no zonegov_session cookie');
    const cookie = { cookie: `zonegov_session=${c.value}` };
    const out = await srv.api('POST', '/api/v1/auth/logout', undefined, { headers: cookie });
    assertStatus(out, 204);
    const me = await srv.api('GET', '/api/v1/me', undefined, { headers: cookie });
    assertError(me, 401, 'unauthenticated');
    const meBearer = await srv.api('GET', '/api/v1/me', undefined, { token: r.json.token });
    assertError(meBearer, 401, 'unauthenticated');
  });

  test('auth_logout_without_token_is_401_and_other_sessions_survive', async () => {
    const token = await srv.login('supervisor');
    const r = await srv.api('POST', '/api/v1/auth/logout');
    assertError(r, 401, 'unauthenticated');
    const me = await srv.api('GET', '/api/v1/me', undefined, { token });
    assertStatus(me, 200);
  });

  test('auth_disabled_user_cannot_log_in_and_existing_sessions_stop_working', async () => {
    const { user, body } = await createUser(srv, admin, { username: uniqueName('dis') });
    const l = await loginRaw(srv, body.username, body.password);
    assertStatus(l, 200);
    const token = l.json.token;
    const c = sessionCookie(l);
    assertStatus(await srv.api('GET', '/api/v1/me', undefined, { token }), 200);

    const p = await srv.api('PATCH', `/api/v1/users/${user.id}`, { disabled: true }, { token: admin });
    assertStatus(p, 200);
    assert.equal(p.json.user.disabled, true);

    assertError(await srv.api('GET', '/api/v1/me', undefined, { token }), 401, 'unauthenticated');
    if (c) {
      const byCookie = await srv.api('GET', '/api/v1/me', undefined, { headers: { cookie: `zonegov_session=${c.value}` } });
      assertError(byCookie, 401, 'unauthenticated');
    }
    assertError(await loginRaw(srv, body.username, body.password), 401, 'invalid_credentials');

    const g = await srv.api('GET', `/api/v1/users/${user.id}`, undefined, { token: admin });
    assertStatus(g, 200);
    assert.equal(g.json.user.disabled, true);
  });

  test('auth_re_enabled_user_can_log_in_again', async () => {
    const { user, body } = await createUser(srv, admin, { username: uniqueName('reen') });
    assertStatus(await srv.api('PATCH', `/api/v1/users/${user.id}`, { disabled: true }, { token: admin }), 200);
    assertError(await loginRaw(srv, body.username, body.password), 401, 'invalid_credentials');
    const p = await srv.api('PATCH', `/api/v1/users/${user.id}`, { disabled: false }, { token: admin });
    assertStatus(p, 200);
    assert.equal(p.json.user.disabled, false);
    assertStatus(await loginRaw(srv, body.username, body.password), 200);
  });

  // back-off with the default setting; each test uses its own fresh user
  describe('auth: login back-off (default ZONEGOV_LOGIN_MAX_FAILURES=5)', () => {
    test('auth_five_failures_then_429_too_many_attempts_even_with_right_password', async () => {
      const { body } = await createUser(srv, admin, { username: uniqueName('lock') });
      for (let i = 1; i <= 5; i++) {
        const r = await loginRaw(srv, body.username, `wrong-password-${i}`);
        assertError(r, 401, 'invalid_credentials');
      }
      const r = await loginRaw(srv, body.username, body.password);
      assertError(r, 429, 'too_many_attempts');
      const ra = r.headers.get('retry-after');
      assert.ok(ra, 'Retry-After header missing');
      assert.match(ra, /^\d+$/, `Retry-After is not delta-seconds: ${ra}`);
      assert.ok(Number(ra) >= 1, `Retry-After ${ra} < 1`);
      const wrong = await loginRaw(srv, body.username, 'wrong-password-x');
      assertError(wrong, 429, 'too_many_attempts');
      assert.equal(r.headers.get('set-cookie'), null, 'a refused login set a cookie');
    });

    test('auth_back_off_of_one_user_does_not_block_another_user', async () => {
      const { body } = await createUser(srv, admin, { username: uniqueName('lock') });
      for (let i = 0; i < 6; i++) await loginRaw(srv, body.username, 'wrong-password');
      assertError(await loginRaw(srv, body.username, body.password), 429, 'too_many_attempts');
      assertStatus(await loginRaw(srv, 'dispatcher', DEMO_PASSWORD), 200);
    });

    test('auth_successful_login_resets_the_consecutive_failure_count', async () => {
      const { body } = await createUser(srv, admin, { username: uniqueName('reset') });
      for (let i = 0; i < 4; i++) assertError(await loginRaw(srv, body.username, 'wrong-password'), 401, 'invalid_credentials');
      assertStatus(await loginRaw(srv, body.username, body.password), 200);
      for (let i = 0; i < 4; i++) assertError(await loginRaw(srv, body.username, 'wrong-password'), 401, 'invalid_credentials');
      assertStatus(await loginRaw(srv, body.username, body.password), 200);
    });
  });
});

describe('auth: session expiry (ZONEGOV_SESSION_TTL=2)', () => {
  let srv;
  before(async () => { srv = await startServer({ env: { ZONEGOV_SESSION_TTL: '2' } }); });
  after(async () => { await srv?.stop(); });

  test('auth_session_expires_after_ttl_for_bearer_and_cookie', async () => {
    const t0 = Date.now();
    const r = await loginRaw(srv, 'leader', DEMO_PASSWORD);
    assertStatus(r, 200);
    const exp = expiresAtMs(r.json.expires_at);
    assert.ok(exp >= t0 - 1000 && exp <= t0 + 4000,
      `expires_at ${r.json.expires_at} is not about 2 s from now (${new Date(t0).toISOString()})`);
    const token = r.json.token;
    const c = sessionCookie(r);
    assertStatus(await srv.api('GET', '/api/v1/me', undefined, { token }), 200);

    await sleep(Math.max(3200, exp - Date.now() + 1200));

    assertError(await srv.api('GET', '/api/v1/me', undefined, { token }), 401, 'unauthenticated');
    if (c) {
      const byCookie = await srv.api('GET', '/api/v1/me', undefined, { headers: { cookie: `zonegov_session=${c.value}` } });
      assertError(byCookie, 401, 'unauthenticated');
    }
    // a fresh login still works
    const again = await srv.login('leader');
    assertStatus(await srv.api('GET', '/api/v1/me', undefined, { token: again }), 200);
  });
});

// login_max_failures=3 and a short login_backoff (documented server setting)
// so that the suite can also wait the back-off out.
describe('auth: login back-off (ZONEGOV_LOGIN_MAX_FAILURES=3, ZONEGOV_LOGIN_BACKOFF=2)', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer({ env: { ZONEGOV_LOGIN_MAX_FAILURES: '3', ZONEGOV_LOGIN_BACKOFF: '2' } });
    admin = await srv.login('admin');
  });
  after(async () => { await srv?.stop(); });

  test('auth_max_failures_setting_is_honoured', async () => {
    for (let i = 0; i < 3; i++) assertError(await loginRaw(srv, 'handler', 'wrong-password'), 401, 'invalid_credentials');
    const r = await loginRaw(srv, 'handler', DEMO_PASSWORD);
    assertError(r, 429, 'too_many_attempts');
    assert.ok(r.headers.get('retry-after'), 'Retry-After header missing');
    assertStatus(await loginRaw(srv, 'gridworker', DEMO_PASSWORD), 200);
  });

  test('auth_login_works_again_after_the_back_off_passes', async (t) => {
    const { body } = await createUser(srv, admin, { username: uniqueName('wait') });
    for (let i = 0; i < 3; i++) assertError(await loginRaw(srv, body.username, 'wrong-password'), 401, 'invalid_credentials');
    const r = await loginRaw(srv, body.username, body.password);
    assertError(r, 429, 'too_many_attempts');
    const ra = Number(r.headers.get('retry-after'));
    assert.ok(Number.isFinite(ra) && ra >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
    if (ra > 10) {
      t.skip(`Retry-After is ${ra} s; too long to wait for in this suite`);
      return;
    }
    await sleep(ra * 1000 + 600);
    assertStatus(await loginRaw(srv, body.username, body.password), 200);
  });
});
