// The ledger in and out of spreadsheets (issue 5, "Excel"): the seed 000 ledger
// built through the API is exported as .xlsx and read back by a real
// spreadsheet program (LibreOffice headless converts it to CSV), exported as
// CSV and OC4IDS, imported into fresh stores (the same figures come out), and
// bad imports are refused with the exact cell of each problem and nothing stored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DEMO_PASSWORD, ROOT, startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

const YI = 100000000; // 1 亿元 in yuan
const PARAGRAPH =
  '2022年,经开区实施省市重点项目29个,概算总投资264亿元,年度计划投资101亿元,截至2022年12月底已实际完成投资141.95亿元,占年度计划的140.5%。其中,14个项目建成投产。';

// GB 32100 check character, to make valid unified social credit codes.
const CREDIT = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function creditCode(body17) {
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT.indexOf(body17[i]) * w[i];
  return body17 + CREDIT[(31 - (sum % 31)) % 31];
}

// Seed 000 as in projects.test.mjs, with owners, leaders and batches on some projects.
function seed000() {
  const projects = [];
  for (let i = 0; i < 29; i++) {
    const last = i === 28;
    projects.push({
      code: `PY2022-${String(i + 1).padStart(3, '0')}`,
      name: `重点项目${i + 1}号`,
      level: i < 9 ? 'province' : 'city',
      industry: ['化工', '新材料', '装备制造', '生物医药'][i % 4],
      total_investment: last ? 12 * YI : 9 * YI,
      plan: last ? 3 * YI : 3.5 * YI,
      months: last ? [...Array(11).fill(40000000), 35000000] : [...Array(11).fill(40000000), 50000000],
      production: i < 14 ? `2022-${String(1 + (i % 12)).padStart(2, '0')}-20` : null,
      extra: i % 3 === 0 ? {
        owner_name: `濮阳市第${i + 1}实业有限公司`,
        owner_credit_code: creditCode(`91410900MA${String(10000000 + i).slice(1)}`),
        leader: ['王伟', '李娜', '张强'][i % 3],
        planned_start: '2021-11-01',
        planned_completion: '2023-06-30',
        new_economy: i % 2 === 0,
        batches: [{ batch: 1 + (i % 6), kind: i < 14 ? 'production' : 'started' }],
      } : {},
    });
  }
  return projects;
}

const LEVEL_ZH = { province: '省重点', city: '市重点' };

// RFC 4180 CSV into rows of fields.
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      row.push(field); rows.push(row); row = []; field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++; continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

function toCsv(rows) {
  return '\ufeff' + rows.map((r) => r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(','))
    .join('\r\n') + '\r\n';
}

// 万元 with two decimals and thousands separators, as LibreOffice shows "#,##0.00".
function wan(yuan) {
  const cents = Math.round(yuan / 100); // hundredths of 万元
  const s = (cents / 100).toFixed(2);
  const [a, b] = s.split('.');
  return `${a.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${b}`;
}

// LibreOffice headless with its own profile (HOME) in a temp folder: first starts are slow.
let sofficeHome;
function soffice(args, outdir) {
  sofficeHome ??= mkdtempSync(join(tmpdir(), 'zonegov-soffice-'));
  const r = spawnSync('soffice', ['--headless', '--norestore', `-env:UserInstallation=file://${sofficeHome}/profile`,
    ...args, '--outdir', outdir], {
    env: { ...process.env, HOME: sofficeHome }, timeout: 180000, encoding: 'utf8',
  });
  assert.equal(r.status, 0, `soffice ${args.join(' ')}: ${r.stderr} ${r.stdout}`);
}

