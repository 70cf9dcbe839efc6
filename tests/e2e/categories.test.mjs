// Browser test of 事件分类管理 (系统管理 → 事件分类, admin only) against a real
// zonegov server with the demo catalog (data/categories.csv, 89 categories):
//   node --test tests/e2e/categories.test.mjs
// Needs build/zonegov, build/web (scripts/build-web.sh build/web), node_modules
// (playwright-core) and Chromium at /usr/bin/chromium (override with
// CHROMIUM). Screenshots go to build/artifacts/e2e-categories-*.png.
//
// The admin opens the catalog tree, filters it, changes 暴露垃圾's handle
// limit (a value out of range is refused under its field before anything is
// sent), adds a 大类 and sees the server's refusal under 上级大类 when the page's
// copy is stale; imports a CSV with bad rows (the report names their lines
// and columns, the store is unchanged), checks and imports a good one, and
// downloads the catalog as CSV, which the server takes back unchanged. Then
// the page in English, and a dispatcher who may not open it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBuiltWeb, isApi, launchBrowser, logIn, newPage, shot } from './browser.mjs';
import { startServer, ROOT } from '../lib/server.mjs';

const DEFAULT_CSV = readFileSync(join(ROOT, 'data', 'categories.csv'), 'utf8');
const HEADER = DEFAULT_CSV.split('\n')[0];
const DEFAULT_ROWS = DEFAULT_CSV.trim().split('\n').length - 1; // 89
const CGJ = '经开区城市管理局';

let srv;
let browser;
let admin;           // admin's API token

const loginAs = (page, username) => logIn(page, srv, username);

