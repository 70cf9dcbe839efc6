// API tests: the case category catalog. Public and staff lists, one category,
// PUT by an administrator (403/401 for everybody else, 422 naming the field),
// CSV import through the API (all or nothing, with a line-numbered report)
// and through `zonegov categories` (exit codes 0/2, FILE:LINE messages).
// Every refused write reads the catalog back and finds it unchanged.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, DEMO_PASSWORD, startServer } from '../lib/server.mjs';
import { NON_ADMIN_USERS, DEMO_ROLES, assertError, assertStatus } from './helpers.mjs';

const HEADER = 'code,name,parent_code,kind,handled_by,department_code,accept_limit,accept_unit,'
  + 'dispatch_limit,dispatch_unit,handle_limit,handle_unit,verify_limit,verify_unit,priority,auto_accept';
const LIMITS = '1,work_hours,1,work_hours,4,work_hours,2,work_hours';
const DEFAULT_CSV = readFileSync(join(ROOT, 'data', 'categories.csv'), 'utf8');
const DEFAULT_ROWS = DEFAULT_CSV.trim().split('\n').length - 1;

function csvBody(text, { token, type = 'text/csv; charset=utf-8', query = '' } = {}) {
  return [`/api/v1/categories/import${query}`, undefined, { token, raw: text, headers: { 'content-type': type } }];
}

