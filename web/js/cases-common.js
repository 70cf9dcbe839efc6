// Shared pieces of the case pages (事件工单): names of statuses, actions and
// sources; status tags and flags; the deadline countdown; the category tree;
// the workflow actions the server allows on a case (docs/WORKFLOW.md).
import { t, i18n } from './i18n.js';
import { api } from './api.js';
import { formatTime } from './widgets.js';

const { reactive, watch } = window.Vue;

export const STATUSES = ['reported', 'accepted', 'rejected', 'dispatched', 'handled', 'closed'];
export const SOURCES = ['resident', 'grid_patrol', 'hotline', 'supervisor', 'inspection', 'enterprise', 'project', 'consultation'];
// Staff give the source; public intake (the portal) is always resident.
export const STAFF_SOURCES = SOURCES.filter((s) => s !== 'resident');
export const OPEN_STATUSES = ['reported', 'accepted', 'dispatched', 'handled'];

function named(prefix, key) {
  if (key === null || key === undefined || key === '') return t('common.none');
  const s = t(prefix + key);
  return s === prefix + key ? String(key) : s;
}
export const statusName = (s) => named('cases.status.', s);
export const actionName = (a) => named('cases.action.', a);
export const sourceName = (s) => named('cases.source.', s);
export const stageName = (s) => named('cases.stage.', s);
export const ratingName = (r) => named('cases.rating.', r);
export const supervisionName = (l) => named('cases.supervision.', l);

// ---- the clock the countdowns follow (one timer for all of them) ----------
export const clock = reactive({ now: Date.now() });
setInterval(() => { clock.now = Date.now(); }, 30000);

function durationText(ms) {
  const mins = Math.floor(Math.abs(ms) / 60000);
  if (mins < 1) return t('cases.lessThanMinute');
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const parts = [];
  if (d) parts.push(t('cases.days', { n: d }));
  if (h) parts.push(t('cases.hours', { n: h }));
  if (!d && m) parts.push(t('cases.minutes', { n: m }));
  return parts.join(i18n.lang === 'en' ? ' ' : '');
}

// { text, level: 'ok' | 'soon' | 'late' } for a deadline, or null when there is none.
export function deadlineInfo(deadline, overdue) {
  if (!deadline) return null;
  const at = new Date(deadline).getTime();
  if (Number.isNaN(at)) return null;
  const left = at - clock.now;
  if (left <= 0 || overdue) return { text: t('cases.late', { time: durationText(Math.min(left, 0)) }), level: 'late', at };
  return { text: t('cases.left', { time: durationText(left) }), level: left < 2 * 3600 * 1000 ? 'soon' : 'ok', at };
}

// ---- categories (GET /categories), loaded once ----------------------------
export const categories = reactive({ items: [], byCode: {}, tree: [], loaded: false });
let categoriesPending = null;

watch(() => i18n.lang, () => { if (categories.loaded) categories.tree = categoryTree(categories.items); });

export function loadCategories() {
  if (categoriesPending) return categoriesPending;
  categoriesPending = api.get('/categories', { silent: true })
    .then((data) => {
      const items = Array.isArray(data && data.items) ? data.items : [];
      categories.items = items;
      categories.byCode = Object.fromEntries(items.map((c) => [c.code, c]));
      categories.tree = categoryTree(items);
      categories.loaded = true;
      return items;
    })
    .catch((err) => {
      categoriesPending = null;
      console.warn('zonegov: GET /categories failed', err);
      return [];
    });
  return categoriesPending;
}

// Loads the categories again (after the catalog was changed on 事件分类管理).
export function reloadCategories() {
  categoriesPending = null;
  return loadCategories();
}

// 大类 → 小类 as { value, label, children } (a 大类 without 小类 is a leaf).
// A 大类 name used by both kinds (市容环境 部件 and 事件) says its kind.
export function categoryTree(items) {
  const kids = {};
  for (const c of items) if (c.parent_code) (kids[c.parent_code] = kids[c.parent_code] || []).push(c);
  const tops = items.filter((c) => !c.parent_code);
  const uses = {};
  for (const c of tops) uses[c.name] = (uses[c.name] || 0) + 1;
  return tops.map((c) => {
    const label = uses[c.name] > 1 ? t('cases.kindLabel', { name: c.name, kind: named('cases.kind.', c.kind) }) : c.name;
    const node = { value: c.code, label, code: c.code };
    if (kids[c.code]) node.children = kids[c.code].map((k) => ({ value: k.code, label: k.name, code: k.code }));
    return node;
  });
}

