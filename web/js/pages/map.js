// 网格地图: the zone's units on a Leaflet map. No tiles unless the server's
// settings name a tile URL (plain background, works offline). Levels are drawn
// in their own panes, coarse over fine; micro-grids load when zoomed in or
// turned on. A click locates the point (GET /locate) and shows the unit chain
// with the people responsible; the search box finds a unit by name or code.
//
// Automated browsers (navigator.webdriver) get the Leaflet map as
// window.__zgMap so a test can turn a lat/lon into a pixel.
import { t, i18n } from '../i18n.js';
import { api, errorMessage } from '../api.js';

const { reactive, ref, computed, watch, markRaw, onMounted, onBeforeUnmount } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

export const LEVELS = ['zone', 'street', 'community', 'grid', 'microgrid'];
const MICRO_ZOOM = 16;                 // micro-grids appear by themselves from this zoom
const PANEL_WIDTH = 360;               // keep in step with .map-panel in app.css
const DEFAULT_SHOWN = { zone: true, street: true, community: true, grid: true, microgrid: false };

// Panes, bottom to top: finer levels under coarser ones, so that street and
// community lines stay on top of the grid; street fills under everything.
const PANES = {
  streetFill: 380, microgrid: 402, grid: 403, community: 404, street: 405, zone: 406,
  highlight: 450, labels: 460, point: 470,
};

// Line styles per level (also drawn in the layer legend).
export const STYLE = {
  zone: { color: '#c0392b', weight: 3, opacity: 0.9, dashArray: '12 5 2 5', fill: false },
  street: { color: '#1b4a8a', weight: 2.6, opacity: 0.95, fill: false },
  community: { color: '#2f7fd1', weight: 1.6, opacity: 0.9, dashArray: '7 4', fill: false },
  grid: { color: '#8197b3', weight: 0.9, opacity: 0.95, fillColor: '#ffffff', fillOpacity: 0.01 },
  microgrid: { color: '#9db0c6', weight: 0.6, opacity: 0.9, dashArray: '2 3', fillColor: '#ffffff', fillOpacity: 0.01 },
};
const HOVER = {
  grid: { color: '#1d6fdc', weight: 1.8, fillColor: '#1d6fdc', fillOpacity: 0.1 },
  microgrid: { color: '#1d6fdc', weight: 1.2, fillColor: '#1d6fdc', fillOpacity: 0.08 },
};
const HIGHLIGHT = { color: '#f56c00', weight: 3, opacity: 1, fillColor: '#ffb020', fillOpacity: 0.28, interactive: false };
const STREET_FILLS = ['#dce9fb', '#dff2e6', '#fcefdc', '#eee5f8', '#fde4e2', '#e0f3f4'];
// Zoom ranges in which a level's names are shown.
const LABEL_ZOOM = { street: [0, 13.75], community: [13, 15.75], grid: [15, 99] };

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function levelName(level) {
  const s = t('map.level.' + level);
  return s === 'map.level.' + level ? level : s;
}

export function dutyName(duty) {
  const s = t('map.duty.' + duty);
  return s === 'map.duty.' + duty ? duty : s;
}

function fmt(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(6) : '—';
}

