// 现场照片: the photo picker of the report forms and the action dialogs, used
// by the staff app and by the public portal alike.
//
//   <photo-picker v-model="form.photos" v-model:busy="uploading" :endpoint="PHOTO_URL" camera test-id="new-photos" />
//
// Each file picked (from the camera or from the files) is sent at once as the
// request body to `endpoint` (POST /api/v1/photos for staff with the session
// cookie, POST /api/v1/public/photos for the public), one request per file,
// with its progress over a thumbnail made from the local file. The server
// decides what it is by its bytes: a refused file stays as a red tile with the
// server's message (zh or en per the current language) until it is removed.
// v-model is the list of the ids of the photos uploaded (at most `max`, the
// server's limit of 9), in the order picked; `busy` is true while any upload
// is running, so that the form can hold its submission until they are done.
import { t, i18n } from './i18n.js';

const { reactive, computed, ref, onBeforeUnmount, markRaw } = window.Vue;
const Icons = markRaw({ ...window.ElementPlusIconsVue });

export const PHOTO_MAX = 9;
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp';

// The server's answer as an error object {status, code, field, message, message_en}.
function errorOf(xhr) {
  let e = null;
  try { e = JSON.parse(xhr.responseText).error; } catch { /* not JSON */ }
  if (e && typeof e === 'object') return { status: xhr.status, ...e };
  if (xhr.status === 0) return { status: 0, code: 'network_error', key: 'errors.network' };
  return { status: xhr.status, code: 'http_' + xhr.status, key: 'errors.server' };
}

// POSTs the file as the body; onProgress(0..100). Resolves with the server's
// {id, mime, size, width, height}, rejects with an error object (errorOf).
export function uploadPhoto(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    // The server recognises the type by the bytes; the declared one is a hint only.
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable && onProgress) onProgress(Math.min(99, Math.floor((ev.loaded / ev.total) * 100))); };
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch { /* below */ }
        if (data && data.id) resolve(data);
        else reject({ status: xhr.status, code: 'bad_answer', key: 'errors.server' });
      } else {
        reject(errorOf(xhr));
      }
    };
    xhr.onerror = () => reject({ status: 0, code: 'network_error', key: 'errors.network' });
    xhr.send(file);
  });
}

// An error object's message in the current language.
export function photoErrorText(e) {
  if (!e) return '';
  if (e.key) return t(e.key, { status: e.status, max: 10 });
  const en = i18n.lang === 'en';
  return (en ? (e.message_en || e.message) : (e.message || e.message_en)) || t('errors.server', { status: e.status });
}

let seq = 0;

