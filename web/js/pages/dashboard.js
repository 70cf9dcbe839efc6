// 工作台: who is signed in, and the business modules.
import { t } from '../i18n.js';
import { session } from '../session.js';
import { routes } from '../routes.js';
import { RoleTags, scopeText } from '../widgets.js';
import { loadDepartments } from '../departments.js';

const { computed, markRaw, onMounted } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

export default {
  name: 'DashboardPage',
  components: { RoleTags },
  setup() {
    const user = computed(() => session.user || {});
    const greeting = computed(() => {
      const h = new Date().getHours();
      if (h >= 5 && h < 12) return t('dashboard.greetingMorning');
      if (h >= 12 && h < 18) return t('dashboard.greetingAfternoon');
      return t('dashboard.greetingEvening');
    });
    const scope = computed(() => scopeText(user.value.scope, {
      unitLabel: 'dashboard.unit', departmentLabel: 'dashboard.department', allLabel: 'dashboard.scopeAll',
    }));
    const modules = routes
      .filter((r) => r.module || (r.props && r.props.module))
      .map((r) => ({
        path: r.path, title: r.moduleTitle || r.title, icon: r.moduleIcon || r.icon, module: r.module || r.props.module, soon: !r.module,
      }));
    onMounted(() => {
      if (user.value.scope && user.value.scope.department) loadDepartments();
    });
    return { user, greeting, scope, modules, icons: Icons };
  },
  template: `
  <div class="page dashboard" data-test="dashboard">
    <el-card shadow="never" class="welcome-card">
      <div class="welcome">
        <el-avatar :size="56" class="welcome__avatar">{{ (user.name || user.username || '?').slice(0, 1) }}</el-avatar>
        <div class="welcome__text">
          <div class="welcome__title" data-test="welcome">{{ $t('dashboard.welcome', { greeting, name: user.name || user.username }) }}</div>
          <div class="welcome__sub">{{ $t('dashboard.intro') }}</div>
        </div>
      </div>
    </el-card>

    <el-row :gutter="16">
      <el-col :xs="24" :lg="8">
        <el-card shadow="never" class="panel">
          <template #header><div class="panel__header"><el-icon><component :is="icons.UserFilled" /></el-icon>{{ $t('dashboard.account') }}</div></template>
          <el-descriptions :column="1" border size="default" data-test="account">
            <el-descriptions-item :label="$t('dashboard.name')"><span data-test="account-name">{{ user.name }}</span></el-descriptions-item>
            <el-descriptions-item :label="$t('dashboard.username')"><span data-test="account-username">{{ user.username }}</span></el-descriptions-item>
            <el-descriptions-item :label="$t('dashboard.roles')"><span data-test="account-roles"><role-tags :roles="user.roles || []" /></span></el-descriptions-item>
            <el-descriptions-item :label="$t('dashboard.scope')"><span data-test="account-scope">{{ scope }}</span></el-descriptions-item>
          </el-descriptions>
        </el-card>
      </el-col>
      <el-col :xs="24" :lg="16">
        <el-card shadow="never" class="panel">
          <template #header><div class="panel__header"><el-icon><component :is="icons.Grid" /></el-icon>{{ $t('dashboard.modules') }}</div></template>
          <div class="module-grid">
            <a v-for="m in modules" :key="m.path" class="module-tile" :href="'#' + m.path" :data-test="'module-' + m.module">
              <span class="module-tile__icon" :class="'module-tile__icon--' + m.module"><el-icon :size="22"><component :is="icons[m.icon]" /></el-icon></span>
              <span class="module-tile__body">
                <span class="module-tile__title">{{ $t(m.title) }}</span>
                <span class="module-tile__desc">{{ $t('soon.' + m.module) }}</span>
              </span>
              <el-tag v-if="m.soon" size="small" type="info" effect="plain" class="module-tile__tag">{{ $t('dashboard.moduleSoon') }}</el-tag>
            </a>
          </div>
        </el-card>
      </el-col>
    </el-row>
  </div>
  `,
};
