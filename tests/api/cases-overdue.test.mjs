// The overdue scanner (超期督办, docs/WORKFLOW.md "Deadlines"): a case past its
// stage's deadline is marked overdue with a yellow 督办 and an `overdue` event by
// the system; still overdue 5 working days after the deadline it gets a red
// 督办; a new stage starts on time again; closed and rejected cases are never
// marked; scans are idempotent.
//
// The scan is run with `zonegov cases scan --now TIME` so that the test can
// stand at any time around a deadline; the server's own scan thread is
// checked once at the end (ZONEGOV_OVERDUE_SCAN=1), with the deadline moved
// into the past in the store as the passing of time.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startServer, BIN } from '../lib/server.mjs';
import { assertStatus, loginAll } from './helpers.mjs';

const DEMO_GRID = '410972060001001';
const MIN = 60 * 1000;
const DAY = 24 * 60 * MIN;

function scan(db, at) {
  const out = execFileSync(BIN, ['cases', 'scan', '--db', db, '--now', new Date(at).toISOString()],
    { encoding: 'utf8' });
  const m = out.match(/: (\d+) case\(s\) newly overdue .*?, (\d+) raised to red/);
  assert.ok(m, `scan output: ${out}`);
  return { marked: Number(m[1]), red: Number(m[2]) };
}

// Deadline plus 5 working days, from the calendar command (the same calendar the scanner uses).
function redTime(deadlineIso) {
  const out = execFileSync(BIN, ['calendar', 'deadline', '--from', deadlineIso, '--amount', '5', '--unit', 'work_days'],
    { encoding: 'utf8' }).trim();
  return Date.parse(out);
}

