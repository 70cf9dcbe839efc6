// 经开区随手拍: the public portal (no login), a phone-sized page at /public/.
//
//   随手拍    report a problem with up to 9 photos (each sent to
//             POST /api/v1/public/photos as soon as it is taken or picked),
//             POST /api/v1/public/cases (Idempotency-Key) with their ids,
//             then show the case number to keep.
//   进度查询  number + last four digits of the phone:
//             GET /api/v1/public/cases/{number}?phone4=NNNN
//   评价      once closed and not rated since: POST …/{number}/rating
//
// The public may not read the unit outlines or /settings, so the map shows a
// plain background; config.json beside this file sets its first view and,
// optionally, a tile layer. A point clicked on the map or given by the device
// (navigator.geolocation) is WGS-84; typed coordinates may be GCJ-02 (Amap,
// Tencent), sent as such: the server converts.
//
// Chinese by default; the language choice is shared with the staff app.
import { t, i18n, setLang, elementLocale } from '../js/i18n.js';
import { MiniMap } from '../js/minimap.js';
import { PhotoPicker } from '../js/photo-picker.js';

const { createApp, reactive, ref, computed, markRaw, nextTick, onMounted } = window.Vue;
const ElementPlus = window.ElementPlus;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

const API = new URL('../api/v1/', import.meta.url).href;
const CONFIG_URL = new URL('config.json', import.meta.url).href;
const PHOTO_ENDPOINT = API + 'public/photos';
// A phone offers 拍照 (the camera) beside 相册.
const HAS_CAMERA = !!(window.matchMedia && window.matchMedia('(pointer: coarse)').matches);

// ---- HTTP ------------------------------------------------------------------
class PublicError extends Error {
  constructor(status, e) {
    super((e && (e.message || e.message_en)) || `HTTP ${status}`);
    this.status = status;
    this.code = (e && e.code) || null;
    this.field = (e && e.field) || null;
    this.zh = (e && e.message) || null;
    this.en = (e && e.message_en) || null;
  }
}
function message(err) {
  if (err instanceof PublicError) {
    const m = i18n.lang === 'en' ? (err.en || err.zh) : (err.zh || err.en);
    return m || t('errors.server', { status: err.status });
  }
  return t('errors.network');
}
async function call(method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(API + path, init);
  } catch {
    throw new PublicError(0, { code: 'network_error', message: t('errors.network'), message_en: t('errors.network') });
  }
  let data = null;
  try { data = await res.json(); } catch { /* no body */ }
  if (!res.ok) throw new PublicError(res.status, data && data.error);
  return data;
}

function newKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// GCJ-02 → WGS-84 (to draw typed Amap coordinates on the WGS-84 map; the
// server does its own conversion of what is sent).
function outOfChina(lat, lon) { return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271; }
function tLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
  r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
  r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
  return r;
}
function tLon(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
  r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
  r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
  return r;
}
function wgsToGcj(lat, lon) {
  if (outOfChina(lat, lon)) return { lat, lon };
  const a = 6378245.0;
  const ee = 0.00669342162296594323;
  let dLat = tLat(lon - 105, lat - 35);
  let dLon = tLon(lon - 105, lat - 35);
  const rad = lat / 180 * Math.PI;
  let magic = Math.sin(rad);
  magic = 1 - ee * magic * magic;
  const sq = Math.sqrt(magic);
  dLat = (dLat * 180) / ((a * (1 - ee)) / (magic * sq) * Math.PI);
  dLon = (dLon * 180) / (a / sq * Math.cos(rad) * Math.PI);
  return { lat: lat + dLat, lon: lon + dLon };
}
function gcjToWgs(lat, lon) {
  let w = { lat, lon };
  for (let i = 0; i < 4; i++) {
    const g = wgsToGcj(w.lat, w.lon);
    w = { lat: w.lat - (g.lat - lat), lon: w.lon - (g.lon - lon) };
  }
  return w;
}

