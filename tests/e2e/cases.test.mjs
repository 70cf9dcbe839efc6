// Browser test of the case pages (事件工单) and the public portal (随手拍)
// against a real zonegov server with the demo data:
//   node --test tests/e2e/
// Needs build/zonegov, build/web (scripts/build-web.sh build/web), node_modules
// (playwright-core) and Chromium at /usr/bin/chromium (override with
// CHROMIUM). Screenshots go to build/artifacts/e2e-cases-*.png and
// build/artifacts/e2e-public-*.png.
//
// One case goes round the whole loop: a resident reports it from a phone
// with a photo (占道经营, routed to 城市管理局 CGJ) at the demo grid's point,
// after a file that is no image was refused with the server's message; the
// dispatcher accepts it (the system dispatches it to CGJ); the demo handler
// (CGJ) handles it with a photo, after a stale version was refused with 409;
// the grid worker of that grid verifies it with a photo; the resident follows
// it with the number and the last four digits of the phone and rates it; the
// timeline shows each step and the photos beside the step that attached
// them, the gallery all three. Then staff file a case with a photo on 新建事件
// (a point outside the zone is refused under its field) and filter the list.
// The case page shows exactly the actions the server allows (allowed_actions).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { checkBuiltWeb, isApi, launchBrowser, logIn, mapPixel, newPage, pickPhotos, shot, text } from './browser.mjs';
import { startServer, ROOT } from '../lib/server.mjs';


const GRID = '410972060001001';            // 昆吾社区第1网格: gridleader + gridworker
const GRID_NAME = '昆吾社区第1网格';
const CATEGORY = { code: 'SJ0501', name: '占道经营', parent: '街面秩序' }; // department CGJ
const CGJ = '经开区城市管理局';
const PHONE = '13812345678';
const PHONE4 = PHONE.slice(-4);
const DESCRIPTION = '小区门口有流动摊贩占道经营，堵塞人行道，早晚高峰尤其严重。';
const RESULT = '已联合执法中队现场劝离摊贩，清理占道物品，恢复人行道通行。';
const OUTSIDE = { lat: 35.6, lon: 114.9 };  // west of the zone
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PHOTOS = join(ROOT, 'tests', 'data', 'photos');
const PHOTO = { jpg: join(PHOTOS, 'site.jpg'), png: join(PHOTOS, 'site.png'), webp: join(PHOTOS, 'site.webp') };

let srv;
let browser;
let grid;            // GET /units/{GRID}
let dispatcherToken;
const filed = {};    // the case going round the loop: { id, number }

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

const loginAs = (page, username) => logIn(page, srv, username);


// The [lat, lon] a MiniMap shows as its pin (data-point).
async function pinOf(page, testId) {
  const v = await page.locator(`[data-test=${testId}]`).getAttribute('data-point');
  return v ? v.split(',').map(Number) : null;
}

// Opens 我的待办 and the given tab; returns the tab's table locator.
async function openTodo(page, tab) {
  const [resp] = await Promise.all([
    page.waitForResponse(isApi('/api/v1/cases')),
    page.locator('[data-test=menu-cases-todo]').click(),
  ]);
  assert.equal(resp.status(), 200);
  await page.locator('[data-test=cases-todo]').waitFor();
  await page.locator(`[data-test=todo-tab-${tab}]`).click();
  return page.locator(`[data-test=todo-table-${tab}]`);
}

// Opens the case from a table by its number and waits for its page.
async function openFromTable(table, page, number) {
  const link = table.locator('[data-test=cell-number]', { hasText: number });
  await link.waitFor();
  const [resp] = await Promise.all([
    page.waitForResponse((r) => /^\/api\/v1\/cases\/\d+$/.test(new URL(r.url()).pathname) && r.request().method() === 'GET'),
    link.click(),
  ]);
  assert.equal(resp.status(), 200);
  await page.locator('[data-test=case-number]', { hasText: number }).waitFor();
  return resp.json();
}


// The photos a timeline event shows (their ids), and whether each image loaded.
async function timelinePhotos(page, action) {
  const item = page.locator(`[data-test=timeline] [data-test=timeline-item][data-action=${action}]`);
  await item.locator('[data-test=timeline-photo] img').first().waitFor();
  return item.locator('[data-test=timeline-photo]').evaluateAll((els) => els.map((e) => {
    const img = e.querySelector('img');
    return { id: e.dataset.id, loaded: !!img && img.complete && img.naturalWidth > 0 };
  }));
}

async function actionsShown(page) {
  const ids = await page.locator('[data-test=case-actions] [data-test^=action-]').evaluateAll((els) => els.map((e) => e.dataset.test));
  return ids.map((s) => s.replace(/^action-/, ''));
}

// Opens an action's dialog, lets fill() fill it, submits; returns the response.
async function act(page, action, fill) {
  await page.locator(`[data-test=action-${action}]`).click();
  const dialog = page.locator(`.case-dialog[data-action=${action}]`);
  await dialog.waitFor();
  if (fill) await fill(dialog);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => /^\/api\/v1\/cases\/\d+\/actions$/.test(new URL(r.url()).pathname)),
    dialog.locator('[data-test=action-submit]').click(),
  ]);
  return resp;
}

