// The "三个一批" batches (签约一批、开工一批、投产一批) of the key projects ledger:
// GET /api/v1/projects/batches against seed 002 — "纳入前六期“三个一批”的 36 个项目,
// 项目开工率、项目投产率、项目达效率均为 100%" — with every count and rate per batch and in
// total written out by hand (docs/PROJECTS.md, "per batch"):
//   start rate      签约项目开工率 = projects listed as signed that have started / projects listed as signed
//   production rate 开工项目投产率 = projects listed as started now in production / projects listed as started
//   effectiveness   投产项目达效率 = projects listed as production now effective / projects listed as production
// each as reached by the end of the month asked for.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

const YI = 100000000;
const SIZES = [5, 6, 7, 6, 6, 6]; // 36 projects in batches 1-6
const KINDS = ['signed', 'started', 'production']; // by position in the batch, in turn
// The day batch b's projects reached the next stage in 2022: batch 1 in April ... batch 6 in September.
const reachedOn = (b) => `2022-${String(b + 3).padStart(2, '0')}-15`;

// Project k (0-35) invests k+1 亿; projects 30-35 (batch 6) are provincial, the others municipal.
// Project 0 (batch 1, signed) is listed again in batch 4 as started: it started in April, went into
// production in July. So 37 memberships, 36 projects.
function seed002() {
  const out = [];
  let k = 0;
  SIZES.forEach((n, i) => {
    const b = i + 1;
    for (let j = 0; j < n; j++, k++) {
      const kind = KINDS[j % 3];
      const batches = [{ batch: b, kind }];
      let stages;
      if (k === 0) {
        batches.push({ batch: 4, kind: 'started' });
        stages = [['started', reachedOn(1)], ['production', reachedOn(4)]];
      } else if (kind === 'signed') {
        stages = [['signed', '2021-05-01'], ['started', reachedOn(b)]];
      } else if (kind === 'started') {
        stages = [['started', '2021-10-01'], ['production', reachedOn(b)]];
      } else {
        stages = [['started', '2021-06-01'], ['production', '2021-12-01'], ['effective', reachedOn(b)]];
      }
      out.push({
        code: `SGYP-${String(k + 1).padStart(2, '0')}`, name: `三个一批项目${k + 1}号`, level: k >= 30 ? 'province' : 'city',
        industry: '装备制造', total_investment: (k + 1) * YI, batches, stages,
      });
    }
  });
  return out;
}

// Per batch: projects, signed, started, production (listed), and all of them reached by December 2022.
const DECEMBER = [
  // batch, projects, signed, started, production, total_investment (亿)
  [1, 5, 2, 2, 1, 15],
  [2, 6, 2, 2, 2, 51],
  [3, 7, 3, 2, 2, 105],
  [4, 7, 2, 3, 2, 130], // six of its own and project 0 (1亿)
  [5, 6, 2, 2, 2, 165],
  [6, 6, 2, 2, 2, 201],
];

