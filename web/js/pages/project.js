// One key project (#/projects/:id?year=Y): its data, the stages it reached
// (a timeline), its "三个一批" batches, annual plans, the monthly progress of
// the chosen year as a chart (ECharts: each month's completed investment as
// bars, the cumulative amount as a line, the annual plan as a dashed line)
// and a table, and the problem cases linked to it (source = project).
//
// Leaders and admins enter a month's completed investment here (PUT
// /projects/{id}/progress/{year}/{month}): the amount is typed in 万元 and
// sent as integer 元, parsed from its decimal text (at most 4 decimals) so no
// float rounding creeps in. A malformed amount is refused under its field
// before anything is sent; the server's 422 (e.g. a month before the project
// started) shows under the field it names. They may also set a year's plan
// and record a stage reached.
import { t, i18n } from '../i18n.js';
import { api, errorMessage, API_BASE } from '../api.js';
import { PhotoPicker } from '../photo-picker.js';
import { hasAnyRole } from '../session.js';
import { route, navigate } from '../router.js';
import { formatTime } from '../widgets.js';
import { StatusTag } from '../cases-common.js';
import {
  EChart, CHART_COLORS, STAGES, STAGE_TAG, levelName, stageName, batchKindName, stageOptions, yearOptions,
  moneyText, wanText, yiText, pctText, wanToYuan, wanError, yuanToWanInput, ledgerState,
} from '../projects-common.js';

const { reactive, ref, computed, markRaw, onMounted, nextTick } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

// Server field → entry form field.
const PROGRESS_FIELD = { completed_investment: 'amount', month: 'month', year: 'year', note: 'note', photos: 'photos' };

