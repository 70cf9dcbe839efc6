// API tests: every error status of the contract with its JSON body
// {"error":{"code","field","message","message_en"}}, the body-size limit,
// invalid UTF-8, content types, 404/405, and X-Request-Id on every response.
// Every request with bad input is followed by a read-back of the user store.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import {
  assertError, assertStatus, snapshotUsers, assertUsersUnchanged, newUserBody, uniqueName,
  rawRequest, loginRaw,
} from './helpers.mjs';

const JSON_CT = { 'content-type': 'application/json' };

function allowList(r) {
  return (r.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
}

// A valid POST /api/v1/users body padded with JSON whitespace to exactly `size` bytes.
function paddedUserBody(size, over = {}) {
  const json = JSON.stringify(newUserBody(over));
  const pad = size - Buffer.byteLength(json);
  assert.ok(pad >= 0, 'size too small');
  return { text: json.slice(0, -1) + ' '.repeat(pad) + '}', username: JSON.parse(json).username };
}

describe('errors: status codes and body shape', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
  });
  after(async () => { await srv?.stop(); });

  // ---- 400 bad_json ----------------------------------------------------------
  const malformed = [
    ['truncated', '{"username": '],
    ['unquoted_keys', '{username: "abc"}'],
    ['single_quotes', "{'username': 'abc'}"],
    ['trailing_garbage', '{"username":"abc"} x'],
    ['trailing_comma', '{"username":"abc",}'],
    ['not_json_at_all', 'hello'],
  ];
  for (const [name, raw] of malformed) {
    test(`errors_malformed_json_${name}_is_400_bad_json_and_nothing_changes`, async () => {
      const before = await snapshotUsers(srv, admin);
      const r = await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw, headers: JSON_CT });
      assertError(r, 400, 'bad_json');
      await assertUsersUnchanged(srv, admin, before, ['abc']);
    });
  }

  test('errors_malformed_json_on_login_is_400_bad_json', async () => {
    const r = await srv.api('POST', '/api/v1/auth/login', undefined, { raw: '{"username":"admin","password":', headers: JSON_CT });
    assertError(r, 400, 'bad_json');
    assertStatus(await loginRaw(srv, 'admin', DEMO_PASSWORD), 200);
  });

  // ---- 400 bad_encoding ------------------------------------------------------
  const badBytes = [
    ['lone_0xff', [0xff]],
    ['lone_continuation_byte', [0x80]],
    ['overlong_slash', [0xc0, 0xaf]],
    ['utf16_surrogate', [0xed, 0xa0, 0x80]],
    ['truncated_3_byte_sequence', [0xe4, 0xb8]],
    ['five_byte_sequence', [0xf8, 0x88, 0x80, 0x80, 0x80]],
    ['above_u10ffff', [0xf4, 0x90, 0x80, 0x80]],
  ];
  for (const [name, bytes] of badBytes) {
    test(`errors_invalid_utf8_${name}_in_json_string_is_400_bad_encoding_and_nothing_changes`, async () => {
      const b = newUserBody({ username: uniqueName('enc') });
      const head = `{"username":"${b.username}","name":"张三`;
      const tail = `丰","password":"${b.password}","roles":["grid_worker"]}`;
      const raw = Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
      const before = await snapshotUsers(srv, admin);
      const r = await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw, headers: JSON_CT });
      assertError(r, 400, 'bad_encoding');
      await assertUsersUnchanged(srv, admin, before, [b.username]);
    });
  }

  test('errors_invalid_utf8_in_username_is_400_bad_encoding_and_nothing_changes', async () => {
    const raw = Buffer.concat([
      Buffer.from('{"username":"bad'), Buffer.from([0xfe, 0xff]),
      Buffer.from('user","name":"x","password":"correct-horse-42","roles":["leader"]}'),
    ]);
    const before = await snapshotUsers(srv, admin);
    const r = await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw, headers: JSON_CT });
    assertError(r, 400, 'bad_encoding');
    await assertUsersUnchanged(srv, admin, before);
  });

  test('errors_valid_multibyte_utf8_buffer_body_is_accepted', async () => {
    // control for the bad_encoding tests: the same Buffer path with valid UTF-8 works
    const b = newUserBody({ username: uniqueName('utf8') });
    const raw = Buffer.from(`{"username":"${b.username}","name":"张三丰😀","password":"${b.password}","roles":["grid_worker"]}`, 'utf8');
    const r = await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw, headers: JSON_CT });
    assertStatus(r, 201);
    assert.equal(r.json.user.name, '张三丰😀');
  });

  // ---- 401 --------------------------------------------------------------------
  test('errors_401_unauthenticated_has_error_shape', async () => {
    assertError(await srv.api('GET', '/api/v1/me'), 401, 'unauthenticated');
  });

  test('errors_401_invalid_credentials_has_error_shape', async () => {
    assertError(await loginRaw(srv, 'admin', 'wrong-password-123'), 401, 'invalid_credentials');
    assertStatus(await loginRaw(srv, 'admin', DEMO_PASSWORD), 200);
  });

  // ---- 403 --------------------------------------------------------------------
  test('errors_403_forbidden_has_error_shape', async () => {
    const token = await srv.login('gridworker');
    assertError(await srv.api('GET', '/api/v1/users', undefined, { token }), 403, 'forbidden');
  });

  // ---- 404 --------------------------------------------------------------------
  test('errors_unknown_route_is_404_not_found', async () => {
    assertError(await srv.api('GET', '/api/v1/nope', undefined, { token: admin }), 404, 'not_found');
  });

  test('errors_unknown_route_without_token_is_404_not_found', async () => {
    assertError(await srv.api('GET', '/api/v1/nope'), 404, 'not_found');
  });

  test('errors_unknown_sub_route_of_a_known_route_is_404_not_found', async () => {
    assertError(await srv.api('GET', '/api/v1/users/1/nope', undefined, { token: admin }), 404, 'not_found');
  });

  test('errors_post_to_unknown_route_is_404_and_nothing_changes', async () => {
    const before = await snapshotUsers(srv, admin);
    const b = newUserBody();
    assertError(await srv.api('POST', '/api/v1/nope', b, { token: admin }), 404, 'not_found');
    await assertUsersUnchanged(srv, admin, before, [b.username]);
  });

  // ---- 405 --------------------------------------------------------------------
  test('errors_delete_me_is_405_with_allow_get_and_the_user_survives', async () => {
    const token = await srv.login('leader');
    const r = await srv.api('DELETE', '/api/v1/me', undefined, { token });
    assertError(r, 405, 'method_not_allowed');
    const allow = allowList(r);
    assert.ok(allow.includes('GET'), `Allow: ${r.headers.get('allow')}`);
    assert.ok(!allow.includes('DELETE'), `Allow: ${r.headers.get('allow')}`);
    const me = await srv.api('GET', '/api/v1/me', undefined, { token });
    assertStatus(me, 200);
    assert.equal(me.json.user.username, 'leader');
  });

  test('errors_get_login_is_405_with_allow_post', async () => {
    const r = await srv.api('GET', '/api/v1/auth/login');
    assertError(r, 405, 'method_not_allowed');
    assert.deepEqual(allowList(r).filter((m) => m !== 'OPTIONS'), ['POST']);
  });

  test('errors_delete_users_is_405_with_allow_get_post_and_nothing_changes', async () => {
    const before = await snapshotUsers(srv, admin);
    const r = await srv.api('DELETE', '/api/v1/users', undefined, { token: admin });
    assertError(r, 405, 'method_not_allowed');
    const allow = allowList(r);
    assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${r.headers.get('allow')}`);
    await assertUsersUnchanged(srv, admin, before);
  });

  test('errors_put_user_by_id_is_405_with_allow_get_patch_and_nothing_changes', async () => {
    const before = await snapshotUsers(srv, admin);
    const id = before.users.find((u) => u.username === 'handler').id;
    const r = await srv.api('PUT', `/api/v1/users/${id}`, { name: '改名' }, { token: admin });
    assertError(r, 405, 'method_not_allowed');
    const allow = allowList(r);
    assert.ok(allow.includes('GET') && allow.includes('PATCH'), `Allow: ${r.headers.get('allow')}`);
    await assertUsersUnchanged(srv, admin, before);
  });

  // ---- 413 --------------------------------------------------------------------
  test('errors_2_mib_body_to_post_users_is_413_and_user_list_unchanged', async () => {
    const before = await snapshotUsers(srv, admin);
    const { text, username } = paddedUserBody(2 * 1024 * 1024);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: text,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertError(r, 413, 'payload_too_large');
    await assertUsersUnchanged(srv, admin, before, [username]);
  });

  test('errors_2_mib_chunked_body_to_post_users_is_413_and_user_list_unchanged', async () => {
    const before = await snapshotUsers(srv, admin);
    const { text, username } = paddedUserBody(2 * 1024 * 1024);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: text, chunked: true,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertError(r, 413, 'payload_too_large');
    await assertUsersUnchanged(srv, admin, before, [username]);
  });

  test('errors_2_mib_body_sent_with_fetch_is_413', async () => {
    const before = await snapshotUsers(srv, admin);
    const { text, username } = paddedUserBody(2 * 1024 * 1024);
    let r;
    try {
      r = await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw: text, headers: JSON_CT });
    } catch (err) {
      assert.fail(`no 413 reached the client: ${err.message} (${err.cause?.code || err.cause?.message || 'no cause'})`);
    }
    assertError(r, 413, 'payload_too_large');
    await assertUsersUnchanged(srv, admin, before, [username]);
  });

  // RFC 9112 §9.6: a server that answers before reading the whole body and then
  // closes at once makes the client's TCP stack reset the connection, and the
  // client may never see the 413. Repeated so that an intermittent reset shows.
  test('errors_413_reaches_a_client_still_sending_its_body_every_time', async () => {
    const before = await snapshotUsers(srv, admin);
    const { text, username } = paddedUserBody(2 * 1024 * 1024);
    const outcomes = [];
    for (let i = 0; i < 40; i++) {
      try {
        const r = await rawRequest(srv, {
          method: 'POST', path: '/api/v1/users', body: text,
          headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
        });
        outcomes.push(String(r.status));
      } catch (err) {
        outcomes.push(err.code || err.message);
      }
    }
    const bad = outcomes.filter((o) => o !== '413');
    assert.equal(bad.length, 0, `${bad.length}/40 attempts did not get the 413: ${[...new Set(bad)]}`);
    await assertUsersUnchanged(srv, admin, before, [username]);
  });

  test('errors_2_mib_body_to_login_is_413', async () => {
    const raw = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) });
    const r = await rawRequest(srv, { method: 'POST', path: '/api/v1/auth/login', body: raw, headers: JSON_CT });
    assertError(r, 413, 'payload_too_large');
    assertStatus(await loginRaw(srv, 'admin', DEMO_PASSWORD), 200);
  });

  test('errors_default_body_limit_is_1_mib_exactly', async () => {
    const atLimit = paddedUserBody(1048576);
    const ok = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: atLimit.text,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertStatus(ok, 201);
    const before = await snapshotUsers(srv, admin);
    const over = paddedUserBody(1048577);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: over.text,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertError(r, 413, 'payload_too_large');
    await assertUsersUnchanged(srv, admin, before, [over.username]);
  });

  // ---- 415 --------------------------------------------------------------------
  const badTypes = [
    ['text_plain', 'text/plain'],
    ['form_urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=xyz'],
    ['xml', 'application/xml'],
  ];
  for (const [name, ct] of badTypes) {
    test(`errors_post_users_with_${name}_content_type_is_415_and_nothing_changes`, async () => {
      const before = await snapshotUsers(srv, admin);
      const b = newUserBody();
      const r = await srv.api('POST', '/api/v1/users', undefined, {
        token: admin, raw: JSON.stringify(b), headers: { 'content-type': ct },
      });
      assertError(r, 415, 'unsupported_media_type');
      await assertUsersUnchanged(srv, admin, before, [b.username]);
    });
  }

  test('errors_login_with_text_plain_is_415_and_sets_no_cookie', async () => {
    const r = await srv.api('POST', '/api/v1/auth/login', undefined, {
      raw: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }), headers: { 'content-type': 'text/plain' },
    });
    assertError(r, 415, 'unsupported_media_type');
    assert.equal(r.headers.get('set-cookie'), null, 'a refused login set a cookie');
  });

  // ---- 422 --------------------------------------------------------------------
  test('errors_422_has_error_shape_with_field', async () => {
    const before = await snapshotUsers(srv, admin);
    const b = newUserBody({ username: uniqueName('x'), password: 'short' });
    const r = await srv.api('POST', '/api/v1/users', b, { token: admin });
    assertError(r, 422, 'invalid_field', 'password');
    await assertUsersUnchanged(srv, admin, before, [b.username]);
  });

  // ---- X-Request-Id -----------------------------------------------------------
  test('errors_every_response_carries_a_distinct_x_request_id', async () => {
    const token = await srv.login('supervisor');
    const responses = [
      await srv.api('GET', '/healthz'),
      await srv.api('GET', '/metrics'),
      await loginRaw(srv, 'admin', DEMO_PASSWORD),
      await srv.api('GET', '/api/v1/me', undefined, { token }),
      await srv.api('POST', '/api/v1/users', newUserBody(), { token: admin }),
      await srv.api('POST', '/api/v1/auth/logout', undefined, { token }),
      await srv.api('GET', '/api/v1/me'),
      await srv.api('GET', '/api/v1/users', undefined, { token: await srv.login('leader') }),
      await srv.api('GET', '/api/v1/nope'),
      await srv.api('DELETE', '/api/v1/me', undefined, { token: admin }),
      await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw: '{', headers: JSON_CT }),
      await srv.api('POST', '/api/v1/users', undefined, { token: admin, raw: '{}', headers: { 'content-type': 'text/plain' } }),
    ];
    const ids = [];
    for (const r of responses) {
      const id = r.headers.get('x-request-id');
      assert.ok(id && id.trim().length > 0, `no X-Request-Id on a ${r.status} response`);
      ids.push(id);
    }
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 201, 204, 401, 403, 404, 405, 400, 415]);
    assert.equal(new Set(ids).size, ids.length, `X-Request-Id repeated: ${ids}`);
  });

  test('errors_413_response_carries_x_request_id', async () => {
    const { text } = paddedUserBody(2 * 1024 * 1024);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: text,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assert.equal(r.status, 413);
    assert.ok(r.headers.get('x-request-id'), 'no X-Request-Id on 413');
  });
});

describe('errors: ZONEGOV_BODY_LIMIT=2048', () => {
  let srv;
  let admin;
  before(async () => {
    srv = await startServer({ env: { ZONEGOV_BODY_LIMIT: '2048' } });
    admin = await srv.login('admin');
  });
  after(async () => { await srv?.stop(); });

  test('errors_body_of_exactly_the_limit_is_accepted', async () => {
    const { text, username } = paddedUserBody(2048);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: text,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertStatus(r, 201);
    assert.equal(r.json.user.username, username);
  });

  test('errors_body_one_byte_over_the_limit_is_413_and_nothing_changes', async () => {
    const before = await snapshotUsers(srv, admin);
    const { text, username } = paddedUserBody(2049);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: text,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertError(r, 413, 'payload_too_large');
    await assertUsersUnchanged(srv, admin, before, [username]);
  });

  test('errors_chunked_body_over_the_limit_is_413_and_nothing_changes', async () => {
    const before = await snapshotUsers(srv, admin);
    const { text, username } = paddedUserBody(4096);
    const r = await rawRequest(srv, {
      method: 'POST', path: '/api/v1/users', body: text, chunked: true,
      headers: { ...JSON_CT, authorization: `Bearer ${admin}` },
    });
    assertError(r, 413, 'payload_too_large');
    await assertUsersUnchanged(srv, admin, before, [username]);
  });
});
