// Browser test of the grid map page (网格地图) against a real zonegov server
// with the demo zone (410972: 3 streets, 15 communities, 400 grids, 2000
// micro-grids):
//   node --test tests/e2e/
// Needs build/zonegov, build/web (scripts/build-web.sh build/web), node_modules
// (playwright-core, leaflet) and Chromium at /usr/bin/chromium (override with
// CHROMIUM). Screenshots go to build/artifacts/e2e-map*.png.
//
// The page draws with Leaflet's SVG renderer, so every unit is a <path> with
// data-level and data-code. To click a given lat/lon the test asks the page's
// Leaflet map (window.__zgMap, set only for automated browsers) for the pixel.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkBuiltWeb, isApi, launchBrowser, logIn, newPage, shot, text } from './browser.mjs';
import { startServer } from '../lib/server.mjs';


const GRID = '410972060001001';            // 昆吾社区第1网格: gridleader + gridworker
const GRID_NAME = '昆吾社区第1网格';
const MICROGRID = '410972060001001001';    // its first micro-grid: gridworker
const OUTSIDE = { lat: 35.6, lon: 114.9 }; // west of the zone
const COUNTS = { zone: 1, street: 3, community: 15, grid: 400, microgrid: 2000 };
// A 1×1 light grey PNG served for every map tile.
const TILE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC', 'base64');

let srv;
let browser;

function isFeatures(level) {
  return (r) => isApi('/api/v1/map/features')(r) && new URL(r.url()).searchParams.get('level') === level;
}

const loginAs = (page, username, { password, server = srv } = {}) => logIn(page, server, username, password);

async function switchLang(page, code) {
  await page.locator('[data-test=lang-switch]').click();
  const item = page.locator(`[data-test="lang-${code}"]`);
  await item.waitFor({ state: 'visible' });
  await item.click();
}

