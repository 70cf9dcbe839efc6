// Placeholder for modules that are not built yet.
import { navigate } from '../router.js';
import { HOME } from '../routes.js';

export default {
  name: 'ComingSoonPage',
  props: { module: { type: String, required: true } },
  setup() {
    return { goHome: () => navigate(HOME) };
  },
  computed: {
    titleKey() {
      return 'menu.' + this.module;
    },
  },
  template: `
  <div class="page">
    <el-card shadow="never" class="coming-soon" :data-test="'coming-soon-' + module">
      <el-empty :image-size="160">
        <template #description>
          <div class="coming-soon__title" data-test="coming-soon">{{ $t('soon.title') }}</div>
          <div class="coming-soon__desc">{{ $t('soon.description', { module: $t(titleKey) }) }}</div>
          <div class="coming-soon__scope">{{ $t('soon.' + module) }}</div>
        </template>
        <el-button type="primary" plain @click="goHome">{{ $t('soon.back') }}</el-button>
      </el-empty>
    </el-card>
  </div>
  `,
};