// Logs in as admin and opens the page from the menu.
async function openPage(page) {
  await loginAs(page, 'admin');
  const [resp] = await Promise.all([
    page.waitForResponse(isApi('/api/v1/categories')),
    page.locator('[data-test=menu-system-categories]').click(),
  ]);
  assert.equal(resp.status(), 200);
  await page.locator('[data-test=categories-table] [data-test="cat-SJ01"]').waitFor();
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

// Codes of the table's visible rows, top to bottom.
async function shownCodes(page) {
  return page.locator('[data-test=categories-table] .el-table__body [data-test^="cat-"]').evaluateAll((els) =>
    els.filter((e) => e.offsetParent !== null).map((e) => e.dataset.test.slice(4)));
}

function row(page, code) {
  return page.locator('[data-test=categories-table] .el-table__body tr', { has: page.locator(`[data-test="cat-${code}"]`) });
}

async function category(code) {
  const r = await srv.api('GET', `/api/v1/categories/${code}`, undefined, { token: admin });
  assert.equal(r.status, 200, r.text);
  return r.json.category;
}

async function catalog() {
  const r = await srv.api('GET', '/api/v1/categories', undefined, { token: admin });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

// The form item around a control of the dialog.
function formItem(dialog, testId) {
  return dialog.locator('.el-form-item', { has: dialog.page().locator(`[data-test=${testId}]`) });
}

// Picks an option of an Element Plus select (the options live in a popper outside the dialog).
async function choose(page, select, option) {
  await select.click();
  const item = page.locator(`[data-test=${option}]:visible`);
  await item.waitFor();
  await item.click();
}

before(async () => {
  checkBuiltWeb();
  srv = await startServer();
  admin = await srv.login('admin');
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

describe('事件分类管理', () => {
  it('shows the catalog as a tree, filters it and changes a handle time limit', async () => {
    const { context, page, problems } = await newPage(browser);
    const puts = [];
    page.on('request', (r) => { if (r.method() === 'PUT') puts.push(r.url()); });
    try {
      await openPage(page);
      assert.equal(await page.locator('[data-test=categories-page]').count(), 1);
      assert.equal((await shownCodes(page)).length, DEFAULT_ROWS, 'every category is shown, the tree opened');
      assert.match(await page.locator('[data-test=categories-count]').innerText(), /共 17 个大类、72 个小类/);
      // 大类 → 小类, the routing with the department's name, the limits with their units.
      const sj0102 = row(page, 'SJ0102');
      assert.match(await sj0102.innerText(), /暴露垃圾[\s\S]*事件[\s\S]*网格内处置[\s\S]*1工作时[\s\S]*1工作时[\s\S]*4工作时[\s\S]*1工作时[\s\S]*一般/);
      assert.match(await row(page, 'SJ0101').innerText(), new RegExp(`私搭乱建[\\s\\S]*${CGJ}[\\s\\S]*20工作日`));
      assert.match(await row(page, 'BJ0101').innerText(), /上水井盖[\s\S]*部件[\s\S]*24小时[\s\S]*紧急/);
      assert.equal(await row(page, 'SJ0102').locator('.cat-auto').count(), 1, '暴露垃圾 is accepted at once');
      assert.equal(await row(page, 'SJ0101').locator('.cat-auto').count(), 0);
      await tallShot(page, 'categories');

      // Filter by name: each 大类 with its matching 小类; then by kind; by code.
      await page.locator('[data-test=categories-filter]').fill('垃圾');
      await page.locator('[data-test=categories-count]', { hasText: '显示 5 个' }).waitFor();
      assert.deepEqual(await shownCodes(page), ['BJ03', 'BJ0302', 'SJ01', 'SJ0102', 'SJ0103']);
      assert.equal(await page.locator('[data-test=categories-table] mark.cat-hit').count(), 3, 'the matches are marked');
      await shot(page, 'categories-filter');
      await page.locator('[data-test=kind-component]').click();
      await page.locator('[data-test=categories-count]', { hasText: '显示 2 个' }).waitFor();
      assert.deepEqual(await shownCodes(page), ['BJ03', 'BJ0302']);
      await page.locator('[data-test=kind-all]').click();
      await page.locator('[data-test=categories-filter]').fill('sj010');
      await page.locator('[data-test=categories-count]', { hasText: '显示 10 个' }).waitFor();
      assert.deepEqual((await shownCodes(page)).slice(0, 3), ['SJ01', 'SJ0101', 'SJ0102'], 'codes match case-insensitively');
      await page.locator('[data-test=categories-filter]').fill('没有这个分类');
      await page.locator('[data-test=categories-table] .el-table__empty-text', { hasText: '没有匹配的分类' }).waitFor();
      await page.locator('[data-test=categories-reset]').click();
      await page.locator('[data-test=categories-count]:not(:has-text("显示"))').waitFor();
      assert.equal((await shownCodes(page)).length, DEFAULT_ROWS);

      // Collapse and expand the tree.
      await page.locator('[data-test=categories-expand]').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-test=categories-table] .el-table__body tr.el-table__row--level-1:not([style*="display: none"])').length === 0);
      assert.equal((await shownCodes(page)).length, 17);
      await page.locator('[data-test=categories-expand]').click();
      await page.waitForFunction((n) => [...document.querySelectorAll('[data-test=categories-table] .el-table__body [data-test^="cat-"]')]
        .filter((e) => e.offsetParent !== null).length === n, DEFAULT_ROWS);

      // Edit 暴露垃圾: the form holds its values.
      const before = await category('SJ0102');
      await page.locator('[data-test=categories-filter]').fill('暴露垃圾');
      await page.locator('[data-test=categories-count]', { hasText: '显示 2 个' }).waitFor();
      await page.locator('[data-test="edit-SJ0102"]').click();
      const dialog = page.locator('.category-dialog');
      await dialog.waitFor();
      assert.match(await dialog.locator('.el-dialog__title').innerText(), /编辑事件分类 SJ0102/);
      assert.equal(await dialog.locator('[data-test=category-form-code]').inputValue(), 'SJ0102');
      assert.ok(await dialog.locator('[data-test=category-form-code]').isDisabled(), 'the code is the key: not editable');
      assert.equal(await dialog.locator('[data-test=category-form-name]').inputValue(), '暴露垃圾');
      assert.equal(await dialog.locator('[data-test=category-form-handle-amount]').inputValue(), '4');
      assert.match(await dialog.locator('[data-test=category-form-handle-unit]').innerText(), /工作时/);
      assert.match(await dialog.locator('[data-test=category-form-parent]').innerText(), /SJ01 市容环境/);
      assert.equal(await dialog.locator('[data-test=category-form-department] .el-select__wrapper.is-disabled').count(), 1, 'handled in the grid: no department');

      // Out of range: refused under the field, nothing sent.
      const amount = dialog.locator('[data-test=category-form-handle-amount]');
      await amount.fill('0');
      await dialog.locator('[data-test=category-form-submit]').click();
      const limitItem = dialog.locator('[data-test=category-form-limit-handle]');
      await limitItem.locator('.el-form-item__error', { hasText: '时限须为 1-10000 的整数' }).waitFor();
      await amount.fill('10001');
      await amount.blur();
      await limitItem.locator('.el-form-item__error', { hasText: '时限须为 1-10000 的整数' }).waitFor();
      await amount.fill('2.5');
      await amount.blur();
      await limitItem.locator('.el-form-item__error', { hasText: '时限须为 1-10000 的整数' }).waitFor();
      assert.equal(await dialog.locator('.el-form-item__error').count(), 1, 'only the limit is wrong');
      await shot(page, 'categories-dialog-invalid');
      assert.deepEqual(puts, [], 'nothing sent while the form is invalid');

      // 6 working days: saved, in the store and in the table.
      await amount.fill('6');
      await choose(page, dialog.locator('[data-test=category-form-handle-unit]'), 'unit-option-work_days');
      await amount.blur();
      // Validation runs asynchronously after the blur: the error goes once it has.
      await limitItem.locator('.el-form-item__error').waitFor({ state: 'detached' });
      const [resp] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/categories/SJ0102', 'PUT')),
        dialog.locator('[data-test=category-form-submit]').click(),
      ]);
      assert.equal(resp.status(), 200, await resp.text());
      await dialog.waitFor({ state: 'hidden' });
      const after = await category('SJ0102');
      assert.deepEqual(after.limits.handle, { amount: 6, unit: 'work_days' });
      assert.deepEqual({ ...after, limits: { ...after.limits, handle: null } }, { ...before, limits: { ...before.limits, handle: null } },
        'nothing else changed');
      await row(page, 'SJ0102').locator('[data-test=limit-handle]', { hasText: '6工作日' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('adds a 大类, and shows the server\'s refusal under the field it names', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await openPage(page);
      await page.locator('[data-test=categories-add]').click();
      const dialog = page.locator('.category-dialog');
      await dialog.waitFor();
      assert.match(await dialog.locator('.el-dialog__title').innerText(), /新增事件分类/);

      // The client knows the rules: a taken code, a bad code, spaces around the name, a department.
      const code = dialog.locator('[data-test=category-form-code]');
      const name = dialog.locator('[data-test=category-form-name]');
      await code.fill('SJ01');
      await code.blur();
      await formItem(dialog, 'category-form-code').locator('.el-form-item__error', { hasText: '编码 SJ01 已存在' }).waitFor();
      await code.fill('sj99');
      await code.blur();
      await formItem(dialog, 'category-form-code').locator('.el-form-item__error', { hasText: '大写字母或数字' }).waitFor();
      await code.fill('SJ99');
      await name.fill(' 测试大类');
      await dialog.locator('[data-test=category-form-submit]').click();
      await formItem(dialog, 'category-form-name').locator('.el-form-item__error', { hasText: '首尾不能有空格' }).waitFor();
      await formItem(dialog, 'category-form-department').locator('.el-form-item__error', { hasText: '须选择处置部门' }).waitFor();
      await name.fill('测试大类');
      await dialog.locator('[data-test=handled-by-grid]').click();
      await formItem(dialog, 'category-form-department').locator('.el-form-item__error').waitFor({ state: 'detached' });
      const [created] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/categories/SJ99', 'PUT')),
        dialog.locator('[data-test=category-form-submit]').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      await dialog.waitFor({ state: 'hidden' });
      const sj99 = await category('SJ99');
      assert.equal(sj99.name, '测试大类');
      assert.equal(sj99.parent_code, null);
      assert.equal(sj99.handled_by, 'grid');
      assert.deepEqual(sj99.limits.handle, { amount: 1, unit: 'work_days' });
      await row(page, 'SJ99').waitFor();

      // Meanwhile someone gives SJ99 a 小类 through the API; the page still thinks
      // SJ99 has none and offers to make it a 小类 of SJ01. The server says no, at parent_code.
      const sub = await srv.api('PUT', '/api/v1/categories/SJ9901', {
        name: '测试小类', parent_code: 'SJ99', kind: 'event', handled_by: 'grid',
        limits: { accept: { amount: 1, unit: 'work_hours' }, dispatch: { amount: 1, unit: 'work_hours' },
          handle: { amount: 2, unit: 'work_days' }, verify: { amount: 1, unit: 'work_hours' } },
      }, { token: admin });
      assert.equal(sub.status, 201, sub.text);
      await page.locator('[data-test="edit-SJ99"]').click();
      await dialog.waitFor();
      await choose(page, dialog.locator('[data-test=category-form-parent]'), 'parent-option-SJ01');
      const [refused] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/categories/SJ99', 'PUT')),
        dialog.locator('[data-test=category-form-submit]').click(),
      ]);
      assert.equal(refused.status(), 422);
      const err = (await refused.json()).error;
      assert.equal(err.field, 'parent_code');
      await formItem(dialog, 'category-form-parent').locator('.el-form-item__error', { hasText: err.message }).waitFor();
      assert.match(err.message, /SJ99 下有小类/);
      assert.equal(await dialog.locator('.el-form-item__error').count(), 1);
      await shot(page, 'categories-dialog-server-error');
      assert.equal((await category('SJ99')).parent_code, null, 'SJ99 is still a 大类');

      // Cancel, reload: SJ99 now shows its 小类, and its parent and kind are locked.
      await dialog.locator('[data-test=category-form-cancel]').click();
      await dialog.waitFor({ state: 'hidden' });
      await Promise.all([
        page.waitForResponse(isApi('/api/v1/categories')),
        page.locator('[data-test=categories-refresh]').click(),
      ]);
      await row(page, 'SJ9901').waitFor();
      await page.locator('[data-test="edit-SJ99"]').click();
      await dialog.waitFor();
      assert.equal(await dialog.locator('[data-test=category-form-parent] .el-select__wrapper.is-disabled').count(), 1);
      await dialog.locator('.cat-form-tip', { hasText: '该大类下有 1 个小类' }).waitFor();
      await dialog.locator('[data-test=category-form-cancel]').click();
      await dialog.waitFor({ state: 'hidden' });

      // 新增小类 from a 大类's row starts from the 大类's routing.
      await row(page, 'SJ05').locator('[data-test="add-sub-SJ05"]').click();
      await dialog.waitFor();
      assert.equal(await dialog.locator('[data-test=category-form-code]').inputValue(), 'SJ05');
      assert.match(await dialog.locator('[data-test=category-form-parent]').innerText(), /SJ05 街面秩序/);
      assert.match(await dialog.locator('[data-test=category-form-department]').innerText(), new RegExp(CGJ));
      await dialog.locator('[data-test=category-form-cancel]').click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('imports a CSV: bad rows are reported by line and nothing is written; a good file is checked, then imported', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await openPage(page);
      const before = await catalog();
      const sj0104 = before.find((c) => c.code === 'SJ0104');
      assert.deepEqual(sj0104.limits.handle, { amount: 2, unit: 'work_hours' });

      const good = 'SJ0104,道路不洁,SJ01,event,department,CGJ,1,work_hours,1,work_hours,3,work_hours,2,work_hours,2,1';
      const bad = [
        HEADER,
        good,                                                                                               // line 2
        'SJ0105,水域不洁,SJ01,event,department,CGJ,1,work_hours,1,work_hours,0,work_days,2,work_hours,2,0',    // line 3
        'SJ0106,绿地脏乱,SJ01,event,department,XYZ,1,work_hours,1,work_hours,4,work_hours,2,work_hours,2,1',    // line 4
      ].join('\n') + '\n';

      await page.locator('[data-test=categories-import]').click();
      const dialog = page.locator('.category-import-dialog');
      await dialog.waitFor();
      assert.ok(await dialog.locator('[data-test=import-submit]').isDisabled(), 'nothing to import yet');
      await dialog.locator('[data-test=import-upload] input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await dialog.locator('.el-upload-list__item', { hasText: 'bad.csv' }).waitFor();
      const [resp] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/categories/import', 'POST')),
        dialog.locator('[data-test=import-submit]').click(),
      ]);
      assert.equal(resp.status(), 422);
      assert.match(resp.request().headers()['content-type'], /^text\/csv/);
      const body = await resp.json();
      assert.equal(body.error.code, 'invalid_import');
      await dialog.locator('[data-test=import-report]').waitFor();
      assert.match(await dialog.locator('[data-test=import-error] .el-alert__title').first().innerText(), new RegExp(body.error.message));
      assert.match(await dialog.locator('[data-test=import-problems]').innerText(), /共 2 个问题/);
      const lines = await dialog.locator('[data-test=report-line]').allInnerTexts();
      const columns = await dialog.locator('[data-test=report-column]').allInnerTexts();
      const messages = await dialog.locator('[data-test=report-message]').allInnerTexts();
      assert.deepEqual(lines, ['3', '4']);
      assert.deepEqual(columns, ['handle_limit', 'department_code']);
      assert.match(messages[0], /1至10000/);
      assert.match(messages[1], /部门 XYZ 不存在/);
      await shot(page, 'categories-import-report');
      assert.deepEqual(await catalog(), before, 'nothing was written, not even the good row');

      // A file saved in GBK (as spreadsheet programs in China do by default): the bytes go as they
      // are, the server refuses the name, and the page says how to save the file as UTF-8.
      const gbk = Buffer.concat([Buffer.from(`${HEADER}\nSJ0104,`), Buffer.from([0xb5, 0xc0, 0xc2, 0xb7]),
        Buffer.from(',SJ01,event,department,CGJ,1,work_hours,1,work_hours,3,work_hours,2,work_hours,2,1\n')]);
      await dialog.locator('[data-test=import-upload] input[type=file]').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: gbk });
      await dialog.locator('.el-upload-list__item', { hasText: 'gbk.csv' }).waitFor();
      const [gbkResp] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/categories/import', 'POST')),
        dialog.locator('[data-test=import-submit]').click(),
      ]);
      assert.equal(gbkResp.status(), 422);
      await dialog.locator('[data-test=import-not-utf8]', { hasText: 'CSV UTF-8' }).waitFor();
      assert.deepEqual(await dialog.locator('[data-test=report-line]').allInnerTexts(), ['2']);
      assert.deepEqual(await dialog.locator('[data-test=report-column]').allInnerTexts(), ['name']);
      assert.deepEqual(await catalog(), before);

      // The good row alone: checked (nothing written), then imported.
      await dialog.locator('[data-test=import-upload] input[type=file]').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`${HEADER}\n${good}\n`) });
      await dialog.locator('.el-upload-list__item', { hasText: 'good.csv' }).waitFor();
      await dialog.locator('.el-upload-list__item', { hasText: 'gbk.csv' }).waitFor({ state: 'detached' });
      assert.equal(await dialog.locator('[data-test=import-report]').count(), 0, 'the old report is gone');
      assert.equal(await dialog.locator('[data-test=import-not-utf8]').count(), 0);
      const [dry] = await Promise.all([
        page.waitForResponse((r) => isApi('/api/v1/categories/import', 'POST')(r) && new URL(r.url()).searchParams.get('dry_run') === '1'),
        dialog.locator('[data-test=import-dry-run]').click(),
      ]);
      assert.equal(dry.status(), 200);
      await dialog.locator('[data-test=import-result]', { hasText: '预检通过：共 1 行，导入后将新增 0 个、更新 1 个、0 个不变' }).waitFor();
      assert.deepEqual(await catalog(), before, 'a check writes nothing');
      const [done] = await Promise.all([
        page.waitForResponse((r) => isApi('/api/v1/categories/import', 'POST')(r) && !new URL(r.url()).search),
        dialog.locator('[data-test=import-submit]').click(),
      ]);
      assert.equal(done.status(), 200);
      await dialog.locator('[data-test=import-result]', { hasText: '导入成功：共 1 行，新增 0 个、更新 1 个、0 个不变' }).waitFor();
      await shot(page, 'categories-import-ok');
      assert.deepEqual((await category('SJ0104')).limits.handle, { amount: 3, unit: 'work_hours' });
      await dialog.locator('[data-test=import-close]').click();
      await dialog.waitFor({ state: 'hidden' });
      await row(page, 'SJ0104').locator('[data-test=limit-handle]', { hasText: '3工作时' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('downloads the catalog as CSV in the import format, which imports back unchanged', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await openPage(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-test=categories-export]').click(),
      ]);
      assert.match(download.suggestedFilename(), /^zonegov-categories-\d{8}\.csv$/);
      const bytes = readFileSync(await download.path());
      const csv = bytes.toString('utf8');
      assert.equal(csv.charCodeAt(0), 0xfeff, 'a byte-order mark for spreadsheet programs');
      const lines = csv.slice(1).trimEnd().split('\n');
      assert.equal(lines[0], `${HEADER},active`, 'the columns of data/categories.csv, and active');
      const items = await catalog();
      assert.equal(lines.length - 1, items.length);
      assert.ok(lines.includes('SJ0102,暴露垃圾,SJ01,event,grid,,1,work_hours,1,work_hours,6,work_days,1,work_hours,2,1,1'), 'the edited row');
      assert.ok(lines.includes('SJ0101,私搭乱建,SJ01,event,department,CGJ,1,work_hours,1,work_hours,20,work_days,2,work_hours,2,0,1'));
      const back = await srv.api('POST', '/api/v1/categories/import?dry_run=1', undefined,
        { token: admin, raw: bytes, headers: { 'content-type': 'text/csv; charset=utf-8' } });
      assert.equal(back.status, 200, back.text);
      assert.deepEqual(back.json, { dry_run: true, rows: items.length, added: 0, updated: 0, unchanged: items.length });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('speaks English, and is for administrators only', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await openPage(page);
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-en"]').click();
      await page.locator('[data-test=categories-table] .el-table__header', { hasText: 'Time limits' }).waitFor();
      const header = await page.locator('[data-test=categories-table] .el-table__header').innerText();
      for (const h of ['Code', 'Name', 'Kind', 'Handled by', 'Accept', 'Dispatch', 'Handle', 'Verify', 'Priority', 'Auto-accept']) {
        assert.ok(header.includes(h), `header has ${h}: ${header}`);
      }
      assert.match(await row(page, 'SJ0102').innerText(), /Event[\s\S]*In the grid[\s\S]*6 work d/);
      assert.match(await page.locator('[data-test=categories-count]').innerText(), /categories, \d+ subcategories/);
      await page.locator('[data-test="edit-SJ0101"]').click();
      await page.locator('.category-dialog .el-dialog__title', { hasText: 'Edit case category SJ0101' }).waitFor();
      await shot(page, 'categories-english-dialog');
      await page.locator('.category-dialog [data-test=category-form-cancel]').click();
      await page.locator('.category-dialog').waitFor({ state: 'hidden' });
      await page.evaluate(() => { document.querySelector('[data-test=main]').scrollTop = 0; });
      await shot(page, 'categories-english');
      await page.locator('[data-test=lang-switch]').click();
      await page.locator('[data-test="lang-zh-CN"]').click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }

    const other = await newPage(browser);
    try {
      await loginAs(other.page, 'dispatcher');
      assert.equal(await other.page.locator('[data-test=menu-system-categories]').count(), 0, 'no menu entry');
      await other.page.goto(srv.url + '/#/system/categories');
      await other.page.locator('[data-test=forbidden]').waitFor();
      assert.equal(await other.page.locator('[data-test=categories-table]').count(), 0);
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context.close();
    }
  });
});
