// The signed-in user. The session itself is the HttpOnly cookie set by the
// server; the front end keeps no token.
import { api } from './api.js';

const { reactive } = window.Vue;

export const session = reactive({
  user: null,     // { id, username, name, roles: [...], scope: { unit, department } }
  ready: false,   // true once GET /me has answered
});

export function hasRole(role) {
  return !!(session.user && Array.isArray(session.user.roles) && session.user.roles.includes(role));
}

export function hasAnyRole(roles) {
  if (!roles || roles.length === 0) return true;
  return roles.some(hasRole);
}

// Ask the server who is signed in. Resolves to the user or null.
export async function loadMe() {
  try {
    const data = await api.get('/me', { silent: true, skipAuthRedirect: true });
    session.user = (data && data.user) || null;
  } catch (err) {
    session.user = null;
    if (err.status !== 401) console.warn('zonegov: GET /me failed', err);
  } finally {
    session.ready = true;
  }
  return session.user;
}

export async function login(username, password) {
  const data = await api.post('/auth/login', { username, password }, { silent: true, skipAuthRedirect: true });
  session.user = (data && data.user) || null;
  if (!session.user) await loadMe();
  return session.user;
}

export async function logout() {
  try {
    await api.post('/auth/logout', undefined, { silent: true, skipAuthRedirect: true });
  } finally {
    session.user = null;
  }
}
