// Units and the grid from outside: `zonegov import units` on the fixtures in
// tests/data/geojson (all or nothing, exit 2 with a report naming feature, code
// and kind), and the API on the demo store (zone 410972, 2,419 units): locate a
// point (WGS-84 and GCJ-02), list and read units, import GeoJSON, assign people.
//
// Every request that is refused is followed by reading the state back: it must
// be exactly as before.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gcoord from 'gcoord';
import { BIN, ROOT, startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

const FIXTURES = join(ROOT, 'tests', 'data', 'geojson');
const fixture = (name) => join(FIXTURES, name);

function zg(args, { env = {} } = {}) {
  const r = spawnSync(BIN, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Each bad fixture and the one problem it must produce (see tests/data/geojson/README.md).
const BAD = [
  { file: 'self_intersection.geojson', feature: 8, code: '410972900001002001', kind: 'invalid_geometry', msg: /Self-intersection at \(35\.7005000, 115\.0030000\)/ },
  { file: 'overlap.geojson', feature: 6, code: '410972900001001001', kind: 'overlap', msg: /overlaps its sibling 410972900001001002 by 40\d\d\.\d m²/ },
  { file: 'gap.geojson', feature: 4, code: '410972900001001', kind: 'gap', msg: /its children leave 10\.00% \(40\d\d\.\d m²\) of it uncovered/ },
  { file: 'outside_parent.geojson', feature: 9, code: '410972900001002002', kind: 'outside_parent', msg: /20\d\d\.\d m² \(9\.09%\) lie outside the parent 410972900001002/ },
  { file: 'unclosed_ring.geojson', feature: 8, code: '410972900001002001', kind: 'bad_geometry', msg: /polygon 1, ring 1: unclosed ring/ },
  { file: 'too_few_points.geojson', feature: 8, code: '410972900001002001', kind: 'bad_geometry', msg: /polygon 1, ring 1: too few points/ },
  { file: 'duplicate_code.geojson', feature: 9, code: '410972900001002001', kind: 'duplicate_code', msg: /duplicate code: also feature 8/ },
  { file: 'unknown_parent.geojson', feature: 5, code: '410972900001002', kind: 'unknown_parent', msg: /parent 410972900009 is neither in the file nor in the store/ },
  { file: 'not_polygon.geojson', feature: 8, code: '410972900001002001', kind: 'bad_geometry', msg: /not Point/ },
  { file: 'bad_coordinate.geojson', feature: 8, code: '410972900001002001', kind: 'bad_geometry', msg: /position 1: latitude out of range/ },
  { file: 'missing_code.geojson', feature: 8, code: null, kind: 'missing_code', msg: /properties\.code is missing/ },
];

describe('zonegov import units (CLI)', () => {
  let dir, db;
  const importUnits = (file, ...rest) => zg(['import', 'units', file, '--db', db, ...rest]);
  // What a dry run of valid.geojson reports about the store: the proof that
  // nothing was written (the CLI has no command that lists units).
  const validDry = () => {
    const r = importUnits(fixture('valid.geojson'), '--dry-run');
    assert.equal(r.code, 0, r.err);
    return r.out.trim();
  };
  const NOTHING_THERE = `${fixture('valid.geojson')}: 9 feature(s): 9 added, 0 updated, 0 unchanged (dry run: nothing written)`;
  const ALL_THERE = `${fixture('valid.geojson')}: 9 feature(s): 0 added, 0 updated, 9 unchanged (dry run: nothing written)`;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'zonegov-units-cli-'));
    db = join(dir, 'z.db');
    const r = zg(['migrate', '--db', db]);
    assert.equal(r.code, 0, r.err);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('units_cli_dry_run_of_valid_file_writes_nothing', () => {
    const r = importUnits(fixture('valid.geojson'), '--dry-run');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.equal(r.out.trim(), NOTHING_THERE);
    // Again: still nothing there.
    assert.equal(validDry(), NOTHING_THERE);
  });

  test('units_cli_each_bad_fixture_exits_2_naming_feature_code_and_kind', () => {
    for (const b of BAD) {
      const file = fixture(b.file);
      const r = importUnits(file);
      assert.equal(r.code, 2, `${b.file}: exit ${r.code}\n${r.out}${r.err}`);
      assert.equal(r.out, '', `${b.file}: nothing on stdout`);
      const lines = r.err.trim().split('\n');
      assert.equal(lines.length, 2, `${b.file}: one problem line and the summary:\n${r.err}`);
      const head = `${file}: feature ${b.feature} ${b.code ? `(code ${b.code}) ` : ''}[${b.kind}] `;
      assert.ok(lines[0].startsWith(head), `${b.file}: expected "${head}…", got "${lines[0]}"`);
      assert.match(lines[0], b.msg, b.file);
      assert.equal(lines[1], `zonegov import: ${file}: 1 problem(s); nothing imported`);
      // The same with --dry-run.
      const d = importUnits(file, '--dry-run');
      assert.equal(d.code, 2, b.file);
      assert.equal(d.err, r.err, b.file);
    }
    assert.equal(validDry(), NOTHING_THERE, 'a refused import wrote something');
  });

  test('units_cli_malformed_json_exits_2_with_file_line_column', () => {
    const file = fixture('malformed.json');
    const r = importUnits(file);
    assert.equal(r.code, 2, r.err);
    assert.ok(r.err.startsWith(`zonegov import: ${file}:4:78: malformed JSON: `), r.err);
    assert.equal(validDry(), NOTHING_THERE);
  });

  test('units_cli_file_over_import_limit_exits_2', () => {
    const file = fixture('valid.geojson');
    assert.ok(statSync(file).size > 2048);
    const r = zg(['import', 'units', file, '--db', db], { env: { ZONEGOV_IMPORT_LIMIT: '2048' } });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /file too large \(limit 2048 bytes, import_limit\)/);
    // The flag says the same as the environment.
    const f = zg(['import', 'units', file, '--db', db, '--import-limit', '2048']);
    assert.equal(f.code, 2, f.err);
    // A file under the limit goes through: a zone alone needs no geometry.
    const small = join(dir, 'small.geojson');
    writeFileSync(small, JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '411671', name: '周口经济开发区', level: 'zone', parent_code: null }, geometry: null }],
    }));
    assert.ok(statSync(small).size < 2048);
    const s = zg(['import', 'units', small, '--db', db, '--dry-run'], { env: { ZONEGOV_IMPORT_LIMIT: '2048' } });
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /1 feature\(s\): 1 added/);
    assert.equal(validDry(), NOTHING_THERE);
  });

  test('units_cli_missing_file_and_usage_errors_exit_2', () => {
    let r = importUnits(join(dir, 'no-such.geojson'));
    assert.equal(r.code, 2);
    assert.match(r.err, /no-such\.geojson: No such file or directory/);
    r = zg(['import', 'cases', fixture('valid.geojson'), '--db', db]);
    assert.equal(r.code, 2);
    assert.match(r.err, /expected 'units FILE'/);
    r = importUnits(dir); // a folder
    assert.equal(r.code, 2);
    assert.match(r.err, /not a regular file/);
    r = importUnits(fixture('valid.geojson'), '--gap-tolerance', '2');
    assert.equal(r.code, 2);
    assert.match(r.err, /--gap-tolerance: expected a number from 0 to 1/);
    assert.equal(validDry(), NOTHING_THERE);
  });

  test('units_cli_valid_file_imports_then_reimports_unchanged_and_bad_files_change_nothing', () => {
    const file = fixture('valid.geojson');
    let r = importUnits(file);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim(), `${file}: 9 feature(s): 9 added, 0 updated, 0 unchanged`);
    r = importUnits(file);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim(), `${file}: 9 feature(s): 0 added, 0 updated, 9 unchanged`);
    // On the filled store every bad file is still refused, and nothing moves.
    for (const b of BAD) {
      const x = importUnits(fixture(b.file));
      assert.equal(x.code, 2, `${b.file}: ${x.out}${x.err}`);
      assert.match(x.err, new RegExp(`\\[${b.kind}\\]`), b.file);
      assert.match(x.err, /nothing imported\n$/, b.file);
    }
    assert.equal(validDry(), ALL_THERE);
    // A real change: one micro-grid renamed → 1 updated.
    const changed = join(dir, 'renamed.geojson');
    writeFileSync(changed, readFileSync(file, 'utf8').replace('第2网格第2微网格', '第2网格北微网格'));
    r = importUnits(changed);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /9 feature\(s\): 0 added, 1 updated, 8 unchanged$/m);
  });
});