export default {
  name: 'GridMapPage',
  setup() {
    const L = window.L;
    const mapEl = ref(null);
    const shellEl = ref(null);

    const state = reactive({
      loading: true,
      ready: false,
      loadError: null,
      zoom: null,
      shown: { ...DEFAULT_SHOWN },
      microAuto: true,                     // micro-grids follow the zoom until the user toggles them
      counts: Object.fromEntries(LEVELS.map((l) => [l, null])),
      levelLoading: Object.fromEntries(LEVELS.map((l) => [l, false])),
      tiles: false,
    });
    const panel = reactive({
      visible: false, loading: false, error: null, units: [], point: null, selected: null, touched: false,
    });
    const coords = reactive({ mouse: null, clicked: null });
    const search = reactive({ text: '' });

    // Leaflet objects stay out of Vue's reactivity.
    let map = null;
    let zoneBounds = null;
    let controls = [];
    let highlightLayer = null;
    let pointMarker = null;
    let resizeObserver = null;
    let seq = 0;
    const layers = {};        // level → { geo, fill, labels, byCode }
    const pending = {};       // level → Promise of its FeatureCollection

    // ---- drawing ----
    function labelMarker(level, p) {
      const pt = p.point;
      if (!pt || typeof pt.lat !== 'number') return null;
      return L.marker([pt.lat, pt.lon], {
        pane: 'zg-labels',
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: 'zg-map-label zg-map-label--' + level, html: `<span>${esc(p.name)}</span>`, iconSize: null }),
      });
    }

    function tooltipHtml(p) {
      return `<div class="zg-map-tip__level">${esc(levelName(p.level))}</div>`
        + `<div class="zg-map-tip__name">${esc(p.name)}</div><div class="zg-map-tip__code">${esc(p.code)}</div>`;
    }

    function build(level, fc) {
      const byCode = new Map();
      const interactive = level === 'grid' || level === 'microgrid';
      const labels = L.layerGroup();
      const geo = L.geoJSON(fc, {
        pane: 'zg-' + level,
        interactive,
        style: () => STYLE[level],
        onEachFeature: (f, layer) => {
          const p = f.properties || {};
          byCode.set(p.code, layer);
          layer.on('add', () => { // each add makes a new <path>
            const el = layer.getElement && layer.getElement();
            if (el) {
              el.setAttribute('data-code', p.code);
              el.setAttribute('data-level', level);
            }
          });
          if (interactive) {
            layer.bindTooltip(() => tooltipHtml(p), { sticky: true, direction: 'top', offset: [0, -10], className: 'zg-map-tip', opacity: 1 });
            layer.on('mouseover', () => layer.setStyle(HOVER[level]));
            layer.on('mouseout', () => layer.setStyle(STYLE[level]));
          }
          if (LABEL_ZOOM[level]) {
            const m = labelMarker(level, p);
            if (m) labels.addLayer(m);
          }
        },
      });
      let fill = null;
      if (level === 'street') {
        let i = 0;
        fill = L.geoJSON(fc, {
          pane: 'zg-streetFill',
          interactive: false,
          style: () => ({ stroke: false, fillColor: STREET_FILLS[i++ % STREET_FILLS.length], fillOpacity: state.tiles ? 0.3 : 0.8 }),
        });
      }
      layers[level] = { geo, fill, labels, byCode };
      state.counts[level] = (fc.features || []).length;
    }

    function loadLevel(level) {
      if (!pending[level]) {
        state.levelLoading[level] = true;
        pending[level] = api.get('/map/features', { query: { level }, silent: true })
          .then((fc) => {
            if (map) build(level, fc);
            return fc;
          })
          .catch((err) => {
            delete pending[level];
            throw err;
          })
          .finally(() => { state.levelLoading[level] = false; });
      }
      return pending[level];
    }

    function setOnMap(layer, on) {
      if (!layer || !map) return;
      if (on && !map.hasLayer(layer)) layer.addTo(map);
      if (!on && map.hasLayer(layer)) map.removeLayer(layer);
    }

    function updateVisibility() {
      if (!map) return;
      const z = map.getZoom();
      for (const level of LEVELS) {
        const l = layers[level];
        if (!l) continue;
        const on = !!state.shown[level];
        setOnMap(l.fill, on);
        setOnMap(l.geo, on);
        const range = LABEL_ZOOM[level];
        setOnMap(l.labels, on && !!range && z >= range[0] && z <= range[1]);
      }
      declutter();
      if (mapEl.value) {
        mapEl.value.dataset.levels = LEVELS.filter((l) => layers[l] && state.shown[l]).join(',');
      }
    }

    // Hides names that would overlap the name of a coarser unit (street over
    // community over grid). Reads every box first, then writes the classes.
    function declutter() {
      const placed = [];
      const changes = [];
      for (const level of ['street', 'community', 'grid']) {
        const l = layers[level];
        if (!l || !map.hasLayer(l.labels)) continue;
        const boxes = l.labels.getLayers()
          .map((m) => m.getElement())
          .filter(Boolean)
          .map((el) => ({ el, r: el.firstElementChild.getBoundingClientRect() }));
        const kept = [];
        for (const { el, r } of boxes) {
          const clash = placed.some((q) => r.left < q.right + 6 && q.left < r.right + 6 && r.top < q.bottom + 2 && q.top < r.bottom + 2);
          changes.push([el, clash]);
          if (!clash) kept.push(r);
        }
        placed.push(...kept);
      }
      for (const [el, hide] of changes) el.classList.toggle('is-hidden', hide);
    }

    async function ensureShown(level) {
      if (state.shown[level] && !layers[level]) {
        try {
          await loadLevel(level);
        } catch (err) {
          window.ElementPlus.ElMessage({ type: 'error', message: t('map.loadFailed', { message: errorMessage(err) }), grouping: true, showClose: true });
          state.shown[level] = false;
        }
      }
      updateVisibility();
    }

    function onToggle(level) {
      if (level === 'microgrid') state.microAuto = false;
      ensureShown(level);
    }

    function onZoom() {
      state.zoom = Math.round(map.getZoom() * 100) / 100;
      if (state.microAuto) {
        const want = map.getZoom() >= MICRO_ZOOM;
        if (want !== state.shown.microgrid) {
          state.shown.microgrid = want;
          ensureShown('microgrid');
          return;
        }
      }
      updateVisibility();
    }

    // ---- selection ----
    function clearHighlight() {
      if (highlightLayer && map) map.removeLayer(highlightLayer);
      highlightLayer = null;
      panel.selected = null;
    }

    function setHighlight(geometry, code) {
      clearHighlight();
      if (!geometry || !map) return;
      highlightLayer = L.geoJSON(geometry, { pane: 'zg-highlight', style: () => HIGHLIGHT, interactive: false }).addTo(map);
      const el = highlightLayer.getLayers()[0] && highlightLayer.getLayers()[0].getElement();
      if (el) el.setAttribute('data-test', 'map-highlight');
      panel.selected = code;
    }

    function setPoint(lat, lon) {
      coords.clicked = { lat, lng: lon };
      if (!map) return;
      if (!pointMarker) {
        pointMarker = L.circleMarker([lat, lon], {
          pane: 'zg-point', radius: 6, color: '#ffffff', weight: 2, fillColor: '#e6393f', fillOpacity: 1, interactive: false,
        });
      }
      pointMarker.setLatLng([lat, lon]);
      if (!map.hasLayer(pointMarker)) pointMarker.addTo(map);
    }

    // Highlights the finest unit of the chain whose level is on the map.
    async function highlightChain(units, mine) {
      for (const u of units) {
        const l = layers[u.level];
        if (l && state.shown[u.level] && l.byCode.has(u.code)) {
          setHighlight(l.byCode.get(u.code).feature.geometry, u.code);
          return;
        }
      }
      if (!units.length) return;
      try {
        const unit = await api.get(`/units/${encodeURIComponent(units[0].code)}`, { silent: true });
        if (mine === seq) setHighlight(unit.geometry, unit.code);
      } catch { /* nothing to highlight */ }
    }

    async function locate(latlng) {
      const mine = ++seq;
      const p = latlng.wrap();
      setPoint(p.lat, p.lng);
      Object.assign(panel, { visible: true, loading: true, error: null, touched: true });
      try {
        const data = await api.get('/locate', { query: { lat: p.lat.toFixed(7), lon: p.lng.toFixed(7) }, silent: true });
        if (mine !== seq) return;
        panel.units = Array.isArray(data && data.units) ? data.units : [];
        panel.point = { lat: data.lat, lon: data.lon };
        await highlightChain(panel.units, mine);
      } catch (err) {
        if (mine !== seq) return;
        panel.units = [];
        panel.point = { lat: p.lat, lon: p.lng };
        panel.error = err;
        clearHighlight();
      } finally {
        if (mine === seq) panel.loading = false;
      }
    }

    function closePanel() {
      ++seq;
      panel.visible = false;
      panel.error = null;
      panel.units = [];
      clearHighlight();
      coords.clicked = null;
      if (pointMarker && map) map.removeLayer(pointMarker);
    }

    function fitZone({ animate = true } = {}) {
      if (!map || !zoneBounds) return;
      const right = panel.visible ? PANEL_WIDTH + 40 : 40;
      map.flyToBounds(zoneBounds, { paddingTopLeft: [250, 30], paddingBottomRight: [right, 30], animate, duration: 0.6 });
    }

    // ---- search ----
    async function fetchSuggestions(query, cb) {
      const q = (query || '').trim();
      if (!q) { cb([]); return; }
      try {
        const data = await api.get('/units', { query: { q, per_page: 10 }, silent: true });
        const items = Array.isArray(data && data.items) ? data.items : [];
        cb(items.length ? items : [{ empty: true, code: '', name: '' }]);
      } catch (err) {
        cb([]);
        if (err.status !== 401) window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true });
      }
    }

    async function onSelect(item) {
      if (!item || item.empty || !item.code) { search.text = ''; return; }
      search.text = item.name;
      const mine = ++seq;
      Object.assign(panel, { visible: true, loading: true, error: null, touched: true });
      try {
        const unit = await api.get(`/units/${encodeURIComponent(item.code)}`, { silent: true }); // errors show in the panel
        if (mine !== seq) return;
        const pt = unit.point || item.point;
        if (pt) setPoint(pt.lat, pt.lon);
        setHighlight(unit.geometry, unit.code);
        const bounds = unit.geometry ? L.geoJSON(unit.geometry).getBounds() : null;
        if (bounds && bounds.isValid()) {
          map.flyToBounds(bounds, { paddingTopLeft: [260, 60], paddingBottomRight: [PANEL_WIDTH + 60, 60], maxZoom: 18, duration: 0.8 });
        } else if (pt) {
          map.flyTo([pt.lat, pt.lon], Math.max(map.getZoom(), 16), { duration: 0.8 });
        }
        // The chain above the unit: locate its point and drop the finer levels.
        let chain = [{ code: unit.code, name: unit.name, level: unit.level, people: unit.people || [] }];
        if (pt) {
          try {
            const loc = await api.get('/locate', { query: { lat: pt.lat, lon: pt.lon }, silent: true });
            const i = (loc.units || []).findIndex((u) => u.code === unit.code);
            if (i >= 0) chain = loc.units.slice(i);
          } catch { /* show the unit alone */ }
        }
        if (mine !== seq) return;
        panel.units = chain;
        panel.point = pt ? { lat: pt.lat, lon: pt.lon } : null;
      } catch (err) {
        if (mine !== seq) return;
        panel.units = [];
        panel.error = err;
      } finally {
        if (mine === seq) panel.loading = false;
      }
    }

    // ---- map life cycle ----
    // Scale under the zoom buttons (bottom corners stack upwards); again on a
    // language change for the button titles.
    function addControls() {
      if (!map) return;
      for (const c of controls) c.remove();
      controls = [
        L.control.scale({ position: 'bottomright', imperial: false, maxWidth: 120 }),
        L.control.zoom({ position: 'bottomright', zoomInTitle: t('map.zoomIn'), zoomOutTitle: t('map.zoomOut') }),
      ];
      for (const c of controls) c.addTo(map);
    }
    watch(() => i18n.lang, addControls);

    let moveFrame = 0;
    function onMouseMove(e) {
      if (moveFrame) return;
      moveFrame = requestAnimationFrame(() => {
        moveFrame = 0;
        if (!map || !map._loaded) return;
        const ll = map.mouseEventToLatLng(e).wrap();
        coords.mouse = { lat: ll.lat, lng: ll.lng };
      });
    }
    function onMouseLeave() {
      if (moveFrame) cancelAnimationFrame(moveFrame);
      moveFrame = 0;
      coords.mouse = null;
    }

    async function init() {
      map = L.map(mapEl.value, {
        zoomControl: false,
        minZoom: 9,
        maxZoom: 19,
        zoomSnap: 0.25,
        zoomDelta: 1,
        wheelPxPerZoomLevel: 90,
        worldCopyJump: false,
      });
      map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener noreferrer">Leaflet</a>');
      for (const [name, z] of Object.entries(PANES)) {
        const pane = map.createPane('zg-' + name);
        pane.style.zIndex = String(z);
        pane.classList.add('zg-pane');
      }
      addControls();
      if (navigator.webdriver) window.__zgMap = map;

      map.on('click', (e) => locate(e.latlng));
      // On the container itself: Leaflet gives mouse events over a polygon to the polygon only.
      mapEl.value.addEventListener('mousemove', onMouseMove);
      mapEl.value.addEventListener('mouseleave', onMouseLeave);
      map.on('zoomend', onZoom);
      // data-moving is set while the view changes (tests wait for it to go).
      map.on('movestart', () => { mapEl.value.dataset.moving = '1'; });
      map.on('moveend', () => { delete mapEl.value.dataset.moving; });

      resizeObserver = new ResizeObserver(() => { if (map) map.invalidateSize({ debounceMoveend: true }); });
      resizeObserver.observe(mapEl.value);

      // Tiles only when configured; otherwise the plain background.
      api.get('/settings', { silent: true }).then((s) => {
        const m = s && s.map;
        if (!map || !m || !m.tile_url) return;
        state.tiles = true;
        L.tileLayer(m.tile_url, { attribution: esc(m.tile_attribution || ''), maxZoom: 19, crossOrigin: false }).addTo(map);
        const f = layers.street && layers.street.fill;
        if (f) f.setStyle({ fillOpacity: 0.3 });
      }).catch(() => { /* no settings: no tiles */ });

      // Micro-grid count for the legend without loading their shapes.
      api.get('/units', { query: { level: 'microgrid', per_page: 1 }, silent: true })
        .then((d) => { if (state.counts.microgrid === null && d && typeof d.total === 'number') state.counts.microgrid = d.total; })
        .catch(() => {});

      try {
        const initial = LEVELS.filter((l) => state.shown[l]);
        const loads = Object.fromEntries(initial.map((l) => [l, loadLevel(l)]));
        await loads.zone;
        if (!map) return;
        const zone = layers.zone;
        zoneBounds = zone && zone.geo.getBounds().isValid() ? zone.geo.getBounds() : null;
        if (zoneBounds) {
          map.fitBounds(zoneBounds, { paddingTopLeft: [250, 30], paddingBottomRight: [40, 30], animate: false });
          map.setMaxBounds(zoneBounds.pad(1.5));
        } else {
          map.setView([35.7, 115.0], 12);
        }
        state.zoom = map.getZoom();
        updateVisibility();
        await Promise.all(Object.values(loads));
        if (!map) return;
        updateVisibility();
        state.ready = true;
      } catch (err) {
        state.loadError = err;
        if (map && !map._loaded) map.setView([35.7, 115.0], 12);
        updateVisibility();
      } finally {
        state.loading = false;
      }
    }

    onMounted(() => { init(); });
    onBeforeUnmount(() => {
      if (resizeObserver) resizeObserver.disconnect();
      if (moveFrame) cancelAnimationFrame(moveFrame);
      if (mapEl.value) {
        mapEl.value.removeEventListener('mousemove', onMouseMove);
        mapEl.value.removeEventListener('mouseleave', onMouseLeave);
      }
      if (window.__zgMap === map) delete window.__zgMap;
      if (map) map.remove();
      map = null;
    });

    // ---- view helpers ----
    const shownPoint = computed(() => coords.mouse || coords.clicked);
    const pointLabel = computed(() => (coords.mouse ? t('map.cursor') : coords.clicked ? t('map.selected') : ''));
    const errorTitle = computed(() => {
      void i18n.lang;
      return panel.error && panel.error.code === 'outside_zone' ? t('map.outsideTitle') : '';
    });
    const errorText = computed(() => { void i18n.lang; return panel.error ? errorMessage(panel.error) : ''; });
    const loadErrorText = computed(() => { void i18n.lang; return state.loadError ? t('map.loadFailed', { message: errorMessage(state.loadError) }) : ''; });
    const canCall = (phone) => typeof phone === 'string' && /^\+?\d{5,}$/.test(phone);

    return {
      icons: Icons, LEVELS, STYLE, STREET_FILLS, MICRO_ZOOM, mapEl, shellEl, state, panel, coords, search,
      shownPoint, pointLabel, errorTitle, errorText, loadErrorText,
      onToggle, closePanel, fitZone, fetchSuggestions, onSelect, levelName, dutyName, fmt, canCall,
    };
  },
  template: `
  <div class="page map-page" data-test="map-page">
    <div ref="shellEl" class="map-shell" :class="{ 'has-panel': panel.visible }" v-loading="state.loading" :element-loading-text="$t('map.loading')">
      <div ref="mapEl" class="map-canvas" data-test="map" :data-state="state.ready ? 'ready' : 'loading'"></div>

      <div class="map-topbar">
        <el-autocomplete v-model="search.text" :fetch-suggestions="fetchSuggestions" :placeholder="$t('map.searchPlaceholder')"
          :prefix-icon="icons.Search" clearable value-key="name" :trigger-on-focus="false" highlight-first-item :debounce="250"
          popper-class="map-search-popper" class="map-search" data-test="map-search" @select="onSelect">
          <template #default="{ item }">
            <div v-if="item.empty" class="map-sugg map-sugg--empty">{{ $t('map.searchEmpty') }}</div>
            <div v-else class="map-sugg" :data-test="'map-search-option-' + item.code">
              <span class="zg-level" :class="'zg-level--' + item.level">{{ levelName(item.level) }}</span>
              <span class="map-sugg__name">{{ item.name }}</span>
              <span class="map-sugg__code">{{ item.code }}</span>
            </div>
          </template>
        </el-autocomplete>
        <el-button class="map-topbar__btn" :icon="icons.FullScreen" :title="$t('map.wholeZoneTip')" @click="fitZone()"
          data-test="map-whole-zone">{{ $t('map.wholeZone') }}</el-button>
      </div>

      <div class="map-layers" data-test="map-layers">
        <div class="map-layers__title"><el-icon><component :is="icons.Operation" /></el-icon>{{ $t('map.layers') }}</div>
        <div v-for="lv in LEVELS" :key="lv" class="map-layers__row">
          <el-checkbox v-model="state.shown[lv]" :data-test="'map-level-' + lv" @change="onToggle(lv)">
            <span class="map-legend">
              <svg width="26" height="14" viewBox="0 0 26 14" aria-hidden="true">
                <rect v-if="lv === 'street'" x="1.5" y="1.5" width="23" height="11" rx="1" :fill="STREET_FILLS[0]"
                  :stroke="STYLE[lv].color" :stroke-width="STYLE[lv].weight * 0.8" />
                <rect v-else-if="lv !== 'zone' && lv !== 'community'" x="1.5" y="1.5" width="23" height="11" rx="1" fill="#fff"
                  :stroke="STYLE[lv].color" :stroke-width="Math.max(1, STYLE[lv].weight)" :stroke-dasharray="STYLE[lv].dashArray" />
                <line v-else x1="1" y1="7" x2="25" y2="7" :stroke="STYLE[lv].color" :stroke-width="STYLE[lv].weight"
                  :stroke-dasharray="lv === 'zone' ? '7 3 1.5 3' : '5 3'" />
              </svg>
              <span class="map-legend__name">{{ levelName(lv) }}</span>
            </span>
          </el-checkbox>
          <span class="map-layers__count">
            <el-icon v-if="state.levelLoading[lv]" class="is-loading"><component :is="icons.Loading" /></el-icon>
            <template v-else-if="state.counts[lv] !== null">{{ $t('map.units', { count: state.counts[lv] }) }}</template>
          </span>
        </div>
        <div class="map-layers__hint">{{ $t('map.microAuto', { zoom: MICRO_ZOOM }) }}</div>
      </div>

      <el-alert v-if="state.loadError" class="map-alert" type="error" :title="loadErrorText" show-icon :closable="false" data-test="map-load-error" />
      <div v-else-if="state.ready && !panel.touched" class="map-hint" data-test="map-hint">
        <el-icon><component :is="icons.Pointer" /></el-icon>{{ $t('map.clickHint') }}
      </div>

      <transition name="map-panel">
        <div v-if="panel.visible" class="map-panel" data-test="map-panel">
          <div class="map-panel__header">
            <span class="map-panel__title"><el-icon><component :is="icons.Location" /></el-icon>{{ $t('map.panelTitle') }}</span>
            <el-button link class="map-panel__close" :icon="icons.Close" :title="$t('map.close')" :aria-label="$t('map.close')"
              @click="closePanel" data-test="map-panel-close" />
          </div>
          <div class="map-panel__body" v-loading="panel.loading">
            <div v-if="panel.point" class="map-panel__point" data-test="map-panel-point">
              <span>{{ $t('map.lon') }} {{ fmt(panel.point.lon) }}</span>
              <span>{{ $t('map.lat') }} {{ fmt(panel.point.lat) }}</span>
              <span class="map-panel__crs">WGS-84</span>
            </div>
            <div v-if="panel.error" class="map-panel__error" data-test="map-panel-error">
              <el-icon :size="40" class="map-panel__error-icon"><component :is="icons.WarningFilled" /></el-icon>
              <div v-if="errorTitle" class="map-panel__error-title">{{ errorTitle }}</div>
              <div class="map-panel__error-text" data-test="map-panel-error-text">{{ errorText }}</div>
            </div>
            <template v-else-if="panel.units.length">
              <div class="map-panel__section">{{ $t('map.hierarchy') }}</div>
              <div class="unit-chain">
                <div v-for="u in panel.units" :key="u.code" class="unit-node"
                  :class="['unit-node--' + u.level, { 'is-selected': u.code === panel.selected }]"
                  data-test="panel-unit" :data-level="u.level" :data-code="u.code">
                  <span class="unit-node__dot"></span>
                  <div class="unit-node__head">
                    <span class="zg-level" :class="'zg-level--' + u.level" data-test="panel-unit-level">{{ levelName(u.level) }}</span>
                    <span class="unit-node__name" data-test="panel-unit-name">{{ u.name }}</span>
                  </div>
                  <div class="unit-node__code">{{ $t('map.code') }} <span>{{ u.code }}</span></div>
                  <div class="unit-node__people">
                    <div v-for="p in (u.people || [])" :key="p.id + ':' + p.duty" class="person-row" data-test="person-row"
                      :data-duty="p.duty" :data-username="p.username">
                      <span class="person-row__duty" :class="'person-row__duty--' + p.duty" data-test="person-duty">{{ dutyName(p.duty) }}</span>
                      <span class="person-row__name" data-test="person-name">{{ p.name }}</span>
                      <a v-if="canCall(p.phone)" class="person-row__phone" :href="'tel:' + p.phone" data-test="person-phone">
                        <el-icon><component :is="icons.Phone" /></el-icon>{{ p.phone }}</a>
                      <span v-else-if="p.phone" class="person-row__phone" data-test="person-phone">
                        <el-icon><component :is="icons.Phone" /></el-icon>{{ p.phone }}</span>
                    </div>
                    <div v-if="!u.people || !u.people.length" class="person-empty">{{ $t('map.noPeople') }}</div>
                  </div>
                </div>
              </div>
            </template>
          </div>
        </div>
      </transition>

      <div class="map-coords" data-test="map-coords">
        <template v-if="shownPoint">
          <span class="map-coords__label">{{ pointLabel }}</span>
          <span>{{ $t('map.lon') }} <b data-test="map-coords-lon">{{ fmt(shownPoint.lng) }}</b></span>
          <span>{{ $t('map.lat') }} <b data-test="map-coords-lat">{{ fmt(shownPoint.lat) }}</b></span>
          <span class="map-coords__crs">WGS-84</span>
        </template>
        <span v-else class="map-coords__label">WGS-84</span>
        <span v-if="state.zoom !== null" class="map-coords__zoom">{{ $t('map.zoom') }} {{ state.zoom }}</span>
      </div>
    </div>
  </div>
  `,
};
