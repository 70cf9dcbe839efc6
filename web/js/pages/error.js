// 403 / 404 pages.
import { navigate } from '../router.js';
import { HOME } from '../routes.js';

export const ForbiddenPage = {
  name: 'ForbiddenPage',
  setup() {
    return { goHome: () => navigate(HOME) };
  },
  template: `
  <div class="page">
    <el-card shadow="never">
      <el-result icon="warning" title="403" :sub-title="$t('errors.forbiddenTitle') + ' — ' + $t('errors.forbidden')" data-test="forbidden">
        <template #extra><el-button type="primary" @click="goHome">{{ $t('errors.backHome') }}</el-button></template>
      </el-result>
    </el-card>
  </div>`,
};

export const NotFoundPage = {
  name: 'NotFoundPage',
  setup() {
    return { goHome: () => navigate(HOME) };
  },
  template: `
  <div class="page">
    <el-card shadow="never">
      <el-result icon="info" title="404" :sub-title="$t('errors.notFoundTitle') + ' — ' + $t('errors.notFound')" data-test="not-found">
        <template #extra><el-button type="primary" @click="goHome">{{ $t('errors.backHome') }}</el-button></template>
      </el-result>
    </el-card>
  </div>`,
};
