// 新建事件: staff file a case (POST /cases). Category 大类 → 小类, description,
// the point clicked on a small map (WGS-84; GET /locate names the grid), the
// source, an optional reporter phone, anonymous, and up to 9 photos (each
// uploaded to POST /photos as soon as it is picked; the report carries their
// ids). One Idempotency-Key per form: a double click or a retry files the
// case once. The server's field errors show under their fields. A problem of
// a key project (source project) names its project, picked by code or name
// (#/cases/new?source=project&project=ID comes from the project page).
import { t, i18n } from '../i18n.js';
import { api, errorMessage, API_BASE } from '../api.js';
import { session } from '../session.js';
import { navigate, route } from '../router.js';
import { MiniMap } from '../minimap.js';
import { STYLE, levelName } from './map.js';
import { STAFF_SOURCES, sourceName, categories, loadCategories, newIdempotencyKey } from '../cases-common.js';
import { PhotoPicker } from '../photo-picker.js';

const { reactive, ref, computed, markRaw, nextTick, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

const OUTLINE_LEVELS = ['grid', 'community', 'street', 'zone']; // drawn bottom to top

function defaultSource(user) {
  const roles = (user && user.roles) || [];
  if (roles.includes('grid_worker') || roles.includes('grid_leader')) return 'grid_patrol';
  if (roles.includes('supervisor')) return 'supervisor';
  if (roles.includes('dispatcher')) return 'hotline';
  return '';
}

const EMPTY = () => ({
  category: '', description: '', source: defaultSource(session.user), phone: '', anonymous: false, point: null, photos: [],
  project: null,
});

const PHOTO_ENDPOINT = `${API_BASE}/photos`;

// Server field → form field.
const FIELD_OF = { lat: 'point', lon: 'point', crs: 'point', category: 'category', description: 'description',
  source: 'source', phone: 'phone', anonymous: 'anonymous', photos: 'photos', project: 'project' };

export default {
  name: 'CaseNewPage',
  components: { MiniMap, PhotoPicker },
  setup() {
    const formRef = ref(null);
    const form = reactive(EMPTY());
    const serverErrors = reactive({});
    const saving = ref(false);
    const uploading = ref(false);
    const pickerKey = ref(0);
    let key = newIdempotencyKey();
    const outlines = ref([]);
    const tiles = ref(null);
    const located = reactive({ loading: false, units: [], error: null });

    const rules = computed(() => {
      void i18n.lang;
      return {
        category: [{ required: true, message: t('cases.categoryRequired'), trigger: 'change' }],
        description: [{ required: true, whitespace: true, message: t('cases.descriptionRequired'), trigger: 'blur' }],
        source: [{ required: true, message: t('cases.sourceRequired'), trigger: 'change' }],
        phone: [{ pattern: /^1\d{10}$/, message: t('cases.phoneFormat'), trigger: 'blur' }],
        point: [{ validator: (r, v, cb) => (v ? cb() : cb(new Error(t('cases.pointRequired')))), trigger: 'change' }],
        project: [{ validator: (r, v, cb) => (form.source !== 'project' || v ? cb() : cb(new Error(t('cases.projectRequired')))),
          trigger: 'change' }],
      };
    });

    const category = computed(() => categories.byCode[form.category] || null);
    const routeText = computed(() => {
      void i18n.lang;
      const c = category.value;
      if (!c) return '';
      if (c.handled_by === 'grid') return t('cases.routeGrid');
      return t('cases.routeDept', { name: (c.department && c.department.name) || '' });
    });
    const sourceOptions = computed(() => { void i18n.lang; return STAFF_SOURCES.map((s) => ({ value: s, label: sourceName(s) })); });
    const cascaderProps = { expandTrigger: 'hover', emitPath: false };

    // Key projects for the picker (source project): searched on the server by code or name.
    const projectOptions = ref([]);
    const projectsLoading = ref(false);
    let projectSeq = 0;
    async function searchProjects(q) {
      const mine = ++projectSeq;
      projectsLoading.value = true;
      try {
        const data = await api.get('/projects', { query: { q: q || '', per_page: 20, sort: 'code' }, silent: true });
        if (mine === projectSeq) projectOptions.value = (data.items || []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));
      } catch {
        if (mine === projectSeq) projectOptions.value = [];
      } finally {
        if (mine === projectSeq) projectsLoading.value = false;
      }
    }

    function fieldError(f) {
      const e = serverErrors[f];
      return e ? errorMessage(e) : '';
    }
    function touched(f) { delete serverErrors[f]; }

    let seq = 0;
    async function onPick(p) {
      form.point = { lat: p.lat, lon: p.lon };
      touched('point');
      if (formRef.value) formRef.value.validateField('point').catch(() => {});
      const mine = ++seq;
      Object.assign(located, { loading: true, units: [], error: null });
      try {
        const data = await api.get('/locate', { query: { lat: p.lat.toFixed(7), lon: p.lon.toFixed(7) }, silent: true });
        if (mine === seq) located.units = (data && data.units) || [];
      } catch (err) {
        if (mine === seq) located.error = err;
      } finally {
        if (mine === seq) located.loading = false;
      }
    }
    function clearPoint() {
      ++seq;
      form.point = null;
      Object.assign(located, { loading: false, units: [], error: null });
    }

    async function submit() {
      if (saving.value) return;
      try {
        await formRef.value.validate();
      } catch {
        return;
      }
      if (uploading.value) {
        window.ElementPlus.ElMessage({ type: 'warning', message: t('photos.uploading'), grouping: true });
        return;
      }
      saving.value = true;
      for (const k of Object.keys(serverErrors)) delete serverErrors[k];
      const body = {
        category: form.category,
        description: form.description.trim(),
        lat: form.point.lat,
        lon: form.point.lon,
        crs: 'wgs84',
        source: form.source,
        anonymous: form.anonymous,
      };
      if (form.phone) body.phone = form.phone;
      if (form.photos.length) body.photos = form.photos.slice();
      if (form.source === 'project' && form.project) body.project = form.project;
      try {
        const c = await api.post('/cases', body, { headers: { 'Idempotency-Key': key }, silent: true });
        key = newIdempotencyKey();
        window.ElementPlus.ElMessage({ type: 'success', message: t('cases.created', { number: c.number }), grouping: true });
        navigate(`/cases/${c.id}`);
      } catch (err) {
        const f = FIELD_OF[err.field];
        if (f && (err.status === 422 || err.status === 400)) {
          await nextTick();
          serverErrors[f] = err;
        } else {
          window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
        }
      } finally {
        saving.value = false;
      }
    }

    function reset() {
      Object.assign(form, EMPTY());
      pickerKey.value++;       // a fresh photo picker
      for (const k of Object.keys(serverErrors)) delete serverErrors[k];
      clearPoint();
      key = newIdempotencyKey();
      nextTick(() => formRef.value && formRef.value.clearValidate());
    }

    onMounted(() => {
      loadCategories();
      if (route.query.source === 'project') {
        form.source = 'project';
        const id = Number(route.query.project);
        if (Number.isInteger(id) && id > 0) {
          form.project = id;
          api.get(`/projects/${id}`, { silent: true })
            .then((p) => { projectOptions.value = [{ value: p.id, label: `${p.code} ${p.name}` }]; })
            .catch(() => { form.project = null; });
        }
      }
      api.get('/settings', { silent: true }).then((s) => {
        if (s && s.map && s.map.tile_url) tiles.value = { url: s.map.tile_url, attribution: s.map.tile_attribution };
      }).catch(() => {});
      Promise.all(OUTLINE_LEVELS.map((level) => api.get('/map/features', { query: { level }, silent: true })
        .then((data) => ({ data: markRaw(data), style: { ...STYLE[level], fill: false } }))
        .catch(() => null)))
        .then((list) => { outlines.value = list.filter(Boolean); });
    });

    const locatedGrid = computed(() => located.units.find((u) => u.level === 'grid') || located.units[0] || null);
    const chainText = computed(() => located.units.slice().reverse().filter((u) => u.level !== 'zone').map((u) => u.name).join(' / '));

    return {
      icons: Icons, formRef, form, rules, saving, submit, reset, fieldError, touched, categories, category, routeText,
      sourceOptions, cascaderProps, onPick, clearPoint, outlines, tiles, located, locatedGrid, chainText, levelName,
      errorMessage, navigate, uploading, pickerKey, PHOTO_ENDPOINT, projectOptions, projectsLoading, searchProjects,
    };
  },
  template: `
  <div class="page case-new-page" data-test="case-new">
    <el-card shadow="never" class="panel">
      <template #header>
        <div class="panel__header"><el-icon><component :is="icons.DocumentAdd" /></el-icon>{{ $t('cases.createTitle') }}
          <span class="panel__sub">{{ $t('cases.createIntro') }}</span></div>
      </template>
      <el-row :gutter="24">
        <el-col :xs="24" :lg="10">
          <el-form ref="formRef" :model="form" :rules="rules" label-width="auto" label-position="top" class="case-new-form"
            @submit.prevent="submit" :validate-on-rule-change="false">
            <el-form-item :label="$t('cases.category')" prop="category" :error="fieldError('category')">
              <div class="w-full" data-test="new-category">
                <el-cascader v-model="form.category" :options="categories.tree" :props="cascaderProps" filterable clearable
                  :placeholder="$t('cases.categoryHint')" class="w-full" popper-class="case-cascader" @change="touched('category')" />
              </div>
              <div v-if="category" class="form-tip" data-test="new-category-route">
                <el-icon><component :is="icons.Guide" /></el-icon>{{ routeText }}
                <el-tag v-if="category.auto_accept" size="small" type="success" effect="plain" class="form-tip__tag">{{ $t('cases.autoAccept') }}</el-tag>
              </div>
            </el-form-item>
            <el-form-item :label="$t('cases.description')" prop="description" :error="fieldError('description')">
              <el-input v-model="form.description" type="textarea" :rows="5" maxlength="2000" show-word-limit
                :placeholder="$t('cases.descriptionPlaceholder')" data-test="new-description" @input="touched('description')" />
            </el-form-item>
            <el-form-item :label="$t('cases.photos')" prop="photos" :error="fieldError('photos')" data-test="new-photos-item">
              <photo-picker :key="pickerKey" v-model="form.photos" v-model:busy="uploading" :endpoint="PHOTO_ENDPOINT" test-id="new-photos"
                @update:model-value="touched('photos')" />
            </el-form-item>
            <el-form-item :label="$t('cases.point')" prop="point" :error="fieldError('point')" class="case-new-point" required data-test="new-point-item">
              <div class="point-box" data-test="new-point">
                <template v-if="form.point">
                  <span class="point-box__coords mono">{{ form.point.lon.toFixed(6) }}, {{ form.point.lat.toFixed(6) }}</span>
                  <span class="point-box__crs">WGS-84</span>
                  <span v-if="located.loading" class="point-box__unit"><el-icon class="is-loading"><component :is="icons.Loading" /></el-icon></span>
                  <span v-else-if="locatedGrid" class="point-box__unit" data-test="new-point-grid"><span class="zg-level" :class="'zg-level--' + locatedGrid.level">{{ levelName(locatedGrid.level) }}</span>{{ chainText }}</span>
                  <span v-else-if="located.error" class="point-box__warn" data-test="new-point-outside"><el-icon><component :is="icons.WarningFilled" /></el-icon>{{ located.error.code === 'outside_zone' ? $t('cases.pointOutside') : errorMessage(located.error) }}</span>
                  <el-button link type="primary" class="point-box__clear" @click="clearPoint">{{ $t('cases.clear') }}</el-button>
                </template>
                <span v-else class="point-box__hint"><el-icon><component :is="icons.Pointer" /></el-icon>{{ $t('cases.pointHint') }}</span>
              </div>
            </el-form-item>
            <el-row :gutter="16">
              <el-col :span="12">
                <el-form-item :label="$t('cases.source_')" prop="source" :error="fieldError('source')">
                  <el-select v-model="form.source" class="w-full" :placeholder="$t('cases.selectPlaceholder')" data-test="new-source" @change="touched('source')">
                    <el-option v-for="o in sourceOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'source-option-' + o.value" />
                  </el-select>
                </el-form-item>
              </el-col>
              <el-col :span="12">
                <el-form-item :label="$t('cases.phone')" prop="phone" :error="fieldError('phone')">
                  <el-input v-model="form.phone" maxlength="11" :placeholder="$t('cases.phonePlaceholder')" data-test="new-phone" @input="touched('phone')" />
                </el-form-item>
              </el-col>
            </el-row>
            <el-form-item v-if="form.source === 'project'" :label="$t('cases.project')" prop="project" :error="fieldError('project')">
              <el-select v-model="form.project" filterable remote :remote-method="searchProjects" :loading="projectsLoading"
                class="w-full" :placeholder="$t('cases.projectHint')" data-test="new-project" @focus="searchProjects('')"
                @change="touched('project')">
                <el-option v-for="o in projectOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'project-option-' + o.value" />
              </el-select>
            </el-form-item>
            <el-form-item :label="$t('cases.anonymousLabel')" prop="anonymous" :error="fieldError('anonymous')">
              <el-switch v-model="form.anonymous" data-test="new-anonymous" />
              <span class="form-tip form-tip--inline">{{ $t('cases.anonymousHint') }}</span>
            </el-form-item>
            <div class="case-new-buttons">
              <el-button type="primary" :icon="icons.Select" :loading="saving" @click="submit" data-test="new-submit">{{ $t('cases.submitCreate') }}</el-button>
              <el-button :icon="icons.RefreshLeft" @click="reset" data-test="new-reset">{{ $t('cases.reset') }}</el-button>
            </div>
          </el-form>
        </el-col>
        <el-col :xs="24" :lg="14">
          <div class="case-new-map">
            <mini-map :point="form.point" :outlines="outlines" :tiles="tiles" pickable expose-as="__zgCaseMap" test-id="new-map" @pick="onPick" />
            <div class="case-new-map__hint"><el-icon><component :is="icons.Pointer" /></el-icon>{{ $t('cases.pointHint') }}</div>
          </div>
        </el-col>
      </el-row>
    </el-card>
  </div>
  `,
};
