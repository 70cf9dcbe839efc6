// The key projects ledger (issue 5, first part): projects, annual plans,
// monthly progress and stages over the API, the year's figures and the
// generated paragraph of seed 000 character for character, and bad input
// answered with its error and nothing stored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

const YI = 100000000; // 1 亿元 in yuan

// Seed 000 (2022): 29 provincial and municipal key projects, 264亿 total, 101亿 planned for the year,
// 141.95亿 completed by the end of December (140.5 %), 14 put into production.
function seed000() {
  const projects = [];
  for (let i = 0; i < 29; i++) {
    const last = i === 28;
    projects.push({
      code: `PY2022-${String(i + 1).padStart(3, '0')}`,
      name: `重点项目${i + 1}号`,
      level: i < 9 ? 'province' : 'city',
      industry: ['化工', '新材料', '装备制造', '生物医药'][i % 4],
      total_investment: last ? 12 * YI : 9 * YI,          // 28 × 9亿 + 12亿 = 264亿
      plan: last ? 3 * YI : 3.5 * YI,                       // 28 × 3.5亿 + 3亿 = 101亿
      months: last ? [...Array(11).fill(40000000), 35000000] // 4.75亿
        : [...Array(11).fill(40000000), 50000000],         // 4.9亿; 28 × 4.9 + 4.75 = 141.95亿
      production: i < 14 ? `2022-${String(1 + (i % 12)).padStart(2, '0')}-20` : null,
    });
  }
  return projects;
}

