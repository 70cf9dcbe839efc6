// 重点项目台账: the ledger as the economic development office keeps it in
// Excel. Filters (year, month, level, industry, batch, leader, department,
// stage, code or name) live in the URL (#/projects?year=2022&level=province,city),
// so coming back from a project keeps them. Above the table: the generated
// paragraph (GET /projects/summary, its `text`), the year's figures and the
// monthly trend of completed investment against the annual plan (ECharts,
// GET /projects/trend). The table (GET /projects) has a frozen header, the
// code and name frozen on the left, money right-aligned in 万元 or 亿元, the
// totals of every match (not just the page) as its last row, server-side
// sorting and paging, and scrolls sideways on narrow screens. A second and
// third tab rank leaders and departments by completion (GET /projects/rankings).
import { t, i18n } from '../i18n.js';
import { api } from '../api.js';
import { hasAnyRole } from '../session.js';
import { route, navigate } from '../router.js';
import { departments, loadDepartments } from '../departments.js';
import {
  EChart, CHART_COLORS, EMPTY_FILTERS, filterQuery, filtersFromRoute, levelOptions, stageOptions, yearOptions,
  levelName, stageName, STAGE_TAG, moneyIn, moneyText, pctText, yiText, ledgerState,
} from '../projects-common.js';

const { reactive, ref, computed, markRaw, onMounted, watch } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

const SORTS = { code: 'code', name: 'name', total_investment: 'total_investment', annual_plan: 'annual_plan', completed: 'completed', completion_pct: 'completion_pct' };

