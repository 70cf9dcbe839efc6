// 系统管理 → 用户管理 (admin only): paged list with search, new / edit user dialog,
// disable / enable.
import { t, i18n, ROLES, roleName } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { session } from '../session.js';
import { RoleTags, formatTime, scopeText } from '../widgets.js';
import { departments, loadDepartments } from '../departments.js';

const { reactive, ref, computed, nextTick, markRaw, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });
const { ElMessage, ElMessageBox } = window.ElementPlus;

// The same rules as the server (src/users.c).
const USERNAME_RE = /^[a-z0-9][a-z0-9_.-]{2,31}$/;
const PHONE_RE = /^1\d{10}$/;
const UNIT_RE = /^\d{1,32}$/;
const FORM_FIELDS = ['username', 'name', 'password', 'roles', 'phone', 'unit', 'department'];

// Server field name → form field.
function formField(field) {
  if (!field) return null;
  const f = String(field).replace(/^user\./, '');
  if (f === 'scope.unit' || f === 'unit' || f === 'scope_unit') return 'unit';
  if (f === 'scope.department' || f === 'department' || f === 'scope_department') return 'department';
  if (f.startsWith('roles')) return 'roles';
  return FORM_FIELDS.includes(f) ? f : null;
}

function emptyForm() {
  return { username: '', name: '', password: '', roles: [], phone: '', unit: '', department: null };
}