async function download(srv, tok, path) {
  const r = await fetch(srv.url + path, { headers: { authorization: `Bearer ${tok}` } });
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

async function importFile(srv, tok, body, type, query = '') {
  return srv.api('POST', `/api/v1/projects/import${query}`, undefined,
    { token: tok, raw: body, headers: { 'content-type': type } });
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SUMMARY = '/api/v1/projects/summary?year=2022&month=12&level=province,city';

describe('projects ledger: Excel, CSV and OC4IDS', () => {
  let srv, tok, dir;
  const fixture = seed000();
  let xlsx, csv;
  const others = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zonegov-ledger-io-'));
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await srv.login('leader');
    const api = (method, path, body) => srv.api(method, path, body, { token: tok });
    for (const p of fixture) {
      const c = await api('POST', '/api/v1/projects', {
        code: p.code, name: p.name, level: p.level, industry: p.industry, total_investment: p.total_investment,
        ...p.extra,
      });
      assertStatus(c, 201);
      const id = c.json.id;
      assertStatus(await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'started', date: '2021-12-01' }), 200);
      assertStatus(await api('PUT', `/api/v1/projects/${id}/plans/2022`, { planned_investment: p.plan }), 200);
      for (let m = 1; m <= 12; m++) {
        assertStatus(await api('PUT', `/api/v1/projects/${id}/progress/2022/${m}`,
          { completed_investment: p.months[m - 1], note: `${m}月进展` }), 200);
      }
      if (p.production) {
        assertStatus(await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'production', date: p.production }), 200);
      }
    }
    const s = await api('GET', SUMMARY);
    assert.equal(s.json.text, PARAGRAPH);
  });
  after(async () => {
    await srv?.stop();
    for (const o of others) await o.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (sofficeHome) rmSync(sofficeHome, { recursive: true, force: true });
  });

  test('the .xlsx export, read back by LibreOffice, is the ledger row for row with its totals', async () => {
    const r = await download(srv, tok, '/api/v1/projects/export.xlsx?year=2022&month=12&level=province,city');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), XLSX);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="projects-2022-12\.xlsx"; filename\*=UTF-8''/);
    assert.equal(r.body.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    xlsx = r.body;
    const file = join(dir, 'ledger.xlsx');
    writeFileSync(file, xlsx);
    const out = join(dir, 'lo');
    mkdirSync(out);
    soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', file], out);
    const rows = parseCsv(readFileSync(join(out, 'ledger.csv'), 'utf8'));
    assert.equal(rows[0][0], '2022年省市重点项目台账(截至2022年12月底)');
    // Two header rows: the project's columns, then the money under its unit.
    assert.deepEqual(rows[1].slice(0, 4), ['序号', '年度', '项目编号', '项目名称']);
    assert.equal(rows[1][20], '投资情况(金额单位:万元)');
    assert.equal(rows[1][24], '2022年月度完成投资(万元)');
    assert.deepEqual(rows[2].slice(20, 26), ['概算总投资', '年度计划投资', '累计完成投资', '完成年度计划(%)', '1月', '2月']);
    assert.equal(rows[2][35], '12月');
    const data = rows.slice(3, 3 + 29);
    fixture.forEach((p, i) => {
      const row = data[i];
      const done = p.months.reduce((a, b) => a + b, 0);
      assert.equal(row[0], String(i + 1));
      assert.equal(row[1], '2022');
      assert.equal(row[2], p.code);
      assert.equal(row[3], p.name);
      assert.equal(row[4], LEVEL_ZH[p.level]);
      assert.equal(row[5], p.industry);
      assert.equal(row[6], p.extra.owner_name ?? '');
      assert.equal(row[7], p.extra.owner_credit_code ?? '');
      assert.equal(row[8], p.extra.leader ?? '');
      assert.equal(row[12], p.extra.owner_name ? (p.extra.new_economy ? '是' : '否') : '否');
      assert.equal(row[14], p.extra.batches ? `${p.extra.batches[0].batch}期${p.extra.batches[0].kind === 'production' ? '投产' : '开工'}` : '');
      assert.equal(row[15], p.production ? '投产' : '开工');
      assert.equal(row[17], '2021-12-01');
      assert.equal(row[18], p.production ?? '');
      assert.equal(row[20], wan(p.total_investment), `${p.code} total`);
      assert.equal(row[21], wan(p.plan));
      assert.equal(row[22], wan(done));
      assert.equal(row[23], ((Math.floor((done * 1000 + p.plan / 2) / p.plan)) / 10).toFixed(1));
      for (let m = 0; m < 12; m++) assert.equal(row[24 + m], wan(p.months[m]), `${p.code} month ${m + 1}`);
    });
    const totals = rows[3 + 29];
    assert.equal(totals[0], '合计(29个项目)');
    assert.equal(totals[20], '2,640,000.00'); // 264亿
    assert.equal(totals[21], '1,010,000.00'); // 101亿
    assert.equal(totals[22], '1,419,500.00'); // 141.95亿
    assert.equal(totals[23], '140.5');
    assert.equal(totals[24], wan(29 * 40000000));
    assert.equal(totals[35], wan(28 * 50000000 + 35000000));
    assert.equal(rows.slice(3 + 30).filter((r) => r.some((f) => f !== '')).length, 0);
  });

  test('the CSV export has the same columns, money in integer yuan, with a BOM', async () => {
    const r = await download(srv, tok, '/api/v1/projects/export.csv?year=2022&level=province,city');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /filename="projects-2022-12\.csv"/);
    assert.deepEqual([...r.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    csv = r.body.toString('utf8');
    const rows = parseCsv(csv);
    assert.equal(rows[0].length, 36);
    assert.deepEqual(rows[0].slice(20, 25), ['概算总投资(元)', '年度计划投资(元)', '累计完成投资(元)', '完成年度计划(%)', '1月(元)']);
    // data/projects-template.csv is this header.
    assert.equal(readFileSync(join(ROOT, 'data', 'projects-template.csv'), 'utf8'), csv.slice(0, csv.indexOf('\r\n') + 2));
    fixture.forEach((p, i) => {
      const row = rows[1 + i];
      assert.equal(row[2], p.code);
      assert.equal(row[20], String(p.total_investment));
      assert.equal(row[21], String(p.plan));
      assert.equal(row[22], String(p.months.reduce((a, b) => a + b, 0)));
      assert.deepEqual(row.slice(24), p.months.map(String));
    });
    const totals = rows[30];
    assert.equal(totals[0], '合计(29个项目)');
    assert.deepEqual(totals.slice(20, 24), [String(264 * YI), String(101 * YI), '14195000000', '140.5']);
    // The filters of the other ledger views select the rows.
    const only = async (query) => parseCsv((await download(srv, tok, `/api/v1/projects/export.csv?year=2022&${query}`))
      .body.toString('utf8')).slice(1, -1).map((r) => r[2]);
    assert.deepEqual(await only('level=province'), fixture.slice(0, 9).map((p) => p.code));
    assert.deepEqual(await only('industry=化工'), fixture.filter((p) => p.industry === '化工').map((p) => p.code));
    assert.deepEqual(await only('leader=王伟'), fixture.filter((p) => p.extra.leader === '王伟').map((p) => p.code));
    assert.deepEqual(await only('stage=production'), fixture.filter((p) => p.production).map((p) => p.code));
    assert.deepEqual(await only('q=PY2022-02'), fixture.slice(19, 29).map((p) => p.code));
    assert.deepEqual(await only('batch=1'), fixture.filter((p) => p.extra.batches?.[0].batch === 1).map((p) => p.code));
  });

  test('the OC4IDS package names each project, its budget in CNY and the owner by credit code', async () => {
    const r = await srv.api('GET', '/api/v1/projects/export.oc4ids.json?year=2022', undefined, { token: tok });
    assertStatus(r, 200);
    const pkg = r.json;
    assert.equal(pkg.version, '0.9');
    assert.ok(pkg.uri && pkg.publishedDate && pkg.publisher.name);
    assert.equal(pkg.projects.length, 29);
    const first = pkg.projects[0];
    assert.equal(first.id, 'PY2022-001');
    assert.equal(first.title, '重点项目1号');
    assert.equal(first.status, 'completion');
    assert.deepEqual(first.sector, ['economy']);
    assert.deepEqual(first.budget, { amount: { amount: 9 * YI, currency: 'CNY' } });
    assert.equal(first.period.startDate, '2021-11-01T00:00:00+08:00');
    assert.equal(first.parties[0].name, fixture[0].extra.owner_name);
    assert.deepEqual(first.parties[0].identifier,
      { scheme: 'CN-USCC', id: fixture[0].extra.owner_credit_code, legalName: fixture[0].extra.owner_name });
    assert.equal(pkg.projects[20].status, 'implementation');
    assert.equal(pkg.projects[1].parties, undefined);
  });

  test('export then import into a fresh store gives the same figures (.xlsx and CSV)', async () => {
    const before = await srv.api('GET', SUMMARY, undefined, { token: tok });
    for (const [body, type] of [[xlsx, XLSX], [csv, 'text/csv; charset=utf-8']]) {
      const fresh = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
      others.push(fresh);
      const t = await fresh.login('leader');
      const dry = await importFile(fresh, t, body, type, '?dry_run=1');
      assertStatus(dry, 200);
      assert.deepEqual(dry.json, { dry_run: true, rows: 29, added: 29, updated: 0 });
      assert.equal((await fresh.api('GET', SUMMARY, undefined, { token: t })).json.count, 0);
      const imp = await importFile(fresh, t, body, type);
      assertStatus(imp, 200);
      assert.deepEqual(imp.json, { dry_run: false, rows: 29, added: 29, updated: 0 });
      const after1 = await fresh.api('GET', SUMMARY, undefined, { token: t });
      assert.deepEqual(after1.json, before.json);
      assert.equal(after1.json.text, PARAGRAPH);
      const june = '/api/v1/projects/summary?year=2022&month=6&level=province,city';
      assert.deepEqual((await fresh.api('GET', june, undefined, { token: t })).json,
        (await srv.api('GET', june, undefined, { token: tok })).json);
      // Importing the same file again updates by code: nothing doubles.
      const again = await importFile(fresh, t, body, type);
      assert.deepEqual(again.json, { dry_run: false, rows: 29, added: 0, updated: 29 });
      assert.deepEqual((await fresh.api('GET', SUMMARY, undefined, { token: t })).json, before.json);
      // And the fresh store exports the same CSV.
      const back = await download(fresh, t, '/api/v1/projects/export.csv?year=2022&level=province,city');
      assert.equal(back.body.toString('utf8'), csv);
    }
  });

  test('text a spreadsheet would run as a formula is exported behind a quote and imported back as it was', async () => {
    const name = '=HYPERLINK("http://example.invalid","点击")';
    const c = await srv.api('POST', '/api/v1/projects', { code: 'INJ-001', name, level: 'district', industry: '@化工',
      leader: '-王', total_investment: YI }, { token: tok });
    assertStatus(c, 201);
    const out = (await download(srv, tok, '/api/v1/projects/export.csv?year=2022&q=INJ-001')).body.toString('utf8');
    const row = parseCsv(out.replace(/^\uFEFF/, ''))[1];
    assert.ok(row.includes(`'${name}`) && row.includes("'@化工") && row.includes("'-王"), row.join('|'));
    assert.ok(!row.some((cell) => /^[=+@-]/.test(cell)), 'no cell starts a formula');
    const fresh = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    others.push(fresh);
    const t = await fresh.login('leader');
    assertStatus(await importFile(fresh, t, out, 'text/csv; charset=utf-8'), 200);
    const list = await fresh.api('GET', '/api/v1/projects?year=2022&q=INJ-001', undefined, { token: t });
    assert.equal(list.json.items[0].name, name);
    assert.equal(list.json.items[0].industry, '@化工');
    assert.equal(list.json.items[0].leader, '-王');
  });

  test('bad imports name the exact cell and store nothing (CSV and .xlsx)', async () => {
    const fresh = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    others.push(fresh);
    const t = await fresh.login('leader');
    const base = parseCsv(csv);
    const edit = (fn) => { const rows = base.map((r) => [...r]); fn(rows); return toCsv(rows); };
    const cases = [
      ['missing column', edit((rows) => rows.forEach((r) => r.splice(5, 1))),
        [{ row: 1, cell: null, field: '行业', message: '缺少列「行业」' }]],
      ['text in a number cell', edit((rows) => { rows[6][20] = '九亿'; }),
        [{ row: 7, cell: 'U7', field: '概算总投资' }]],
      ['invalid credit code', edit((rows) => { rows[4][7] = '91410900MA44RDN41X'; }),
        [{ row: 5, cell: 'H5', field: '统一社会信用代码' }]],
      ['duplicate code', edit((rows) => { rows[10][2] = rows[3][2]; }),
        [{ row: 11, cell: 'C11', field: '项目编号', message: `项目编号 ${base[3][2]} 与第4行重复` }]],
      ['negative amount', edit((rows) => { rows[8][21] = '-100'; }),
        [{ row: 9, cell: 'V9', field: '年度计划投资', message: '金额不能为负数:-100' }]],
      ['month 13', edit((rows) => { rows[0][35] = '13月(元)'; }),
        [{ row: 1, cell: 'AJ1', field: '13月' }, { row: 1, cell: null, field: '12月' }]],
      ['unknown level and stage', edit((rows) => { rows[2][4] = '县重点'; rows[3][15] = '停工'; }),
        [{ row: 3, cell: 'E3', field: '级别' }, { row: 4, cell: 'P4', field: '项目阶段' }]],
      ['completion before the start', edit((rows) => { rows[12][17] = '2022-03-05'; }),
        [{ row: 13, cell: 'Y13', field: '1月' }, { row: 13, cell: 'Z13', field: '2月' }]],
      ['a month that is not whole yuan', edit((rows) => { rows[2][30] = '1.5'; }),
        [{ row: 3, cell: 'AE3', field: '7月' }]],
      ['a completed total that is not the sum of its months', edit((rows) => { rows[5][22] = '1'; }),
        [{ row: 6, cell: 'W6', field: '累计完成投资', message: '累计完成投资须等于1至12月之和:490000000元' }]],
    ];
    const files = [];
    for (const [name, text, expected] of cases) {
      const r = await importFile(fresh, t, text, 'text/csv');
      assertError(r, 422, 'invalid_import');
      const got = r.json.error.report;
      assert.equal(r.json.error.problems, expected.length, `${name}: ${JSON.stringify(got)}`);
      expected.forEach((e, i) => {
        for (const [k, v] of Object.entries(e)) assert.equal(got[i][k], v, `${name}: ${k} in ${JSON.stringify(got[i])}`);
        assert.match(got[i].message_en, /\w/);
      });
      if (name === 'missing column' || name === 'text in a number cell') files.push([name, text, expected]);
      assert.equal((await fresh.api('GET', SUMMARY, undefined, { token: t })).json.count, 0, name);
    }
    // The same two as .xlsx files made by LibreOffice from the CSV (shared strings, numbers).
    const out = join(dir, 'bad');
    mkdirSync(out);
    files.forEach(([, text], i) => writeFileSync(join(out, `bad${i}.csv`), text));
    soffice(['--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', ...files.map((_, i) => join(out, `bad${i}.csv`))], out);
    for (const [i, [name, , expected]] of files.entries()) {
      const body = readFileSync(join(out, `bad${i}.xlsx`));
      const r = await importFile(fresh, t, body, XLSX);
      assertError(r, 422, 'invalid_import');
      assert.equal(r.json.error.problems, expected.length, `${name} (.xlsx): ${JSON.stringify(r.json.error.report)}`);
      for (const [k, v] of Object.entries(expected[0])) assert.equal(r.json.error.report[0][k], v, `${name} (.xlsx) ${k}`);
    }
    assert.equal((await fresh.api('GET', SUMMARY, undefined, { token: t })).json.count, 0);
    // The good CSV converted by LibreOffice imports (money in 元 by its headers).
    writeFileSync(join(out, 'good.csv'), csv);
    soffice(['--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', join(out, 'good.csv')], out);
    const good = await importFile(fresh, t, readFileSync(join(out, 'good.xlsx')), XLSX);
    assertStatus(good, 200);
    assert.equal((await fresh.api('GET', SUMMARY, undefined, { token: t })).json.text, PARAGRAPH);
  });

  test('the command line: zonegov projects export and import (exit 2 with FILE:ROW: CELL)', async () => {
    const db = join(dir, 'cli.db');
    const run = (...args) => spawnSync(BIN, [...args, '--db', db], { encoding: 'utf8' });
    assert.equal(spawnSync(BIN, ['demo', '--db', db, '--password', DEMO_PASSWORD]).status, 0);
    const good = join(dir, 'cli-good.csv');
    writeFileSync(good, csv);
    const bad = join(dir, 'cli-bad.csv');
    const rows = parseCsv(csv);
    rows[6][20] = '九亿';
    rows[3][7] = '91410900MA44RDN41X';
    writeFileSync(bad, toCsv(rows));
    let r = run('projects', 'import', bad);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.split('\n')[0], `${bad}:4: H4 统一社会信用代码: 统一社会信用代码无效(校验位不符):91410900MA44RDN41X`);
    assert.equal(r.stderr.split('\n')[1], `${bad}:7: U7 概算总投资: 「九亿」不是数字(元)`);
    assert.match(r.stderr, /2 problem\(s\); nothing imported/);
    r = run('projects', 'import', good);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /29 row\(s\): 29 added, 0 updated/);
    r = run('projects', 'export', '--year', '2022', '--level', 'province,city', '--format', 'csv', '--out', '-');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, csv);
    const xfile = join(dir, 'cli.xlsx');
    r = run('projects', 'export', '--year', '2022', '--out', xfile);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(xfile).subarray(0, 2).toString('latin1'), 'PK');
    r = run('projects', 'import', xfile, '--dry-run');
    assert.match(r.stdout, /29 row\(s\): 0 added, 29 updated \(dry run/);
    assert.equal(run('projects', 'export', '--year', '1999', '--out', '-').status, 2);
  });

  test('limits and refusals: media type, not a zip, no header, too many rows, roles', async () => {
    assertError(await importFile(srv, tok, '{"a":1}', 'application/json'), 415, 'unsupported_media_type');
    // A misspelt dry_run is refused, never taken for a real import.
    assertError(await importFile(srv, tok, csv, 'text/csv', '?dry_run=yes'), 400, 'bad_request', 'dry_run');
    assertError(await importFile(srv, tok, Buffer.from('PK\x03\x04 not really a zip'), XLSX), 422, 'invalid_import');
    assertError(await importFile(srv, tok, '项目名称\r\nx\r\n', 'text/csv'), 422, 'invalid_import');
    const many = ['序号,年度,项目编号'].concat(Array.from({ length: 10050 }, (_, i) => `${i},2022,X-${i}`)).join('\n');
    assertError(await importFile(srv, tok, many, 'text/csv'), 422, 'invalid_import');
    const grid = await srv.login('gridworker');
    assertError(await importFile(srv, grid, csv, 'text/csv'), 403, 'forbidden');
    const ex = await download(srv, grid, '/api/v1/projects/export.csv?year=2022');
    assert.equal(ex.status, 200); // any staff member may export
    assertError(await srv.api('GET', '/api/v1/projects/export.xlsx?year=1999', undefined, { token: tok }), 400,
      'bad_request', 'year');
    assertError(await srv.api('GET', '/api/v1/projects/export.csv?year=2022&month=13', undefined, { token: tok }), 400,
      'bad_request', 'month');
    // The store is as before.
    assert.equal((await srv.api('GET', SUMMARY, undefined, { token: tok })).json.text, PARAGRAPH);
  });
});
