// API tests of the case module (事件工单): staff and public intake, input
// validation, idempotency keys, the workflow of docs/WORKFLOW.md over
// POST /api/v1/cases/{id}/actions (department and grid loops, rework, reopen,
// reject, return and re-dispatch, extensions, merge, 督办, comments), stale
// versions, data scope (403), public follow-up and rating, and the list filters.
//
// One server per describe, each on a copy of one demo store made once for the
// file. Every request with bad input is followed by a read-back that finds the
// store (or the case) unchanged.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import gcoord from 'gcoord';
import { startServer, BIN, DEMO_PASSWORD } from '../lib/server.mjs';
import { assertError, assertStatus, rawRequest, uniqueName } from './helpers.mjs';

const DEMO_GRID = '410972060001001';
const DEMO_COMMUNITY = '410972060001';
const DEMO_STREET = '410972060';
const ZONE = '410972';
const DEMO_USERS = ['admin', 'leader', 'dispatcher', 'handler', 'gridleader', 'gridworker', 'supervisor'];
const SOURCES = ['resident', 'grid_patrol', 'hotline', 'supervisor', 'inspection', 'enterprise', 'project', 'consultation'];
const ACTIONS = ['accept', 'reject', 'dispatch', 'return', 'request_extension', 'approve_extension', 'handle', 'verify',
  'rate', 'supervise', 'merge', 'comment'];
const JSON_CT = { 'content-type': 'application/json' };
const NUMBER_RE = /^(\d{8})-(\d{4})$/;

// ---- one demo store for the whole file, copied for each server ---------------

let templateDir = null;
const storeDirs = [];

function demoStoreCopy() {
  if (!templateDir) {
    templateDir = mkdtempSync(join(tmpdir(), 'zonegov-cases-tpl-'));
    execFileSync(BIN, ['demo', '--db', join(templateDir, 'zonegov.db'), '--password', DEMO_PASSWORD], { stdio: 'pipe' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'zonegov-cases-'));
  copyFileSync(join(templateDir, 'zonegov.db'), join(dir, 'zonegov.db'));
  storeDirs.push(dir);
  return join(dir, 'zonegov.db');
}

after(() => {
  for (const d of [...storeDirs, templateDir]) if (d) rmSync(d, { recursive: true, force: true });
});

// ---- the context of one describe: server, tokens, points ---------------------

async function setup() {
  const srv = await startServer({ db: demoStoreCopy() });
  const ctx = { srv, tok: {}, name: {}, dept: {} };
  await Promise.all(DEMO_USERS.map(async (u) => {
    const r = await srv.api('POST', '/api/v1/auth/login', { username: u, password: DEMO_PASSWORD });
    assertStatus(r, 200);
    ctx.tok[u] = r.json.token;
    ctx.name[u] = r.json.user.name;
  }));
  const unit = await srv.api('GET', `/api/v1/units/${DEMO_GRID}`, undefined, { token: ctx.tok.admin });
  assertStatus(unit, 200);
  ctx.point = unit.json.point;
  // Two other grids: one in the same community, one in another street.
  const grids = await srv.api('GET', '/api/v1/units?level=grid&per_page=100', undefined, { token: ctx.tok.admin });
  assertStatus(grids, 200);
  const sameCommunity = grids.json.items.find((g) => g.parent === DEMO_COMMUNITY && g.code !== DEMO_GRID);
  assert.ok(sameCommunity, 'a second grid in the demo community');
  ctx.neighbour = { code: sameCommunity.code, point: sameCommunity.point };
  let far = grids.json.items.find((g) => !g.code.startsWith(DEMO_STREET));
  if (!far) {
    const r = await srv.api('GET', '/api/v1/units?level=grid&q=410972101&per_page=1', undefined, { token: ctx.tok.admin });
    far = r.json.items[0];
  }
  assert.ok(far && !far.code.startsWith(DEMO_STREET), 'a grid in another street');
  const farUnit = await srv.api('GET', `/api/v1/units/${far.code}`, undefined, { token: ctx.tok.admin });
  ctx.far = { code: far.code, point: far.point, community: farUnit.json.parent, street: far.code.slice(0, 9) };
  const depts = await srv.api('GET', '/api/v1/departments', undefined, { token: ctx.tok.admin });
  for (const d of depts.json.items) ctx.dept[d.code] = d.id;
  // A key project: a case of source project names the project it concerns.
  const proj = await srv.api('POST', '/api/v1/projects', { code: 'CASE-TEST-1', name: '事件测试项目', level: 'city',
    industry: '化工', total_investment: 100000000 }, { token: ctx.tok.admin });
  assertStatus(proj, 201);
  ctx.project = proj.json.id;
  return ctx;
}

// A valid intake body (staff: source hotline) at the demo grid's point.
function caseBody(ctx, over = {}) {
  return {
    category: 'SJ0101', description: '测试:路边私搭乱建的棚子', lat: ctx.point.lat, lon: ctx.point.lon,
    source: 'hotline', phone: '13800001234', ...over,
  };
}

function publicBody(ctx, over = {}) {
  const b = caseBody(ctx, over);
  if (!('source' in over)) delete b.source;
  return b;
}

async function file(ctx, user, over = {}, headers = {}) {
  const r = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx, over), { token: ctx.tok[user], headers });
  assertStatus(r, 201);
  return r.json;
}

async function filePublic(ctx, over = {}) {
  const r = await ctx.srv.api('POST', '/api/v1/public/cases', publicBody(ctx, over));
  assertStatus(r, 201);
  return r.json;
}

async function getCase(ctx, id, user = 'dispatcher') {
  const r = await ctx.srv.api('GET', `/api/v1/cases/${id}`, undefined, { token: ctx.tok[user] });
  assertStatus(r, 200);
  return r.json;
}

function act(ctx, user, c, action, fields = {}) {
  return ctx.srv.api('POST', `/api/v1/cases/${c.id}/actions`, { action, version: c.version, ...fields },
    { token: ctx.tok[user] });
}

// Takes an action that must succeed; checks the fold (version = events) and
// the last event; returns the case as the dispatcher sees it.
async function actOk(ctx, user, c, action, fields = {}) {
  const r = await act(ctx, user, c, action, fields);
  assertStatus(r, 200);
  const got = await getCase(ctx, c.id);
  assert.equal(got.version, got.events.length, 'version is the number of events');
  assert.ok(got.version > c.version, 'version went up');
  const mine = got.events[c.version]; // the first event this action appended
  assert.equal(mine.action, action);
  assert.equal(mine.actor, ctx.name[user] ?? user);
  assert.equal(mine.from, c.status);
  assert.equal(r.json.status, got.status);
  assert.equal(r.json.version, got.version);
  return got;
}

// A refused action: the error, then the case read back unchanged.
// c.version is sent as given (a stale one for the 409 tests).
async function refused(ctx, user, c, action, fields, status, code, field) {
  const before = await getCase(ctx, c.id);
  const r = await act(ctx, user, c, action, fields);
  const e = assertError(r, status, code, field);
  assert.deepEqual(await getCase(ctx, c.id), before, `${action} by ${user} changed the case`);
  return { r, e };
}

// Every case as the dispatcher lists it (all pages).
async function snapshot(ctx) {
  const items = [];
  let total = null;
  for (let page = 1; page < 1000; page++) {
    const r = await ctx.srv.api('GET', `/api/v1/cases?per_page=100&page=${page}`, undefined, { token: ctx.tok.dispatcher });
    assertStatus(r, 200);
    total = r.json.total;
    items.push(...r.json.items);
    if (r.json.items.length < 100) break;
  }
  assert.equal(items.length, total, 'the pages hold total items');
  return { total, items };
}

async function assertNothingStored(ctx, before) {
  assert.deepEqual(await snapshot(ctx), before, 'the case store changed');
}

const seqOf = (number) => Number(NUMBER_RE.exec(number)[2]);
const dayOf = (number) => NUMBER_RE.exec(number)[1];
// "2026-11-22T11:13:36.004+08:00" → "20261122" (created_at is in +08:00)
const isoDay = (iso) => iso.slice(0, 10).replaceAll('-', '');
// ms → "YYYY-MM-DDTHH:MM:SS+08:00"
const isoShanghai = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';

// =============================================================================

