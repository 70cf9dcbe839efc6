// 新建项目 (leaders and admins): POST /projects. The form checks what it can
// before sending: the code (1–32 of A–Z, 0–9 and -), the name, the amounts
// (万元 with at most 4 decimals, sent as integer 元), the owner's unified social
// credit code (18 characters with its GB 32100 check character) and the
// planned dates in order; the server's 409 (a duplicate code) and 422 show
// under the field they name. The same page edits a project (#/projects/:id/edit):
// it is filled from GET /projects/{id} and sends only what changed with PATCH
// and the version read (a stale version, someone else's edit, is 409).
import { t, i18n } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { navigate } from '../router.js';
import { departments, loadDepartments } from '../departments.js';
import { MiniMap } from '../minimap.js';
import { STYLE } from './map.js';
import {
  levelOptions, batchKindOptions, CODE_RE, creditCodeValid, wanToYuan, wanError, moneyText, yuanToWanInput,
} from '../projects-common.js';

const { reactive, ref, computed, markRaw, nextTick, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

const EMPTY = () => ({
  code: '', name: '', level: 'city', industry: '', total_investment: '', owner_name: '', owner_credit_code: '',
  planned_start: '', planned_completion: '', leader: '', department: '', new_economy: false, strategic_emerging: false,
  batches: [], point: null,
});
const FIELDS = ['code', 'name', 'level', 'industry', 'total_investment', 'owner_name', 'owner_credit_code', 'planned_start',
  'planned_completion', 'leader', 'department', 'new_economy', 'strategic_emerging', 'batches', 'lat'];

export default {
  name: 'ProjectNewPage',
  components: { MiniMap },
  props: { id: { type: String, default: '' } },
  setup(props) {
    const editing = !!props.id;
    const loaded = ref(null); // the project as read, when editing
    const formRef = ref(null);
    const form = reactive(EMPTY());
    const serverErrors = reactive({});
    const saving = ref(false);

    const rules = computed(() => {
      void i18n.lang;
      const v = (fn) => ({ validator: (r, value, cb) => { const m = fn(value); return m ? cb(new Error(m)) : cb(); }, trigger: 'blur' });
      return {
        code: [{ required: true, ...v((s) => (!s.trim() ? t('projects.codeRequired') : CODE_RE.test(s.trim()) ? '' : t('projects.codeFormat'))) }],
        name: [{ required: true, whitespace: true, message: t('projects.nameRequired'), trigger: 'blur' }, { max: 100, message: t('projects.nameLong'), trigger: 'blur' }],
        level: [{ required: true, message: t('projects.levelRequired'), trigger: 'change' }],
        industry: [{ required: true, whitespace: true, message: t('projects.industryRequired'), trigger: 'blur' }],
        total_investment: [{ required: true, ...v((s) => { const k = wanError(s); return k ? t(k) : ''; }) }],
        owner_credit_code: [v((s) => (!s.trim() || creditCodeValid(s.trim().toUpperCase()) ? '' : t('projects.creditCodeInvalid')))],
        planned_completion: [{ validator: (r, value, cb) => (value && form.planned_start && value < form.planned_start
          ? cb(new Error(t('projects.completionBeforeStart'))) : cb()), trigger: 'change' }],
      };
    });
    const totalYuan = computed(() => wanToYuan(form.total_investment));

    // The zone's outlines under the map (no tiles are needed to find a place).
    const outlines = ref([]);
    function loadOutlines() {
      Promise.all(['community', 'street', 'zone'].map((level) => api.get('/map/features', { query: { level }, silent: true })
        .then((data) => ({ data: markRaw(data), style: { ...STYLE[level], fill: false } }))
        .catch(() => null)))
        .then((list) => { outlines.value = list.filter(Boolean); });
    }
    function onPick(pt) { form.point = { lat: pt.lat, lon: pt.lon }; delete serverErrors.lat; }
    function clearPoint() { form.point = null; delete serverErrors.lat; }

    function fieldError(f) {
      const e = serverErrors[f];
      return e ? errorMessage(e) : '';
    }
    function touched(f) { delete serverErrors[f]; }
    function addBatch() { form.batches.push({ batch: 1, kind: 'signed' }); }
    function removeBatch(i) { form.batches.splice(i, 1); }

    async function submit() {
      if (saving.value) return;
      for (const k of Object.keys(serverErrors)) delete serverErrors[k];
      try {
        await formRef.value.validate();
      } catch {
        return;
      }
      if (editing) return saveEdit();
      const body = {
        code: form.code.trim(), name: form.name.trim(), level: form.level, industry: form.industry.trim(),
        total_investment: totalYuan.value, new_economy: form.new_economy, strategic_emerging: form.strategic_emerging,
      };
      if (form.owner_name.trim()) body.owner_name = form.owner_name.trim();
      if (form.owner_credit_code.trim()) body.owner_credit_code = form.owner_credit_code.trim().toUpperCase();
      if (form.planned_start) body.planned_start = form.planned_start;
      if (form.planned_completion) body.planned_completion = form.planned_completion;
      if (form.leader.trim()) body.leader = form.leader.trim();
      if (form.department) body.department = form.department;
      if (form.batches.length) body.batches = form.batches.map((b) => ({ batch: b.batch, kind: b.kind }));
      if (form.point) Object.assign(body, { lat: form.point.lat, lon: form.point.lon, crs: 'wgs84' });
      saving.value = true;
      try {
        const r = await api.post('/projects', body, { silent: true });
        window.ElementPlus.ElMessage({ type: 'success', message: t('projects.created', { code: body.code }), grouping: true });
        navigate(`/projects/${r.id}`);
      } catch (err) {
        if (FIELDS.includes(err.field) && [400, 409, 422].includes(err.status)) {
          await nextTick();
          serverErrors[err.field] = err;
        } else {
          window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
        }
      } finally {
        saving.value = false;
      }
    }
    // Editing: the form from the project as read; PATCH sends what changed (null clears).
    function fill(p) {
      loaded.value = p;
      Object.assign(form, EMPTY(), {
        code: p.code, name: p.name, level: p.level, industry: p.industry || '', total_investment: yuanToWanInput(p.total_investment),
        owner_name: p.owner_name || '', owner_credit_code: p.owner_credit_code || '', planned_start: p.planned_start || '',
        planned_completion: p.planned_completion || '', leader: p.leader || '', department: p.department ? p.department.id : '',
        new_economy: !!p.new_economy, strategic_emerging: !!p.strategic_emerging,
        point: p.location ? { lat: p.location.lat, lon: p.location.lon } : null,
      });
    }
    async function loadProject() {
      try {
        fill(await api.get(`/projects/${encodeURIComponent(props.id)}`, { silent: true }));
      } catch (err) {
        window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
      }
    }
    async function saveEdit() {
      const p = loaded.value;
      if (!p) return;
      const now = {
        name: form.name.trim(), level: form.level, industry: form.industry.trim(), total_investment: totalYuan.value,
        owner_name: form.owner_name.trim() || null, owner_credit_code: form.owner_credit_code.trim().toUpperCase() || null,
        planned_start: form.planned_start || null, planned_completion: form.planned_completion || null,
        leader: form.leader.trim() || null, department: form.department || null,
        new_economy: form.new_economy, strategic_emerging: form.strategic_emerging,
      };
      const was = {
        name: p.name, level: p.level, industry: p.industry, total_investment: p.total_investment, owner_name: p.owner_name || null,
        owner_credit_code: p.owner_credit_code || null, planned_start: p.planned_start || null,
        planned_completion: p.planned_completion || null, leader: p.leader || null,
        department: p.department ? p.department.id : null, new_economy: !!p.new_economy, strategic_emerging: !!p.strategic_emerging,
      };
      const body = { version: p.version };
      for (const k of Object.keys(now)) if (now[k] !== was[k]) body[k] = now[k];
      const wasPoint = p.location ? `${p.location.lat},${p.location.lon}` : '';
      const nowPoint = form.point ? `${form.point.lat},${form.point.lon}` : '';
      if (wasPoint !== nowPoint) {
        Object.assign(body, form.point ? { lat: form.point.lat, lon: form.point.lon, crs: 'wgs84' } : { lat: null, lon: null });
      }
      if (Object.keys(body).length === 1) { navigate(`/projects/${p.id}`); return; }
      saving.value = true;
      try {
        await api.patch(`/projects/${encodeURIComponent(props.id)}`, body, { silent: true });
        window.ElementPlus.ElMessage({ type: 'success', message: t('projects.saved', { code: p.code }), grouping: true });
        navigate(`/projects/${p.id}`);
      } catch (err) {
        if (err.status === 409) {
          window.ElementPlus.ElMessage({ type: 'warning', message: t('projects.staleEdit'), grouping: true, showClose: true });
          await loadProject();
        } else if (FIELDS.includes(err.field) && [400, 422].includes(err.status)) {
          await nextTick();
          serverErrors[err.field] = err;
        } else {
          window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
        }
      } finally {
        saving.value = false;
      }
    }

    function reset() {
      if (editing) {
        if (loaded.value) fill(loaded.value);
        for (const k of Object.keys(serverErrors)) delete serverErrors[k];
        nextTick(() => formRef.value && formRef.value.clearValidate());
        return;
      }
      Object.assign(form, EMPTY());
      for (const k of Object.keys(serverErrors)) delete serverErrors[k];
      nextTick(() => formRef.value && formRef.value.clearValidate());
    }

    onMounted(() => {
      loadDepartments();
      loadOutlines();
      if (editing) loadProject();
    });

    return {
      icons: Icons, formRef, form, rules, saving, submit, reset, fieldError, touched, totalYuan, addBatch, removeBatch,
      levelOptions, batchKindOptions, departments, moneyText, navigate, editing, loaded, onPick, clearPoint, outlines,
    };
  },
  template: `
  <div class="page project-new-page" data-test="project-new">
    <el-card shadow="never" class="panel">
      <template #header>
        <div class="panel__header"><el-icon><component :is="icons.DocumentAdd" /></el-icon>{{ editing ? $t('projects.editTitle') : $t('projects.createTitle') }}
          <span class="panel__sub">{{ editing ? $t('projects.editIntro') : $t('projects.createIntro') }}</span></div>
      </template>
      <el-form ref="formRef" :model="form" :rules="rules" label-width="auto" label-position="top" class="project-form" @submit.prevent="submit">
        <el-row :gutter="20">
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.code')" prop="code" :error="fieldError('code')">
              <el-input v-model="form.code" maxlength="32" :placeholder="$t('projects.codePlaceholder')" data-test="new-code" :disabled="editing" @input="touched('code')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="16">
            <el-form-item :label="$t('projects.name')" prop="name" :error="fieldError('name')">
              <el-input v-model="form.name" maxlength="100" data-test="new-name" @input="touched('name')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.level_')" prop="level" :error="fieldError('level')">
              <el-select v-model="form.level" class="w-full" data-test="new-level">
                <el-option v-for="o in levelOptions" :key="o.value" :label="o.label" :value="o.value" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.industry')" prop="industry" :error="fieldError('industry')">
              <el-input v-model="form.industry" maxlength="32" :placeholder="$t('projects.industryPlaceholder')" data-test="new-industry" @input="touched('industry')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.totalInvestment')" prop="total_investment" :error="fieldError('total_investment')">
              <el-input v-model="form.total_investment" inputmode="decimal" :placeholder="$t('projects.amountPlaceholder')" data-test="new-total" @input="touched('total_investment')">
                <template #append>{{ $t('projects.unitWan') }}</template>
              </el-input>
              <div class="form-tip" v-if="totalYuan !== null" data-test="new-total-text">{{ moneyText(totalYuan) }}</div>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.owner')" :error="fieldError('owner_name')">
              <el-input v-model="form.owner_name" maxlength="100" data-test="new-owner" @input="touched('owner_name')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.creditCode')" prop="owner_credit_code" :error="fieldError('owner_credit_code')">
              <el-input v-model="form.owner_credit_code" maxlength="18" class="mono" :placeholder="$t('projects.creditCodePlaceholder')" data-test="new-credit" @input="touched('owner_credit_code')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.leader')" :error="fieldError('leader')">
              <el-input v-model="form.leader" maxlength="32" data-test="new-leader" @input="touched('leader')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.department')" :error="fieldError('department')">
              <el-select v-model="form.department" clearable filterable class="w-full" data-test="new-department" @change="touched('department')">
                <el-option v-for="d in departments.items" :key="d.id" :label="d.name" :value="d.id" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.plannedStart')" :error="fieldError('planned_start')">
              <el-date-picker v-model="form.planned_start" type="date" value-format="YYYY-MM-DD" class="w-full" data-test="new-start" @change="touched('planned_start')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.plannedCompletion')" prop="planned_completion" :error="fieldError('planned_completion')">
              <el-date-picker v-model="form.planned_completion" type="date" value-format="YYYY-MM-DD" class="w-full" data-test="new-completion" @change="touched('planned_completion')" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item :label="$t('projects.flags')">
              <el-checkbox v-model="form.new_economy" data-test="new-new-economy">{{ $t('projects.newEconomy') }}</el-checkbox>
              <el-checkbox v-model="form.strategic_emerging" data-test="new-strategic">{{ $t('projects.strategicEmerging') }}</el-checkbox>
            </el-form-item>
          </el-col>
          <el-col :span="24">
            <el-form-item :label="$t('projects.location')" :error="fieldError('lat')" data-test="project-point-item">
              <div class="w-full">
                <div class="form-tip" data-test="project-point">
                  <template v-if="form.point"><span class="mono">{{ form.point.lon.toFixed(6) }}, {{ form.point.lat.toFixed(6) }}</span> WGS-84
                    <el-button link type="primary" @click="clearPoint">{{ $t('cases.clear') }}</el-button></template>
                  <template v-else>{{ $t('projects.locationHint') }}</template>
                </div>
                <div class="project-form__map"><mini-map :point="form.point" :outlines="outlines" pickable expose-as="__zgProjectMap" test-id="project-map" @pick="onPick" /></div>
              </div>
            </el-form-item>
          </el-col>
          <el-col :span="24" v-if="!editing">
            <el-form-item :label="$t('projects.batches')" :error="fieldError('batches')">
              <div class="batch-rows">
                <div v-for="(b, i) in form.batches" :key="i" class="batch-row">
                  <span>{{ $t('projects.batchPrefix') }}</span>
                  <el-input-number v-model="b.batch" :min="1" :max="1000" size="small" />
                  <span>{{ $t('projects.batchSuffix') }}</span>
                  <el-select v-model="b.kind" size="small" class="filter-short">
                    <el-option v-for="o in batchKindOptions" :key="o.value" :label="o.label" :value="o.value" />
                  </el-select>
                  <el-button link type="danger" :icon="icons.Delete" @click="removeBatch(i)">{{ $t('projects.remove') }}</el-button>
                </div>
                <el-button size="small" :icon="icons.Plus" @click="addBatch" data-test="new-add-batch">{{ $t('projects.addBatch') }}</el-button>
              </div>
            </el-form-item>
          </el-col>
        </el-row>
        <el-button type="primary" native-type="submit" :loading="saving" :icon="icons.Check" data-test="new-submit">{{ editing ? $t('projects.saveEdit') : $t('projects.createSubmit') }}</el-button>
        <el-button @click="reset" data-test="new-reset">{{ $t('projects.reset') }}</el-button>
        <el-button link @click="navigate(editing ? '/projects/' + id : '/projects')">{{ editing ? $t('projects.backToProject') : $t('projects.backToLedger') }}</el-button>
      </el-form>
    </el-card>
  </div>
  `,
};