// Opens 网格地图 from the menu and waits until its default levels are drawn.
async function openMap(page) {
  const [grids] = await Promise.all([
    page.waitForResponse(isFeatures('grid')),
    page.locator('[data-test=menu-grid-map]').click(),
  ]);
  assert.equal(grids.status(), 200);
  await page.locator('[data-test=map][data-state=ready]').waitFor();
  assert.match(page.url(), /#\/grid-map$/);
}

async function pathCount(page, level) {
  return page.locator(`[data-test=map] path[data-level=${level}]`).count();
}

async function waitPaths(page, level, n) {
  await page.waitForFunction(([lv, k]) => document.querySelectorAll(`[data-test=map] path[data-level=${lv}]`).length === k,
    [level, n]);
}

// Centres the map on a point without animation and returns its pixel on the
// page, checking that nothing (search box, panel, …) covers it there.
async function centreOn(page, { lat, lon }, zoom) {
  const px = await page.evaluate(([la, lo, z]) => {
    const m = window.__zgMap;
    m.setView([la, lo], z, { animate: false });
    const p = m.latLngToContainerPoint([la, lo]);
    const r = m.getContainer().getBoundingClientRect();
    const x = r.left + p.x;
    const y = r.top + p.y;
    const hit = document.elementFromPoint(x, y);
    return { x, y, onMap: !!(hit && hit.closest('[data-test=map]')) };
  }, [lat, lon, zoom]);
  assert.ok(px.onMap, `the map is clickable at ${lat},${lon}`);
  return px;
}

async function mapSettled(page) {
  await page.locator('[data-test=map]:not([data-moving])').waitFor();
}

// Clicks the map at a point and returns the /locate response.
async function clickAt(page, point, zoom) {
  const px = await centreOn(page, point, zoom);
  await page.waitForTimeout(100); // let the renderer follow the new view
  const [resp] = await Promise.all([
    page.waitForResponse(isApi('/api/v1/locate')),
    page.mouse.click(px.x, px.y),
  ]);
  return resp;
}

function unitBlock(page, code) {
  return page.locator(`[data-test=map-panel] [data-test=panel-unit][data-code="${code}"]`);
}

function personRow(page, code, username) {
  return unitBlock(page, code).locator(`[data-test=person-row][data-username="${username}"]`);
}

let adminToken;
let grid;

before(async () => {
  checkBuiltWeb();
  srv = await startServer();
  adminToken = await srv.login('admin');
  const r = await srv.api('GET', `/api/v1/units/${GRID}`, undefined, { token: adminToken });
  assert.equal(r.status, 200, r.text);
  grid = r.json;
  assert.equal(grid.name, GRID_NAME);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

describe('grid map', () => {
  it('admin: levels drawn, click a grid, outside the zone, micro-grids, search, English', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'admin');
      // The dashboard tile of the map is no longer marked as coming soon.
      await page.locator('[data-test=module-gridMap]').waitFor();
      assert.equal(await page.locator('[data-test=module-gridMap] .module-tile__tag').count(), 0);

      // --- the map with streets, communities and grids; no tiles by default
      await openMap(page);
      assert.match(await text(page, '[data-test=breadcrumb]'), /网格地图/);
      assert.equal(await page.locator('[data-test=coming-soon]').count(), 0);
      for (const level of ['zone', 'street', 'community', 'grid']) {
        assert.equal(await pathCount(page, level), COUNTS[level], `${level} polygons drawn`);
      }
      assert.equal(await pathCount(page, 'microgrid'), 0, 'micro-grids wait for zoom or the switch');
      assert.equal(await page.locator('[data-test=map] .leaflet-tile').count(), 0, 'no tile layer without settings');
      assert.equal(await page.locator('[data-test=map-level-microgrid] input').isChecked(), false);
      const layersZh = await text(page, '[data-test=map-layers]');
      for (const label of ['开发区', '街道/乡镇', '社区/村', '网格', '微网格', '400', '2000']) {
        assert.ok(layersZh.includes(label), `layer switcher shows ${label}: ${layersZh}`);
      }
      // Fitted to the zone: its centre is in view.
      const zp = (await srv.api('GET', '/api/v1/units/410972', undefined, { token: adminToken })).json.point;
      assert.ok(await page.evaluate(([la, lo]) => window.__zgMap.getBounds().contains([la, lo]), [zp.lat, zp.lon]));
      await shot(page, 'map');

      // Unticking a level removes its polygons; ticking brings them back.
      await page.locator('[data-test=map-level-community]').click();
      await waitPaths(page, 'community', 0);
      assert.equal(await page.locator('[data-test=map-level-community] input').isChecked(), false);
      await page.locator('[data-test=map-level-community]').click();
      await waitPaths(page, 'community', COUNTS.community);

      // --- click the demo grid at its label point (from GET /units/{code})
      const located = await clickAt(page, grid.point, 15);
      assert.equal(located.status(), 200);
      const chain = (await located.json()).units;
      assert.ok(chain.some((u) => u.code === GRID), `the clicked point lies in ${GRID}: ${JSON.stringify(chain)}`);
      assert.equal(chain.at(-1).level, 'zone');
      const panel = page.locator('[data-test=map-panel]');
      await unitBlock(page, GRID).waitFor();
      assert.match(await unitBlock(page, GRID).innerText(), new RegExp(GRID_NAME));
      assert.match(await unitBlock(page, GRID).locator('[data-test=panel-unit-level]').innerText(), /^网格$/);
      assert.match(await unitBlock(page, GRID).innerText(), new RegExp(GRID));
      const leaderRow = personRow(page, GRID, 'gridleader');
      const workerRow = personRow(page, GRID, 'gridworker');
      assert.equal((await leaderRow.locator('[data-test=person-name]').innerText()).trim(), '赵网格长');
      assert.equal((await leaderRow.locator('[data-test=person-duty]').innerText()).trim(), '网格长');
      assert.equal((await workerRow.locator('[data-test=person-name]').innerText()).trim(), '刘网格员');
      assert.equal((await workerRow.locator('[data-test=person-duty]').innerText()).trim(), '网格员');
      assert.match(await leaderRow.innerText(), /13903930004/, 'admins see the whole phone number');
      // Every level of the chain is listed, finest first, with Chinese level names.
      assert.deepEqual(await panel.locator('[data-test=panel-unit]').evaluateAll((els) => els.map((e) => e.dataset.code)),
        chain.map((u) => u.code));
      const panelText = await panel.innerText();
      for (const label of ['开发区', '街道/乡镇', '社区/村', '分包领导', '王主任']) {
        assert.ok(panelText.includes(label), `panel shows ${label}`);
      }
      // The grid is highlighted (micro-grids are not on the map at zoom 15).
      await page.locator('[data-test=map-highlight]').waitFor();
      assert.match(await unitBlock(page, GRID).getAttribute('class'), /is-selected/);
      // The corner box shows the clicked point (WGS-84).
      await page.mouse.move(1, 899);
      const coords = await text(page, '[data-test=map-coords]');
      assert.match(coords, /选中点/);
      assert.match(coords, new RegExp(grid.point.lon.toFixed(3).replace('.', '\\.')));
      assert.match(coords, new RegExp(grid.point.lat.toFixed(3).replace('.', '\\.')));
      assert.match(coords, /WGS-84/);
      await shot(page, 'map-panel');

      // --- a click outside the zone shows the server's message
      const outside = await clickAt(page, OUTSIDE, 14);
      assert.equal(outside.status(), 404);
      const outsideErr = (await outside.json()).error;
      assert.equal(outsideErr.code, 'outside_zone');
      await page.locator('[data-test=map-panel-error-text]', { hasText: outsideErr.message }).waitFor();
      assert.equal(await panel.locator('[data-test=panel-unit]').count(), 0);
      assert.equal(await page.locator('[data-test=map-highlight]').count(), 0);
      await shot(page, 'map-outside');

      // --- zooming in to 16 brings the micro-grids
      const [micro] = await Promise.all([
        page.waitForResponse(isFeatures('microgrid')),
        centreOn(page, grid.point, 16),
      ]);
      assert.equal(micro.status(), 200);
      await waitPaths(page, 'microgrid', COUNTS.microgrid);
      assert.equal(await page.locator('[data-test=map-level-microgrid] input').isChecked(), true);

      // --- 全区 goes back to the whole zone
      await page.locator('[data-test=map-whole-zone]').click();
      await page.waitForFunction(() => window.__zgMap.getZoom() < 14);
      await mapSettled(page);

      // --- search by name and pick the grid: the map flies there and the panel opens
      await page.locator('[data-test=map-search]').fill(GRID_NAME);
      const option = page.locator(`[data-test="map-search-option-${GRID}"]`);
      await option.waitFor();
      await shot(page, 'map-search-list');
      const [unitResp] = await Promise.all([
        page.waitForResponse(isApi(`/api/v1/units/${GRID}`)),
        option.click(),
      ]);
      assert.equal(unitResp.status(), 200);
      await page.locator('[data-test=map-panel] [data-test=panel-unit]').first().waitFor();
      await page.waitForFunction((code) => {
        const first = document.querySelector('[data-test=map-panel] [data-test=panel-unit]');
        return first && first.dataset.code === code;
      }, GRID);
      assert.equal(await page.locator('[data-test=map-search]').inputValue(), GRID_NAME);
      assert.equal((await personRow(page, GRID, 'gridleader').locator('[data-test=person-name]').innerText()).trim(), '赵网格长');
      // After the flight the grid's point is in view.
      await page.waitForFunction(([la, lo]) => {
        const m = window.__zgMap;
        return m.getZoom() >= 15 && m.getBounds().contains([la, lo]);
      }, [grid.point.lat, grid.point.lon]);
      await mapSettled(page);
      await page.locator('[data-test=map-highlight]').waitFor();
      await shot(page, 'map-search');

      // --- English
      await switchLang(page, 'en');
      await page.locator('[data-test=map-layers]', { hasText: 'Street / town' }).waitFor();
      const layersEn = await text(page, '[data-test=map-layers]');
      for (const label of ['Layers', 'Zone', 'Street / town', 'Community / village', 'Grid', 'Micro-grid']) {
        assert.ok(layersEn.includes(label), `English layer switcher shows ${label}: ${layersEn}`);
      }
      assert.ok(!/[街社网]/.test(layersEn), `no Chinese in the English layer switcher: ${layersEn}`);
      assert.equal((await unitBlock(page, GRID).locator('[data-test=panel-unit-level]').innerText()).trim(), 'Grid');
      assert.equal((await personRow(page, GRID, 'gridleader').locator('[data-test=person-duty]').innerText()).trim(), 'Grid leader');
      assert.equal((await personRow(page, GRID, 'gridworker').locator('[data-test=person-duty]').innerText()).trim(), 'Grid worker');
      assert.match(await text(page, '[data-test=map-panel]'), /Unit details/);
      assert.match(await text(page, '[data-test=map-panel]'), /Leader in charge/);
      assert.equal(await page.locator('[data-test=map-search]').getAttribute('placeholder'), 'Search a unit by name or code');
      assert.match(await text(page, '[data-test=breadcrumb]'), /Grid Map/);
      assert.match(await text(page, '[data-test=map-coords]'), /Selected\s+Lon [\d.]+\s+Lat [\d.]+/);
      await shot(page, 'map-english');

      // The outside-zone message follows the language too.
      const outsideEn = await clickAt(page, OUTSIDE, 14);
      assert.equal(outsideEn.status(), 404);
      await page.locator('[data-test=map-panel-error-text]', { hasText: (await outsideEn.json()).error.message_en }).waitFor();
      assert.match(await text(page, '[data-test=map-panel]'), /Outside the zone/);
      await page.locator('[data-test=map-panel-close]').click();
      await page.locator('[data-test=map-panel]').waitFor({ state: 'hidden' });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('grid worker: micro-grid switch, own micro-grid with masked phones', async () => {
    const { context, page, problems } = await newPage(browser);
    try {
      await loginAs(page, 'gridworker');
      await openMap(page);
      // Turning micro-grids on loads all of them at once, whatever the zoom.
      const [micro] = await Promise.all([
        page.waitForResponse(isFeatures('microgrid')),
        page.locator('[data-test=map-level-microgrid]').click(),
      ]);
      assert.equal(micro.status(), 200);
      await waitPaths(page, 'microgrid', COUNTS.microgrid);

      const token = await srv.login('gridworker');
      const mg = (await srv.api('GET', `/api/v1/units/${MICROGRID}`, undefined, { token })).json;
      const located = await clickAt(page, mg.point, 15);
      assert.equal(located.status(), 200);
      await unitBlock(page, MICROGRID).waitFor();
      // The finest unit is the micro-grid, highlighted since micro-grids are on the map.
      const first = page.locator('[data-test=map-panel] [data-test=panel-unit]').first();
      assert.equal(await first.getAttribute('data-code'), MICROGRID);
      assert.match(await first.getAttribute('class'), /is-selected/);
      assert.match(await first.innerText(), /微网格/);
      const row = personRow(page, MICROGRID, 'gridworker');
      assert.equal((await row.locator('[data-test=person-duty]').innerText()).trim(), '微网格员');
      assert.equal((await row.locator('[data-test=person-name]').innerText()).trim(), '刘网格员');
      assert.match(await row.innerText(), /139\*{4}0005/, 'phones are masked for a grid worker');
      assert.equal(await row.locator('a[href^="tel:"]').count(), 0, 'a masked number is not a link');
      assert.equal((await personRow(page, GRID, 'gridleader').locator('[data-test=person-duty]').innerText()).trim(), '网格长');
      await shot(page, 'map-microgrid');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('draws the tile layer named by the settings, under the CSP', async () => {
    // {s} subdomains: the server's CSP allows https://*.tiles.example.test; the browser gets the
    // tiles from here, not from the network.
    const tiled = await startServer({
      env: {
        ZONEGOV_MAP_TILE_URL: 'https://{s}.tiles.example.test/{z}/{x}/{y}.png',
        ZONEGOV_MAP_TILE_ATTRIBUTION: '© 测试底图 <b>',
      },
    });
    const { context, page, problems } = await newPage(browser);
    try {
      let tiles = 0;
      await context.route('https://*.tiles.example.test/**', (route) => {
        tiles++;
        return route.fulfill({ status: 200, contentType: 'image/png', body: TILE_PNG });
      });
      await loginAs(page, 'dispatcher', { server: tiled });
      const [settings] = await Promise.all([
        page.waitForResponse(isApi('/api/v1/settings')),
        openMap(page),
      ]);
      assert.equal((await settings.json()).map.tile_url, 'https://{s}.tiles.example.test/{z}/{x}/{y}.png');
      await page.locator('[data-test=map] .leaflet-tile-loaded').first().waitFor();
      assert.ok(tiles > 0, 'tiles were requested');
      // The attribution is text, not HTML.
      assert.match(await text(page, '[data-test=map] .leaflet-control-attribution'), /© 测试底图 <b>/);
      assert.equal(await page.locator('[data-test=map] .leaflet-control-attribution b').count(), 0);
      assert.equal(await pathCount(page, 'grid'), COUNTS.grid);
      await shot(page, 'map-tiles');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      await tiled.stop();
    }
  });
});
