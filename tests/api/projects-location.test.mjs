// Where a key project is: a point (WGS-84 or GCJ-02) located to the finest unit
// of the zone, stored with the project and shown with it; outside the zone is
// refused and nothing is stored; PATCH moves or clears it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

describe('project location', () => {
  let srv, tok, point;
  const api = (method, path, body) => srv.api(method, path, body, { token: tok });
  const base = (code) => ({ code, name: '定位项目', level: 'city', industry: '化工', total_investment: 100000000 });
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await srv.login('leader');
    point = (await api('GET', '/api/v1/units/410972060001001001')).json.point; // a micro-grid's label point
  });
  after(() => srv?.stop());

  test('a point is located to its unit and shown with the project', async () => {
    const c = await api('POST', '/api/v1/projects', { ...base('LOC-001'), lat: point.lat, lon: point.lon });
    assertStatus(c, 201);
    const p = (await api('GET', `/api/v1/projects/${c.json.id}`)).json;
    assert.equal(p.unit.code, '410972060001001001');
    assert.ok(p.unit.name.length > 0);
    assert.ok(Math.abs(p.location.lat - point.lat) < 1e-9 && Math.abs(p.location.lon - point.lon) < 1e-9);
    const listed = (await api('GET', '/api/v1/projects?q=LOC-001')).json.items[0];
    assert.deepEqual(listed.unit, p.unit);
    // The OC4IDS export carries it: the unit's name and a GeoJSON point (longitude first).
    const pkg = (await api('GET', '/api/v1/projects/export.oc4ids.json?q=LOC-001')).json;
    const where = pkg.projects[0].locations[0];
    assert.equal(where.description, p.unit.name);
    assert.equal(where.geometry.type, 'Point');
    assert.ok(Math.abs(where.geometry.coordinates[0] - point.lon) < 1e-9 && Math.abs(where.geometry.coordinates[1] - point.lat) < 1e-9);
    // The same place given in GCJ-02 (as a phone map reports it) lands in the same unit, stored as WGS-84.
    const g = await api('POST', '/api/v1/projects', { ...base('LOC-002'), lat: point.lat + 0.001, lon: point.lon + 0.0055,
      crs: 'gcj02' });
    assertStatus(g, 201);
    const gp = (await api('GET', `/api/v1/projects/${g.json.id}`)).json;
    assert.ok(Math.abs(gp.location.lat - point.lat) < 0.002 && Math.abs(gp.location.lon - point.lon) < 0.002,
      JSON.stringify(gp.location));
  });

  test('outside the zone, half a point or a bad crs is refused and nothing stored', async () => {
    assertError(await api('POST', '/api/v1/projects', { ...base('LOC-X1'), lat: 39.9, lon: 116.4 }), 422,
      'invalid_field', 'lat');
    assertError(await api('POST', '/api/v1/projects', { ...base('LOC-X2'), lat: point.lat }), 422, 'invalid_field', 'lat');
    assertError(await api('POST', '/api/v1/projects', { ...base('LOC-X3'), lat: point.lat, lon: point.lon, crs: 'bd09' }),
      422, 'invalid_field', 'crs');
    assertError(await api('POST', '/api/v1/projects', { ...base('LOC-X4'), unit: '410972060001001001' }), 422,
      'invalid_field', 'lat');
    assert.equal((await api('GET', '/api/v1/projects?q=LOC-X')).json.total, 0);
  });

  test('PATCH moves the project or clears its location', async () => {
    const c = await api('POST', '/api/v1/projects', base('LOC-003'));
    let p = (await api('GET', `/api/v1/projects/${c.json.id}`)).json;
    assert.equal(p.location, null);
    assert.equal(p.unit, null);
    const moved = await api('PATCH', `/api/v1/projects/${c.json.id}`, { version: p.version, lat: point.lat, lon: point.lon });
    assertStatus(moved, 200);
    assert.equal(moved.json.unit.code, '410972060001001001');
    const far = await api('PATCH', `/api/v1/projects/${c.json.id}`, { version: moved.json.version, lat: 30, lon: 120 });
    assertError(far, 422, 'invalid_field', 'lat');
    const cleared = await api('PATCH', `/api/v1/projects/${c.json.id}`, { version: moved.json.version, lat: null, lon: null });
    assertStatus(cleared, 200);
    assert.equal(cleared.json.location, null);
    assert.equal(cleared.json.unit, null);
  });
});
