// Login page.
import { t, i18n, setLang, LANGS } from '../i18n.js';
import { errorMessage } from '../api.js';
import { login } from '../session.js';
import { LangIcon } from '../widgets.js';

const { reactive, ref, computed, markRaw, watch, onBeforeUnmount } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

export default {
  name: 'LoginPage',
  components: { LangIcon },
  setup() {
    const formRef = ref(null);
    const form = reactive({ username: '', password: '' });
    const loading = ref(false);
    const error = ref(null);           // the last ApiError, shown in the current language

    const rules = computed(() => ({
      username: [{ required: true, whitespace: true, message: t('login.usernameRequired'), trigger: 'blur' }],
      password: [{ required: true, message: t('login.passwordRequired'), trigger: 'blur' }],
    }));

    const errorText = computed(() => {
      if (!error.value) return '';
      void i18n.lang; // re-render on language change
      let s = errorMessage(error.value);
      const secs = error.value.retryAfter;
      if (secs && !s.includes(String(secs))) s += ' ' + t('login.retryAfter', { seconds: secs });
      return s;
    });

    // After 429 the button stays disabled until Retry-After has passed (the
    // server backs off per user name, so another name may be tried at once).
    const wait = ref(0);
    let timer = null;
    let waitingUser = '';
    function stopWait() {
      clearInterval(timer);
      timer = null;
      wait.value = 0;
    }
    function startWait(seconds, username) {
      clearInterval(timer);
      waitingUser = username;
      wait.value = seconds;
      timer = setInterval(() => {
        wait.value -= 1;
        if (wait.value <= 0) { wait.value = 0; clearInterval(timer); timer = null; }
      }, 1000);
    }
    watch(() => form.username, (v) => { if (wait.value > 0 && v.trim() !== waitingUser) stopWait(); });
    onBeforeUnmount(() => clearInterval(timer));

    async function submit() {
      if (loading.value || wait.value > 0) return;
      error.value = null;
      loading.value = true;
      try {
        await formRef.value.validate();
      } catch {
        loading.value = false;
        return;
      }
      try {
        await login(form.username.trim(), form.password);
        form.password = '';
        // The router guard (app.js) now leaves the login page for ?redirect= or the dashboard.
      } catch (err) {
        error.value = err;
        form.password = '';
        if (err.status === 429 && err.retryAfter) startWait(err.retryAfter, form.username.trim());
      } finally {
        loading.value = false;
      }
    }

    const otherLang = computed(() => LANGS.find((l) => l.code !== i18n.lang));
    const year = new Date().getFullYear();

    return { formRef, form, rules, loading, wait, error, errorText, submit, icons: Icons, otherLang, setLang, year, i18n };
  },
  template: `
  <div class="login-page" data-test="login-page">
    <div class="login-lang">
      <button type="button" class="login-lang__btn" data-test="login-lang-switch" @click="setLang(otherLang.code)">
        <lang-icon /> <span>{{ otherLang.label }}</span>
      </button>
    </div>
    <div class="login-box">
      <div class="login-brand">
        <div class="login-brand__head">
          <img src="img/logo.svg" alt="" class="login-brand__logo">
          <div>
            <div class="login-brand__title">{{ $t('app.title') }}</div>
            <div class="login-brand__en">zonegov</div>
          </div>
        </div>
        <div class="login-brand__subtitle">{{ $t('app.subtitle') }}</div>
        <div class="login-brand__slogan">{{ $t('app.slogan') }}</div>
        <div class="login-brand__grid" aria-hidden="true">
          <span v-for="i in 12" :key="i"></span>
        </div>
      </div>
      <div class="login-form-wrap">
        <h2 class="login-form__title">{{ $t('login.title') }}</h2>
        <el-form ref="formRef" :model="form" :rules="rules" size="large" class="login-form" data-test="login-form" @submit.prevent="submit" :validate-on-rule-change="false">
          <el-form-item prop="username">
            <el-input v-model="form.username" :placeholder="$t('login.usernamePlaceholder')" :prefix-icon="icons.User"
              autocomplete="username" name="username" maxlength="64" data-test="login-username" clearable />
          </el-form-item>
          <el-form-item prop="password">
            <el-input v-model="form.password" type="password" show-password :placeholder="$t('login.passwordPlaceholder')" :prefix-icon="icons.Lock"
              autocomplete="current-password" name="password" maxlength="128" data-test="login-password" />
          </el-form-item>
          <el-alert v-if="error" :title="errorText" type="error" show-icon :closable="false" class="login-error" data-test="login-error" />
          <el-button type="primary" native-type="submit" class="login-submit" :loading="loading" :disabled="wait > 0" data-test="login-submit">
            {{ loading ? $t('login.submitting') : wait > 0 ? $t('login.wait', { seconds: wait }) : $t('login.submit') }}
          </el-button>
        </el-form>
        <div class="login-tip">
          <el-icon><component :is="icons.Warning" /></el-icon>
          <span>{{ $t('login.tip') }}</span>
        </div>
      </div>
    </div>
    <div class="login-footer">© {{ year }} {{ $t('app.copyright') }}</div>
  </div>
  `,
};
