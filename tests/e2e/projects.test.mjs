// Browser test of the key projects ledger (重点项目, issue 5) against a real
// zonegov server with the demo users:
//   node --test tests/e2e/projects.test.mjs
// Needs build/zonegov, build/web (scripts/build-web.sh build/web), node_modules
// (playwright-core) and Chromium at /usr/bin/chromium (override with
// CHROMIUM). Screenshots go to build/artifacts/e2e-projects-*.png.
//
// Three projects of 2022 are seeded through the API (two provincial and
// municipal ones, one district one outside the ledger's level filter). The
// leader opens 项目台账 for 2022, 省重点 + 市重点: the totals row, the generated
// paragraph and the trend chart hold the seeded figures. He opens a project,
// enters June's completed investment through the form (4500.5 万元, sent as
// 45,005,000 元), sees the project's chart change and, back in the ledger, the
// totals, the paragraph and the trend chart with it. Bad amounts are refused
// under the field before anything is sent; a month before the project started
// shows the server's 422 message under 月份; nothing is stored either way.
// Then the leader and department rankings, the 三个一批 batch page, and the
// new-project form with its checks of code, credit code and a duplicate code.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { checkBuiltWeb, isApi, launchBrowser, logIn, mapPixel, newPage, pickPhotos, shot, text } from './browser.mjs';
import { startServer, ROOT } from '../lib/server.mjs';

const WAN = 10000;
const YI = 100000000;

let srv;
let browser;
let tok;                       // the leader's API token
const ids = {};

const api = (method, path, body) => srv.api(method, path, body, { token: tok });

async function seed({ code, name, level, industry, total, plan, started, months, production, leader, batches }) {
  const c = await api('POST', '/api/v1/projects', { code, name, level, industry, total_investment: total, leader, batches });
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.equal((await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'started', date: started })).status, 200);
  assert.equal((await api('PUT', `/api/v1/projects/${id}/plans/2022`, { planned_investment: plan })).status, 200);
  for (const [m, amount] of months) {
    const r = await api('PUT', `/api/v1/projects/${id}/progress/2022/${m}`, { completed_investment: amount, note: `${m}月形象进度` });
    assert.equal(r.status, 200, r.text);
  }
  if (production) assert.equal((await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'production', date: production })).status, 200);
  return id;
}

async function summary(query = 'year=2022&level=province,city') {
  const r = await api('GET', `/api/v1/projects/summary?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The option an ECharts box was given (read from the instance, not from pixels).
async function chartSeries(page, testId) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-test=${id}]`);
    const chart = el && window.echarts.getInstanceByDom(el);
    return chart ? chart.getOption().series.map((s) => ({ name: s.name, data: s.data })) : null;
  }, testId);
}

// The ledger's totals row (the table's footer), cell by cell.
async function totalsRow(page) {
  return page.locator('[data-test=ledger-table] .el-table__footer-wrapper tr').first().locator('td')
    .evaluateAll((tds) => tds.map((td) => td.innerText.trim()));
}

// Opens the ledger of 2022 for provincial and municipal projects and waits for its list and paragraph.
async function openLedger(page) {
  const [resp] = await Promise.all([
    page.waitForResponse(isApi('/api/v1/projects')),
    page.waitForResponse(isApi('/api/v1/projects/summary')),
    page.goto(`${srv.url}/#/projects?year=2022&level=province,city`),
  ]);
  assert.equal(resp.status(), 200);
  await page.locator('[data-test=ledger-table] [data-test=cell-code]').first().waitFor();
  await page.locator('[data-test=ledger-text]', { hasText: '2022年' }).waitFor();
  return resp.json();
}

// The staff frame scrolls inside its main area: a whole page needs a taller window.
async function tallShot(page, name) {
  const size = page.viewportSize();
  const h = await page.evaluate(() => {
    const main = document.querySelector('[data-test=main]');
    return Math.ceil(main.scrollHeight + main.getBoundingClientRect().top);
  });
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.min(h, 4000)) });
  await shot(page, name);
  await page.setViewportSize(size);
}

