// Small shared components and formatting helpers.
import { t, roleName } from './i18n.js';
import { departmentName } from './departments.js';

// "文A" language icon (Element Plus icons have none).
export const LangIcon = {
  name: 'LangIcon',
  template: `
  <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
    <path d="M3 5h10M8 3v2M5.5 5c.8 3.2 3 6 6.5 7.5M10.5 5c-.8 3.6-3.3 6.6-7 8"/>
    <path d="M12.5 21l4-10 4 10M14 17.5h5"/>
  </svg>`,
};

// Role names as tags.
export const RoleTags = {
  name: 'RoleTags',
  props: { roles: { type: Array, default: () => [] } },
  setup() {
    const types = {
      admin: 'danger',
      leader: 'warning',
      dispatcher: 'primary',
      department_handler: 'success',
      grid_leader: 'primary',
      grid_worker: 'info',
      supervisor: 'warning',
    };
    return { roleName, types };
  },
  template: `
  <span class="role-tags">
    <el-tag v-for="r in roles" :key="r" :type="types[r] || 'info'" size="small" effect="light" disable-transitions class="role-tag">{{ roleName(r) }}</el-tag>
    <span v-if="!roles || roles.length === 0" class="text-muted">{{ $t('common.none') }}</span>
  </span>`,
};

function pad(n) {
  return String(n).padStart(2, '0');
}

// created_at may be an ISO 8601 string or Unix seconds / milliseconds.
export function formatTime(v) {
  if (v === null || v === undefined || v === '') return t('common.none');
  let d;
  if (typeof v === 'number' || /^\d+$/.test(String(v))) {
    const n = Number(v);
    d = new Date(n < 1e12 ? n * 1000 : n);
  } else {
    d = new Date(v);
  }
  if (Number.isNaN(d.getTime())) return String(v);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// { unit, department } → "单元 3201001 · 部门 应急管理局", or 全区 when unrestricted.
export function scopeText(scope, { unitLabel = 'users.unit', departmentLabel = 'users.department', allLabel = 'users.scopeAll' } = {}) {
  const parts = [];
  if (scope && scope.unit !== null && scope.unit !== undefined && scope.unit !== '') parts.push(`${t(unitLabel)} ${scope.unit}`);
  if (scope && scope.department !== null && scope.department !== undefined && scope.department !== '') parts.push(`${t(departmentLabel)} ${departmentName(scope.department)}`);
  return parts.length ? parts.join(' · ') : t(allLabel);
}