async function timelineActions(page) {
  return page.locator('[data-test=timeline] [data-test=timeline-item]').evaluateAll((els) => els.map((e) => e.dataset.action));
}

before(async () => {
  checkBuiltWeb();
  srv = await startServer();
  dispatcherToken = await srv.login('dispatcher');
  const r = await srv.api('GET', `/api/v1/units/${GRID}`, undefined, { token: dispatcherToken });
  assert.equal(r.status, 200, r.text);
  grid = r.json;
  assert.equal(grid.name, GRID_NAME);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

describe('cases: one report round the loop', () => {
  it('public: a resident reports from a phone and gets the case number', async () => {
    const { context, page, problems } = await newPage(browser, { phone: true });
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url });
      await page.goto(srv.url + '/public/');
      await page.locator('[data-test=public-page]').waitFor();
      await page.locator('[data-test=public-map][data-ready]').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.equal(await text(page, '[data-test=public-title]'), '经开区随手拍');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling on a phone');
      // A phone is offered the camera and the album.
      const picker = page.locator('[data-test=public-photos]');
      await picker.locator('[data-test=photo-camera]').waitFor();
      await picker.locator('[data-test=photo-add]', { hasText: '相册' }).waitFor();
      assert.equal(await picker.locator('[data-test=photo-camera-input]').getAttribute('capture'), 'environment');
      assert.equal(await picker.locator('[data-test=photo-input]').getAttribute('accept'), 'image/jpeg,image/png,image/webp');

      // Nothing is sent while the form is incomplete.
      let posts = 0;
      page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/public/cases' && r.method() === 'POST') posts++; });
      await page.locator('[data-test=public-submit]').click();
      await page.locator('.pub-form .el-form-item__error').first().waitFor();
      assert.ok(await page.locator('.pub-form .el-form-item__error').count() >= 4, 'category, description, location, phone');
      assert.equal(posts, 0);

      // 问题类型: 街面秩序 → 占道经营.
      await page.locator('[data-test=public-category]').click();
      await page.locator('.pub-cascader .el-cascader-node', { hasText: CATEGORY.parent }).click();
      await page.locator('.pub-cascader .el-cascader-node', { hasText: new RegExp(`^${CATEGORY.name}$`) }).click();
      await page.locator('.pub-cascader').waitFor({ state: 'hidden' });
      await page.locator('[data-test=public-description]').fill(DESCRIPTION);

      // The point: a tap on the map at the demo grid's point (WGS-84).
      const px = await mapPixel(page, '__zgPublicMap', grid.point, 16);
      await page.mouse.click(px.x, px.y);
      await page.locator('[data-test=public-point]', { hasText: 'WGS-84' }).waitFor();
      const [lat, lon] = await pinOf(page, 'public-map');
      assert.ok(Math.abs(lat - grid.point.lat) < 2e-5 && Math.abs(lon - grid.point.lon) < 2e-5, `pin at ${lat},${lon}`);

      await page.locator('[data-test=public-phone]').fill(PHONE);

      // 现场照片: a file that is no image is refused with the server's message (in the language shown) …
      const [bad] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/public/photos', 'POST')),
        picker.locator('[data-test=photo-input]').setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是照片') }),
      ]);
      assert.equal(bad.status(), 415);
      const badError = (await bad.json()).error;
      await picker.locator('[data-test=photo-item][data-status=error]').waitFor();
      assert.equal(await text(page, '[data-test=public-photos] [data-test=photo-error-message]'), badError.message);
      assert.match(await text(page, '[data-test=public-photos] [data-test=photo-error]'), /说明\.txt/);
      await page.locator('[data-test=public-lang]').click();
      await picker.locator('[data-test=photo-error-message]', { hasText: badError.message_en }).waitFor();
      await page.locator('[data-test=public-lang]').click();
      await picker.locator('[data-test=photo-error-message]', { hasText: badError.message }).waitFor();
      await picker.locator('[data-test=photo-item][data-status=error] [data-test=photo-remove]').click();
      await picker.locator('[data-test=photo-error]').waitFor({ state: 'detached' });
      // … and a photo goes up at once, shown as a thumbnail.
      const [photo] = await pickPhotos(page, 'public-photos', [PHOTO.jpg], '/api/v1/public/photos');
      assert.equal(photo.mime, 'image/jpeg');
      assert.equal(await picker.locator('[data-test=photo-item]').count(), 1);
      assert.equal(await picker.locator('[data-test=photo-item]').getAttribute('data-id'), photo.id);
      assert.match(await text(page, '[data-test=public-photos] [data-test=photo-hint]'), /已选 1\/9 张/);
      filed.reportPhoto = photo.id;

      await page.locator('[data-test=public-manual-toggle]').click();
      await page.locator('[data-test=public-manual]').waitFor();
      assert.match(await text(page, '[data-test=public-manual]'), /GCJ-02/);
      await page.locator('[data-test=public-manual-toggle]').click();
      await page.locator('[data-test=public-page]').evaluate(() => window.scrollTo(0, 0));
      await shot(page, 'public-report', { fullPage: true });

      // A double tap on 提交 files one case.
      const responses = [];
      page.on('response', (r) => { if (isApi('/api/v1/public/cases', 'POST')(r)) responses.push(r); });
      await page.locator('[data-test=public-submit]').dblclick();
      await page.locator('[data-test=public-case-number]').waitFor();
      assert.ok(responses.length >= 1);
      const bodies = [];
      for (const r of responses) {
        assert.equal(r.status(), 201, await r.text());
        assert.match(r.request().headers()['idempotency-key'], UUID);
        bodies.push(await r.json());
      }
      const created = bodies[0];
      for (const b of bodies) assert.equal(b.number, created.number, 'a repeated request answers with the same case');
      assert.deepEqual(JSON.parse(responses[0].request().postData()), {
        category: CATEGORY.code, description: DESCRIPTION, lat, lon, crs: 'wgs84', phone: PHONE, anonymous: false,
        photos: [photo.id],
      });
      assert.equal(created.status, 'reported');
      assert.equal(created.department.name, CGJ);
      assert.ok(created.units.some((u) => u.code === GRID), 'located in the demo grid');
      assert.ok(!('reporter' in created) && !JSON.stringify(created).includes(PHONE), 'no personal data in the answer');
      const list = await srv.api('GET', '/api/v1/cases', undefined, { token: dispatcherToken });
      assert.equal(list.json.total, 1, 'one case filed');
      Object.assign(filed, { id: created.id, number: created.number });

      // The number, big, with a copy button.
      assert.equal(await text(page, '[data-test=public-case-number]'), created.number);
      const size = await page.locator('[data-test=public-case-number]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(size >= 28, `the number is big (${size}px)`);
      assert.match(await text(page, '[data-test=public-done]'), new RegExp(CGJ));
      assert.equal(await text(page, '[data-test=public-done-photos]'), '已附 1 张照片');
      assert.ok(!(await text(page, '[data-test=public-page]')).includes(PHONE), 'the page shows no phone');
      await shot(page, 'public-done', { fullPage: true });
      await page.locator('[data-test=public-copy]').click();
      await page.locator('[data-test=public-copy]', { hasText: '已复制' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), created.number);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('dispatcher: finds it in 待受理 and accepts it; the system dispatches it to the department', async () => {
    assert.ok(filed.id, 'the resident filed a case');
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      // 事件工单 is no longer a coming-soon module on the dashboard.
      await page.locator('[data-test=module-events]', { hasText: '事件工单' }).waitFor();
      assert.equal(await page.locator('[data-test=module-events] .module-tile__tag').count(), 0);
      const table = await openTodo(page, 'toAccept');
      await table.locator('[data-test=cell-number]', { hasText: filed.number }).waitFor();
      assert.match(await text(page, '[data-test=todo-tab-toAccept]'), /待受理\s*1/);
      const row = table.locator('.el-table__body-wrapper tr', { hasText: filed.number });
      assert.match(await row.innerText(), /占道经营[\s\S]*已上报[\s\S]*群众上报[\s\S]*经开区城市管理局[\s\S]*剩余/);
      await shot(page, 'cases-todo');

      const c = await openFromTable(table, page, filed.number);
      assert.equal(c.status, 'reported');
      assert.match(page.url(), new RegExp(`#/cases/${filed.id}$`));
      assert.match(await text(page, '[data-test=breadcrumb]'), /事件工单\s*\/\s*事件查询\s*\/\s*事件详情/);
      assert.equal(await text(page, '[data-test=case-head] [data-test=case-status]'), '已上报');
      assert.equal(await text(page, '[data-test=case-category]'), CATEGORY.name);
      assert.equal(await text(page, '[data-test=case-source]'), '群众上报');
      assert.equal(await text(page, '[data-test=case-reporter]'), PHONE, 'dispatchers see the whole phone');
      assert.equal(await text(page, '[data-test=case-description]'), DESCRIPTION);
      assert.equal(await text(page, '[data-test=case-department]'), CGJ);
      await page.locator(`[data-test=case-unit][data-code="${GRID}"]`).waitFor();
      assert.match(await text(page, '[data-test=case-units]'), /昆吾社区第1网格[\s\S]*昆吾社区[\s\S]*昆吾街道/);
      const [plat, plon] = await pinOf(page, 'case-map');
      assert.ok(Math.abs(plat - c.lat) < 1e-6 && Math.abs(plon - c.lon) < 1e-6, 'the map shows the case point');
      assert.deepEqual(c.allowed_actions, ['accept', 'reject', 'merge', 'comment']);
      assert.deepEqual(await actionsShown(page), c.allowed_actions, 'the actions the server allows');
      // The resident's photo: in the gallery and beside the report in the timeline, loaded with the session cookie.
      assert.deepEqual(c.photos.map((p) => [p.id, p.seq]), [[filed.reportPhoto, 1]]);
      assert.deepEqual(await timelinePhotos(page, 'report'), [{ id: filed.reportPhoto, loaded: true }]);
      await page.locator(`[data-test=case-gallery] [data-test=gallery-photo][data-id="${filed.reportPhoto}"]`).waitFor();
      assert.match(await text(page, '[data-test=case-gallery]'), /上报/);
      await shot(page, 'cases-detail-reported');

      const resp = await act(page, 'accept', async (d) => {
        await d.locator('[data-test=form-note]').fill('经核实情况属实，予以立案。');
      });
      assert.equal(resp.status(), 200, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()), { action: 'accept', version: 1, note: '经核实情况属实，予以立案。' });
      await page.locator('[data-test=case-head] [data-test=case-status]', { hasText: '已派遣' }).waitFor();
      assert.deepEqual(await timelineActions(page), ['report', 'accept', 'dispatch']);
      assert.match(await text(page, '[data-test=timeline] [data-action=dispatch]'), /派遣[\s\S]*系统[\s\S]*自动派遣至责任部门/);
      assert.deepEqual(await actionsShown(page), ['comment'], 'nothing more for the dispatcher while it is with the department');
      assert.deepEqual((await resp.json()).allowed_actions, ['comment']);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('handler: a stale version is refused with 409 and the page catches up; then the case is handled', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'handler');
      const table = await openTodo(page, 'toHandle');
      const c = await openFromTable(table, page, filed.number);
      assert.equal(c.status, 'dispatched');
      assert.equal(await text(page, '[data-test=case-reporter]'), '138****5678', 'other staff see the phone masked');
      assert.deepEqual(await actionsShown(page), ['handle', 'request_extension', 'return', 'comment']);
      assert.deepEqual([...c.allowed_actions].sort(), ['comment', 'handle', 'request_extension', 'return']);

      // Meanwhile the dispatcher adds a note: the page's version is stale.
      const note = await srv.api('POST', `/api/v1/cases/${filed.id}/actions`,
        { action: 'comment', version: c.version, note: '请尽快处置，群众反映强烈。' }, { token: dispatcherToken });
      assert.equal(note.status, 200, note.text);

      // Client-side check first: the result is required.
      await page.locator('[data-test=action-handle]').click();
      const dialog = page.locator('.case-dialog[data-action=handle]');
      await dialog.waitFor();
      await dialog.locator('[data-test=action-submit]').click();
      await dialog.locator('.el-form-item__error', { hasText: '处置结果' }).waitFor();
      await dialog.locator('[data-test=action-cancel]').click();
      await dialog.waitFor({ state: 'hidden' });

      const [stale, reload] = await Promise.all([
        act(page, 'handle', async (d) => { await d.locator('[data-test=form-result]').fill(RESULT); }),
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/cases/${filed.id}` && r.request().method() === 'GET'),
      ]);
      assert.equal(stale.status(), 409);
      assert.equal(JSON.parse(stale.request().postData()).version, c.version);
      const conflict = (await stale.json()).error;
      assert.equal(conflict.case.version, c.version + 1);
      assert.deepEqual(conflict.allowed_actions, ['return', 'request_extension', 'handle', 'comment']);
      assert.equal(reload.status(), 200);
      await page.locator('[data-test=case-alert]', { hasText: conflict.message }).waitFor();
      await page.locator('[data-test=case-version]', { hasText: String(c.version + 1) }).waitFor();
      await page.locator('[data-test=timeline] [data-action=comment]', { hasText: '请尽快处置' }).waitFor();
      await shot(page, 'cases-conflict');

      let handlePhoto;
      const resp = await act(page, 'handle', async (d) => {
        await d.locator('[data-test=form-result]').fill(RESULT);
        [handlePhoto] = await pickPhotos(page, 'form-photos', [PHOTO.png], '/api/v1/photos');
        assert.equal(handlePhoto.mime, 'image/png');
        await shot(page, 'cases-handle-dialog');
      });
      assert.equal(resp.status(), 200, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()),
        { action: 'handle', version: c.version + 1, result: RESULT, photos: [handlePhoto.id] });
      await page.locator('[data-test=case-head] [data-test=case-status]', { hasText: '已处置' }).waitFor();
      assert.equal(await page.locator('[data-test=case-alert]').count(), 0, 'the conflict message goes once the action succeeds');
      assert.match(await text(page, '[data-test=timeline] [data-action=handle]'), new RegExp(RESULT));
      assert.deepEqual(await timelinePhotos(page, 'handle'), [{ id: handlePhoto.id, loaded: true }]);
      assert.equal(await page.locator('[data-test=case-gallery] [data-test=gallery-photo]').count(), 2);
      filed.handlePhoto = handlePhoto.id;
      assert.deepEqual(await actionsShown(page), ['comment']);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('grid worker: verifies the result (a failed check needs a note)', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'gridworker');
      const table = await openTodo(page, 'toVerify');
      const c = await openFromTable(table, page, filed.number);
      assert.equal(c.status, 'handled');
      assert.equal(await text(page, '[data-test=case-reporter]'), '138****5678');
      assert.deepEqual(await actionsShown(page), ['verify', 'comment']);

      await page.locator('[data-test=action-verify]').click();
      const dialog = page.locator('.case-dialog[data-action=verify]');
      await dialog.waitFor();
      await dialog.locator('[data-test=form-passed-no]').click();
      await dialog.locator('[data-test=action-submit]').click();
      await dialog.locator('.el-form-item__error', { hasText: '备注' }).waitFor();
      await dialog.locator('[data-test=form-passed-yes]').click();
      await dialog.locator('[data-test=form-note]').fill('现场复核，人行道已畅通。');
      const [verifyPhoto] = await pickPhotos(page, 'form-photos', [PHOTO.webp], '/api/v1/photos');
      assert.equal(verifyPhoto.mime, 'image/webp');
      filed.verifyPhoto = verifyPhoto.id;
      await shot(page, 'cases-verify-dialog');
      const [resp] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/cases/${filed.id}/actions`, 'POST')),
        dialog.locator('[data-test=action-submit]').click(),
      ]);
      assert.equal(resp.status(), 200, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()),
        { action: 'verify', version: c.version, passed: true, note: '现场复核，人行道已畅通。', photos: [verifyPhoto.id] });
      await page.locator('[data-test=case-head] [data-test=case-status]', { hasText: '已结案' }).waitFor();
      assert.match(await text(page, '[data-test=timeline] [data-action=verify]'), /核查[\s\S]*刘网格员[\s\S]*已处置[\s\S]*已结案[\s\S]*通过/);
      assert.deepEqual(await timelinePhotos(page, 'verify'), [{ id: verifyPhoto.id, loaded: true }]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('public: the resident follows the case with number + phone4 and rates it', async () => {
    const { context, page, problems } = await newPage(browser, { phone: true });
    try {
      await page.goto(srv.url + '/public/');
      await page.locator('[data-test=public-page]').waitFor();
      await page.locator('[data-test=public-tab-query]').click();
      await page.locator('[data-test=public-query-number]').fill(filed.number);

      // A wrong phone4 gets the server's answer.
      await page.locator('[data-test=public-query-phone4]').fill('0000');
      const [miss] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/public/cases/${filed.number}`),
        page.locator('[data-test=public-query-submit]').click(),
      ]);
      assert.equal(miss.status(), 404);
      await page.locator('[data-test=public-query-error]', { hasText: (await miss.json()).error.message }).waitFor();

      await page.locator('[data-test=public-query-phone4]').fill(PHONE4);
      const [hit] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/public/cases/${filed.number}`),
        page.locator('[data-test=public-query-submit]').click(),
      ]);
      assert.equal(hit.status(), 200);
      assert.equal(new URL(hit.url()).searchParams.get('phone4'), PHONE4);
      const pub = await hit.json();
      assert.equal(pub.status, 'closed');
      await page.locator('[data-test=public-result]').waitFor();
      assert.equal(await text(page, '[data-test=public-result-status]'), '已结案');
      assert.equal(await text(page, '[data-test=public-result-category]'), CATEGORY.name);
      assert.equal(await text(page, '[data-test=public-result-units]'), '昆吾街道 › 昆吾社区 › 昆吾社区第1网格');
      assert.equal(await text(page, '[data-test=public-result-department]'), CGJ);
      const steps = await page.locator('[data-test=public-timeline-item]').evaluateAll((els) => els.map((e) => e.dataset.action));
      assert.deepEqual(steps, ['verify', 'handle', 'dispatch', 'accept', 'report'], 'the steps, newest first, without internal notes');
      const shown = await text(page, '[data-test=public-page]');
      for (const secret of [PHONE, '张处置', '刘网格员', '李受理', RESULT]) assert.ok(!shown.includes(secret), `no ${secret} on the public page`);

      await page.locator('[data-test=public-rate]').waitFor();
      await page.locator('[data-test=public-rate-satisfied]').click();
      await page.locator('[data-test=public-rate-comment]').fill('处理及时，很满意！');
      await shot(page, 'public-rate', { fullPage: true });
      const [rated] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/public/cases/${filed.number}/rating`, 'POST')),
        page.locator('[data-test=public-rate-submit]').click(),
      ]);
      assert.equal(rated.status(), 200, await rated.text());
      assert.deepEqual(JSON.parse(rated.request().postData()), { phone4: PHONE4, rating: 'satisfied', comment: '处理及时，很满意！' });
      await page.locator('[data-test=public-rated]', { hasText: '感谢您的评价' }).waitFor();
      assert.equal(await text(page, '[data-test=public-result-rating]'), '满意');
      assert.equal(await page.locator('[data-test=public-rate]').count(), 0, 'rated once');
      await shot(page, 'public-rated', { fullPage: true });

      // English.
      await page.locator('[data-test=public-lang]').click();
      await page.locator('[data-test=public-title]', { hasText: 'Report a Problem' }).waitFor();
      assert.equal(await text(page, '[data-test=public-result-status]'), 'Closed');
      assert.equal(await text(page, '[data-test=public-result-rating]'), 'Satisfied');
      await shot(page, 'public-english');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the timeline shows every step, in Chinese and in English', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      await page.goto(`${srv.url}/#/cases/${filed.id}`);
      await page.locator('[data-test=case-number]', { hasText: filed.number }).waitFor();
      await page.locator('[data-test=timeline] [data-action=rate]').waitFor();
      assert.deepEqual(await timelineActions(page), ['report', 'accept', 'dispatch', 'comment', 'handle', 'verify', 'rate']);
      const items = await page.locator('[data-test=timeline] [data-test=timeline-item]').allInnerTexts();
      assert.match(items[0], /上报[\s\S]*群众[\s\S]*已上报/);
      assert.match(items[1], /立案[\s\S]*李受理[\s\S]*已上报[\s\S]*已立案[\s\S]*经核实情况属实/);
      assert.match(items[2], /派遣[\s\S]*系统[\s\S]*已立案[\s\S]*已派遣/);
      assert.match(items[3], /备注[\s\S]*李受理[\s\S]*请尽快处置/);
      assert.match(items[4], /处置[\s\S]*张处置[\s\S]*已派遣[\s\S]*已处置/);
      assert.match(items[5], /核查[\s\S]*刘网格员[\s\S]*已结案[\s\S]*通过/);
      assert.match(items[6], /评价[\s\S]*群众[\s\S]*处理及时，很满意[\s\S]*满意/);
      assert.equal(await text(page, '[data-test=case-head] [data-test=case-status]'), '已结案');
      assert.equal(await text(page, '[data-test=case-rating]'), '满意');
      assert.deepEqual(await actionsShown(page), ['comment'], 'rated: no callback rating left');
      // Each photo beside the step that attached it; the gallery has them all, captioned with their step.
      assert.deepEqual((await timelinePhotos(page, 'report')).map((p) => p.id), [filed.reportPhoto]);
      assert.deepEqual((await timelinePhotos(page, 'handle')).map((p) => p.id), [filed.handlePhoto]);
      assert.deepEqual((await timelinePhotos(page, 'verify')).map((p) => p.id), [filed.verifyPhoto]);
      const gallery = page.locator('[data-test=case-gallery] [data-test=gallery-photo]');
      assert.deepEqual(await gallery.evaluateAll((els) => els.map((e) => e.dataset.id)), [filed.reportPhoto, filed.handlePhoto, filed.verifyPhoto]);
      assert.match((await gallery.allInnerTexts()).join('|'), /上报[\s\S]*\|处置[\s\S]*\|核查/);
      const loaded = await gallery.evaluateAll((els) => els.map((e) => { const i = e.querySelector('img'); return !!i && i.naturalWidth > 0; }));
      assert.deepEqual(loaded, [true, true, true]);
      assert.ok(!(await text(page, '[data-test=timeline]')).includes(filed.handlePhoto), 'photo ids are not printed as fields');
      await tallShot(page, 'cases-timeline');
      // A click opens the preview.
      await gallery.nth(1).locator('img').click();
      await page.locator('.el-image-viewer__wrapper').waitFor();
      await shot(page, 'cases-photo-preview');
      await page.keyboard.press('Escape');
      await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });

      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-en"]').click();
      await page.locator('[data-test=case-head] [data-test=case-status]', { hasText: 'Closed' }).waitFor();
      assert.match(await text(page, '[data-test=timeline] [data-action=dispatch]'), /Dispatch[\s\S]*System[\s\S]*dispatched to the department/);
      await shot(page, 'cases-english');
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-zh-CN"]').click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('cases: staff pages', () => {
  it('新建事件: the server refuses a point outside the zone under its field; a good one is filed once', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      await page.locator('[data-test=menu-cases-new]').click();
      await page.locator('[data-test=case-new]').waitFor();
      await page.locator('[data-test=new-map][data-ready]').waitFor();

      let posts = 0;
      page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/cases' && r.method() === 'POST') posts++; });
      await page.locator('[data-test=new-submit]').click();
      await page.locator('.case-new-form .el-form-item__error').first().waitFor();
      assert.ok(await page.locator('.case-new-form .el-form-item__error').count() >= 3, 'category, description, location');
      assert.equal(posts, 0);

      await page.locator('[data-test=new-category]').click();
      await page.locator('.case-cascader .el-cascader-node', { hasText: CATEGORY.parent }).click();
      await page.locator('.case-cascader .el-cascader-node', { hasText: /^店外经营$/ }).click();
      await page.locator('[data-test=new-category-route]', { hasText: CGJ }).waitFor();
      await page.locator('[data-test=new-description]').fill('热线来电：商铺在店外摆放货架经营，影响通行。');
      assert.equal(await text(page, '[data-test=new-source]'), '12345热线', 'a dispatcher files hotline calls by default');
      await page.locator('[data-test=new-phone]').fill('13900001111');

      // Outside the zone: /locate says so, and the server refuses it under 事件位置.
      let px = await mapPixel(page, '__zgCaseMap', OUTSIDE, 13);
      await Promise.all([page.waitForResponse(isApi('/api/v1/locate')), page.mouse.click(px.x, px.y)]);
      await page.locator('[data-test=new-point-outside]').waitFor();
      const [refused] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/cases', 'POST')),
        page.locator('[data-test=new-submit]').click(),
      ]);
      assert.equal(refused.status(), 422);
      const err = (await refused.json()).error;
      assert.equal(err.field, 'lat');
      await page.locator('[data-test=new-point-item] .el-form-item__error', { hasText: err.message }).waitFor();
      await shot(page, 'cases-new-error');

      // The demo grid's point.
      px = await mapPixel(page, '__zgCaseMap', grid.point, 16);
      await Promise.all([page.waitForResponse(isApi('/api/v1/locate')), page.mouse.click(px.x, px.y)]);
      await page.locator('[data-test=new-point-grid]', { hasText: GRID_NAME }).waitFor();
      await page.locator('[data-test=new-point-item] .el-form-item__error').waitFor({ state: 'detached' }); // a new point clears the error
      const [newPhoto] = await pickPhotos(page, 'new-photos', [PHOTO.jpg], '/api/v1/photos');
      assert.equal(await page.locator('[data-test=new-photos] [data-test=photo-camera]').count(), 0, 'no camera button on a desktop');
      await shot(page, 'cases-new');
      const responses = [];
      page.on('response', (r) => { if (isApi('/api/v1/cases', 'POST')(r)) responses.push(r); });
      await page.locator('[data-test=new-submit]').dblclick();
      await page.locator('[data-test=case-page] [data-test=case-number]').waitFor();
      const keys = new Set(responses.map((r) => r.request().headers()['idempotency-key']));
      assert.equal(keys.size, 1, 'one Idempotency-Key for the form');
      assert.match([...keys][0], UUID);
      assert.equal([...keys][0], refused.request().headers()['idempotency-key'], 'the refused attempt stored nothing under the key');
      const c = await responses[0].json();
      assert.equal(responses[0].status(), 201);
      assert.deepEqual(JSON.parse(responses[0].request().postData()).photos, [newPhoto.id]);
      for (const r of responses) assert.equal((await r.json()).id, c.id);
      assert.match(page.url(), new RegExp(`#/cases/${c.id}$`));
      assert.equal(await text(page, '[data-test=case-number]'), c.number);
      assert.equal(await text(page, '[data-test=case-head] [data-test=case-status]'), '已上报');
      assert.equal(await text(page, '[data-test=case-source]'), '12345热线');
      assert.equal(await text(page, '[data-test=case-reporter]'), '13900001111');
      await page.locator(`[data-test=case-gallery] [data-test=gallery-photo][data-id="${newPhoto.id}"]`).waitFor();
      const list = await srv.api('GET', '/api/v1/cases', undefined, { token: dispatcherToken });
      assert.equal(list.json.total, 2, 'filed once');
      filed.second = c;
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('dialogs: an extension requested and approved, a red 督办', async () => {
    assert.ok(filed.second, 'the staff case was filed');
    const acc = await srv.api('POST', `/api/v1/cases/${filed.second.id}/actions`,
      { action: 'accept', version: filed.second.version }, { token: dispatcherToken });
    assert.equal(acc.status, 200, acc.text);
    assert.equal(acc.json.status, 'dispatched');
    // Three days after the current deadline, 17:30 in Asia/Shanghai.
    const d = new Date(new Date(acc.json.deadline).getTime() + 3 * 86400000 + 8 * 3600000);
    const day = d.toISOString().slice(0, 10);

    let { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'handler');
      await page.goto(`${srv.url}/#/cases/${filed.second.id}`);
      await page.locator('[data-test=case-head] [data-test=case-status]', { hasText: '已派遣' }).waitFor();
      const resp = await act(page, 'request_extension', async (dlg) => {
        await dlg.locator('[data-test=form-deadline] input').fill(`${day} 17:30`);
        await dlg.locator('[data-test=form-deadline] input').press('Enter');
        await dlg.locator('[data-test=form-reason]').click();
        await dlg.locator('[data-test=form-reason]').fill('需协调商户整改，申请延期。');
      });
      assert.equal(resp.status(), 200, await resp.text());
      const sent = JSON.parse(resp.request().postData());
      assert.equal(sent.action, 'request_extension');
      assert.equal(sent.deadline, `${day}T17:30:00+08:00`);
      await page.locator('[data-test=case-head] [data-test=flag-extension]').waitFor();
      assert.ok(!(await actionsShown(page)).includes('request_extension'), 'one pending request at a time');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    ({ context, page, problems } = await newPage(browser));
    try {
      await loginAs(page, 'dispatcher');
      await page.goto(`${srv.url}/#/cases/${filed.second.id}`);
      await page.locator('[data-test=action-approve_extension]').waitFor();
      await page.locator('[data-test=action-approve_extension]').click();
      const dlg = page.locator('.case-dialog[data-action=approve_extension]');
      await dlg.waitFor();
      assert.match(await dlg.innerText(), new RegExp(`${day} 17:30`));
      await shot(page, 'cases-extension-dialog');
      const [resp] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/cases/${filed.second.id}/actions`, 'POST')),
        dlg.locator('[data-test=action-submit]').click(),
      ]);
      assert.equal(resp.status(), 200, await resp.text());
      assert.equal(JSON.parse(resp.request().postData()).approved, true);
      await page.locator('[data-test=case-head] [data-test=flag-extension]').waitFor({ state: 'detached' });
      assert.match(await text(page, '[data-test=case-head] [data-test=deadline]'), new RegExp(`${day} 17:30`));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    ({ context, page, problems } = await newPage(browser));
    try {
      await loginAs(page, 'supervisor');
      await page.goto(`${srv.url}/#/cases/${filed.second.id}`);
      await page.locator('[data-test=action-supervise]').waitFor();
      assert.deepEqual(await actionsShown(page), ['supervise', 'comment']);
      const resp = await act(page, 'supervise', async (dlg) => {
        await dlg.locator('[data-test=form-level-red]').click();
        await dlg.locator('[data-test=form-note]').fill('群众反映强烈，限期办结。');
      });
      assert.equal(resp.status(), 200, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()),
        { action: 'supervise', version: (await resp.json()).version - 1, level: 'red', note: '群众反映强烈，限期办结。' });
      await page.locator('[data-test=case-head] [data-test=flag-supervision-red]', { hasText: '红牌督办' }).waitFor();
      await shot(page, 'cases-supervised');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a case outside the user’s scope shows the server’s 403 message', async () => {
    const admin = await srv.login('admin');
    const u = await srv.api('POST', '/api/v1/users', {
      username: 'e2e_gw2', name: '外网格员', password: 'e2e-password-2026', roles: ['grid_worker'],
    }, { token: admin });
    assert.equal(u.status, 201, u.text);
    const { context, page, problems } = await newPage(browser);
    try {
      await page.goto(srv.url + '/');
      await page.locator('[data-test=login-username]').fill('e2e_gw2');
      await page.locator('[data-test=login-password]').fill('e2e-password-2026');
      await page.locator('[data-test=login-submit]').click();
      await page.locator('[data-test=menu]').waitFor();
      const [resp] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/cases/${filed.id}`),
        page.goto(`${srv.url}/#/cases/${filed.id}`),
      ]);
      assert.equal(resp.status(), 403);
      await page.locator('[data-test=case-error]', { hasText: (await resp.json()).error.message }).waitFor();
      assert.equal(await page.locator('[data-test=case-actions]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('事件查询: filters, sorting and paging go to the server; flags and status tags are shown', async () => {
    assert.ok(filed.second, 'the staff case was filed');
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      const [all] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/cases')),
        page.locator('[data-test=menu-cases]').click(),
      ]);
      assert.equal((await all.json()).total, 2);
      assert.equal((await all.json()).total_exact, true);
      await page.locator('[data-test=cases-page]').waitFor();
      await page.locator('[data-test=cases-total]', { hasText: '共 2 条' }).waitFor();
      const rows = page.locator('[data-test=cases-table] .el-table__body-wrapper tr');
      await rows.nth(1).waitFor();
      assert.deepEqual(await page.locator('[data-test=cases-table] [data-test=cell-number]').allInnerTexts(),
        [filed.second.number, filed.number], 'newest first');
      const second = rows.filter({ hasText: filed.second.number });
      assert.match(await second.innerText(), /店外经营[\s\S]*已派遣[\s\S]*12345热线[\s\S]*红牌督办/);
      assert.match(await rows.filter({ hasText: filed.number }).innerText(), /已结案[\s\S]*满意/);
      await shot(page, 'cases-list');

      // Status filter.
      await page.locator('[data-test=filter-status]').click();
      await page.locator('[data-test=status-option-closed]').click();
      const [closed] = await Promise.all([
        page.waitForResponse((x) => isApi('/api/v1/cases')(x) && new URL(x.url()).searchParams.get('status') === 'closed'),
        page.locator('[data-test=cases-search]').click(),
      ]);
      assert.equal((await closed.json()).total, 1);
      await page.waitForFunction(() => document.querySelectorAll('[data-test=cases-table] [data-test=cell-number]').length === 1);
      assert.match(page.url(), /status=closed/, 'the filters are in the URL');

      // Category (大类 includes its 小类) and sort by deadline.
      await page.locator('[data-test=cases-reset]').click();
      await page.locator('[data-test=filter-category]').click();
      await page.locator('.case-tree-popper .el-tree-node__content', { hasText: CATEGORY.parent }).click();
      const [bySort] = await Promise.all([
        page.waitForResponse((x) => isApi('/api/v1/cases')(x) && new URL(x.url()).searchParams.get('sort') === 'deadline'),
        page.locator('[data-test=sort-deadline]').click(),
      ]);
      assert.equal(new URL(bySort.url()).searchParams.get('category'), 'SJ05');
      // By deadline the server lists the cases with a running deadline only (the closed one has none), and the page says so.
      assert.equal((await bySort.json()).total, 1);
      await page.locator('[data-test=sort-deadline-hint]').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-test=cases-table] [data-test=cell-number]').length === 1);
      assert.equal(await text(page, '[data-test=cases-table] [data-test=cell-number]'), filed.second.number);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
