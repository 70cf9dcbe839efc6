// API tests: the user list, user creation (happy path and every validation
// rule), reading and updating one user. Bad input is followed by a read-back
// of the whole user store.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import {
  DEMO_USERS, ALL_ROLES, assertError, assertStatus, snapshotUsers, assertUsersUnchanged,
  newUserBody, createUser, loginRaw, uniqueName,
} from './helpers.mjs';

const USER_FIELDS = ['id', 'username', 'name', 'roles', 'scope', 'phone', 'disabled', 'created_at'];

// `masked`: the list masks phone numbers (138****1234); single-user answers
// to an admin may carry the whole number.
function assertUserShape(u, where, masked = false) {
  for (const k of USER_FIELDS) assert.ok(k in u, `${where}: user.${k} missing in ${JSON.stringify(u)}`);
  assert.equal(typeof u.username, 'string');
  assert.equal(typeof u.name, 'string');
  assert.ok(Array.isArray(u.roles), `${where}: roles not an array`);
  assert.ok(u.scope && typeof u.scope === 'object', `${where}: scope not an object`);
  assert.ok('unit' in u.scope && 'department' in u.scope, `${where}: scope keys ${JSON.stringify(u.scope)}`);
  assert.equal(typeof u.disabled, 'boolean', `${where}: disabled not boolean`);
  if (masked) assert.ok(u.phone === null || /^1\d{2}\*{4}\d{4}$/.test(u.phone), `${where}: phone not masked: ${u.phone}`);
  else assert.ok(u.phone === null || typeof u.phone === 'string', `${where}: phone type`);
  assert.ok(typeof u.created_at === 'string' || typeof u.created_at === 'number', `${where}: created_at`);
  for (const k of Object.keys(u)) assert.doesNotMatch(k, /pass|hash|salt/i, `${where}: user.${k} leaked`);
}

