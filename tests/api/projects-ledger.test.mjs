// The key projects ledger, second part (issue 5, docs/API.md): the list with
// the contract's filters, sorting, paging and totals over every match; one
// project with its plans, progress (cumulative per year), stages, batches and
// problem cases; PATCH with an optimistic version; the monthly trend and the
// rankings of leaders and departments; problem cases linked to their project
// (source project). Every figure is worked out by hand from the fixture below.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

const YI = 100000000; // 1 亿元 in yuan
const HALF = YI / 2;
const DEMO_GRID = '410972060001001';

// Four projects in 2023 (and one month of A in 2022, to show the cumulative restarting per year).
//   A 化工 province 张三 D1: total 10亿, plan 4亿, 0.5亿 in each of months 1-6 → 3亿 = 75.0 %; batch 1 (started)
//   B 新材料 city 李四 D2: total 6亿, plan 2亿, 1亿 in March and 1.5亿 in September → 2.5亿 = 125.0 %
//   C 生物医药 city 张三 D1: total 3亿, plan 1亿, 0.25亿 in December → 25.0 %
//   D 物流 district 王五, no department, no plan, not started → no percentage
// Totals for 2023: 4 projects, 21亿, plan 7亿, completed 5.75亿 → 82.1 %.
describe('projects ledger: list, project, patch, trend, rankings, problem cases', () => {
  let srv, tok, grid, dispatcher, D1, D2, point;
  const id = {};
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await srv.login('leader');
    grid = await srv.login('gridworker');
    dispatcher = await srv.login('dispatcher');
    const depts = (await api('GET', '/api/v1/departments')).json.items;
    [D1, D2] = [depts[0], depts[1]];
    point = (await api('GET', `/api/v1/units/${DEMO_GRID}`)).json.point;
    const P = [
      ['A', { code: 'L-001', name: '化工园区污水处理厂', level: 'province', industry: '化工', total_investment: 10 * YI,
        leader: '张三', department: D1.id, batches: [{ batch: 1, kind: 'started' }],
        planned_start: '2022-11-01', planned_completion: '2024-06-30' },
      '2022-12-01', 4 * YI, { 1: HALF, 2: HALF, 3: HALF, 4: HALF, 5: HALF, 6: HALF }],
      ['B', { code: 'L-002', name: '新材料产业园', level: 'city', industry: '新材料', total_investment: 6 * YI,
        leader: '李四', department: D2.id }, '2023-02-15', 2 * YI, { 3: YI, 9: 1.5 * YI }],
      ['C', { code: 'L-003', name: '生物医药孵化器', level: 'city', industry: '生物医药', total_investment: 3 * YI,
        leader: '张三', department: D1.id }, '2023-01-10', 1 * YI, { 12: YI / 4 }],
      ['D', { code: 'L-004', name: '物流园二期', level: 'district', industry: '物流', total_investment: 2 * YI,
        leader: '王五' }, null, null, {}],
    ];
    for (const [k, body, started, plan, months] of P) {
      const c = await api('POST', '/api/v1/projects', body);
      assertStatus(c, 201);
      id[k] = c.json.id;
      if (started) assertStatus(await api('PUT', `/api/v1/projects/${id[k]}/stage`, { stage: 'started', date: started }), 200);
      if (plan) assertStatus(await api('PUT', `/api/v1/projects/${id[k]}/plans/2023`, { planned_investment: plan }), 200);
      for (const [m, amount] of Object.entries(months)) {
        assertStatus(await api('PUT', `/api/v1/projects/${id[k]}/progress/2023/${m}`,
          { completed_investment: amount, note: `${m}月形象进度` }), 200);
      }
    }
    assertStatus(await api('PUT', `/api/v1/projects/${id.A}/progress/2022/12`, { completed_investment: 0.2 * YI }), 200);
  });
  after(() => srv?.stop());
  function api(method, path, body, token = tok) {
    return srv.api(method, path, body, { token });
  }
  async function list(query) {
    const r = await api('GET', `/api/v1/projects?${query}`);
    assertStatus(r, 200);
    return r.json;
  }
  const codes = (j) => j.items.map((p) => p.code);

  test('the list: every field of a project, totals over all matches, paging', async () => {
    const all = await list('year=2023&month=12');
    assert.equal(all.total, 4);
    assert.equal(all.year, 2023);
    assert.equal(all.month, 12);
    assert.equal(all.page, 1);
    assert.equal(all.per_page, 20);
    assert.deepEqual(codes(all), ['L-001', 'L-002', 'L-003', 'L-004']);
    assert.deepEqual(all.totals, { count: 4, total_investment: 21 * YI, annual_plan: 7 * YI, completed: 575000000,
      completion_pct: '82.1' });
    const a = all.items[0];
    const { version, ...rest } = a;
    assert.ok(Number.isInteger(version) && version >= 1);
    assert.deepEqual(rest, {
      id: id.A, code: 'L-001', name: '化工园区污水处理厂', level: 'province', industry: '化工', owner_name: null,
      owner_credit_code: null, leader: '张三', department: { id: D1.id, name: D1.name }, stage: 'started',
      stage_date: '2022-12-01', planned_start: '2022-11-01', planned_completion: '2024-06-30',
      total_investment: 10 * YI, annual_plan: 4 * YI, completed: 3 * YI, completion_pct: '75.0',
      new_economy: false, strategic_emerging: false, batches: [{ batch: 1, kind: 'started' }], unit: null,
      location: null,
    });
    const d = all.items[3];
    assert.equal(d.department, null);
    assert.equal(d.stage, 'planning');
    assert.equal(d.stage_date, null);
    assert.equal(d.annual_plan, 0);
    assert.equal(d.completion_pct, null, 'no plan: no percentage');
    // A page holds per_page projects; the totals still cover all four.
    const p2 = await list('year=2023&per_page=2&page=2');
    assert.deepEqual(codes(p2), ['L-003', 'L-004']);
    assert.equal(p2.total, 4);
    assert.equal(p2.totals.completed, 575000000);
    assert.deepEqual((await list('year=2023&per_page=2&page=3')).items, []);
    // To the end of June: A 3亿, B 1亿, C nothing yet.
    const june = await list('year=2023&month=6');
    assert.deepEqual(june.items.map((p) => p.completed), [3 * YI, YI, 0, 0]);
    assert.deepEqual(june.items.map((p) => p.completion_pct), ['75.0', '50.0', '0.0', null]);
    assert.equal(june.totals.completed, 4 * YI);
    assert.equal(june.totals.completion_pct, '57.1');
  });

  test('the list sorts by each column, both ways; no percentage sorts last', async () => {
    const by = async (q) => codes(await list(`year=2023&${q}`));
    assert.deepEqual(await by('sort=completion_pct&order=desc'), ['L-002', 'L-001', 'L-003', 'L-004']);
    assert.deepEqual(await by('sort=completion_pct&order=asc'), ['L-003', 'L-001', 'L-002', 'L-004']);
    assert.deepEqual(await by('sort=completed&order=desc'), ['L-001', 'L-002', 'L-003', 'L-004']);
    assert.deepEqual(await by('sort=annual_plan&order=desc'), ['L-001', 'L-002', 'L-003', 'L-004']);
    assert.deepEqual(await by('sort=total_investment&order=asc'), ['L-004', 'L-003', 'L-002', 'L-001']);
    assert.deepEqual(await by('sort=code&order=desc'), ['L-004', 'L-003', 'L-002', 'L-001']);
    assert.deepEqual(await by('sort=name'), ['L-001', 'L-003', 'L-002', 'L-004'].sort((x, y) => {
      const n = { 'L-001': '化工园区污水处理厂', 'L-002': '新材料产业园', 'L-003': '生物医药孵化器', 'L-004': '物流园二期' };
      return Buffer.compare(Buffer.from(n[x]), Buffer.from(n[y]));
    }));
  });

  test('each filter selects its projects, for the list and the summary alike', async () => {
    for (const [q, want] of [
      ['level=city', ['L-002', 'L-003']],
      ['level=province,district', ['L-001', 'L-004']],
      ['industry=化工', ['L-001']],
      ['leader=张三', ['L-001', 'L-003']],
      [`department=${D1.id}`, ['L-001', 'L-003']],
      ['stage=started', ['L-001', 'L-002', 'L-003']],
      ['stage=planning', ['L-004']],
      ['batch=1', ['L-001']],
      ['q=物流', ['L-004']],
      ['q=L-002', ['L-002']],
      ['q=100%25', []],
      ['leader=张三&level=city', ['L-003']],
    ]) {
      const j = await list(`year=2023&${q.replace(/[^\x00-\x7f]+/g, encodeURIComponent)}`);
      assert.deepEqual(codes(j), want, q);
      assert.equal(j.totals.count, want.length, q);
    }
    const s = await api('GET', `/api/v1/projects/summary?year=2023&leader=${encodeURIComponent('张三')}`);
    assertStatus(s, 200);
    assert.equal(s.json.count, 2);
    assert.equal(s.json.annual_plan, 5 * YI);
    assert.equal(s.json.completed, 325000000);
    assert.equal(s.json.completion_pct, '65.0');
  });

  test('one project: plans, progress with its cumulative per year, stages, batches', async () => {
    const r = await api('GET', `/api/v1/projects/${id.A}?year=2023&month=12`);
    assertStatus(r, 200);
    const p = r.json;
    assert.equal(p.code, 'L-001');
    assert.equal(p.completed, 3 * YI);
    assert.deepEqual(p.plans, [{ year: 2023, planned_investment: 4 * YI }]);
    assert.deepEqual(p.progress.map((x) => [x.year, x.month, x.completed_investment, x.cumulative]), [
      [2022, 12, 0.2 * YI, 0.2 * YI],
      [2023, 1, HALF, HALF], [2023, 2, HALF, 2 * HALF], [2023, 3, HALF, 3 * HALF],
      [2023, 4, HALF, 4 * HALF], [2023, 5, HALF, 5 * HALF], [2023, 6, HALF, 6 * HALF],
    ]);
    assert.equal(p.progress[1].note, '1月形象进度');
    assert.equal(p.progress[0].note, null);
    assert.ok(!Number.isNaN(Date.parse(p.progress[0].updated_at)));
    assert.deepEqual(p.stages, [{ stage: 'started', date: '2022-12-01' }]);
    assert.deepEqual(p.batches, [{ batch: 1, kind: 'started' }]);
    assert.deepEqual(p.cases, []);
    // Another year: its own plan and completion.
    const y22 = (await api('GET', `/api/v1/projects/${id.A}?year=2022`)).json;
    assert.equal(y22.completed, 0.2 * YI);
    assert.equal(y22.annual_plan, 0);
    assert.equal(y22.completion_pct, null);
  });

  test('the named views are not taken for a project id', async () => {
    assert.ok('text' in (await api('GET', '/api/v1/projects/summary?year=2023')).json);
    assert.ok('months' in (await api('GET', '/api/v1/projects/trend?year=2023')).json);
    assert.ok('items' in (await api('GET', '/api/v1/projects/rankings?by=leader&year=2023')).json);
    assert.ok('totals' in (await api('GET', '/api/v1/projects/batches?year=2023')).json);
  });

  test('the monthly trend: completed, cumulative and share of the annual plan', async () => {
    const t = (await api('GET', '/api/v1/projects/trend?year=2023&month=12')).json;
    assert.equal(t.year, 2023);
    assert.equal(t.annual_plan, 7 * YI);
    assert.equal(t.months.length, 12);
    const done = [HALF, HALF, HALF + YI, HALF, HALF, HALF, 0, 0, 1.5 * YI, 0, 0, YI / 4];
    let cum = 0;
    t.months.forEach((m, i) => {
      cum += done[i];
      assert.deepEqual([m.month, m.completed, m.cumulative], [i + 1, done[i], cum], `month ${i + 1}`);
    });
    assert.equal(t.months[5].completion_pct, '57.1'); // 4亿 / 7亿
    assert.equal(t.months[11].completion_pct, '82.1'); // 5.75亿 / 7亿
    // Up to June: the later months are not reported yet.
    const june = (await api('GET', '/api/v1/projects/trend?year=2023&month=6')).json;
    assert.equal(june.months[5].cumulative, 4 * YI);
    assert.deepEqual(june.months[6], { month: 7, completed: null, cumulative: null, completion_pct: null });
    // With a filter: B only.
    const b = (await api('GET', '/api/v1/projects/trend?year=2023&level=city&industry=%E6%96%B0%E6%9D%90%E6%96%99')).json;
    assert.equal(b.annual_plan, 2 * YI);
    assert.equal(b.months[8].completed, 1.5 * YI);
    assert.equal(b.months[11].completion_pct, '125.0');
  });

  test('rankings of leaders and departments by completion of the annual plan', async () => {
    const l = (await api('GET', '/api/v1/projects/rankings?by=leader&year=2023&month=12')).json;
    assert.equal(l.by, 'leader');
    assert.equal(l.year, 2023);
    assert.deepEqual(l.items, [
      { rank: 1, key: '李四', name: '李四', count: 1, annual_plan: 2 * YI, completed: 2.5 * YI, completion_pct: '125.0' },
      { rank: 2, key: '张三', name: '张三', count: 2, annual_plan: 5 * YI, completed: 3.25 * YI, completion_pct: '65.0' },
      { rank: 3, key: '王五', name: '王五', count: 1, annual_plan: 0, completed: 0, completion_pct: null },
    ]);
    const d = (await api('GET', '/api/v1/projects/rankings?by=department&year=2023')).json;
    assert.deepEqual(d.items, [
      { rank: 1, key: D2.id, name: D2.name, count: 1, annual_plan: 2 * YI, completed: 2.5 * YI, completion_pct: '125.0' },
      { rank: 2, key: D1.id, name: D1.name, count: 2, annual_plan: 5 * YI, completed: 3.25 * YI, completion_pct: '65.0' },
    ]);
    // To the end of June, B has 1亿 of 2 (50.0 %) and 张三 3亿 of 5 (60.0 %): the order turns.
    const june = (await api('GET', '/api/v1/projects/rankings?by=leader&year=2023&month=6')).json;
    assert.deepEqual(june.items.map((i) => [i.rank, i.key, i.completion_pct]),
      [[1, '张三', '60.0'], [2, '李四', '50.0'], [3, '王五', null]]);
  });

  test('PATCH changes the fields given, with the version; a stale version is 409', async () => {
    const before = (await api('GET', `/api/v1/projects/${id.C}?year=2023`)).json;
    const r = await api('PATCH', `/api/v1/projects/${id.C}?year=2023`, {
      version: before.version, name: '生物医药孵化器(一期)', leader: '李四', department: D2.id,
      total_investment: 4 * YI, new_economy: true, owner_credit_code: '91350100M000100Y43', owner_name: '某生物科技有限公司',
    });
    assertStatus(r, 200);
    assert.equal(r.json.version, before.version + 1);
    assert.equal(r.json.name, '生物医药孵化器(一期)');
    assert.equal(r.json.leader, '李四');
    assert.deepEqual(r.json.department, { id: D2.id, name: D2.name });
    assert.equal(r.json.total_investment, 4 * YI);
    assert.equal(r.json.new_economy, true);
    assert.equal(r.json.owner_credit_code, '91350100M000100Y43');
    assert.equal(r.json.industry, '生物医药', 'fields not given are kept');
    assert.equal(r.json.completed, YI / 4);
    assert.deepEqual(r.json.plans, [{ year: 2023, planned_investment: YI }]);
    // The same version again: someone else changed it meanwhile.
    assertError(await api('PATCH', `/api/v1/projects/${id.C}`, { version: before.version, name: '旧版本' }), 409,
      'conflict', 'version');
    // Back as it was (null clears a field); the figures follow.
    const back = await api('PATCH', `/api/v1/projects/${id.C}`, { version: before.version + 1, name: before.name,
      leader: '张三', department: D1.id, total_investment: 3 * YI, new_economy: false, owner_credit_code: null,
      owner_name: null });
    assertStatus(back, 200);
    assert.equal(back.json.owner_credit_code, null);
    const s = (await api('GET', '/api/v1/projects/summary?year=2023')).json;
    assert.equal(s.total_investment, 21 * YI);
  });

  test('PATCH refuses bad input with its field and changes nothing', async () => {
    const cur = (await api('GET', `/api/v1/projects/${id.B}`)).json;
    const v = cur.version;
    for (const [body, status, code, field] of [
      [{ name: 'x' }, 422, 'missing_field', 'version'],
      [{ version: 'one', name: 'x' }, 422, 'invalid_field', 'version'],
      [{ version: v, level: 'county' }, 422, 'invalid_field', 'level'],
      [{ version: v, total_investment: -1 }, 422, 'invalid_field', 'total_investment'],
      [{ version: v, total_investment: '5' }, 422, 'invalid_field', 'total_investment'],
      [{ version: v, name: '' }, 422, 'invalid_field', 'name'],
      [{ version: v, name: null }, 422, 'missing_field', 'name'],
      [{ version: v, owner_credit_code: '91410900MA44RDN41X' }, 422, 'invalid_field', 'owner_credit_code'],
      [{ version: v, department: 999999 }, 422, 'invalid_field', 'department'],
      [{ version: v, department: 'x' }, 422, 'invalid_field', 'department'],
      [{ version: v, planned_start: '2023-02-30' }, 422, 'invalid_field', 'planned_start'],
      [{ version: v, planned_start: '2024-01-01', planned_completion: '2023-12-31' }, 422, 'invalid_field',
        'planned_completion'],
      [{ version: v, new_economy: 'yes' }, 422, 'invalid_field', 'new_economy'],
      [{ version: v + 5, name: 'x' }, 409, 'conflict', 'version'],
    ]) {
      assertError(await api('PATCH', `/api/v1/projects/${id.B}`, body), status, code, field);
    }
    // A planned completion before the planned start already stored.
    const a = (await api('GET', `/api/v1/projects/${id.A}`)).json;
    assertError(await api('PATCH', `/api/v1/projects/${id.A}`, { version: a.version, planned_completion: '2022-01-01' }),
      422, 'invalid_field', 'planned_completion');
    assertError(await api('PATCH', '/api/v1/projects/999999', { version: 1, name: 'x' }), 404, 'not_found');
    assertError(await api('PATCH', '/api/v1/projects/summary', { version: 1, name: 'x' }), 404, 'not_found');
    assert.deepEqual((await api('GET', `/api/v1/projects/${id.B}`)).json, cur, 'B unchanged');
    assert.equal((await api('GET', `/api/v1/projects/${id.A}`)).json.version, a.version, 'A unchanged');
  });

  test('bad filters, sorts and pages are 400 with the parameter named; unknown projects 404', async () => {
    for (const [path, field] of [
      ['/api/v1/projects?page=0', 'page'],
      ['/api/v1/projects?page=x', 'page'],
      ['/api/v1/projects?per_page=1000', 'per_page'],
      ['/api/v1/projects?sort=bogus', 'sort'],
      ['/api/v1/projects?sort=code;DROP', 'sort'],
      ['/api/v1/projects?order=up', 'order'],
      ['/api/v1/projects?year=abc', 'year'],
      ['/api/v1/projects?year=1999', 'year'],
      ['/api/v1/projects?month=13', 'month'],
      ['/api/v1/projects?department=abc', 'department'],
      ['/api/v1/projects?batch=x', 'batch'],
      ['/api/v1/projects?level=county', 'level'],
      ['/api/v1/projects?stage=finished', 'stage'],
      ['/api/v1/projects/summary?department=1.5', 'department'],
      ['/api/v1/projects/trend?month=0', 'month'],
      ['/api/v1/projects/trend?level=city,', 'level'],
      ['/api/v1/projects/rankings?year=2023', 'by'],
      ['/api/v1/projects/rankings?by=industry', 'by'],
      ['/api/v1/projects/rankings?by=leader&batch=-1', 'batch'],
      ['/api/v1/projects/batches?year=20x3', 'year'],
      [`/api/v1/projects/${id.A}?month=99`, 'month'],
    ]) {
      assertError(await api('GET', path), 400, 'bad_request', field);
    }
    assertError(await api('GET', '/api/v1/projects/999999'), 404, 'not_found');
    assertError(await api('GET', '/api/v1/projects/abc'), 404, 'not_found');
    assertError(await api('GET', '/api/v1/projects/0'), 404, 'not_found');
  });

  test('a grid worker reads the ledger but may not PATCH it', async () => {
    for (const path of ['/api/v1/projects?year=2023', `/api/v1/projects/${id.A}`, '/api/v1/projects/trend',
      '/api/v1/projects/rankings?by=department', '/api/v1/projects/batches']) {
      assertStatus(await api('GET', path, undefined, grid), 200);
    }
    const v = (await api('GET', `/api/v1/projects/${id.A}`)).json.version;
    assertError(await api('PATCH', `/api/v1/projects/${id.A}`, { version: v, name: 'x' }, grid), 403, 'forbidden');
    assertError(await api('PATCH', `/api/v1/projects/${id.A}`, { version: v, name: 'x' }, dispatcher), 403, 'forbidden');
    assertError(await srv.api('GET', '/api/v1/projects'), 401, 'unauthenticated');
    assert.equal((await api('GET', `/api/v1/projects/${id.A}`)).json.version, v);
  });

  test('a problem of a project is a case of source project, listed on the project with its state', async () => {
    const body = (over) => ({ category: 'SJ0101', description: '项目施工道路未硬化,扬尘严重', lat: point.lat, lon: point.lon,
      source: 'project', project: id.B, ...over });
    const c = await api('POST', '/api/v1/cases', body({}), dispatcher);
    assertStatus(c, 201);
    assert.equal(c.json.source, 'project');
    assert.equal(c.json.project, id.B);
    const again = await api('GET', `/api/v1/cases/${c.json.id}`, undefined, dispatcher);
    assert.equal(again.json.project, id.B);
    const other = await api('POST', '/api/v1/cases', body({ source: 'hotline', project: undefined }), dispatcher);
    assertStatus(other, 201);
    assert.equal(other.json.project, null);
    const p = (await api('GET', `/api/v1/projects/${id.B}`)).json;
    assert.deepEqual(p.cases, [{ id: c.json.id, number: c.json.number, status: 'reported',
      category: { code: 'SJ0101', name: c.json.category.name }, overdue: false, created_at: c.json.created_at }]);
    // The case's state follows it through the workflow.
    assertStatus(await api('POST', `/api/v1/cases/${c.json.id}/actions`,
      { action: 'reject', version: c.json.version, reason: '已在项目例会协调' }, dispatcher), 200);
    assert.equal((await api('GET', `/api/v1/projects/${id.B}`)).json.cases[0].status, 'rejected');
    assert.deepEqual((await api('GET', `/api/v1/projects/${id.A}`)).json.cases, []);

    const total = async () => (await api('GET', '/api/v1/cases?per_page=1', undefined, dispatcher)).json.total;
    const n = await total();
    for (const [over, code] of [
      [{ project: undefined }, 'invalid_field'],          // source project without its project
      [{ project: null }, 'invalid_field'],
      [{ project: 999999 }, 'invalid_field'],             // no such project
      [{ project: 'B' }, 'invalid_field'],
      [{ project: 0 }, 'invalid_field'],
      [{ source: 'hotline' }, 'invalid_field'],           // a project with another source
      [{ source: 'enterprise' }, 'invalid_field'],
    ]) {
      assertError(await api('POST', '/api/v1/cases', body(over), dispatcher), 422, code, 'project');
    }
    // The public report form never names a project.
    assertError(await srv.api('POST', '/api/v1/public/cases', { ...body({ source: undefined }), phone: '13800001234' }),
      422, 'invalid_field', 'project');
    assert.equal(await total(), n, 'nothing filed');
    assert.equal((await api('GET', `/api/v1/projects/${id.B}`)).json.cases.length, 1);
  });
});
