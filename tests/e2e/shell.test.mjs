// Browser test of the web shell against a real zonegov server:
//   node --test tests/e2e/
// Needs build/zonegov and the built web app beside it (build/web, made by
// `scripts/build-web.sh build/web`), node_modules (playwright-core) and
// Chromium at /usr/bin/chromium (override with CHROMIUM). Screenshots go to
// build/artifacts/e2e-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkBuiltWeb, isApi, launchBrowser, newPage, shot, text } from './browser.mjs';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';

const DEMO_USERS = ['admin', 'leader', 'dispatcher', 'handler', 'gridleader', 'gridworker', 'supervisor'];
const ZH_MENU = ['工作台', '事件工单', '我的待办', '事件查询', '新建事件', '网格地图', '重点项目', '企业服务', '安全检查', '统计考核', '系统管理', '用户管理'];
const EN_MENU = ['Dashboard', 'Cases', 'My To-do', 'All Cases', 'New Case', 'Grid Map', 'Key Projects', 'Enterprise Services', 'Safety Inspections',
  'Statistics & Assessment', 'System', 'Users'];

let srv;
let browser;

async function loginAs(page, username, password) {
  await page.locator('[data-test=login-username]').fill(username);
  await page.locator('[data-test=login-password]').fill(password);
  const [resp] = await Promise.all([
    page.waitForResponse(isApi('/api/v1/auth/login', 'POST')),
    page.locator('[data-test=login-submit]').click(),
  ]);
  return resp;
}

async function usernamesInTable(page) {
  return (await page.locator('[data-test=users-table] [data-test=cell-username]').allInnerTexts()).map((s) => s.trim());
}

async function switchLang(page, code) {
  await page.locator('[data-test=lang-switch]').click();
  const item = page.locator(`[data-test="lang-${code}"]`);
  await item.waitFor({ state: 'visible' });
  await item.click();
}