// One server for the whole file; the blocks below only add users with unique
// names, so they do not disturb each other.
describe('users', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
  });
  after(async () => { await srv?.stop(); });

  describe('users: list', () => {
    test('users_list_returns_all_demo_users_with_contract_fields', async () => {
      const r = await srv.api('GET', '/api/v1/users', undefined, { token: admin });
      assertStatus(r, 200);
      assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
      assert.ok(Array.isArray(r.json.items));
      assert.equal(typeof r.json.total, 'number');
      assert.ok(r.json.total >= 7, `total ${r.json.total}`);
      assert.equal(r.json.page, 1);
      assert.equal(typeof r.json.per_page, 'number');
      assert.ok(r.json.per_page >= 1);
      for (const u of r.json.items) assertUserShape(u, 'list', true);
      const all = await snapshotUsers(srv, admin);
      for (const name of DEMO_USERS) assert.ok(all.users.some((u) => u.username === name), `${name} not listed`);
      assert.equal(all.users.length, all.total, 'pages do not add up to total');
      assert.equal(new Set(all.users.map((u) => String(u.id))).size, all.total, 'duplicate ids across pages');
    });

    test('users_list_paginates_with_page_and_per_page', async () => {
      const p1 = await srv.api('GET', '/api/v1/users?page=1&per_page=2', undefined, { token: admin });
      const p2 = await srv.api('GET', '/api/v1/users?page=2&per_page=2', undefined, { token: admin });
      assertStatus(p1, 200);
      assertStatus(p2, 200);
      assert.equal(p1.json.items.length, 2);
      assert.equal(p2.json.items.length, 2);
      assert.equal(p1.json.per_page, 2);
      assert.equal(p2.json.page, 2);
      assert.equal(p1.json.total, p2.json.total);
      const ids1 = p1.json.items.map((u) => String(u.id));
      const ids2 = p2.json.items.map((u) => String(u.id));
      assert.ok(!ids1.some((i) => ids2.includes(i)), 'page 1 and page 2 overlap');
      const far = await srv.api('GET', '/api/v1/users?page=1000&per_page=2', undefined, { token: admin });
      assertStatus(far, 200);
      assert.deepEqual(far.json.items, []);
      assert.equal(far.json.total, p1.json.total);
    });

    test('users_list_q_filters_by_username', async () => {
      const r = await srv.api('GET', '/api/v1/users?q=gridw', undefined, { token: admin });
      assertStatus(r, 200);
      const names = r.json.items.map((u) => u.username);
      assert.ok(names.includes('gridworker'), `gridworker not found: ${names}`);
      assert.ok(!names.includes('admin'), `admin matched q=gridw: ${names}`);
      assert.equal(r.json.total, r.json.items.length);
      const none = await srv.api('GET', '/api/v1/users?q=zzz_nobody_here', undefined, { token: admin });
      assertStatus(none, 200);
      assert.deepEqual(none.json.items, []);
      assert.equal(none.json.total, 0);
    });

    test('users_list_masks_phone_numbers', async () => {
      const { body } = await createUser(srv, admin, { username: uniqueName('phone'), phone: '13812345678' });
      const r = await srv.api('GET', `/api/v1/users?q=${body.username}`, undefined, { token: admin });
      assertStatus(r, 200);
      const u = r.json.items.find((x) => x.username === body.username);
      assert.ok(u, 'created user not listed');
      assert.equal(u.phone, '138****5678');
      const all = await srv.api('GET', '/api/v1/users?per_page=100', undefined, { token: admin });
      assert.ok(!all.text.includes('13812345678'), 'full phone number appears in the user list');
    });
  });

  describe('users: create', () => {
    test('users_create_returns_201_and_the_new_user_can_log_in', async () => {
      const before = await snapshotUsers(srv, admin);
      const body = newUserBody({ username: uniqueName('new'), name: '王小明', roles: ['dispatcher', 'supervisor'], phone: '13912345678' });
      const r = await srv.api('POST', '/api/v1/users', body, { token: admin });
      assertStatus(r, 201);
      assert.match(r.headers.get('content-type') || '', /^application\/json\b/i);
      const u = r.json.user;
      assertUserShape(u, 'create');
      assert.equal(u.username, body.username);
      assert.equal(u.name, '王小明');
      assert.deepEqual([...u.roles].sort(), ['dispatcher', 'supervisor']);
      assert.equal(u.disabled, false);
      assert.ok(!r.text.includes(body.password), 'password echoed');

      const after = await snapshotUsers(srv, admin);
      assert.equal(after.total, before.total + 1);
      const listed = after.users.find((x) => x.username === body.username);
      assert.ok(listed, 'new user not in list');
      assert.equal(String(listed.id), String(u.id));

      const g = await srv.api('GET', `/api/v1/users/${u.id}`, undefined, { token: admin });
      assertStatus(g, 200);
      assertUserShape(g.json.user, 'get');
      assert.equal(g.json.user.username, body.username);

      const l = await loginRaw(srv, body.username, body.password);
      assertStatus(l, 200);
      const me = await srv.api('GET', '/api/v1/me', undefined, { token: l.json.token });
      assertStatus(me, 200);
      assert.equal(me.json.user.username, body.username);
      assert.equal(me.json.user.name, '王小明');
      assert.deepEqual([...me.json.user.roles].sort(), ['dispatcher', 'supervisor']);
    });

    test('users_create_keeps_the_scope_given', async () => {
      const all = await snapshotUsers(srv, admin);
      const gw = all.users.find((u) => u.username === 'gridworker');
      const scope = {};
      if (gw.scope.unit !== null) scope.unit = gw.scope.unit;
      if (gw.scope.department !== null) scope.department = gw.scope.department;
      const { body } = await createUser(srv, admin, { username: uniqueName('scoped'), roles: ['grid_worker'], scope });
      const token = await srv.login(body.username, body.password);
      const me = await srv.api('GET', '/api/v1/me', undefined, { token });
      assertStatus(me, 200);
      assert.deepEqual(me.json.user.scope, { unit: gw.scope.unit, department: gw.scope.department });
    });

    test('users_create_without_scope_gives_null_scope', async () => {
      const { body } = await createUser(srv, admin, { username: uniqueName('noscope'), roles: ['leader'] });
      const token = await srv.login(body.username, body.password);
      const me = await srv.api('GET', '/api/v1/me', undefined, { token });
      assert.deepEqual(me.json.user.scope, { unit: null, department: null });
    });

    test('users_create_accepts_every_role', async () => {
      const { user } = await createUser(srv, admin, { username: uniqueName('allroles'), roles: [...ALL_ROLES] });
      assert.deepEqual([...user.roles].sort(), [...ALL_ROLES].sort());
    });

    test('users_create_accepts_boundary_values', async () => {
      const cases = [
        { username: 'abc' },                                   // 3 chars
        { username: 'a'.repeat(32) },                          // 32 chars
        { username: uniqueName('x.y-z') },                     // . and - allowed
        { name: '张' },                                        // 1 char
        { name: '张'.repeat(64) },                             // 64 chars (192 bytes)
        { name: 'n'.repeat(64) },
        { password: '0123456789' },                            // exactly 10
      ];
      for (const over of cases) {
        const body = newUserBody(over);
        const r = await srv.api('POST', '/api/v1/users', body, { token: admin });
        assert.equal(r.status, 201, `${JSON.stringify(over).slice(0, 80)}: ${r.status} ${r.text.slice(0, 300)}`);
        if (over.password) assertStatus(await loginRaw(srv, body.username, body.password), 200);
      }
    });

    test('users_create_accepts_json_content_type_with_charset', async () => {
      const body = newUserBody({ username: uniqueName('charset') });
      const r = await srv.api('POST', '/api/v1/users', undefined, {
        token: admin, raw: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      assertStatus(r, 201);
    });

    test('users_create_duplicate_username_is_409_conflict_and_nothing_changes', async () => {
      const { body } = await createUser(srv, admin, { username: uniqueName('dup'), name: '原用户' });
      const before = await snapshotUsers(srv, admin);
      const r = await srv.api('POST', '/api/v1/users', newUserBody({ username: body.username, name: '冒名者', password: 'another-pass-99' }), { token: admin });
      assertError(r, 409, 'conflict');
      await assertUsersUnchanged(srv, admin, before);
      assertStatus(await loginRaw(srv, body.username, body.password), 200);
      assertError(await loginRaw(srv, body.username, 'another-pass-99'), 401, 'invalid_credentials');
    });

    test('users_create_demo_username_is_409_conflict', async () => {
      const before = await snapshotUsers(srv, admin);
      const r = await srv.api('POST', '/api/v1/users', newUserBody({ username: 'admin' }), { token: admin });
      assertError(r, 409, 'conflict');
      await assertUsersUnchanged(srv, admin, before);
      assertStatus(await loginRaw(srv, 'admin', DEMO_PASSWORD), 200);
    });

    // Validation, as data: [test name, body overrides (undefined = delete the key), code(s), field].
    const DROP = Symbol('drop');
    const invalid = [
      ['username_2_chars', { username: 'ab' }, 'invalid_field', 'username'],
      ['username_33_chars', { username: 'a'.repeat(33) }, 'invalid_field', 'username'],
      ['username_uppercase', { username: 'Alice_1' }, 'invalid_field', 'username'],
      ['username_space', { username: 'al ice' }, 'invalid_field', 'username'],
      ['username_at_sign', { username: 'al@ice' }, 'invalid_field', 'username'],
      ['username_chinese', { username: '张三丰' }, 'invalid_field', 'username'],
      ['username_number', { username: 12345 }, 'invalid_field', 'username'],
      ['username_empty', { username: '' }, ['invalid_field', 'missing_field'], 'username'],
      ['username_missing', { username: DROP }, 'missing_field', 'username'],
      ['name_empty', { name: '' }, ['invalid_field', 'missing_field'], 'name'],
      ['name_65_chinese_chars', { name: '张'.repeat(65) }, 'invalid_field', 'name'],
      ['name_65_ascii_chars', { name: 'n'.repeat(65) }, 'invalid_field', 'name'],
      ['name_not_string', { name: ['a'] }, 'invalid_field', 'name'],
      ['name_missing', { name: DROP }, 'missing_field', 'name'],
      ['password_9_chars', { password: '123456789' }, 'invalid_field', 'password'],
      ['password_not_string', { password: 1234567890123 }, 'invalid_field', 'password'],
      ['password_missing', { password: DROP }, 'missing_field', 'password'],
      ['roles_empty', { roles: [] }, 'invalid_field', 'roles'],
      ['roles_unknown', { roles: ['superuser'] }, 'invalid_field', 'roles'],
      ['roles_one_unknown', { roles: ['leader', 'root'] }, 'invalid_field', 'roles'],
      ['roles_wrong_case', { roles: ['Admin'] }, 'invalid_field', 'roles'],
      ['roles_string_not_array', { roles: 'admin' }, 'invalid_field', 'roles'],
      ['roles_missing', { roles: DROP }, 'missing_field', 'roles'],
      ['phone_10_digits', { phone: '1381234567' }, 'invalid_field', 'phone'],
      ['phone_12_digits', { phone: '138123456789' }, 'invalid_field', 'phone'],
      ['phone_not_starting_with_1', { phone: '23812345678' }, 'invalid_field', 'phone'],
      ['phone_with_letter', { phone: '1381234567a' }, 'invalid_field', 'phone'],
      ['phone_with_country_code', { phone: '+8613812345678' }, 'invalid_field', 'phone'],
      ['phone_with_dashes', { phone: '138-1234-5678' }, 'invalid_field', 'phone'],
    ];
    for (const [name, over, code, field] of invalid) {
      test(`users_create_rejects_${name}_with_422_${field}_and_nothing_changes`, async () => {
        const body = newUserBody();
        const marker = body.username;
        for (const [k, v] of Object.entries(over)) {
          if (v === DROP) delete body[k]; else body[k] = v;
        }
        const before = await snapshotUsers(srv, admin);
        const r = await srv.api('POST', '/api/v1/users', body, { token: admin });
        assertError(r, 422, code, field);
        const absent = [marker];
        if (typeof body.username === 'string') absent.push(body.username);
        await assertUsersUnchanged(srv, admin, before, absent);
      });
    }

    test('users_create_body_that_is_not_an_object_is_rejected_and_nothing_changes', async () => {
      for (const raw of ['[]', '"admin"', '42', 'null']) {
        const before = await snapshotUsers(srv, admin);
        const r = await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw, headers: { 'content-type': 'application/json' } });
        assert.ok(r.status === 400 || r.status === 422, `${raw}: ${r.status} ${r.text}`);
        assertError(r, r.status, r.status === 400 ? 'bad_json' : ['invalid_field', 'missing_field']);
        await assertUsersUnchanged(srv, admin, before);
      }
    });
  });

  describe('users: get and update', () => {
    async function getUser(id) {
      const r = await srv.api('GET', `/api/v1/users/${id}`, undefined, { token: admin });
      assertStatus(r, 200);
      return r.json.user;
    }

    test('users_get_by_id_returns_the_listed_user', async () => {
      const all = await snapshotUsers(srv, admin);
      const h = all.users.find((u) => u.username === 'handler');
      const u = await getUser(h.id);
      assertUserShape(u, 'get');
      assert.equal(u.username, 'handler');
      assert.deepEqual(u.roles, ['department_handler']);
      assert.deepEqual(u.scope, h.scope);
    });

    test('users_get_unknown_id_is_404_not_found', async () => {
      assertError(await srv.api('GET', '/api/v1/users/999999', undefined, { token: admin }), 404, 'not_found');
    });

    test('users_patch_unknown_id_is_404_and_nothing_changes', async () => {
      const before = await snapshotUsers(srv, admin);
      const r = await srv.api('PATCH', '/api/v1/users/999999', { name: '不存在' }, { token: admin });
      assertError(r, 404, 'not_found');
      await assertUsersUnchanged(srv, admin, before);
    });

    test('users_patch_name_is_saved', async () => {
      const { user } = await createUser(srv, admin, { username: uniqueName('pn') });
      const r = await srv.api('PATCH', `/api/v1/users/${user.id}`, { name: '李四' }, { token: admin });
      assertStatus(r, 200);
      assert.equal(r.json.user.name, '李四');
      assert.equal((await getUser(user.id)).name, '李四');
    });

    test('users_patch_roles_is_saved_and_seen_by_me', async () => {
      const { user, body } = await createUser(srv, admin, { username: uniqueName('pr'), roles: ['grid_worker'] });
      const r = await srv.api('PATCH', `/api/v1/users/${user.id}`, { roles: ['grid_leader', 'supervisor'] }, { token: admin });
      assertStatus(r, 200);
      assert.deepEqual([...r.json.user.roles].sort(), ['grid_leader', 'supervisor']);
      const token = await srv.login(body.username, body.password);
      const me = await srv.api('GET', '/api/v1/me', undefined, { token });
      assert.deepEqual([...me.json.user.roles].sort(), ['grid_leader', 'supervisor']);
    });

    test('users_patch_password_replaces_the_old_one', async () => {
      const { user, body } = await createUser(srv, admin, { username: uniqueName('pp') });
      const r = await srv.api('PATCH', `/api/v1/users/${user.id}`, { password: 'brand-new-pass-7' }, { token: admin });
      assertStatus(r, 200);
      assert.ok(!r.text.includes('brand-new-pass-7'), 'password echoed');
      assertError(await loginRaw(srv, body.username, body.password), 401, 'invalid_credentials');
      assertStatus(await loginRaw(srv, body.username, 'brand-new-pass-7'), 200);
    });

    const badPatches = [
      ['name_empty', { name: '' }, ['invalid_field', 'missing_field'], 'name'],
      ['name_65_chars', { name: '张'.repeat(65) }, 'invalid_field', 'name'],
      ['roles_empty', { roles: [] }, 'invalid_field', 'roles'],
      ['roles_unknown', { roles: ['king'] }, 'invalid_field', 'roles'],
      ['password_short', { password: 'short' }, 'invalid_field', 'password'],
      ['disabled_not_boolean', { disabled: 'yes' }, 'invalid_field', 'disabled'],
    ];
    for (const [name, patch, code, field] of badPatches) {
      test(`users_patch_rejects_${name}_with_422_${field}_and_nothing_changes`, async () => {
        const { user, body } = await createUser(srv, admin, { username: uniqueName('bp') });
        const before = await snapshotUsers(srv, admin);
        const r = await srv.api('PATCH', `/api/v1/users/${user.id}`, patch, { token: admin });
        assertError(r, 422, code, field);
        await assertUsersUnchanged(srv, admin, before);
        assertStatus(await loginRaw(srv, body.username, body.password), 200);
      });
    }

    test('users_patch_with_one_bad_field_applies_none_of_the_others', async () => {
      const { user, body } = await createUser(srv, admin, { username: uniqueName('atomic'), name: '原名' });
      const before = await snapshotUsers(srv, admin);
      const r = await srv.api('PATCH', `/api/v1/users/${user.id}`,
        { name: '新名', password: 'new-password-123', roles: ['no_such_role'] }, { token: admin });
      assertError(r, 422, 'invalid_field', 'roles');
      await assertUsersUnchanged(srv, admin, before);
      assert.equal((await getUser(user.id)).name, '原名');
      assertStatus(await loginRaw(srv, body.username, body.password), 200);
    });
  });
});
