// Bootstrap: create the Vue app, resolve the hash route (#/...) to a page,
// guard pages behind the session and roles, and mount.
import { t, i18n, elementLocale, roleName } from './i18n.js';
import { onUnauthorized } from './api.js';
import { session, loadMe, hasAnyRole } from './session.js';
import { route, navigate } from './router.js';
import { findRoute, HOME, LOGIN } from './routes.js';
import AppLayout from './layout.js';
import { ForbiddenPage, NotFoundPage } from './pages/error.js';

const { createApp, computed, watch } = window.Vue;
const ElementPlus = window.ElementPlus;

// Where the current hash leads: { component, props, bare } after the guards.
const view = computed(() => {
  if (!session.ready) return { loading: true };
  const r = findRoute(route.path);
  if (!session.user) {
    if (r && r.public) return { component: r.component, props: r.props || {}, bare: true, route: r };
    return { loading: true }; // the redirect watcher below sends the browser to #/login
  }
  if (!r) return { component: NotFoundPage, props: {}, bare: false, route: null };
  if (r.path === LOGIN) return { loading: true }; // signed in: the watcher goes home
  if (!hasAnyRole(r.roles)) return { component: ForbiddenPage, props: {}, bare: false, route: r };
  return { component: r.component, props: r.props || {}, bare: !!r.bare, route: r };
});

function guard() {
  if (!session.ready) return;
  const r = findRoute(route.path);
  if (!session.user) {
    if (!r || !r.public) {
      const redirect = route.path === '/' || route.path === LOGIN ? undefined : route.fullPath;
      navigate(LOGIN, redirect ? { redirect } : null, { replace: true });
    }
    return;
  }
  // Signed in on the login page (just logged in, or came back to it): go where the user was headed.
  if (route.path === '/' || route.path === LOGIN) navigate(safeRedirect(route.query.redirect), null, { replace: true });
}

// Only a known in-app path is a redirect target; anything else goes home.
function safeRedirect(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return HOME;
  const path = target.split('?')[0];
  const r = findRoute(path);
  return r && !r.public ? target : HOME;
}

watch(() => [route.path, session.ready, session.user && session.user.id], guard, { immediate: true });

// Window title follows the page and the language.
watch(() => [route.path, i18n.lang], () => {
  const r = findRoute(route.path);
  const base = t('app.title') + ' zonegov';
  document.title = r ? `${t(r.title)} - ${base}` : base;
}, { immediate: true });

// A 401 on any request means the session ended (expired, or logged out elsewhere).
onUnauthorized(() => {
  if (!session.user) return;
  session.user = null;
  ElementPlus.ElMessage({ type: 'warning', message: t('nav.sessionExpired'), grouping: true });
  guard();
});

const App = {
  name: 'ZonegovApp',
  components: { AppLayout },
  setup() {
    return { view, elementLocale, route };
  },
  template: `
  <el-config-provider :locale="elementLocale">
    <div v-if="view.loading" class="app-boot" data-test="boot">
      <img class="app-boot__logo" src="img/logo.svg" alt="">
      <div class="app-boot__text">{{ $t('app.title') }} zonegov</div>
    </div>
    <component v-else-if="view.bare" :is="view.component" v-bind="view.props" />
    <app-layout v-else>
      <component :is="view.component" v-bind="view.props" :key="route.path" />
    </app-layout>
  </el-config-provider>
  `,
};

const app = createApp(App);
app.config.globalProperties.$t = t;
app.config.globalProperties.$roleName = roleName;
app.config.errorHandler = (err, instance, info) => {
  console.error('zonegov:', info, err);
};
app.use(ElementPlus);
app.mount('#app');

loadMe();