before(async () => {
  checkBuiltWeb();
  srv = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

describe('web shell', () => {
  it('shows the server message for a wrong password, in the chosen language', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await page.goto(srv.url + '/');
      await page.locator('[data-test=login-page]').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      assert.match(await text(page, '[data-test=login-page]'), /经开区智慧治理平台/);

      const resp = await loginAs(page, 'admin', 'not-the-password-1');
      assert.equal(resp.status(), 401);
      const body = await resp.json();
      assert.equal(body.error.code, 'invalid_credentials');
      await page.locator('[data-test=login-error]').waitFor();
      assert.equal(await text(page, '[data-test=login-error] .el-alert__title'), body.error.message);
      assert.equal(await page.locator('[data-test=menu]').count(), 0, 'no frame after a failed login');
      assert.equal(await page.locator('[data-test=login-password]').inputValue(), '', 'password field cleared');
      await shot(page, 'login-error');

      // The same error in English after switching the language.
      await page.locator('[data-test=login-lang-switch]').click();
      await page.locator('[data-test=login-error]', { hasText: body.error.message_en }).waitFor();
      assert.equal(await text(page, '[data-test=login-error] .el-alert__title'), body.error.message_en);
      assert.equal(await text(page, '[data-test=login-submit]'), 'Log in');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('admin: frame, language switch, user management, logout', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      // --- login page, Chinese by default
      await page.goto(srv.url + '/');
      await page.locator('[data-test=login-page]').waitFor();
      assert.match(page.url(), /#\/login$/);
      assert.equal(await text(page, '.login-form__title'), '用户登录');
      await shot(page, 'login');

      // --- log in: the frame with menu, user name and role
      const resp = await loginAs(page, 'admin', DEMO_PASSWORD);
      assert.equal(resp.status(), 200);
      const { user } = await resp.json();
      assert.equal(user.username, 'admin');
      assert.ok(user.roles.includes('admin'));
      await page.locator('[data-test=menu]').waitFor();
      await page.locator('[data-test=dashboard]').waitFor();
      assert.match(page.url(), /#\/dashboard$/);
      const menuZh = await text(page, '[data-test=menu]');
      for (const label of ZH_MENU) assert.ok(menuZh.includes(label), `menu has ${label}: ${menuZh}`);
      assert.equal(await text(page, '[data-test=user-name]'), user.name);
      assert.match(await text(page, '[data-test=user-roles]'), /系统管理员/);
      assert.equal(await text(page, '[data-test=account-name]'), user.name);
      assert.equal(await text(page, '[data-test=account-username]'), 'admin');
      assert.match(await text(page, '[data-test=account-roles]'), /系统管理员/);
      assert.match(await text(page, '[data-test=app-title]'), /经开区智慧治理平台/);
      await shot(page, 'dashboard');

      // --- a module not built yet shows the coming-soon state
      await page.locator('[data-test=menu-enterprise]').click();
      await page.locator('[data-test=coming-soon]').waitFor();
      assert.match(page.url(), /#\/enterprise$/);
      assert.equal(await text(page, '[data-test=coming-soon]'), '功能建设中');
      assert.match(await text(page, '[data-test=breadcrumb]'), /企业服务/);

      // --- English
      await switchLang(page, 'en');
      await page.locator('[data-test=menu]', { hasText: 'My To-do' }).waitFor();
      const menuEn = await text(page, '[data-test=menu]');
      for (const label of EN_MENU) assert.ok(menuEn.includes(label), `English menu has ${label}: ${menuEn}`);
      assert.ok(!menuEn.includes('工作台'), 'no Chinese left in the English menu');
      assert.equal(await text(page, '[data-test=coming-soon]'), 'Coming soon');
      assert.match(await text(page, '[data-test=user-roles]'), /System administrator/);
      assert.equal(await page.evaluate(() => localStorage.getItem('zonegov.lang')), 'en');
      await shot(page, 'english');

      // The choice survives a reload (and so does the session cookie).
      await page.reload();
      await page.locator('[data-test=menu]', { hasText: 'My To-do' }).waitFor();
      assert.equal(await text(page, '[data-test=user-name]'), user.name);

      // Element Plus speaks English too (pagination of the user list).
      const [listEn] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/users')),
        page.locator('[data-test=menu-system-users]').click(),
      ]);
      assert.equal(listEn.status(), 200);
      const totalEn = (await listEn.json()).total;
      await page.locator('[data-test=users-pagination] .el-pagination__total', { hasText: `Total ${totalEn}` }).waitFor();

      // --- back to Chinese
      await switchLang(page, 'zh-CN');
      await page.locator('[data-test=menu]', { hasText: '工作台' }).waitFor();
      assert.ok(!(await text(page, '[data-test=menu]')).includes('My To-do'));
      await page.locator('[data-test=users-pagination] .el-pagination__total', { hasText: `共 ${totalEn} 条` }).waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('zonegov.lang')), 'zh-CN');

      // --- user management: the demo users are listed
      const [list] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/users')),
        page.locator('[data-test=users-refresh]').click(),
      ]);
      const listBody = await list.json();
      assert.match(page.url(), /#\/system\/users$/);
      assert.match(await text(page, '[data-test=breadcrumb]'), /系统管理\s*\/\s*用户管理/);
      await page.locator('[data-test=cell-username]', { hasText: 'supervisor' }).waitFor();
      const shown = await usernamesInTable(page);
      for (const u of DEMO_USERS) assert.ok(shown.includes(u), `user list shows ${u}: ${shown}`);
      assert.deepEqual(shown, listBody.items.map((u) => u.username));
      const adminRow = page.locator('[data-test=users-table] .el-table__body-wrapper tr')
        .filter({ has: page.locator('[data-test=cell-username]', { hasText: /^admin$/ }) });
      assert.match(await adminRow.innerText(), /系统管理员/);
      await shot(page, 'users');

      // Search narrows the list to what the server returns.
      await page.locator('[data-test=users-search]').fill('grid');
      const [found] = await Promise.all([
        page.waitForResponse((r) => isApi('/api/v1/users')(r) && new URL(r.url()).searchParams.get('q') === 'grid'),
        page.locator('[data-test=users-search-submit]').click(),
      ]);
      const foundNames = (await found.json()).items.map((u) => u.username);
      assert.ok(foundNames.includes('gridleader') && foundNames.includes('gridworker'), `search result: ${foundNames}`);
      await page.waitForFunction((n) => document.querySelectorAll('[data-test=users-table] [data-test=cell-username]').length === n,
        foundNames.length);
      assert.deepEqual(await usernamesInTable(page), foundNames);
      assert.ok(!(await usernamesInTable(page)).includes('admin'));
      await Promise.all([
        page.waitForResponse(isApi('/api/v1/users')),
        page.locator('[data-test=users-search-reset]').click(),
      ]);
      await page.locator('[data-test=cell-username]', { hasText: 'supervisor' }).waitFor();

      // --- 新增用户: client-side validation first (nothing is sent)
      let posts = 0;
      page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/users' && r.method() === 'POST') posts++; });
      await page.locator('[data-test=users-add]').click();
      const dialog = page.locator('.user-dialog');
      await dialog.waitFor();
      await page.locator('[data-test=user-form-submit]').click();
      await dialog.locator('.el-form-item__error').first().waitFor();
      assert.ok(await dialog.locator('.el-form-item__error').count() >= 4, 'username, name, password, roles are required');
      await page.locator('[data-test=user-form-username]').fill('Bad Name');
      await page.locator('[data-test=user-form-password]').fill('short');
      await page.locator('[data-test=user-form-phone]').fill('12345');
      await page.locator('[data-test=user-form-submit]').click();
      await dialog.locator('.el-form-item__error', { hasText: '用户名须为' }).waitFor();
      await dialog.locator('.el-form-item__error', { hasText: '密码长度' }).waitFor();
      await dialog.locator('.el-form-item__error', { hasText: '手机号码' }).waitFor();
      await shot(page, 'user-dialog-invalid');
      assert.equal(posts, 0, 'an invalid form is not sent');

      // A valid new user.
      const newName = `e2e_${Date.now() % 1000000}`;
      await page.locator('[data-test=user-form-username]').fill(newName);
      await page.locator('[data-test=user-form-name]').fill('测试网格员');
      await page.locator('[data-test=user-form-password]').fill('e2e-password-2026');
      await page.locator('[data-test=user-form-phone]').fill('13800001234');
      await page.locator('[data-test=user-form-roles]').click();
      await page.locator('[data-test=role-option-grid_worker]').click();
      await page.locator('[data-test=user-form-name]').click(); // close the select
      const [created] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/users', 'POST')),
        page.locator('[data-test=user-form-submit]').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      const createdUser = (await created.json()).user;
      assert.deepEqual(createdUser.roles, ['grid_worker']);
      await dialog.waitFor({ state: 'hidden' });
      const newRow = page.locator('[data-test=users-table] .el-table__body-wrapper tr', { hasText: newName });
      await newRow.waitFor();
      const newRowText = await newRow.innerText();
      assert.match(newRowText, /测试网格员/);
      assert.match(newRowText, /网格员/);
      assert.match(newRowText, /138\*{4}1234/);
      assert.match(newRowText, /正常/);

      // Edit: a new name is saved and shown.
      await page.locator(`[data-test="edit-${newName}"]`).click();
      await dialog.waitFor();
      assert.equal(await page.locator('[data-test=user-form-username]').inputValue(), newName);
      assert.ok(await page.locator('[data-test=user-form-username]').isDisabled(), 'username cannot change');
      await page.locator('[data-test=user-form-name]').fill('测试网格员二');
      const [edited] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/users/${createdUser.id}`, 'PATCH')),
        page.locator('[data-test=user-form-submit]').click(),
      ]);
      assert.equal(edited.status(), 200);
      assert.deepEqual(JSON.parse(edited.request().postData()), { name: '测试网格员二' });
      await dialog.waitFor({ state: 'hidden' });
      await newRow.filter({ hasText: '测试网格员二' }).waitFor();

      // The same username again: the server's conflict message shows on the field.
      await page.locator('[data-test=users-add]').click();
      await dialog.waitFor();
      await page.locator('[data-test=user-form-username]').fill(newName);
      await page.locator('[data-test=user-form-name]').fill('重复用户');
      await page.locator('[data-test=user-form-password]').fill('e2e-password-2026');
      await page.locator('[data-test=user-form-roles]').click();
      await page.locator('[data-test=role-option-supervisor]').click();
      await page.locator('[data-test=user-form-name]').click();
      const [dup] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/users', 'POST')),
        page.locator('[data-test=user-form-submit]').click(),
      ]);
      assert.equal(dup.status(), 409);
      const dupErr = (await dup.json()).error;
      await dialog.locator('.el-form-item__error', { hasText: dupErr.message }).waitFor();
      await shot(page, 'user-dialog-conflict');
      await page.locator('[data-test=user-form-cancel]').click();
      await dialog.waitFor({ state: 'hidden' });

      // Disable, then enable the new user.
      await page.locator(`[data-test="disable-${newName}"]`).click();
      const [disabled] = await Promise.all([
        page.waitForResponse((r) => isApi(`/api/v1/users/${createdUser.id}`, 'PATCH')(r)),
        page.locator('.el-message-box .el-button--primary').click(),
      ]);
      assert.equal(disabled.status(), 200);
      assert.equal((await disabled.json()).user.disabled, true);
      await page.locator(`[data-test="status-${newName}"]`, { hasText: '停用' }).waitFor();
      const check = await page.evaluate(async (q) => {
        const r = await fetch(`api/v1/users?q=${q}`, { credentials: 'same-origin' });
        return (await r.json()).items.find((u) => u.username === q);
      }, newName);
      assert.equal(check.disabled, true, 'the server has the user disabled');
      await page.locator(`[data-test="enable-${newName}"]`).click();
      const [enabled] = await Promise.all([
        page.waitForResponse((r) => isApi(`/api/v1/users/${createdUser.id}`, 'PATCH')(r)),
        page.locator('.el-message-box .el-button--primary').click(),
      ]);
      assert.equal((await enabled.json()).user.disabled, false);
      await page.locator(`[data-test="status-${newName}"]`, { hasText: '正常' }).waitFor();
      // The signed-in admin cannot disable themselves from here.
      assert.equal(await page.locator('[data-test="disable-admin"]').count(), 0);

      // --- log out
      await page.locator('[data-test=user-dropdown]').click();
      await page.locator('[data-test=logout]').waitFor({ state: 'visible' });
      const [out] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/auth/logout', 'POST')),
        page.locator('[data-test=logout]').click(),
      ]);
      assert.equal(out.status(), 204);
      await page.locator('[data-test=login-page]').waitFor();
      assert.match(page.url(), /#\/login$/);
      assert.equal(await page.locator('[data-test=menu]').count(), 0);
      assert.equal(await page.evaluate(async () => (await fetch('api/v1/me', { credentials: 'same-origin' })).status), 401,
        'the session is gone on the server too');
      await shot(page, 'logout');

      // A protected page now leads to the login page, and back there after login.
      await page.goto(srv.url + '/#/system/users');
      await page.locator('[data-test=login-page]').waitFor();
      assert.match(page.url(), /#\/login\?redirect=%2Fsystem%2Fusers$/);
      assert.equal((await loginAs(page, 'admin', DEMO_PASSWORD)).status(), 200);
      await page.locator('[data-test=users-page]').waitFor();
      assert.match(page.url(), /#\/system\/users$/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('a non-admin sees no 系统管理 and gets 403 on the user page', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await page.goto(srv.url + '/');
      await page.locator('[data-test=login-page]').waitFor();
      const resp = await loginAs(page, 'gridworker', DEMO_PASSWORD);
      assert.equal(resp.status(), 200);
      const { user } = await resp.json();
      await page.locator('[data-test=menu]').waitFor();
      const menu = await text(page, '[data-test=menu]');
      assert.ok(menu.includes('工作台') && menu.includes('事件工单'));
      assert.ok(!menu.includes('系统管理') && !menu.includes('用户管理'), `no system menu: ${menu}`);
      assert.equal(await text(page, '[data-test=user-name]'), user.name);
      assert.match(await text(page, '[data-test=user-roles]'), /网格员/);
      await page.goto(srv.url + '/#/system/users');
      await page.locator('[data-test=forbidden]').waitFor();
      assert.equal(await page.locator('[data-test=users-table]').count(), 0);
      await shot(page, 'forbidden');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('too many attempts and an expired session are handled', async () => {
    const short = await startServer({
      env: { ZONEGOV_SESSION_TTL: '2', ZONEGOV_LOGIN_MAX_FAILURES: '2', ZONEGOV_LOGIN_BACKOFF: '60' },
    });
    const { context, page, problems } = await newPage(browser);
    try {
      await page.goto(short.url + '/');
      await page.locator('[data-test=login-page]').waitFor();

      // Wrong passwords until the server backs off; its message is shown and the button waits.
      let resp;
      for (let i = 0; i < 6; i++) {
        resp = await loginAs(page, 'leader', `wrong-password-${i}`);
        if (resp.status() === 429) break;
        assert.equal(resp.status(), 401);
      }
      assert.equal(resp.status(), 429, 'the server backs off after repeated failures');
      const body = await resp.json();
      assert.equal(body.error.code, 'too_many_attempts');
      await page.locator('[data-test=login-error]', { hasText: body.error.message }).waitFor();
      assert.ok(await page.locator('[data-test=login-submit]').isDisabled(), 'submit waits for Retry-After');
      assert.match(await text(page, '[data-test=login-submit]'), /请稍候（\d+ 秒）/);
      await shot(page, 'too-many-attempts');

      // The back-off is per user name: another account may log in at once. Its session lasts 2 s:
      // the next request after that leads back to the login page.
      await page.locator('[data-test=login-username]').fill('admin');
      assert.ok(await page.locator('[data-test=login-submit]').isEnabled(), 'another user name need not wait');
      assert.equal((await loginAs(page, 'admin', DEMO_PASSWORD)).status(), 200);
      await page.locator('[data-test=menu-system-users]').click();
      await page.locator('[data-test=cell-username]', { hasText: 'supervisor' }).waitFor();
      await page.waitForTimeout(2500);
      const [expired] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/users')),
        page.locator('[data-test=users-refresh]').click(),
      ]);
      assert.equal(expired.status(), 401);
      await page.locator('[data-test=login-page]').waitFor();
      assert.match(page.url(), /#\/login\?redirect=%2Fsystem%2Fusers$/);
      await page.locator('.el-message', { hasText: '登录状态已失效' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      await short.stop();
    }
  });
});
