// 三个一批: the "签约一批、开工一批、投产一批" batches (期次) and how their
// projects fared — per batch the projects signed, started and put into
// production, and the start, production and effectiveness rates (GET
// /projects/batches; docs/PROJECTS.md "per batch"), with the totals of all
// batches as the last row. Year, month and level filter it like the ledger.
import { t } from '../i18n.js';
import { api } from '../api.js';
import { route, navigate } from '../router.js';
import { EMPTY_FILTERS, filterQuery, filtersFromRoute, levelOptions, yearOptions, moneyText, pctText, ledgerState } from '../projects-common.js';

const { reactive, markRaw, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

const COUNTS = ['projects', 'signed', 'started', 'production', 'started_count', 'in_production', 'effective'];
const RATES = ['start_rate', 'production_rate', 'effectiveness_rate'];

export default {
  name: 'ProjectBatchesPage',
  setup() {
    const filters = reactive(EMPTY_FILTERS());
    const data = reactive({ items: [], totals: null, loading: false, loaded: false });

    async function load() {
      const q = filterQuery(filters);
      navigate(route.path, { year: q.year, month: q.month, level: q.level }, { replace: true });
      data.loading = true;
      try {
        const r = await api.get('/projects/batches', { query: { year: q.year, month: q.month, level: q.level } });
        data.items = Array.isArray(r && r.items) ? r.items : [];
        data.totals = (r && r.totals) || null;
        data.loaded = true;
      } catch {
        /* shown by api.js */
      } finally {
        data.loading = false;
      }
    }
    function reset() { Object.assign(filters, EMPTY_FILTERS()); load(); }

    function summaryMethod({ columns }) {
      const tt = data.totals;
      return columns.map((col, i) => {
        if (i === 0) return t('projects.totalsRow');
        if (!tt) return '';
        if (COUNTS.includes(col.property)) return String(tt[col.property] ?? '');
        if (RATES.includes(col.property)) return pctText(tt[col.property]);
        if (col.property === 'total_investment') return moneyText(tt.total_investment);
        return '';
      });
    }
    const ledgerOf = (b) => navigate('/projects', { ...filterQuery(filters), batch: b });

    onMounted(() => {
      // Without a year in the URL (the menu), the year and levels the ledger last showed.
      const q = route.query.year ? route.query : { year: ledgerState.query && ledgerState.query.year, level: ledgerState.query && ledgerState.query.level };
      filtersFromRoute({ year: q.year ? String(q.year) : undefined, month: q.month ? String(q.month) : undefined, level: q.level || undefined }, filters);
      load();
    });

    return { icons: Icons, filters, data, load, reset, summaryMethod, ledgerOf, levelOptions, yearOptions: yearOptions(), moneyText, pctText, COUNTS, RATES };
  },
  template: `
  <div class="page project-batches-page" data-test="project-batches">
    <el-card shadow="never" class="search-card">
      <el-form :inline="true" class="search-form" label-width="auto" @submit.prevent="load">
        <el-form-item :label="$t('projects.year')">
          <el-select v-model="filters.year" class="filter-short" data-test="batches-year">
            <el-option v-for="y in yearOptions" :key="y" :label="$t('projects.yearN', { y })" :value="y" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.month')">
          <el-select v-model="filters.month" clearable :placeholder="$t('projects.monthDefault')" class="filter-short" data-test="batches-month">
            <el-option v-for="m in 12" :key="m" :label="$t('projects.monthN', { m })" :value="m" />
          </el-select>
        </el-form-item>
        <el-form-item :label="$t('projects.level_')">
          <el-select v-model="filters.level" multiple collapse-tags clearable :placeholder="$t('projects.all')" class="filter-input" data-test="batches-level">
            <el-option v-for="o in levelOptions" :key="o.value" :label="o.label" :value="o.value" />
          </el-select>
        </el-form-item>
        <el-form-item class="search-form__buttons">
          <el-button type="primary" :icon="icons.Search" native-type="submit" data-test="batches-search">{{ $t('projects.query') }}</el-button>
          <el-button :icon="icons.Refresh" @click="reset">{{ $t('projects.reset') }}</el-button>
        </el-form-item>
      </el-form>
    </el-card>
    <el-card shadow="never" class="table-card">
      <div class="batches-intro"><el-icon><component :is="icons.InfoFilled" /></el-icon>{{ $t('projects.batchesIntro') }}</div>
      <el-table :data="data.items" v-loading="data.loading" border stripe class="batches-table" data-test="batches-table"
        show-summary :summary-method="summaryMethod" :empty-text="data.loaded ? $t('projects.noBatches') : ' '" header-cell-class-name="table-header">
        <el-table-column prop="batch" :label="$t('projects.batch')" width="84" align="center" fixed="left">
          <template #default="{ row }"><a class="case-number-link" href="javascript:void(0)" @click="ledgerOf(row.batch)" :data-test="'batch-' + row.batch">{{ $t('projects.batchN', { n: row.batch }) }}</a></template>
        </el-table-column>
        <el-table-column :label="$t('projects.batchProjects')" align="center">
          <el-table-column prop="projects" :label="$t('projects.colProjects')" width="66" align="right" />
          <el-table-column prop="signed" :label="$t('projects.batchKind.signed')" width="66" align="right" />
          <el-table-column prop="started" :label="$t('projects.batchKind.started')" width="66" align="right" />
          <el-table-column prop="production" :label="$t('projects.batchKind.production')" width="66" align="right" />
        </el-table-column>
        <el-table-column :label="$t('projects.batchReached')" align="center">
          <el-table-column prop="started_count" :label="$t('projects.colStarted')" width="96" align="right" />
          <el-table-column prop="in_production" :label="$t('projects.colInProduction')" width="96" align="right" />
          <el-table-column prop="effective" :label="$t('projects.colEffective')" width="96" align="right" />
        </el-table-column>
        <el-table-column prop="start_rate" :label="$t('projects.startRate')" width="124" align="right">
          <template #default="{ row }"><span class="num" data-test="rate-start">{{ pctText(row.start_rate) }}</span></template>
        </el-table-column>
        <el-table-column prop="production_rate" :label="$t('projects.productionRate')" width="124" align="right">
          <template #default="{ row }"><span class="num" data-test="rate-production">{{ pctText(row.production_rate) }}</span></template>
        </el-table-column>
        <el-table-column prop="effectiveness_rate" :label="$t('projects.effectivenessRate')" width="124" align="right">
          <template #default="{ row }"><span class="num" data-test="rate-effective">{{ pctText(row.effectiveness_rate) }}</span></template>
        </el-table-column>
        <el-table-column prop="total_investment" :label="$t('projects.totalInvestment')" min-width="100" align="right">
          <template #default="{ row }"><span class="num">{{ moneyText(row.total_investment) }}</span></template>
        </el-table-column>
      </el-table>
    </el-card>
  </div>
  `,
};
