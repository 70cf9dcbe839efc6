// The frame around every signed-in page: dark sidebar menu, top bar with
// breadcrumb, language switch and user dropdown.
import { t, i18n, setLang, LANGS, roleName, joinList } from './i18n.js';
import { session, hasAnyRole, logout } from './session.js';
import { route, navigate } from './router.js';
import { menu, findRoute, HOME, LOGIN } from './routes.js';
import { errorMessage } from './api.js';
import { LangIcon } from './widgets.js';

const { computed, ref, markRaw } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });
const COLLAPSE_KEY = 'zonegov.sidebarCollapsed';

function menuEntry(item) {
  if (item.children) {
    const children = item.children.map(menuEntry).filter(Boolean);
    if (children.length === 0) return null;
    return { key: item.key, title: item.title, icon: item.icon, children };
  }
  const r = findRoute(item.path);
  if (!r || !hasAnyRole(r.roles)) return null;
  return { key: r.path, path: r.path, title: r.title, icon: r.icon, testId: r.path.replace(/^\//, '').replace(/\//g, '-') };
}

export default {
  name: 'AppLayout',
  components: { LangIcon },
  setup() {
    let saved = false;
    try { saved = window.localStorage.getItem(COLLAPSE_KEY) === '1'; } catch { /* ignore */ }
    const collapsed = ref(saved);
    const toggle = () => {
      collapsed.value = !collapsed.value;
      try { window.localStorage.setItem(COLLAPSE_KEY, collapsed.value ? '1' : '0'); } catch { /* ignore */ }
    };

    const visibleMenu = computed(() => menu.map(menuEntry).filter(Boolean));
    const current = computed(() => findRoute(route.path));
    const activeMenu = computed(() => (current.value && current.value.active) || route.path);
    const crumbs = computed(() => {
      const r = current.value;
      if (!r || r.path === HOME) return [];
      return [...(r.parents || []), r.title];
    });
    const user = computed(() => session.user || {});
    const rolesText = computed(() => joinList((user.value.roles || []).map(roleName)));
    const initial = computed(() => {
      const n = user.value.name || user.value.username || '?';
      return Array.from(n)[0].toUpperCase();
    });
    const langLabel = computed(() => (LANGS.find((l) => l.code === i18n.lang) || LANGS[0]).label);

    function onSelect(index) {
      if (index && index !== route.path) navigate(index);
    }
    async function onUserCommand(cmd) {
      if (cmd === 'home') navigate(HOME);
      if (cmd === 'logout') {
        try {
          await logout();
          window.ElementPlus.ElMessage({ type: 'success', message: t('nav.loggedOut'), grouping: true });
        } catch (err) {
          window.ElementPlus.ElMessage({ type: 'error', message: errorMessage(err), grouping: true });
        }
        navigate(LOGIN, null, { replace: true });
      }
    }

    return {
      icons: Icons, collapsed, toggle, visibleMenu, route, activeMenu, crumbs, user, rolesText, initial,
      LANGS, i18n, langLabel, setLang, onSelect, onUserCommand, HOME, navigate, roleName,
    };
  },
  template: `
  <el-container class="layout" :class="{ 'is-collapsed': collapsed }">
    <el-aside class="layout-aside" :width="collapsed ? '64px' : '220px'" data-test="sidebar">
      <a class="sidebar-logo" href="#/dashboard" :title="$t('app.title') + ' zonegov'">
        <img class="sidebar-logo__img" src="img/logo.svg" alt="">
        <span v-show="!collapsed" class="sidebar-logo__text">
          <span class="sidebar-logo__title" data-test="app-title">{{ $t('app.navTitle') }}</span>
          <span class="sidebar-logo__sub">zonegov</span>
        </span>
      </a>
      <el-scrollbar class="sidebar-scroll">
        <el-menu
          data-test="menu"
          class="sidebar-menu"
          :default-active="activeMenu"
          :collapse="collapsed"
          :collapse-transition="false"
          :default-openeds="['events', 'economy', 'system']"
          background-color="#304156"
          text-color="#bfcbd9"
          active-text-color="#409eff"
          @select="onSelect">
          <template v-for="item in visibleMenu" :key="item.key">
            <el-sub-menu v-if="item.children" :index="item.key" :data-test="'menu-' + item.key">
              <template #title>
                <el-icon><component :is="icons[item.icon]" /></el-icon>
                <span>{{ $t(item.title) }}</span>
              </template>
              <el-menu-item v-for="c in item.children" :key="c.key" :index="c.path" :data-test="'menu-' + c.testId">
                <el-icon><component :is="icons[c.icon]" /></el-icon>
                <template #title><span>{{ $t(c.title) }}</span></template>
              </el-menu-item>
            </el-sub-menu>
            <el-menu-item v-else :index="item.path" :data-test="'menu-' + item.testId">
              <el-icon><component :is="icons[item.icon]" /></el-icon>
              <template #title><span>{{ $t(item.title) }}</span></template>
            </el-menu-item>
          </template>
        </el-menu>
      </el-scrollbar>
    </el-aside>

    <el-container direction="vertical" class="layout-body">
      <el-header class="navbar" height="50px">
        <div class="navbar-left">
          <button type="button" class="hamburger" :title="$t('nav.toggleSidebar')" :aria-label="$t('nav.toggleSidebar')" data-test="sidebar-toggle" @click="toggle">
            <el-icon :size="20"><component :is="collapsed ? icons.Expand : icons.Fold" /></el-icon>
          </button>
          <el-breadcrumb separator="/" class="navbar-breadcrumb" data-test="breadcrumb">
            <el-breadcrumb-item><a href="#/dashboard">{{ $t('nav.home') }}</a></el-breadcrumb-item>
            <el-breadcrumb-item v-for="c in crumbs" :key="c">{{ $t(c) }}</el-breadcrumb-item>
          </el-breadcrumb>
        </div>
        <div class="navbar-right">
          <el-dropdown trigger="click" @command="setLang">
            <span class="navbar-item" data-test="lang-switch" :title="$t('nav.language')" role="button" tabindex="0">
              <lang-icon class="navbar-item__icon" />
              <span class="navbar-item__label">{{ langLabel }}</span>
              <el-icon class="navbar-item__caret"><component :is="icons.ArrowDown" /></el-icon>
            </span>
            <template #dropdown>
              <el-dropdown-menu>
                <el-dropdown-item v-for="l in LANGS" :key="l.code" :command="l.code" :disabled="l.code === i18n.lang" :data-test="'lang-' + l.code">{{ l.label }}</el-dropdown-item>
              </el-dropdown-menu>
            </template>
          </el-dropdown>

          <el-dropdown trigger="click" @command="onUserCommand">
            <span class="navbar-user" data-test="user-dropdown" role="button" tabindex="0">
              <el-avatar :size="32" class="navbar-user__avatar">{{ initial }}</el-avatar>
              <span class="navbar-user__text">
                <span class="navbar-user__name" data-test="user-name">{{ user.name || user.username }}</span>
                <span class="navbar-user__roles" data-test="user-roles">{{ rolesText }}</span>
              </span>
              <el-icon class="navbar-item__caret"><component :is="icons.ArrowDown" /></el-icon>
            </span>
            <template #dropdown>
              <div class="user-card" data-test="user-card">
                <div class="user-card__name">{{ user.name }} <span class="user-card__username">{{ user.username }}</span></div>
                <div class="user-card__roles">
                  <el-tag v-for="r in (user.roles || [])" :key="r" size="small" effect="plain" class="role-tag">{{ roleName(r) }}</el-tag>
                </div>
              </div>
              <el-dropdown-menu>
                <el-dropdown-item command="home" :icon="icons.House">{{ $t('menu.dashboard') }}</el-dropdown-item>
                <el-dropdown-item command="logout" divided :icon="icons.SwitchButton" data-test="logout">{{ $t('nav.logout') }}</el-dropdown-item>
              </el-dropdown-menu>
            </template>
          </el-dropdown>
        </div>
      </el-header>
      <el-main class="app-main" data-test="main">
        <slot />
      </el-main>
    </el-container>
  </el-container>
  `,
};