function zg(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// A category body for PUT; override any field.
function body(over = {}) {
  return {
    name: '测试类别',
    parent_code: null,
    kind: 'event',
    handled_by: 'department',
    department: 'CGJ',
    limits: {
      accept: { amount: 1, unit: 'work_hours' },
      dispatch: { amount: 1, unit: 'work_hours' },
      handle: { amount: 3, unit: 'work_days' },
      verify: { amount: 2, unit: 'work_hours' },
    },
    priority: 2,
    auto_accept: false,
    ...over,
  };
}

describe('categories: the case category catalog', () => {
  let srv;
  let admin;
  const tokens = {};

  async function staffList() {
    const r = await srv.api('GET', '/api/v1/categories', undefined, { token: admin });
    assertStatus(r, 200);
    return r.json.items;
  }

  before(async () => {
    srv = await startServer();
    admin = await srv.login('admin');
    for (const u of NON_ADMIN_USERS) tokens[u] = await srv.login(u);
  });
  after(async () => { await srv?.stop(); });

  test('categories_public_list_has_the_default_catalog_active_only_without_internals', async () => {
    const r = await srv.api('GET', '/api/v1/categories');
    assertStatus(r, 200);
    const { items } = r.json;
    assert.equal(items.length, DEFAULT_ROWS);
    const codes = items.map((c) => c.code);
    assert.deepEqual(codes, [...codes].sort(), 'ordered by code');
    const sj0102 = items.find((c) => c.code === 'SJ0102');
    assert.deepEqual(sj0102, {
      code: 'SJ0102', name: '暴露垃圾', parent_code: 'SJ01', kind: 'event', handled_by: 'grid',
      department: null,
      limits: {
        accept: { amount: 1, unit: 'work_hours' }, dispatch: { amount: 1, unit: 'work_hours' },
        handle: { amount: 4, unit: 'work_hours' }, verify: { amount: 1, unit: 'work_hours' },
      },
      priority: 2, active: true,
    });
    const sj01 = items.find((c) => c.code === 'SJ01');
    assert.equal(sj01.parent_code, null);
    assert.deepEqual(sj01.department, { code: 'CGJ', name: '经开区城市管理局' });
    for (const c of items) {
      assert.ok(!('auto_accept' in c), 'public items carry no auto_accept');
      if (c.department) assert.ok(!('id' in c.department), 'public items carry no department id');
      if (c.parent_code) assert.ok(codes.includes(c.parent_code), `${c.code}: parent listed`);
    }
    for (const code of ['SJ07', 'SJ0701', 'SJ0708', 'SJ08', 'SJ0803', 'SJ09', 'SJ0901', 'SJ10', 'SJ11', 'BJ0101']) {
      assert.ok(codes.includes(code), `${code} in the catalog`);
    }
  });

  test('categories_staff_list_shows_department_ids_and_auto_accept', async () => {
    for (const u of ['gridworker', 'dispatcher']) {
      const r = await srv.api('GET', '/api/v1/categories', undefined, { token: tokens[u] });
      assertStatus(r, 200);
      const sj0101 = r.json.items.find((c) => c.code === 'SJ0101');
      assert.equal(typeof sj0101.department.id, 'number');
      assert.equal(sj0101.department.code, 'CGJ');
      assert.equal(sj0101.auto_accept, false);
      assert.equal(r.json.items.find((c) => c.code === 'SJ0102').auto_accept, true);
    }
  });

  test('categories_get_one_public_and_404', async () => {
    const r = await srv.api('GET', '/api/v1/categories/SJ0803');
    assertStatus(r, 200);
    assert.equal(r.json.category.name, '一氧化碳中毒隐患');
    assert.equal(r.json.category.priority, 1);
    assertError(await srv.api('GET', '/api/v1/categories/SJ9999'), 404, 'not_found');
    assertError(await srv.api('GET', '/api/v1/categories/nonsense'), 404, 'not_found');
  });

  test('categories_put_as_admin_creates_201_then_updates_200', async () => {
    let r = await srv.api('PUT', '/api/v1/categories/SJ12', body(), { token: admin });
    assertStatus(r, 201);
    assert.equal(r.json.category.code, 'SJ12');
    assert.equal(r.json.category.department.code, 'CGJ');
    assert.equal(r.json.category.active, true);
    r = await srv.api('PUT', '/api/v1/categories/SJ1201',
      body({ name: '子类', parent_code: 'SJ12', handled_by: 'grid', department: null, auto_accept: true }),
      { token: admin });
    assertStatus(r, 201);
    assert.equal(r.json.category.department, null);
    // A GET answer can be sent back as it is (department as an object).
    const got = (await srv.api('GET', '/api/v1/categories/SJ12', undefined, { token: admin })).json.category;
    r = await srv.api('PUT', '/api/v1/categories/SJ12', { ...got, name: '测试大类' }, { token: admin });
    assertStatus(r, 200);
    assert.equal(r.json.category.name, '测试大类');
    const pub = await srv.api('GET', '/api/v1/categories/SJ1201');
    assertStatus(pub, 200);
  });

  test('categories_deactivated_hidden_from_public_with_its_children', async () => {
    await srv.api('PUT', '/api/v1/categories/SJ13', body(), { token: admin });
    await srv.api('PUT', '/api/v1/categories/SJ1301', body({ parent_code: 'SJ13' }), { token: admin });
    const r = await srv.api('PUT', '/api/v1/categories/SJ13', body({ active: false }), { token: admin });
    assertStatus(r, 200);
    assert.equal(r.json.category.active, false);
    const pub = (await srv.api('GET', '/api/v1/categories')).json.items.map((c) => c.code);
    assert.ok(!pub.includes('SJ13') && !pub.includes('SJ1301'));
    assertError(await srv.api('GET', '/api/v1/categories/SJ13'), 404, 'not_found');
    assertError(await srv.api('GET', '/api/v1/categories/SJ1301'), 404, 'not_found');
    const staff = await staffList();
    assert.equal(staff.find((c) => c.code === 'SJ13').active, false);
    assert.equal(staff.find((c) => c.code === 'SJ1301').active, true);
    assertStatus(await srv.api('GET', '/api/v1/categories/SJ13', undefined, { token: tokens.gridworker }), 200);
  });

  for (const u of NON_ADMIN_USERS) {
    test(`categories_${DEMO_ROLES[u]}_PUT_and_import_are_403_and_change_nothing`, async () => {
      const before = await staffList();
      assertError(await srv.api('PUT', '/api/v1/categories/SJ0102', body({ name: '改名' }), { token: tokens[u] }),
        403, 'forbidden');
      assertError(await srv.api('POST', ...csvBody(`${HEADER}\nSJ14,新,,event,grid,,${LIMITS},2,0\n`,
        { token: tokens[u] })), 403, 'forbidden');
      assert.deepEqual(await staffList(), before);
    });
  }

  test('categories_no_token_PUT_and_import_are_401', async () => {
    const before = await staffList();
    assertError(await srv.api('PUT', '/api/v1/categories/SJ0102', body()), 401, 'unauthenticated');
    assertError(await srv.api('POST', ...csvBody(`${HEADER}\n`)), 401, 'unauthenticated');
    assert.deepEqual(await staffList(), before);
  });

  test('categories_put_422_names_the_field_and_changes_nothing', async () => {
    const before = await staffList();
    const cases = [
      ['SJ0102', body({ name: '' }), 'missing_field', 'name'],
      ['SJ0102', body({ name: '名'.repeat(33) }), 'invalid_field', 'name'],
      ['SJ0102', body({ name: 5 }), 'invalid_field', 'name'],
      ['SJ0102', body({ kind: 'incident' }), 'invalid_field', 'kind'],
      ['SJ0102', body({ handled_by: 'street' }), 'invalid_field', 'handled_by'],
      ['SJ0102', body({ department: 'NOPE' }), 'invalid_field', 'department'],
      ['SJ0102', body({ department: null }), 'missing_field', 'department'],
      ['SJ0102', body({ handled_by: 'grid' }), 'invalid_field', 'department'],
      ['SJ0102', body({ parent_code: 'SJ99' }), 'invalid_field', 'parent_code'],
      ['SJ0102', body({ parent_code: 'SJ0101' }), 'invalid_field', 'parent_code'],
      ['SJ0102', body({ parent_code: 'BJ01' }), 'invalid_field', 'parent_code'],
      ['SJ01', body({ parent_code: 'SJ02' }), 'invalid_field', 'parent_code'],
      ['SJ01', body({ kind: 'component' }), 'invalid_field', 'kind'],
      ['SJ0102', body({ limits: { ...body().limits, handle: { amount: 0, unit: 'work_hours' } } }),
        'invalid_field', 'limits.handle.amount'],
      ['SJ0102', body({ limits: { ...body().limits, verify: { amount: 10001, unit: 'hours' } } }),
        'invalid_field', 'limits.verify.amount'],
      ['SJ0102', body({ limits: { ...body().limits, accept: { amount: 1, unit: 'minutes' } } }),
        'invalid_field', 'limits.accept.unit'],
      ['SJ0102', body({ limits: { accept: body().limits.accept } }), 'missing_field', 'limits.dispatch.amount'],
      ['SJ0102', body({ priority: 4 }), 'invalid_field', 'priority'],
      ['SJ0102', body({ auto_accept: 'yes' }), 'invalid_field', 'auto_accept'],
      ['SJ0102', body({ code: 'SJ0103' }), 'invalid_field', 'code'],
      ['sj-1', body(), 'invalid_field', 'code'],
    ];
    for (const [code, b, errCode, field] of cases) {
      const r = await srv.api('PUT', `/api/v1/categories/${code}`, b, { token: admin });
      assertError(r, 422, errCode, field);
    }
    assert.deepEqual(await staffList(), before);
  });

  test('categories_import_via_api_adds_updates_and_counts', async () => {
    const csv = `${HEADER}\r\nSJ15,"导入, 大类",,event,department,ZJJ,${LIMITS},2,0\r\n`
      + `SJ1501,"导入""小类""",SJ15,event,grid,,${LIMITS},3,1\r\n`
      + `SJ0102,暴露垃圾,SJ01,event,grid,,1,work_hours,1,work_hours,4,work_hours,1,work_hours,2,1\r\n`;
    let r = await srv.api('POST', ...csvBody(csv, { token: admin, query: '?dry_run=1' }));
    assertStatus(r, 200);
    assert.deepEqual(r.json, { dry_run: true, rows: 3, added: 2, updated: 0, unchanged: 1 });
    assertError(await srv.api('GET', '/api/v1/categories/SJ15'), 404, 'not_found');
    // A misspelt dry_run is refused, never taken for a real import.
    assertError(await srv.api('POST', ...csvBody(csv, { token: admin, query: '?dry_run=yes' })), 400, 'bad_request',
      'dry_run');
    assertError(await srv.api('GET', '/api/v1/categories/SJ15'), 404, 'not_found');
    r = await srv.api('POST', ...csvBody(csv, { token: admin }));
    assertStatus(r, 200);
    assert.deepEqual(r.json, { dry_run: false, rows: 3, added: 2, updated: 0, unchanged: 1 });
    const one = (await srv.api('GET', '/api/v1/categories/SJ1501')).json.category;
    assert.equal(one.name, '导入"小类"');
    assert.equal((await srv.api('GET', '/api/v1/categories/SJ15')).json.category.name, '导入, 大类');
    r = await srv.api('POST', ...csvBody(csv.replace('导入, 大类', '导入大类'), { token: admin, type: 'text/csv' }));
    assert.deepEqual(r.json, { dry_run: false, rows: 3, added: 0, updated: 1, unchanged: 2 });
  });

  test('categories_import_bad_csv_is_422_with_report_and_nothing_written', async () => {
    const before = await staffList();
    const csv = [
      HEADER,
      `SJ16,好的,,event,department,CGJ,${LIMITS},2,0`, // 2: fine, but not written
      `SJ1601,"两行\n名称",SJ16,event,department,CGJ,0,weeks,${LIMITS.split(',').slice(2).join(',')},2,0`, // 3-4
      `SJ1602,x,SJ99,event,department,NOPE,${LIMITS},2,0`, // 5
      `SJ16,重复,,event,grid,,${LIMITS},2,0`, // 6
      'SJ1603,short', // 7
    ].join('\n');
    const r = await srv.api('POST', ...csvBody(csv, { token: admin }));
    const e = assertError(r, 422, 'invalid_import');
    assert.ok(Array.isArray(e.report));
    const got = e.report.map((p) => [p.line, p.column]);
    assert.deepEqual(got, [
      [3, 'name'], [4, 'accept_limit'], [4, 'accept_unit'],
      [5, 'parent_code'], [5, 'department_code'],
      [6, 'code'],
      [7, null],
    ]);
    assert.equal(e.problems, 7);
    for (const p of e.report) {
      assert.match(p.message, /[\u3400-\u9fff]/);
      assert.match(p.message_en, /[a-z]/);
    }
    assert.deepEqual(await staffList(), before);
    assertError(await srv.api('GET', '/api/v1/categories/SJ16'), 404, 'not_found');
  });

  test('categories_import_needs_text_csv_415', async () => {
    const before = await staffList();
    const csv = `${HEADER}\nSJ17,x,,event,grid,,${LIMITS},2,0\n`;
    for (const type of ['application/json', 'text/plain', 'text/csv; charset=gbk']) {
      const r = await srv.api('POST', ...csvBody(csv, { token: admin, type }));
      assertError(r, 415, 'unsupported_media_type');
    }
    // fetch labels a bare string body text/plain
    assertError(await srv.api('POST', '/api/v1/categories/import', undefined, { token: admin, raw: csv }),
      415, 'unsupported_media_type');
    assertError(await srv.api('POST', ...csvBody('', { token: admin })), 422, 'invalid_import');
    assert.deepEqual(await staffList(), before);
  });
});

describe('categories: zonegov categories (CLI)', () => {
  let dir;
  let db;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'zonegov-cat-'));
    db = join(dir, 'z.db');
    const r = zg(['demo', '--db', db, '--password', DEMO_PASSWORD]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const exported = () => {
    const r = zg(['categories', 'list', '--csv', '--db', db]);
    assert.equal(r.code, 0, r.err);
    return r.out;
  };

  test('cli_categories_help_and_usage_errors', () => {
    assert.equal(zg(['categories', '--help']).code, 0);
    assert.equal(zg(['categories', '--db', db]).code, 2);
    assert.equal(zg(['categories', 'frobnicate', '--db', db]).code, 2);
    assert.equal(zg(['categories', 'import', '--db', db]).code, 2);
    const missing = zg(['categories', 'import', join(dir, 'none.csv'), '--db', db]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /none\.csv/);
  });

  test('cli_categories_list_and_export_round_trip_unchanged', () => {
    const list = zg(['categories', 'list', '--db', db]);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /SJ0102 .*暴露垃圾/);
    const csv = exported();
    assert.equal(csv.trim().split('\n').length, DEFAULT_ROWS + 1);
    assert.match(csv.split('\n')[0], /,active$/);
    const file = join(dir, 'export.csv');
    writeFileSync(file, csv);
    const r = zg(['categories', 'import', file, '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`${DEFAULT_ROWS} row\\(s\\): 0 added, 0 updated, ${DEFAULT_ROWS} unchanged`));
  });

  test('cli_categories_import_good_exits_0_dry_run_writes_nothing', () => {
    const file = join(dir, 'good.csv');
    writeFileSync(file, `${HEADER}\nSJ20,命令行,,event,department,SCJ,${LIMITS},2,0\n`);
    let r = zg(['categories', 'import', file, '--dry-run', '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 added.*dry run/);
    assert.ok(!exported().includes('SJ20,'));
    r = zg(['categories', 'import', file, '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 row\(s\): 1 added, 0 updated, 0 unchanged/);
    assert.ok(exported().includes('SJ20,命令行,,event,department,SCJ,'));
  });

  test('cli_categories_import_bad_exits_2_with_file_line_column', () => {
    const before = exported();
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${HEADER}\nSJ21,好,,event,grid,,${LIMITS},2,0\nSJ2101,坏,SJ21,component,grid,,${LIMITS},9,0\n`);
    const r = zg(['categories', 'import', file, '--db', db]);
    assert.equal(r.code, 2);
    assert.ok(r.err.includes(`${file}:3: column priority: `), r.err);
    assert.ok(r.err.includes(`${file}:3: column parent_code: `), r.err);
    assert.match(r.err, /nothing imported/);
    assert.equal(exported(), before);
  });
});
