// Case photos: upload (staff and public) checked by content, content-addressed
// storage, attaching to a report and to actions, and serving only through a
// case the caller may see. Every refused request is followed by a read-back
// that finds nothing stored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus, loginAll } from './helpers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PHOTOS = join(HERE, '..', 'data', 'photos');
const FILES = {
  jpeg: readFileSync(join(PHOTOS, 'site.jpg')),
  png: readFileSync(join(PHOTOS, 'site.png')),
  webp: readFileSync(join(PHOTOS, 'site.webp')),
};
const DEMO_GRID = '410972060001001';
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

describe('photos', () => {
  let srv, tok, point, farPoint;
  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await loginAll(srv, ['dispatcher', 'handler', 'gridworker', 'gridleader']);
    point = (await srv.api('GET', `/api/v1/units/${DEMO_GRID}`, undefined, { token: tok.dispatcher })).json.point;
    const far = await srv.api('GET', '/api/v1/units?level=grid&q=410972101&per_page=1', undefined,
      { token: tok.dispatcher });
    farPoint = far.json.items[0].point;
  });
  after(() => srv?.stop());

  // POST raw bytes; the server decides the type by content.
  const upload = (bytes, { user, path = '/api/v1/photos', type = 'application/octet-stream' } = {}) =>
    fetch(`${srv.url}${path}`, {
      method: 'POST', body: bytes,
      headers: { 'content-type': type, ...(user ? { authorization: `Bearer ${tok[user]}` } : {}) },
    }).then(async (res) => {
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, text, json };
    });
  const caseCount = async () => (await srv.api('GET', '/api/v1/cases?per_page=1', undefined,
    { token: tok.dispatcher })).json.total;

  test('JPEG, PNG and WebP are recognised by their bytes, stored once per content', async () => {
    for (const [kind, bytes] of Object.entries(FILES)) {
      const r = await upload(bytes, { user: 'gridworker', type: 'text/plain' }); // the declared type is not trusted
      assertStatus(r, 201);
      assert.equal(r.json.id, sha256(bytes), 'the id is the SHA-256 of the content');
      assert.equal(r.json.mime, `image/${kind}`);
      assert.equal(r.json.size, bytes.length);
      assert.equal(r.json.width, 64);
      assert.equal(r.json.height, 48);
      const file = join(`${srv.db}.media`, r.json.id.slice(0, 2), r.json.id);
      assert.ok(existsSync(file), `stored as ${file}`);
      assert.deepEqual(readFileSync(file), bytes);
      const again = await upload(bytes, { path: '/api/v1/public/photos' });
      assertStatus(again, 201);
      assert.equal(again.json.id, r.json.id, 'the same bytes, the same photo');
    }
  });

  test('anything else is refused with its error and nothing is stored', async () => {
    const truncated = (b, n) => b.subarray(0, n);
    const cases = [
      [Buffer.from('just some text, not an image'), 415, 'unsupported_media_type'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 415, 'unsupported_media_type'],
      [Buffer.from('GIF89a\x01\x00\x01\x00'), 415, 'unsupported_media_type'],
      [truncated(FILES.png, 600), 422, 'invalid_field'],
      [truncated(FILES.jpeg, FILES.jpeg.length - 40), 422, 'invalid_field'],
      [truncated(FILES.webp, 300), 422, 'invalid_field'],
    ];
    for (const [bytes, status, code] of cases) {
      const r = await upload(bytes, { user: 'dispatcher', type: 'image/jpeg' });
      assertError(r, status, code, 'photo');
      assert.ok(!existsSync(join(`${srv.db}.media`, sha256(bytes).slice(0, 2), sha256(bytes))), 'no file kept');
    }
    const empty = await upload(Buffer.alloc(0), { user: 'dispatcher' });
    assertError(empty, 422, 'missing_field', 'photo');
    // 10 MiB + 1 byte: a JPEG start does not help.
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x41);
    FILES.jpeg.copy(big);
    assertError(await upload(big, { path: '/api/v1/public/photos' }), 413, 'payload_too_large');
    // Staff upload needs a session.
    assertError(await upload(FILES.jpeg), 401, 'unauthenticated');
  });

  test('a report carries its photos; they are served to those who may see the case', async () => {
    const jpg = (await upload(FILES.jpeg, { path: '/api/v1/public/photos' })).json.id;
    const png = (await upload(FILES.png, { path: '/api/v1/public/photos' })).json.id;
    const r = await srv.api('POST', '/api/v1/public/cases', {
      category: 'SJ0101', description: '路边私搭乱建,附现场照片', lat: point.lat, lon: point.lon,
      phone: '13800001234', photos: [jpg, png],
    });
    assertStatus(r, 201);
    const c = (await srv.api('GET', `/api/v1/cases/${r.json.id}`, undefined, { token: tok.gridworker })).json;
    assert.deepEqual(c.photos.map((p) => [p.id, p.mime, p.seq]), [[jpg, 'image/jpeg', 1], [png, 'image/png', 1]]);
    const res = await fetch(`${srv.url}/api/v1/cases/${c.id}/photos/${jpg}`,
      { headers: { authorization: `Bearer ${tok.gridworker}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), FILES.jpeg);
    // Not without a session, not on another case, not an id that is not attached.
    assert.equal((await fetch(`${srv.url}/api/v1/cases/${c.id}/photos/${jpg}`)).status, 401);
    const webp = (await upload(FILES.webp, { user: 'dispatcher' })).json.id;
    const notAttached = await srv.api('GET', `/api/v1/cases/${c.id}/photos/${webp}`, undefined,
      { token: tok.gridworker });
    assertError(notAttached, 404, 'not_found');
    assertError(await srv.api('GET', `/api/v1/cases/${c.id}/photos/not-a-hash`, undefined,
      { token: tok.gridworker }), 404, 'not_found');
  });

  test('a photo of a case outside the viewer\'s scope is not served', async () => {
    const jpg = (await upload(FILES.jpeg, { user: 'dispatcher' })).json.id;
    const r = await srv.api('POST', '/api/v1/cases', {
      category: 'SJ0101', description: '别的街道的事件', lat: farPoint.lat, lon: farPoint.lon, source: 'hotline',
      phone: '13900001111', photos: [jpg],
    }, { token: tok.dispatcher });
    assertStatus(r, 201);
    const url = `/api/v1/cases/${r.json.id}/photos/${jpg}`;
    assertStatus(await srv.api('GET', url, undefined, { token: tok.dispatcher }), 200);
    // The grid worker's grid is in another street: the same answer as for a photo that does not exist.
    assertError(await srv.api('GET', url, undefined, { token: tok.gridworker }), 404, 'not_found');
  });

  test('bad photo lists are refused and no case is filed', async () => {
    const before1 = await caseCount();
    const body = (photos) => ({
      category: 'SJ0101', description: '照片列表有误', lat: point.lat, lon: point.lon, phone: '13800001234', photos,
    });
    const valid = (await upload(FILES.png, { path: '/api/v1/public/photos' })).json.id;
    const bad = [
      ['a'.repeat(64)], // well-formed, never uploaded
      ['XYZ'],
      'not-an-array',
      [valid, valid],
      Array.from({ length: 10 }, (_, i) => i.toString(16).repeat(64).slice(0, 64)),
      [42],
    ];
    for (const photos of bad) {
      const r = await srv.api('POST', '/api/v1/public/cases', body(photos));
      assertError(r, 422, 'invalid_field', 'photos');
    }
    assert.equal(await caseCount(), before1, 'nothing filed');
  });

  test('handling and verifying attach photos to their events', async () => {
    const r = await srv.api('POST', '/api/v1/cases', {
      category: 'SJ0103', description: '积存渣土,需清运', lat: point.lat, lon: point.lon, source: 'grid_patrol',
    }, { token: tok.gridworker });
    assertStatus(r, 201);
    let c = (await srv.api('GET', `/api/v1/cases/${r.json.id}`, undefined, { token: tok.handler })).json;
    assert.equal(c.status, 'dispatched');
    const after1 = (await upload(FILES.webp, { user: 'handler' })).json.id;
    // An unknown photo refuses the whole action.
    const refused = await srv.api('POST', `/api/v1/cases/${c.id}/actions`,
      { action: 'handle', version: c.version, result: '已清运', photos: ['b'.repeat(64)] }, { token: tok.handler });
    assertError(refused, 422, 'invalid_field', 'photos');
    const same = (await srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: tok.handler })).json;
    assert.equal(same.version, c.version);
    assert.equal(same.status, 'dispatched');
    const h = await srv.api('POST', `/api/v1/cases/${c.id}/actions`,
      { action: 'handle', version: c.version, result: '已清运', photos: [after1] }, { token: tok.handler });
    assertStatus(h, 200);
    c = (await srv.api('GET', `/api/v1/cases/${c.id}`, undefined, { token: tok.handler })).json;
    const ev = c.events.find((e) => e.action === 'handle');
    assert.deepEqual(ev.fields.photos, [after1]);
    assert.deepEqual(c.photos.map((p) => [p.id, p.seq]), [[after1, ev.seq]]);
    const check = (await upload(FILES.jpeg, { user: 'gridworker' })).json.id;
    const v = await srv.api('POST', `/api/v1/cases/${c.id}/actions`,
      { action: 'verify', version: c.version, passed: true, photos: [check] }, { token: tok.gridworker });
    assertStatus(v, 200);
    assert.equal(v.json.status, 'closed');
    assert.deepEqual(v.json.photos.map((p) => p.id), [after1, check]);
  });
});
