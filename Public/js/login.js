// The login page: validates the form, signs in and goes to the home page.
import { api, ApiError, takeLoginNotice } from './api.js';
import { icon } from './dom.js';
import { applyI18n, bindLangToggle, has, t } from './i18n.js';

const form = document.getElementById('login-form');
const username = document.getElementById('username');
const password = document.getElementById('password');
const submit = document.getElementById('login-submit');
const submitLabel = submit.querySelector('.btn-label');
const errorBox = document.getElementById('login-error');
const noticeBox = document.getElementById('login-notice');
const passwordToggle = document.getElementById('password-toggle');
const capsHint = document.getElementById('caps-hint');

/** The error on show, kept as data so that it can be re-translated when the language changes. */
let shownError = null;
let shownNotice = null;
let busy = false;

/** The text of an API error, translated by its code, else the server's message. */
function errorText(error) {
  if (error.key) return t(error.key, error.params);
  if (error.code === 'too_many_attempts') {
    return Number.isFinite(error.retryAfter)
      ? t('error.too_many_attempts', { seconds: error.retryAfter })
      : t('error.too_many_attempts_unknown');
  }
  if (error.code && has(`error.${error.code}`)) return t(`error.${error.code}`);
  return error.message || t('error.generic');
}

function renderError() {
  if (shownError) {
    const text = document.createElement('span');
    text.textContent = errorText(shownError);
    errorBox.replaceChildren(icon('alert'), text);
  } else {
    errorBox.replaceChildren();
  }
  errorBox.classList.toggle('is-visible', Boolean(shownError));
}

function showError(error, invalidFields = []) {
  shownError = error;
  renderError();
  for (const field of [username, password]) {
    field.setAttribute('aria-invalid', invalidFields.includes(field) ? 'true' : 'false');
  }
}

function clearError() {
  shownError = null;
  renderError();
  username.removeAttribute('aria-invalid');
  password.removeAttribute('aria-invalid');
}

function renderNotice() {
  if (shownNotice) noticeBox.textContent = t(shownNotice);
  noticeBox.hidden = !shownNotice;
}

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.classList.toggle('is-busy', value);
  submit.setAttribute('aria-busy', value ? 'true' : 'false');
  submitLabel.textContent = t(value ? 'login.submitting' : 'login.submit');
}

async function onSubmit(event) {
  event.preventDefault();
  if (busy) return;
  shownNotice = null;
  renderNotice();

  const name = username.value.trim();
  const secret = password.value;
  if (!name) {
    showError({ key: 'login.needUsername' }, [username]);
    username.focus();
    return;
  }
  if (!secret) {
    showError({ key: 'login.needPassword' }, [password]);
    password.focus();
    return;
  }

  clearError();
  setBusy(true);
  try {
    await api.login(name, secret);
    // The server has set the HttpOnly session cookie; the token in the body is not kept.
    password.value = '';
    window.location.replace('/home.html');
  } catch (error) {
    setBusy(false);
    const failure = error instanceof ApiError ? error : new ApiError(0, 'generic', '');
    if (failure.code === 'invalid_credentials') {
      password.value = '';
      showError(failure, [username, password]);
      password.focus();
    } else {
      showError(failure);
      (failure.code === 'bad_request' ? username : password).focus();
    }
  }
}

function togglePassword() {
  const show = password.type === 'password';
  password.type = show ? 'text' : 'password';
  passwordToggle.setAttribute('aria-pressed', String(show));
  passwordToggle.classList.toggle('is-on', show);
  renderToggleLabel();
  password.focus();
}

function renderToggleLabel() {
  const label = t(password.type === 'password' ? 'login.showPassword' : 'login.hidePassword');
  passwordToggle.setAttribute('aria-label', label);
  passwordToggle.title = label;
}

function watchCapsLock(event) {
  if (typeof event.getModifierState !== 'function') return;
  capsHint.hidden = !event.getModifierState('CapsLock');
}

function init() {
  applyI18n();
  bindLangToggle(document.getElementById('lang-toggle'));

  const notice = takeLoginNotice();
  if (notice === 'logout') shownNotice = 'login.loggedOut';
  if (notice === 'expired') shownNotice = 'login.sessionEnded';
  renderNotice();

  form.addEventListener('submit', onSubmit);
  passwordToggle.addEventListener('click', togglePassword);
  password.addEventListener('keydown', watchCapsLock);
  password.addEventListener('keyup', watchCapsLock);
  password.addEventListener('blur', () => { capsHint.hidden = true; });
  for (const field of [username, password]) {
    field.addEventListener('input', () => {
      if (field.getAttribute('aria-invalid') === 'true') field.setAttribute('aria-invalid', 'false');
    });
  }

  document.addEventListener('assay:langchange', () => {
    renderError();
    renderNotice();
    renderToggleLabel();
    submitLabel.textContent = t(busy ? 'login.submitting' : 'login.submit');
  });

  // Restored from the back/forward cache after signing in: reset the button.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) setBusy(false);
  });

  document.body.classList.add('is-ready');
  (username.value ? password : username).focus();
}

init();