export default {
  name: 'ProjectsPage',
  components: { EChart },
  setup() {
    const canWrite = computed(() => hasAnyRole(['admin', 'leader']));
    const filters = reactive(EMPTY_FILTERS());
    const paging = reactive({ page: 1, per_page: 20, sort: '', order: '' });
    const unit = ref('wan');
    const tab = ref('ledger');
    const list = reactive({ items: [], total: 0, totals: null, year: null, month: null, loading: false, loaded: false });
    const summary = ref(null);
    const trend = ref(null);
    const rankings = reactive({ leader: { items: [], loading: false, loaded: false }, department: { items: [], loading: false, loaded: false } });

    function fromRoute() {
      const q = route.query;
      filtersFromRoute(q, filters);
      paging.page = Number(q.page) > 0 ? Number(q.page) : 1;
      paging.per_page = [10, 20, 50, 100].includes(Number(q.per_page)) ? Number(q.per_page) : 20;
      paging.sort = SORTS[q.sort] || '';
      paging.order = q.order === 'asc' || q.order === 'desc' ? q.order : '';
      unit.value = q.unit === 'yi' ? 'yi' : 'wan';
      tab.value = ['ledger', 'leaders', 'departments'].includes(q.tab) ? q.tab : 'ledger';
    }
    function toRoute() {
      const f = filterQuery(filters);
      const q = {
        ...f, page: paging.page > 1 ? paging.page : '', per_page: paging.per_page !== 20 ? paging.per_page : '',
        sort: paging.sort, order: paging.sort ? paging.order : '', unit: unit.value === 'yi' ? 'yi' : '',
        tab: tab.value === 'ledger' ? '' : tab.value,
      };
      navigate(route.path, q, { replace: true });
      written = route.fullPath;
      ledgerState.query = q;
    }
    // A hash changed from outside (a link, the address bar, back): read it again.
    let written = null;
    watch(() => route.fullPath, (full) => {
      if (route.path !== '/projects' || full === written) return;
      fromRoute();
      load();
    });

    let seq = 0;
    async function loadList(mine) {
      list.loading = true;
      try {
        const data = await api.get('/projects', { query: {
          ...filterQuery(filters), page: paging.page, per_page: paging.per_page, sort: paging.sort, order: paging.sort ? paging.order : '',
        } });
        if (mine !== seq) return;
        list.items = Array.isArray(data && data.items) ? data.items : [];
        list.total = data.total || 0;
        list.totals = data.totals || null;
        list.year = data.year;
        list.month = data.month;
        list.loaded = true;
      } catch {
        /* shown by api.js */
      } finally {
        if (mine === seq) list.loading = false;
      }
    }
    async function loadSummary(mine) {
      try {
        const s = await api.get('/projects/summary', { query: filterQuery(filters), silent: true });
        if (mine === seq) summary.value = s;
      } catch {
        if (mine === seq) summary.value = null;
      }
    }
    async function loadTrend(mine) {
      try {
        const tr = await api.get('/projects/trend', { query: filterQuery(filters), silent: true });
        if (mine === seq) trend.value = tr;
      } catch {
        if (mine === seq) trend.value = null;
      }
    }
    async function loadRanking(by, mine) {
      const r = rankings[by];
      r.loading = true;
      try {
        const data = await api.get('/projects/rankings', { query: { ...filterQuery(filters), by } });
        if (mine !== seq) return;
        r.items = Array.isArray(data && data.items) ? data.items : [];
        r.loaded = true;
      } catch {
        /* shown by api.js */
      } finally {
        if (mine === seq) r.loading = false;
      }
    }

    function load() {
      toRoute();
      const mine = ++seq;
      rankings.leader.loaded = false;
      rankings.department.loaded = false;
      const jobs = [loadList(mine), loadSummary(mine), loadTrend(mine)];
      if (tab.value === 'leaders') jobs.push(loadRanking('leader', mine));
      if (tab.value === 'departments') jobs.push(loadRanking('department', mine));
      return Promise.all(jobs);
    }
    function search() { paging.page = 1; load(); }
    function reset() { Object.assign(filters, EMPTY_FILTERS()); paging.page = 1; paging.sort = ''; paging.order = ''; load(); }
    function onPage(p) { paging.page = p; toRoute(); loadList(++seq); }
    function onSize(s) { paging.per_page = s; paging.page = 1; toRoute(); loadList(++seq); }
    function onSort({ prop, order }) {
      paging.sort = order ? (SORTS[prop] || '') : '';
      paging.order = order === 'ascending' ? 'asc' : order === 'descending' ? 'desc' : '';
      paging.page = 1;
      toRoute();
      loadList(++seq);
    }
    watch(tab, (v) => {
      toRoute();
      if (v === 'leaders' && !rankings.leader.loaded) loadRanking('leader', seq);
      if (v === 'departments' && !rankings.department.loaded) loadRanking('department', seq);
    });
    watch(unit, toRoute);

    onMounted(() => {
      loadDepartments();
      fromRoute();
      load();
    });

    const defaultSort = computed(() => (paging.sort ? { prop: paging.sort, order: paging.order === 'asc' ? 'ascending' : 'descending' } : {}));
    const periodText = computed(() => {
      void i18n.lang;
      if (!list.year) return '';
      return t('projects.period', { year: list.year, month: list.month || 12 });
    });
    const unitLabel = computed(() => { void i18n.lang; return unit.value === 'yi' ? t('projects.unitYi') : t('projects.unitWan'); });

    // The totals row under the table (every match, from the server).
    function summaryMethod({ columns }) {
      const tt = list.totals;
      return columns.map((col, i) => {
        if (i === 0) return t('projects.totalsRow');
        if (!tt) return '';
        switch (col.property) {
          case 'name': return t('projects.countN', { n: tt.count });
          case 'total_investment': return moneyIn(tt.total_investment, unit.value);
          case 'annual_plan': return moneyIn(tt.annual_plan, unit.value);
          case 'completed': return moneyIn(tt.completed, unit.value);
          case 'completion_pct': return pctText(tt.completion_pct);
          default: return '';
        }
      });
    }

    // Trend: monthly completed bars, cumulative line and the annual plan.
    const trendOption = computed(() => {
      void i18n.lang;
      const months = (trend.value && trend.value.months) || [];
      const plan = summary.value ? summary.value.annual_plan : null;
      const yi = (v) => (v === null || v === undefined ? null : Number(yiText(v).replace(/,/g, '')));
      return {
        color: CHART_COLORS,
        tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : t('projects.inYi', { v })) },
        legend: { top: 0, data: [t('projects.chartMonthly'), t('projects.chartCumulative'), t('projects.chartPlan')] },
        grid: { left: 56, right: 24, top: 40, bottom: 28 },
        xAxis: { type: 'category', data: months.map((m) => t('projects.monthN', { m: m.month })) },
        yAxis: { type: 'value', name: t('projects.unitYi'), nameTextStyle: { align: 'right' } },
        series: [
          { name: t('projects.chartMonthly'), type: 'bar', barMaxWidth: 28, data: months.map((m) => yi(m.completed)) },
          { name: t('projects.chartCumulative'), type: 'line', smooth: false, symbolSize: 6, data: months.map((m) => yi(m.cumulative)) },
          { name: t('projects.chartPlan'), type: 'line', symbol: 'none', lineStyle: { type: 'dashed' },
            data: plan === null ? [] : months.map(() => yi(plan)) },
        ],
      };
    });

    const projectHref = (row) => `#/projects/${row.id}?year=${list.year || filters.year}`;
    const stat = computed(() => summary.value || {});

    return {
      icons: Icons, canWrite, filters, paging, unit, tab, list, summary, stat, trend, rankings, search, reset, onPage, onSize, onSort,
      defaultSort, periodText, unitLabel, summaryMethod, trendOption, projectHref, navigate, departments, levelOptions, stageOptions,
      yearOptions: yearOptions(), levelName, stageName, STAGE_TAG, moneyIn, moneyText, pctText,
    };
  },
  template: `
  <div class="page projects-page" data-test="projects-page">
    <el-card shadow="never" class="search-card">
      <el-form :inline="true" class="search-form projects-search" label-width="auto" @submit.prevent="search">
        <el-form-item :label="$t('projects.year')">
          <el-select v-model="filters.year" class="filter-short" data-test="filter-year">
            <el-option v-for="y in yearOptions" :key="y" :label="$t('projects.yearN', { y })" :value="y" :data-test="'year-option-' + y" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.month')">
          <el-select v-model="filters.month" clearable :placeholder="$t('projects.monthDefault')" class="filter-short" data-test="filter-month">
            <el-option v-for="m in 12" :key="m" :label="$t('projects.monthN', { m })" :value="m" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.level_')">
          <el-select v-model="filters.level" multiple collapse-tags clearable :placeholder="$t('projects.all')" class="filter-input" data-test="filter-level">
            <el-option v-for="o in levelOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'level-option-' + o.value" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.industry')">
          <el-input v-model="filters.industry" clearable :placeholder="$t('projects.all')" class="filter-input" data-test="filter-industry" />
        </el-form-item>
        <el-form-item :label="$t('projects.batch')">
          <el-input-number v-model="filters.batch" :min="1" :max="1000" :controls="false" :placeholder="$t('projects.all')"
            class="filter-short" data-test="filter-batch" :value-on-clear="null" />
        </el-form-item>
        <el-form-item :label="$t('projects.leader')">
          <el-input v-model="filters.leader" clearable :placeholder="$t('projects.all')" class="filter-input" data-test="filter-leader" />
        </el-form-item>
        <el-form-item :label="$t('projects.department')">
          <el-select v-model="filters.department" clearable filterable :placeholder="$t('projects.all')" class="filter-input" data-test="filter-department">
            <el-option v-for="d in departments.items" :key="d.id" :label="d.name" :value="d.id" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.stage_')">
          <el-select v-model="filters.stage" clearable :placeholder="$t('projects.all')" class="filter-input" data-test="filter-stage">
            <el-option v-for="o in stageOptions" :key="o.value" :label="o.label" :value="o.value" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.search')">
          <el-input v-model="filters.q" clearable :placeholder="$t('projects.searchPlaceholder')" class="filter-input" data-test="filter-q" />
        </el-form-item>
        <el-form-item class="search-form__buttons">
          <el-button type="primary" :icon="icons.Search" native-type="submit" data-test="projects-search">{{ $t('projects.query') }}</el-button>
          <el-button :icon="icons.Refresh" @click="reset" data-test="projects-reset">{{ $t('projects.reset') }}</el-button>
        </el-form-item>
      </el-form>
    </el-card>

    <el-row :gutter="16" class="projects-overview">
      <el-col :xs="24" :lg="10">
        <el-card shadow="never" class="panel">
          <template #header>
            <div class="panel__header"><el-icon><component :is="icons.Document" /></el-icon>{{ $t('projects.overview') }}
              <span class="panel__sub" data-test="ledger-period">{{ periodText }}</span></div>
          </template>
          <p class="ledger-text" data-test="ledger-text">{{ summary ? summary.text : '' }}</p>
          <div class="ledger-stats" v-if="summary" data-test="ledger-stats">
            <div class="ledger-stat"><div class="ledger-stat__label">{{ $t('projects.count') }}</div><div class="ledger-stat__value" data-test="stat-count">{{ stat.count }}</div></div>
            <div class="ledger-stat"><div class="ledger-stat__label">{{ $t('projects.totalInvestment') }}</div><div class="ledger-stat__value" data-test="stat-total">{{ moneyText(stat.total_investment) }}</div></div>
            <div class="ledger-stat"><div class="ledger-stat__label">{{ $t('projects.annualPlan') }}</div><div class="ledger-stat__value" data-test="stat-plan">{{ moneyText(stat.annual_plan) }}</div></div>
            <div class="ledger-stat"><div class="ledger-stat__label">{{ $t('projects.completed') }}</div><div class="ledger-stat__value" data-test="stat-completed">{{ moneyText(stat.completed) }}</div></div>
            <div class="ledger-stat"><div class="ledger-stat__label">{{ $t('projects.completionPct') }}</div><div class="ledger-stat__value" data-test="stat-pct">{{ pctText(stat.completion_pct) }}</div></div>
            <div class="ledger-stat"><div class="ledger-stat__label">{{ $t('projects.inProduction') }}</div><div class="ledger-stat__value" data-test="stat-production">{{ stat.in_production }}</div></div>
          </div>
        </el-card>
      </el-col>
      <el-col :xs="24" :lg="14">
        <el-card shadow="never" class="panel">
          <template #header>
            <div class="panel__header"><el-icon><component :is="icons.TrendCharts" /></el-icon>{{ $t('projects.trendTitle') }}</div>
          </template>
          <e-chart :option="trendOption" height="260px" test-id="trend-chart" />
        </el-card>
      </el-col>
    </el-row>

    <el-card shadow="never" class="table-card">
      <el-tabs v-model="tab" data-test="projects-tabs">
        <el-tab-pane name="ledger">
          <template #label><span data-test="tab-ledger">{{ $t('projects.tabLedger') }}</span></template>
          <div class="table-toolbar">
            <div class="toolbar-left">
              <el-button v-if="canWrite" type="primary" plain :icon="icons.Plus" @click="navigate('/projects/new')" data-test="projects-create">{{ $t('projects.create') }}</el-button>
              <el-button plain :icon="icons.Histogram" @click="navigate('/projects/batches', { year: filters.year })" data-test="projects-batches-link">{{ $t('menu.projectsBatches') }}</el-button>
            </div>
            <div class="toolbar-right">
              <span class="text-muted">{{ $t('projects.unit') }}</span>
              <el-radio-group v-model="unit" data-test="projects-unit">
                <el-radio-button value="wan" data-test="unit-wan">{{ $t('projects.unitWan') }}</el-radio-button>
                <el-radio-button value="yi" data-test="unit-yi">{{ $t('projects.unitYi') }}</el-radio-button>
              </el-radio-group>
            </div>
          </div>
          <el-table :data="list.items" v-loading="list.loading" border stripe row-key="id" class="ledger-table" data-test="ledger-table"
            max-height="560" show-summary :summary-method="summaryMethod" :default-sort="defaultSort" @sort-change="onSort"
            :empty-text="list.loaded ? $t('projects.empty') : ' '" header-cell-class-name="table-header">
            <el-table-column prop="code" :label="$t('projects.code')" width="130" fixed="left" sortable="custom">
              <template #default="{ row }"><a class="case-number-link mono" :href="projectHref(row)" data-test="cell-code" :data-id="row.id">{{ row.code }}</a></template>
            </el-table-column>
            <el-table-column prop="name" :label="$t('projects.name')" min-width="160" fixed="left" sortable="custom" show-overflow-tooltip>
              <template #default="{ row }"><a class="project-name-link" :href="projectHref(row)" data-test="cell-name">{{ row.name }}</a></template>
            </el-table-column>
            <el-table-column :label="$t('projects.level_')" width="90" align="center">
              <template #default="{ row }">{{ levelName(row.level) }}</template>
            </el-table-column>
            <el-table-column prop="industry" :label="$t('projects.industry')" width="96" show-overflow-tooltip />
            <el-table-column :label="$t('projects.leader')" width="90" show-overflow-tooltip>
              <template #default="{ row }">{{ row.leader || $t('common.none') }}</template>
            </el-table-column>
            <el-table-column :label="$t('projects.department')" min-width="110" show-overflow-tooltip>
              <template #default="{ row }">{{ (row.department && row.department.name) || $t('common.none') }}</template>
            </el-table-column>
            <el-table-column :label="$t('projects.stage_')" width="100" align="center">
              <template #default="{ row }"><el-tag :type="STAGE_TAG[row.stage] || 'info'" size="small" disable-transitions data-test="cell-stage">{{ stageName(row.stage) }}</el-tag></template>
            </el-table-column>
            <el-table-column :label="$t('projects.moneyIn', { unit: unitLabel })" align="center">
              <el-table-column prop="total_investment" :label="$t('projects.totalInvestment')" width="128" align="right" sortable="custom">
                <template #default="{ row }"><span class="num" data-test="cell-total">{{ moneyIn(row.total_investment, unit) }}</span></template>
              </el-table-column>
              <el-table-column prop="annual_plan" :label="$t('projects.annualPlan')" width="118" align="right" sortable="custom">
                <template #default="{ row }"><span class="num" data-test="cell-plan">{{ moneyIn(row.annual_plan, unit) }}</span></template>
              </el-table-column>
              <el-table-column prop="completed" :label="$t('projects.completed')" width="118" align="right" sortable="custom">
                <template #default="{ row }"><span class="num" data-test="cell-completed">{{ moneyIn(row.completed, unit) }}</span></template>
              </el-table-column>
            </el-table-column>
            <el-table-column prop="completion_pct" :label="$t('projects.completionPct')" width="100" align="right" sortable="custom">
              <template #default="{ row }"><span class="num" data-test="cell-pct">{{ pctText(row.completion_pct) }}</span></template>
            </el-table-column>
          </el-table>
          <div class="pagination-bar">
            <el-pagination background layout="total, sizes, prev, pager, next, jumper"
              :total="list.total" :current-page="paging.page" :page-size="paging.per_page" :page-sizes="[10, 20, 50, 100]"
              @current-change="onPage" @size-change="onSize" data-test="projects-pagination" />
          </div>
        </el-tab-pane>

        <el-tab-pane v-for="by in ['leaders', 'departments']" :key="by" :name="by">
          <template #label><span :data-test="'tab-' + by">{{ $t('projects.tab_' + by) }}</span></template>
          <el-table :data="rankings[by === 'leaders' ? 'leader' : 'department'].items" v-loading="rankings[by === 'leaders' ? 'leader' : 'department'].loading"
            border stripe class="ranking-table" :data-test="'ranking-' + by" header-cell-class-name="table-header" :empty-text="$t('projects.empty')">
            <el-table-column prop="rank" :label="$t('projects.rank')" width="70" align="center" />
            <el-table-column :label="by === 'leaders' ? $t('projects.leader') : $t('projects.department')" min-width="160">
              <template #default="{ row }"><span data-test="rank-name">{{ row.name || row.key || $t('projects.unassigned') }}</span></template>
            </el-table-column>
            <el-table-column prop="count" :label="$t('projects.count')" width="100" align="right" />
            <el-table-column :label="$t('projects.annualPlan') + '(' + unitLabel + ')'" width="160" align="right">
              <template #default="{ row }"><span class="num">{{ moneyIn(row.annual_plan, unit) }}</span></template>
            </el-table-column>
            <el-table-column :label="$t('projects.completed') + '(' + unitLabel + ')'" width="160" align="right">
              <template #default="{ row }"><span class="num">{{ moneyIn(row.completed, unit) }}</span></template>
            </el-table-column>
            <el-table-column :label="$t('projects.completionPct')" width="120" align="right">
              <template #default="{ row }"><span class="num" data-test="rank-pct">{{ pctText(row.completion_pct) }}</span></template>
            </el-table-column>
          </el-table>
        </el-tab-pane>
      </el-tabs>
    </el-card>
  </div>
  `,
};
