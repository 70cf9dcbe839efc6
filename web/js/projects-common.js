// Shared by the 重点项目 pages: names of levels, stages and batch kinds, money
// as the seeds print it, the 万元 → 元 conversion of typed amounts, the
// unified social credit code check, the ledger's filters and an ECharts box.
//
// Money arrives from the server as integer 元 and is only ever divided for
// display; amounts typed in 万元 are parsed from their decimal text (at most
// 4 decimals, so 万元 × 10,000 is a whole number of 元) without a float.
import { t, i18n } from './i18n.js';

const { computed, h, ref, onMounted, onBeforeUnmount, watch, nextTick } = window.Vue;

export const LEVELS = ['province', 'city', 'district', 'other'];
export const STAGES = ['planning', 'signed', 'started', 'building', 'production', 'effective'];
export const BATCH_KINDS = ['signed', 'started', 'production'];
export const MONEY_MAX = 1000000000000000; // 10^15 元, the server's limit

export const levelName = (v) => (v ? t('projects.level.' + v) : t('common.none'));
export const stageName = (v) => (v ? t('projects.stage.' + v) : t('common.none'));
export const batchKindName = (v) => (v ? t('projects.batchKind.' + v) : '');

export const levelOptions = computed(() => { void i18n.lang; return LEVELS.map((v) => ({ value: v, label: levelName(v) })); });
export const stageOptions = computed(() => { void i18n.lang; return STAGES.map((v) => ({ value: v, label: stageName(v) })); });
export const batchKindOptions = computed(() => { void i18n.lang; return BATCH_KINDS.map((v) => ({ value: v, label: batchKindName(v) })); });

// Element Plus tag colours of the stages.
export const STAGE_TAG = { planning: 'info', signed: 'info', started: 'primary', building: 'primary', production: 'success', effective: 'success' };

// n / unit rounded half up to `decimals`, trailing zeros dropped: the seeds'
// "264", "141.95", "25.4". n is a whole number of 元 (a safe integer).
function scaled(n, unit, decimals, group) {
  const neg = n < 0;
  const a = Math.abs(n);
  const step = unit / 10 ** decimals;            // 元 per last printed digit (an integer)
  const q = Math.floor((a + Math.floor(step / 2)) / step);
  const whole = Math.floor(q / 10 ** decimals);
  let frac = String(q % 10 ** decimals).padStart(decimals, '0').replace(/0+$/, '');
  let w = String(whole);
  if (group) w = w.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (frac) frac = '.' + frac;
  return (neg ? '-' : '') + w + frac;
}

// 元 → "141.95" (亿元) / "4,900" (万元), as numbers only.
export function yiText(yuan) {
  return yuan === null || yuan === undefined ? t('common.none') : scaled(Number(yuan), 100000000, 2, true);
}
export function wanText(yuan) {
  return yuan === null || yuan === undefined ? t('common.none') : scaled(Number(yuan), 10000, 2, true);
}
// With its unit: 亿元 from 1亿 up, 万元 below, as the seeds print amounts.
export function moneyText(yuan) {
  if (yuan === null || yuan === undefined) return t('common.none');
  const n = Number(yuan);
  return Math.abs(n) >= 100000000 ? t('projects.inYi', { v: yiText(n) }) : t('projects.inWan', { v: wanText(n) });
}
// The table's money in the chosen unit ('wan' or 'yi').
export function moneyIn(yuan, unit) {
  return unit === 'yi' ? yiText(yuan) : wanText(yuan);
}
export const pctText = (p) => (p === null || p === undefined || p === '' ? t('common.none') : `${p}%`);

