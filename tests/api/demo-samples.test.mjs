// `zonegov demo --samples` (what `make run` creates): sample cases in every
// state of the workflow, filed and moved along by the real intake and actions,
// and the key projects ledger of seed 000, so that every demo user has
// something to look at on first login.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

describe('demo samples', () => {
  let srv;
  const tok = {};
  before(async () => {
    srv = await startServer({ demo: true, samples: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    for (const u of ['dispatcher', 'handler', 'gridworker', 'leader']) tok[u] = await srv.login(u);
  });
  after(() => srv?.stop());

  const list = async (user, q = '') => {
    const r = await srv.api('GET', `/api/v1/cases?per_page=100${q}`, undefined, { token: tok[user] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json;
  };

  test('samples_cover_every_status_each_with_its_timeline', async () => {
    const all = await list('dispatcher');
    assert.ok(all.total >= 15, `only ${all.total} sample cases`);
    const statuses = new Set(all.items.map((c) => c.status));
    for (const s of ['reported', 'accepted', 'rejected', 'dispatched', 'handled', 'closed']) {
      assert.ok(statuses.has(s), `no sample case is ${s}`);
    }
    for (const item of all.items) {
      const c = (await srv.api('GET', `/api/v1/cases/${item.id}`, undefined, { token: tok.dispatcher })).json;
      assert.equal(c.events.length, c.version, `${c.number}: one event per version`);
      assert.equal(c.events.at(-1).to ?? c.status, c.status, `${c.number}: the timeline ends in its status`);
    }
    const rated = all.items.filter((c) => c.rating);
    assert.ok(rated.length >= 1, 'a rated case');
    assert.ok(all.items.some((c) => c.supervision === 'yellow'), 'a supervised (督办) case');
  });

  test('every_demo_role_has_work_in_its_scope', async () => {
    assert.ok((await list('handler', '&status=dispatched')).total >= 1, 'the handler has cases to handle');
    assert.ok((await list('gridworker')).total >= 1, 'the grid worker sees cases of the demo grid');
    assert.ok((await list('dispatcher', '&status=reported')).total >= 1, 'the dispatcher has reports to accept');
    assert.ok((await list('gridworker', '&status=handled')).total >= 1, 'the grid worker has a case to verify');
  });

  test('samples_hold_the_seed_000_ledger_and_this_years_progress', async () => {
    const s = await srv.api('GET', '/api/v1/projects/summary?year=2022&month=12&level=province,city', undefined,
      { token: tok.leader });
    assert.equal(s.status, 200);
    assert.equal(s.json.text,
      '2022年,经开区实施省市重点项目29个,概算总投资264亿元,年度计划投资101亿元,截至2022年12月底已实际完成投资141.95亿元,占年度计划的140.5%。其中,14个项目建成投产。');
    // This year (Asia/Shanghai): the 15 projects still being built have a plan and the past months' progress.
    const now = new Date(Date.now() + 8 * 3600e3);
    const year = now.getUTCFullYear(), month = now.getUTCMonth() + 1;
    const t = await srv.api('GET', `/api/v1/projects/summary?year=${year}&month=${month}`, undefined,
      { token: tok.leader });
    assert.equal(t.json.annual_plan, 15 * 3 * 100000000);
    assert.equal(t.json.completed, 15 * (month - 1) * 22000000);
  });

  test('demo_without_samples_has_no_cases', async () => {
    const plain = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    try {
      const t = await plain.login('dispatcher');
      const r = await plain.api('GET', '/api/v1/cases', undefined, { token: t });
      assert.equal(r.json.total, 0);
    } finally {
      await plain.stop();
    }
  });
});
