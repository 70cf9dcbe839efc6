// Likely duplicates (same category, within 50 m, within 72 h, not rejected)
// offered on a staff view of a case for merging, and the allowed_actions a
// staff view carries.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.mjs';
import { assertStatus, loginAll } from './helpers.mjs';

const DEMO_GRID = '410972060001001';
const M_PER_DEG_LAT = 111194.9;

describe('likely duplicates', () => {
  let srv, tok, point;
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await loginAll(srv, ['dispatcher', 'handler', 'gridworker']);
    point = (await srv.api('GET', `/api/v1/units/${DEMO_GRID}`, undefined, { token: tok.dispatcher })).json.point;
  });
  after(() => srv?.stop());

  // A hotline report `north` metres north of the grid's point.
  const file = async (category, north = 0, description = '重复测试') => {
    const r = await srv.api('POST', '/api/v1/cases', {
      category, description, lat: point.lat + north / M_PER_DEG_LAT, lon: point.lon, source: 'hotline',
      phone: '13800001234',
    }, { token: tok.dispatcher });
    assertStatus(r, 201);
    return r.json;
  };
  const get = async (id, user = 'dispatcher') => {
    const r = await srv.api('GET', `/api/v1/cases/${id}`, undefined, { token: tok[user] });
    assertStatus(r, 200);
    return r.json;
  };

  test('same category within 50 m and 72 h is offered, nearest first; others are not', async () => {
    const a = await file('SJ0201');
    assert.deepEqual(a.duplicates, [], 'the first report has none');
    const far = await file('SJ0201', 80);       // too far
    const other = await file('SJ0202', 5);      // another category
    const b = await file('SJ0201', 20);
    assert.deepEqual(b.duplicates.map((d) => d.id), [a.id], 'offered at intake');
    assert.ok(Math.abs(b.duplicates[0].distance_m - 20) < 0.5, `distance ${b.duplicates[0].distance_m}`);
    assert.equal(b.duplicates[0].number, a.number);
    assert.equal(b.duplicates[0].status, 'reported');
    const c = await file('SJ0201', -10);
    assert.deepEqual(c.duplicates.map((d) => d.id), [a.id, b.id], 'nearest first (10 m, then 30 m)');
    // The earlier case sees the later ones too.
    const a2 = await get(a.id);
    assert.deepEqual(a2.duplicates.map((d) => d.id), [c.id, b.id]);
    assert.ok(!a2.duplicates.some((d) => d.id === far.id || d.id === other.id));

    // Merging takes b out of the offers.
    const m = await srv.api('POST', `/api/v1/cases/${b.id}/actions`,
      { action: 'merge', version: b.version, into: a.id }, { token: tok.dispatcher });
    assertStatus(m, 200);
    assert.equal(m.json.status, 'rejected');
    assert.deepEqual((await get(a.id)).duplicates.map((d) => d.id), [c.id]);
  });

  test('a report older than 72 h is not a duplicate', async () => {
    const old = await file('SJ0203');
    execFileSync('sqlite3', [srv.db,
      `UPDATE cases SET created_at = created_at - ${73 * 3600 * 1000} WHERE id = ${old.id}`]);
    const fresh = await file('SJ0203', 3);
    assert.deepEqual(fresh.duplicates, []);
    const recent = await file('SJ0203', 6);
    assert.deepEqual(recent.duplicates.map((d) => d.id), [fresh.id]);
  });

  test('a staff view lists the actions this user may take now', async () => {
    const a = await file('SJ0103', 0, '积存渣土');
    assert.ok(a.allowed_actions.includes('accept'));
    assert.ok(a.allowed_actions.includes('reject'));
    assert.ok(!a.allowed_actions.includes('handle'));
    const acc = await srv.api('POST', `/api/v1/cases/${a.id}/actions`, { action: 'accept', version: a.version },
      { token: tok.dispatcher });
    assertStatus(acc, 200);
    assert.equal(acc.json.status, 'dispatched');
    assert.ok(!acc.json.allowed_actions.includes('accept'), 'the answer to an action carries the new list');
    const h = await get(a.id, 'handler');
    for (const x of ['handle', 'return', 'request_extension', 'comment']) assert.ok(h.allowed_actions.includes(x), x);
    for (const x of ['accept', 'approve_extension', 'verify']) assert.ok(!h.allowed_actions.includes(x), x);
    const d = await get(a.id, 'dispatcher');
    assert.ok(!d.allowed_actions.includes('approve_extension'), 'no extension pending');
    assert.ok(!d.allowed_actions.includes('handle'));
  });
});