describe('units API', () => {
  let srv;
  const tok = {};
  const DEMO_GRID = '410972060001001';
  const get = (path, who = 'admin') => srv.api('GET', path, undefined, { token: tok[who] });
  const post = (path, body, who = 'admin') => srv.api('POST', path, body, { token: tok[who] });
  const locate = (lat, lon, extra = '', who = 'admin') => get(`/api/v1/locate?lat=${lat}&lon=${lon}${extra}`, who);
  const total = async (query = '') => {
    const r = await get(`/api/v1/units?per_page=1${query}`);
    assertStatus(r, 200);
    return r.json.total;
  };
  const unit = async (code, who = 'admin') => {
    const r = await get(`/api/v1/units/${code}`, who);
    assertStatus(r, 200);
    return r.json;
  };

  before(async () => {
    srv = await startServer();
    for (const u of ['admin', 'dispatcher', 'gridworker', 'gridleader', 'leader']) tok[u] = await srv.login(u);
  });
  after(async () => { await srv?.stop(); });

  test('units_api_get_unit_has_code_name_level_parent_people_point_geometry', async () => {
    const u = await unit(DEMO_GRID);
    for (const k of ['code', 'name', 'level', 'parent', 'people', 'point', 'geometry']) assert.ok(k in u, `no ${k}`);
    assert.equal(u.code, DEMO_GRID);
    assert.equal(u.name, '昆吾社区第1网格');
    assert.equal(u.level, 'grid');
    assert.equal(u.parent, '410972060001');
    assert.equal(u.version, 1);
    assert.equal(u.children, 5);
    assert.ok(u.area_m2 > 150000 && u.area_m2 < 250000, `area ${u.area_m2}`); // five 200 m micro-grids
    assert.equal(u.geometry.type, 'Polygon');
    assert.ok(u.geometry.coordinates[0].length >= 4);
    assert.equal(typeof u.point.lat, 'number');
    assert.equal(typeof u.point.lon, 'number');
    const people = Object.fromEntries(u.people.map((p) => [p.username, p.duty]));
    assert.deepEqual(people, { gridleader: 'grid_leader', gridworker: 'grid_worker' });
    // The zone has no parent.
    const z = await unit('410972');
    assert.equal(z.parent, null);
    assert.equal(z.level, 'zone');
    assert.equal(z.children, 3);
  });

  test('units_api_unknown_unit_is_404', async () => {
    for (const code of ['410972999', '4109720600010010019', 'abc']) {
      assertError(await get(`/api/v1/units/${code}`), 404, 'not_found');
    }
  });

  test('units_api_locate_returns_chain_finest_first_with_people', async () => {
    const { point } = await unit(DEMO_GRID);
    const r = await locate(point.lat, point.lon);
    assertStatus(r, 200);
    const chain = r.json.units;
    assert.deepEqual(chain.map((x) => x.level), ['microgrid', 'grid', 'community', 'street', 'zone']);
    assert.match(chain[0].code, new RegExp(`^${DEMO_GRID}\\d{3}$`));
    assert.deepEqual(chain.slice(1).map((x) => x.code), [DEMO_GRID, '410972060001', '410972060', '410972']);
    assert.deepEqual(chain.slice(1).map((x) => x.name), ['昆吾社区第1网格', '昆吾社区', '昆吾街道', '濮阳经济技术开发区']);
    const grid = chain[1];
    assert.deepEqual(grid.people.map((p) => [p.username, p.duty]).sort(),
      [['gridleader', 'grid_leader'], ['gridworker', 'grid_worker']]);
    assert.deepEqual(chain[4].people.map((p) => [p.username, p.duty]), [['leader', 'leader']]);
    assert.equal(r.json.lat, point.lat);
    assert.equal(r.json.lon, point.lon);
    assert.equal(r.json.input, undefined);
    // The micro-grid found is one of the grid's five.
    const kids = await get(`/api/v1/units?level=microgrid&parent=${DEMO_GRID}`);
    assert.ok(kids.json.items.some((k) => k.code === chain[0].code));
  });

  test('units_api_locate_gcj02_finds_the_same_microgrid', async () => {
    const { point } = await unit(DEMO_GRID);
    const wgs = await locate(point.lat, point.lon);
    const [glon, glat] = gcoord.transform([point.lon, point.lat], gcoord.WGS84, gcoord.GCJ02);
    // GCJ-02 is several hundred metres off here: as WGS-84 it is elsewhere.
    assert.ok(Math.abs(glat - point.lat) + Math.abs(glon - point.lon) > 0.001);
    const r = await locate(glat, glon, '&crs=gcj02');
    assertStatus(r, 200);
    assert.equal(r.json.units[0].code, wgs.json.units[0].code);
    assert.deepEqual(r.json.units.map((x) => x.code), wgs.json.units.map((x) => x.code));
    // The answer carries the converted point (within 1 cm) and the input.
    assert.ok(Math.abs(r.json.lat - point.lat) < 1e-7 && Math.abs(r.json.lon - point.lon) < 1e-7,
      `${r.json.lat},${r.json.lon} vs ${point.lat},${point.lon}`);
    assert.deepEqual(r.json.input, { lat: glat, lon: glon, crs: 'gcj02' });
    // crs=wgs84 spelled out is the default.
    const w = await locate(point.lat, point.lon, '&crs=wgs84');
    assert.deepEqual(w.json, wgs.json);
  });

  test('units_api_locate_outside_zone_is_404', async () => {
    for (const [lat, lon] of [[39.9042, 116.4074], [35.65, 115.0], [35.70, 114.90], [0, 0], [-90, -180]]) {
      assertError(await locate(lat, lon), 404, 'outside_zone');
    }
  });

  test('units_api_locate_bad_coordinates_are_400_naming_the_field', async () => {
    const cases = [
      ['', 'lat'], ['?lon=115', 'lat'], ['?lat=35.7', 'lon'], ['?lat=&lon=115', 'lat'],
      ['?lat=abc&lon=115', 'lat'], ['?lat=35.7&lon=east', 'lon'], ['?lat=91&lon=115', 'lat'],
      ['?lat=-90.5&lon=115', 'lat'], ['?lat=35.7&lon=180.01', 'lon'], ['?lat=35.7&lon=-181', 'lon'],
      ['?lat=35.7x&lon=115', 'lat'], ['?lat=1e400&lon=115', 'lat'], ['?lat=nan&lon=115', 'lat'],
      ['?lat=35.7&lon=inf', 'lon'], ['?lat=35.7&lon=115&crs=bd09', 'crs'], ['?lat=35.7&lon=115&crs=GCJ02', 'crs'],
      ['?lat=35.7&lon=115&crs=', 'crs'],
    ];
    for (const [q, field] of cases) {
      assertError(await get(`/api/v1/locate${q}`), 400, 'bad_request', field);
    }
  });

  test('units_api_phones_masked_for_grid_worker_whole_for_dispatcher', async () => {
    const { point } = await unit(DEMO_GRID);
    const phone = (r, user) => r.json.units[1].people.find((p) => p.username === user).phone;
    const asWorker = await locate(point.lat, point.lon, '', 'gridworker');
    assertStatus(asWorker, 200);
    assert.equal(phone(asWorker, 'gridleader'), '139****0004');
    assert.equal(phone(asWorker, 'gridworker'), '139****0005');
    for (const who of ['dispatcher', 'admin']) {
      const r = await locate(point.lat, point.lon, '', who);
      assert.equal(phone(r, 'gridleader'), '13903930004', who);
    }
    // The same on the unit itself.
    const w = await unit(DEMO_GRID, 'gridworker');
    assert.deepEqual(w.people.map((p) => p.phone).sort(), ['139****0004', '139****0005']);
    const d = await unit(DEMO_GRID, 'dispatcher');
    assert.deepEqual(d.people.map((p) => p.phone).sort(), ['13903930004', '13903930005']);
    const l = await unit(DEMO_GRID, 'leader');
    assert.deepEqual(l.people.map((p) => p.phone).sort(), ['139****0004', '139****0005']);
  });

  test('units_api_unauthenticated_is_401', async () => {
    const { point } = await unit(DEMO_GRID);
    for (const [method, path, body] of [
      ['GET', `/api/v1/locate?lat=${point.lat}&lon=${point.lon}`],
      ['GET', '/api/v1/units'],
      ['GET', `/api/v1/units/${DEMO_GRID}`],
      ['POST', '/api/v1/units/import', { type: 'FeatureCollection', features: [] }],
      ['POST', `/api/v1/units/${DEMO_GRID}/people`, { username: 'leader', duty: 'leader' }],
    ]) {
      assertError(await srv.api(method, path, body), 401, 'unauthenticated');
      assertError(await srv.api(method, path, body, { token: 'not-a-token' }), 401, 'unauthenticated');
    }
  });

  test('units_api_list_filters_and_pages', async () => {
    assert.equal(await total(), 2419);
    assert.equal(await total('&level=zone'), 1);
    assert.equal(await total('&level=street'), 3);
    assert.equal(await total('&level=community'), 15);
    assert.equal(await total('&level=grid'), 400);
    assert.equal(await total('&level=microgrid'), 2000);
    const kids = await get(`/api/v1/units?level=microgrid&parent=${DEMO_GRID}`);
    assertStatus(kids, 200);
    assert.equal(kids.json.total, 5);
    assert.deepEqual(kids.json.items.map((x) => x.code), [1, 2, 3, 4, 5].map((i) => `${DEMO_GRID}00${i}`));
    for (const k of kids.json.items) {
      assert.equal(k.parent, DEMO_GRID);
      assert.equal(k.level, 'microgrid');
    }
    // q matches names (and codes).
    const q = await get(`/api/v1/units?q=${encodeURIComponent('昆吾')}&per_page=100`);
    assertStatus(q, 200);
    const codes = q.json.items.map((x) => x.code);
    assert.ok(codes.includes('410972060'), '昆吾街道');
    assert.ok(codes.includes('410972060001'), '昆吾社区');
    assert.ok(q.json.items.every((x) => x.name.includes('昆吾') || x.code.includes('昆吾')));
    assert.equal(await total(`&level=street&q=${encodeURIComponent('昆吾')}`), 1);
    assert.equal(await total(`&level=community&q=${encodeURIComponent('昆吾社区')}`), 1);
    assert.equal(await total('&q=410972060001001'), 6); // the grid and its micro-grids
    assert.equal(await total(`&q=${encodeURIComponent('不存在的名字')}`), 0);
    // LIKE wildcards are plain characters.
    assert.equal(await total('&q=%25'), 0);
    assert.equal(await total('&q=_'), 0);
    // Pages of grids: 400 in 4 pages of 100, disjoint, in code order.
    const seen = [];
    for (let page = 1; page <= 5; page++) {
      const r = await get(`/api/v1/units?level=grid&per_page=100&page=${page}`);
      assertStatus(r, 200);
      assert.equal(r.json.total, 400);
      assert.equal(r.json.page, page);
      assert.equal(r.json.per_page, 100);
      assert.equal(r.json.items.length, page <= 4 ? 100 : 0);
      seen.push(...r.json.items.map((x) => x.code));
    }
    assert.equal(new Set(seen).size, 400);
    assert.deepEqual(seen, [...seen].sort());
    // The list shows how many people a unit has.
    const g = (await get(`/api/v1/units?q=${DEMO_GRID}&level=grid`)).json.items[0];
    assert.equal(g.people, 2);
    // Bad filters.
    assertError(await get('/api/v1/units?level=village'), 400, 'bad_request', 'level');
    assertError(await get('/api/v1/units?per_page=1000'), 400, 'bad_request', 'per_page');
    assertError(await get('/api/v1/units?page=0'), 400, 'bad_request', 'page');
  });

  test('units_api_point_of_each_unit_lies_inside_it', async () => {
    const sample = [];
    for (const level of ['zone', 'street', 'community']) {
      sample.push(...(await get(`/api/v1/units?level=${level}&per_page=100`)).json.items);
    }
    for (const level of ['grid', 'microgrid']) {
      for (const page of [1, 3]) {
        sample.push(...(await get(`/api/v1/units?level=${level}&per_page=40&page=${page}`)).json.items);
      }
    }
    assert.equal(sample.length, 1 + 3 + 15 + 80 + 80);
    for (const u of sample) {
      assert.ok(u.point, `${u.code} has no point`);
      const r = await locate(u.point.lat, u.point.lon);
      assertStatus(r, 200);
      const codes = r.json.units.map((x) => x.code);
      assert.ok(codes.includes(u.code), `point of ${u.code} (${u.point.lat}, ${u.point.lon}) locates to ${codes}`);
      assert.equal(r.json.units.find((x) => x.code === u.code).level, u.level);
    }
  });

  // ---- import (these change the store: they run last, in order) ----------

  test('units_api_import_is_for_admins_only', async () => {
    const before = await total();
    const body = { type: 'FeatureCollection', features: [] };
    for (const who of ['dispatcher', 'gridworker', 'leader']) {
      assertError(await post('/api/v1/units/import', body, who), 403, 'forbidden');
      assertError(await post(`/api/v1/units/${DEMO_GRID}/people`, { username: 'leader', duty: 'leader' }, who), 403,
        'forbidden');
    }
    assert.equal(await total(), before);
    assert.equal((await unit(DEMO_GRID)).people.length, 2);
  });

  test('units_api_bad_import_is_422_with_report_and_changes_nothing', async () => {
    const before = await total();
    const grid = await unit(DEMO_GRID);
    const micro = await unit(`${DEMO_GRID}001`);
    const [x0, y0] = micro.geometry.coordinates[0][0];
    const body = {
      type: 'FeatureCollection',
      features: [
        // a renamed grid (fine by itself)
        { type: 'Feature', properties: { code: DEMO_GRID, name: '不该写入的名字', level: 'grid', parent_code: grid.parent }, geometry: grid.geometry },
        // a new micro-grid: a bow-tie
        { type: 'Feature', properties: { code: `${DEMO_GRID}009`, name: '领结', level: 'microgrid', parent_code: DEMO_GRID },
          geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x0 + 0.001, y0 + 0.001], [x0 + 0.001, y0], [x0, y0 + 0.001], [x0, y0]]] } },
        // a feature without a code
        { type: 'Feature', properties: { name: '无编码', level: 'microgrid', parent_code: DEMO_GRID }, geometry: null },
      ],
    };
    for (const q of ['', '?dry_run=1']) {
      const r = await post(`/api/v1/units/import${q}`, body);
      const e = assertError(r, 422, 'invalid_import', null);
      assert.ok(Array.isArray(e.report), r.text);
      const kinds = e.report.map((p) => `${p.feature}:${p.code}:${p.kind}`).sort();
      assert.deepEqual(kinds, [`2:${DEMO_GRID}009:invalid_geometry`, '3:null:missing_code']);
      const bow = e.report.find((p) => p.kind === 'invalid_geometry');
      assert.match(bow.message_en, /Self-intersection/);
      assert.match(bow.message, /自相交/);
      assert.ok(Math.abs(bow.position.lat - (y0 + 0.0005)) < 1e-9 && Math.abs(bow.position.lon - (x0 + 0.0005)) < 1e-9);
    }
    // Not a FeatureCollection at all.
    const nf = await post('/api/v1/units/import', { type: 'Feature', properties: {}, geometry: null });
    const e = assertError(nf, 422, 'invalid_import');
    assert.equal(e.report[0].kind, 'bad_feature');
    // Not even JSON.
    assertError(await srv.api('POST', '/api/v1/units/import', undefined,
      { token: tok.admin, raw: '{"type":', headers: { 'content-type': 'application/json' } }), 400, 'bad_json');
    // Nothing changed.
    assert.equal(await total(), before);
    const after = await unit(DEMO_GRID);
    assert.equal(after.name, grid.name);
    assert.equal(after.version, 1);
    assert.deepEqual(after.geometry, grid.geometry);
    assertError(await get(`/api/v1/units/${DEMO_GRID}009`), 404, 'not_found');
  });

  test('units_api_import_renames_a_grid_version_2_and_dry_run_does_not', async () => {
    const before = await total();
    const grid = await unit(DEMO_GRID);
    const body = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: DEMO_GRID, name: '昆吾社区一号网格', level: 'grid', parent_code: grid.parent }, geometry: grid.geometry }],
    };
    // A misspelt dry_run is refused, never taken for a real import.
    assertError(await post('/api/v1/units/import?dry_run=ture', body), 400, 'bad_request', 'dry_run');
    const dry = await post('/api/v1/units/import?dry_run=1', body);
    assertStatus(dry, 200);
    assert.deepEqual(dry.json, { dry_run: true, features: 1, added: 0, updated: 1, unchanged: 0 });
    assert.equal((await unit(DEMO_GRID)).version, 1);
    const r = await post('/api/v1/units/import', body);
    assertStatus(r, 200);
    assert.deepEqual(r.json, { dry_run: false, features: 1, added: 0, updated: 1, unchanged: 0 });
    const after = await unit(DEMO_GRID);
    assert.equal(after.name, '昆吾社区一号网格');
    assert.equal(after.version, 2);
    assert.deepEqual(after.geometry, grid.geometry);
    assert.deepEqual(after.people.map((p) => p.username).sort(), ['gridleader', 'gridworker']);
    assert.equal(await total(), before);
    // Locate shows the new name (the directory was rebuilt).
    const l = await locate(grid.point.lat, grid.point.lon);
    assert.equal(l.json.units[1].name, '昆吾社区一号网格');
    // The same file again: unchanged.
    const again = await post('/api/v1/units/import', body);
    assert.deepEqual(again.json, { dry_run: false, features: 1, added: 0, updated: 0, unchanged: 1 });
    assert.equal((await unit(DEMO_GRID)).version, 2);
  });

  test('units_api_import_second_zone_is_located_after_import', async () => {
    const rect = (x0, y0, x1, y1) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
    const f = (code, name, level, parent, g) => ({ type: 'Feature', properties: { code, name, level, parent_code: parent }, geometry: g });
    const body = {
      type: 'FeatureCollection',
      features: [
        f('411671', '周口经济开发区', 'zone', null, rect(113.000, 34.000, 113.010, 34.010)),
        f('411671400', '测试乡', 'street', '411671', rect(113.000, 34.000, 113.010, 34.010)),
        f('411671400200', '测试村', 'community', '411671400', rect(113.000, 34.000, 113.010, 34.010)),
        f('411671400200001', '测试村第1网格', 'grid', '411671400200', rect(113.000, 34.000, 113.005, 34.010)),
        f('411671400200002', '测试村第2网格', 'grid', '411671400200', rect(113.005, 34.000, 113.010, 34.010)),
      ],
    };
    const before = await total();
    assertError(await locate(34.005, 113.0025), 404, 'outside_zone');
    // A dry run neither adds nor makes the point locatable.
    const dry = await post('/api/v1/units/import?dry_run=true', body);
    assert.deepEqual(dry.json, { dry_run: true, features: 5, added: 5, updated: 0, unchanged: 0 });
    assertError(await locate(34.005, 113.0025), 404, 'outside_zone');
    assert.equal(await total(), before);
    const r = await post('/api/v1/units/import', body);
    assertStatus(r, 200);
    assert.deepEqual(r.json, { dry_run: false, features: 5, added: 5, updated: 0, unchanged: 0 });
    assert.equal(await total(), before + 5);
    assert.equal(await total('&level=zone'), 2);
    const west = await locate(34.005, 113.0025);
    assertStatus(west, 200);
    assert.deepEqual(west.json.units.map((x) => x.code), ['411671400200001', '411671400200', '411671400', '411671']);
    assert.deepEqual(west.json.units.map((x) => x.level), ['grid', 'community', 'street', 'zone']);
    // The shared edge at 113.005 belongs to the grid east of it.
    assert.equal((await locate(34.005, 113.005)).json.units[0].code, '411671400200002');
    // The first zone still answers.
    const { point } = await unit(`${DEMO_GRID}001`);
    assert.equal((await locate(point.lat, point.lon)).json.units[0].code, `${DEMO_GRID}001`);
    // A child of the new zone that pokes out of it is refused, and nothing moves.
    const bad = await post('/api/v1/units/import', {
      type: 'FeatureCollection',
      features: [f('411671400200003', '出界网格', 'grid', '411671400200', rect(113.009, 34.000, 113.020, 34.010))],
    });
    const e = assertError(bad, 422, 'invalid_import');
    assert.ok(e.report.some((p) => p.kind === 'outside_parent' && p.code === '411671400200003' && p.area_m2 > 0), bad.text);
    assert.equal(await total(), before + 5);
    assertError(await locate(34.005, 113.015), 404, 'outside_zone');
  });

  test('units_api_people_add_and_refusals', async () => {
    const code = `${DEMO_GRID}002`;
    const people = async () => (await unit(code)).people.map((p) => `${p.username}:${p.duty}`).sort();
    assert.deepEqual(await people(), []);
    // Refused: bad duty, unknown user, unknown unit, missing fields.
    assertError(await post(`/api/v1/units/${code}/people`, { username: 'gridworker', duty: 'boss' }), 422,
      'invalid_field', 'duty');
    assertError(await post(`/api/v1/units/${code}/people`, { username: 'nobody_here', duty: 'microgrid_worker' }), 422,
      'invalid_field', 'username');
    assertError(await post('/api/v1/units/410972999999/people', { username: 'gridworker', duty: 'microgrid_worker' }),
      404, 'not_found');
    assertError(await post(`/api/v1/units/${code}/people`, { duty: 'microgrid_worker' }), 422, 'missing_field',
      'username');
    assertError(await post(`/api/v1/units/${code}/people`, { username: 'gridworker' }), 422, 'missing_field', 'duty');
    assertError(await post(`/api/v1/units/${code}/people`, { username: 7, duty: 'leader' }), 422, 'missing_field',
      'username');
    assert.deepEqual(await people(), []);
    // Added: the answer is the unit with its people, phones whole for the admin.
    const r = await post(`/api/v1/units/${code}/people`, { username: 'gridworker', duty: 'microgrid_worker' });
    assertStatus(r, 200);
    assert.equal(r.json.code, code);
    const p = r.json.people.find((x) => x.username === 'gridworker');
    assert.equal(p.duty, 'microgrid_worker');
    assert.equal(p.phone, '13903930005');
    assert.deepEqual(await people(), ['gridworker:microgrid_worker']);
    // Twice is once.
    assertStatus(await post(`/api/v1/units/${code}/people`, { username: 'gridworker', duty: 'microgrid_worker' }), 200);
    assert.deepEqual(await people(), ['gridworker:microgrid_worker']);
    // A second duty for another person shows in locate too.
    assertStatus(await post(`/api/v1/units/${code}/people`, { username: 'dispatcher', duty: 'leader' }), 200);
    assert.deepEqual(await people(), ['dispatcher:leader', 'gridworker:microgrid_worker']);
    const { point } = await unit(code);
    const l = await locate(point.lat, point.lon, '', 'gridworker');
    assert.equal(l.json.units[0].code, code);
    assert.deepEqual(l.json.units[0].people.map((x) => x.phone).sort(), ['139****0002', '139****0005']);
  });
});
