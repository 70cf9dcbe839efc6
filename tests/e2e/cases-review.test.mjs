// Browser test of what the case pages show besides the loop (cases.test.mjs)
// against a real zonegov server with the demo data:
//   node --test tests/e2e/
// Screenshots go to build/artifacts/e2e-review-*.png.
//
//   - the case page offers exactly the actions of the case's allowed_actions,
//     whatever the user's roles would suggest;
//   - 疑似重复: a report near an earlier one of the same category is offered
//     to the dispatcher, who merges it after a confirmation;
//   - 超期督办: a case past its deadline (`zonegov cases scan --now`) carries
//     超期 and 黄牌/红牌督办 tags in the list and on its page, and its timeline
//     says so in a sentence, in Chinese and in English;
//   - the list says 10000+ when the server stopped counting (total_exact);
//   - the photo picker: a report waits for its uploads, a photo over 10 MB is
//     refused without being sent, at most 9 photos (on a phone), and an
//     action dialog's photos reach the timeline.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { checkBuiltWeb, isApi, launchBrowser, logIn, newPage, shot, text } from './browser.mjs';
import { startServer, BIN, ROOT } from '../lib/server.mjs';

const GRID = '410972060001001';            // 昆吾社区第1网格: gridleader + gridworker
const M_PER_DEG_LAT = 111194.9;
const MIN = 60 * 1000;
const PHOTOS = join(ROOT, 'tests', 'data', 'photos');
const PHOTO = { jpg: join(PHOTOS, 'site.jpg'), png: join(PHOTOS, 'site.png'), webp: join(PHOTOS, 'site.webp') };
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

let srv;
let browser;
let point;       // the demo grid's point
const tok = {};

const loginAs = (page, username) => logIn(page, srv, username);

// Opens a case page; returns the GET /cases/{id} answer the page used.
async function openCase(page, id) {
  const [resp] = await Promise.all([
    page.waitForResponse(isApi(`/api/v1/cases/${id}`)),
    page.goto(`${srv.url}/#/cases/${id}`),
  ]);
  assert.equal(resp.status(), 200);
  const c = await resp.json();
  await page.locator('[data-test=case-number]', { hasText: c.number }).waitFor();
  return c;
}