// "4900.5" 万元 → 49005000 元. null when the text is not a non-negative
// decimal with at most 4 decimals, or is beyond the server's limit.
export function wanToYuan(text) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  const m = /^(\d{1,11})(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return null;
  const yuan = Number(m[1]) * 10000 + Number((m[2] || '').padEnd(4, '0'));
  return Number.isSafeInteger(yuan) && yuan <= MONEY_MAX ? yuan : null;
}
// 元 → the 万元 text that gives it back exactly ("4900.5").
export function yuanToWanInput(yuan) {
  if (yuan === null || yuan === undefined) return '';
  const n = Number(yuan);
  const frac = String(n % 10000).padStart(4, '0').replace(/0+$/, '');
  return String(Math.floor(n / 10000)) + (frac ? '.' + frac : '');
}
// Why a typed 万元 amount is refused (i18n key), or '' when it is fine.
export function wanError(text, { required = true } = {}) {
  const s = String(text ?? '').trim();
  if (!s) return required ? 'projects.amountRequired' : '';
  if (/^-/.test(s)) return 'projects.amountNegative';
  if (/^\d+\.\d{5,}$/.test(s.replace(/,/g, ''))) return 'projects.amountDecimals';
  return wanToYuan(s) === null ? 'projects.amountFormat' : '';
}

// 统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character.
const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function creditCodeValid(s) {
  if (typeof s !== 'string' || s.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const v = CREDIT_CHARSET.indexOf(s[i]);
    if (v < 0) return false;
    if (i < 17) sum += v * CREDIT_WEIGHTS[i];
  }
  return s[17] === CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}
export const CODE_RE = /^[A-Z0-9-]{1,32}$/;

// The ledger's last query, so a project page leads back to the same view.
export const ledgerState = { query: null };

// ---- the ledger's filters (list, summary, trend, rankings, batches) ----

export const EMPTY_FILTERS = () => ({
  year: new Date().getFullYear(), month: '', level: [], industry: '', batch: null, leader: '', department: '', stage: '', q: '',
});

// Filters → API query (empty ones left out).
export function filterQuery(f) {
  return {
    year: f.year, month: f.month, level: (f.level || []).join(','), industry: (f.industry || '').trim(), batch: f.batch,
    leader: (f.leader || '').trim(), department: f.department, stage: f.stage, q: (f.q || '').trim(),
  };
}

// URL query → filters.
export function filtersFromRoute(q, f) {
  Object.assign(f, EMPTY_FILTERS());
  if (/^\d{4}$/.test(q.year || '')) f.year = Number(q.year);
  if (/^\d{1,2}$/.test(q.month || '') && Number(q.month) >= 1 && Number(q.month) <= 12) f.month = Number(q.month);
  if (q.level) f.level = q.level.split(',').filter((v) => LEVELS.includes(v));
  for (const k of ['industry', 'leader', 'stage', 'q']) if (q[k]) f[k] = q[k];
  if (/^\d+$/.test(q.batch || '')) f.batch = Number(q.batch);
  if (/^\d+$/.test(q.department || '')) f.department = Number(q.department);
  return f;
}

export const yearOptions = () => {
  const y = new Date().getFullYear();
  const out = [];
  for (let i = y + 1; i >= 2018; i--) out.push(i);
  return out;
};

// ---- ECharts ----

// <e-chart :option="…" test-id="…">: one echarts instance on a div, resized
// with its box, its option replaced when the prop changes. The instance is
// reachable from tests as window.echarts.getInstanceByDom(div).
export const EChart = {
  name: 'EChart',
  props: { option: { type: Object, required: true }, height: { type: String, default: '300px' }, testId: { type: String, default: 'chart' } },
  setup(props) {
    const el = ref(null);
    let chart = null;
    let ro = null;
    function render() {
      if (!chart) return;
      chart.setOption(props.option, { notMerge: true });
    }
    onMounted(() => {
      if (!window.echarts) return;
      chart = window.echarts.init(el.value, null, { renderer: 'canvas' });
      render();
      if (window.ResizeObserver) {
        ro = new ResizeObserver(() => chart && chart.resize());
        ro.observe(el.value);
      }
    });
    watch(() => props.option, () => nextTick(render), { deep: true });
    onBeforeUnmount(() => {
      if (ro) ro.disconnect();
      if (chart) chart.dispose();
      chart = null;
    });
    return () => h('div', { ref: el, class: 'echart', style: { height: props.height }, 'data-test': props.testId });
  },
};

export const CHART_COLORS = ['#1d6fdc', '#e6a23c', '#4caf7a', '#e05a4f', '#7b61c9'];