export default {
  name: 'ProjectPage',
  components: { EChart, StatusTag, PhotoPicker },
  props: { id: { type: String, required: true } },
  setup(props) {
    const canWrite = computed(() => hasAnyRole(['admin', 'leader']));
    const p = ref(null);
    const state = reactive({ loading: true, error: null });
    const thisYear = new Date().getFullYear();
    const year = ref(/^\d{4}$/.test(route.query.year || '') ? Number(route.query.year) : thisYear);

    async function load() {
      state.loading = true;
      try {
        const data = await api.get(`/projects/${encodeURIComponent(props.id)}`, { query: { year: year.value }, silent: true });
        p.value = data && data.project ? data.project : data;
        state.error = null;
      } catch (err) {
        state.error = err;
      } finally {
        state.loading = false;
      }
    }
    function setYear(y) {
      year.value = y;
      navigate(route.path, { year: y }, { replace: true });
      entry.year = y;
      prefill();
      load();
    }

    // ---- derived views of the project ----
    const progressOfYear = computed(() => ((p.value && p.value.progress) || []).filter((r) => r.year === year.value)
      .sort((a, b) => a.month - b.month));
    const planOfYear = computed(() => {
      const pl = ((p.value && p.value.plans) || []).find((r) => r.year === year.value);
      return pl ? pl.planned_investment : null;
    });
    const plans = computed(() => ((p.value && p.value.plans) || []).slice().sort((a, b) => b.year - a.year));
    const stageDates = computed(() => Object.fromEntries(((p.value && p.value.stages) || []).map((s) => [s.stage, s.date])));
    const timeline = computed(() => {
      void i18n.lang;
      return STAGES.map((s) => ({ stage: s, name: stageName(s), date: stageDates.value[s] || null }));
    });
    const reachedCount = computed(() => timeline.value.filter((x) => x.date).length);
    const cases = computed(() => (p.value && p.value.cases) || []);
    const yearTotals = computed(() => {
      let sum = 0;
      for (const r of progressOfYear.value) sum += Number(r.completed_investment);
      return sum;
    });

    // Monthly completed (bars), cumulative (line) and the annual plan (dashed), in 万元.
    const chartOption = computed(() => {
      void i18n.lang;
      const byMonth = {};
      for (const r of progressOfYear.value) byMonth[r.month] = Number(r.completed_investment);
      const monthly = [];
      const cumulative = [];
      let run = 0;
      const wan = (v) => Number(wanText(v).replace(/,/g, ''));
      for (let m = 1; m <= 12; m++) {
        const v = byMonth[m];
        monthly.push(v === undefined ? null : wan(v));
        if (v !== undefined) run += v;
        const last = progressOfYear.value.length ? progressOfYear.value[progressOfYear.value.length - 1].month : 0;
        cumulative.push(m <= last ? wan(run) : null);
      }
      const plan = planOfYear.value;
      return {
        color: CHART_COLORS,
        tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : t('projects.inWan', { v })) },
        legend: { top: 0, data: [t('projects.chartMonthly'), t('projects.chartCumulative'), t('projects.chartPlan')] },
        grid: { left: 64, right: 24, top: 40, bottom: 28 },
        xAxis: { type: 'category', data: Array.from({ length: 12 }, (_, i) => t('projects.monthN', { m: i + 1 })) },
        yAxis: { type: 'value', name: t('projects.unitWan'), nameTextStyle: { align: 'right' } },
        series: [
          { name: t('projects.chartMonthly'), type: 'bar', barMaxWidth: 28, data: monthly },
          { name: t('projects.chartCumulative'), type: 'line', symbolSize: 6, connectNulls: false, data: cumulative },
          { name: t('projects.chartPlan'), type: 'line', symbol: 'none', lineStyle: { type: 'dashed' },
            data: plan === null ? [] : Array(12).fill(wan(plan)) },
        ],
      };
    });

    // ---- monthly entry ----
    const entry = reactive({ year: year.value, month: thisYear === year.value ? new Date().getMonth() + 1 : 12, amount: '', note: '',
      photos: [] });
    const uploading = ref(false);
    const pickerKey = ref(0);
    const PHOTO_ENDPOINT = `${API_BASE}/photos`;
    const photoSrc = (ph) => `${API_BASE}/projects/${encodeURIComponent(props.id)}/photos/${ph.id}`;
    const entryMonth = () => ((p.value && p.value.progress) || []).find((x) => x.year === entry.year && x.month === entry.month);
    const entryErrors = reactive({});
    const saving = ref(false);
    const entryRef = ref(null);
    function clearErrors(obj) { for (const k of Object.keys(obj)) delete obj[k]; }
    function touch(f) { delete entryErrors[f]; }
    function prefill() {
      const r = ((p.value && p.value.progress) || []).find((x) => x.year === entry.year && x.month === entry.month);
      entry.amount = r ? yuanToWanInput(r.completed_investment) : '';
      entry.note = r ? (r.note || '') : '';
      entry.photos = [];
      pickerKey.value++;
      clearErrors(entryErrors);
    }
    const entryYuan = computed(() => wanToYuan(entry.amount));
    async function saveProgress() {
      if (saving.value) return;
      clearErrors(entryErrors);
      const bad = wanError(entry.amount);
      if (bad) { entryErrors.amount = t(bad); return; }
      if (uploading.value) {
        window.ElementPlus.ElMessage({ type: 'warning', message: t('photos.uploading'), grouping: true });
        return;
      }
      const body = { completed_investment: entryYuan.value, note: entry.note.trim() || null };
      // New photos join the month's photos (at most 9); without new ones the month keeps its own.
      if (entry.photos.length) {
        const had = ((entryMonth() || {}).photos || []).map((ph) => ph.id);
        body.photos = [...had, ...entry.photos.filter((id) => !had.includes(id))].slice(0, 9);
      }
      saving.value = true;
      try {
        await api.put(`/projects/${encodeURIComponent(props.id)}/progress/${entry.year}/${entry.month}`, body, { silent: true });
        window.ElementPlus.ElMessage({ type: 'success', grouping: true,
          message: t('projects.progressSaved', { year: entry.year, month: entry.month, amount: moneyText(body.completed_investment) }) });
        entry.photos = [];
        pickerKey.value++;
        if (entry.year !== year.value) setYear(entry.year);
        else await load();
      } catch (err) {
        const f = PROGRESS_FIELD[err.field];
        if (f && (err.status === 422 || err.status === 400)) {
          await nextTick();
          entryErrors[f] = errorMessage(err);
        } else {
          window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
        }
      } finally {
        saving.value = false;
      }
    }

    // ---- plan and stage ----
    const plan = reactive({ year: year.value, amount: '' });
    const planErrors = reactive({});
    async function savePlan() {
      clearErrors(planErrors);
      const bad = wanError(plan.amount);
      if (bad) { planErrors.amount = t(bad); return; }
      try {
        await api.put(`/projects/${encodeURIComponent(props.id)}/plans/${plan.year}`, { planned_investment: wanToYuan(plan.amount) }, { silent: true });
        window.ElementPlus.ElMessage({ type: 'success', message: t('projects.planSaved', { year: plan.year }), grouping: true });
        await load();
      } catch (err) {
        if (err.status === 422 || err.status === 400) planErrors[err.field === 'year' ? 'year' : 'amount'] = errorMessage(err);
        else window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
      }
    }
    const stageForm = reactive({ stage: '', date: '' });
    const stageErrors = reactive({});
    async function saveStage() {
      clearErrors(stageErrors);
      if (!stageForm.stage) { stageErrors.stage = t('projects.stageRequired'); return; }
      if (!stageForm.date) { stageErrors.date = t('projects.dateRequired'); return; }
      try {
        await api.put(`/projects/${encodeURIComponent(props.id)}/stage`, { stage: stageForm.stage, date: stageForm.date }, { silent: true });
        window.ElementPlus.ElMessage({ type: 'success', message: t('projects.stageSaved'), grouping: true });
        await load();
      } catch (err) {
        if (err.status === 422 || err.status === 400) stageErrors[err.field === 'stage' ? 'stage' : 'date'] = errorMessage(err);
        else window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
      }
    }

    onMounted(async () => {
      await load();
      prefill();
      const pl = planOfYear.value;
      plan.amount = pl === null ? '' : yuanToWanInput(pl);
    });

    const backToLedger = () => navigate('/projects', ledgerState.query || { year: year.value });
    const caseCategory = (c) => (c.category && typeof c.category === 'object' ? c.category.name : c.category) || t('common.none');

    return {
      icons: Icons, navigate, canWrite, p, uploading, pickerKey, PHOTO_ENDPOINT, photoSrc, state, year, setYear, progressOfYear, planOfYear, plans, timeline, reachedCount, cases, yearTotals, chartOption,
      entry, entryErrors, entryRef, touch, saving, saveProgress, prefill, entryYuan, plan, planErrors, savePlan, stageForm, stageErrors, saveStage,
      yearOptions: yearOptions(), stageOptions, STAGE_TAG, levelName, stageName, batchKindName, moneyText, wanText, yiText, pctText,
      formatTime, caseCategory, backToLedger, errorMessage, navigate,
    };
  },
  template: `
  <div class="page project-page" data-test="project-page">
    <el-card v-if="state.error" shadow="never">
      <el-result icon="warning" :title="state.error.status === 404 ? $t('projects.notFound') : $t('projects.loadFailed')" :sub-title="errorMessage(state.error)" data-test="project-error">
        <template #extra><el-button type="primary" @click="navigate('/projects')">{{ $t('projects.backToLedger') }}</el-button></template>
      </el-result>
    </el-card>
    <template v-else-if="p">
      <el-card shadow="never" class="panel">
        <template #header>
          <div class="panel__header project-head">
            <el-icon><component :is="icons.OfficeBuilding" /></el-icon>
            <span class="mono" data-test="project-code">{{ p.code }}</span>
            <span data-test="project-name">{{ p.name }}</span>
            <el-tag size="small" effect="plain" data-test="project-level">{{ levelName(p.level) }}</el-tag>
            <el-tag size="small" :type="STAGE_TAG[p.stage] || 'info'" data-test="project-stage">{{ stageName(p.stage) }}</el-tag>
            <span class="project-head__right">
              <span class="text-muted">{{ $t('projects.year') }}</span>
              <el-select :model-value="year" @update:model-value="setYear" class="filter-short" data-test="project-year">
                <el-option v-for="y in yearOptions" :key="y" :label="$t('projects.yearN', { y })" :value="y" />
              </el-select>
              <el-button v-if="canWrite" :icon="icons.Edit" @click="navigate('/projects/' + p.id + '/edit')" data-test="project-edit">{{ $t('projects.edit') }}</el-button>
              <el-button :icon="icons.Back" @click="backToLedger" data-test="back-to-ledger">{{ $t('projects.backToLedger') }}</el-button>
            </span>
          </div>
        </template>
        <el-descriptions :column="3" border class="project-desc" data-test="project-info">
          <el-descriptions-item :label="$t('projects.industry')">{{ p.industry }}</el-descriptions-item>
          <el-descriptions-item :label="$t('projects.owner')">{{ p.owner_name || $t('common.none') }}<span v-if="p.owner_credit_code" class="mono muted"> {{ p.owner_credit_code }}</span></el-descriptions-item>
          <el-descriptions-item :label="$t('projects.leader')">{{ p.leader || $t('common.none') }}</el-descriptions-item>
          <el-descriptions-item :label="$t('projects.department')">{{ (p.department && p.department.name) || $t('common.none') }}</el-descriptions-item>
          <el-descriptions-item :label="$t('projects.unitOf')"><span data-test="project-unit">{{ (p.unit && (p.unit.name || p.unit.code)) || $t('common.none') }}</span></el-descriptions-item>
          <el-descriptions-item :label="$t('projects.plannedStart')">{{ p.planned_start || $t('common.none') }}</el-descriptions-item>
          <el-descriptions-item :label="$t('projects.plannedCompletion')">{{ p.planned_completion || $t('common.none') }}</el-descriptions-item>
          <el-descriptions-item :label="$t('projects.totalInvestment')"><span data-test="project-total">{{ moneyText(p.total_investment) }}</span></el-descriptions-item>
          <el-descriptions-item :label="$t('projects.annualPlanOf', { y: year })"><span data-test="project-plan">{{ moneyText(planOfYear) }}</span></el-descriptions-item>
          <el-descriptions-item :label="$t('projects.completedOf', { y: year })"><span data-test="project-completed">{{ moneyText(yearTotals) }}</span>
            <span class="text-muted" v-if="planOfYear"> · <span data-test="project-pct">{{ pctText(p.completion_pct) }}</span></span></el-descriptions-item>
          <el-descriptions-item :label="$t('projects.batches')">
            <span data-test="project-batches">
              <el-tag v-for="b in (p.batches || [])" :key="b.batch + b.kind" size="small" effect="plain" class="role-tag batch-tag">{{ $t('projects.batchN', { n: b.batch }) }} {{ batchKindName(b.kind) }}</el-tag>
              <span v-if="!(p.batches || []).length" class="text-muted">{{ $t('common.none') }}</span>
            </span>
          </el-descriptions-item>
          <el-descriptions-item :label="$t('projects.flags')">
            <el-tag v-if="p.new_economy" size="small" type="success" class="role-tag">{{ $t('projects.newEconomy') }}</el-tag>
            <el-tag v-if="p.strategic_emerging" size="small" type="warning" class="role-tag">{{ $t('projects.strategicEmerging') }}</el-tag>
            <span v-if="!p.new_economy && !p.strategic_emerging" class="text-muted">{{ $t('common.none') }}</span>
          </el-descriptions-item>
        </el-descriptions>
        <div class="case-section-title">{{ $t('projects.stagesTitle') }}</div>
        <div class="stage-row">
          <el-steps :active="reachedCount" finish-status="success" align-center class="stage-steps" data-test="stage-timeline">
            <el-step v-for="s in timeline" :key="s.stage" :title="s.name" :description="s.date || $t('projects.notReached')" :status="s.date ? 'success' : 'wait'" :data-test="'stage-' + s.stage" />
          </el-steps>
          <el-form v-if="canWrite" :inline="true" class="stage-form" @submit.prevent="saveStage">
            <el-form-item :error="stageErrors.stage">
              <el-select v-model="stageForm.stage" :placeholder="$t('projects.stage_')" class="filter-short" data-test="stage-select">
                <el-option v-for="o in stageOptions" :key="o.value" :label="o.label" :value="o.value" />
              </el-select>
            </el-form-item>
            <el-form-item :error="stageErrors.date">
              <el-date-picker v-model="stageForm.date" type="date" value-format="YYYY-MM-DD" :placeholder="$t('projects.date')" class="filter-date" data-test="stage-date" />
            </el-form-item>
            <el-form-item><el-button native-type="submit" data-test="stage-submit">{{ $t('projects.saveStage') }}</el-button></el-form-item>
          </el-form>
        </div>
      </el-card>

      <el-row :gutter="16">
        <el-col :xs="24" :lg="16">
          <el-card shadow="never" class="panel">
            <template #header>
              <div class="panel__header"><el-icon><component :is="icons.TrendCharts" /></el-icon>{{ $t('projects.progressChart', { y: year }) }}</div>
            </template>
            <e-chart :option="chartOption" height="300px" test-id="progress-chart" />
            <el-table :data="progressOfYear" border size="small" class="progress-table" data-test="progress-table" :empty-text="$t('projects.noProgress')" header-cell-class-name="table-header">
              <el-table-column :label="$t('projects.month')" width="80" align="center">
                <template #default="{ row }">{{ $t('projects.monthN', { m: row.month }) }}</template>
              </el-table-column>
              <el-table-column :label="$t('projects.monthCompleted') + '(' + $t('projects.unitWan') + ')'" width="150" align="right">
                <template #default="{ row }"><span class="num" data-test="progress-cell-amount">{{ wanText(row.completed_investment) }}</span></template>
              </el-table-column>
              <el-table-column :label="$t('projects.cumulative') + '(' + $t('projects.unitWan') + ')'" width="150" align="right">
                <template #default="{ row }"><span class="num">{{ wanText(row.cumulative) }}</span></template>
              </el-table-column>
              <el-table-column :label="$t('projects.note')" min-width="140" show-overflow-tooltip>
                <template #default="{ row }">{{ row.note || $t('common.none') }}</template>
              </el-table-column>
              <el-table-column :label="$t('projects.photos')" width="104">
                <template #default="{ row }">
                  <div class="progress-photos" data-test="progress-photos">
                    <el-image v-for="(ph, i) in (row.photos || [])" :key="ph.id" :src="photoSrc(ph)" fit="cover" class="progress-photos__img"
                      :preview-src-list="(row.photos || []).map(photoSrc)" :initial-index="i" preview-teleported :data-id="ph.id" />
                    <span v-if="!(row.photos || []).length" class="muted">{{ $t('common.none') }}</span>
                  </div>
                </template>
              </el-table-column>
              <el-table-column :label="$t('projects.updatedAt')" width="160" align="center">
                <template #default="{ row }">{{ formatTime(row.updated_at).slice(0, 16) }}</template>
              </el-table-column>
            </el-table>
          </el-card>
        </el-col>
        <el-col :xs="24" :lg="8">
          <el-card v-if="canWrite" shadow="never" class="panel" data-test="progress-form-card">
            <template #header>
              <div class="panel__header"><el-icon><component :is="icons.EditPen" /></el-icon>{{ $t('projects.entryTitle') }}</div>
            </template>
            <el-form ref="entryRef" :model="entry" label-width="auto" label-position="top" class="progress-form" @submit.prevent="saveProgress" data-test="progress-form">
              <el-row :gutter="12">
                <el-col :span="12">
                  <el-form-item :label="$t('projects.year')" :error="entryErrors.year">
                    <el-select v-model="entry.year" class="w-full" data-test="progress-year" @change="prefill">
                      <el-option v-for="y in yearOptions" :key="y" :label="$t('projects.yearN', { y })" :value="y" />
                    </el-select>
                  </el-form-item>
                </el-col>
                <el-col :span="12">
                  <el-form-item :label="$t('projects.month')" :error="entryErrors.month" data-test="progress-month-item">
                    <el-select v-model="entry.month" class="w-full" data-test="progress-month" @change="prefill">
                      <el-option v-for="m in 12" :key="m" :label="$t('projects.monthN', { m })" :value="m" :data-test="'pmonth-option-' + m" />
                    </el-select>
                  </el-form-item>
                </el-col>
              </el-row>
              <el-form-item :label="$t('projects.monthCompleted')" :error="entryErrors.amount" data-test="progress-amount-item">
                <el-input v-model="entry.amount" inputmode="decimal" :placeholder="$t('projects.amountPlaceholder')" data-test="progress-amount" @input="touch('amount')">
                  <template #append>{{ $t('projects.unitWan') }}</template>
                </el-input>
                <div class="form-tip" v-if="entryYuan !== null" data-test="progress-yuan">= {{ entryYuan.toLocaleString('zh-CN') }} {{ $t('projects.yuan') }}</div>
              </el-form-item>
              <el-form-item :label="$t('projects.note')" :error="entryErrors.note">
                <el-input v-model="entry.note" type="textarea" :rows="3" maxlength="500" show-word-limit :placeholder="$t('projects.notePlaceholder')" data-test="progress-note" />
              </el-form-item>
              <el-form-item :label="$t('projects.photos')" :error="entryErrors.photos" data-test="progress-photos-item">
                <photo-picker :key="pickerKey" v-model="entry.photos" v-model:busy="uploading" :endpoint="PHOTO_ENDPOINT" size="small" test-id="progress-photos-picker"
                  @update:model-value="touch('photos')" />
              </el-form-item>
              <el-button type="primary" native-type="submit" :loading="saving" :icon="icons.Check" data-test="progress-submit">{{ $t('projects.saveProgress') }}</el-button>
            </el-form>
          </el-card>

        </el-col>
      </el-row>

      <el-row :gutter="16">
        <el-col :xs="24" :lg="10">
          <el-card shadow="never" class="panel">
            <template #header>
              <div class="panel__header"><el-icon><component :is="icons.Calendar" /></el-icon>{{ $t('projects.plansTitle') }}</div>
            </template>
            <el-table :data="plans" border size="small" data-test="plans-table" :empty-text="$t('projects.noPlans')" header-cell-class-name="table-header">
              <el-table-column :label="$t('projects.year')" width="100" align="center">
                <template #default="{ row }">{{ $t('projects.yearN', { y: row.year }) }}</template>
              </el-table-column>
              <el-table-column :label="$t('projects.annualPlan') + '(' + $t('projects.unitWan') + ')'" align="right">
                <template #default="{ row }"><span class="num">{{ wanText(row.planned_investment) }}</span></template>
              </el-table-column>
            </el-table>
            <el-form v-if="canWrite" :inline="true" class="stage-form" @submit.prevent="savePlan">
              <el-form-item :error="planErrors.year">
                <el-select v-model="plan.year" class="filter-short" data-test="plan-year">
                  <el-option v-for="y in yearOptions" :key="y" :label="$t('projects.yearN', { y })" :value="y" />
                </el-select>
              </el-form-item>
              <el-form-item :error="planErrors.amount">
                <el-input v-model="plan.amount" inputmode="decimal" :placeholder="$t('projects.amountPlaceholder')" class="filter-input" data-test="plan-amount">
                  <template #append>{{ $t('projects.unitWan') }}</template>
                </el-input>
              </el-form-item>
              <el-form-item><el-button native-type="submit" data-test="plan-submit">{{ $t('projects.savePlan') }}</el-button></el-form-item>
            </el-form>
          </el-card>
        </el-col>
        <el-col :xs="24" :lg="14">
          <el-card shadow="never" class="panel">
            <template #header>
              <div class="panel__header"><el-icon><component :is="icons.Warning" /></el-icon>{{ $t('projects.casesTitle') }}
                <span class="panel__sub">{{ $t('projects.casesIntro') }}</span>
                <el-button v-if="p" class="panel__action" type="primary" plain size="small" :icon="icons.DocumentAdd" data-test="project-report-problem"
                  @click="navigate('/cases/new', { source: 'project', project: p.id })">{{ $t('projects.reportProblem') }}</el-button></div>
            </template>
            <el-table :data="cases" border size="small" data-test="project-cases" :empty-text="$t('projects.noCases')" header-cell-class-name="table-header">
              <el-table-column :label="$t('cases.number')" width="160">
                <template #default="{ row }"><a class="case-number-link" :href="'#/cases/' + row.id" data-test="project-case-link">{{ row.number }}</a></template>
              </el-table-column>
              <el-table-column :label="$t('cases.category')" min-width="120" show-overflow-tooltip>
                <template #default="{ row }">{{ caseCategory(row) }}</template>
              </el-table-column>
              <el-table-column :label="$t('cases.status_')" width="110" align="center">
                <template #default="{ row }"><status-tag :status="row.status" size="small" />
                  <el-tag v-if="row.overdue" type="danger" effect="dark" size="small" class="role-tag">{{ $t('cases.overdue') }}</el-tag></template>
              </el-table-column>
              <el-table-column :label="$t('cases.createdAt')" width="150" align="center">
                <template #default="{ row }">{{ formatTime(row.created_at).slice(0, 16) }}</template>
              </el-table-column>
            </el-table>
          </el-card>
        </el-col>
      </el-row>
    </template>
    <el-card v-else shadow="never" v-loading="state.loading" class="project-loading" />
  </div>
  `,
};