// Picks an option of an Element Plus select (its options live in a popper).
async function choose(page, select, optionText) {
  await select.click();
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first();
  await item.waitFor();
  await item.click();
}

before(async () => {
  checkBuiltWeb();
  srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
  tok = await srv.login('leader');
  browser = await launchBrowser();
  // 智能装备产业园: 12亿, plan 3亿, 4000万 in each of January-May.
  ids.a = await seed({ code: 'PW2022-001', name: '智能装备产业园项目', level: 'province', industry: '装备制造', total: 12 * YI,
    plan: 3 * YI, started: '2021-12-01', months: [1, 2, 3, 4, 5].map((m) => [m, 4000 * WAN]), leader: '刘涛',
    batches: [{ batch: 1, kind: 'started' }] });
  // 新材料产业基地: 8亿, plan 2亿, 2500万 in each of January-June, in production since May.
  ids.b = await seed({ code: 'PW2022-002', name: '新材料产业基地项目', level: 'city', industry: '新材料', total: 8 * YI,
    plan: 2 * YI, started: '2021-10-01', months: [1, 2, 3, 4, 5, 6].map((m) => [m, 2500 * WAN]), production: '2022-05-20',
    leader: '谷静', batches: [{ batch: 1, kind: 'production' }] });
  // A district project, outside the ledger's level filter, started mid-June.
  ids.c = await seed({ code: 'PW2022-003', name: '社区便民服务中心', level: 'district', industry: '社会事业', total: 7800 * WAN,
    plan: 3000 * WAN, started: '2022-06-15', months: [], leader: '胡海涛' });
  // A problem of 智能装备产业园, filed by the dispatcher as a case of source project.
  const unit = await srv.api('GET', '/api/v1/units/410972060001001', undefined, { token: tok });
  assert.equal(unit.status, 200, unit.text);
  const c = await srv.api('POST', '/api/v1/cases', { category: 'SJ0101', description: '项目施工围挡占用人行道',
    lat: unit.json.point.lat, lon: unit.json.point.lon, source: 'project', project: ids.a },
  { token: await srv.login('dispatcher') });
  assert.equal(c.status, 201, c.text);
  ids.caseNumber = c.json.number;
  ids.caseId = c.json.id;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

describe('重点项目台账', () => {
  it('ledger: totals, paragraph and trend; a month entered on the project page changes them', async () => {
    const s0 = await summary();
    assert.equal(s0.count, 2);
    assert.equal(s0.total_investment, 20 * YI);
    assert.equal(s0.annual_plan, 5 * YI);
    assert.equal(s0.completed, 3.5 * YI);
    assert.equal(s0.completion_pct, '70.0');

    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'leader');
      // The menu leads to the ledger.
      await page.locator('[data-test=menu-projects]').click();
      await page.locator('[data-test=projects-page]').waitFor();
      assert.match(await text(page, '[data-test=breadcrumb]'), /重点项目\s*\/\s*项目台账/);

      const list = await openLedger(page);
      assert.equal(list.total, 2);
      assert.equal(list.totals.completed, 3.5 * YI);
      assert.deepEqual(await page.locator('[data-test=ledger-table] .el-table__body-wrapper [data-test=cell-code]').allInnerTexts(),
        ['PW2022-001', 'PW2022-002'], 'the district project is filtered out');
      // The totals row in 万元: 20亿 = 200,000万, plan 50,000万, completed 35,000万, 70.0%.
      const row0 = await totalsRow(page);
      assert.equal(row0[0], '合计');
      assert.equal(row0[1], '2个项目');
      assert.deepEqual(row0.slice(-4), ['200,000', '50,000', '35,000', '70.0%']);
      // The paragraph as the server generated it, and its figures.
      const para0 = await text(page, '[data-test=ledger-text]');
      assert.equal(para0, s0.text);
      assert.match(para0, /^2022年,经开区实施省市重点项目2个,概算总投资20亿元,年度计划投资5亿元,截至2022年12月底已实际完成投资3.5亿元,占年度计划的70(\.0)?%。/);
      assert.equal(await text(page, '[data-test=stat-completed]'), '3.5亿元');
      // Money right-aligned, headers with their unit.
      assert.equal(await page.locator('[data-test=ledger-table] td:has([data-test=cell-total])').first().evaluate((td) => getComputedStyle(td.querySelector('.cell')).textAlign), 'right');
      assert.match(await text(page, '[data-test=ledger-table] .el-table__header-wrapper'), /金额\(万元\)[\s\S]*完成率[\s\S]*概算总投资[\s\S]*年度计划[\s\S]*累计完成/);
      // Trend (亿元): cumulative 3.5 by June and after; the plan line at 5.
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-test=trend-chart]');
        const c = el && window.echarts.getInstanceByDom(el);
        return c && c.getOption().series[0].data.length === 12;
      });
      const trend0 = await chartSeries(page, 'trend-chart');
      assert.deepEqual(trend0.map((x) => x.name), ['当月完成', '累计完成', '年度计划']);
      assert.equal(trend0[0].data[0], 0.65);   // January: 4000万 + 2500万
      assert.equal(trend0[0].data[5], 0.25);   // June: only 新材料
      assert.equal(trend0[1].data[11], 3.5);
      assert.equal(trend0[2].data[0], 5);
      await tallShot(page, 'projects-ledger');

      // The project page: data, stages, the chart of January-May.
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/projects/${ids.a}`),
        page.locator('[data-test=ledger-table] [data-test=cell-name]', { hasText: '智能装备产业园项目' }).click(),
      ]);
      await page.locator('[data-test=project-page] [data-test=project-code]', { hasText: 'PW2022-001' }).waitFor();
      assert.match(page.url(), new RegExp(`#/projects/${ids.a}\\?year=2022$`));
      assert.match(await text(page, '[data-test=project-info]'), /装备制造[\s\S]*刘涛[\s\S]*12亿元[\s\S]*3亿元[\s\S]*2亿元/);
      assert.match(await text(page, '[data-test=stage-timeline]'), /开工\s*2021-12-01|2021-12-01\s*开工/);
      assert.match(await text(page, '[data-test=project-batches]'), /第1期\s*开工/);
      // Its problem: the linked case with its status, a link to the case page.
      const caseLink = page.locator('[data-test=project-cases] [data-test=project-case-link]');
      assert.equal(await caseLink.innerText(), ids.caseNumber);
      assert.equal(await caseLink.getAttribute('href'), `#/cases/${ids.caseId}`);
      assert.equal(await text(page, '[data-test=project-cases] [data-test=case-status]'), '已上报');
      const chart0 = await chartSeries(page, 'progress-chart');
      assert.deepEqual(chart0[0].data.slice(0, 6), [4000, 4000, 4000, 4000, 4000, null]);
      assert.equal(chart0[1].data[4], 20000);
      assert.equal(chart0[2].data[0], 30000);
      assert.equal(await page.locator('[data-test=progress-table] .el-table__body tr').count(), 5);

      // Enter June: 4500.5 万元 = 45,005,000 元 exactly.
      await choose(page, page.locator('[data-test=progress-year]'), '2022年');
      await choose(page, page.locator('[data-test=progress-month]'), '6月');
      await page.locator('[data-test=progress-amount]').fill('4500.5');
      await page.locator('[data-test=progress-note]').fill('主体结构封顶,设备进场安装');
      assert.match(await text(page, '[data-test=progress-yuan]'), /45,005,000\s*元/);
      const [put] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/projects/${ids.a}/progress/2022/6`, 'PUT')),
        page.locator('[data-test=progress-submit]').click(),
      ]);
      assert.equal(put.status(), 200, await put.text());
      assert.deepEqual(JSON.parse(put.request().postData()), { completed_investment: 45005000, note: '主体结构封顶,设备进场安装' });
      await page.locator('[data-test=progress-table] [data-test=progress-cell-amount]', { hasText: '4,500.5' }).waitFor();
      const chart1 = await chartSeries(page, 'progress-chart');
      assert.equal(chart1[0].data[5], 4500.5, 'June\'s bar');
      assert.equal(chart1[1].data[5], 24500.5, 'cumulative to June');
      assert.match(await text(page, '[data-test=project-completed]'), /2.45亿元/);
      const stored = await api('GET', `/api/v1/projects/${ids.a}?year=2022`);
      assert.equal(stored.json.progress.find((p) => p.year === 2022 && p.month === 6).completed_investment, 45005000);
      await tallShot(page, 'projects-project');

      // Back in the ledger: the totals, the paragraph and the trend moved by 4500.5万.
      const s1 = await summary();
      assert.equal(s1.completed, 3.5 * YI + 45005000);
      await Promise.all([
        page.waitForResponse(isApi('/api/v1/projects')),
        page.locator('[data-test=back-to-ledger]').click(),
      ]);
      await page.locator('[data-test=ledger-text]', { hasText: '3.95亿元' }).waitFor();
      assert.equal(await text(page, '[data-test=ledger-text]'), s1.text);
      assert.match(s1.text, /已实际完成投资3.95亿元,占年度计划的79(\.0)?%/);
      const row1 = await totalsRow(page);
      assert.deepEqual(row1.slice(-4), ['200,000', '50,000', '39,500.5', '79.0%']);
      await page.waitForFunction(() => {
        const c = window.echarts.getInstanceByDom(document.querySelector('[data-test=trend-chart]'));
        return c && c.getOption().series[1].data[11] === 3.95;
      });
      const trend1 = await chartSeries(page, 'trend-chart');
      assert.equal(trend1[0].data[5], 0.7);   // June: 2500万 + 4500.5万 = 0.70005亿
      // In 亿元 the table reads like the paragraph.
      await page.locator('[data-test=unit-yi]').click();
      assert.deepEqual((await totalsRow(page)).slice(-4), ['20', '5', '3.95', '79.0%']);
      await tallShot(page, 'projects-ledger-after');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a bad amount is refused under its field; a month before the start shows the server\'s message; nothing is stored', async () => {
    const before = await summary('year=2022');
    const { context, page, problems } = await newPage(browser);
    const puts = [];
    page.on('request', (r) => { if (r.method() === 'PUT') puts.push(r.url()); });
    try {
      await logIn(page, srv, 'leader');
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/projects/${ids.c}`),
        page.goto(`${srv.url}/#/projects/${ids.c}?year=2022`),
      ]);
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-003' }).waitFor();
      await choose(page, page.locator('[data-test=progress-month]'), '7月');
      const amountItem = page.locator('[data-test=progress-amount-item]');
      for (const [typed, message] of [['-5', '金额不能为负数'], ['12.34567', '以万元计最多4位小数'], ['一百万', '请输入数字金额'], ['', '请输入金额']]) {
        await page.locator('[data-test=progress-amount]').fill(typed);
        await page.locator('[data-test=progress-submit]').click();
        await amountItem.locator('.el-form-item__error', { hasText: message }).waitFor();
      }
      assert.deepEqual(puts, [], 'nothing sent for a malformed amount');
      await shot(page, 'projects-bad-amount');

      // March is before the start (2022-06-15): the server refuses it on `month`.
      await choose(page, page.locator('[data-test=progress-month]'), '3月');
      await page.locator('[data-test=progress-amount]').fill('100');
      const [put] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/projects/${ids.c}/progress/2022/3`, 'PUT')),
        page.locator('[data-test=progress-submit]').click(),
      ]);
      assert.equal(put.status(), 422);
      const err = (await put.json()).error;
      assert.equal(err.field, 'month');
      await page.locator('[data-test=progress-month-item] .el-form-item__error', { hasText: err.message }).waitFor();
      await amountItem.locator('.el-form-item__error').waitFor({ state: 'detached' });
      await shot(page, 'projects-month-refused');

      const p = await api('GET', `/api/v1/projects/${ids.c}?year=2022`);
      assert.deepEqual(p.json.progress, [], 'nothing stored');
      const after = await summary('year=2022');
      assert.equal(after.completed, before.completed);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('rankings of leaders and departments, and the 三个一批 batch summary', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'leader');
      await openLedger(page);
      const rk = await api('GET', '/api/v1/projects/rankings?by=leader&year=2022&level=province,city');
      assert.equal(rk.status, 200, rk.text);
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/projects/rankings'),
        page.locator('[data-test=tab-leaders]').click(),
      ]);
      const names = page.locator('[data-test=ranking-leaders] [data-test=rank-name]');
      await names.first().waitFor();
      assert.deepEqual(await names.allInnerTexts(), rk.json.items.map((x) => x.name || x.key));
      assert.deepEqual(await page.locator('[data-test=ranking-leaders] [data-test=rank-pct]').allInnerTexts(),
        rk.json.items.map((x) => (x.completion_pct === null ? '—' : `${x.completion_pct}%`)));
      assert.ok(rk.json.items.some((x) => (x.name || x.key) === '刘涛'));
      assert.match(page.url(), /tab=leaders/);
      await shot(page, 'projects-rankings');

      const b = await api('GET', '/api/v1/projects/batches?year=2022&level=province,city');
      assert.equal(b.status, 200, b.text);
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/projects/batches'),
        page.locator('[data-test=menu-projects-batches]').click(),
      ]);
      await page.locator('[data-test=batches-table] [data-test=batch-1]').waitFor();
      // The year and levels the ledger showed.
      assert.match(page.url(), /#\/projects\/batches\?year=2022&level=province%2Ccity$/);
      assert.match(await page.locator('[data-test=batches-table] .el-table__header-wrapper').innerText(), /签约项目开工率[\s\S]*开工项目投产率[\s\S]*投产项目达效率/);
      const one = b.json.items.find((x) => x.batch === 1);
      assert.equal(one.projects, 2);
      const row = page.locator('[data-test=batches-table] .el-table__body-wrapper tr', { has: page.locator('[data-test=batch-1]') });
      const pct = (v) => (v === null ? '—' : `${v}%`);
      assert.equal(await text(row, '[data-test=rate-start]'), pct(one.start_rate));
      assert.equal(await text(row, '[data-test=rate-production]'), pct(one.production_rate));
      assert.equal(await text(row, '[data-test=rate-effective]'), pct(one.effectiveness_rate));
      assert.match(await page.locator('[data-test=batches-table] .el-table__footer-wrapper').innerText(), /合计/);
      await shot(page, 'projects-batches');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('new project: code and credit code checked, a duplicate code refused by the server, then created', async () => {
    const { context, page, problems } = await newPage(browser);
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/projects')) posts.push(r.postData()); });
    try {
      await logIn(page, srv, 'leader');
      await page.locator('[data-test=menu-projects-new]').click();
      await page.locator('[data-test=project-new]').waitFor();
      const item = (id) => page.locator('.el-form-item', { has: page.locator(`[data-test=${id}]`) });
      await page.locator('[data-test=new-code]').fill('bad code');
      await page.locator('[data-test=new-name]').fill('数字经济双创孵化园二期');
      await page.locator('[data-test=new-industry]').fill('数字经济');
      await page.locator('[data-test=new-total]').fill('200000.123456');
      await page.locator('[data-test=new-credit]').fill('91410900MA44RDN41X');
      await page.locator('[data-test=new-submit]').click();
      await item('new-code').locator('.el-form-item__error', { hasText: '大写字母' }).waitFor();
      await item('new-total').locator('.el-form-item__error', { hasText: '4位小数' }).waitFor();
      await item('new-credit').locator('.el-form-item__error', { hasText: '统一社会信用代码无效' }).waitFor();
      assert.deepEqual(posts, [], 'nothing sent');
      await shot(page, 'projects-new-invalid');

      // A taken code: the server's 409 under 项目编号.
      await page.locator('[data-test=new-code]').fill('PW2022-001');
      await page.locator('[data-test=new-total]').fill('200000.5');
      await page.locator('[data-test=new-credit]').fill('91350100M000100Y43');
      const [dup] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/projects', 'POST')),
        page.locator('[data-test=new-submit]').click(),
      ]);
      assert.equal(dup.status(), 409);
      await item('new-code').locator('.el-form-item__error', { hasText: (await dup.json()).error.message }).waitFor();

      await page.locator('[data-test=new-code]').fill('PW2022-010');
      // Its place, clicked on the form's map: the server locates it to the micro-grid.
      const mg = (await api('GET', '/api/v1/units/410972060001001001')).json;
      const px = await mapPixel(page, '__zgProjectMap', mg.point, 16);
      await page.mouse.click(px.x, px.y);
      await page.locator('[data-test=project-point] .mono').waitFor();
      const [created] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/projects', 'POST')),
        page.locator('[data-test=new-submit]').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      const body = JSON.parse(created.request().postData());
      assert.equal(body.total_investment, 2000005000, '200000.5 万元 in whole yuan');
      assert.equal(body.owner_credit_code, '91350100M000100Y43');
      const { id } = await created.json();
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-010' }).waitFor();
      assert.match(page.url(), new RegExp(`#/projects/${id}`));
      assert.match(await text(page, '[data-test=project-total]'), /^20(\.00)?亿元$/);
      assert.ok(Math.abs(body.lat - mg.point.lat) < 1e-4 && Math.abs(body.lon - mg.point.lon) < 1e-4, 'the clicked point');
      assert.equal(await text(page, '[data-test=project-unit]'), mg.name);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a month\'s progress with photos: uploaded in the form, shown (and loaded) in the month\'s row', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'leader');
      await page.goto(`${srv.url}/#/projects/${ids.b}?year=2022`);
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-002' }).waitFor();
      await choose(page, page.locator('[data-test=progress-month]'), '7月');
      await page.locator('[data-test=progress-amount]').fill('1200');
      const photos = join(ROOT, 'tests', 'data', 'photos');
      const held = await pickPhotos(page, 'progress-photos-picker', [join(photos, 'site.jpg'), join(photos, 'site.png')],
        '/api/v1/photos');
      const [put] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/projects/${ids.b}/progress/2022/7`, 'PUT')),
        page.locator('[data-test=progress-submit]').click(),
      ]);
      assert.equal(put.status(), 200, await put.text());
      assert.deepEqual(JSON.parse(put.request().postData()).photos, held.map((h) => h.id));
      const row = page.locator('[data-test=progress-table] .el-table__row', { hasText: '7月' });
      await row.locator('[data-test=progress-photos] img').nth(1).waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-test=progress-photos] img')]
        .every((img) => img.complete && img.naturalWidth > 0));
      const shown = await row.locator('[data-test=progress-photos] .el-image').evaluateAll((els) => els.map((e) => e.dataset.id));
      assert.deepEqual(shown, held.map((h) => h.id));
      const p = await api('GET', `/api/v1/projects/${ids.b}?year=2022`);
      assert.deepEqual(p.json.progress.find((m) => m.year === 2022 && m.month === 7).photos.map((x) => x.id), shown);
      await shot(page, 'projects-progress-photos');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('编辑项目: only the changed fields go out with the version; a stale edit reloads instead of overwriting', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'leader');
      await page.goto(`${srv.url}/#/projects/${ids.c}?year=2022`);
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-003' }).waitFor();
      await page.locator('[data-test=project-edit]').click();
      await page.locator('[data-test=new-name]').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-test=new-name]').value === '社区便民服务中心');
      assert.ok(await page.locator('[data-test=new-code]').isDisabled(), 'the code cannot change');
      const before = (await api('GET', `/api/v1/projects/${ids.c}`)).json;
      await page.locator('[data-test=new-name]').fill('社区便民服务中心(二期)');
      const [patch] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/projects/${ids.c}`, 'PATCH')),
        page.locator('[data-test=new-submit]').click(),
      ]);
      assert.equal(patch.status(), 200, await patch.text());
      assert.deepEqual(JSON.parse(patch.request().postData()), { version: before.version, name: '社区便民服务中心(二期)' });
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-003' }).waitFor();
      await page.getByText('社区便民服务中心(二期)').first().waitFor();
      // Someone else edits meanwhile: the save is refused (409) and the form shows their change.
      await page.locator('[data-test=project-edit]').click();
      await page.waitForFunction(() => document.querySelector('[data-test=new-name]').value === '社区便民服务中心(二期)');
      const mid = (await api('GET', `/api/v1/projects/${ids.c}`)).json;
      assert.equal((await api('PATCH', `/api/v1/projects/${ids.c}`, { version: mid.version, leader: '胡主任' })).status, 200);
      await page.locator('[data-test=new-name]').fill('改名冲突');
      const [stale] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/projects/${ids.c}`, 'PATCH')),
        page.locator('[data-test=new-submit]').click(),
      ]);
      assert.equal(stale.status(), 409);
      await page.waitForFunction(() => document.querySelector('[data-test=new-name]').value === '社区便民服务中心(二期)');
      assert.equal((await api('GET', `/api/v1/projects/${ids.c}`)).json.name, '社区便民服务中心(二期)', 'nothing overwritten');
      await shot(page, 'projects-edit-stale');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('上报问题 on a project page files a case of source project linked to it, both ways', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'dispatcher');
      await page.goto(`${srv.url}/#/projects/${ids.b}?year=2022`);
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-002' }).waitFor();
      await page.locator('[data-test=project-report-problem]').click();
      await page.locator('[data-test=case-new]').waitFor();
      await page.locator('[data-test=new-map][data-ready]').waitFor();
      // The form comes with the source and the project chosen.
      assert.equal(await text(page, '[data-test=new-source]'), '重点项目');
      await page.locator('[data-test=new-project]', { hasText: 'PW2022-002 新材料产业基地项目' }).waitFor();
      await page.locator('[data-test=new-category]').click();
      await page.locator('.case-cascader .el-cascader-node', { hasText: /^企业诉求$/ }).click();
      await page.locator('.case-cascader .el-cascader-node', { hasText: /^要素保障$/ }).click();
      await page.locator('[data-test=new-description]').fill('项目二期用地手续办理缓慢，影响开工');
      const unit = await srv.api('GET', '/api/v1/units/410972060001001', undefined, { token: tok });
      const px = await mapPixel(page, '__zgCaseMap', unit.json.point, 16);
      await Promise.all([page.waitForResponse(isApi('/api/v1/locate')), page.mouse.click(px.x, px.y)]);
      await page.locator('[data-test=new-point-grid]').waitFor();
      const [created] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/cases', 'POST')),
        page.locator('[data-test=new-submit]').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      const sent = JSON.parse(created.request().postData());
      assert.equal(sent.source, 'project');
      assert.equal(sent.project, ids.b);
      const c = await created.json();
      await page.locator('[data-test=case-page] [data-test=case-number]', { hasText: c.number }).waitFor();
      await shot(page, 'projects-problem-case');
      // From the case back to its project, which lists it.
      await page.locator('[data-test=case-project]').click();
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-002' }).waitFor();
      await page.locator('[data-test=project-case-link]', { hasText: c.number }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a grid worker reads the ledger but has no entry form or new-project menu', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'gridworker');
      assert.equal(await page.locator('[data-test=menu-projects-new]').count(), 0);
      await openLedger(page);
      assert.equal(await page.locator('[data-test=projects-create]').count(), 0);
      await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/projects/${ids.a}`),
        page.goto(`${srv.url}/#/projects/${ids.a}?year=2022`),
      ]);
      await page.locator('[data-test=project-code]', { hasText: 'PW2022-001' }).waitFor();
      assert.equal(await page.locator('[data-test=progress-form]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('in English: the ledger\'s labels, units and totals row', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await logIn(page, srv, 'leader');
      await page.evaluate(() => localStorage.setItem('zonegov.lang', 'en'));
      await page.reload();
      await page.locator('[data-test=menu]', { hasText: 'Project Ledger' }).waitFor();
      await openLedger(page);
      const header = await text(page, '[data-test=ledger-table] .el-table__header-wrapper');
      assert.match(header, /Code[\s\S]*Name[\s\S]*Level[\s\S]*Amounts \(10k yuan\)[\s\S]*Total investment[\s\S]*Annual plan[\s\S]*Completed/);
      assert.doesNotMatch(header, /[\u4e00-\u9fff]/, 'no Chinese left in the header');
      assert.equal((await totalsRow(page))[0], 'Total');
      assert.match(await text(page, '[data-test=ledger-table] .el-table__body-wrapper'), /Province[\s\S]*City/);
      await shot(page, 'projects-ledger-en');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
