// A small Leaflet map: a point (a pin), an optional highlighted area (the
// case's grid) and optional outlines (zone, streets, …). No tiles unless a
// tile URL is given (plain background, works offline), as on 网格地图.
// With `pickable`, a click emits `pick` with { lat, lon } (WGS-84, 7 decimals).
//
// Used by the staff case pages and by the public portal (no API calls here).
// Automated browsers (navigator.webdriver) get the Leaflet map as
// window[exposeAs] so a test can turn a lat/lon into a pixel.
const { ref, watch, onMounted, onBeforeUnmount } = window.Vue;

const PIN_SVG = '<svg viewBox="0 0 32 42" width="32" height="42" aria-hidden="true">'
  + '<path d="M16 1C8 1 1.5 7.3 1.5 15.2 1.5 26 16 41 16 41s14.5-15 14.5-25.8C30.5 7.3 24 1 16 1z" fill="#e6393f" stroke="#fff" stroke-width="2"/>'
  + '<circle cx="16" cy="15" r="5.5" fill="#fff"/></svg>';

const AREA_STYLE = { color: '#f56c00', weight: 2.5, opacity: 1, fillColor: '#ffb020', fillOpacity: 0.18, interactive: false };

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export const MiniMap = {
  name: 'MiniMap',
  props: {
    point: { type: Object, default: null },          // { lat, lon } shown as a pin
    area: { type: Object, default: null },           // GeoJSON geometry to highlight and fit
    outlines: { type: Array, default: () => [] },    // [{ data: GeoJSON, style }]
    pickable: { type: Boolean, default: false },
    tiles: { type: Object, default: null },          // { url, attribution }
    center: { type: Array, default: () => [35.72, 114.98] },
    zoom: { type: Number, default: 13 },
    pointZoom: { type: Number, default: 16 },
    exposeAs: { type: String, default: '' },
    testId: { type: String, default: 'minimap' },
  },
  emits: ['pick'],
  setup(props, { emit }) {
    const L = window.L;
    const el = ref(null);
    let map = null;
    let marker = null;
    let areaLayer = null;
    let outlineLayers = [];
    let tileLayer = null;
    let observer = null;

    function boundsOf(layers) {
      let b = null;
      for (const l of layers) {
        if (!l || !l.getBounds) continue;
        const lb = l.getBounds();
        if (!lb.isValid()) continue;
        b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast());
      }
      return b;
    }

    // Fits the area, else the outlines, else the point, else the default view.
    function fit() {
      if (!map) return;
      const ab = areaLayer && areaLayer.getBounds();
      if (ab && ab.isValid()) {
        map.fitBounds(ab, { padding: [24, 24], maxZoom: 18, animate: false });
      } else {
        const ob = boundsOf(outlineLayers);
        if (ob) map.fitBounds(ob, { padding: [12, 12], animate: false });
        else if (props.point) map.setView([props.point.lat, props.point.lon], props.pointZoom, { animate: false });
        else map.setView(props.center, props.zoom, { animate: false });
      }
    }

    function drawPoint() {
      if (!map) return;
      const p = props.point;
      el.value.dataset.point = p ? `${p.lat.toFixed(7)},${p.lon.toFixed(7)}` : '';
      if (!p) {
        if (marker) map.removeLayer(marker);
        return;
      }
      if (!marker) {
        marker = L.marker([p.lat, p.lon], {
          pane: 'zg-pin', interactive: false, keyboard: false,
          icon: L.divIcon({ className: 'zg-pin', html: PIN_SVG, iconSize: [32, 42], iconAnchor: [16, 41] }),
        });
      }
      marker.setLatLng([p.lat, p.lon]);
      if (!map.hasLayer(marker)) marker.addTo(map);
    }

    function drawArea() {
      if (!map) return;
      if (areaLayer) map.removeLayer(areaLayer);
      areaLayer = props.area ? L.geoJSON(props.area, { pane: 'zg-area', style: () => AREA_STYLE, interactive: false }).addTo(map) : null;
    }

    function drawOutlines() {
      if (!map) return;
      for (const l of outlineLayers) map.removeLayer(l);
      outlineLayers = (props.outlines || []).filter((o) => o && o.data).map((o) => L.geoJSON(o.data, {
        pane: 'zg-outline', interactive: false, style: () => ({ fill: false, ...(o.style || {}) }),
      }).addTo(map));
    }

    function setTiles() {
      if (!map) return;
      if (tileLayer) map.removeLayer(tileLayer);
      tileLayer = null;
      if (props.tiles && props.tiles.url) {
        tileLayer = L.tileLayer(props.tiles.url, { attribution: esc(props.tiles.attribution || ''), maxZoom: 19 }).addTo(map);
      }
      el.value.classList.toggle('has-tiles', !!tileLayer);
    }

    onMounted(() => {
      map = L.map(el.value, { zoomControl: true, minZoom: 3, maxZoom: 19, zoomSnap: 0.25, attributionControl: true });
      map.attributionControl.setPrefix('<a href="https://leafletjs.com" target="_blank" rel="noopener noreferrer">Leaflet</a>');
      for (const [name, z] of Object.entries({ outline: 402, area: 404, pin: 620 })) {
        map.createPane('zg-' + name).style.zIndex = String(z);
      }
      L.control.scale({ position: 'bottomleft', imperial: false, maxWidth: 100 }).addTo(map);
      setTiles();
      drawOutlines();
      drawArea();
      drawPoint();
      fit();
      if (props.pickable) {
        map.on('click', (e) => {
          const p = e.latlng.wrap();
          const r7 = (v) => Math.round(v * 1e7) / 1e7; // ~1 cm
          emit('pick', { lat: r7(p.lat), lon: r7(p.lng) });
        });
      }
      if (navigator.webdriver && props.exposeAs) window[props.exposeAs] = map;
      observer = new ResizeObserver(() => { if (map) map.invalidateSize({ debounceMoveend: true }); });
      observer.observe(el.value);
      el.value.dataset.ready = '1';
    });

    onBeforeUnmount(() => {
      if (observer) observer.disconnect();
      if (props.exposeAs && window[props.exposeAs] === map) delete window[props.exposeAs];
      if (map) map.remove();
      map = null;
    });

    watch(() => props.tiles, setTiles);
    // Outlines arriving later (loaded after mount) are fitted unless an area
    // or a point already decides the view.
    watch(() => props.outlines, () => { drawOutlines(); if (!props.area && !props.point) fit(); });
    watch(() => props.area, () => { drawArea(); fit(); });
    watch(() => props.point, (p) => {
      drawPoint();
      if (!map || !p) return;
      // A picked point stays where it was clicked; one set otherwise (the
      // device's position, typed coordinates) is brought into view.
      if (!props.pickable) { if (!props.area) fit(); return; }
      if (!map.getBounds().pad(-0.1).contains([p.lat, p.lon])) {
        map.setView([p.lat, p.lon], Math.max(map.getZoom(), props.pointZoom), { animate: false });
      }
    });

    return { el, recenter: fit };
  },
  template: `<div ref="el" class="minimap" :class="{ 'is-pickable': pickable }" :data-test="testId"></div>`,
};
