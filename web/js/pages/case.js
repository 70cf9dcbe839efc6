// 事件详情 (#/cases/:id): the case, where it is (a small map and the unit
// chain), its photos (a gallery, and beside the event that attached them in
// the timeline), its timeline, the likely duplicates to merge it into, and
// the workflow actions this user may take.
//
// The buttons are exactly the case's allowed_actions (GET /cases/{id}, the
// answer to an action, and a 409's error.case): the server knows who may do
// what. A 403 or 409 shows the server's message; a 409 carries the current
// case, which replaces the stale view. Every action sends the case's version.
// handle, verify and comment take photos, uploaded from the dialog first
// (POST /photos) and sent as their ids.
//
// 疑似重复: a staff view carries `duplicates` when this user may merge the
// case now; each row merges this case into that one (action merge, {into}),
// after a confirmation.
//
// Overdue marks (action overdue, by the system) are shown as one sentence
// from their fields (处置阶段超期，黄牌督办), in the current language.
import { t, i18n } from '../i18n.js';
import { api, errorMessage, API_BASE } from '../api.js';
import { navigate } from '../router.js';
import { departments, loadDepartments, departmentName } from '../departments.js';
import { formatTime } from '../widgets.js';
import { MiniMap } from '../minimap.js';
import { levelName, dutyName } from './map.js';
import {
  StatusTag, CaseFlags, DeadlineCell, allowedActions, ACTION_BUTTON, actionName, statusName, sourceName, stageName,
  ratingName, supervisionName,
} from '../cases-common.js';
import { PhotoPicker } from '../photo-picker.js';