describe('cases: intake, validation and idempotency', () => {
  let ctx;
  before(async () => { ctx = await setup(); });
  after(async () => { await ctx?.srv.stop(); });

  test('intake_each_source_files_a_numbered_located_routed_case', async () => {
    const got = [];
    for (const source of SOURCES) {
      const c = await file(ctx, 'dispatcher', { source, ...(source === 'project' ? { project: ctx.project } : {}) });
      assert.ok(Number.isInteger(c.id) && c.id > 0);
      assert.match(c.number, NUMBER_RE);
      assert.equal(dayOf(c.number), isoDay(c.created_at), 'number carries the Shanghai day of filing');
      assert.equal(c.source, source);
      assert.equal(c.status, 'reported', 'SJ0101 is not auto_accept: waits for a dispatcher');
      assert.equal(c.stage, 'accept');
      assert.equal(c.version, 1);
      assert.equal(c.route, 'department');
      assert.deepEqual(c.department, { id: ctx.dept.CGJ, code: 'CGJ', name: c.department.name });
      assert.equal(c.category.code, 'SJ0101');
      assert.ok(Date.parse(c.deadline) > Date.parse(c.created_at), 'deadline after filing');
      const codes = c.units.map((u) => u.code);
      assert.equal(c.units[0].level, 'microgrid', 'finest first');
      assert.ok(codes[0].startsWith(DEMO_GRID));
      assert.deepEqual(codes.slice(1), [DEMO_GRID, DEMO_COMMUNITY, DEMO_STREET, ZONE], 'chain up to the zone, last');
      assert.equal(c.units.at(-1).level, 'zone');
      assert.deepEqual(c.reporter, { phone: '13800001234', anonymous: false }, 'dispatchers see the whole phone');
      assert.equal(c.events.length, 1);
      assert.equal(c.events[0].action, 'report');
      assert.equal(c.events[0].actor, ctx.name.dispatcher);
      assert.equal(c.events[0].to, 'reported');
      got.push(c);
    }
    assert.equal(new Set(got.map((c) => c.number)).size, got.length, 'numbers unique');
    for (let i = 1; i < got.length; i++) {
      assert.ok(got[i].id > got[i - 1].id);
      if (dayOf(got[i].number) === dayOf(got[i - 1].number)) {
        assert.equal(seqOf(got[i].number), seqOf(got[i - 1].number) + 1, 'numbers increase by one');
      }
    }
    // Other staff see the phone masked.
    const seen = await getCase(ctx, got[0].id, 'gridworker');
    assert.equal(seen.reporter.phone, '138****1234');
    assert.equal((await getCase(ctx, got[0].id, 'leader')).reporter.phone, '138****1234');
  });

  test('intake_trusted_source_of_auto_accept_category_is_dispatched_by_the_system', async () => {
    // SJ0102 暴露垃圾: handled in the grid, auto_accept; SJ0103 积存垃圾渣土: CGJ, auto_accept.
    for (const [category, source, route] of [['SJ0102', 'grid_patrol', 'grid'], ['SJ0103', 'grid_patrol', 'department'],
      ['SJ0103', 'supervisor', 'department'], ['SJ0102', 'inspection', 'grid']]) {
      const user = source === 'grid_patrol' ? 'gridworker' : source === 'supervisor' ? 'supervisor' : 'dispatcher';
      const c = await file(ctx, user, { category, source });
      assert.equal(c.status, 'dispatched', `${category} ${source}`);
      assert.equal(c.stage, 'handle');
      assert.equal(c.route, route);
      if (route === 'grid') assert.equal(c.department, null);
      else assert.equal(c.department.code, 'CGJ');
      assert.equal(c.version, 3);
      assert.deepEqual(c.events.map((e) => [e.action, e.actor, e.from, e.to]), [
        ['report', ctx.name[user], null, 'reported'],
        ['accept', 'system', 'reported', 'accepted'],
        ['dispatch', 'system', 'accepted', 'dispatched'],
      ]);
      // The dispatch event names the department it went to (the grid route has none).
      assert.deepEqual(c.events[2].fields, route === 'grid' ? null : { department: ctx.dept.CGJ });
    }
    // Untrusted sources of the same category wait for a human.
    for (const source of ['hotline', 'resident', 'enterprise']) {
      const c = await file(ctx, 'dispatcher', { category: 'SJ0102', source });
      assert.equal(c.status, 'reported', source);
      assert.equal(c.version, 1);
    }
    const p = await filePublic(ctx, { category: 'SJ0103' });
    assert.equal(p.status, 'reported', 'a resident report is verified before 立案');
  });

  test('intake_public_answers_only_what_the_reporter_needs', async () => {
    const r = await ctx.srv.api('POST', '/api/v1/public/cases',
      publicBody(ctx, { phone: '13912345678', description: '小区门口私搭乱建' }));
    assertStatus(r, 201);
    assert.deepEqual(Object.keys(r.json).sort(), ['deadline', 'department', 'id', 'number', 'status', 'units', 'version']);
    assert.match(r.json.number, NUMBER_RE);
    assert.equal(r.json.status, 'reported');
    assert.equal(r.json.version, 1);
    assert.equal(r.json.units.at(-1).code, ZONE);
    assert.equal(r.json.units[1].code, DEMO_GRID);
    assert.equal(r.json.department.code, 'CGJ');
    assert.ok(!Number.isNaN(Date.parse(r.json.deadline)));
    assert.ok(!r.text.includes('13912345678') && !r.text.includes('****'), 'no phone in the answer');
    assert.ok(!r.text.includes('小区门口'), 'no description in the answer');
    const c = await getCase(ctx, r.json.id);
    assert.equal(c.source, 'resident');
    assert.equal(c.number, r.json.number);
    assert.equal(c.reporter.phone, '13912345678');
    assert.equal(c.events[0].actor, 'public');
    // Anonymous: the phone is kept for follow-up but shown to no one.
    const a = await filePublic(ctx, { phone: '13912340000', anonymous: true });
    assert.deepEqual((await getCase(ctx, a.id)).reporter, { phone: null, anonymous: true });
    assertStatus(await ctx.srv.api('GET', `/api/v1/public/cases/${a.number}?phone4=0000`), 200);
    // An explicit source resident is fine.
    assert.equal((await filePublic(ctx, { source: 'resident' })).status, 'reported');
  });

  test('intake_gcj02_point_lands_in_the_same_grid', async () => {
    const w = await file(ctx, 'dispatcher');
    const [glon, glat] = gcoord.transform([ctx.point.lon, ctx.point.lat], gcoord.WGS84, gcoord.GCJ02);
    assert.ok(Math.abs(glon - ctx.point.lon) > 1e-4, 'GCJ-02 is offset here');
    const g = await file(ctx, 'dispatcher', { lat: glat, lon: glon, crs: 'gcj02' });
    assert.equal(g.crs, 'gcj02');
    assert.deepEqual(g.units, w.units, 'same unit chain as the WGS-84 point');
    assert.ok(Math.abs(g.lat - ctx.point.lat) < 1e-5 && Math.abs(g.lon - ctx.point.lon) < 1e-5,
      `stored in WGS-84: ${g.lat},${g.lon} vs ${ctx.point.lat},${ctx.point.lon}`);
    const p = await filePublic(ctx, { lat: glat, lon: glon, crs: 'gcj02' });
    assert.deepEqual(p.units, w.units);
    const wgs = await file(ctx, 'dispatcher', { crs: 'wgs84' });
    assert.deepEqual(wgs.units, w.units);
  });

  test('intake_description_of_2000_characters_and_tabs_newlines_is_accepted', async () => {
    const c = await file(ctx, 'dispatcher', { description: '测'.repeat(1999) + '😀' });
    assert.equal([...c.description].length, 2000);
    const d = await file(ctx, 'dispatcher', { description: '第一行\n第二行\r\n\t缩进' });
    assert.equal(d.description, '第一行\n第二行\r\n\t缩进');
  });

  // ---- invalid input: its error, nothing stored ------------------------------

  const longText = '测'.repeat(2001);
  // [name, public?, body override (null = delete the key), status, code, field]
  const invalid = [
    ['unknown_category', false, { category: 'SJ9999' }, 422, 'invalid_field', 'category'],
    ['unknown_category_public', true, { category: 'XX01' }, 422, 'invalid_field', 'category'],
    ['missing_category', false, { category: null }, 422, 'missing_field', 'category'],
    ['category_not_a_string', false, { category: 101 }, 422, 'invalid_field', 'category'],
    ['point_outside_the_zone_beijing', false, { lat: 39.9042, lon: 116.4074 }, 422, 'invalid_field', 'lat'],
    ['point_outside_the_zone_nearby', false, { lat: 35.60, lon: 114.90 }, 422, 'invalid_field', 'lat'],
    ['point_outside_the_zone_public', true, { lat: 35.60, lon: 114.90 }, 422, 'invalid_field', 'lat'],
    ['missing_lat', false, { lat: null }, 422, 'missing_field', 'lat'],
    ['missing_lon', false, { lon: null }, 422, 'missing_field', 'lon'],
    ['lat_above_90', false, { lat: 90.5 }, 422, 'invalid_field', 'lat'],
    ['lat_below_minus_90', false, { lat: -91 }, 422, 'invalid_field', 'lat'],
    ['lon_above_180', false, { lon: 180.01 }, 422, 'invalid_field', 'lon'],
    ['lon_below_minus_180', true, { lon: -200 }, 422, 'invalid_field', 'lon'],
    ['lat_as_string', false, { lat: '35.7' }, 422, 'invalid_field', 'lat'],
    ['lon_as_bool', false, { lon: true }, 422, 'invalid_field', 'lon'],
    ['crs_bd09', false, { crs: 'bd09' }, 422, 'invalid_field', 'crs'],
    ['crs_upper_case', true, { crs: 'WGS84' }, 422, 'invalid_field', 'crs'],
    ['crs_not_a_string', false, { crs: 4326 }, 422, 'invalid_field', 'crs'],
    ['source_unknown', false, { source: 'email' }, 422, 'invalid_field', 'source'],
    ['source_empty', false, { source: '' }, 422, 'invalid_field', 'source'],
    ['source_missing_staff', false, { source: null }, 422, 'missing_field', 'source'],
    ['public_source_hotline', true, { source: 'hotline' }, 422, 'invalid_field', 'source'],
    ['public_source_grid_patrol', true, { source: 'grid_patrol' }, 422, 'invalid_field', 'source'],
    ['public_missing_phone', true, { phone: null }, 422, 'missing_field', 'phone'],
    ['public_empty_phone', true, { phone: '' }, 422, 'missing_field', 'phone'],
    ['phone_10_digits', false, { phone: '1380000123' }, 422, 'invalid_field', 'phone'],
    ['phone_not_starting_with_1', true, { phone: '23800001234' }, 422, 'invalid_field', 'phone'],
    ['phone_with_letter', true, { phone: '1380000123x' }, 422, 'invalid_field', 'phone'],
    ['phone_with_country_code', false, { phone: '+8613800001234' }, 422, 'invalid_field', 'phone'],
    ['description_2001_characters', false, { description: longText }, 422, 'invalid_field', 'description'],
    ['description_2001_characters_public', true, { description: longText }, 422, 'invalid_field', 'description'],
    ['description_empty', false, { description: '' }, 422, 'missing_field', 'description'],
    ['description_missing', true, { description: null }, 422, 'missing_field', 'description'],
    ['description_control_char_0x01', false, { description: '垃圾\u0001堆放' }, 422, 'invalid_field', 'description'],
    ['description_escape_sequence', true, { description: '\u001b[31m红字' }, 422, 'invalid_field', 'description'],
    ['description_del', false, { description: '垃圾\u007f' }, 422, 'invalid_field', 'description'],
    ['anonymous_not_a_bool', true, { anonymous: 'yes' }, 422, 'invalid_field', 'anonymous'],
  ];
  for (const [name, pub, over, status, code, field] of invalid) {
    test(`intake_invalid_${name}_is_${status}_${code}_and_nothing_is_stored`, async () => {
      const before = await snapshot(ctx);
      const b = pub ? publicBody(ctx, over) : caseBody(ctx, over);
      for (const [k, v] of Object.entries(over)) if (v === null) delete b[k];
      const r = pub
        ? await ctx.srv.api('POST', '/api/v1/public/cases', b)
        : await ctx.srv.api('POST', '/api/v1/cases', b, { token: ctx.tok.dispatcher });
      assertError(r, status, code, field);
      await assertNothingStored(ctx, before);
    });
  }

  test('intake_inactive_category_is_422_and_nothing_is_stored', async () => {
    const cat = await ctx.srv.api('GET', '/api/v1/categories/SJ0905', undefined, { token: ctx.tok.admin });
    assertStatus(cat, 200);
    assertStatus(await ctx.srv.api('PUT', '/api/v1/categories/SJ0905', { ...cat.json.category, active: false },
      { token: ctx.tok.admin }), 200);
    const before = await snapshot(ctx);
    assertError(await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx, { category: 'SJ0905' }),
      { token: ctx.tok.dispatcher }), 422, 'invalid_field', 'category');
    assertError(await ctx.srv.api('POST', '/api/v1/public/cases', publicBody(ctx, { category: 'SJ0905' })),
      422, 'invalid_field', 'category');
    await assertNothingStored(ctx, before);
  });

  const rawBodies = [
    ['malformed_json', '{"category":"SJ0101","description":', JSON_CT, 400, 'bad_json'],
    ['json_array', '[{"category":"SJ0101"}]', JSON_CT, 400, 'bad_json'],
    ['nul_escape', null, JSON_CT, 400, 'bad_json'],
    ['invalid_utf8_in_description', 'BADUTF8', JSON_CT, 400, 'bad_encoding'],
    ['text_plain_content_type', 'JSON', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    ['form_content_type', 'JSON', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['no_content_type', 'JSON', {}, 415, 'unsupported_media_type'],
  ];
  for (const [name, raw0, headers, status, code] of rawBodies) {
    for (const pub of [false, true]) {
      test(`intake_${pub ? 'public_' : ''}${name}_is_${status}_${code}_and_nothing_is_stored`, async () => {
        const json = JSON.stringify(pub ? publicBody(ctx) : caseBody(ctx));
        let raw = raw0;
        if (raw0 === 'JSON') raw = headers['content-type'] ? json : Buffer.from(json); // a string would get text/plain
        else if (raw0 === null) raw = json.replace('测试', 'a\\u0000b');
        else if (raw0 === 'BADUTF8') {
          const [head, tail] = json.split('测试');
          raw = Buffer.concat([Buffer.from(head + '测'), Buffer.from([0xe8, 0xaf]), Buffer.from(tail)]);
        }
        const before = await snapshot(ctx);
        const r = await ctx.srv.api('POST', pub ? '/api/v1/public/cases' : '/api/v1/cases', undefined,
          { token: pub ? undefined : ctx.tok.dispatcher, raw, headers });
        assertError(r, status, code);
        await assertNothingStored(ctx, before);
      });
    }
  }

  test('intake_refused_requests_used_up_no_case_number', async () => {
    const { items } = await snapshot(ctx);
    const last = items[0]; // newest first
    const c = await file(ctx, 'dispatcher');
    if (dayOf(c.number) === dayOf(last.number)) {
      assert.equal(seqOf(c.number), seqOf(last.number) + 1, `after ${last.number} comes ${c.number}`);
    }
    assert.equal(c.id, last.id + 1);
  });

  // ---- idempotency ---------------------------------------------------------

  test('idempotency_sequential_retry_files_one_case_and_replays_it', async () => {
    const key = `retry-${uniqueName('k')}`;
    const before = await snapshot(ctx);
    const first = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx), { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
    assertStatus(first, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null, 'the first answer is no replay');
    for (let i = 0; i < 3; i++) {
      const again = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx), { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
      assertStatus(again, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.json.id, first.json.id);
      assert.equal(again.json.number, first.json.number);
    }
    // The same key with another body is a client error, not a replay: nothing is filed.
    const changed = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx, { description: '改过的描述' }),
      { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
    assertError(changed, 422, 'invalid_field', 'Idempotency-Key');
    // The same fields in another order are the same report.
    const reordered = Object.fromEntries(Object.entries(caseBody(ctx)).reverse());
    const again = await ctx.srv.api('POST', '/api/v1/cases', reordered,
      { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
    assertStatus(again, 201);
    assert.equal(again.json.id, first.json.id);
    const after = await snapshot(ctx);
    assert.equal(after.total, before.total + 1, 'one case filed');
    assert.equal((await getCase(ctx, first.json.id)).events.length, 1);
  });

  test('idempotency_10_concurrent_retries_file_one_case', async () => {
    const key = `burst-${uniqueName('k')}`;
    const before = await snapshot(ctx);
    const rs = await Promise.all(Array.from({ length: 10 }, () => ctx.srv.api('POST', '/api/v1/cases',
      caseBody(ctx, { category: 'SJ0103', source: 'grid_patrol' }), { token: ctx.tok.gridworker, headers: { 'idempotency-key': key } })));
    for (const r of rs) assertStatus(r, 201);
    assert.equal(new Set(rs.map((r) => r.json.id)).size, 1, 'all answers name one case');
    assert.equal(new Set(rs.map((r) => r.json.number)).size, 1);
    assert.equal(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 9, 'nine replays');
    const after = await snapshot(ctx);
    assert.equal(after.total, before.total + 1, 'one case filed');
    const c = await getCase(ctx, rs[0].json.id);
    assert.equal(c.status, 'dispatched');
    assert.equal(c.events.length, 3, 'its events written once');
    // The numbers stay contiguous: the losers' numbers were rolled back.
    const next = await file(ctx, 'dispatcher');
    if (dayOf(next.number) === dayOf(c.number)) assert.equal(seqOf(next.number), seqOf(c.number) + 1);
  });

  test('idempotency_the_same_key_from_another_user_files_another_case', async () => {
    const key = `shared-${uniqueName('k')}`;
    const before = await snapshot(ctx);
    const a = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx), { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
    const b = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx, { source: 'grid_patrol' }), { token: ctx.tok.gridworker, headers: { 'idempotency-key': key } });
    const p = await ctx.srv.api('POST', '/api/v1/public/cases', publicBody(ctx), { headers: { 'idempotency-key': key } });
    for (const r of [a, b, p]) {
      assertStatus(r, 201);
      assert.equal(r.headers.get('idempotent-replayed'), null);
    }
    assert.equal(new Set([a.json.id, b.json.id, p.json.id]).size, 3);
    // The same public reporter retrying is replayed.
    const p2 = await ctx.srv.api('POST', '/api/v1/public/cases', publicBody(ctx), { headers: { 'idempotency-key': key } });
    assertStatus(p2, 201);
    assert.equal(p2.headers.get('idempotent-replayed'), 'true');
    assert.equal(p2.json.id, p.json.id);
    assert.deepEqual(Object.keys(p2.json).sort(), ['deadline', 'department', 'id', 'number', 'status', 'units', 'version']);
    assert.equal((await snapshot(ctx)).total, before.total + 3);
  });

  test('idempotency_key_of_128_characters_is_accepted', async () => {
    const key = ('k' + uniqueName('x')).padEnd(128, 'Z');
    const a = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx), { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
    assertStatus(a, 201);
    const b = await ctx.srv.api('POST', '/api/v1/cases', caseBody(ctx), { token: ctx.tok.dispatcher, headers: { 'idempotency-key': key } });
    assert.equal(b.json.id, a.json.id);
  });

  // A request written byte by byte (for header bytes fetch refuses to send).
  function rawHttp(port, head, body) {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.concat([head, body])));
      const chunks = [];
      s.on('data', (d) => chunks.push(d));
      s.on('error', reject);
      s.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [headText, ...rest] = text.split('\r\n\r\n');
        const status = Number(headText.split(' ')[1]);
        const headers = new Headers();
        for (const line of headText.split('\r\n').slice(1)) {
          const i = line.indexOf(':');
          headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
        }
        const bodyText = rest.join('\r\n\r\n');
        let json = null;
        try { json = JSON.parse(bodyText); } catch { /* not JSON */ }
        resolve({ status, headers, text: bodyText, json });
      });
    });
  }

  const badKeys = [
    ['too_long_129', 'fetch', 'k'.repeat(129)],
    ['empty', 'fetch', ''],
    ['inner_space', 'fetch', 'abc def'],
    ['tab', 'node', 'abc\tdef'],
    ['latin1_byte', 'node', 'cl\u00e9'],
    ['control_0x01', 'socket', Buffer.from('ab\x01cd')],
    ['del_0x7f', 'socket', Buffer.from('ab\x7fcd')],
    ['utf8_bytes', 'socket', Buffer.from('键-key')],
  ];
  for (const [name, how, key] of badKeys) {
    for (const pub of [false, true]) {
      test(`idempotency_invalid_key_${name}${pub ? '_public' : ''}_is_400_and_nothing_is_stored`, async () => {
        const before = await snapshot(ctx);
        const path = pub ? '/api/v1/public/cases' : '/api/v1/cases';
        const body = JSON.stringify(pub ? publicBody(ctx) : caseBody(ctx));
        const auth = pub ? {} : { authorization: `Bearer ${ctx.tok.dispatcher}` };
        let r;
        if (how === 'fetch') {
          r = await ctx.srv.api('POST', path, undefined, { raw: body, headers: { ...JSON_CT, ...auth, 'idempotency-key': key } });
        } else if (how === 'node') {
          r = await rawRequest(ctx.srv, { method: 'POST', path, body, headers: { ...JSON_CT, ...auth, 'idempotency-key': key } });
        } else {
          const b = Buffer.from(body);
          const head = Buffer.concat([
            Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n`
              + (pub ? '' : `Authorization: Bearer ${ctx.tok.dispatcher}\r\n`) + `Content-Length: ${b.length}\r\nIdempotency-Key: `),
            key, Buffer.from('\r\n\r\n')]);
          r = await rawHttp(ctx.srv.port, head, b);
        }
        const e = assertError(r, 400, 'bad_request');
        assert.equal(e.field, 'Idempotency-Key');
        await assertNothingStored(ctx, before);
      });
    }
  }
});

// =============================================================================

describe('cases: guessing the four digits of a public case', () => {
  let ctx;
  before(async () => { ctx = await setup(); });
  after(async () => { await ctx?.srv.stop(); });

  test('public_follow_up_ten_wrong_phone4_block_that_number_for_a_while', async () => {
    const a = await filePublic(ctx, { phone: '13900005678' });
    const b = await filePublic(ctx, { phone: '13900005678' });
    const get = (number, phone4) => ctx.srv.api('GET', `/api/v1/public/cases/${number}?phone4=${phone4}`);
    for (let i = 0; i < 10; i++) assertError(await get(a.number, String(1000 + i)), 404, 'not_found');
    // Now even the right digits wait: the guesses are counted per case number.
    const blocked = await get(a.number, '5678');
    assertError(blocked, 429, 'too_many_attempts', 'phone4');
    const wait = Number(blocked.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 15 * 60, `Retry-After ${wait}`);
    assertError(await ctx.srv.api('POST', `/api/v1/public/cases/${a.number}/rating`,
      { phone4: '5678', rating: 'satisfied' }), 429, 'too_many_attempts');
    // Another case of the same reporter is not affected; a success there resets nothing for a.
    assertStatus(await get(b.number, '5678'), 200);
    assertError(await get(a.number, '5678'), 429, 'too_many_attempts');
  });

  test('public_follow_up_a_success_clears_the_count', async () => {
    const a = await filePublic(ctx, { phone: '13900006789' });
    const get = (phone4) => ctx.srv.api('GET', `/api/v1/public/cases/${a.number}?phone4=${phone4}`);
    for (let i = 0; i < 9; i++) assertError(await get(String(2000 + i)), 404, 'not_found');
    assertStatus(await get('6789'), 200);
    for (let i = 0; i < 9; i++) assertError(await get(String(3000 + i)), 404, 'not_found');
    assertStatus(await get('6789'), 200);
  });
});

// =============================================================================

describe('cases: the workflow', () => {
  let ctx;
  before(async () => {
    ctx = await setup();
    // A second department handler, in 住建局 (ZJJ).
    const username = uniqueName('handler2');
    const r = await ctx.srv.api('POST', '/api/v1/users', {
      username, name: '孙住建', password: 'correct-horse-42', roles: ['department_handler'],
      phone: '13903930099', scope: { department: ctx.dept.ZJJ },
    }, { token: ctx.tok.admin });
    assertStatus(r, 201);
    const l = await ctx.srv.api('POST', '/api/v1/auth/login', { username, password: 'correct-horse-42' });
    assertStatus(l, 200);
    ctx.tok.handler2 = l.json.token;
    ctx.name.handler2 = '孙住建';
  });
  after(async () => { await ctx?.srv.stop(); });

  // Public follow-up: everything a client may see, and nothing personal.
  async function publicGet(number, phone4) {
    return ctx.srv.api('GET', `/api/v1/public/cases/${encodeURIComponent(number)}?phone4=${encodeURIComponent(phone4)}`);
  }
  function assertNoPersonalData(text, extra = []) {
    const staff = [...Object.values(ctx.name), ...Object.keys(ctx.tok)].filter((s) => s !== 'admin');
    for (const s of [...staff, ...extra]) assert.ok(!text.includes(s), `public answer contains ${s}: ${text}`);
    assert.ok(!/(?<!\d)1\d{10}(?!\d)/.test(text), `a phone number in ${text}`);
    assert.ok(!text.includes('****'), 'a masked phone');
    assert.ok(!text.includes('"actor"') && !text.includes('"note"') && !text.includes('"reporter"'), text);
    assert.ok(!text.includes('system'), 'actor system');
  }

  test('flow_department_case_full_loop_with_public_follow_up_and_rating', async () => {
    const phone = '13955557788';
    const p = await filePublic(ctx, { phone, description: '楼下有人私搭乱建' });
    let c = await getCase(ctx, p.id);
    assert.equal(c.status, 'reported');
    // 立案: the category names CGJ, so the case goes straight on (系统派遣).
    c = await actOk(ctx, 'dispatcher', c, 'accept', { note: '情况属实' });
    assert.equal(c.status, 'dispatched');
    assert.equal(c.stage, 'handle');
    assert.equal(c.version, 3);
    assert.equal(c.department.code, 'CGJ');
    assert.deepEqual(c.events.slice(1).map((e) => [e.action, e.actor, e.from, e.to, e.note]), [
      ['accept', ctx.name.dispatcher, 'reported', 'accepted', '情况属实'],
      ['dispatch', 'system', 'accepted', 'dispatched', c.events[2].note],
    ]);
    assert.deepEqual(c.events[2].fields, { department: ctx.dept.CGJ });
    assert.ok(Date.parse(c.deadline) > Date.now(), 'handle deadline ahead');
    // 处置 by CGJ's handler: the result is required.
    const seenByHandler = await getCase(ctx, c.id, 'handler');
    assert.equal(seenByHandler.reporter.phone, '139****7788', 'masked for the handler');
    await refused(ctx, 'handler', c, 'handle', {}, 422, 'missing_field', 'result');
    await refused(ctx, 'handler', c, 'handle', { result: '' }, 422, 'missing_field', 'result');
    c = await actOk(ctx, 'handler', c, 'handle', { result: '已责令拆除,现场恢复原状' });
    assert.equal(c.status, 'handled');
    assert.equal(c.stage, 'verify');
    assert.equal(c.events.at(-1).note, '已责令拆除,现场恢复原状');
    // 核查 by the grid worker → 结案.
    c = await actOk(ctx, 'gridworker', c, 'verify', { passed: true });
    assert.equal(c.status, 'closed');
    assert.equal(c.stage, 'none');
    assert.equal(c.deadline, null);
    assert.ok(c.closed_at);
    assert.deepEqual(c.events.at(-1).fields, { passed: true });
    const closedAt = c.closed_at;

    // The reporter follows it with number + phone4.
    const f = await publicGet(p.number, '7788');
    assertStatus(f, 200);
    assert.equal(f.json.status, 'closed');
    assert.equal(f.json.number, p.number);
    assert.equal(f.json.closed_at, closedAt);
    assert.deepEqual(f.json.department, { name: c.department.name });
    assert.deepEqual(f.json.events.map((e) => [e.action, e.status]), [
      ['report', 'reported'], ['accept', 'accepted'], ['dispatch', 'dispatched'], ['handle', 'handled'], ['verify', 'closed'],
    ]);
    for (const e of f.json.events) {
      assert.deepEqual(Object.keys(e).sort(), ['action', 'at', 'status']);
      assert.ok(!Number.isNaN(Date.parse(e.at)));
    }
    assertNoPersonalData(f.text, ['已责令拆除', '情况属实', phone]);

    // Wrong phone4 and unknown number: the same 404.
    const wrong = await publicGet(p.number, '7789');
    const unknown = await publicGet('19990101-9999', '7788');
    const e1 = assertError(wrong, 404, 'not_found');
    const e2 = assertError(unknown, 404, 'not_found');
    assert.deepEqual(e1, e2, 'no hint whether the number exists');
    assertError(await ctx.srv.api('GET', `/api/v1/public/cases/${p.number}`), 400, 'bad_request', 'phone4');
    assertError(await publicGet(p.number, 'abcd'), 400, 'bad_request', 'phone4');
    assertError(await publicGet(p.number, '788'), 400, 'bad_request', 'phone4');

    // Rating: refused ones change nothing, then satisfied.
    const rate = (b) => ctx.srv.api('POST', `/api/v1/public/cases/${p.number}/rating`, b);
    const before = await getCase(ctx, c.id);
    assertError(await rate({ phone4: '0000', rating: 'satisfied' }), 404, 'not_found');
    assertError(await rate({ rating: 'satisfied' }), 400, 'bad_request', 'phone4');
    assertError(await rate({ phone4: '7788', rating: 'great' }), 422, 'invalid_field', 'rating');
    assertError(await rate({ phone4: '7788' }), 422, 'missing_field', 'rating');
    assertError(await rate({ phone4: '7788', rating: 'basic', comment: 'x'.repeat(501) }), 422, 'invalid_field', 'comment');
    assert.deepEqual(await getCase(ctx, c.id), before);
    const ok = await rate({ phone4: '7788', rating: 'satisfied', comment: '处理很及时' });
    assertStatus(ok, 200);
    assert.equal(ok.json.rating, 'satisfied');
    assert.equal(ok.json.status, 'closed');
    assertNoPersonalData(ok.text, ['已责令拆除', phone]);
    c = await getCase(ctx, c.id);
    assert.equal(c.rating, 'satisfied');
    assert.equal(c.status, 'closed');
    assert.equal(c.closed_at, closedAt, 'closing time kept');
    assert.equal(c.version, c.events.length);
    assert.deepEqual([c.events.at(-1).action, c.events.at(-1).actor, c.events.at(-1).note], ['rate', 'public', '处理很及时']);
    const f2 = await publicGet(p.number, '7788');
    assert.equal(f2.json.rating, 'satisfied');
    assert.equal(f2.json.events.at(-1).action, 'rate');
  });

  test('flow_grid_case_loop_by_grid_leader_and_worker_handler_is_403', async () => {
    // SJ0102 暴露垃圾 is handled in the grid; a resident's report waits for 立案.
    const p = await filePublic(ctx, { category: 'SJ0102', phone: '13955550001', description: '路口垃圾暴露' });
    let c = await getCase(ctx, p.id);
    assert.equal(c.route, 'grid');
    assert.equal(c.department, null);
    assertError(await ctx.srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: ctx.tok.handler }), 403, 'forbidden');
    await refused(ctx, 'handler', c, 'accept', {}, 403, 'forbidden');
    await refused(ctx, 'gridworker', c, 'accept', {}, 403, 'forbidden');
    c = await actOk(ctx, 'gridleader', c, 'accept');
    assert.equal(c.status, 'dispatched');
    assert.equal(c.route, 'grid');
    assert.deepEqual(c.events.slice(-1).map((e) => [e.action, e.actor]), [['dispatch', 'system']]);
    await refused(ctx, 'handler', c, 'handle', { result: '不归我管' }, 403, 'forbidden');
    await refused(ctx, 'dispatcher', c, 'handle', { result: '代为处置' }, 403, 'forbidden', 'action');
    c = await actOk(ctx, 'gridworker', c, 'handle', { result: '已清运' });
    assert.equal(c.status, 'handled');
    await refused(ctx, 'handler', c, 'verify', { passed: true }, 403, 'forbidden');
    c = await actOk(ctx, 'gridleader', c, 'verify', { passed: true });
    assert.equal(c.status, 'closed');
    // The grid leader also rejects in-grid reports; a second case.
    let d = await getCase(ctx, (await filePublic(ctx, { category: 'SJ0102', phone: '13955550002' })).id);
    await refused(ctx, 'gridleader', d, 'reject', {}, 422, 'missing_field', 'reason');
    d = await actOk(ctx, 'gridleader', d, 'reject', { reason: '重复上报' });
    assert.equal(d.status, 'rejected');
    // And the grid leader handles too.
    let g = await getCase(ctx, (await file(ctx, 'gridworker', { category: 'SJ0102', source: 'grid_patrol' })).id);
    g = await actOk(ctx, 'gridleader', g, 'handle', { result: '网格长处置' });
    assert.equal(g.status, 'handled');
  });

  test('flow_verify_not_passed_needs_a_note_and_sends_the_case_back', async () => {
    let c = await file(ctx, 'gridworker', { category: 'SJ0103', source: 'grid_patrol' });
    c = await actOk(ctx, 'handler', c, 'handle', { result: '已清理' });
    await refused(ctx, 'gridworker', c, 'verify', { passed: false }, 422, 'missing_field', 'note');
    await refused(ctx, 'gridworker', c, 'verify', { passed: false, note: '' }, 422, 'missing_field', 'note');
    await refused(ctx, 'gridworker', c, 'verify', {}, 422, 'missing_field', 'passed');
    await refused(ctx, 'gridworker', c, 'verify', { passed: 'no', note: 'x' }, 422, 'invalid_field', 'passed');
    c = await actOk(ctx, 'gridworker', c, 'verify', { passed: false, note: '仍有渣土未清' });
    assert.equal(c.status, 'dispatched');
    assert.equal(c.rework, 1);
    assert.equal(c.stage, 'handle');
    assert.ok(c.deadline);
    assert.equal(c.closed_at, null);
    assert.deepEqual(c.events.at(-1).fields, { passed: false });
    c = await actOk(ctx, 'handler', c, 'handle', { result: '已彻底清理' });
    c = await actOk(ctx, 'dispatcher', c, 'verify', { passed: false, note: '复核仍不合格' });
    assert.equal(c.rework, 2);
    c = await actOk(ctx, 'handler', c, 'handle', { result: '第三次清理' });
    c = await actOk(ctx, 'supervisor', c, 'verify', { passed: true });
    assert.equal(c.status, 'closed');
    assert.equal(c.rework, 2);
  });

  test('flow_unsatisfied_rating_reopens_the_case', async () => {
    const p = await filePublic(ctx, { category: 'SJ0103', phone: '13955554321' });
    let c = await getCase(ctx, p.id);
    const rate = (b) => ctx.srv.api('POST', `/api/v1/public/cases/${p.number}/rating`, { phone4: '4321', ...b });
    // Not before it is closed.
    let before = await getCase(ctx, c.id);
    assertError(await rate({ rating: 'satisfied' }), 409, 'conflict', 'rating');
    assert.deepEqual(await getCase(ctx, c.id), before);
    c = await actOk(ctx, 'dispatcher', c, 'accept');
    before = await getCase(ctx, c.id);
    assertError(await rate({ rating: 'unsatisfied' }), 409, 'conflict', 'rating');
    assert.deepEqual(await getCase(ctx, c.id), before);
    c = await actOk(ctx, 'handler', c, 'handle', { result: '已清理' });
    assertError(await rate({ rating: 'satisfied' }), 409, 'conflict', 'rating');
    c = await actOk(ctx, 'gridleader', c, 'verify', { passed: true });
    assert.ok(c.closed_at);
    const r = await rate({ rating: 'unsatisfied', comment: '根本没清理' });
    assertStatus(r, 200);
    assert.equal(r.json.status, 'dispatched');
    assert.equal(r.json.closed_at, null);
    c = await getCase(ctx, c.id);
    assert.equal(c.status, 'dispatched');
    assert.equal(c.rework, 1);
    assert.equal(c.closed_at, null);
    assert.equal(c.rating, 'unsatisfied');
    assert.equal(c.stage, 'handle');
    assert.ok(Date.parse(c.deadline) > Date.now());
    assert.deepEqual(c.events.at(-1).fields, { rating: 'unsatisfied' });
    // Reopened: no rating until closed again, neither by the public nor the dispatcher.
    assertError(await rate({ rating: 'satisfied' }), 409, 'conflict', 'rating');
    await refused(ctx, 'dispatcher', c, 'rate', { rating: 'basic' }, 409, 'conflict', 'action');
    c = await actOk(ctx, 'handler', c, 'handle', { result: '重新清理' });
    c = await actOk(ctx, 'gridworker', c, 'verify', { passed: true });
    // The dispatcher rates on the reporter's behalf (12345 回访).
    await refused(ctx, 'handler', c, 'rate', { rating: 'basic' }, 403, 'forbidden');
    c = await actOk(ctx, 'dispatcher', c, 'rate', { rating: 'basic', comment: '电话回访:基本满意' });
    assert.equal(c.status, 'closed');
    assert.equal(c.rating, 'basic');
    assert.equal(c.rework, 1);
  });

  test('flow_reject_needs_a_reason_then_only_comment_is_possible', async () => {
    let c = await file(ctx, 'dispatcher');
    await refused(ctx, 'dispatcher', c, 'reject', {}, 422, 'missing_field', 'reason');
    await refused(ctx, 'dispatcher', c, 'reject', { reason: '' }, 422, 'missing_field', 'reason');
    await refused(ctx, 'dispatcher', c, 'reject', { reason: 'x'.repeat(501) }, 422, 'invalid_field', 'reason');
    c = await actOk(ctx, 'dispatcher', c, 'reject', { reason: '不属于受理范围' });
    assert.equal(c.status, 'rejected');
    assert.equal(c.stage, 'none');
    assert.equal(c.deadline, null);
    assert.equal(c.events.at(-1).note, '不属于受理范围');
    const other = await file(ctx, 'dispatcher');
    const fieldsFor = {
      accept: {}, reject: { reason: '再次' }, dispatch: { department: ctx.dept.CGJ }, return: { reason: '退回' },
      request_extension: { deadline: '2099-01-01', reason: '延期' }, approve_extension: { approved: true },
      handle: { result: '处置' }, verify: { passed: true }, rate: { rating: 'satisfied' },
      supervise: { level: 'red' }, merge: { into: other.id },
    };
    for (const action of ACTIONS.filter((a) => a !== 'comment')) {
      const { e } = await refused(ctx, 'dispatcher', c, action, fieldsFor[action], 409, 'conflict', 'action');
      assert.deepEqual(e.allowed_actions, ['comment'], action);
      assert.equal(e.case.status, 'rejected');
      assert.equal(e.case.version, c.version);
    }
    c = await actOk(ctx, 'dispatcher', c, 'comment', { note: '已电话告知来电人' });
    assert.equal(c.status, 'rejected');
  });

  test('flow_return_then_dispatch_to_another_department', async () => {
    let c = await getCase(ctx, (await file(ctx, 'dispatcher', { category: 'SJ0101' })).id);
    await refused(ctx, 'handler2', c, 'comment', { note: '看看' }, 403, 'forbidden');
    c = await actOk(ctx, 'dispatcher', c, 'accept');
    assert.equal(c.department.code, 'CGJ');
    assertError(await ctx.srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: ctx.tok.handler2 }), 403, 'forbidden');
    await refused(ctx, 'handler2', c, 'return', { reason: '不是我们的' }, 403, 'forbidden');
    await refused(ctx, 'handler', c, 'return', {}, 422, 'missing_field', 'reason');
    await refused(ctx, 'dispatcher', c, 'return', { reason: '调度员不能退回' }, 403, 'forbidden', 'action');
    // Returned, then dispatched again with no department: back to the one it had.
    c = await actOk(ctx, 'handler', c, 'return', { reason: '请核实地址' });
    c = await actOk(ctx, 'dispatcher', c, 'dispatch', {});
    assert.equal(c.department.code, 'CGJ');
    assert.deepEqual(c.events.at(-1).fields, { department: ctx.dept.CGJ });
    c = await actOk(ctx, 'handler', c, 'return', { reason: '属于违规施工,应由住建局处置' });
    assert.equal(c.status, 'accepted');
    assert.equal(c.stage, 'dispatch');
    assert.equal(c.events.at(-1).note, '属于违规施工,应由住建局处置');
    // Dispatch: the department must exist.
    await refused(ctx, 'dispatcher', c, 'dispatch', { department: 9999 }, 422, 'invalid_field', 'department');
    await refused(ctx, 'dispatcher', c, 'dispatch', { department: 'ZJJ' }, 422, 'invalid_field', 'department');
    await refused(ctx, 'handler', c, 'dispatch', { department: ctx.dept.ZJJ }, 403, 'forbidden');
    c = await actOk(ctx, 'dispatcher', c, 'dispatch', { department: ctx.dept.ZJJ, note: '改派住建局' });
    assert.equal(c.status, 'dispatched');
    assert.equal(c.stage, 'handle');
    assert.equal(c.route, 'department');
    assert.equal(c.department.code, 'ZJJ');
    assert.deepEqual(c.events.at(-1).fields, { department: ctx.dept.ZJJ });
    // The new department sees and handles it.
    assert.equal((await getCase(ctx, c.id, 'handler2')).department.code, 'ZJJ');
    // The first department had it before: it still sees it (docs/WORKFLOW.md "now or before"),
    // may comment, but no longer act on it.
    const old = await ctx.srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: ctx.tok.handler });
    assertStatus(old, 200);
    await refused(ctx, 'handler', c, 'handle', { result: '我们已经不管了' }, 403, 'forbidden', 'action');
    await refused(ctx, 'handler', c, 'return', { reason: 'x' }, 403, 'forbidden', 'action');
    c = await actOk(ctx, 'handler', c, 'comment', { note: '移交资料已发住建局' });
    c = await actOk(ctx, 'handler2', c, 'handle', { result: '已责令停工整改' });
    assert.equal(c.status, 'handled');
    // A grid case dispatched to a department takes the department route.
    let g = await getCase(ctx, (await file(ctx, 'dispatcher', { category: 'SJ0102' })).id);
    assert.equal(g.route, 'grid');
    g = await actOk(ctx, 'dispatcher', g, 'accept');
    g = await actOk(ctx, 'gridleader', g, 'return', { reason: '需要部门处置' });
    g = await actOk(ctx, 'dispatcher', g, 'dispatch', { department: ctx.dept.CGJ });
    assert.equal(g.route, 'department');
    assert.equal(g.department.code, 'CGJ');
    await refused(ctx, 'gridworker', g, 'handle', { result: 'x' }, 403, 'forbidden', 'action');
    g = await actOk(ctx, 'handler', g, 'handle', { result: '城管已处置' });
  });

  test('flow_extension_request_and_approval_move_the_deadline', async () => {
    let c = await file(ctx, 'gridworker', { category: 'SJ0103', source: 'grid_patrol' });
    const deadline = Date.parse(c.deadline);
    const later = isoShanghai(deadline + 5 * 86400e3);
    await refused(ctx, 'handler', c, 'request_extension', { deadline: isoShanghai(deadline - 3600e3), reason: '人手不足' },
      422, 'invalid_field', 'deadline');
    await refused(ctx, 'handler', c, 'request_extension', { deadline: isoShanghai(deadline), reason: '人手不足' },
      422, 'invalid_field', 'deadline');
    await refused(ctx, 'handler', c, 'request_extension', { deadline: 'next week', reason: '人手不足' },
      422, 'invalid_field', 'deadline');
    await refused(ctx, 'handler', c, 'request_extension', { deadline: later }, 422, 'missing_field', 'reason');
    await refused(ctx, 'handler', c, 'request_extension', { reason: '人手不足' }, 422, 'missing_field', 'deadline');
    await refused(ctx, 'gridworker', c, 'request_extension', { deadline: later, reason: 'x' }, 403, 'forbidden');
    await refused(ctx, 'dispatcher', c, 'approve_extension', { approved: true }, 409, 'conflict', 'approved');
    c = await actOk(ctx, 'handler', c, 'request_extension', { deadline: later, reason: '需协调渣土车辆' });
    assert.equal(c.status, 'dispatched');
    assert.equal(Date.parse(c.extension_deadline), Date.parse(later));
    assert.equal(Date.parse(c.deadline), deadline, 'the deadline moves only when approved');
    assert.deepEqual(c.events.at(-1).fields, { deadline: later });
    // A second request while one is pending.
    const { e } = await refused(ctx, 'handler', c, 'request_extension',
      { deadline: isoShanghai(deadline + 9 * 86400e3), reason: '再延' }, 409, 'conflict', 'deadline');
    assert.ok(!e.allowed_actions.includes('request_extension'), 'not while one is pending');
    assert.ok(e.allowed_actions.includes('handle'));
    assert.equal(e.case.extension_deadline, c.extension_deadline);
    await refused(ctx, 'handler', c, 'approve_extension', { approved: true }, 403, 'forbidden');
    await refused(ctx, 'dispatcher', c, 'approve_extension', {}, 422, 'missing_field', 'approved');
    await refused(ctx, 'dispatcher', c, 'approve_extension', { approved: 'yes' }, 422, 'invalid_field', 'approved');
    c = await actOk(ctx, 'dispatcher', c, 'approve_extension', { approved: true, note: '同意' });
    assert.equal(Date.parse(c.deadline), Date.parse(later), 'deadline moved');
    assert.equal(c.extension_deadline, null);
    assert.equal(c.status, 'dispatched');
    // Refused: the deadline stays.
    const again = isoShanghai(Date.parse(later) + 2 * 86400e3);
    c = await actOk(ctx, 'handler', c, 'request_extension', { deadline: again, reason: '还需两天' });
    c = await actOk(ctx, 'dispatcher', c, 'approve_extension', { approved: false, note: '不同意' });
    assert.equal(Date.parse(c.deadline), Date.parse(later));
    assert.equal(c.extension_deadline, null);
    // A grid case: the grid leader asks.
    let g = await file(ctx, 'gridworker', { category: 'SJ0102', source: 'grid_patrol' });
    g = await actOk(ctx, 'gridleader', g, 'request_extension', { deadline: isoShanghai(Date.parse(g.deadline) + 86400e3), reason: '雨天' });
    assert.ok(g.extension_deadline);
  });

  test('flow_merge_into_another_case', async () => {
    let a = await file(ctx, 'dispatcher', { description: '重复上报 A' });
    const b = await file(ctx, 'dispatcher', { description: '原始上报 B' });
    await refused(ctx, 'dispatcher', a, 'merge', {}, 422, 'missing_field', 'into');
    await refused(ctx, 'dispatcher', a, 'merge', { into: a.id }, 422, 'invalid_field', 'into');
    await refused(ctx, 'dispatcher', a, 'merge', { into: 999999 }, 422, 'invalid_field', 'into');
    await refused(ctx, 'dispatcher', a, 'merge', { into: String(b.id) }, 422, 'invalid_field', 'into');
    await refused(ctx, 'handler', a, 'merge', { into: b.id }, 403, 'forbidden');
    a = await actOk(ctx, 'dispatcher', a, 'merge', { into: b.id, note: '同一问题' });
    assert.equal(a.status, 'rejected');
    assert.equal(a.merged_into, b.id);
    assert.deepEqual(a.events.at(-1).fields, { into: b.id });
    assert.equal((await getCase(ctx, b.id)).status, 'reported', 'the target is untouched');
    // Not into a rejected (or merged) case.
    const c = await file(ctx, 'dispatcher');
    await refused(ctx, 'dispatcher', c, 'merge', { into: a.id }, 422, 'invalid_field', 'into');
    // From accepted too, but not once dispatched.
    let d = await file(ctx, 'dispatcher', { category: 'SJ09', source: 'hotline' });
    d = await actOk(ctx, 'dispatcher', d, 'accept');
    assert.equal(d.status, 'dispatched', 'grid route: straight to the grid');
    await refused(ctx, 'dispatcher', d, 'merge', { into: b.id }, 409, 'conflict', 'action');
  });

  test('flow_supervise_by_supervisor_and_leader_and_comment_by_viewers', async () => {
    let c = await file(ctx, 'gridworker', { category: 'SJ0103', source: 'grid_patrol' });
    await refused(ctx, 'supervisor', c, 'supervise', {}, 422, 'missing_field', 'level');
    await refused(ctx, 'supervisor', c, 'supervise', { level: 'green' }, 422, 'invalid_field', 'level');
    await refused(ctx, 'dispatcher', c, 'supervise', { level: 'yellow' }, 403, 'forbidden', 'action');
    await refused(ctx, 'handler', c, 'supervise', { level: 'yellow' }, 403, 'forbidden', 'action');
    c = await actOk(ctx, 'supervisor', c, 'supervise', { level: 'yellow', note: '请加快处置' });
    assert.equal(c.supervision, 'yellow');
    assert.equal(c.status, 'dispatched');
    assert.deepEqual(c.events.at(-1).fields, { level: 'yellow' });
    c = await actOk(ctx, 'leader', c, 'supervise', { level: 'red', note: '红牌督办' });
    assert.equal(c.supervision, 'red');
    // Supervision stays through the next steps.
    c = await actOk(ctx, 'handler', c, 'handle', { result: '已处置' });
    assert.equal(c.supervision, 'red');
    c = await actOk(ctx, 'supervisor', c, 'verify', { passed: true });
    await refused(ctx, 'supervisor', c, 'supervise', { level: 'red' }, 409, 'conflict', 'action');
    // Comments: anyone who sees the case, with a note.
    for (const u of ['dispatcher', 'handler', 'gridworker', 'gridleader', 'leader', 'supervisor', 'admin']) {
      c = await actOk(ctx, u, c, 'comment', { note: `${u} 备注` });
      assert.equal(c.status, 'closed');
    }
    await refused(ctx, 'gridworker', c, 'comment', {}, 422, 'missing_field', 'note');
    await refused(ctx, 'gridworker', c, 'comment', { note: 'x'.repeat(2001) }, 422, 'invalid_field', 'note');
    await refused(ctx, 'handler2', c, 'comment', { note: '不可见' }, 403, 'forbidden');
  });

  test('flow_action_requests_malformed_are_refused_and_change_nothing', async () => {
    const c = await file(ctx, 'dispatcher');
    await refused(ctx, 'dispatcher', c, 'fly', {}, 422, 'invalid_field', 'action');
    const before = await getCase(ctx, c.id);
    const post = (b, id = c.id) => ctx.srv.api('POST', `/api/v1/cases/${id}/actions`, b, { token: ctx.tok.dispatcher });
    assertError(await post({ version: 1 }), 422, 'missing_field', 'action');
    assertError(await post({ action: 'accept' }), 422, 'missing_field', 'version');
    assertError(await post({ action: 'accept', version: '1' }), 422, 'missing_field', 'version');
    assertError(await post({ action: 'accept', version: 1 }, 999999), 404, 'not_found');
    assertError(await post({ action: 'accept', version: 1 }, 'abc'), 404, 'not_found');
    assertError(await ctx.srv.api('POST', `/api/v1/cases/${c.id}/actions`, undefined,
      { token: ctx.tok.dispatcher, raw: '{"action":"accept",', headers: JSON_CT }), 400, 'bad_json');
    assertError(await ctx.srv.api('POST', `/api/v1/cases/${c.id}/actions`, undefined,
      { token: ctx.tok.dispatcher, raw: 'action=accept&version=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    415, 'unsupported_media_type');
    assertError(await ctx.srv.api('POST', `/api/v1/cases/${c.id}/actions`, { action: 'accept', version: 1 }), 401, 'unauthenticated');
    assertError(await ctx.srv.api('GET', '/api/v1/cases/999999', undefined, { token: ctx.tok.dispatcher }), 404, 'not_found');
    assert.deepEqual(await getCase(ctx, c.id), before);
  });

  test('flow_stale_version_is_409_with_the_current_case_and_allowed_actions', async () => {
    const first = await file(ctx, 'dispatcher');
    const c = await actOk(ctx, 'dispatcher', first, 'accept'); // version 1 → 3
    const stale = { ...c, version: 1 };
    const expect = {
      dispatcher: ['comment'], // approve_extension only while an extension is pending
      handler: ['return', 'request_extension', 'handle', 'comment'],
      supervisor: ['supervise', 'comment'],
    };
    for (const [user, action, fields] of [['dispatcher', 'accept', {}], ['handler', 'handle', { result: '旧版本' }],
      ['supervisor', 'supervise', { level: 'yellow' }]]) {
      const { e } = await refused(ctx, user, stale, action, fields, 409, 'conflict', 'version');
      const current = await getCase(ctx, c.id, user);
      delete current.events;
      assert.deepEqual(e.case, current, 'error.case is the current case (as the user sees it)');
      assert.deepEqual(e.allowed_actions, expect[user], user);
    }
    // A race: five comments on the same version, one wins.
    const now = await getCase(ctx, c.id);
    const rs = await Promise.all(['dispatcher', 'handler', 'leader', 'supervisor', 'gridworker'].map((u) =>
      act(ctx, u, now, 'comment', { note: `${u} 抢先` })));
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
    for (const r of rs.filter((x) => x.status === 409)) {
      assert.equal(r.json.error.case.version, now.version + 1);
    }
    const after = await getCase(ctx, c.id);
    assert.equal(after.version, now.version + 1);
    assert.equal(after.events.length, after.version);
  });

  test('scope_403_outside_the_users_scope', async () => {
    // A case in another street's grid.
    let far = await getCase(ctx, (await file(ctx, 'dispatcher', {
      category: 'SJ0102', lat: ctx.far.point.lat, lon: ctx.far.point.lon,
    })).id);
    assert.equal(far.units.find((u) => u.level === 'grid').code, ctx.far.code);
    for (const u of ['gridworker', 'gridleader', 'handler', 'handler2']) {
      assertError(await ctx.srv.api('GET', `/api/v1/cases/${far.id}`, undefined, { token: ctx.tok[u] }), 403, 'forbidden');
      await refused(ctx, u, far, 'comment', { note: '越权' }, 403, 'forbidden');
    }
    await refused(ctx, 'gridleader', far, 'accept', {}, 403, 'forbidden');
    far = await actOk(ctx, 'dispatcher', far, 'accept');
    await refused(ctx, 'gridworker', far, 'handle', { result: '越权处置' }, 403, 'forbidden');
    // A department case of CGJ: ZJJ's handler is out.
    const mine = await file(ctx, 'gridworker', { category: 'SJ0103', source: 'grid_patrol' });
    assertError(await ctx.srv.api('GET', `/api/v1/cases/${mine.id}`, undefined, { token: ctx.tok.handler2 }), 403, 'forbidden');
    await refused(ctx, 'handler2', mine, 'handle', { result: '越权' }, 403, 'forbidden');
    // The dispatcher may not handle a department case.
    await refused(ctx, 'dispatcher', mine, 'handle', { result: '代办' }, 403, 'forbidden', 'action');
    // Leader and supervisor read everything but do not 立案.
    const rep = await file(ctx, 'dispatcher', { lat: ctx.far.point.lat, lon: ctx.far.point.lon });
    for (const u of ['leader', 'supervisor', 'admin']) {
      for (const id of [far.id, mine.id, rep.id]) {
        assertStatus(await ctx.srv.api('GET', `/api/v1/cases/${id}`, undefined, { token: ctx.tok[u] }), 200);
      }
      await refused(ctx, u, rep, 'accept', {}, 403, 'forbidden', 'action');
      await refused(ctx, u, rep, 'reject', { reason: 'x' }, 403, 'forbidden', 'action');
    }
    // The grid worker may not 立案 an in-grid case of its own grid either.
    const own = await file(ctx, 'dispatcher', { category: 'SJ0102' });
    await refused(ctx, 'gridworker', own, 'accept', {}, 403, 'forbidden', 'action');
  });
});

// =============================================================================

describe('cases: the list, its filters and scope', () => {
  let ctx;
  const made = {};
  before(async () => {
    ctx = await setup();
    const at = (p) => ({ lat: p.lat, lon: p.lon });
    // Seven cases over three grids, four departments / the grid route, several sources.
    made.hotline = await file(ctx, 'dispatcher', { category: 'SJ0101', source: 'hotline' });                 // CGJ, reported
    made.patrol = await file(ctx, 'gridworker', { category: 'SJ0103', source: 'grid_patrol' });              // CGJ, dispatched
    made.noise = await file(ctx, 'dispatcher', { category: 'SJ0109', source: 'enterprise', ...at(ctx.far.point) }); // STJ
    made.grid = await file(ctx, 'supervisor', { category: 'SJ0102', source: 'supervisor', ...at(ctx.neighbour.point) }); // grid, dispatched
    made.pollution = await file(ctx, 'dispatcher', { category: 'SJ0602', source: 'inspection' });           // STJ, not auto
    made.resident = await filePublic(ctx, { category: 'SJ0301' });                                           // ZJJ
    made.project = await file(ctx, 'dispatcher', { category: 'SJ0704', source: 'project', project: ctx.project, ...at(ctx.far.point) }); // ZWZX
    made.all = Object.values(made).map((c) => c.id);
  });
  after(async () => { await ctx?.srv.stop(); });

  async function list(query, user = 'dispatcher') {
    const r = await ctx.srv.api('GET', `/api/v1/cases${query ? `?${query}` : ''}`, undefined, { token: ctx.tok[user] });
    assertStatus(r, 200);
    return r.json;
  }
  const ids = (j) => j.items.map((i) => i.id).sort((a, b) => a - b);
  const sorted = (xs) => [...xs].sort((a, b) => a - b);

  test('list_items_have_the_documented_shape_newest_first', async () => {
    const j = await list('');
    assert.equal(j.total, 7);
    assert.equal(j.page, 1);
    assert.equal(j.per_page, 20);
    assert.deepEqual(j.items.map((i) => i.id), [...made.all].sort((a, b) => b - a));
    const it = j.items.find((i) => i.id === made.patrol.id);
    assert.deepEqual(Object.keys(it).sort(), ['category', 'created_at', 'deadline', 'department', 'grid', 'id', 'number',
      'overdue', 'rating', 'source', 'status', 'supervision', 'version'].sort());
    assert.deepEqual(it.category, { code: 'SJ0103', name: made.patrol.category.name });
    assert.equal(it.number, made.patrol.number);
    assert.equal(it.status, 'dispatched');
    assert.equal(it.grid, DEMO_GRID);
    assert.equal(it.department, made.patrol.department.name);
    assert.equal(it.version, 3);
    assert.equal(it.overdue, false);
    assert.equal(j.items.find((i) => i.id === made.grid.id).department, null);
  });

  test('list_filter_status_category_source_number', async () => {
    assert.deepEqual(ids(await list('status=dispatched')), sorted([made.patrol.id, made.grid.id]));
    assert.deepEqual(ids(await list('status=reported')), sorted([made.hotline.id, made.noise.id, made.pollution.id, made.resident.id, made.project.id]));
    assert.deepEqual(ids(await list('status=closed')), []);
    // A 大类 code matches its 小类.
    assert.deepEqual(ids(await list('category=SJ01')), sorted([made.hotline.id, made.patrol.id, made.noise.id, made.grid.id]));
    assert.deepEqual(ids(await list('category=SJ0101')), [made.hotline.id]);
    assert.deepEqual(ids(await list('category=SJ06')), [made.pollution.id]);
    assert.deepEqual(ids(await list('category=SJ99')), []);
    assert.deepEqual(ids(await list('source=enterprise')), [made.noise.id]);
    assert.deepEqual(ids(await list('source=resident')), [made.resident.id]);
    assert.deepEqual(ids(await list(`number=${made.project.number}`)), [made.project.id]);
    assert.deepEqual(ids(await list('number=19990101-0001')), []);
    assert.deepEqual(ids(await list('status=reported&category=SJ01&source=hotline')), [made.hotline.id]);
  });

  test('list_filter_unit_at_every_level_and_department', async () => {
    const demoGrid = [made.hotline.id, made.patrol.id, made.pollution.id, made.resident.id];
    assert.deepEqual(ids(await list(`unit=${DEMO_GRID}`)), sorted(demoGrid));
    assert.ok(ids(await list(`unit=${made.patrol.units[0].code}`)).includes(made.patrol.id), 'microgrid');
    assert.deepEqual(ids(await list(`unit=${DEMO_COMMUNITY}`)), sorted([...demoGrid, made.grid.id]));
    assert.deepEqual(ids(await list(`unit=${DEMO_STREET}`)), sorted([...demoGrid, made.grid.id]));
    assert.deepEqual(ids(await list(`unit=${ctx.neighbour.code}`)), [made.grid.id]);
    assert.deepEqual(ids(await list(`unit=${ctx.far.code}`)), sorted([made.noise.id, made.project.id]));
    assert.deepEqual(ids(await list(`unit=${ctx.far.community}`)), sorted([made.noise.id, made.project.id]));
    assert.deepEqual(ids(await list(`unit=${ctx.far.street}`)), sorted([made.noise.id, made.project.id]));
    assert.deepEqual(ids(await list(`unit=${ZONE}`)), sorted(made.all));
    assert.deepEqual(ids(await list('unit=410972999')), []);
    assert.deepEqual(ids(await list(`department=${ctx.dept.STJ}`)), sorted([made.noise.id, made.pollution.id]));
    assert.deepEqual(ids(await list(`department=${ctx.dept.CGJ}`)), sorted([made.hotline.id, made.patrol.id]));
    assert.deepEqual(ids(await list(`department=${ctx.dept.ZJJ}&unit=${DEMO_GRID}`)), [made.resident.id]);
  });

  test('list_filter_overdue_and_dates', async () => {
    assert.deepEqual(ids(await list('overdue=0')), sorted(made.all));
    assert.deepEqual(ids(await list('overdue=1')), []);
    const day = made.hotline.created_at.slice(0, 10); // Shanghai day
    const ms = Date.parse(`${day}T00:00:00+08:00`);
    const prev = isoShanghai(ms - 86400e3).slice(0, 10);
    const next = isoShanghai(ms + 86400e3).slice(0, 10);
    const lastDay = made.project.created_at.slice(0, 10);
    if (lastDay === day) {
      assert.deepEqual(ids(await list(`from=${day}&to=${day}`)), sorted(made.all));
      assert.deepEqual(ids(await list(`from=${day}`)), sorted(made.all));
      assert.deepEqual(ids(await list(`to=${day}`)), sorted(made.all));
      assert.deepEqual(ids(await list(`from=${next}`)), []);
      assert.deepEqual(ids(await list(`to=${prev}`)), []);
      assert.deepEqual(ids(await list(`from=${prev}&to=${next}`)), sorted(made.all));
    }
  });

  test('list_bad_parameters_are_400', async () => {
    for (const [q, field] of [['from=2026-13-01', 'from'], ['to=abc', 'to'], ['from=2026-02-30', 'from'],
      ['to=2026-11-22T10', 'to'], ['from=20261122', 'from'], ['status=open', 'status'], ['sort=oldest', 'sort'],
      ['overdue=2', 'overdue'], ['department=abc', 'department'], ['department=0', 'department'],
      ['per_page=0', 'per_page'], ['per_page=101', 'per_page'], ['page=0', 'page'], ['page=abc', 'page'],
      [`unit=${'1'.repeat(33)}`, 'unit']]) {
      const r = await ctx.srv.api('GET', `/api/v1/cases?${q}`, undefined, { token: ctx.tok.dispatcher });
      assertError(r, 400, 'bad_request', field);
    }
    assertError(await ctx.srv.api('GET', '/api/v1/cases?number=%FF', undefined, { token: ctx.tok.dispatcher }), 400, 'bad_encoding');
    assertError(await ctx.srv.api('GET', '/api/v1/cases'), 401, 'unauthenticated');
  });

  test('list_sort_deadline_and_paging', async () => {
    const j = await list('sort=deadline');
    const dl = j.items.map((i) => Date.parse(i.deadline));
    for (let k = 1; k < dl.length; k++) assert.ok(dl[k - 1] <= dl[k], `deadline order ${j.items.map((i) => i.deadline)}`);
    assert.equal(j.total, 7);
    const newest = (await list('sort=newest')).items.map((i) => i.id);
    assert.deepEqual(newest, [...made.all].sort((a, b) => b - a));
    // Pages of 3: 3 + 3 + 1, then empty pages with the same total.
    const seen = [];
    for (const page of [1, 2, 3]) {
      const p = await list(`per_page=3&page=${page}`);
      assert.equal(p.total, 7);
      assert.equal(p.page, page);
      assert.equal(p.per_page, 3);
      assert.equal(p.items.length, page < 3 ? 3 : 1);
      seen.push(...p.items.map((i) => i.id));
    }
    assert.deepEqual(seen, newest, 'pages cover all, in order, once');
    for (const page of [4, 1000]) {
      const p = await list(`per_page=3&page=${page}`);
      assert.deepEqual(p.items, []);
      assert.equal(p.total, 7);
    }
    const f = await list('status=reported&per_page=2&page=3');
    assert.equal(f.total, 5);
    assert.equal(f.items.length, 1);
    const d = await list('sort=deadline&per_page=2&page=2');
    assert.deepEqual(d.items.map((i) => i.id), j.items.slice(2, 4).map((i) => i.id));
  });

  test('list_scope_grid_staff_see_their_grid_handlers_their_department', async () => {
    const demoGrid = sorted([made.hotline.id, made.patrol.id, made.pollution.id, made.resident.id]);
    assert.deepEqual(ids(await list('', 'gridworker')), demoGrid);
    assert.equal((await list('', 'gridworker')).total, 4);
    assert.deepEqual(ids(await list('', 'gridleader')), demoGrid);
    // Filters narrow within the scope, never widen it.
    assert.deepEqual(ids(await list(`unit=${ctx.far.code}`, 'gridworker')), []);
    assert.deepEqual(ids(await list(`unit=${ZONE}`, 'gridworker')), demoGrid);
    assert.deepEqual(ids(await list(`number=${made.noise.number}`, 'gridworker')), []);
    assert.deepEqual(ids(await list('', 'handler')), sorted([made.hotline.id, made.patrol.id]));
    assert.deepEqual(ids(await list(`department=${ctx.dept.STJ}`, 'handler')), []);
    for (const u of ['leader', 'supervisor', 'admin', 'dispatcher']) {
      assert.deepEqual(ids(await list('', u)), sorted(made.all), u);
    }
    // Every listed case can be opened by the same user.
    for (const u of ['gridworker', 'handler']) {
      for (const id of ids(await list('', u))) {
        assertStatus(await ctx.srv.api('GET', `/api/v1/cases/${id}`, undefined, { token: ctx.tok[u] }), 200);
      }
    }
  });
});
