// 事件工单: 我的待办 (mode "todo") and 事件查询 (mode "all").
//
// 我的待办 is derived from GET /cases with a status (or overdue) filter per
// role, one tab each: dispatcher 待受理 (reported) and 待派遣 (accepted);
// department handler 待处置 (dispatched); grid leader / worker 网格待受理 and
// 网格待处置 (cases of the grid route, i.e. without a department) and 待核查
// (handled); supervisor and leader 超期督办 (overdue). The server limits
// every list to the user's data scope.
//
// 事件查询 filters by number, status, category (大类 includes its 小类), unit
// code, department, source, overdue and report date, pages and sorts
// (newest / nearest deadline; the server lists only cases with a running
// deadline then). The filters live in the URL (#/cases?…), so coming back
// from a case keeps them. The server counts up to 10,000 matches
// (total_exact false beyond): the total then reads 10000+.
import { t, i18n } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { session } from '../session.js';
import { route, navigate } from '../router.js';
import { departments, loadDepartments } from '../departments.js';
import { formatTime } from '../widgets.js';
import {
  STATUSES, SOURCES, statusName, sourceName, categories, loadCategories, StatusTag, CaseFlags, DeadlineCell,
} from '../cases-common.js';

const { reactive, ref, computed, watch, markRaw, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

const TODO_LIMIT = 100;

// The table of cases shared by both modes.
export const CaseTable = {
  name: 'CaseTable',
  components: { StatusTag, CaseFlags, DeadlineCell },
  props: {
    items: { type: Array, default: () => [] },
    loading: { type: Boolean, default: false },
    emptyText: { type: String, default: '' },
    testId: { type: String, default: 'cases-table' },
    actionLabel: { type: String, default: '' },
  },
  emits: ['open'],
  setup() {
    return { icons: Icons, formatTime, sourceName };
  },
  template: `
  <el-table :data="items" v-loading="loading" border stripe row-key="id" class="cases-table" :data-test="testId"
    :empty-text="emptyText || ' '" header-cell-class-name="table-header" row-class-name="cases-table__row"
    @row-click="(row) => $emit('open', row)">
    <el-table-column :label="$t('cases.number')" width="150" fixed="left">
      <template #default="{ row }">
        <a class="case-number-link" :href="'#/cases/' + row.id" data-test="cell-number" :data-id="row.id" @click.stop>{{ row.number }}</a>
      </template>
    </el-table-column>
    <el-table-column :label="$t('cases.category')" min-width="130" show-overflow-tooltip>
      <template #default="{ row }"><span data-test="cell-category">{{ row.category && row.category.name }}</span></template>
    </el-table-column>
    <el-table-column :label="$t('cases.status_')" width="104" align="center">
      <template #default="{ row }"><status-tag :status="row.status" size="small" /></template>
    </el-table-column>
    <el-table-column :label="$t('cases.source_')" width="108" align="center">
      <template #default="{ row }">{{ sourceName(row.source) }}</template>
    </el-table-column>
    <el-table-column :label="$t('cases.grid')" width="150" show-overflow-tooltip>
      <template #default="{ row }"><span class="mono">{{ row.grid || $t('common.none') }}</span></template>
    </el-table-column>
    <el-table-column :label="$t('cases.department')" min-width="150" show-overflow-tooltip>
      <template #default="{ row }">
        <span v-if="row.department">{{ row.department }}</span>
        <span v-else class="text-muted">{{ $t('cases.gridRoute') }}</span>
      </template>
    </el-table-column>
    <el-table-column :label="$t('cases.deadline')" width="170">
      <template #default="{ row }">
        <deadline-cell v-if="row.status !== 'closed' && row.status !== 'rejected'" :deadline="row.deadline" :overdue="!!row.overdue" />
        <span v-else class="text-muted">{{ $t('common.none') }}</span>
      </template>
    </el-table-column>
    <el-table-column :label="$t('cases.marks')" min-width="130">
      <template #default="{ row }"><case-flags :item="row" /></template>
    </el-table-column>
    <el-table-column :label="$t('cases.createdAt')" width="160" align="center">
      <template #default="{ row }">{{ formatTime(row.created_at).slice(0, 16) }}</template>
    </el-table-column>
    <el-table-column :label="$t('cases.operations')" width="96" align="center" fixed="right">
      <template #default="{ row }">
        <el-button link type="primary" :icon="icons.View" @click.stop="$emit('open', row)" :data-test="'open-' + row.id">{{ actionLabel || $t('cases.view') }}</el-button>
      </template>
    </el-table-column>
  </el-table>`,
};

// 我的待办 tabs for the user's roles (one per key).
function todoTabs(user) {
  const roles = new Set((user && user.roles) || []);
  const tabs = [];
  const add = (tab) => { if (!tabs.some((x) => x.key === tab.key)) tabs.push(tab); };
  if (roles.has('dispatcher')) {
    add({ key: 'toAccept', query: { status: 'reported' } });
    add({ key: 'toDispatch', query: { status: 'accepted' } });
  }
  if (roles.has('department_handler')) add({ key: 'toHandle', query: { status: 'dispatched' } });
  if (roles.has('grid_leader') && !roles.has('dispatcher')) add({ key: 'gridToAccept', query: { status: 'reported' }, gridOnly: true });
  if (roles.has('grid_leader') || roles.has('grid_worker')) {
    add({ key: 'gridToHandle', query: { status: 'dispatched' }, gridOnly: true });
    add({ key: 'toVerify', query: { status: 'handled' } });
  }
  if (roles.has('supervisor') || roles.has('leader')) add({ key: 'overdue', query: { overdue: 1 } });
  return tabs.map((tab) => ({ ...tab, items: [], total: 0, count: null, loading: false, loaded: false }));
}

const EMPTY_QUERY = () => ({
  number: '', status: '', category: '', unit: '', department: '', source: '', overdue: '', dates: [],
  sort: 'newest', page: 1, per_page: 20,
});

export default {
  name: 'CasesPage',
  components: { CaseTable },
  props: { mode: { type: String, default: 'all' } },
  setup(props) {
    const open = (row) => navigate(`/cases/${row.id}`);

    // ---- 我的待办 ----
    const tabs = reactive(todoTabs(session.user));
    const activeTab = ref(tabs.some((x) => x.key === route.query.tab) ? route.query.tab : (tabs[0] && tabs[0].key) || '');

    async function loadTab(tab) {
      tab.loading = true;
      try {
        const data = await api.get('/cases', { query: { ...tab.query, sort: 'deadline', per_page: TODO_LIMIT } });
        let items = Array.isArray(data && data.items) ? data.items : [];
        if (tab.gridOnly) items = items.filter((c) => !c.department);
        tab.items = items;
        tab.total = tab.gridOnly ? items.length : data.total;
        tab.exact = tab.gridOnly || data.total_exact !== false;
        tab.count = tab.total;
        tab.more = !tab.gridOnly && data.total > items.length;
        tab.loaded = true;
      } catch {
        /* the message is shown by api.js */
      } finally {
        tab.loading = false;
      }
    }
    const loadTabs = () => Promise.all(tabs.map(loadTab));
    watch(activeTab, (key) => navigate(route.path, { ...route.query, tab: key }, { replace: true }));

    // ---- 事件查询 ----
    const query = reactive(EMPTY_QUERY());
    const list = reactive({ items: [], total: 0, exact: true, loading: false, loaded: false });

    function fromRoute() {
      const q = route.query;
      Object.assign(query, EMPTY_QUERY());
      for (const k of ['number', 'status', 'category', 'unit', 'source', 'overdue']) if (q[k] !== undefined) query[k] = q[k];
      if (q.department) query.department = Number(q.department);
      if (q.from && q.to) query.dates = [q.from, q.to];
      if (q.sort === 'deadline') query.sort = 'deadline';
      if (Number(q.page) > 0) query.page = Number(q.page);
      if ([10, 20, 50, 100].includes(Number(q.per_page))) query.per_page = Number(q.per_page);
    }

    function apiQuery() {
      return {
        number: query.number.trim(), status: query.status, category: query.category, unit: query.unit.trim(),
        department: query.department, source: query.source, overdue: query.overdue,
        from: query.dates && query.dates[0], to: query.dates && query.dates[1],
        sort: query.sort, page: query.page, per_page: query.per_page,
      };
    }

    async function load() {
      const q = apiQuery();
      navigate(route.path, { ...q, sort: q.sort === 'newest' ? '' : q.sort, page: q.page > 1 ? q.page : '', per_page: q.per_page !== 20 ? q.per_page : '' }, { replace: true });
      list.loading = true;
      try {
        const data = await api.get('/cases', { query: q });
        list.items = Array.isArray(data && data.items) ? data.items : [];
        list.total = data.total || 0;
        list.exact = data.total_exact !== false;
        list.loaded = true;
      } catch {
        /* shown by api.js */
      } finally {
        list.loading = false;
      }
    }
    function search() { query.page = 1; load(); }
    function reset() { Object.assign(query, EMPTY_QUERY()); load(); }
    function onPage(p) { query.page = p; load(); }
    function onSize(s) { query.per_page = s; query.page = 1; load(); }
    function onSort() { query.page = 1; load(); }

    function refresh() {
      if (props.mode === 'todo') return loadTabs();
      return load();
    }

    onMounted(() => {
      loadCategories();
      if (props.mode === 'todo') {
        loadTabs();
      } else {
        loadDepartments();
        fromRoute();
        load();
      }
    });

    const statusOptions = computed(() => { void i18n.lang; return STATUSES.map((s) => ({ value: s, label: statusName(s) })); });
    const sourceOptions = computed(() => { void i18n.lang; return SOURCES.map((s) => ({ value: s, label: sourceName(s) })); });

    // 共 N 条, or 共 10000+ 条 when the server stopped counting.
    const totalText = (total, exact) => t('cases.total', { total: exact ? total : `${total}+` });

    return {
      icons: Icons, tabs, activeTab, open, query, list, totalText, search, reset, onPage, onSize, onSort, refresh,
      statusOptions, sourceOptions, categories, departments, navigate, TODO_LIMIT,
    };
  },
  template: `
  <div class="page cases-page" :data-test="mode === 'todo' ? 'cases-todo' : 'cases-page'">
    <template v-if="mode === 'todo'">
      <el-card shadow="never" class="table-card todo-card">
        <template v-if="tabs.length">
          <div class="table-toolbar">
            <div class="todo-intro"><el-icon><component :is="icons.InfoFilled" /></el-icon>{{ $t('cases.todoIntro') }}</div>
            <div class="toolbar-right">
              <el-button type="primary" plain :icon="icons.Plus" @click="navigate('/cases/new')" data-test="cases-create">{{ $t('cases.create') }}</el-button>
              <el-tooltip :content="$t('cases.refresh')" placement="top">
                <el-button circle :icon="icons.Refresh" @click="refresh" data-test="cases-refresh" :aria-label="$t('cases.refresh')" />
              </el-tooltip>
            </div>
          </div>
          <el-tabs v-model="activeTab" class="todo-tabs" data-test="todo-tabs">
            <el-tab-pane v-for="tab in tabs" :key="tab.key" :name="tab.key">
              <template #label>
                <span class="todo-tab" :data-test="'todo-tab-' + tab.key">
                  {{ $t('cases.tab.' + tab.key) }}
                  <el-badge v-if="tab.count" :value="tab.count" :max="99" :type="tab.key === 'overdue' ? 'danger' : 'primary'" class="todo-tab__badge" />
                </span>
              </template>
              <case-table :items="tab.items" :loading="tab.loading" :test-id="'todo-table-' + tab.key"
                :empty-text="tab.loaded ? $t('cases.todoEmpty') : ' '" :action-label="$t('cases.handleIt')" @open="open" />
              <div v-if="tab.more" class="todo-more">{{ $t('cases.todoMore', { shown: tab.items.length, total: tab.exact ? tab.total : tab.total + '+' }) }}</div>
            </el-tab-pane>
          </el-tabs>
        </template>
        <el-empty v-else :image-size="120" data-test="todo-none">
          <template #description>
            <div class="coming-soon__title">{{ $t('cases.todoNone') }}</div>
            <div class="coming-soon__desc">{{ $t('cases.todoNoneHint') }}</div>
          </template>
          <el-button type="primary" plain @click="navigate('/cases')">{{ $t('cases.goList') }}</el-button>
        </el-empty>
      </el-card>
    </template>

    <template v-else>
      <el-card shadow="never" class="search-card">
        <el-form :inline="true" class="search-form cases-search" label-width="auto" @submit.prevent="search">
          <el-form-item :label="$t('cases.number')">
            <el-input v-model="query.number" :placeholder="$t('cases.numberPlaceholder')" clearable class="filter-input" data-test="filter-number" />
          </el-form-item>
          <el-form-item :label="$t('cases.status_')">
            <el-select v-model="query.status" clearable :placeholder="$t('cases.all')" class="filter-input" data-test="filter-status">
              <el-option v-for="o in statusOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'status-option-' + o.value" />
            </el-select>
          </el-form-item>
          <el-form-item :label="$t('cases.category')">
            <div class="filter-input" data-test="filter-category">
              <el-tree-select v-model="query.category" :data="categories.tree" check-strictly filterable clearable
                :render-after-expand="false" :placeholder="$t('cases.all')" popper-class="case-tree-popper" class="w-full" />
            </div>
          </el-form-item>
          <el-form-item :label="$t('cases.department')">
            <el-select v-model="query.department" clearable filterable :placeholder="$t('cases.all')" class="filter-input" data-test="filter-department">
              <el-option v-for="d in departments.items" :key="d.id" :label="d.name" :value="d.id" />
            </el-select>
          </el-form-item>
          <el-form-item :label="$t('cases.source_')">
            <el-select v-model="query.source" clearable :placeholder="$t('cases.all')" class="filter-input" data-test="filter-source">
              <el-option v-for="o in sourceOptions" :key="o.value" :label="o.label" :value="o.value" />
            </el-select>
          </el-form-item>
          <el-form-item :label="$t('cases.unit')">
            <el-input v-model="query.unit" :placeholder="$t('cases.unitPlaceholder')" clearable class="filter-input" data-test="filter-unit" />
          </el-form-item>
          <el-form-item :label="$t('cases.overdueFilter')">
            <el-select v-model="query.overdue" clearable :placeholder="$t('cases.all')" class="filter-input" data-test="filter-overdue">
              <el-option :label="$t('cases.yes')" value="1" />
              <el-option :label="$t('cases.no')" value="0" />
            </el-select>
          </el-form-item>
          <el-form-item :label="$t('cases.dateRange')">
            <el-date-picker v-model="query.dates" type="daterange" value-format="YYYY-MM-DD" unlink-panels
              :start-placeholder="$t('cases.startDate')" :end-placeholder="$t('cases.endDate')" class="filter-dates" data-test="filter-dates" />
          </el-form-item>
          <el-form-item class="search-form__buttons">
            <el-button type="primary" :icon="icons.Search" native-type="submit" data-test="cases-search">{{ $t('cases.search') }}</el-button>
            <el-button :icon="icons.Refresh" @click="reset" data-test="cases-reset">{{ $t('cases.reset') }}</el-button>
          </el-form-item>
        </el-form>
      </el-card>

      <el-card shadow="never" class="table-card">
        <div class="table-toolbar">
          <div class="toolbar-left">
            <el-button type="primary" plain :icon="icons.Plus" @click="navigate('/cases/new')" data-test="cases-create">{{ $t('cases.create') }}</el-button>
          </div>
          <div class="toolbar-right">
            <el-radio-group v-model="query.sort" size="default" @change="onSort" data-test="cases-sort">
              <el-radio-button value="newest" data-test="sort-newest">{{ $t('cases.sortNewest') }}</el-radio-button>
              <el-radio-button value="deadline" data-test="sort-deadline">{{ $t('cases.sortDeadline') }}</el-radio-button>
            </el-radio-group>
            <el-tooltip :content="$t('cases.refresh')" placement="top">
              <el-button circle :icon="icons.Refresh" @click="refresh" data-test="cases-refresh" :aria-label="$t('cases.refresh')" />
            </el-tooltip>
          </div>
        </div>
        <div v-if="query.sort === 'deadline'" class="sort-hint" data-test="sort-deadline-hint">
          <el-icon><component :is="icons.InfoFilled" /></el-icon>{{ $t('cases.sortDeadlineHint') }}</div>
        <case-table :items="list.items" :loading="list.loading" :empty-text="list.loaded ? $t('cases.empty') : ' '" @open="open" />
        <div class="pagination-bar">
          <el-pagination background layout="slot, sizes, prev, pager, next, jumper"
            :total="list.total" :current-page="query.page" :page-size="query.per_page" :page-sizes="[10, 20, 50, 100]"
            @current-change="onPage" @size-change="onSize" data-test="cases-pagination">
            <span class="el-pagination__total pagination-total" data-test="cases-total" :data-exact="String(list.exact)">{{ totalText(list.total, list.exact) }}</span>
          </el-pagination>
        </div>
      </el-card>
    </template>
  </div>
  `,
};