describe('projects ledger', () => {
  let srv, tok;
  const ids = {};
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await srv.login('leader');
  });
  after(() => srv?.stop());
  const api = (method, path, body) => srv.api(method, path, body, { token: tok });

  test('seed 000: the year\'s figures and the paragraph, character for character', async () => {
    for (const p of seed000()) {
      const c = await api('POST', '/api/v1/projects', {
        code: p.code, name: p.name, level: p.level, industry: p.industry, total_investment: p.total_investment,
      });
      assertStatus(c, 201);
      ids[p.code] = c.json.id;
      assertStatus(await api('PUT', `/api/v1/projects/${c.json.id}/stage`, { stage: 'started', date: '2021-12-01' }), 200);
      assertStatus(await api('PUT', `/api/v1/projects/${c.json.id}/plans/2022`, { planned_investment: p.plan }), 200);
      for (let m = 1; m <= 12; m++) {
        assertStatus(await api('PUT', `/api/v1/projects/${c.json.id}/progress/2022/${m}`,
          { completed_investment: p.months[m - 1], note: `${m}月进展` }), 200);
      }
      if (p.production) {
        assertStatus(await api('PUT', `/api/v1/projects/${c.json.id}/stage`,
          { stage: 'production', date: p.production }), 200);
      }
    }
    const s = await api('GET', '/api/v1/projects/summary?year=2022&month=12&level=province,city');
    assertStatus(s, 200);
    assert.equal(s.json.count, 29);
    assert.equal(s.json.total_investment, 264 * YI);
    assert.equal(s.json.annual_plan, 101 * YI);
    assert.equal(s.json.completed, 14195000000);
    assert.equal(s.json.completion_pct, '140.5');
    assert.equal(s.json.in_production, 14);
    assert.equal(s.json.text,
      '2022年,经开区实施省市重点项目29个,概算总投资264亿元,年度计划投资101亿元,截至2022年12月底已实际完成投资141.95亿元,占年度计划的140.5%。其中,14个项目建成投产。');
    // To the end of June: half a year's progress, and only the projects in production by then.
    const june = await api('GET', '/api/v1/projects/summary?year=2022&month=6&level=province,city');
    assert.equal(june.json.completed, 29 * 6 * 40000000); // 69.6亿
    assert.equal(june.json.completion_pct, '68.9'); // 69.6 / 101 = 68.91…%
    // Production dates fall in months 1-12 for projects 1-12, then months 1 and 2: eight by the end of June.
    assert.equal(june.json.in_production, 8);
    assert.match(june.json.text, /截至2022年6月底已实际完成投资69.6亿元,占年度计划的68.9%。其中,8个项目建成投产。$/);
    // Only the provincial ones.
    const prov = await api('GET', '/api/v1/projects/summary?year=2022&level=province');
    assert.equal(prov.json.count, 9);
    assert.match(prov.json.text, /^2022年,经开区实施省重点项目9个,概算总投资81亿元,/);
  });

  test('bad input is refused with its field and nothing is stored', async () => {
    const base = { code: 'BAD-001', name: '坏数据项目', level: 'city', industry: '化工', total_investment: YI };
    for (const [over, status, code, field] of [
      [{ total_investment: -1 }, 422, 'invalid_field', 'total_investment'],
      [{ total_investment: '100' }, 422, 'invalid_field', 'total_investment'],
      [{ total_investment: 1.5 }, 422, 'invalid_field', 'total_investment'],
      [{ level: 'county' }, 422, 'invalid_field', 'level'],
      [{ code: 'bad code' }, 422, 'invalid_field', 'code'],
      [{ owner_credit_code: '91410900MA44RDN41X' }, 422, 'invalid_field', 'owner_credit_code'],
      [{ planned_start: '2023-02-30' }, 422, 'invalid_field', 'planned_start'],
      [{ name: '' }, 422, 'invalid_field', 'name'],
      [{ department: 999999 }, 422, 'invalid_field', 'department'],
    ]) {
      assertError(await api('POST', '/api/v1/projects', { ...base, ...over }), status, code, field);
    }
    // A valid credit code (GB 32100 check character) is accepted.
    const ok = await api('POST', '/api/v1/projects', { ...base, owner_credit_code: '91350100M000100Y43' });
    assertStatus(ok, 201);
    assertError(await api('POST', '/api/v1/projects', base), 409, 'conflict', 'code');
    const id = ok.json.id;
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2022/13`, { completed_investment: 1 }), 422,
      'invalid_field', 'month');
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2022/5`, { completed_investment: 1 }), 422,
      'invalid_field', 'month'); // not started yet
    assertStatus(await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'started', date: '2022-06-15' }), 200);
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2022/5`, { completed_investment: 1 }), 422,
      'invalid_field', 'month'); // before the start
    assertStatus(await api('PUT', `/api/v1/projects/${id}/progress/2022/6`, { completed_investment: 1 }), 200);
    assertError(await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'production', date: '2022-01-01' }), 422,
      'invalid_field', 'date'); // before it started
    assertError(await api('PUT', `/api/v1/projects/${id}/plans/2022`, { planned_investment: -5 }), 422,
      'invalid_field', 'planned_investment');
    assertError(await api('PUT', '/api/v1/projects/999999/plans/2022', { planned_investment: 5 }), 404, 'not_found');
    // The refused ones left the figures alone.
    const s = await api('GET', '/api/v1/projects/summary?year=2022&level=district');
    assert.equal(s.json.count, 0);
    // City level: the 20 city projects of seed 000 (19 × 4.9亿 + 4.75亿) and BAD-001's one yuan in June.
    const c = await api('GET', '/api/v1/projects/summary?year=2022&level=city');
    assert.equal(c.json.count, 21);
    assert.equal(c.json.completed, 19 * 490000000 + 475000000 + 1);
  });

  test('a grid worker may read the figures but not change the ledger', async () => {
    const t = await srv.login('gridworker');
    assertError(await srv.api('POST', '/api/v1/projects', { code: 'X-1', name: 'x', level: 'city', industry: 'x',
      total_investment: 1 }, { token: t }), 403, 'forbidden');
    assertStatus(await srv.api('GET', '/api/v1/projects/summary?year=2022', undefined, { token: t }), 200);
    // Without a year: this year (Asia/Shanghai), as every ledger view (docs/API.md, filters).
    const thisYear = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
    const now = await srv.api('GET', '/api/v1/projects/summary', undefined, { token: t });
    assertStatus(now, 200);
    assert.ok(now.json.text.startsWith(`${thisYear}年,`), now.json.text);
    assertError(await srv.api('GET', '/api/v1/projects/summary?year=abc', undefined, { token: t }), 400, 'bad_request', 'year');
  });
});
