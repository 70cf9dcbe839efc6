// Shared by the browser tests: Debian's Chromium through playwright-core,
// a page that records page errors, screenshots, and the check that build/web
// is complete and newer than web/.
//   CHROMIUM overrides /usr/bin/chromium; screenshots go to build/artifacts/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, BIN, DEMO_PASSWORD } from '../lib/server.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'build', 'artifacts');
const WEB_SRC = join(ROOT, 'web');
const WEB_ROOT = join(dirname(BIN), 'web'); // the server's default web root: "web" beside the binary
const REQUIRED = ['index.html', 'public/index.html', 'vendor/vue.global.prod.js', 'vendor/leaflet/leaflet.js',
  'vendor/leaflet/leaflet.css', 'vendor/leaflet/images/layers.png', 'vendor/licenses/leaflet.LICENSE',
  'vendor/echarts/echarts.min.js', 'vendor/licenses/echarts.LICENSE'];

// Fails early and clearly when build/web is missing, incomplete or older than web/.
export function checkBuiltWeb() {
  for (const f of REQUIRED) {
    assert.ok(existsSync(join(WEB_ROOT, f)),
      `${WEB_ROOT}/${f} is missing: run scripts/build-web.sh ${relative(ROOT, WEB_ROOT) || WEB_ROOT} (or make)`);
  }
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
  for (const src of walk(WEB_SRC)) {
    const built = join(WEB_ROOT, relative(WEB_SRC, src));
    assert.ok(existsSync(built) && statSync(built).mtimeMs >= statSync(src).mtimeMs,
      `${relative(ROOT, built)} is missing or older than ${relative(ROOT, src)}: rerun scripts/build-web.sh`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

// Headless Chromium with the flags this machine's closed network needs.
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page in zh-CN and Asia/Shanghai (desktop 1440×900, or a 390×844 phone)
// whose page errors and console errors are collected in `problems`.
export async function newPage(browser, { phone = false } = {}) {
  const options = phone
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
    : { viewport: { width: 1440, height: 900 } };
  const context = await browser.newContext({ ...options, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every non-2xx response (the 401 of GET /me before login, 4xx on purpose).
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console.error: ${m.text()}`);
  });
  return { context, page, problems };
}

// Screenshot build/artifacts/e2e-NAME.png, with the mouse parked in a corner
// (no hover effects) and transitions settled.
export async function shot(page, name, { fullPage = false } = {}) {
  await page.mouse.move(1, page.viewportSize().height - 1);
  if (fullPage) await page.evaluate(() => { window.scrollTo(0, 0); window.getSelection().removeAllRanges(); });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, `e2e-${name}.png`), fullPage });
}

// A predicate for page.waitForResponse: this path and method.
export function isApi(path, method = 'GET') {
  return (r) => {
    const u = new URL(r.url());
    return u.pathname === path && r.request().method() === method;
  };
}

export async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).trim();
}

// Logs in on the staff app of server (from its login page) and waits for the menu;
// the login must succeed.
export async function logIn(page, server, username, password = DEMO_PASSWORD) {
  await page.goto(server.url + '/');
  await page.locator('[data-test=login-page]').waitFor();
  await page.locator('[data-test=login-username]').fill(username);
  await page.locator('[data-test=login-password]').fill(password);
  const [resp] = await Promise.all([
    page.waitForResponse(isApi('/api/v1/auth/login', 'POST')),
    page.locator('[data-test=login-submit]').click(),
  ]);
  assert.equal(resp.status(), 200);
  await page.locator('[data-test=menu]').waitFor();
}

// Centres a Leaflet map (window[name]) on a point and returns its pixel on the
// page, checking that nothing covers the map there.
export async function mapPixel(page, name, { lat, lon }, zoom) {
  await page.locator(`[data-test] .leaflet-container`).first().scrollIntoViewIfNeeded();
  const px = await page.evaluate(([n, la, lo, z]) => {
    const m = window[n];
    m.getContainer().scrollIntoView({ block: 'center' });
    m.setView([la, lo], z, { animate: false });
    const p = m.latLngToContainerPoint([la, lo]);
    const r = m.getContainer().getBoundingClientRect();
    const x = r.left + p.x;
    const y = r.top + p.y;
    const hit = document.elementFromPoint(x, y);
    return { x, y, onMap: !!(hit && hit.closest('.leaflet-container')) };
  }, [name, lat, lon, zoom]);
  assert.ok(px.onMap, `the map ${name} is clickable at ${lat},${lon}`);
  return px;
}

// Picks files in a photo picker (data-test=testId) and waits until each is
// uploaded (one POST to `path` each, answered 201); returns what the picker
// holds for them ({id, mime}). A photo's id is the SHA-256 of its bytes.
export async function pickPhotos(page, testId, files, path) {
  const picker = page.locator(`[data-test=${testId}]`);
  const before = await picker.locator('[data-test=photo-item][data-status=done]').count();
  const statuses = [];
  const got = (r) => { if (isApi(path, 'POST')(r)) statuses.push(r.status()); };
  page.on('response', got);
  await picker.locator('[data-test=photo-input]').setInputFiles(files);
  await picker.locator('[data-test=photo-item][data-status=done]').nth(before + files.length - 1).waitFor();
  page.off('response', got);
  assert.deepEqual(statuses, files.map(() => 201));
  const held = await picker.locator('[data-test=photo-item][data-status=done]').evaluateAll((els) =>
    els.map((e) => ({ id: e.dataset.id, mime: e.dataset.mime })));
  const out = held.slice(before);
  files.forEach((f, i) => assert.equal(out[i].id, createHash('sha256').update(readFileSync(f)).digest('hex'), `the id of ${f}`));
  return out;
}