describe('projects ledger: the three batches (seed 002)', () => {
  let srv, tok;
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await srv.login('leader');
    for (const p of seed002()) {
      const { stages, ...body } = p;
      const c = await api('POST', '/api/v1/projects', body);
      assertStatus(c, 201);
      for (const [stage, date] of stages) {
        assertStatus(await api('PUT', `/api/v1/projects/${c.json.id}/stage`, { stage, date }), 200);
      }
    }
  });
  after(() => srv?.stop());
  function api(method, path, body, token = tok) {
    return srv.api(method, path, body, { token });
  }
  async function batches(query) {
    const r = await api('GET', `/api/v1/projects/batches?${query}`);
    assertStatus(r, 200);
    return r.json;
  }

  test('seed 002: 36 projects in batches 1-6, start, production and effectiveness rates all 100%', async () => {
    const j = await batches('year=2022&month=12');
    assert.equal(j.year, 2022);
    assert.equal(j.month, 12);
    assert.deepEqual(j.items, DECEMBER.map(([batch, projects, signed, started, production, yi]) => ({
      batch, projects, signed, started, production, started_count: signed, in_production: started,
      effective: production, start_rate: '100.0', production_rate: '100.0', effectiveness_rate: '100.0',
      total_investment: yi * YI,
    })));
    assert.deepEqual(j.totals, {
      projects: 36, signed: 13, started: 13, production: 11, started_count: 13, in_production: 13, effective: 11,
      start_rate: '100.0', production_rate: '100.0', effectiveness_rate: '100.0', total_investment: 666 * YI,
    });
  });

  test('the rates count what was reached by the end of the month asked for', async () => {
    // By the end of June 2022 batches 1-3 had got there (April-June), batches 4-6 not yet (July-September).
    const j = await batches('year=2022&month=6');
    const rates = j.items.map((b) => [b.batch, b.started_count, b.in_production, b.effective, b.start_rate,
      b.production_rate, b.effectiveness_rate]);
    assert.deepEqual(rates, [
      [1, 2, 2, 1, '100.0', '100.0', '100.0'],
      [2, 2, 2, 2, '100.0', '100.0', '100.0'],
      [3, 3, 2, 2, '100.0', '100.0', '100.0'],
      [4, 0, 0, 0, '0.0', '0.0', '0.0'],
      [5, 0, 0, 0, '0.0', '0.0', '0.0'],
      [6, 0, 0, 0, '0.0', '0.0', '0.0'],
    ]);
    // 7 of 13 signed started (53.8 %), 6 of 13 started in production (46.2 %), 5 of 11 effective (45.5 %).
    assert.deepEqual([j.totals.started_count, j.totals.in_production, j.totals.effective], [7, 6, 5]);
    assert.deepEqual([j.totals.start_rate, j.totals.production_rate, j.totals.effectiveness_rate],
      ['53.8', '46.2', '45.5']);
    // Before anything was reached in 2022 (the end of 2021): only what 2021 brought.
    const y21 = await batches('year=2021&month=12');
    assert.equal(y21.totals.start_rate, '0.0');
    assert.equal(y21.totals.production_rate, '0.0');
    assert.equal(y21.totals.effectiveness_rate, '0.0');
  });

  test('filters: one batch, a level', async () => {
    const b4 = await batches('year=2022&batch=4');
    assert.deepEqual(b4.items.map((b) => [b.batch, b.projects, b.started, b.in_production, b.production_rate]),
      [[4, 7, 3, 3, '100.0']]);
    assert.equal(b4.totals.projects, 7);
    assert.equal(b4.totals.total_investment, 130 * YI);
    const prov = await batches('year=2022&level=province');
    assert.deepEqual(prov.items.map((b) => [b.batch, b.projects, b.total_investment]), [[6, 6, 201 * YI]]);
    assert.equal(prov.totals.projects, 6);
    const none = await batches('year=2022&level=district');
    assert.deepEqual(none.items, []);
    assert.equal(none.totals.projects, 0);
    assert.equal(none.totals.start_rate, null, 'nothing listed: no rate');
  });

  test('a seventh batch with a signed project not started: its rate and the totals show it', async () => {
    const c = await api('POST', '/api/v1/projects', { code: 'SGYP-37', name: '第七期签约项目', level: 'city',
      industry: '电子信息', total_investment: 2 * YI, batches: [{ batch: 7, kind: 'signed' }] });
    assertStatus(c, 201);
    const j = await batches('year=2022&month=12');
    assert.deepEqual(j.items.at(-1), { batch: 7, projects: 1, signed: 1, started: 0, production: 0, started_count: 0,
      in_production: 0, effective: 0, start_rate: '0.0', production_rate: null, effectiveness_rate: null,
      total_investment: 2 * YI });
    assert.equal(j.totals.projects, 37);
    assert.equal(j.totals.start_rate, '92.9'); // 13 of 14
    assert.equal(j.totals.production_rate, '100.0');
    // The first six batches alone still read 100 %.
    for (let b = 1; b <= 6; b++) {
      const one = await batches(`year=2022&batch=${b}`);
      assert.equal(one.totals.start_rate, '100.0', `batch ${b}`);
    }
  });

  test('bad filters are 400; a grid worker may read the batches', async () => {
    for (const [q, field] of [['batch=x', 'batch'], ['batch=-2', 'batch'], ['month=13', 'month'], ['year=1', 'year'],
      ['level=town', 'level'], ['department=x', 'department'], ['stage=done', 'stage']]) {
      assertError(await api('GET', `/api/v1/projects/batches?${q}`), 400, 'bad_request', field);
    }
    const g = await srv.login('gridworker');
    assertStatus(await api('GET', '/api/v1/projects/batches?year=2022', undefined, g), 200);
  });
});