export default {
  name: 'UsersPage',
  components: { RoleTags },
  setup() {
    // ---- list ----
    const query = reactive({ q: '', page: 1, per_page: 20 });
    const list = reactive({ items: [], total: 0, loading: false, loaded: false });
    const busyId = ref(null);
    let seq = 0;

    async function load() {
      const mine = ++seq;
      list.loading = true;
      try {
        const data = await api.get('/users', { query: { page: query.page, per_page: query.per_page, q: query.q.trim() } });
        if (mine !== seq) return;
        list.items = Array.isArray(data && data.items) ? data.items : [];
        list.total = Number((data && data.total) || 0);
        if (data && data.page) query.page = Number(data.page);
        if (data && data.per_page) query.per_page = Number(data.per_page);
      } catch {
        if (mine === seq) { list.items = []; list.total = 0; }
      } finally {
        if (mine === seq) { list.loading = false; list.loaded = true; }
      }
    }
    function search() { query.page = 1; load(); }
    function reset() { query.q = ''; query.page = 1; load(); }
    function onPage(p) { query.page = p; load(); }
    function onSize(s) { query.per_page = s; query.page = 1; load(); }

    const isSelf = (row) => !!(session.user && row && session.user.id === row.id);

    async function toggleDisabled(row) {
      const disabling = !row.disabled;
      const params = { name: row.name, username: row.username };
      try {
        await ElMessageBox.confirm(
          t(disabling ? 'users.disableConfirm' : 'users.enableConfirm', params),
          t('users.confirmTitle'),
          { type: 'warning', confirmButtonText: t('users.confirm'), cancelButtonText: t('users.cancel'), autofocus: false },
        );
      } catch {
        return; // cancelled
      }
      busyId.value = row.id;
      try {
        const data = await api.patch(`/users/${encodeURIComponent(row.id)}`, { disabled: disabling });
        if (data && data.user) Object.assign(row, data.user);
        else row.disabled = disabling;
        ElMessage({ type: 'success', message: t(disabling ? 'users.disabledOk' : 'users.enabledOk', params), grouping: true });
      } catch {
        /* the API client has shown the server's message */
      } finally {
        busyId.value = null;
      }
    }

    // ---- dialog ----
    const dialog = reactive({ visible: false, mode: 'create', row: null, saving: false });
    const formRef = ref(null);
    const form = reactive(emptyForm());
    const serverErrors = reactive(Object.fromEntries(FORM_FIELDS.map((f) => [f, null])));
    const isCreate = computed(() => dialog.mode === 'create');

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

    const rules = computed(() => {
      const creating = dialog.mode === 'create';
      return {
        username: creating ? [
          { required: true, whitespace: true, message: t('users.ruleUsernameRequired'), trigger: 'blur' },
          { pattern: USERNAME_RE, message: t('users.ruleUsernameFormat'), trigger: 'blur' },
        ] : [],
        name: [
          { required: true, whitespace: true, message: t('users.ruleNameRequired'), trigger: 'blur' },
          { max: 64, message: t('users.ruleNameLength'), trigger: 'blur' },
        ],
        password: [
          ...(creating ? [{ required: true, message: t('users.rulePasswordRequired'), trigger: 'blur' }] : []),
          { min: 10, max: 128, message: t('users.rulePasswordLength'), trigger: 'blur' },
        ],
        roles: [{ type: 'array', required: true, min: 1, message: t('users.ruleRolesRequired'), trigger: 'change' }],
        phone: [{ pattern: PHONE_RE, message: t('users.rulePhoneFormat'), trigger: 'blur' }],
        unit: [{ pattern: UNIT_RE, message: t('users.ruleUnitFormat'), trigger: 'blur' }],
      };
    });

    function openCreate() {
      dialog.mode = 'create';
      dialog.row = null;
      Object.assign(form, emptyForm());
      clearServerErrors();
      dialog.visible = true;
      nextTick(() => formRef.value && formRef.value.clearValidate());
    }
    function openEdit(row) {
      dialog.mode = 'edit';
      dialog.row = row;
      Object.assign(form, emptyForm(), {
        username: row.username,
        name: row.name || '',
        roles: Array.isArray(row.roles) ? [...row.roles] : [],
      });
      clearServerErrors();
      dialog.visible = true;
      nextTick(() => formRef.value && formRef.value.clearValidate());
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
      try {
        let data;
        if (isCreate.value) {
          const body = {
            username: form.username.trim(),
            name: form.name.trim(),
            password: form.password,
            roles: [...form.roles],
            scope: {},
          };
          if (form.phone.trim()) body.phone = form.phone.trim();
          if (form.unit.trim()) body.scope.unit = form.unit.trim();
          if (form.department !== null && form.department !== '') body.scope.department = Number(form.department);
          data = await api.post('/users', body, { silent: true });
          ElMessage({ type: 'success', message: t('users.created', { username: body.username }), grouping: true });
          dialog.visible = false;
          query.page = 1;
          query.q = '';
          await load();
        } else {
          const row = dialog.row;
          const body = {};
          if (form.name.trim() !== (row.name || '')) body.name = form.name.trim();
          const sameRoles = form.roles.length === (row.roles || []).length && form.roles.every((r) => (row.roles || []).includes(r));
          if (!sameRoles) body.roles = [...form.roles];
          if (form.password) body.password = form.password;
          if (Object.keys(body).length > 0) {
            data = await api.patch(`/users/${encodeURIComponent(row.id)}`, body, { silent: true });
            if (data && data.user) Object.assign(row, data.user);
          }
          ElMessage({ type: 'success', message: t('users.saved', { username: row.username }), grouping: true });
          dialog.visible = false;
        }
      } catch (err) {
        let f = formField(err.field);
        if (!f && err.status === 409) f = 'username';
        if (f && (isCreate.value || ['name', 'password', 'roles'].includes(f))) {
          await nextTick();
          serverErrors[f] = err;
        } else {
          ElMessage({ type: 'error', message: errorMessage(err), grouping: true, showClose: true });
        }
      } finally {
        dialog.saving = false;
      }
    }

    const roleOptions = computed(() => { void i18n.lang; return ROLES.map((r) => ({ value: r, label: roleName(r) })); });

    onMounted(() => { load(); loadDepartments(); });

    return {
      icons: Icons, query, list, busyId, load, search, reset, onPage, onSize, isSelf, toggleDisabled,
      dialog, formRef, form, rules, isCreate, openCreate, openEdit, submit, fieldError, onFieldInput, roleOptions,
      formatTime, scopeText, departments,
    };
  },
  template: `
  <div class="page users-page" data-test="users-page">
    <el-card shadow="never" class="search-card">
      <el-form :inline="true" class="search-form" @submit.prevent="search">
        <el-form-item :label="$t('users.username') + ' / ' + $t('users.name')">
          <el-input v-model="query.q" :placeholder="$t('users.searchPlaceholder')" clearable :prefix-icon="icons.Search"
            class="search-input" data-test="users-search" @clear="search" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :icon="icons.Search" native-type="submit" data-test="users-search-submit">{{ $t('users.search') }}</el-button>
          <el-button :icon="icons.Refresh" @click="reset" data-test="users-search-reset">{{ $t('users.reset') }}</el-button>
        </el-form-item>
      </el-form>
    </el-card>

    <el-card shadow="never" class="table-card">
      <div class="table-toolbar">
        <div>
          <el-button type="primary" plain :icon="icons.Plus" @click="openCreate" data-test="users-add">{{ $t('users.add') }}</el-button>
        </div>
        <el-tooltip :content="$t('users.refresh')" placement="top">
          <el-button circle :icon="icons.Refresh" @click="load" data-test="users-refresh" :aria-label="$t('users.refresh')" />
        </el-tooltip>
      </div>

      <el-table :data="list.items" v-loading="list.loading" border stripe row-key="id" class="users-table" data-test="users-table"
        :empty-text="list.loaded ? $t('users.empty') : ' '" header-cell-class-name="table-header">
        <el-table-column prop="id" :label="$t('users.id')" width="70" align="center" />
        <el-table-column prop="username" :label="$t('users.username')" min-width="110" show-overflow-tooltip>
          <template #default="{ row }"><span class="cell-username" data-test="cell-username">{{ row.username }}</span></template>
        </el-table-column>
        <el-table-column prop="name" :label="$t('users.name')" min-width="100" show-overflow-tooltip />
        <el-table-column :label="$t('users.roles')" min-width="170">
          <template #default="{ row }"><role-tags :roles="row.roles || []" /></template>
        </el-table-column>
        <el-table-column :label="$t('users.scope')" min-width="130" show-overflow-tooltip>
          <template #default="{ row }">{{ scopeText(row.scope) }}</template>
        </el-table-column>
        <el-table-column prop="phone" :label="$t('users.phone')" width="115" align="center">
          <template #default="{ row }">{{ row.phone || $t('common.none') }}</template>
        </el-table-column>
        <el-table-column :label="$t('users.status')" width="80" align="center">
          <template #default="{ row }">
            <el-tag :type="row.disabled ? 'info' : 'success'" size="small" disable-transitions :data-test="'status-' + row.username">
              {{ row.disabled ? $t('users.disabled') : $t('users.enabled') }}
            </el-tag>
          </template>
        </el-table-column>
        <el-table-column :label="$t('users.createdAt')" width="175" align="center" show-overflow-tooltip>
          <template #default="{ row }">{{ formatTime(row.created_at) }}</template>
        </el-table-column>
        <el-table-column :label="$t('users.actions')" width="185" align="center" fixed="right" class-name="cell-actions">
          <template #default="{ row }">
            <el-button link type="primary" :icon="icons.Edit" @click="openEdit(row)" :data-test="'edit-' + row.username">{{ $t('users.edit') }}</el-button>
            <el-tooltip v-if="isSelf(row)" :content="$t('users.self')" placement="top">
              <span class="action-gap"><el-button link type="danger" :icon="icons.CircleClose" disabled>{{ $t('users.disable') }}</el-button></span>
            </el-tooltip>
            <el-button v-else-if="!row.disabled" link type="danger" :icon="icons.CircleClose" :loading="busyId === row.id"
              @click="toggleDisabled(row)" :data-test="'disable-' + row.username">{{ $t('users.disable') }}</el-button>
            <el-button v-else link type="success" :icon="icons.CircleCheck" :loading="busyId === row.id"
              @click="toggleDisabled(row)" :data-test="'enable-' + row.username">{{ $t('users.enable') }}</el-button>
          </template>
        </el-table-column>
      </el-table>

      <div class="pagination-bar">
        <el-pagination background layout="total, sizes, prev, pager, next, jumper"
          :total="list.total" :current-page="query.page" :page-size="query.per_page" :page-sizes="[10, 20, 50, 100]"
          @current-change="onPage" @size-change="onSize" data-test="users-pagination" />
      </div>
    </el-card>

    <el-dialog v-model="dialog.visible" :title="isCreate ? $t('users.createTitle') : $t('users.editTitle')" width="560px"
      :close-on-click-modal="false" append-to-body destroy-on-close class="user-dialog" data-test="user-dialog">
      <el-form ref="formRef" :model="form" :rules="rules" label-width="auto" label-position="right" class="user-form"
        @submit.prevent="submit" :validate-on-rule-change="false">
        <el-form-item :label="$t('users.username')" prop="username" :error="fieldError('username')">
          <el-input v-model="form.username" :disabled="!isCreate" :placeholder="$t('users.usernamePlaceholder')" maxlength="32"
            autocomplete="off" data-test="user-form-username" @input="onFieldInput('username')" />
        </el-form-item>
        <el-form-item :label="$t('users.name')" prop="name" :error="fieldError('name')">
          <el-input v-model="form.name" :placeholder="$t('users.namePlaceholder')" maxlength="64" autocomplete="off"
            data-test="user-form-name" @input="onFieldInput('name')" />
        </el-form-item>
        <el-form-item :label="isCreate ? $t('users.password') : $t('users.newPassword')" prop="password" :error="fieldError('password')">
          <el-input v-model="form.password" type="password" show-password autocomplete="new-password" maxlength="128"
            :placeholder="isCreate ? $t('users.passwordPlaceholder') : $t('users.newPasswordPlaceholder')"
            data-test="user-form-password" @input="onFieldInput('password')" />
        </el-form-item>
        <el-form-item :label="$t('users.roles')" prop="roles" :error="fieldError('roles')">
          <el-select v-model="form.roles" multiple :placeholder="$t('users.rolesPlaceholder')" class="w-full"
            data-test="user-form-roles" @change="onFieldInput('roles')">
            <el-option v-for="o in roleOptions" :key="o.value" :label="o.label" :value="o.value" :data-test="'role-option-' + o.value" />
          </el-select>
        </el-form-item>
        <template v-if="isCreate">
          <el-form-item :label="$t('users.phone')" prop="phone" :error="fieldError('phone')">
            <el-input v-model="form.phone" :placeholder="$t('users.phonePlaceholder')" maxlength="11" autocomplete="off"
              data-test="user-form-phone" @input="onFieldInput('phone')" />
          </el-form-item>
          <el-form-item :label="$t('users.unitCode')" prop="unit" :error="fieldError('unit')">
            <el-input v-model="form.unit" :placeholder="$t('users.unitPlaceholder')" maxlength="32" autocomplete="off"
              data-test="user-form-unit" @input="onFieldInput('unit')" />
          </el-form-item>
          <el-form-item :label="$t('users.departmentId')" prop="department" :error="fieldError('department')">
            <el-select v-model="form.department" filterable clearable :placeholder="$t('users.departmentPlaceholder')" class="w-full"
              data-test="user-form-department" @change="onFieldInput('department')">
              <el-option v-for="d in departments.items" :key="d.id" :label="d.name" :value="d.id">
                <span>{{ d.name }}</span><span class="option-extra">{{ d.code }}</span>
              </el-option>
            </el-select>
          </el-form-item>
          <div class="form-hint">{{ $t('users.scopeHint') }}</div>
        </template>
      </el-form>
      <template #footer>
        <el-button @click="dialog.visible = false" data-test="user-form-cancel">{{ $t('users.cancel') }}</el-button>
        <el-button type="primary" :loading="dialog.saving" @click="submit" data-test="user-form-submit">{{ $t('users.confirm') }}</el-button>
      </template>
    </el-dialog>
  </div>
  `,
};
