// The parts every signed-in page shares: the session, the header, page-level errors, section
// loading states and logout. Pages keep their own state and pass the session (`me`) in.
import { api, ApiError, goToLogin } from './api.js';
import { el, icon, replaceChildren } from './dom.js';
import { has, roleName, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** The role codes of a session (`GET /api/v1/me`), or none. */
export function rolesOf(me) {
  const list = me && me.user && Array.isArray(me.user.roles) ? me.user.roles : [];
  return list.filter((role) => typeof role === 'string');
}

export function holdsAnyRole(me, allowed) {
  return rolesOf(me).some((role) => allowed.includes(role));
}

/** A message for people: the translated error code, else the server's message. */
export function errorMessage(error) {
  if (error instanceof ApiError && has(`error.${error.code}`)) return t(`error.${error.code}`);
  return (error && error.message) || t('error.generic');
}

/** Sends the browser to the login page when the session has ended; returns whether it did. */
export function endIfUnauthenticated(error) {
  if (error instanceof ApiError && error.status === 401) {
    goToLogin('expired');
    return true;
  }
  return false;
}

export function skeleton(lines = 3) {
  return el('div', { class: 'skeleton-block', attrs: { 'aria-hidden': 'true' } },
    Array.from({ length: lines }, (_, index) => el('span', { class: `skeleton skeleton-${index % 3}` })));
}

export function loadingState(lines) {
  return [el('p', { class: 'visually-hidden', text: t('home.loading') }), skeleton(lines)];
}

export function errorState(error, retry) {
  return el('div', { class: 'section-error' }, [
    el('p', { class: 'alert alert-error is-visible', attrs: { role: 'alert' } }, [
      icon('alert'),
      el('span', { text: t('section.loadFailed', { message: errorMessage(error) }) }),
    ]),
    el('button', { class: 'btn btn-ghost btn-sm', attrs: { type: 'button' }, text: t('home.retry'), on: { click: retry } }),
  ]);
}

/** Fills the header's user chip (name, avatar letter, role badges) and shows the logout button. */
export function renderHeader(me) {
  const user = me.user;
  const name = user.displayName || user.username;
  const currentUser = $('current-user');
  currentUser.textContent = name;
  currentUser.dataset.username = user.username;
  currentUser.title = user.username;
  $('user-avatar').textContent = Array.from(String(name).trim())[0] || '?';
  replaceChildren(
    $('user-roles'),
    rolesOf(me).map((role) => el('span', { class: `role-badge role-${role}`, text: roleName(role), dataset: { role } })),
  );
  $('user-chip').hidden = false;
  $('logout').hidden = false;
}

export function showPageError(error) {
  $('page-status').hidden = true;
  $('page-error').hidden = false;
  $('page-error-text').textContent = `${t('home.loadFailed')} ${errorMessage(error)}`;
}

/**
 * Loads the session for a page. Returns it, or null after sending the browser to the login page
 * (no session) or showing the page error. Marks the body with the roles for styles and tests.
 */
export async function loadSession() {
  $('page-error').hidden = true;
  $('page-status').hidden = false;
  let me;
  try {
    me = await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      goToLogin();
      return null;
    }
    showPageError(error);
    return null;
  }
  if (!me || !me.user) {
    showPageError(new ApiError(0, 'generic', ''));
    return null;
  }
  const roles = rolesOf(me);
  if (roles[0]) document.body.dataset.role = roles[0];
  document.body.dataset.roles = roles.join(' ');
  return me;
}

/** Logs out and goes to the login page; on failure restores the button and reports the error. */
export async function logout(onError = () => {}) {
  const button = $('logout');
  const label = button.querySelector('.btn-label');
  button.disabled = true;
  label.textContent = t('home.loggingOut');
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      button.disabled = false;
      label.textContent = t('home.logout');
      onError(errorMessage(error));
      return;
    }
  }
  goToLogin('logout');
}