describe('overdue scan', () => {
  let srv, tok, point;
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await loginAll(srv, ['dispatcher', 'handler', 'gridworker']);
    const unit = await srv.api('GET', `/api/v1/units/${DEMO_GRID}`, undefined, { token: tok.dispatcher });
    point = unit.json.point;
  });
  after(() => srv?.stop());

  const get = async (id) => {
    const r = await srv.api('GET', `/api/v1/cases/${id}`, undefined, { token: tok.dispatcher });
    assertStatus(r, 200);
    return r.json;
  };
  const file = async (over = {}) => {
    const r = await srv.api('POST', '/api/v1/cases', {
      category: 'SJ0103', description: '超期测试:积存垃圾渣土', lat: point.lat, lon: point.lon, source: 'grid_patrol',
      ...over,
    }, { token: tok.gridworker });
    assertStatus(r, 201);
    return get(r.json.id);
  };
  const overdueIds = async () => {
    const r = await srv.api('GET', '/api/v1/cases?overdue=1&per_page=100', undefined, { token: tok.dispatcher });
    assertStatus(r, 200);
    return r.json.items.map((c) => c.id);
  };

  test('a stage past its deadline is marked overdue with a yellow 督办, once', async () => {
    const c = await file();
    assert.equal(c.status, 'dispatched');
    assert.equal(c.overdue, false);
    const deadline = Date.parse(c.deadline);
    assert.ok(deadline > Date.now(), 'the handle stage starts on time');

    assert.deepEqual(scan(srv.db, deadline - MIN), { marked: 0, red: 0 });
    assert.equal((await get(c.id)).overdue, false, 'not overdue before the deadline');
    assert.ok(!(await overdueIds()).includes(c.id));

    assert.equal(scan(srv.db, deadline + MIN).marked, 1);
    const after1 = await get(c.id);
    assert.equal(after1.overdue, true);
    assert.equal(after1.supervision, 'yellow');
    assert.equal(after1.status, 'dispatched', 'the status does not change');
    assert.equal(after1.version, c.version + 1);
    const ev = after1.events.at(-1);
    assert.equal(ev.action, 'overdue');
    assert.equal(ev.actor, 'system');
    assert.equal(ev.from, 'dispatched');
    assert.equal(ev.to, 'dispatched');
    assert.equal(ev.fields.stage, 'handle');
    assert.equal(ev.fields.supervision, 'yellow');
    assert.equal(ev.fields.department, c.department.id, 'the 督办 goes to the department');
    assert.equal(Date.parse(ev.fields.deadline), deadline);
    assert.ok((await overdueIds()).includes(c.id), 'listed under overdue=1');

    assert.deepEqual(scan(srv.db, deadline + 2 * MIN), { marked: 0, red: 0 }, 'a second scan changes nothing');
    assert.equal((await get(c.id)).version, after1.version);
  });

  test('still overdue 5 working days after the deadline: red 督办; a new stage starts on time', async () => {
    const c = await file();
    const deadline = Date.parse(c.deadline);
    scan(srv.db, deadline + MIN);
    const red = redTime(c.deadline);
    assert.ok(red - deadline >= 5 * DAY, 'five working days are at least five days');

    assert.equal(scan(srv.db, red - MIN).red, 0, 'not red before 5 working days');
    assert.equal((await get(c.id)).supervision, 'yellow');
    assert.ok(scan(srv.db, red + MIN).red >= 1);
    const r = await get(c.id);
    assert.equal(r.supervision, 'red');
    const ev = r.events.at(-1);
    assert.equal(ev.action, 'supervise');
    assert.equal(ev.actor, 'system');
    assert.equal(ev.fields.level, 'red');
    assert.equal(scan(srv.db, red + 2 * MIN).red, 0, 'red once');

    // The handler reports the result: the verify stage starts on time; the 督办 stays on record.
    const h = await srv.api('POST', `/api/v1/cases/${c.id}/actions`,
      { action: 'handle', version: r.version, result: '已清理' }, { token: tok.handler });
    assertStatus(h, 200);
    assert.equal(h.json.status, 'handled');
    assert.equal(h.json.overdue, false);
    assert.equal(h.json.supervision, 'red');
    const verifyDeadline = Date.parse(h.json.deadline);
    assert.equal(scan(srv.db, verifyDeadline - MIN).marked, 0);
    assert.equal(scan(srv.db, verifyDeadline + MIN).marked, 1, 'the verify stage can be overdue in its turn');
    const v = await get(c.id);
    assert.equal(v.overdue, true);
    assert.equal(v.supervision, 'red', 'a red 督办 is not lowered to yellow');
    assert.equal(v.events.at(-1).fields.stage, 'verify');
    assert.equal(scan(srv.db, redTime(v.deadline) + DAY).red, 0, 'already red: nothing to raise');
  });

  test('closed and rejected cases are never overdue', async () => {
    const rejected = await srv.api('POST', '/api/v1/cases', {
      category: 'SJ0101', description: '超期测试:将被驳回', lat: point.lat, lon: point.lon, source: 'hotline',
      phone: '13800001234',
    }, { token: tok.dispatcher });
    assertStatus(rejected, 201);
    const rj = await srv.api('POST', `/api/v1/cases/${rejected.json.id}/actions`,
      { action: 'reject', version: rejected.json.version, reason: '重复上报' }, { token: tok.dispatcher });
    assertStatus(rj, 200);
    scan(srv.db, Date.now() + 20 * DAY);
    const after1 = await get(rejected.json.id);
    assert.equal(after1.overdue, false);
    assert.equal(after1.supervision, null);
    assert.equal(after1.version, rj.json.version);
  });

  test('bad --now is a usage error', () => {
    const r = spawnSync(BIN, ['cases', 'scan', '--db', srv.db, '--now', '2026-13-01'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--now/);
  });
});

describe('the server scans by itself', () => {
  let srv, tok;
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '1' } });
    tok = await loginAll(srv, ['gridworker', 'dispatcher']);
  });
  after(() => srv?.stop());

  test('within a scan interval of the deadline the case is overdue', async () => {
    const unit = await srv.api('GET', `/api/v1/units/${DEMO_GRID}`, undefined, { token: tok.dispatcher });
    const r = await srv.api('POST', '/api/v1/cases', {
      category: 'SJ0103', description: '超期测试:后台扫描', lat: unit.json.point.lat, lon: unit.json.point.lon,
      source: 'grid_patrol',
    }, { token: tok.gridworker });
    assertStatus(r, 201);
    // Time passes: the deadline is now a minute ago.
    execFileSync('sqlite3', [srv.db, `UPDATE cases SET deadline = ${Date.now() - MIN} WHERE id = ${r.json.id}`]);
    let c;
    for (let i = 0; i < 50; i++) {
      c = (await srv.api('GET', `/api/v1/cases/${r.json.id}`, undefined, { token: tok.dispatcher })).json;
      if (c.overdue) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(c.overdue, true, 'marked by the server within 5 s');
    assert.equal(c.supervision, 'yellow');
    assert.equal(c.events.at(-1).action, 'overdue');
  });
});
