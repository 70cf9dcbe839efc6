// Photos of a month's progress (月度完成投资的进展照片): uploaded like case
// photos, attached by PUT .../progress/{year}/{month} with "photos", listed
// with the month on the project, served to staff through the project, and a
// bad photo refuses the whole month (nothing stored).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../lib/server.mjs';
import { assertError, assertStatus } from './helpers.mjs';

const PHOTOS = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'photos');
const JPEG = readFileSync(join(PHOTOS, 'site.jpg'));
const PNG = readFileSync(join(PHOTOS, 'site.png'));
const WEBP = readFileSync(join(PHOTOS, 'site.webp'));

describe('project progress photos', () => {
  let srv, tok, id;
  const api = (method, path, body, token = tok) => srv.api(method, path, body, { token });
  const upload = async (bytes) => {
    const res = await fetch(`${srv.url}/api/v1/photos`, { method: 'POST', body: bytes,
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${tok}` } });
    assert.equal(res.status, 201);
    return (await res.json()).id;
  };
  const month = async (m) => (await api('GET', `/api/v1/projects/${id}?year=2025`)).json.progress
    .find((p) => p.year === 2025 && p.month === m);

  before(async () => {
    srv = await startServer({ demo: true, env: { ZONEGOV_OVERDUE_SCAN: '0' } });
    tok = await srv.login('leader');
    const c = await api('POST', '/api/v1/projects', { code: 'PH-001', name: '照片项目', level: 'city',
      industry: '化工', total_investment: 100000000 });
    id = c.json.id;
    assertStatus(await api('PUT', `/api/v1/projects/${id}/stage`, { stage: 'started', date: '2025-01-10' }), 200);
  });
  after(() => srv?.stop());

  test('a month carries its photos; they are served to staff through the project', async () => {
    const jpg = await upload(JPEG), png = await upload(PNG);
    assertStatus(await api('PUT', `/api/v1/projects/${id}/progress/2025/3`,
      { completed_investment: 5000000, note: '主体封顶', photos: [jpg, png] }), 200);
    const m = await month(3);
    assert.deepEqual(m.photos.map((p) => [p.id, p.mime]), [[jpg, 'image/jpeg'], [png, 'image/png']]);
    const grid = await srv.login('gridworker');
    const res = await fetch(`${srv.url}/api/v1/projects/${id}/photos/${jpg}`, { headers: { authorization: `Bearer ${grid}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), JPEG);
    assert.equal((await fetch(`${srv.url}/api/v1/projects/${id}/photos/${jpg}`)).status, 401);
    // A PUT without "photos" keeps them; with a list the month's photos become that list.
    assertStatus(await api('PUT', `/api/v1/projects/${id}/progress/2025/3`, { completed_investment: 6000000 }), 200);
    assert.equal((await month(3)).photos.length, 2);
    assertStatus(await api('PUT', `/api/v1/projects/${id}/progress/2025/3`,
      { completed_investment: 6000000, photos: [png] }), 200);
    assert.deepEqual((await month(3)).photos.map((p) => p.id), [png]);
    // The photo taken off is no longer served through the project.
    assertError(await api('GET', `/api/v1/projects/${id}/photos/${jpg}`), 404, 'not_found');
  });

  test('a bad photo refuses the month and stores nothing', async () => {
    const webp = await upload(WEBP);
    const never = 'a'.repeat(64);
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2025/4`,
      { completed_investment: 7000000, photos: [webp, never] }), 422, 'invalid_field', 'photos');
    assert.equal(await month(4), undefined, 'the month was not written');
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2025/4`,
      { completed_investment: 7000000, photos: 'not-a-list' }), 422, 'invalid_field', 'photos');
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2025/4`,
      { completed_investment: 7000000, photos: [webp, webp] }), 422, 'invalid_field', 'photos');
    assertError(await api('PUT', `/api/v1/projects/${id}/progress/2025/4`,
      { completed_investment: 7000000, photos: Array(10).fill(webp) }), 422, 'invalid_field', 'photos');
    assert.equal(await month(4), undefined);
    // Not attached to this project (or not a photo id at all): 404 alike.
    assertError(await api('GET', `/api/v1/projects/${id}/photos/${webp}`), 404, 'not_found');
    assertError(await api('GET', `/api/v1/projects/${id}/photos/x`), 404, 'not_found');
  });
});