// ---- helpers -----------------------------------------------------------------
function pad(n) { return String(n).padStart(2, '0'); }
function formatTime(v) {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function named(prefix, key) {
  const s = t(prefix + key);
  return s === prefix + key ? key : s;
}
const statusName = (s) => named('cases.status.', s);
const actionName = (a) => named('cases.action.', a);
const ratingName = (r) => named('cases.rating.', r);
const RATINGS = [
  { value: 'satisfied', icon: 'CircleCheckFilled' },
  { value: 'basic', icon: 'RemoveFilled' },
  { value: 'unsatisfied', icon: 'CircleCloseFilled' },
];

// Closed, and no rating since it last closed (an unsatisfied rating reopens it).
function rateable(c) {
  if (!c || c.status !== 'closed') return false;
  const ev = c.events || [];
  let lastClose = -1;
  let lastRate = -1;
  ev.forEach((e, i) => {
    if (e.action === 'rate') lastRate = i;
    else if (e.status === 'closed') lastClose = i;
  });
  return lastRate < lastClose;
}

async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back */ }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  document.body.removeChild(ta);
  return ok;
}

// ---- the app -----------------------------------------------------------------
const App = {
  name: 'PublicPortal',
  components: { MiniMap, PhotoPicker },
  setup() {
    const tab = ref(/^#\/?query/.test(window.location.hash) ? 'query' : 'report');
    const config = reactive({ center: [35.696, 115.005], zoom: 12.5, tiles: null });
    const categoryItems = ref([]);
    // 大类 → 小类; a 大类 name used by both kinds (市容环境 部件 and 事件) says its kind.
    const categoryTree = computed(() => {
      void i18n.lang;
      const items = categoryItems.value;
      const kids = {};
      for (const c of items) if (c.parent_code) (kids[c.parent_code] = kids[c.parent_code] || []).push(c);
      const tops = items.filter((c) => !c.parent_code);
      const uses = {};
      for (const c of tops) uses[c.name] = (uses[c.name] || 0) + 1;
      return tops.map((c) => ({
        value: c.code,
        label: uses[c.name] > 1 ? t('cases.kindLabel', { name: c.name, kind: named('cases.kind.', c.kind) }) : c.name,
        children: kids[c.code] ? kids[c.code].map((k) => ({ value: k.code, label: k.name })) : undefined,
      }));
    });
    const categoryLoadError = ref('');
    const mapReady = ref(false);     // the map waits for config.json (its first view)

    onMounted(async () => {
      try {
        const res = await fetch(CONFIG_URL, { cache: 'no-store' });
        const c = res.ok ? await res.json() : null;
        const m = c && c.map;
        if (m && Array.isArray(m.center) && m.center.length === 2) config.center = m.center;
        if (m && typeof m.zoom === 'number') config.zoom = m.zoom;
        if (m && m.tile_url) config.tiles = { url: m.tile_url, attribution: m.tile_attribution || '' };
      } catch { /* the defaults */ }
      mapReady.value = true;
      try {
        const data = await call('GET', 'categories');
        categoryItems.value = (data && data.items) || [];
      } catch (err) {
        categoryLoadError.value = message(err);
      }
    });

    // ---- 随手拍 ----
    const formRef = ref(null);
    const report = reactive({ category: '', description: '', point: null, crs: 'wgs84', phone: '', anonymous: false, photos: [] });
    const uploading = ref(false);
    const pickerKey = ref(0);
    const serverErrors = reactive({});
    const submitting = ref(false);
    const done = ref(null);
    let key = newKey();
    const manual = reactive({ open: false, lat: '', lon: '', crs: 'gcj02', error: '' });
    const locating = ref(false);

    const rules = computed(() => {
      void i18n.lang;
      return {
        category: [{ required: true, message: t('public.choose', { field: t('public.category') }), trigger: 'change' }],
        description: [{ required: true, whitespace: true, message: t('public.required', { field: t('public.description') }), trigger: 'blur' }],
        point: [{ validator: (r, v, cb) => (v ? cb() : cb(new Error(t('public.locationHint')))), trigger: 'change' }],
        phone: [
          { required: true, message: t('public.required', { field: t('public.phone') }), trigger: 'blur' },
          { pattern: /^1\d{10}$/, message: t('public.phoneFormat'), trigger: 'blur' },
        ],
      };
    });
    const shownPoint = computed(() => {
      const p = report.point;
      if (!p) return null;
      return report.crs === 'gcj02' ? gcjToWgs(p.lat, p.lon) : p;
    });
    const serverError = (f) => serverErrors[f] || '';
    const clearServer = (f) => { delete serverErrors[f]; };

    function setPoint(lat, lon, crs) {
      report.point = { lat, lon };
      report.crs = crs;
      clearServer('point');
      if (formRef.value) formRef.value.validateField('point').catch(() => {});
    }
    function onPick(p) { setPoint(p.lat, p.lon, 'wgs84'); }

    function useDevice() {
      if (!navigator.geolocation) {
        ElementPlus.ElMessage({ type: 'warning', message: t('public.geoUnsupported') });
        return;
      }
      locating.value = true;
      navigator.geolocation.getCurrentPosition((pos) => {
        locating.value = false;
        setPoint(pos.coords.latitude, pos.coords.longitude, 'wgs84');
      }, (e) => {
        locating.value = false;
        ElementPlus.ElMessage({ type: 'warning', message: t('public.geoFailed', { message: e.message || e.code }), showClose: true });
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    }

    function applyManual() {
      const lat = Number(manual.lat);
      const lon = Number(manual.lon);
      if (!manual.lat || !manual.lon || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        manual.error = t('public.coordFormat');
        return;
      }
      manual.error = '';
      setPoint(lat, lon, manual.crs);
    }

    const FIELD_OF = { lat: 'point', lon: 'point', crs: 'point', category: 'category', description: 'description', phone: 'phone', anonymous: 'anonymous', photos: 'photos' };

    async function submit() {
      if (submitting.value) return;
      try { await formRef.value.validate(); } catch { return; }
      if (uploading.value) {
        ElementPlus.ElMessage({ type: 'warning', message: t('photos.uploading'), grouping: true });
        return;
      }
      submitting.value = true;
      for (const k of Object.keys(serverErrors)) delete serverErrors[k];
      try {
        const body = {
          category: report.category, description: report.description.trim(), lat: report.point.lat, lon: report.point.lon,
          crs: report.crs, phone: report.phone, anonymous: report.anonymous,
        };
        if (report.photos.length) body.photos = report.photos.slice();
        const res = await call('POST', 'public/cases', { body, headers: { 'Idempotency-Key': key } });
        done.value = { ...res, phone4: report.phone.slice(-4), photoCount: report.photos.length };
        copied.value = false;
        window.scrollTo(0, 0);
      } catch (err) {
        const f = FIELD_OF[err.field];
        if (f && (err.status === 422 || err.status === 400)) {
          await nextTick();
          serverErrors[f] = message(err);
        } else {
          ElementPlus.ElMessage({ type: 'error', message: message(err), showClose: true, grouping: true });
        }
      } finally {
        submitting.value = false;
      }
    }

    function another() {
      Object.assign(report, { category: '', description: '', point: null, crs: 'wgs84', phone: report.phone, anonymous: false, photos: [] });
      pickerKey.value++;       // a fresh photo picker
      done.value = null;
      key = newKey();
      nextTick(() => formRef.value && formRef.value.clearValidate());
    }

    const copied = ref(false);
    async function copyNumber() {
      const ok = await copyText(done.value.number);
      copied.value = ok;
      ElementPlus.ElMessage({ type: ok ? 'success' : 'warning', message: ok ? t('public.copied') : t('public.copyFailed'), grouping: true });
    }

    const doneArea = computed(() => areaText(done.value && done.value.units));

    // ---- 进度查询 ----
    const queryRef = ref(null);
    const q = reactive({ number: '', phone4: '' });
    const qErrors = reactive({});
    const lookup = reactive({ loading: false, result: null, error: '' });
    const qRules = computed(() => {
      void i18n.lang;
      return {
        number: [{ required: true, whitespace: true, message: t('public.required', { field: t('public.number') }), trigger: 'blur' }],
        phone4: [{ required: true, message: t('public.required', { field: t('public.phone4') }), trigger: 'blur' },
          { pattern: /^\d{4}$/, message: t('public.phone4Format'), trigger: 'blur' }],
      };
    });

    async function search() {
      if (lookup.loading) return;
      try { await queryRef.value.validate(); } catch { return; }
      lookup.loading = true;
      lookup.error = '';
      delete qErrors.phone4;
      try {
        lookup.result = await call('GET', `public/cases/${encodeURIComponent(q.number.trim())}?phone4=${encodeURIComponent(q.phone4)}`);
        rate.rating = '';
        rate.comment = '';
        rate.message = '';
      } catch (err) {
        lookup.result = null;
        if (err.field === 'phone4') qErrors.phone4 = message(err);
        else lookup.error = message(err);
      } finally {
        lookup.loading = false;
      }
    }

    function followDone() {
      q.number = done.value.number;
      q.phone4 = done.value.phone4;
      tab.value = 'query';
      nextTick(search);
    }

    const result = computed(() => lookup.result);
    // The steps the reporter follows: notes, 督办 and overdue marks are internal.
    const INTERNAL = ['comment', 'supervise', 'overdue'];
    const steps = computed(() => (result.value ? (result.value.events || []).filter((e) => !INTERNAL.includes(e.action)).reverse() : []));
    const resultArea = computed(() => areaText(result.value && result.value.units));
    const canRate = computed(() => rateable(result.value));

    // ---- 评价 ----
    const rate = reactive({ rating: '', comment: '', saving: false, error: '', message: '' });
    async function submitRating() {
      if (rate.saving) return;
      if (!rate.rating) {
        rate.error = t('public.choose', { field: t('public.rateTitle') });
        return;
      }
      rate.saving = true;
      rate.error = '';
      try {
        const body = { phone4: q.phone4, rating: rate.rating };
        if (rate.comment.trim()) body.comment = rate.comment.trim();
        const res = await call('POST', `public/cases/${encodeURIComponent(result.value.number)}/rating`, { body });
        rate.message = res.status === 'closed' ? t('public.ratedThanks') : t('public.reopened');
        lookup.result = res;
      } catch (err) {
        rate.error = message(err);
      } finally {
        rate.saving = false;
      }
    }

    function areaText(units) {
      if (!Array.isArray(units)) return '';
      // Street › community › grid (the micro-grid's name repeats the grid's).
      return units.filter((u) => u.level !== 'zone' && u.level !== 'microgrid').slice().reverse().map((u) => u.name).join(' › ');
    }

    const isEn = computed(() => i18n.lang === 'en');
    function toggleLang() { setLang(isEn.value ? 'zh-CN' : 'en'); document.title = t('public.title'); }
    document.title = t('public.title');

    return {
      icons: Icons, elementLocale, tab, config, mapReady, categoryTree, categoryLoadError, formRef, report, rules, shownPoint,
      serverError, clearServer, submitting, submit, onPick, useDevice, locating, manual, applyManual, done, doneArea, another,
      copyNumber, copied, queryRef, q, qRules, qErrors, lookup, search, followDone, result, steps, resultArea, canRate, rate,
      submitRating, RATINGS, statusName, actionName, ratingName, formatTime, isEn, toggleLang, uploading, pickerKey,
      PHOTO_ENDPOINT, HAS_CAMERA,
      cascaderProps: { expandTrigger: 'click', emitPath: false },
    };
  },
  template: `
  <el-config-provider :locale="elementLocale">
    <div class="pub" data-test="public-page">
      <header class="pub-header">
        <div class="pub-header__brand">
          <img class="pub-header__logo" src="../img/logo.svg" alt="">
          <div>
            <div class="pub-header__title" data-test="public-title">{{ $t('public.title') }}</div>
            <div class="pub-header__sub">{{ $t('public.subtitle') }}</div>
          </div>
        </div>
        <button type="button" class="pub-lang" @click="toggleLang" data-test="public-lang">{{ isEn ? '中文' : 'EN' }}</button>
      </header>

      <nav class="pub-tabs" role="tablist">
        <button type="button" role="tab" class="pub-tab" :class="{ 'is-active': tab === 'report' }" @click="tab = 'report'" data-test="public-tab-report">
          <el-icon><component :is="icons.Camera" /></el-icon>{{ $t('public.tabReport') }}</button>
        <button type="button" role="tab" class="pub-tab" :class="{ 'is-active': tab === 'query' }" @click="tab = 'query'" data-test="public-tab-query">
          <el-icon><component :is="icons.Search" /></el-icon>{{ $t('public.tabQuery') }}</button>
      </nav>

      <main class="pub-main">
        <!-- 随手拍 -->
        <section v-show="tab === 'report'" data-test="public-report">
          <div v-if="done" class="pub-card pub-done" data-test="public-done">
            <div class="pub-done__icon"><el-icon :size="56"><component :is="icons.CircleCheckFilled" /></el-icon></div>
            <div class="pub-done__title">{{ $t('public.successTitle') }}</div>
            <div class="pub-done__text">{{ $t('public.successText') }}</div>
            <div class="pub-number">
              <div class="pub-number__label">{{ $t('public.yourNumber') }}</div>
              <div class="pub-number__value" data-test="public-case-number">{{ done.number }}</div>
              <el-button type="primary" plain round :icon="copied ? icons.Check : icons.DocumentCopy" @click="copyNumber" data-test="public-copy">
                {{ copied ? $t('public.copied') : $t('public.copy') }}</el-button>
            </div>
            <div class="pub-done__keep">{{ $t('public.keepNumber') }}</div>
            <dl class="pub-kv">
              <div><dt>{{ $t('public.status') }}</dt><dd><span class="pub-status" :class="'pub-status--' + done.status">{{ statusName(done.status) }}</span></dd></div>
              <div v-if="doneArea"><dt>{{ $t('public.area') }}</dt><dd>{{ doneArea }}</dd></div>
              <div v-if="done.department"><dt>{{ $t('public.assignedTo') }}</dt><dd>{{ done.department.name }}</dd></div>
              <div v-if="done.photoCount"><dt>{{ $t('public.photo') }}</dt><dd data-test="public-done-photos">{{ $t('public.photosAttached', { n: done.photoCount }) }}</dd></div>
            </dl>
            <div class="pub-done__buttons">
              <el-button type="primary" size="large" @click="followDone" data-test="public-follow">{{ $t('public.queryNow') }}</el-button>
              <el-button size="large" @click="another" data-test="public-another">{{ $t('public.reportAnother') }}</el-button>
            </div>
          </div>

          <el-form v-else ref="formRef" :model="report" :rules="rules" label-position="top" class="pub-form" @submit.prevent="submit"
            :validate-on-rule-change="false">
            <div class="pub-card">
              <el-form-item :label="$t('public.category')" prop="category" :error="serverError('category')">
                <div class="w-full" data-test="public-category">
                  <el-cascader v-model="report.category" :options="categoryTree" :props="cascaderProps" class="w-full"
                    :placeholder="$t('public.categoryPlaceholder')" popper-class="pub-cascader" @change="clearServer('category')" />
                </div>
                <div v-if="categoryLoadError" class="pub-error-text">{{ categoryLoadError }}</div>
              </el-form-item>
              <el-form-item :label="$t('public.description')" prop="description" :error="serverError('description')">
                <el-input v-model="report.description" type="textarea" :rows="4" maxlength="2000" show-word-limit
                  :placeholder="$t('public.descriptionPlaceholder')" data-test="public-description" @input="clearServer('description')" />
              </el-form-item>
              <el-form-item :label="$t('public.photo')" prop="photos" class="pub-photo-item" :error="serverError('photos')">
                <div class="pub-note pub-photo__note">{{ $t('public.photoNote') }}</div>
                <photo-picker :key="pickerKey" v-model="report.photos" v-model:busy="uploading" :endpoint="PHOTO_ENDPOINT" :camera="HAS_CAMERA"
                  test-id="public-photos" @update:model-value="clearServer('photos')" />
              </el-form-item>
            </div>

            <div class="pub-card">
              <el-form-item :label="$t('public.location')" prop="point" :error="serverError('point')" class="pub-point-item" required data-test="public-point-item">
                <div class="pub-map-wrap">
                  <mini-map v-if="mapReady" :point="shownPoint" :tiles="config.tiles" :center="config.center" :zoom="config.zoom"
                    pickable expose-as="__zgPublicMap" test-id="public-map" class="pub-map" @pick="onPick" />
                  <div class="pub-map-hint"><el-icon><component :is="icons.Pointer" /></el-icon>{{ $t('public.locationHint') }}</div>
                </div>
                <div class="pub-point" data-test="public-point">
                  <template v-if="report.point">
                    <el-icon class="pub-point__icon"><component :is="icons.LocationFilled" /></el-icon>
                    <span class="pub-point__coords">{{ report.point.lon.toFixed(6) }}, {{ report.point.lat.toFixed(6) }}</span>
                    <span class="pub-point__crs" data-test="public-crs">{{ report.crs === 'gcj02' ? 'GCJ-02' : 'WGS-84' }}</span>
                  </template>
                  <span v-else class="pub-point__none">{{ $t('public.notPicked') }}</span>
                </div>
                <div class="pub-point-actions">
                  <el-button :icon="icons.Aim" :loading="locating" @click="useDevice" data-test="public-geolocate">{{ locating ? $t('public.locating') : $t('public.useDevice') }}</el-button>
                  <el-button link type="primary" @click="manual.open = !manual.open" data-test="public-manual-toggle">{{ manual.open ? $t('public.manualHide') : $t('public.manual') }}</el-button>
                </div>
                <div v-if="manual.open" class="pub-manual" data-test="public-manual">
                  <el-radio-group v-model="manual.crs" class="pub-manual__crs" data-test="public-manual-crs">
                    <el-radio value="gcj02" data-test="public-crs-gcj02">{{ $t('public.crsGcj') }}</el-radio>
                    <el-radio value="wgs84" data-test="public-crs-wgs84">{{ $t('public.crsWgs') }}</el-radio>
                  </el-radio-group>
                  <div class="pub-manual__row">
                    <el-input v-model="manual.lon" inputmode="decimal" :placeholder="$t('public.lon')" data-test="public-manual-lon" />
                    <el-input v-model="manual.lat" inputmode="decimal" :placeholder="$t('public.lat')" data-test="public-manual-lat" />
                    <el-button type="primary" plain @click="applyManual" data-test="public-manual-apply">{{ $t('public.apply') }}</el-button>
                  </div>
                  <div v-if="manual.error" class="pub-error-text">{{ manual.error }}</div>
                </div>
              </el-form-item>
            </div>

            <div class="pub-card">
              <el-form-item :label="$t('public.phone')" prop="phone" :error="serverError('phone')">
                <el-input v-model="report.phone" type="tel" inputmode="numeric" maxlength="11" :placeholder="$t('public.phonePlaceholder')"
                  :prefix-icon="icons.Iphone" data-test="public-phone" @input="clearServer('phone')" />
                <div class="pub-note">{{ $t('public.phoneNote') }}</div>
              </el-form-item>
              <div class="pub-switch-row">
                <div>
                  <div class="pub-switch-row__label">{{ $t('public.anonymous') }}</div>
                  <div class="pub-note">{{ $t('public.anonymousNote') }}</div>
                </div>
                <el-switch v-model="report.anonymous" data-test="public-anonymous" />
              </div>
            </div>

            <el-button type="primary" size="large" class="pub-submit" :loading="submitting" @click="submit" data-test="public-submit">
              {{ submitting ? $t('public.submitting') : $t('public.submit') }}</el-button>
          </el-form>
        </section>

        <!-- 进度查询 -->
        <section v-show="tab === 'query'" data-test="public-query">
          <div class="pub-card">
            <el-form ref="queryRef" :model="q" :rules="qRules" label-position="top" class="pub-form" @submit.prevent="search">
              <el-form-item :label="$t('public.number')" prop="number">
                <el-input v-model="q.number" :placeholder="$t('public.numberPlaceholder')" clearable data-test="public-query-number" />
              </el-form-item>
              <el-form-item :label="$t('public.phone4')" prop="phone4" :error="qErrors.phone4 || ''">
                <el-input v-model="q.phone4" inputmode="numeric" maxlength="4" :placeholder="$t('public.phone4Placeholder')" data-test="public-query-phone4" />
              </el-form-item>
              <el-button type="primary" size="large" class="pub-submit" native-type="submit" :loading="lookup.loading" :icon="icons.Search"
                @click.prevent="search" data-test="public-query-submit">{{ $t('public.query') }}</el-button>
            </el-form>
            <el-alert v-if="lookup.error" type="error" :title="lookup.error" show-icon :closable="false" class="pub-alert" data-test="public-query-error" />
          </div>

          <template v-if="result">
            <div class="pub-card pub-result" data-test="public-result">
              <div class="pub-result__head">
                <div>
                  <div class="pub-result__label">{{ $t('public.number') }}</div>
                  <div class="pub-result__number" data-test="public-result-number">{{ result.number }}</div>
                </div>
                <span class="pub-status pub-status--big" :class="'pub-status--' + result.status" data-test="public-result-status">{{ statusName(result.status) }}</span>
              </div>
              <dl class="pub-kv">
                <div><dt>{{ $t('public.category') }}</dt><dd data-test="public-result-category">{{ result.category && result.category.name }}</dd></div>
                <div v-if="resultArea"><dt>{{ $t('public.area') }}</dt><dd data-test="public-result-units">{{ resultArea }}</dd></div>
                <div v-if="result.department"><dt>{{ $t('public.department') }}</dt><dd data-test="public-result-department">{{ result.department.name }}</dd></div>
                <div><dt>{{ $t('public.reportedAt') }}</dt><dd>{{ formatTime(result.created_at) }}</dd></div>
                <div v-if="result.rating"><dt>{{ $t('public.rating') }}</dt><dd data-test="public-result-rating">{{ ratingName(result.rating) }}</dd></div>
              </dl>
              <div v-if="result.description" class="pub-result__desc">{{ result.description }}</div>
            </div>

            <div v-if="canRate" class="pub-card pub-rate" data-test="public-rate">
              <div class="pub-card__title">{{ $t('public.rateTitle') }}</div>
              <div class="pub-note">{{ $t('public.rateIntro') }}</div>
              <div class="pub-rate__options" role="radiogroup">
                <button v-for="r in RATINGS" :key="r.value" type="button" role="radio" class="pub-rate__opt"
                  :class="['pub-rate__opt--' + r.value, { 'is-active': rate.rating === r.value }]" :aria-checked="rate.rating === r.value"
                  @click="rate.rating = r.value; rate.error = ''" :data-test="'public-rate-' + r.value">
                  <el-icon :size="26"><component :is="icons[r.icon]" /></el-icon>
                  <span>{{ ratingName(r.value) }}</span>
                </button>
              </div>
              <el-input v-model="rate.comment" type="textarea" :rows="3" maxlength="500" show-word-limit
                :placeholder="$t('public.rateComment')" data-test="public-rate-comment" />
              <div v-if="rate.error" class="pub-error-text" data-test="public-rate-error">{{ rate.error }}</div>
              <el-button type="primary" size="large" class="pub-submit" :loading="rate.saving" @click="submitRating" data-test="public-rate-submit">{{ $t('public.rateSubmit') }}</el-button>
            </div>
            <div v-else-if="rate.message" class="pub-card pub-rated" data-test="public-rated">
              <el-icon :size="22"><component :is="icons.SuccessFilled" /></el-icon>
              <div>
                <div>{{ rate.message }}</div>
                <div v-if="result.rating" class="pub-note">{{ $t('public.rated', { rating: ratingName(result.rating) }) }}</div>
              </div>
            </div>

            <div class="pub-card">
              <div class="pub-card__title">{{ $t('public.progress') }}</div>
              <el-timeline class="pub-timeline" data-test="public-timeline">
                <el-timeline-item v-for="(ev, i) in steps" :key="i" :timestamp="formatTime(ev.at)"
                  :type="i === 0 ? 'primary' : ''" :hollow="i !== 0">
                  <div class="pub-tl" data-test="public-timeline-item" :data-action="ev.action">
                    <span class="pub-tl__action">{{ actionName(ev.action) }}</span>
                    <span class="pub-status" :class="'pub-status--' + ev.status">{{ statusName(ev.status) }}</span>
                  </div>
                </el-timeline-item>
              </el-timeline>
            </div>
          </template>
        </section>
      </main>

      <footer class="pub-footer">
        <div><el-icon><component :is="icons.Lock" /></el-icon>{{ $t('public.privacy') }}</div>
        <div>{{ $t('public.footer') }} · zonegov</div>
      </footer>
    </div>
  </el-config-provider>
  `,
};

const app = createApp(App);
app.config.globalProperties.$t = t;
app.config.errorHandler = (err, instance, info) => { console.error('zonegov public:', info, err); };
app.use(ElementPlus);
app.mount('#app');
