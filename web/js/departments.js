// Department list (GET /api/v1/departments), loaded once and shared.
import { api } from './api.js';

const { reactive } = window.Vue;

export const departments = reactive({ items: [], byId: {}, loaded: false });
let pending = null;

export function loadDepartments({ force = false } = {}) {
  if (pending && !force) return pending;
  pending = api.get('/departments', { silent: true })
    .then((data) => {
      const items = Array.isArray(data && data.items) ? data.items : [];
      departments.items = items;
      departments.byId = Object.fromEntries(items.map((d) => [String(d.id), d]));
      departments.loaded = true;
      return items;
    })
    .catch((err) => {
      pending = null; // try again next time
      console.warn('zonegov: GET /departments failed', err);
      return [];
    });
  return pending;
}

export function departmentName(id) {
  if (id === null || id === undefined || id === '') return '';
  const d = departments.byId[String(id)];
  return d ? d.name : String(id);
}