const { reactive, ref, computed, watch, markRaw, nextTick, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

// The fields each action's dialog asks for (server field names).
const FIELDS = {
  accept: ['note'],
  reject: ['reason'],
  dispatch: ['department', 'note'],
  return: ['reason'],
  request_extension: ['deadline', 'reason'],
  approve_extension: ['approved', 'note'],
  handle: ['result', 'photos'],
  verify: ['passed', 'note', 'photos'],
  supervise: ['level', 'note'],
  merge: ['into', 'note'],
  comment: ['note', 'photos'],
  rate: ['rating', 'comment'],
};

// Event fields shown otherwise (photos as thumbnails, auto as a tag) or not at all.
const HIDDEN_FIELDS = ['photos', 'auto'];

const EVENT_TYPE = {
  report: 'info', accept: 'primary', dispatch: 'primary', handle: 'success', verify: 'success', rate: 'success',
  reject: 'danger', return: 'warning', request_extension: 'warning', approve_extension: 'primary', supervise: 'danger',
  overdue: 'danger', merge: 'info', comment: '',
};

const EMPTY_FORM = () => ({
  note: '', reason: '', department: null, deadline: '', approved: true, result: '', passed: true, level: 'yellow',
  into: '', rating: '', comment: '', photos: [],
});

const PHOTO_ENDPOINT = `${API_BASE}/photos`;

// System notes are written in both languages ("自动派遣至责任部门 dispatched to
// the department"): show the half of the current language.
function noteText(ev) {
  const note = ev.note;
  if (!note || ev.actor !== 'system') return note || '';
  const m = /^([^\x00-\x7f][^]*?)\s+([A-Za-z][\x20-\x7e]*)$/.exec(note);
  if (!m) return note;
  return i18n.lang === 'en' ? m[2] : m[1];
}

export default {
  name: 'CasePage',
  components: { StatusTag, CaseFlags, DeadlineCell, MiniMap, PhotoPicker },
  props: { id: { type: String, required: true } },
  setup(props) {
    const state = reactive({
      loading: true, error: null, case: null, grid: null, tiles: null, alert: null,
    });
    const caseId = computed(() => (/^\d+$/.test(props.id) ? Number(props.id) : null));

    async function loadGrid(c) {
      const g = (c.units || []).find((u) => u.level === 'grid');
      if (!g || (state.grid && state.grid.code === g.code)) return;
      try {
        state.grid = markRaw(await api.get(`/units/${encodeURIComponent(g.code)}`, { silent: true }));
      } catch { /* the map shows the point alone */ }
    }

    async function load() {
      if (!caseId.value) {
        state.error = { status: 404, message: t('errors.notFound') };
        state.loading = false;
        return;
      }
      state.loading = !state.case;
      try {
        const c = await api.get(`/cases/${caseId.value}`, { silent: true });
        state.case = c;
        state.error = null;
        loadGrid(c);
      } catch (err) {
        if (!state.case) state.error = err;
        else window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
      } finally {
        state.loading = false;
      }
    }

    onMounted(() => {
      load();
      loadDepartments();
      api.get('/settings', { silent: true }).then((s) => {
        if (s && s.map && s.map.tile_url) state.tiles = { url: s.map.tile_url, attribution: s.map.tile_attribution };
      }).catch(() => {});
    });

    const c = computed(() => state.case);
    const actions = computed(() => allowedActions(state.case));
    const mainActions = computed(() => actions.value.filter((a) => a !== 'comment'));
    const point = computed(() => (c.value ? { lat: c.value.lat, lon: c.value.lon } : null));
    const area = computed(() => (state.grid && state.grid.geometry) || null);
    const units = computed(() => (c.value && c.value.units) || []);
    const gridPeople = computed(() => (state.grid && state.grid.people) || []);
    const events = computed(() => (c.value && c.value.events) || []);
    const duplicates = computed(() => (c.value && Array.isArray(c.value.duplicates) ? c.value.duplicates : []));

    // ---- photos ----
    const photos = computed(() => (c.value && Array.isArray(c.value.photos) ? c.value.photos : []));
    const photoSrc = (p) => `${API_BASE}/cases/${caseId.value}/photos/${encodeURIComponent(p.id)}`;
    const photoUrls = computed(() => photos.value.map(photoSrc));
    // The photos an event attached (a photo's seq is its event's).
    function photosOf(ev) {
      return photos.value.filter((p) => p.seq === ev.seq);
    }
    const photoIndex = (p) => photos.value.indexOf(p);
    function photoCaption(p) {
      void i18n.lang;
      const ev = events.value.find((e) => e.seq === p.seq);
      return ev ? t('cases.photoAt', { action: actionName(ev.action), time: formatTime(ev.at).slice(5, 16) }) : '';
    }
    const isOpen = computed(() => c.value && !['closed', 'rejected'].includes(c.value.status));
    const reporterText = computed(() => {
      void i18n.lang;
      const r = c.value && c.value.reporter;
      if (!r) return t('common.none');
      if (r.anonymous) return t('cases.anonymous');
      return r.phone || t('cases.noPhone');
    });
    const errorTitle = computed(() => {
      void i18n.lang;
      const e = state.error;
      if (!e) return '';
      if (e.status === 403) return t('errors.forbiddenTitle');
      if (e.status === 404) return t('errors.notFoundTitle');
      return t('cases.loadFailed');
    });
    const errorText = computed(() => { void i18n.lang; return state.error ? (errorMessage(state.error) || state.error.message) : ''; });

    function actorName(actor) {
      if (actor === 'system') return t('cases.system');
      if (actor === 'public') return t('cases.public');
      return actor;
    }

    // An event's fields as [label, value, kind] rows.
    function eventFields(ev) {
      const f = ev.fields;
      if (!f || typeof f !== 'object') return [];
      const rows = [];
      for (const [k, v] of Object.entries(f)) {
        if (HIDDEN_FIELDS.includes(k)) continue;
        // An overdue mark says its stage and 督办 in its sentence (eventSummary).
        if (ev.action === 'overdue' && (k === 'stage' || k === 'supervision')) continue;
        let value = v;
        if (k === 'department') value = departmentName(v);
        else if (k === 'grid') value = gridName(v);
        else if (k === 'stage') value = stageName(v);
        else if (k === 'supervision') value = supervisionName(v);
        else if (k === 'deadline') value = formatTime(v).slice(0, 16);
        else if (k === 'passed') value = v ? t('cases.passedYes') : t('cases.passedNo');
        else if (k === 'approved') value = v ? t('cases.approvedYes') : t('cases.approvedNo');
        else if (k === 'rating') value = ratingName(v);
        else if (k === 'level') value = supervisionName(v);
        const label = ev.action === 'overdue' && (k === 'department' || k === 'grid') ? t('cases.overdueTo') : t('cases.field.' + k);
        rows.push({ key: k, label: label === 'cases.field.' + k ? k : label, value, link: k === 'into' ? `#/cases/${v}` : null });
      }
      return rows;
    }
    // The grid's name when it is this case's grid (else its code).
    function gridName(code) {
      const u = units.value.find((x) => x.code === String(code));
      return u ? u.name : String(code);
    }
    // One sentence for a system overdue mark: 处置阶段超期，黄牌督办.
    function eventSummary(ev) {
      if (ev.action !== 'overdue' || !ev.fields) return '';
      void i18n.lang;
      const f = ev.fields;
      const stage = stageName(f.stage);
      return f.supervision
        ? t('cases.overdueSummary', { stage, supervision: supervisionName(f.supervision) })
        : t('cases.overdueSummaryPlain', { stage });
    }
    function eventType(ev) {
      if (ev.action === 'verify' && ev.fields && ev.fields.passed === false) return 'warning';
      if (ev.action === 'rate' && ev.fields && ev.fields.rating === 'unsatisfied') return 'danger';
      return EVENT_TYPE[ev.action] || '';
    }

    // ---- action dialogs ----
    const dialog = reactive({ visible: false, action: '', saving: false, error: '', uploading: false, seq: 0 });
    const form = reactive(EMPTY_FORM());
    const fieldErrors = reactive({});
    const formRef = ref(null);

    function clearErrors() {
      for (const k of Object.keys(fieldErrors)) delete fieldErrors[k];
      dialog.error = '';
    }

    function openAction(action) {
      Object.assign(form, EMPTY_FORM());
      clearErrors();
      if (action === 'dispatch') form.department = (c.value.department && c.value.department.id) || null;
      dialog.action = action;
      dialog.uploading = false;
      dialog.seq++;            // a fresh photo picker
      dialog.visible = true;
    }

    const has = (f) => (FIELDS[dialog.action] || []).includes(f);
    // The photos are up: the request to wait for them is answered.
    watch(() => dialog.uploading, (busy) => { if (!busy && dialog.error === t('photos.uploading')) dialog.error = ''; });
    const dialogTitle = computed(() => (dialog.action ? t('cases.dialogTitle', { action: actionName(dialog.action), number: c.value ? c.value.number : '' }) : ''));

    // Client-side checks of the required fields (the server checks again).
    function validate() {
      clearErrors();
      const a = dialog.action;
      const need = (f, label) => { fieldErrors[f] = t('cases.required', { field: label }); };
      if ((a === 'reject' || a === 'return') && !form.reason.trim()) need('reason', t('cases.reason'));
      if (a === 'request_extension') {
        if (!form.deadline) fieldErrors.deadline = t('cases.requiredChoose', { field: t('cases.newDeadline') });
        if (!form.reason.trim()) need('reason', t('cases.reason'));
      }
      if (a === 'handle' && !form.result.trim()) need('result', t('cases.result'));
      if (a === 'verify' && form.passed === false && !form.note.trim()) need('note', t('cases.note'));
      if (a === 'merge' && !String(form.into).trim()) need('into', t('cases.into'));
      if (a === 'comment' && !form.note.trim()) need('note', t('cases.note'));
      if (a === 'rate' && !form.rating) fieldErrors.rating = t('cases.requiredChoose', { field: t('cases.rating_') });
      if (a === 'dispatch' && !form.department && c.value.route !== 'grid') fieldErrors.department = t('cases.chooseDepartment');
      return Object.keys(fieldErrors).length === 0;
    }

    // 合并至: a case ID, or a case number looked up in the list.
    async function resolveInto(v) {
      const s = String(v).trim();
      if (/^\d+$/.test(s)) return Number(s);
      const data = await api.get('/cases', { query: { number: s, per_page: 1 }, silent: true });
      const hit = data && data.items && data.items[0];
      return hit ? hit.id : null;
    }

    async function body() {
      const a = dialog.action;
      const b = { action: a, version: c.value.version };
      const text = (v) => (typeof v === 'string' ? v.trim() : v);
      switch (a) {
        case 'reject': case 'return': b.reason = text(form.reason); break;
        case 'dispatch': if (form.department) b.department = form.department; break;
        case 'request_extension': b.deadline = form.deadline; b.reason = text(form.reason); break;
        case 'approve_extension': b.approved = !!form.approved; break;
        case 'handle': b.result = text(form.result); break;
        case 'verify': b.passed = !!form.passed; break;
        case 'supervise': b.level = form.level; break;
        case 'merge': {
          const into = await resolveInto(form.into);
          if (!into) { fieldErrors.into = t('cases.intoNotFound'); return null; }
          b.into = into;
          break;
        }
        case 'rate': b.rating = form.rating; if (form.comment.trim()) b.comment = form.comment.trim(); break;
        default: break;
      }
      if (has('note') && form.note.trim()) b.note = form.note.trim();
      if (has('photos') && form.photos.length) b.photos = form.photos.slice();
      return b;
    }

    // The answer to an action: the case (with its allowed_actions) replaces the view.
    function applied(res, action) {
      state.case = res;
      state.alert = null;
      loadGrid(res);
      window.ElementPlus.ElMessage({ type: 'success', message: t('cases.done', { action: actionName(action) }), grouping: true });
    }

    // A 409 or 403 refusal: the server's message above the case; a 409
    // carries the current case and what is allowed now. Returns false for
    // other errors (the caller shows them).
    function refused(err) {
      const msg = errorMessage(err);
      if (err.status === 409) {
        const cur = err.error && err.error.case;
        if (cur) state.case = { ...cur, events: cur.events || (state.case ? state.case.events : []) };
        else if (state.case) state.case = { ...state.case, allowed_actions: (err.error && err.error.allowed_actions) || [] };
        state.alert = { type: 'warning', text: msg, code: 409, detail: cur ? t('cases.changed') : '' };
        window.ElementPlus.ElMessage({ type: 'warning', message: msg, grouping: true, showClose: true });
        load(); // the timeline too
        return true;
      }
      if (err.status === 403) {
        state.alert = { type: 'error', text: msg, code: 403 };
        window.ElementPlus.ElMessage({ type: 'error', message: msg, grouping: true, showClose: true });
        return true;
      }
      return false;
    }

    async function submit() {
      if (dialog.saving || !validate()) return;
      if (dialog.uploading) {
        dialog.error = t('photos.uploading');
        return;
      }
      dialog.saving = true;
      const action = dialog.action;
      try {
        const b = await body();
        if (!b) return;
        const res = await api.post(`/cases/${caseId.value}/actions`, b, { silent: true });
        dialog.visible = false;
        applied(res, action);
      } catch (err) {
        if (err.status === 409 || err.status === 403) {
          dialog.visible = false;
          refused(err);
        } else if (err.field && (FIELDS[action] || []).includes(err.field)) {
          await nextTick();
          fieldErrors[err.field] = errorMessage(err);
        } else {
          dialog.error = errorMessage(err);
        }
      } finally {
        dialog.saving = false;
      }
    }

    // 合并到此案: this case goes into the duplicate `d`.
    const merging = ref(null);
    async function mergeInto(d) {
      if (merging.value) return;
      const cur = c.value;
      try {
        await window.ElementPlus.ElMessageBox.confirm(
          t('cases.mergeConfirm', { number: cur.number, into: d.number }), t('cases.mergeConfirmTitle'),
          { type: 'warning', confirmButtonText: t('cases.mergeOk'), cancelButtonText: t('cases.cancel'), customClass: 'merge-confirm' },
        );
      } catch {
        return; // cancelled
      }
      merging.value = d.id;
      try {
        const res = await api.post(`/cases/${caseId.value}/actions`, { action: 'merge', version: cur.version, into: d.id }, { silent: true });
        applied(res, 'merge');
      } catch (err) {
        if (!refused(err)) window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
      } finally {
        merging.value = null;
      }
    }

    const disabledPast = (d) => d.getTime() < Date.now() - 86400000;

    return {
      icons: Icons, state, c, actions, mainActions, point, area, units, gridPeople, events, isOpen, reporterText,
      errorTitle, errorText, actorName, eventFields, eventType, eventSummary, noteText, dialog, form, fieldErrors, formRef, has,
      photos, photoSrc, photoUrls, photosOf, photoIndex, photoCaption, duplicates, mergeInto, merging, PHOTO_ENDPOINT,
      dialogTitle, openAction, submit, load, disabledPast, departments, ACTION_BUTTON, formatTime, actionName,
      statusName, sourceName, stageName, ratingName, levelName, dutyName, navigate,
      back: () => (window.history.length > 1 ? window.history.back() : navigate('/cases')),
    };
  },
  template: `
  <div class="page case-page" data-test="case-page">
    <el-card v-if="state.loading" shadow="never" class="case-loading" v-loading="true" />

    <el-card v-else-if="state.error" shadow="never" class="case-error">
      <el-result :icon="state.error.status === 403 ? 'warning' : 'error'" :title="errorTitle" :sub-title="errorText" data-test="case-error">
        <template #extra><el-button type="primary" plain @click="navigate('/cases')">{{ $t('cases.goList') }}</el-button></template>
      </el-result>
    </el-card>

    <template v-else-if="c">
      <el-card shadow="never" class="case-head-card">
        <div class="case-head" data-test="case-head">
          <div class="case-head__main">
            <div class="case-head__title">
              <el-button link :icon="icons.ArrowLeft" class="case-head__back" @click="back" :title="$t('cases.back')" data-test="case-back" />
              <span class="case-head__number" data-test="case-number">{{ c.number }}</span>
              <status-tag :status="c.status" />
              <case-flags :item="c" size="default" />
            </div>
            <div class="case-head__meta">
              <span><el-icon><component :is="icons.CollectionTag" /></el-icon><b data-test="case-category">{{ c.category.name }}</b><span class="mono muted">{{ c.category.code }}</span></span>
              <span><el-icon><component :is="icons.Promotion" /></el-icon><span data-test="case-source">{{ sourceName(c.source) }}</span></span>
              <span><el-icon><component :is="icons.Clock" /></el-icon>{{ formatTime(c.created_at) }}</span>
              <span v-if="isOpen && c.deadline"><el-icon><component :is="icons.Timer" /></el-icon><deadline-cell :deadline="c.deadline" :overdue="!!c.overdue" inline /></span>
            </div>
          </div>
          <div class="case-head__actions" data-test="case-actions">
            <el-button v-for="a in mainActions" :key="a" :type="ACTION_BUTTON[a].type" :plain="ACTION_BUTTON[a].plain"
              :icon="icons[ACTION_BUTTON[a].icon]" @click="openAction(a)" :data-test="'action-' + a">{{ actionName(a) }}</el-button>
            <el-button v-if="actions.includes('comment')" :icon="icons.ChatLineSquare" @click="openAction('comment')" data-test="action-comment">{{ actionName('comment') }}</el-button>
            <el-tooltip :content="$t('cases.refresh')" placement="top">
              <el-button circle :icon="icons.Refresh" @click="load" data-test="case-refresh" :aria-label="$t('cases.refresh')" />
            </el-tooltip>
          </div>
        </div>
        <el-alert v-if="state.alert" :type="state.alert.type" :title="state.alert.text" :description="state.alert.detail || ''" show-icon class="case-alert"
          :data-code="state.alert.code" data-test="case-alert" @close="state.alert = null" />
      </el-card>

      <el-row :gutter="16" class="case-body">
        <el-col :xs="24" :lg="15">
          <el-card v-if="duplicates.length" shadow="never" class="panel case-dups" data-test="case-duplicates">
            <template #header>
              <div class="panel__header"><el-icon><component :is="icons.CopyDocument" /></el-icon>{{ $t('cases.duplicates') }}
                <span class="panel__count">{{ duplicates.length }}</span><span class="panel__sub">{{ $t('cases.duplicatesHint') }}</span></div>
            </template>
            <el-table :data="duplicates" size="small" class="case-dups__table" row-key="id" data-test="duplicates-table">
              <el-table-column :label="$t('cases.number')" min-width="150">
                <template #default="{ row }">
                  <a class="case-number-link" :href="'#/cases/' + row.id" data-test="dup-number" :data-id="row.id">{{ row.number }}</a>
                </template>
              </el-table-column>
              <el-table-column :label="$t('cases.status_')" width="104" align="center">
                <template #default="{ row }"><status-tag :status="row.status" size="small" /></template>
              </el-table-column>
              <el-table-column :label="$t('cases.distance')" width="96" align="right">
                <template #default="{ row }"><span data-test="dup-distance">{{ $t('cases.meters', { n: Math.round(row.distance_m) }) }}</span></template>
              </el-table-column>
              <el-table-column :label="$t('cases.createdAt')" width="150" align="center">
                <template #default="{ row }">{{ formatTime(row.created_at).slice(0, 16) }}</template>
              </el-table-column>
              <el-table-column :label="$t('cases.operations')" width="130" align="center">
                <template #default="{ row }">
                  <el-button size="small" type="warning" plain :icon="icons.Connection" :loading="merging === row.id" :disabled="!!merging && merging !== row.id"
                    @click="mergeInto(row)" :data-test="'dup-merge-' + row.id">{{ $t('cases.mergeHere') }}</el-button>
                </template>
              </el-table-column>
            </el-table>
          </el-card>

          <el-card shadow="never" class="panel case-info">
            <template #header><div class="panel__header"><el-icon><component :is="icons.Document" /></el-icon>{{ $t('cases.basic') }}</div></template>
            <el-descriptions :column="2" border class="case-desc" data-test="case-info">
              <el-descriptions-item :label="$t('cases.category')">{{ c.category.name }} <span class="mono muted">{{ c.category.code }}</span></el-descriptions-item>
              <el-descriptions-item :label="$t('cases.source_')">{{ sourceName(c.source) }}<template v-if="c.project"> · <el-link type="primary" data-test="case-project" @click="navigate('/projects/' + c.project)">{{ $t('cases.projectLink') }}</el-link></template></el-descriptions-item>
              <el-descriptions-item :label="$t('cases.status_')"><status-tag :status="c.status" size="small" /></el-descriptions-item>
              <el-descriptions-item :label="$t('cases.stage_')">{{ stageName(c.stage) }}</el-descriptions-item>
              <el-descriptions-item :label="$t('cases.department')">
                <span v-if="c.department" data-test="case-department">{{ c.department.name }}</span>
                <span v-else class="text-muted" data-test="case-department">{{ $t('cases.gridRoute') }}</span>
              </el-descriptions-item>
              <el-descriptions-item :label="$t('cases.deadline')">
                <deadline-cell v-if="isOpen" :deadline="c.deadline" :overdue="!!c.overdue" inline />
                <span v-else class="text-muted">{{ $t('common.none') }}</span>
              </el-descriptions-item>
              <el-descriptions-item :label="$t('cases.reporter')"><span data-test="case-reporter">{{ reporterText }}</span></el-descriptions-item>
              <el-descriptions-item :label="$t('cases.createdAt')">{{ formatTime(c.created_at) }}</el-descriptions-item>
              <el-descriptions-item v-if="c.extension_deadline" :label="$t('cases.extension')">{{ formatTime(c.extension_deadline).slice(0, 16) }}</el-descriptions-item>
              <el-descriptions-item v-if="c.merged_into" :label="$t('cases.mergedInto')"><a class="case-number-link" :href="'#/cases/' + c.merged_into">#{{ c.merged_into }}</a></el-descriptions-item>
              <el-descriptions-item v-if="c.closed_at" :label="$t('cases.closedAt')">{{ formatTime(c.closed_at) }}</el-descriptions-item>
              <el-descriptions-item v-if="c.rating" :label="$t('cases.rating_')"><span data-test="case-rating">{{ ratingName(c.rating) }}</span></el-descriptions-item>
              <el-descriptions-item :label="$t('cases.updatedAt')">{{ formatTime(c.updated_at) }}</el-descriptions-item>
              <el-descriptions-item :label="$t('cases.version')"><span data-test="case-version">{{ c.version }}</span></el-descriptions-item>
            </el-descriptions>
            <div class="case-section-title">{{ $t('cases.description') }}</div>
            <div class="case-description" data-test="case-description">{{ c.description }}</div>
            <div class="case-section-title">{{ $t('cases.photos') }}<span class="case-section-title__count">{{ photos.length }}</span></div>
            <div v-if="photos.length" class="case-gallery" data-test="case-gallery">
              <figure v-for="(p, i) in photos" :key="p.id + ':' + p.seq" class="case-gallery__item" data-test="gallery-photo" :data-id="p.id" :data-seq="p.seq">
                <el-image :src="photoSrc(p)" fit="cover" class="case-gallery__img" :preview-src-list="photoUrls" :initial-index="i"
                  preview-teleported hide-on-click-modal :alt="photoCaption(p)" />
                <figcaption class="case-gallery__cap">{{ photoCaption(p) }}</figcaption>
              </figure>
            </div>
            <div v-else class="case-gallery case-gallery--empty text-muted" data-test="case-gallery-empty">{{ $t('cases.photosNone') }}</div>
          </el-card>

          <el-card shadow="never" class="panel case-timeline-card">
            <template #header><div class="panel__header"><el-icon><component :is="icons.List" /></el-icon>{{ $t('cases.timeline') }}<span class="panel__count">{{ events.length }}</span></div></template>
            <el-timeline class="case-timeline" data-test="timeline">
              <el-timeline-item v-for="ev in events" :key="ev.seq" :type="eventType(ev)" :timestamp="formatTime(ev.at)" placement="top" size="large">
                <div class="tl-item" data-test="timeline-item" :data-action="ev.action">
                  <div class="tl-item__head">
                    <span class="tl-item__action" data-test="timeline-action">{{ actionName(ev.action) }}</span>
                    <span class="tl-item__actor"><el-icon><component :is="icons.User" /></el-icon>{{ actorName(ev.actor) }}</span>
                    <span class="tl-item__status">
                      <template v-if="ev.from && ev.from !== ev.to"><span class="tl-st">{{ statusName(ev.from) }}</span><el-icon><component :is="icons.Right" /></el-icon></template>
                      <span class="tl-st tl-st--to">{{ statusName(ev.to) }}</span>
                    </span>
                  </div>
                  <div v-if="eventSummary(ev)" class="tl-item__summary" data-test="timeline-summary">
                    <el-icon><component :is="icons.WarningFilled" /></el-icon>{{ eventSummary(ev) }}</div>
                  <div v-else-if="ev.note" class="tl-item__note" data-test="timeline-note">
                    <el-tag v-if="ev.fields && ev.fields.auto" size="small" type="info" effect="plain" class="tl-item__auto" disable-transitions
                      data-test="timeline-auto">{{ $t('cases.autoSupervise') }}</el-tag>{{ noteText(ev) }}</div>
                  <div v-if="eventFields(ev).length" class="tl-item__fields">
                    <span v-for="f in eventFields(ev)" :key="f.key" class="tl-field"><span class="tl-field__k">{{ f.label }}</span>
                      <a v-if="f.link" :href="f.link" class="case-number-link">#{{ f.value }}</a><span v-else>{{ f.value }}</span></span>
                  </div>
                  <div v-if="photosOf(ev).length" class="tl-photos" data-test="timeline-photos">
                    <el-image v-for="p in photosOf(ev)" :key="p.id" :src="photoSrc(p)" fit="cover" class="tl-photo" data-test="timeline-photo"
                      :data-id="p.id" :preview-src-list="photoUrls" :initial-index="photoIndex(p)" preview-teleported hide-on-click-modal
                      :alt="actionName(ev.action)" />
                  </div>
                </div>
              </el-timeline-item>
            </el-timeline>
          </el-card>
        </el-col>

        <el-col :xs="24" :lg="9">
          <el-card shadow="never" class="panel case-map-card">
            <template #header><div class="panel__header"><el-icon><component :is="icons.Location" /></el-icon>{{ $t('cases.location') }}</div></template>
            <mini-map :point="point" :area="area" :tiles="state.tiles" test-id="case-map" class="case-map" />
            <div class="case-coords" data-test="case-coords">
              <span>{{ $t('cases.lon') }} <b>{{ c.lon.toFixed(6) }}</b></span>
              <span>{{ $t('cases.lat') }} <b>{{ c.lat.toFixed(6) }}</b></span>
              <span class="muted">WGS-84</span>
            </div>
            <div class="case-section-title">{{ $t('cases.chain') }}</div>
            <div class="unit-chain case-chain" data-test="case-units">
              <div v-for="u in units" :key="u.code" class="unit-node" :class="['unit-node--' + u.level, { 'is-selected': u.level === 'grid' }]"
                data-test="case-unit" :data-level="u.level" :data-code="u.code">
                <span class="unit-node__dot"></span>
                <div class="unit-node__head">
                  <span class="zg-level" :class="'zg-level--' + u.level">{{ levelName(u.level) }}</span>
                  <span class="unit-node__name">{{ u.name }}</span>
                </div>
                <div class="unit-node__code">{{ $t('map.code') }} <span>{{ u.code }}</span></div>
                <div v-if="u.level === 'grid' && gridPeople.length" class="unit-node__people">
                  <div v-for="p in gridPeople" :key="p.id + ':' + p.duty" class="person-row" :data-username="p.username">
                    <span class="person-row__duty" :class="'person-row__duty--' + p.duty">{{ dutyName(p.duty) }}</span>
                    <span class="person-row__name">{{ p.name }}</span>
                    <span v-if="p.phone" class="person-row__phone"><el-icon><component :is="icons.Phone" /></el-icon>{{ p.phone }}</span>
                  </div>
                </div>
              </div>
            </div>
            <div class="case-dept">
              <span class="case-dept__label">{{ $t('cases.department') }}</span>
              <span v-if="c.department" class="case-dept__name"><el-icon><component :is="icons.OfficeBuilding" /></el-icon>{{ c.department.name }}</span>
              <span v-else class="text-muted">{{ $t('cases.gridRoute') }}</span>
            </div>
          </el-card>
        </el-col>
      </el-row>

      <el-dialog v-model="dialog.visible" :title="dialogTitle" width="520px" :close-on-click-modal="false" append-to-body
        class="case-dialog" :data-action="dialog.action" data-test="action-dialog">
        <el-form ref="formRef" :model="form" label-width="auto" label-position="right" class="case-dialog__form" @submit.prevent="submit">
          <el-form-item v-if="dialog.action === 'request_extension' || dialog.action === 'approve_extension'" :label="$t('cases.currentDeadline')">
            <span>{{ formatTime(c.deadline).slice(0, 16) }}</span>
          </el-form-item>
          <el-form-item v-if="dialog.action === 'approve_extension'" :label="$t('cases.requestedDeadline')">
            <b>{{ formatTime(c.extension_deadline).slice(0, 16) }}</b>
          </el-form-item>

          <el-form-item v-if="has('department')" :label="$t('cases.department')" :error="fieldErrors.department" :required="c.route !== 'grid'">
            <el-select v-model="form.department" filterable :clearable="c.route === 'grid'" class="w-full"
              :placeholder="c.route === 'grid' ? $t('cases.gridOption') : $t('cases.chooseDepartment')" data-test="form-department">
              <el-option v-for="d in departments.items" :key="d.id" :label="d.name" :value="d.id">
                <span>{{ d.name }}</span><span class="option-extra">{{ d.code }}</span>
              </el-option>
            </el-select>
          </el-form-item>
          <el-form-item v-if="has('deadline')" :label="$t('cases.newDeadline')" :error="fieldErrors.deadline" required>
            <div class="w-full" data-test="form-deadline">
              <el-date-picker v-model="form.deadline" type="datetime" value-format="YYYY-MM-DDTHH:mm:ssZ" format="YYYY-MM-DD HH:mm"
                :disabled-date="disabledPast" :placeholder="$t('cases.newDeadlinePlaceholder')" class="w-full" />
            </div>
          </el-form-item>
          <el-form-item v-if="has('approved')" :label="$t('cases.field.approved')" :error="fieldErrors.approved" required>
            <el-radio-group v-model="form.approved" data-test="form-approved">
              <el-radio :value="true" data-test="form-approved-yes">{{ $t('cases.approvedYes') }}</el-radio>
              <el-radio :value="false" data-test="form-approved-no">{{ $t('cases.approvedNo') }}</el-radio>
            </el-radio-group>
          </el-form-item>
          <el-form-item v-if="has('passed')" :label="$t('cases.verifyResult')" :error="fieldErrors.passed" required>
            <el-radio-group v-model="form.passed" data-test="form-passed">
              <el-radio-button :value="true" data-test="form-passed-yes">{{ $t('cases.passedYes') }}</el-radio-button>
              <el-radio-button :value="false" data-test="form-passed-no">{{ $t('cases.passedNo') }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-form-item v-if="has('level')" :label="$t('cases.level')" :error="fieldErrors.level" required>
            <el-radio-group v-model="form.level" data-test="form-level">
              <el-radio-button value="yellow" data-test="form-level-yellow">{{ $t('cases.levelYellow') }}</el-radio-button>
              <el-radio-button value="red" data-test="form-level-red">{{ $t('cases.levelRed') }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-form-item v-if="has('into')" :label="$t('cases.into')" :error="fieldErrors.into" required>
            <el-input v-model="form.into" :placeholder="$t('cases.intoPlaceholder')" data-test="form-into" />
          </el-form-item>
          <el-form-item v-if="has('rating')" :label="$t('cases.rating_')" :error="fieldErrors.rating" required>
            <el-radio-group v-model="form.rating" data-test="form-rating">
              <el-radio-button value="satisfied">{{ ratingName('satisfied') }}</el-radio-button>
              <el-radio-button value="basic">{{ ratingName('basic') }}</el-radio-button>
              <el-radio-button value="unsatisfied">{{ ratingName('unsatisfied') }}</el-radio-button>
            </el-radio-group>
            <div class="form-tip">{{ $t('cases.ratingHint') }}</div>
          </el-form-item>
          <el-form-item v-if="has('comment')" :label="$t('cases.ratingComment')" :error="fieldErrors.comment">
            <el-input v-model="form.comment" type="textarea" :rows="3" maxlength="500" show-word-limit data-test="form-comment" />
          </el-form-item>
          <el-form-item v-if="has('reason')" :label="$t('cases.reason')" :error="fieldErrors.reason" required>
            <el-input v-model="form.reason" type="textarea" :rows="3" maxlength="500" show-word-limit data-test="form-reason"
              :placeholder="dialog.action === 'reject' ? $t('cases.rejectReasonPlaceholder') : dialog.action === 'return' ? $t('cases.returnReasonPlaceholder') : $t('cases.reasonPlaceholder')" />
          </el-form-item>
          <el-form-item v-if="has('result')" :label="$t('cases.result')" :error="fieldErrors.result" required>
            <el-input v-model="form.result" type="textarea" :rows="4" maxlength="2000" show-word-limit
              :placeholder="$t('cases.resultPlaceholder')" data-test="form-result" />
          </el-form-item>
          <el-form-item v-if="has('note')" :label="$t('cases.note')" :error="fieldErrors.note"
            :required="dialog.action === 'comment' || (dialog.action === 'verify' && form.passed === false)">
            <el-input v-model="form.note" type="textarea" :rows="3" :maxlength="dialog.action === 'comment' ? 2000 : 500" show-word-limit data-test="form-note"
              :placeholder="dialog.action === 'comment' ? $t('cases.commentPlaceholder') : dialog.action === 'verify' ? $t('cases.verifyNotePlaceholder') : $t('cases.notePlaceholder')" />
          </el-form-item>
          <el-form-item v-if="has('photos')" :label="$t('cases.photos')" :error="fieldErrors.photos" class="case-dialog__photos">
            <photo-picker :key="dialog.seq" v-model="form.photos" v-model:busy="dialog.uploading" :endpoint="PHOTO_ENDPOINT" size="small"
              test-id="form-photos" />
          </el-form-item>
          <el-alert v-if="dialog.error" type="error" :title="dialog.error" show-icon :closable="false" data-test="action-error" />
        </el-form>
        <template #footer>
          <el-button @click="dialog.visible = false" data-test="action-cancel">{{ $t('cases.cancel') }}</el-button>
          <el-button type="primary" :loading="dialog.saving" @click="submit" data-test="action-submit">{{ $t('cases.submit') }}</el-button>
        </template>
      </el-dialog>
    </template>
  </div>
  `,
};
