// 系统管理 → 事件分类管理 (admin only): the case category catalog as a tree
// (大类 → 小类) with routing, stage time limits, priority and auto-accept;
// a filter, the edit / new dialog (PUT /categories/{code}), the CSV import
// (POST /categories/import, all or nothing, with the server's report of bad
// rows) and the download of the catalog as CSV in the import format.
import { t, i18n } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { departments, loadDepartments, departmentName } from '../departments.js';
import { categories as sharedCategories, reloadCategories } from '../cases-common.js';

const { reactive, ref, computed, watch, nextTick, markRaw, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });
const { ElMessage, genFileId } = window.ElementPlus;

export const STAGES = ['accept', 'dispatch', 'handle', 'verify'];
const UNITS = ['work_hours', 'work_days', 'hours'];
const KINDS = ['event', 'component'];
const PRIORITIES = [1, 2, 3];

// The same rules as the server (src/categories.c).
const CODE_RE = /^[A-Z0-9]{2,16}$/;
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
const EDGE_SPACE_RE = /^[ \u3000]|[ \u3000]$/;
const LIMIT_MAX = 10000;

// The columns of data/categories.csv, and active (as `zonegov categories list --csv` prints them).
export const CSV_COLUMNS = ['code', 'name', 'parent_code', 'kind', 'handled_by', 'department_code',
  'accept_limit', 'accept_unit', 'dispatch_limit', 'dispatch_unit', 'handle_limit', 'handle_unit',
  'verify_limit', 'verify_unit', 'priority', 'auto_accept', 'active'];

const FORM_FIELDS = ['code', 'name', 'kind', 'parent_code', 'handled_by', 'department', 'priority', 'auto_accept', 'active',
  ...STAGES.map((s) => `limits.${s}.amount`)];

// Server field (error.field) → form item: "limits.handle.unit" and "limits.handle" go to the stage's item.
function formField(field) {
  if (!field) return null;
  const f = String(field);
  const m = /^limits\.(accept|dispatch|handle|verify)\b/.exec(f);
  if (m) return `limits.${m[1]}.amount`;
  if (f === 'department_code') return 'department';
  return FORM_FIELDS.includes(f) ? f : null;
}

function emptyForm() {
  return {
    code: '', name: '', kind: 'event', parent_code: '', handled_by: 'department', department: '',
    limits: {
      accept: { amount: '1', unit: 'work_hours' },
      dispatch: { amount: '1', unit: 'work_hours' },
      handle: { amount: '1', unit: 'work_days' },
      verify: { amount: '2', unit: 'work_hours' },
    },
    priority: 2, auto_accept: false, active: true,
  };
}

// The form's values from a category of the API.
function formFrom(c) {
  const f = emptyForm();
  f.code = c.code;
  f.name = c.name || '';
  f.kind = c.kind || 'event';
  f.parent_code = c.parent_code || '';
  f.handled_by = c.handled_by || 'department';
  f.department = (c.department && c.department.code) || '';
  for (const s of STAGES) {
    const l = (c.limits && c.limits[s]) || {};
    f.limits[s] = { amount: l.amount === undefined || l.amount === null ? '' : String(l.amount), unit: l.unit || 'work_hours' };
  }
  f.priority = Number(c.priority) || 2;
  f.auto_accept = !!c.auto_accept;
  f.active = c.active === undefined ? true : !!c.active;
  return f;
}

