// Case rules found by review: one rating per closing, public idempotency
// keys scoped to the reporter's phone, blank descriptions, strict dates.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

describe('case rules', () => {
  let srv, point, D, H, W;
  before(async () => {
    srv = await startServer();
    D = await srv.login('dispatcher');
    H = await srv.login('handler');
    W = await srv.login('gridworker');
    point = (await srv.api('GET', '/api/v1/units/410972060001001', undefined, { token: D })).json.point;
  });
  after(async () => { await srv.stop(); });

  const report = (extra = {}, headers = {}) => srv.api('POST', '/api/v1/public/cases', {
    category: 'SJ0501', description: '占道经营', lat: point.lat, lon: point.lon, phone: '13800001111', ...extra,
  }, { headers });
  const act = (token, id, body) => srv.api('POST', `/api/v1/cases/${id}/actions`, body, { token });

  async function closedCase() {
    const r = await report();
    assert.equal(r.status, 201);
    const id = r.json.id;
    let c = (await act(D, id, { action: 'accept', version: r.json.version })).json;
    c = (await act(H, id, { action: 'handle', version: c.version, result: '已处理' })).json;
    c = (await act(W, id, { action: 'verify', version: c.version, passed: true })).json;
    assert.equal(c.status, 'closed');
    return c;
  }

  test('cases_a_closing_is_rated_once_and_a_reopened_case_again_after_it_closes', async () => {
    const c = await closedCase();
    const rate = (rating) => srv.api('POST', `/api/v1/public/cases/${c.number}/rating`, { phone4: '1111', rating });
    let r = await rate('unsatisfied');
    assert.equal(r.status, 200);
    assert.equal(r.json.status, 'dispatched', 'unsatisfied reopens');
    let cur = (await srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: D })).json;
    cur = (await act(H, c.id, { action: 'handle', version: cur.version, result: '返工完成' })).json;
    cur = (await act(W, c.id, { action: 'verify', version: cur.version, passed: true })).json;
    assert.equal(cur.status, 'closed');
    assert.equal(cur.rating, null, 'a new closing starts unrated');
    r = await rate('satisfied');
    assert.equal(r.status, 200);
    assert.equal(r.json.rating, 'satisfied');
    const before = (await srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: D })).json;
    r = await rate('unsatisfied');
    assert.equal(r.status, 409, 'no second rating of the same closing');
    const afterRead = (await srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: D })).json;
    assert.equal(afterRead.version, before.version);
    assert.equal(afterRead.status, 'closed');
  });

  test('cases_public_idempotency_keys_are_per_reporter_phone', async () => {
    const a = await report({ phone: '13900000001' }, { 'Idempotency-Key': 'same-key-1' });
    const b = await report({ phone: '13900000002', description: '另一位群众' }, { 'Idempotency-Key': 'same-key-1' });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.json.id, b.json.id, 'two reporters never share a key');
    const again = await report({ phone: '13900000001' }, { 'Idempotency-Key': 'same-key-1' });
    assert.equal(again.json.id, a.json.id);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });

  test('cases_blank_description_is_refused_and_nothing_stored', async () => {
    const before = (await srv.api('GET', '/api/v1/cases', undefined, { token: D })).json.total;
    const r = await report({ description: '  \n\t ' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'description');
    assert.equal((await srv.api('GET', '/api/v1/cases', undefined, { token: D })).json.total, before);
  });

  test('cases_list_dates_must_be_yyyy_mm_dd', async () => {
    const r = await srv.api('GET', '/api/v1/cases?from=2026-1-5', undefined, { token: D });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.field, 'from');
    assert.equal((await srv.api('GET', '/api/v1/cases?from=2026-01-05', undefined, { token: D })).status, 200);
  });

  test('cases_public_timeline_leaves_out_internal_steps', async () => {
    const r = await report();
    await act(D, r.json.id, { action: 'comment', version: r.json.version, note: '内部备注:请网格员先核实' });
    const sup = await srv.login('supervisor');
    await act(sup, r.json.id, { action: 'supervise', version: r.json.version + 1, level: 'yellow', note: '内部督办' });
    const pub = await srv.api('GET', `/api/v1/public/cases/${r.json.number}?phone4=1111`);
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.json.events.map((e) => e.action), ['report']);
    assert.ok(!pub.text.includes('内部'), 'no internal note');
    const staff = await srv.api('GET', `/api/v1/cases/${r.json.id}`, undefined, { token: D });
    assert.deepEqual(staff.json.events.map((e) => e.action), ['report', 'comment', 'supervise']);
  });

  test('static_directory_without_slash_redirects', async () => {
    const r = await fetch(srv.url + '/public', { redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/public/');
    const page = await fetch(srv.url + '/public/');
    assert.equal(page.status, 200);
  });
});
