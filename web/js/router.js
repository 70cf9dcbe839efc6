// Minimal hash router: the current route is `#/path?query`.
const { reactive } = window.Vue;

function parseHash() {
  let h = window.location.hash || '';
  if (h.startsWith('#')) h = h.slice(1);
  if (!h.startsWith('/')) h = '/' + h;
  const qi = h.indexOf('?');
  const rawPath = qi >= 0 ? h.slice(0, qi) : h;
  const query = {};
  if (qi >= 0) {
    for (const [k, v] of new URLSearchParams(h.slice(qi + 1))) query[k] = v;
  }
  let path = rawPath.replace(/\/+$/, '') || '/';
  try { path = decodeURI(path); } catch { /* keep as is */ }
  return { path, query, fullPath: h };
}

export const route = reactive(parseHash());

function sync() {
  const r = parseHash();
  route.path = r.path;
  route.query = r.query;
  route.fullPath = r.fullPath;
}

window.addEventListener('hashchange', sync);

function toHash(path, query) {
  let h = '#' + (path.startsWith('/') ? path : '/' + path);
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.append(k, String(v));
    const s = qs.toString();
    if (s) h += '?' + s;
  }
  return h;
}

// navigate('/system/users') adds a history entry; navigate(path, query, { replace: true }) does not.
export function navigate(path, query, { replace = false } = {}) {
  const h = toHash(path, query);
  if (replace) window.location.replace(h);
  else window.location.hash = h;
  sync();   // update at once; the hashchange event that follows is a no-op
}