// ---- actions ---------------------------------------------------------------
// Every action of the table in docs/WORKFLOW.md, in the order shown.
export const ACTIONS = ['accept', 'dispatch', 'handle', 'verify', 'approve_extension', 'rate', 'request_extension',
  'return', 'reject', 'merge', 'supervise', 'comment'];

// The actions this user may take now, as the server says (allowed_actions of
// a staff view of the case, of the answer to an action and of a 409), in the
// order of ACTIONS. Nothing is guessed from the roles: the server knows the
// unit people, the case's department and its pending requests.
export function allowedActions(c) {
  const list = c && Array.isArray(c.allowed_actions) ? c.allowed_actions : [];
  return ACTIONS.filter((a) => list.includes(a));
}

export const ACTION_BUTTON = {
  accept: { type: 'primary', icon: 'CircleCheck' },
  dispatch: { type: 'primary', icon: 'Position' },
  handle: { type: 'success', icon: 'Finished' },
  verify: { type: 'success', icon: 'DocumentChecked' },
  approve_extension: { type: 'primary', icon: 'Stamp' },
  rate: { type: 'primary', icon: 'Star' },
  request_extension: { type: 'warning', plain: true, icon: 'Timer' },
  return: { type: 'warning', plain: true, icon: 'Back' },
  reject: { type: 'danger', plain: true, icon: 'CircleClose' },
  merge: { type: '', plain: false, icon: 'Connection' },
  supervise: { type: 'danger', icon: 'Bell' },
  comment: { type: '', plain: false, icon: 'ChatLineSquare' },
};

// An Idempotency-Key: crypto.randomUUID() where the browser offers it (secure
// contexts only), else a v4 UUID from crypto.getRandomValues().
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- components ------------------------------------------------------------
export const StatusTag = {
  name: 'StatusTag',
  props: { status: { type: String, default: '' }, size: { type: String, default: 'default' } },
  setup() { return { statusName }; },
  template: `<el-tag :class="['case-status', 'case-status--' + status]" :size="size" disable-transitions
    data-test="case-status" :data-status="status">{{ statusName(status) }}</el-tag>`,
};

// 超期, 督办 (yellow / red), 延期待审批, 返工, and the rating once given.
export const CaseFlags = {
  name: 'CaseFlags',
  props: { item: { type: Object, required: true }, size: { type: String, default: 'small' } },
  setup() { return { supervisionName, ratingName }; },
  template: `
  <span class="case-flags">
    <el-tag v-if="item.overdue" type="danger" effect="dark" :size="size" disable-transitions data-test="flag-overdue">{{ $t('cases.overdue') }}</el-tag>
    <el-tag v-if="item.supervision" :class="'case-sup case-sup--' + item.supervision" effect="dark" :size="size" disable-transitions
      :data-test="'flag-supervision-' + item.supervision">{{ supervisionName(item.supervision) }}</el-tag>
    <el-tag v-if="item.extension_deadline" type="warning" :size="size" disable-transitions data-test="flag-extension">{{ $t('cases.extensionPending') }}</el-tag>
    <el-tag v-if="item.rework" type="warning" effect="plain" :size="size" disable-transitions data-test="flag-rework">{{ $t('cases.rework', { n: item.rework }) }}</el-tag>
    <el-tag v-if="item.rating" :type="item.rating === 'unsatisfied' ? 'danger' : 'success'" effect="plain" :size="size" disable-transitions
      data-test="flag-rating">{{ ratingName(item.rating) }}</el-tag>
  </span>`,
};

// The deadline and how long is left (or how late it is).
export const DeadlineCell = {
  name: 'DeadlineCell',
  props: { deadline: { type: String, default: null }, overdue: { type: Boolean, default: false }, inline: { type: Boolean, default: false } },
  setup(props) {
    return { info: () => deadlineInfo(props.deadline, props.overdue), formatTime };
  },
  template: `
  <span v-if="info()" class="deadline" :class="['deadline--' + info().level, { 'deadline--inline': inline }]" data-test="deadline">
    <span class="deadline__time">{{ formatTime(deadline).slice(0, 16) }}</span>
    <span class="deadline__left" data-test="deadline-left">{{ info().text }}</span>
  </span>
  <span v-else class="text-muted">{{ $t('common.none') }}</span>`,
};