async function actionsShown(page) {
  const ids = await page.locator('[data-test=case-actions] [data-test^=action-]').evaluateAll((els) => els.map((e) => e.dataset.test));
  return ids.map((s) => s.replace(/^action-/, ''));
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

// A report by `user` through the API, `north` metres north of the grid's point.
async function file(user, body, north = 0) {
  const r = await srv.api('POST', '/api/v1/cases', {
    lat: point.lat + north / M_PER_DEG_LAT, lon: point.lon, phone: '13800001234', ...body,
  }, { token: tok[user] });
  assert.equal(r.status, 201, r.text);
  return (await srv.api('GET', `/api/v1/cases/${r.json.id}`, undefined, { token: tok.dispatcher })).json;
}

// One overdue scan at `at` from the command line (as the server's scanner does).
function scan(at) {
  return execFileSync(BIN, ['cases', 'scan', '--db', srv.db, '--now', new Date(at).toISOString()], { encoding: 'utf8' });
}

// A POST request to this path.
const isRequest = (r, path) => new URL(r.url()).pathname === path && r.method() === 'POST';

// A route handler that holds requests until release() (to see an upload in progress).
function gate() {
  let release;
  const open = new Promise((r) => { release = r; });
  const held = [];
  return {
    held,
    release: () => release(),
    handler: async (route) => { held.push(route.request()); await open; await route.continue(); },
  };
}

before(async () => {
  checkBuiltWeb();
  srv = await startServer({ env: { ZONEGOV_OVERDUE_SCAN: '0' } });
  for (const u of ['dispatcher', 'gridworker', 'supervisor']) tok[u] = await srv.login(u);
  point = (await srv.api('GET', `/api/v1/units/${GRID}`, undefined, { token: tok.dispatcher })).json.point;
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const shared = {};

describe('case page: actions and duplicates', () => {
  it('shows exactly the actions the server allows, for each user', async () => {
    shared.first = await file('dispatcher', { category: 'SJ0201', description: '人行道破损，行人易绊倒。', source: 'hotline' });
    for (const [user, expected] of [
      ['dispatcher', ['accept', 'reject', 'merge', 'comment']],
      ['supervisor', ['supervise', 'comment']],
    ]) {
      const { context, page, problems } = await newPage(browser);
      try {
        await loginAs(page, user);
        const c = await openCase(page, shared.first.id);
        assert.deepEqual([...c.allowed_actions].sort(), [...expected].sort(), `${user}: the server's list`);
        assert.deepEqual(await actionsShown(page), expected, `${user}: the buttons`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }

    // The page does not guess from the roles: a dispatcher whose case allows only a comment sees only that …
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      let allowed = ['comment'];
      await page.route(`**/api/v1/cases/${shared.first.id}`, async (route) => {
        const res = await route.fetch();
        const json = await res.json();
        await route.fulfill({ response: res, json: { ...json, allowed_actions: allowed } });
      });
      await openCase(page, shared.first.id);
      assert.deepEqual(await actionsShown(page), ['comment']);
      // … and nothing at all when nothing is allowed.
      allowed = [];
      await Promise.all([page.waitForResponse(isApi(`/api/v1/cases/${shared.first.id}`)), page.locator('[data-test=case-refresh]').click()]);
      await page.locator('[data-test=action-comment]').waitFor({ state: 'detached' });
      assert.deepEqual(await actionsShown(page), []);
      await page.unroute(`**/api/v1/cases/${shared.first.id}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('疑似重复: a report 20 m from an earlier one is offered and merged into it after a confirmation', async () => {
    assert.ok(shared.first, 'the first report was filed');
    const second = await file('dispatcher', { category: 'SJ0201', description: '同一处人行道砖块松动。', source: 'hotline' }, 20);
    assert.deepEqual(second.duplicates.map((d) => d.id), [shared.first.id]);

    // A supervisor may not merge: no panel.
    let { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'supervisor');
      const c = await openCase(page, second.id);
      assert.deepEqual(c.duplicates, []);
      assert.equal(await page.locator('[data-test=case-duplicates]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    ({ context, page, problems } = await newPage(browser));
    try {
      await loginAs(page, 'dispatcher');
      await openCase(page, second.id);
      const panel = page.locator('[data-test=case-duplicates]');
      await panel.waitFor();
      assert.match(await panel.innerText(), /疑似重复/);
      const link = panel.locator('[data-test=dup-number]');
      assert.equal((await link.innerText()).trim(), shared.first.number);
      assert.equal(await link.getAttribute('href'), `#/cases/${shared.first.id}`);
      assert.equal(await text(page, '[data-test=dup-distance]'), '20 米');
      assert.match(await panel.innerText(), /已上报/);
      await shot(page, 'review-duplicates');

      // Cancelled: nothing is sent.
      let posts = 0;
      page.on('request', (r) => { if (/\/actions$/.test(new URL(r.url()).pathname)) posts++; });
      await panel.locator(`[data-test=dup-merge-${shared.first.id}]`).click();
      const box = page.locator('.merge-confirm');
      await box.waitFor();
      assert.match(await box.innerText(), new RegExp(`${second.number}[\\s\\S]*${shared.first.number}`));
      await shot(page, 'review-merge-confirm');
      await box.locator('.el-button', { hasText: '取 消' }).click();
      await box.waitFor({ state: 'hidden' });
      assert.equal(posts, 0);

      await panel.locator(`[data-test=dup-merge-${shared.first.id}]`).click();
      await box.waitFor();
      const [resp] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/cases/${second.id}/actions`, 'POST')),
        box.locator('.el-button', { hasText: '确定合并' }).click(),
      ]);
      assert.equal(resp.status(), 200, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()), { action: 'merge', version: second.version, into: shared.first.id });
      await page.locator('[data-test=case-head] [data-test=case-status]', { hasText: '不予立案' }).waitFor();
      await panel.waitFor({ state: 'detached' });
      assert.deepEqual(await actionsShown(page), (await resp.json()).allowed_actions);
      assert.match(await text(page, '[data-test=timeline] [data-action=merge]'), new RegExp(`合并[\\s\\S]*李受理[\\s\\S]*#${shared.first.id}`));
      await page.locator(`[data-test=case-info] a[href="#/cases/${shared.first.id}"]`).waitFor();

      // The earlier case no longer offers the merged one.
      await openCase(page, shared.first.id);
      assert.equal(await page.locator('[data-test=case-duplicates]').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('超期督办', () => {
  it('an overdue case shows its tags in the list and on its page; the timeline says so in a sentence', async () => {
    // A grid worker's report of an auto-accept category goes straight to the department.
    const c = await file('gridworker', { category: 'SJ0103', description: '路边积存垃圾渣土，无人清运。', source: 'grid_patrol' });
    assert.equal(c.status, 'dispatched');
    const deadline = Date.parse(c.deadline);
    assert.match(scan(deadline + MIN), /[1-9]\d* case\(s\) newly overdue/); // the earlier reports of this file too

    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      // The list: 超期 and 黄牌督办 beside the case, the deadline late.
      const [list] = await Promise.all([
        page.waitForResponse((r) => isApi('/api/v1/cases')(r) && new URL(r.url()).searchParams.get('overdue') === '1'),
        page.goto(`${srv.url}/#/cases?overdue=1`),
      ]);
      assert.ok((await list.json()).items.some((x) => x.id === c.id));
      const row = page.locator('[data-test=cases-table] .el-table__body-wrapper tr', { hasText: c.number });
      await row.locator('[data-test=flag-overdue]', { hasText: '超期' }).waitFor();
      await row.locator('[data-test=flag-supervision-yellow]', { hasText: '黄牌督办' }).waitFor();
      await shot(page, 'review-overdue-list');

      // The page: the tags in the head, the overdue mark as one sentence naming the stage and the 督办.
      await openCase(page, c.id);
      await page.locator('[data-test=case-head] [data-test=flag-overdue]').waitFor();
      await page.locator('[data-test=case-head] [data-test=flag-supervision-yellow]').waitFor();
      const mark = page.locator('[data-test=timeline] [data-test=timeline-item][data-action=overdue]');
      assert.equal(await text(page, '[data-test=timeline] [data-action=overdue] [data-test=timeline-summary]'), '处置阶段超期，黄牌督办');
      assert.match(await mark.innerText(), new RegExp(`超期[\\s\\S]*系统[\\s\\S]*期限[\\s\\S]*督办对象[\\s\\S]*${c.department.name}`));
      assert.ok(!/stage|supervision|yellow/.test(await mark.innerText()), 'no raw field names or values');
      await tallShot(page, 'review-overdue-case');

      // Five working days later: red 督办 by the system.
      const red = Date.parse(execFileSync(BIN, ['calendar', 'deadline', '--from', c.deadline, '--amount', '5', '--unit', 'work_days'],
        { encoding: 'utf8' }).trim());
      assert.match(scan(red + MIN), /[1-9]\d* raised to red/);
      await Promise.all([page.waitForResponse(isApi(`/api/v1/cases/${c.id}`)), page.locator('[data-test=case-refresh]').click()]);
      await page.locator('[data-test=case-head] [data-test=flag-supervision-red]', { hasText: '红牌督办' }).waitFor();
      const sup = page.locator('[data-test=timeline] [data-test=timeline-item][data-action=supervise]');
      await sup.locator('[data-test=timeline-auto]', { hasText: '系统自动' }).waitFor();
      assert.match(await sup.innerText(), /督办[\s\S]*系统[\s\S]*红牌督办[\s\S]*督办等级[\s\S]*红牌督办/);
      assert.ok(!/auto|true/.test(await sup.innerText()), 'the auto flag is a tag, not a field');
      await tallShot(page, 'review-overdue-red');

      // English.
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-en"]').click();
      await page.locator('[data-test=timeline] [data-action=overdue] [data-test=timeline-summary]', { hasText: 'Handling stage overdue: Yellow card' }).waitFor();
      await sup.locator('[data-test=timeline-auto]', { hasText: 'Automatic' }).waitFor();
      assert.match(await sup.innerText(), /still overdue 5 working days/);
      await page.locator('[data-test=case-head] [data-test=flag-overdue]', { hasText: 'Overdue' }).waitFor();
      await shot(page, 'review-overdue-english');
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-zh-CN"]').click();

      // The list: 红牌督办 now.
      await page.goto(`${srv.url}/#/cases?overdue=1`);
      await page.locator('[data-test=cases-table] .el-table__body-wrapper tr', { hasText: c.number })
        .locator('[data-test=flag-supervision-red]').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('the list says 10000+ when the server stopped counting', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      const isList = (url) => url.pathname === '/api/v1/cases';
      await page.route(isList, async (route) => {
        const res = await route.fetch();
        const json = await res.json();
        await route.fulfill({ response: res, json: { ...json, total: 10000, total_exact: false } });
      });
      await page.locator('[data-test=menu-cases]').click();
      await page.locator('[data-test=cases-total]', { hasText: '共 10000+ 条' }).waitFor();
      assert.equal(await page.locator('[data-test=cases-total]').getAttribute('data-exact'), 'false');
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-en"]').click();
      await page.locator('[data-test=cases-total]', { hasText: '10000+ in total' }).waitFor();
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-zh-CN"]').click();
      await page.locator('[data-test=cases-pagination]').scrollIntoViewIfNeeded();
      await shot(page, 'review-total-capped');
      await page.unroute(isList);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('photo picker', () => {
  it('public, on a phone: the report waits for its uploads; over 10 MB is refused unsent; two photos go with the report', async () => {
    const { context, page, problems } = await newPage(browser, { phone: true });
    try {
      await page.goto(srv.url + '/public/');
      await page.locator('[data-test=public-map][data-ready]').waitFor();
      const picker = page.locator('[data-test=public-photos]');
      let sent = 0;
      page.on('request', (r) => { if (isRequest(r, '/api/v1/public/photos')) sent++; });

      // Over 10 MB: refused here, not sent.
      await picker.locator('[data-test=photo-input]').setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
      await picker.locator('[data-test=photo-error-message]', { hasText: '照片不能超过 10 MB' }).waitFor();
      assert.equal(sent, 0);

      // The form, filled.
      await page.locator('[data-test=public-category]').click();
      await page.locator('.pub-cascader .el-cascader-node', { hasText: '街面秩序' }).click();
      await page.locator('.pub-cascader .el-cascader-node', { hasText: /^占道经营$/ }).click();
      await page.locator('.pub-cascader').waitFor({ state: 'hidden' });
      await page.locator('[data-test=public-description]').fill('菜市场门口占道摆摊，附两张现场照片。');
      await page.evaluate(([la, lo]) => window.__zgPublicMap.fire('click', { latlng: window.L.latLng(la, lo) }), [point.lat, point.lon]);
      await page.locator('[data-test=public-point]', { hasText: 'WGS-84' }).waitFor();
      await page.locator('[data-test=public-phone]').fill('13712345678');

      // Two photos, held on their way: the tiles show the progress and the report waits.
      const g = gate();
      await page.route('**/api/v1/public/photos', g.handler);
      await picker.locator('[data-test=photo-input]').setInputFiles([PHOTO.png, PHOTO.webp]);
      assert.equal(await picker.locator('[data-test=photo-error]').count(), 0, 'a new choice clears the earlier refusal');
      await picker.locator('[data-test=photo-item][data-status=uploading]').nth(1).waitFor();
      assert.equal(await picker.locator('[data-test=photo-progress]').count(), 2);
      let reports = 0;
      page.on('request', (r) => { if (isRequest(r, '/api/v1/public/cases')) reports++; });
      await page.locator('[data-test=public-submit]').click();
      await page.locator('.el-message', { hasText: '照片正在上传，请稍候再提交' }).waitFor();
      assert.equal(reports, 0, 'not sent while photos are on their way');
      await picker.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shot(page, 'review-public-uploading');
      g.release();
      await picker.locator('[data-test=photo-item][data-status=done]').nth(1).waitFor();
      await page.unroute('**/api/v1/public/photos', g.handler);
      const ids = await picker.locator('[data-test=photo-item]').evaluateAll((els) => els.map((e) => e.dataset.id));
      assert.deepEqual(ids, [sha256(readFileSync(PHOTO.png)), sha256(readFileSync(PHOTO.webp))]);

      const [resp] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/public/cases', 'POST')),
        page.locator('[data-test=public-submit]').click(),
      ]);
      assert.equal(resp.status(), 201, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()).photos, ids);
      await page.locator('[data-test=public-done-photos]', { hasText: '已附 2 张照片' }).waitFor();
      const c = (await srv.api('GET', `/api/v1/cases/${(await resp.json()).id}`, undefined, { token: tok.dispatcher })).json;
      assert.deepEqual(c.photos.map((p) => [p.id, p.seq]), [[ids[0], 1], [ids[1], 1]]);

      // 再拍一件: an empty picker.
      await page.locator('[data-test=public-another]').click();
      await picker.waitFor();
      assert.equal(await picker.locator('[data-test=photo-item]').count(), 0);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling on a phone');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('public, on a phone: at most 9 photos; a removal makes room again', async () => {
    const { context, page, problems } = await newPage(browser, { phone: true });
    try {
      await page.goto(srv.url + '/public/');
      const picker = page.locator('[data-test=public-photos]');
      await picker.waitFor();
      // The server's answers are made up here: ten different photos.
      let n = 0;
      await page.route('**/api/v1/public/photos', (route) => {
        n++;
        route.fulfill({ status: 201, json: { id: String(n).repeat(64).slice(0, 64), mime: 'image/png', size: 2787, width: 64, height: 48 } });
      });
      const files = Array.from({ length: 10 }, (_, i) => ({ name: `p${i}.png`, mimeType: 'image/png', buffer: readFileSync(PHOTO.png) }));
      await picker.locator('[data-test=photo-input]').setInputFiles(files);
      await picker.locator('[data-test=photo-item][data-status=done]').nth(8).waitFor();
      assert.equal(await picker.locator('[data-test=photo-item]').count(), 9);
      assert.equal(n, 9, 'the tenth is not sent');
      await picker.locator('[data-test=photo-notice]', { hasText: '最多 9 张照片' }).waitFor();
      assert.equal(await picker.locator('[data-test=photo-add]').count(), 0, 'no more room');
      assert.equal(await picker.locator('[data-test=photo-camera]').count(), 0);
      assert.match(await text(page, '[data-test=public-photos] [data-test=photo-hint]'), /已选 9\/9 张/);
      await picker.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shot(page, 'review-public-nine');
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no horizontal scrolling on a phone');

      await picker.locator('[data-test=photo-remove]').first().click();
      await picker.locator('[data-test=photo-add]').waitFor();
      assert.equal(await picker.locator('[data-test=photo-item]').count(), 8);
      // English.
      await page.locator('[data-test=public-lang]').click();
      await picker.locator('[data-test=photo-hint]', { hasText: '8 of 9' }).waitFor();
      await picker.locator('[data-test=photo-camera]', { hasText: 'Camera' }).waitFor();
      await page.locator('[data-test=public-lang]').click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('staff: a comment with two photos waits for them, then shows them in the timeline', async () => {
    const c = await file('dispatcher', { category: 'SJ0202', description: '井盖缺失，存在安全隐患。', source: 'hotline' });
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'dispatcher');
      await openCase(page, c.id);
      await page.locator('[data-test=case-gallery-empty]', { hasText: '暂无现场照片' }).waitFor();
      await page.locator('[data-test=action-comment]').click();
      const dialog = page.locator('.case-dialog[data-action=comment]');
      await dialog.waitFor();
      await dialog.locator('[data-test=form-note]').fill('现场补拍两张照片。');
      const g = gate();
      await page.route('**/api/v1/photos', g.handler);
      await dialog.locator('[data-test=form-photos] [data-test=photo-input]').setInputFiles([PHOTO.jpg, PHOTO.webp]);
      await dialog.locator('[data-test=photo-item][data-status=uploading]').nth(1).waitFor();
      let posts = 0;
      page.on('request', (r) => { if (isRequest(r, `/api/v1/cases/${c.id}/actions`)) posts++; });
      await dialog.locator('[data-test=action-submit]').click();
      await dialog.locator('[data-test=action-error]', { hasText: '照片正在上传' }).waitFor();
      assert.equal(posts, 0);
      await shot(page, 'review-comment-uploading');
      g.release();
      await dialog.locator('[data-test=photo-item][data-status=done]').nth(1).waitFor();
      await dialog.locator('[data-test=action-error]').waitFor({ state: 'detached' });
      await page.unroute('**/api/v1/photos', g.handler);
      const ids = [sha256(readFileSync(PHOTO.jpg)), sha256(readFileSync(PHOTO.webp))];
      const [resp] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/cases/${c.id}/actions`, 'POST')),
        dialog.locator('[data-test=action-submit]').click(),
      ]);
      assert.equal(resp.status(), 200, await resp.text());
      assert.deepEqual(JSON.parse(resp.request().postData()), { action: 'comment', version: c.version, note: '现场补拍两张照片。', photos: ids });
      const item = page.locator('[data-test=timeline] [data-test=timeline-item][data-action=comment]');
      await item.locator('[data-test=timeline-photo] img').nth(1).waitFor();
      assert.deepEqual(await item.locator('[data-test=timeline-photo]').evaluateAll((els) => els.map((e) => e.dataset.id)), ids);
      assert.equal(await page.locator('[data-test=case-gallery] [data-test=gallery-photo]').count(), 2);
      assert.match(await text(page, '[data-test=case-gallery]'), /备注/);

      // The next dialog starts with an empty picker.
      await page.locator('[data-test=action-comment]').click();
      await dialog.waitFor();
      assert.equal(await dialog.locator('[data-test=photo-item]').count(), 0);
      await dialog.locator('[data-test=action-cancel]').click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