// ---- CSV -------------------------------------------------------------------
function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// The catalog in the import format (UTF-8 with a byte-order mark for spreadsheet programs; LF line ends).
export function catalogCsv(items) {
  const lines = [CSV_COLUMNS.join(',')];
  const sorted = [...items].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (const c of sorted) {
    const row = [c.code, c.name, c.parent_code || '', c.kind, c.handled_by, (c.department && c.department.code) || ''];
    for (const s of STAGES) {
      const l = (c.limits && c.limits[s]) || {};
      row.push(l.amount, l.unit);
    }
    row.push(c.priority, c.auto_accept ? 1 : 0, c.active === false ? 0 : 1);
    lines.push(row.map(csvField).join(','));
  }
  return '\ufeff' + lines.join('\n') + '\n';
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`;
}

// Text split around the matches of q (case-insensitive) for highlighting.
function segments(textValue, q) {
  const s = String(textValue ?? '');
  if (!q) return [{ text: s, hit: false }];
  const lower = s.toLowerCase();
  const out = [];
  let i = 0;
  for (;;) {
    const j = lower.indexOf(q, i);
    if (j < 0) break;
    if (j > i) out.push({ text: s.slice(i, j), hit: false });
    out.push({ text: s.slice(j, j + q.length), hit: true });
    i = j + q.length;
  }
  if (i < s.length) out.push({ text: s.slice(i), hit: false });
  return out;
}

const Hl = {
  name: 'Hl',
  props: { text: { type: [String, Number], default: '' }, q: { type: String, default: '' } },
  setup(props) {
    const parts = computed(() => segments(props.text, props.q));
    return { parts };
  },
  template: `<span><template v-for="(p, i) in parts" :key="i"><mark v-if="p.hit" class="cat-hit">{{ p.text }}</mark><template v-else>{{ p.text }}</template></template></span>`,
};

export default {
  name: 'CategoriesPage',
  components: { Hl },
  setup() {
    // ---- list ----
    const list = reactive({ items: [], loading: false, loaded: false });
    const filter = reactive({ q: '', kind: '' });
    const tableRef = ref(null);
    const expanded = ref(true);
    let seq = 0;

    async function load() {
      const mine = ++seq;
      list.loading = true;
      try {
        const data = await api.get('/categories');
        if (mine !== seq) return;
        list.items = Array.isArray(data && data.items) ? data.items : [];
      } catch {
        if (mine === seq) list.items = [];
      } finally {
        if (mine === seq) { list.loading = false; list.loaded = true; }
      }
    }

    const byCode = computed(() => Object.fromEntries(list.items.map((c) => [c.code, c])));
    const childCount = computed(() => {
      const n = {};
      for (const c of list.items) if (c.parent_code) n[c.parent_code] = (n[c.parent_code] || 0) + 1;
      return n;
    });
    const counts = computed(() => {
      const tops = list.items.filter((c) => !c.parent_code).length;
      return { tops, subs: list.items.length - tops };
    });
    const q = computed(() => filter.q.trim().toLowerCase());
    const matches = (c) => !q.value || c.code.toLowerCase().includes(q.value) || String(c.name || '').toLowerCase().includes(q.value);

    // 大类 with their 小类. Filtering keeps a 大类 that matches with all its 小类,
    // and a 大类 that does not with the 小类 that match.
    const tree = computed(() => {
      const items = list.items.filter((c) => !filter.kind || c.kind === filter.kind);
      const kids = {};
      for (const c of items) if (c.parent_code && byCode.value[c.parent_code]) (kids[c.parent_code] = kids[c.parent_code] || []).push(c);
      const tops = items.filter((c) => !c.parent_code || !byCode.value[c.parent_code]);
      const out = [];
      for (const top of tops) {
        const children = kids[top.code] || [];
        const shown = matches(top) ? children : children.filter(matches);
        if (!matches(top) && shown.length === 0) continue;
        out.push(shown.length ? { ...top, children: shown.map((c) => ({ ...c })) } : { ...top });
      }
      return out;
    });
    const shownCount = computed(() => tree.value.reduce((n, r) => n + 1 + (r.children ? r.children.length : 0), 0));
    const filtering = computed(() => !!q.value || !!filter.kind);

    function setExpanded(open) {
      expanded.value = open;
      const table = tableRef.value;
      if (!table) return;
      for (const row of tree.value) if (row.children) table.toggleRowExpansion(row, open);
    }
    // A filter shows its matches: open every group it leaves.
    watch(() => [filter.q, filter.kind], () => { if (filtering.value) nextTick(() => setExpanded(true)); });

    function resetFilter() { filter.q = ''; filter.kind = ''; }

    function deptText(c) {
      if (c.handled_by !== 'department') return t('categories.inGrid');
      const d = c.department;
      if (!d) return t('common.none');
      const fromList = departments.byId[String(d.id)];
      return fromList ? fromList.name : (d.name || departmentName(d.id) || d.code);
    }
    function limitText(c, stage) {
      const l = c.limits && c.limits[stage];
      if (!l) return t('common.none');
      return t('categories.unitShort.' + l.unit, { n: l.amount });
    }
    function limitUnit(c, stage) {
      const l = c.limits && c.limits[stage];
      return l ? l.unit : '';
    }
    function rowClass({ row }) {
      return [row.parent_code ? 'cat-row--sub' : 'cat-row--top', row.active === false ? 'cat-row--inactive' : ''].join(' ');
    }

    // ---- dialog ----
    const dialog = reactive({ visible: false, mode: 'edit', row: null, saving: false });
    const formRef = ref(null);
    const form = reactive(emptyForm());
    const serverErrors = reactive(Object.fromEntries(FORM_FIELDS.map((f) => [f, null])));
    const isCreate = computed(() => dialog.mode === 'create');
    // A 大类 with 小类 stays a 大类 of its kind (the server refuses otherwise).
    const lockedTop = computed(() => !isCreate.value && !!dialog.row && !dialog.row.parent_code && (childCount.value[dialog.row.code] || 0) > 0);
    const parentOptions = computed(() => list.items
      .filter((c) => !c.parent_code && c.kind === form.kind && !(dialog.row && c.code === dialog.row.code))
      .map((c) => ({ value: c.code, label: `${c.code} ${c.name}` })));

    function clearServerErrors() {
      for (const f of FORM_FIELDS) serverErrors[f] = null;
    }
    function fieldError(f) {
      void i18n.lang;
      return serverErrors[f] ? errorMessage(serverErrors[f]) : '';
    }
    function onFieldInput(f) {
      if (serverErrors[f]) serverErrors[f] = null;
    }
    function onKindChange() {
      onFieldInput('kind');
      const p = byCode.value[form.parent_code];
      if (p && p.kind !== form.kind) form.parent_code = '';
    }
    function onHandledByChange() {
      onFieldInput('handled_by');
      onFieldInput('department');
      if (form.handled_by === 'grid') form.department = '';
      nextTick(() => formRef.value && formRef.value.clearValidate(['department']));
    }

    const amountRules = computed(() => [{
      required: true,
      trigger: 'blur',
      validator: (rule, value, cb) => {
        const s = String(value ?? '').trim();
        if (!s) cb(new Error(t('categories.ruleLimitRequired')));
        else if (!/^\d{1,6}$/.test(s) || Number(s) < 1 || Number(s) > LIMIT_MAX) cb(new Error(t('categories.ruleLimitRange')));
        else cb();
      },
    }]);
    const rules = computed(() => ({
      code: isCreate.value ? [
        { required: true, message: t('categories.ruleCodeRequired'), trigger: 'blur' },
        { pattern: CODE_RE, message: t('categories.ruleCodeFormat'), trigger: 'blur' },
        {
          trigger: 'blur',
          validator: (rule, value, cb) => (byCode.value[value] ? cb(new Error(t('categories.ruleCodeTaken', { code: value }))) : cb()),
        },
      ] : [],
      name: [{
        required: true,
        trigger: 'blur',
        validator: (rule, value, cb) => {
          const s = String(value ?? '');
          if (!s) cb(new Error(t('categories.ruleNameRequired')));
          else if (CONTROL_RE.test(s)) cb(new Error(t('categories.ruleNameControl')));
          else if (EDGE_SPACE_RE.test(s)) cb(new Error(t('categories.ruleNameSpaces')));
          else if (Array.from(s).length > 32) cb(new Error(t('categories.ruleNameLength')));
          else cb();
        },
      }],
      kind: [{ required: true, message: t('categories.ruleKindRequired'), trigger: 'change' }],
      handled_by: [{ required: true, message: t('categories.ruleHandledByRequired'), trigger: 'change' }],
      department: [{
        required: form.handled_by === 'department',
        trigger: 'change',
        validator: (rule, value, cb) => (form.handled_by === 'department' && !value ? cb(new Error(t('categories.ruleDepartmentRequired'))) : cb()),
      }],
    }));

    function openDialog(mode, row, values) {
      dialog.mode = mode;
      dialog.row = row;
      Object.assign(form, emptyForm(), values || {});
      clearServerErrors();
      dialog.visible = true;
      loadDepartments();
      nextTick(() => formRef.value && formRef.value.clearValidate());
    }
    function openEdit(row) {
      openDialog('edit', byCode.value[row.code] || row, formFrom(byCode.value[row.code] || row));
    }
    function openCreate() {
      openDialog('create', null, null);
    }
    // A new 小类 under a 大类 starts with the 大类's routing and limits.
    function openCreateSub(row) {
      const parent = byCode.value[row.code] || row;
      const f = formFrom(parent);
      Object.assign(f, { code: parent.code, name: '', parent_code: parent.code, active: true });
      openDialog('create', null, f);
    }

    function bodyOf() {
      const limits = {};
      for (const s of STAGES) limits[s] = { amount: Number(String(form.limits[s].amount).trim()), unit: form.limits[s].unit };
      return {
        code: form.code,
        name: form.name,
        kind: form.kind,
        parent_code: form.parent_code || null,
        handled_by: form.handled_by,
        department: form.handled_by === 'department' ? (form.department || null) : null,
        limits,
        priority: Number(form.priority),
        auto_accept: !!form.auto_accept,
        active: !!form.active,
      };
    }

    async function submit() {
      if (dialog.saving) return;
      clearServerErrors();
      try {
        await formRef.value.validate();
      } catch {
        return;
      }
      dialog.saving = true;
      const code = form.code;
      try {
        const data = await api.put(`/categories/${encodeURIComponent(code)}`, bodyOf(), { silent: true });
        const c = (data && data.category) || {};
        ElMessage({ type: 'success', grouping: true,
          message: t(isCreate.value ? 'categories.created' : 'categories.saved', { code, name: c.name || form.name }) });
        dialog.visible = false;
        await load();
        if (sharedCategories.loaded) reloadCategories();
      } catch (err) {
        const f = formField(err.field);
        if (f) {
          await nextTick();
          serverErrors[f] = err;
        } else {
          ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
        }
      } finally {
        dialog.saving = false;
      }
    }

    // ---- import ----
    const uploadRef = ref(null);
    const imp = reactive({ visible: false, file: null, busy: false, dry: false, result: null, error: null, notUtf8: false });

    function openImport() {
      Object.assign(imp, { visible: true, file: null, busy: false, dry: false, result: null, error: null, notUtf8: false });
      nextTick(() => uploadRef.value && uploadRef.value.clearFiles());
    }
    function onFile(uploadFile) {
      imp.file = uploadFile && uploadFile.raw ? uploadFile.raw : null;
      imp.result = null;
      imp.error = null;
      imp.notUtf8 = false;
    }
    function onRemove() {
      imp.file = null;
      imp.result = null;
      imp.error = null;
      imp.notUtf8 = false;
    }
    // One file at a time: a second pick replaces the first.
    function onExceed(files) {
      const up = uploadRef.value;
      if (!up || !files || !files[0]) return;
      up.clearFiles();
      const f = files[0];
      f.uid = genFileId();
      up.handleStart(f);
    }

    async function isUtf8(file) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
        return true;
      } catch {
        return false;
      }
    }

    // Sends the file's bytes as they are: the server checks the encoding and reports each bad row.
    async function runImport(dry) {
      if (!imp.file || imp.busy) return;
      imp.busy = true;
      imp.dry = dry;
      imp.result = null;
      imp.error = null;
      try {
        imp.notUtf8 = !(await isUtf8(imp.file));
        const data = await api.request('POST', '/categories/import', {
          raw: imp.file, contentType: 'text/csv; charset=utf-8', query: dry ? { dry_run: 1 } : undefined, silent: true,
        });
        imp.result = data || {};
        if (!dry) {
          await load();
          if (sharedCategories.loaded) reloadCategories();
        }
      } catch (err) {
        imp.error = err;
      } finally {
        imp.busy = false;
      }
    }

    const report = computed(() => {
      const e = imp.error && imp.error.error;
      return e && Array.isArray(e.report) ? e.report : [];
    });
    const problems = computed(() => {
      const e = imp.error && imp.error.error;
      return e && Number.isFinite(Number(e.problems)) ? Number(e.problems) : report.value.length;
    });
    // The Chinese name of a CSV column (English uses the column name as it is).
    function columnLabel(c) {
      if (!c || !CSV_COLUMNS.includes(c)) return '';
      return t('categories.csvColumn.' + c);
    }
    function reportMessage(p) {
      void i18n.lang;
      return i18n.lang === 'en' ? (p.message_en || p.message) : (p.message || p.message_en);
    }

    // ---- export ----
    const exporting = ref(false);
    async function downloadCsv() {
      if (exporting.value) return;
      exporting.value = true;
      try {
        const data = await api.get('/categories');
        const items = Array.isArray(data && data.items) ? data.items : [];
        const blob = new Blob([catalogCsv(items)], { type: 'text/csv;charset=utf-8' });
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `zonegov-categories-${today()}.csv`;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      } catch {
        /* the API client has shown the server's message */
      } finally {
        exporting.value = false;
      }
    }

    const en = computed(() => i18n.lang === 'en');
    const kindOptions = computed(() => { void i18n.lang; return KINDS.map((k) => ({ value: k, label: t('categories.kind.' + k) })); });
    const unitOptions = computed(() => { void i18n.lang; return UNITS.map((u) => ({ value: u, label: t('categories.unit.' + u) })); });
    const priorityOptions = computed(() => { void i18n.lang; return PRIORITIES.map((p) => ({ value: p, label: t('categories.priority.' + p) })); });

    onMounted(() => { load(); loadDepartments(); });

    return {
      icons: Icons, STAGES, list, filter, q, tree, counts, shownCount, filtering, tableRef, expanded, load, setExpanded, resetFilter,
      deptText, limitText, limitUnit, rowClass, childCount,
      dialog, formRef, form, rules, amountRules, isCreate, lockedTop, parentOptions, fieldError, onFieldInput, onKindChange,
      onHandledByChange, openEdit, openCreate, openCreateSub, submit,
      uploadRef, imp, openImport, onFile, onRemove, onExceed, runImport, report, problems, reportMessage, columnLabel,
      exporting, downloadCsv, en, kindOptions, unitOptions, priorityOptions, departments,
    };
  },
  template: `
  <div class="page categories-page" data-test="categories-page">
    <el-card shadow="never" class="search-card">
      <el-form :inline="true" class="search-form" @submit.prevent>
        <el-form-item :label="$t('categories.code') + ' / ' + $t('categories.name')">
          <el-input v-model="filter.q" :placeholder="$t('categories.filterPlaceholder')" clearable :prefix-icon="icons.Search"
            class="search-input" data-test="categories-filter" />
        </el-form-item>
        <el-form-item :label="$t('categories.kind_')">
          <el-radio-group v-model="filter.kind" data-test="categories-kind">
            <el-radio-button value="" data-test="kind-all">{{ $t('categories.all') }}</el-radio-button>
            <el-radio-button v-for="o in kindOptions" :key="o.value" :value="o.value" :data-test="'kind-' + o.value">{{ o.label }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item>
          <el-button :icon="icons.Refresh" @click="resetFilter" data-test="categories-reset">{{ $t('categories.reset') }}</el-button>
        </el-form-item>
      </el-form>
    </el-card>

    <el-card shadow="never" class="table-card">
      <div class="table-toolbar">
        <div class="toolbar-left">
          <el-button type="primary" plain :icon="icons.Plus" @click="openCreate" data-test="categories-add">{{ $t('categories.add') }}</el-button>
          <el-button :icon="icons.Upload" @click="openImport" data-test="categories-import">{{ $t('categories.import') }}</el-button>
          <el-button :icon="icons.Download" :loading="exporting" @click="downloadCsv" data-test="categories-export">{{ $t('categories.export') }}</el-button>
          <span class="cat-count" data-test="categories-count">
            <template v-if="filtering">{{ $t('categories.shown', { n: shownCount }) }} · </template>{{ $t('categories.counts', counts) }}
          </span>
        </div>
        <div class="toolbar-right">
          <el-button link type="primary" :icon="expanded ? icons.Fold : icons.Expand" @click="setExpanded(!expanded)" data-test="categories-expand">
            {{ expanded ? $t('categories.collapseAll') : $t('categories.expandAll') }}
          </el-button>
          <el-tooltip :content="$t('categories.refresh')" placement="top">
            <el-button circle :icon="icons.Refresh" @click="load" data-test="categories-refresh" :aria-label="$t('categories.refresh')" />
          </el-tooltip>
        </div>
      </div>

      <el-table ref="tableRef" :data="tree" v-loading="list.loading" border row-key="code" default-expand-all :indent="18"
        class="categories-table" data-test="categories-table" :row-class-name="rowClass"
        :empty-text="list.loaded ? (filtering ? $t('categories.noMatch') : $t('categories.empty')) : ' '" header-cell-class-name="table-header">
        <el-table-column :label="$t('categories.code')" width="120" class-name="cat-code-cell">
          <template #default="{ row }"><span class="mono cat-code" :data-test="'cat-' + row.code"><hl :text="row.code" :q="q" /></span></template>
        </el-table-column>
        <el-table-column :label="$t('categories.name')" :min-width="en ? 120 : 140">
          <template #default="{ row }">
            <span class="cat-name"><hl :text="row.name" :q="q" /></span>
            <el-tag v-if="row.active === false" type="info" size="small" disable-transitions class="cat-inactive">{{ $t('categories.inactive') }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="$t('categories.kind_')" :width="en ? 100 : 64" align="center">
          <template #default="{ row }"><span :class="['cat-kind', 'cat-kind--' + row.kind]">{{ $t('categories.kind.' + row.kind) }}</span></template>
        </el-table-column>
        <el-table-column :label="$t('categories.handledBy')" :min-width="150" show-overflow-tooltip>
          <template #default="{ row }">
            <span :class="['cat-route', 'cat-route--' + row.handled_by]" data-test="cell-route">
              <el-icon><component :is="row.handled_by === 'grid' ? icons.Grid : icons.OfficeBuilding" /></el-icon>{{ deptText(row) }}
            </span>
          </template>
        </el-table-column>
        <el-table-column :label="$t('categories.limits')" align="center">
          <el-table-column v-for="s in STAGES" :key="s" :label="$t('categories.stage.' + s)" :width="88" align="center">
            <template #default="{ row }">
              <span :class="['cat-limit', 'cat-limit--' + limitUnit(row, s)]" :data-test="'limit-' + s">{{ limitText(row, s) }}</span>
            </template>
          </el-table-column>
        </el-table-column>
        <el-table-column :label="$t('categories.priority_')" :width="en ? 80 : 70" align="center">
          <template #default="{ row }">
            <el-tag :type="row.priority === 1 ? 'danger' : row.priority === 3 ? 'info' : 'primary'" :effect="row.priority === 1 ? 'dark' : 'light'"
              size="small" disable-transitions>{{ $t('categories.priority.' + row.priority) }}</el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="$t('categories.autoAccept')" :width="en ? 90 : 88" align="center">
          <template #default="{ row }">
            <el-icon v-if="row.auto_accept" class="cat-auto" :aria-label="$t('categories.yes')"><component :is="icons.Select" /></el-icon>
            <span v-else class="muted">{{ $t('common.none') }}</span>
          </template>
        </el-table-column>
        <el-table-column :label="$t('categories.actions')" :width="en ? 128 : 136" align="center" fixed="right" class-name="cell-actions">
          <template #default="{ row }">
            <el-button link type="primary" @click="openEdit(row)" :data-test="'edit-' + row.code">{{ $t('categories.edit') }}</el-button>
            <el-button v-if="!row.parent_code" link type="primary" @click="openCreateSub(row)" :data-test="'add-sub-' + row.code">{{ $t('categories.addSub') }}</el-button>
          </template>
        </el-table-column>
      </el-table>
      <div class="cat-legend">
        <el-icon><component :is="icons.InfoFilled" /></el-icon>
        <span>{{ $t('categories.legend') }}</span>
      </div>
    </el-card>

    <el-dialog v-model="dialog.visible" :title="isCreate ? $t('categories.createTitle') : $t('categories.editTitle', { code: form.code })" width="760px" top="6vh"
      :close-on-click-modal="false" append-to-body destroy-on-close class="category-dialog" data-test="category-dialog">
      <el-form ref="formRef" :model="form" :rules="rules" label-width="auto" label-position="right" class="category-form"
        @submit.prevent="submit" :validate-on-rule-change="false">
        <el-row :gutter="20">
          <el-col :span="12">
            <el-form-item :label="$t('categories.code')" prop="code" :error="fieldError('code')">
              <el-input v-model="form.code" :disabled="!isCreate" :placeholder="$t('categories.codePlaceholder')" maxlength="16" autocomplete="off"
                class="mono" data-test="category-form-code" @input="onFieldInput('code')" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="$t('categories.name')" prop="name" :error="fieldError('name')">
              <el-input v-model="form.name" :placeholder="$t('categories.namePlaceholder')" autocomplete="off"
                data-test="category-form-name" @input="onFieldInput('name')" />
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="$t('categories.kind_')" prop="kind" :error="fieldError('kind')">
              <el-radio-group v-model="form.kind" :disabled="lockedTop" data-test="category-form-kind" @change="onKindChange">
                <el-radio-button v-for="o in kindOptions" :key="o.value" :value="o.value">{{ o.label }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="$t('categories.parent')" prop="parent_code" :error="fieldError('parent_code')">
              <el-select v-model="form.parent_code" clearable filterable :disabled="lockedTop" :placeholder="$t('categories.parentPlaceholder')"
                class="w-full" data-test="category-form-parent" @change="onFieldInput('parent_code')">
                <el-option v-for="o in parentOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'parent-option-' + o.value" />
              </el-select>
            </el-form-item>
          </el-col>
        </el-row>
        <div v-if="lockedTop" class="form-tip cat-form-tip"><el-icon><component :is="icons.InfoFilled" /></el-icon>{{ $t('categories.lockedTop', { n: childCount[form.code] }) }}</div>

        <div class="case-section-title">{{ $t('categories.routing') }}</div>
        <el-row :gutter="20">
          <el-col :span="12">
            <el-form-item :label="$t('categories.handledBy')" prop="handled_by" :error="fieldError('handled_by')">
              <el-radio-group v-model="form.handled_by" data-test="category-form-handled-by" @change="onHandledByChange">
                <el-radio-button value="department" data-test="handled-by-department">{{ $t('categories.byDepartment') }}</el-radio-button>
                <el-radio-button value="grid" data-test="handled-by-grid">{{ $t('categories.inGrid') }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="$t('categories.department')" prop="department" :error="fieldError('department')">
              <el-select v-model="form.department" filterable clearable :disabled="form.handled_by !== 'department'"
                :placeholder="form.handled_by === 'department' ? $t('categories.departmentPlaceholder') : $t('categories.departmentNone')"
                class="w-full" data-test="category-form-department" @change="onFieldInput('department')">
                <el-option v-for="d in departments.items" :key="d.code" :label="d.name" :value="d.code">
                  <span>{{ d.name }}</span><span class="option-extra">{{ d.code }}</span>
                </el-option>
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="$t('categories.priority_')" prop="priority" :error="fieldError('priority')">
              <el-radio-group v-model="form.priority" data-test="category-form-priority" @change="onFieldInput('priority')">
                <el-radio-button v-for="o in priorityOptions" :key="o.value" :value="o.value" :data-test="'priority-' + o.value">{{ o.label }}</el-radio-button>
              </el-radio-group>
            </el-form-item>
          </el-col>
          <el-col :span="12">
            <el-form-item :label="$t('categories.autoAccept')" prop="auto_accept" :error="fieldError('auto_accept')">
              <el-switch v-model="form.auto_accept" data-test="category-form-auto-accept" @change="onFieldInput('auto_accept')" />
              <span class="cat-switch-hint">{{ $t('categories.autoAcceptHint') }}</span>
            </el-form-item>
          </el-col>
        </el-row>

        <div class="case-section-title">{{ $t('categories.limits') }}</div>
        <el-row :gutter="20">
          <el-col v-for="s in STAGES" :key="s" :span="12">
            <el-form-item :label="$t('categories.stageLimit.' + s)" :prop="'limits.' + s + '.amount'" :rules="amountRules"
              :error="fieldError('limits.' + s + '.amount')" :data-test="'category-form-limit-' + s">
              <div class="cat-limit-input">
                <el-input v-model="form.limits[s].amount" inputmode="numeric" autocomplete="off" class="cat-limit-input__amount"
                  :data-test="'category-form-' + s + '-amount'" @input="onFieldInput('limits.' + s + '.amount')" />
                <el-select v-model="form.limits[s].unit" class="cat-limit-input__unit" :data-test="'category-form-' + s + '-unit'"
                  @change="onFieldInput('limits.' + s + '.amount')">
                  <el-option v-for="o in unitOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'unit-option-' + o.value" />
                </el-select>
              </div>
            </el-form-item>
          </el-col>
        </el-row>

        <el-form-item :label="$t('categories.active')" prop="active" :error="fieldError('active')" class="cat-active-item">
          <el-switch v-model="form.active" data-test="category-form-active" @change="onFieldInput('active')" />
          <span class="cat-switch-hint">{{ $t('categories.activeHint') }}</span>
        </el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="dialog.visible = false" data-test="category-form-cancel">{{ $t('categories.cancel') }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="submit" data-test="category-form-submit">{{ $t('categories.save') }}</el-button>
      </template>
    </el-dialog>

    <el-dialog v-model="imp.visible" :title="$t('categories.importTitle')" width="720px" top="6vh" :close-on-click-modal="false"
      append-to-body class="category-import-dialog" data-test="import-dialog">
      <div class="cat-import-intro">{{ $t('categories.importIntro') }}
        <el-button link type="primary" :icon="icons.Download" :loading="exporting" @click="downloadCsv" data-test="import-download">{{ $t('categories.importTemplate') }}</el-button>
      </div>
      <el-upload ref="uploadRef" drag :auto-upload="false" :limit="1" accept=".csv,text/csv" :on-change="onFile" :on-remove="onRemove"
        :on-exceed="onExceed" class="cat-upload" data-test="import-upload">
        <el-icon class="el-icon--upload"><component :is="icons.UploadFilled" /></el-icon>
        <div class="el-upload__text">{{ $t('categories.dropHere') }} <em>{{ $t('categories.pickFile') }}</em></div>
        <template #tip><div class="el-upload__tip">{{ $t('categories.fileTip') }}</div></template>
      </el-upload>

      <div v-if="imp.result" data-test="import-result">
        <el-alert :type="imp.dry ? 'info' : 'success'" :closable="false" show-icon
          :title="$t(imp.dry ? 'categories.dryOk' : 'categories.importOk', imp.result)" />
      </div>
      <div v-else-if="imp.error" class="cat-import-error" data-test="import-error">
        <el-alert type="error" :closable="false" show-icon :title="imp.error.localizedMessage">
          <template v-if="imp.error.code === 'invalid_import'">
            <span data-test="import-problems">{{ $t('categories.problems', { n: problems }) }}</span>
            <span v-if="problems > report.length">{{ $t('categories.problemsMore', { n: report.length }) }}</span>
          </template>
        </el-alert>
        <el-alert v-if="imp.notUtf8" type="warning" :closable="false" show-icon :title="$t('categories.notUtf8')" class="cat-import-hint" data-test="import-not-utf8" />
        <el-table v-if="report.length" :data="report" border size="small" max-height="300" class="cat-report" data-test="import-report"
          header-cell-class-name="table-header">
          <el-table-column :label="$t('categories.line')" width="70" align="center">
            <template #default="{ row }"><span class="mono" data-test="report-line">{{ row.line }}</span></template>
          </el-table-column>
          <el-table-column :label="$t('categories.column')" :width="en ? 170 : 220">
            <template #default="{ row }">
              <span class="mono" data-test="report-column">{{ row.column || $t('common.none') }}</span>
              <span v-if="!en && columnLabel(row.column)" class="muted cat-report-label">{{ columnLabel(row.column) }}</span>
            </template>
          </el-table-column>
          <el-table-column :label="$t('categories.problem')" min-width="200">
            <template #default="{ row }"><span data-test="report-message">{{ reportMessage(row) }}</span></template>
          </el-table-column>
        </el-table>
      </div>
      <template #footer>
        <el-button @click="imp.visible = false" data-test="import-close">{{ $t('categories.close') }}</el-button>
        <el-button :disabled="!imp.file" :loading="imp.busy && imp.dry" @click="runImport(true)" data-test="import-dry-run">{{ $t('categories.dryRun') }}</el-button>
        <el-button type="primary" :disabled="!imp.file" :loading="imp.busy && !imp.dry" @click="runImport(false)" data-test="import-submit">{{ $t('categories.importSubmit') }}</el-button>
      </template>
    </el-dialog>
  </div>
  `,
};