export const PhotoPicker = {
  name: 'PhotoPicker',
  props: {
    modelValue: { type: Array, default: () => [] },
    busy: { type: Boolean, default: false },
    endpoint: { type: String, required: true },
    max: { type: Number, default: PHOTO_MAX },
    camera: { type: Boolean, default: false },   // offer 拍照 (capture) beside 选择照片
    size: { type: String, default: 'default' },  // 'small' for the dialogs
    testId: { type: String, default: 'photos' },
  },
  emits: ['update:modelValue', 'update:busy'],
  setup(props, { emit }) {
    const items = reactive([]);
    const fileInput = ref(null);
    const cameraInput = ref(null);
    const kept = computed(() => items.filter((p) => p.status !== 'error'));
    const left = computed(() => Math.max(0, props.max - kept.value.length));
    const previews = computed(() => items.filter((p) => p.status === 'done').map((p) => p.url));
    const errors = computed(() => { void i18n.lang; return items.filter((p) => p.status === 'error'); });
    const notice = ref('');

    function sync() {
      emit('update:modelValue', items.filter((p) => p.status === 'done').map((p) => p.id));
      emit('update:busy', items.some((p) => p.status === 'uploading'));
    }

    async function start(item) {
      if (item.file.size > PHOTO_MAX_BYTES) {
        Object.assign(item, { status: 'error', error: { status: 413, code: 'payload_too_large', key: 'photos.tooLarge' } });
        return;
      }
      try {
        const res = await uploadPhoto(props.endpoint, item.file, (n) => { item.progress = n; });
        if (!items.includes(item)) return; // removed meanwhile
        // The same bytes twice are the same photo: keep one tile.
        if (items.some((p) => p !== item && p.status === 'done' && p.id === res.id)) {
          remove(item);
          notice.value = t('photos.duplicate');
          return;
        }
        Object.assign(item, { status: 'done', progress: 100, id: res.id, info: res });
      } catch (e) {
        if (!items.includes(item)) return;
        Object.assign(item, { status: 'error', error: e });
      } finally {
        sync();
      }
    }

    function add(fileList) {
      notice.value = '';
      // Earlier refusals make room for the new choice.
      for (const p of items.filter((x) => x.status === 'error')) remove(p, false);
      const files = Array.from(fileList || []);
      if (files.length > left.value) notice.value = t('photos.tooMany', { max: props.max });
      for (const file of files.slice(0, left.value)) {
        const item = reactive({
          key: ++seq, file: markRaw(file), name: file.name || t('photos.photo'), url: URL.createObjectURL(file),
          status: 'uploading', progress: 0, id: null, error: null, broken: false,
        });
        items.push(item);
        start(item);
      }
      sync();
    }

    function onChange(ev) {
      add(ev.target.files);
      ev.target.value = ''; // the same file may be picked again after a removal
    }

    function remove(item, emitNow = true) {
      const i = items.indexOf(item);
      if (i < 0) return;
      items.splice(i, 1);
      URL.revokeObjectURL(item.url);
      if (emitNow) { notice.value = ''; sync(); }
    }

    onBeforeUnmount(() => { for (const p of items) URL.revokeObjectURL(p.url); });

    return {
      icons: Icons, items, kept, left, previews, errors, notice, fileInput, cameraInput, onChange, remove, photoErrorText,
      accept: PHOTO_ACCEPT, sep: () => (i18n.lang === 'en' ? ': ' : '：'), previewIndex: (p) => previews.value.indexOf(p.url),
    };
  },
  template: `
  <div class="zg-photos" :class="'zg-photos--' + size" :data-test="testId">
    <div class="zg-photos__grid">
      <div v-for="p in items" :key="p.key" class="zg-photo" :class="'is-' + p.status" data-test="photo-item" :data-status="p.status"
        :data-id="p.id || ''" :data-mime="(p.info && p.info.mime) || ''" :title="p.name">
        <el-image v-if="p.status !== 'error' && !p.broken" :src="p.url" fit="cover" class="zg-photo__img"
          :preview-src-list="p.status === 'done' ? previews : []" :initial-index="previewIndex(p)" preview-teleported hide-on-click-modal
          @error="p.broken = true" />
        <div v-else class="zg-photo__bad"><el-icon :size="22"><component :is="icons.WarningFilled" /></el-icon><span>{{ $t('photos.refused') }}</span></div>
        <div v-if="p.status === 'uploading'" class="zg-photo__progress" data-test="photo-progress">
          <span>{{ p.progress }}%</span>
          <div class="zg-photo__bar"><i :style="{ width: p.progress + '%' }"></i></div>
        </div>
        <el-icon v-if="p.status === 'done'" class="zg-photo__ok"><component :is="icons.CircleCheckFilled" /></el-icon>
        <button type="button" class="zg-photo__remove" @click.stop="remove(p)" :aria-label="$t('photos.remove')" :title="$t('photos.remove')"
          data-test="photo-remove"><el-icon><component :is="icons.Close" /></el-icon></button>
      </div>
      <button v-if="left > 0 && camera" type="button" class="zg-photo-add" @click="cameraInput && cameraInput.click()" data-test="photo-camera">
        <el-icon :size="size === 'small' ? 20 : 26"><component :is="icons.Camera" /></el-icon>
        <span>{{ $t('photos.camera') }}</span>
      </button>
      <button v-if="left > 0" type="button" class="zg-photo-add" @click="fileInput && fileInput.click()" data-test="photo-add">
        <el-icon :size="size === 'small' ? 20 : 26"><component :is="camera ? icons.Picture : icons.Plus" /></el-icon>
        <span>{{ camera ? $t('photos.album') : $t('photos.add') }}</span>
      </button>
    </div>
    <input ref="fileInput" type="file" :accept="accept" multiple class="zg-photos__input" @change="onChange" data-test="photo-input" tabindex="-1" aria-hidden="true">
    <input v-if="camera" ref="cameraInput" type="file" :accept="accept" capture="environment" class="zg-photos__input" @change="onChange"
      data-test="photo-camera-input" tabindex="-1" aria-hidden="true">
    <div v-for="p in errors" :key="'e' + p.key" class="zg-photos__error" data-test="photo-error" :data-code="p.error && p.error.code">
      <el-icon><component :is="icons.CircleCloseFilled" /></el-icon>
      <span class="zg-photos__error-text"><span class="zg-photos__error-name">{{ p.name }}</span>{{ sep() }}<span data-test="photo-error-message">{{ photoErrorText(p.error) }}</span></span>
    </div>
    <div v-if="notice" class="zg-photos__notice" data-test="photo-notice">{{ notice }}</div>
    <div class="zg-photos__hint" data-test="photo-hint">{{ $t('photos.hint', { max, n: kept.length }) }}</div>
  </div>`,
};
