// The candidate registration page (考生注册): no session needed. Checks what can be checked here
// (everything filled in, the passwords match), sends the form to `POST /api/v1/register`, shows the
// server's message beside the field it concerns, then signs the new candidate in and goes on to the
// application page. For a 居民身份证 the gender and birth date the number encodes are shown as a
// hint while typing; the server checks the number and is the judge.
import { api, ApiError, request as call } from './api.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, has, t } from './i18n.js';

const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent'];
const RESIDENT = 'resident_id';

/** Which field a server error code is about. */
const FIELD_OF_CODE = {
  invalid_username: 'username',
  duplicate_username: 'username',
  weak_password: 'password',
  invalid_name: 'name',
  invalid_id_number: 'idNumber',
  duplicate_identity: 'idNumber',
  id_mismatch: 'idNumber',
  invalid_gender: 'gender',
  invalid_date: 'birthDate',
};

const $ = (id) => document.getElementById(id);

/** Field name → its control (the one focused) and its error line. */
const FIELDS = {
  username: { control: () => $('reg-username'), error: 'reg-username-error' },
  password: { control: () => $('reg-password'), error: 'reg-password-error' },
  confirm: { control: () => $('reg-confirm'), error: 'reg-confirm-error' },
  name: { control: () => $('reg-name'), error: 'reg-name-error' },
  idType: { control: () => $('reg-idtype'), error: 'reg-idtype-error' },
  idNumber: { control: () => $('reg-idnumber'), error: 'reg-idnumber-error' },
  gender: { control: () => $('reg-gender-male'), error: 'reg-gender-error', group: () => $('reg-gender-group') },
  birthDate: { control: () => $('reg-birth'), error: 'reg-birth-error' },
};
const ORDER = ['username', 'password', 'confirm', 'name', 'idType', 'idNumber', 'gender', 'birthDate'];

const state = {
  idType: RESIDENT,
  /** Field name → {key, params, server} shown under the field. */
  problems: {},
  /** The message above the button: {key, params, detail}. */
  summary: null,
  /** 'register' | 'login' while a call runs. */
  busy: null,
};

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * What an 18-character resident ID number says about its holder, or why it says nothing yet.
 * Only a hint: the region and the check character are the server's to judge.
 */
function deriveFromResidentID(raw) {
  const number = String(raw || '').trim().toUpperCase();
  if (!number) return { state: 'empty' };
  if (!/^\d{0,17}[\dX]?$/.test(number) || number.length > 18) return { state: 'malformed' };
  if (number.length < 18) return { state: 'partial', length: number.length };
  const year = Number(number.slice(6, 10));
  const month = Number(number.slice(10, 12));
  const day = Number(number.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { state: 'badDate' };
  }
  const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
  if (birthDate > today()) return { state: 'badDate' };
  return { state: 'ok', gender: Number(number[16]) % 2 === 1 ? '男' : '女', birthDate };
}

// ---------------------------------------------------------------- rendering

function renderIdTypes() {
  const select = $('reg-idtype');
  const chosen = select.value || state.idType;
  replaceChildren(select, ID_TYPES.map((code) => el('option', {
    attrs: { value: code, selected: code === chosen ? true : null }, text: t(`idType.${code}`),
  })));
}

function renderIdentityFields() {
  const resident = state.idType === RESIDENT;
  $('reg-gender-group').hidden = resident;
  $('reg-birth-field').hidden = resident;
  $('reg-birth').required = !resident;
  for (const radio of document.querySelectorAll('input[name="gender"]')) radio.required = !resident;
  renderDerived();
}

function renderDerived() {
  const hint = $('reg-derived');
  if (state.idType !== RESIDENT) {
    hint.textContent = t('register.otherIdHint');
    hint.classList.remove('reg-derived-ok');
    return;
  }
  const derived = deriveFromResidentID($('reg-idnumber').value);
  let text;
  if (derived.state === 'ok') {
    text = t('register.derived', { gender: t(`gender.${derived.gender}`), birthDate: derived.birthDate });
  } else if (derived.state === 'partial') {
    text = t('register.derivedPartial', { n: derived.length });
  } else if (derived.state === 'malformed') {
    text = t('register.derivedMalformed');
  } else if (derived.state === 'badDate') {
    text = t('register.derivedBadDate');
  } else {
    text = t('register.derivedEmpty');
  }
  hint.textContent = text;
  hint.classList.toggle('reg-derived-ok', derived.state === 'ok');
  hint.dataset.state = derived.state;
}

function renderProblems() {
  for (const name of ORDER) {
    const field = FIELDS[name];
    const box = $(field.error);
    const problem = state.problems[name];
    const target = field.group ? field.group() : field.control();
    if (problem) target.setAttribute('aria-invalid', 'true');
    else target.removeAttribute('aria-invalid');
    if (name === 'gender') {
      for (const radio of document.querySelectorAll('input[name="gender"]')) {
        if (problem) radio.setAttribute('aria-invalid', 'true');
        else radio.removeAttribute('aria-invalid');
      }
    }
    box.hidden = !problem;
    if (!problem) {
      box.replaceChildren();
      continue;
    }
    replaceChildren(box, [
      el('span', { class: 'reg-error-main', text: t(problem.key, problem.params) }),
      problem.server ? el('span', { class: 'reg-error-server', text: problem.server }) : null,
    ]);
  }
  const summary = $('register-error');
  const message = state.summary;
  summary.classList.toggle('is-visible', Boolean(message));
  if (!message) {
    summary.replaceChildren();
    delete summary.dataset.code;
    return;
  }
  summary.dataset.code = message.code || '';
  replaceChildren(summary, [
    icon('alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: t(message.key, message.params) }),
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
      message.link ? el('a', { class: 'alert-link', attrs: { href: message.link.href }, text: t(message.link.key) }) : null,
    ]),
  ]);
}

function renderBusy() {
  const submit = $('register-submit');
  submit.disabled = Boolean(state.busy);
  submit.classList.toggle('is-busy', Boolean(state.busy));
  submit.setAttribute('aria-busy', state.busy ? 'true' : 'false');
  const key = state.busy === 'register' ? 'register.submitting' : state.busy === 'login' ? 'register.signingIn' : 'register.submit';
  submit.querySelector('.btn-label').textContent = t(key);
}

function renderAll() {
  renderIdTypes();
  renderIdentityFields();
  renderProblems();
  renderBusy();
}

// ---------------------------------------------------------------- checking and sending

function read() {
  const gender = document.querySelector('input[name="gender"]:checked');
  return {
    username: $('reg-username').value.trim(),
    password: $('reg-password').value,
    confirm: $('reg-confirm').value,
    name: $('reg-name').value.trim(),
    idType: $('reg-idtype').value,
    idNumber: $('reg-idnumber').value.trim().toUpperCase(),
    gender: gender ? gender.value : '',
    birthDate: $('reg-birth').value,
  };
}

/** The problems a person can fix before anything is sent. */
function check(values) {
  const problems = {};
  if (!values.username) problems.username = { key: 'register.need.username' };
  if (!values.password) problems.password = { key: 'register.need.password' };
  if (!values.confirm) problems.confirm = { key: 'register.need.confirm' };
  else if (values.password && values.confirm !== values.password) problems.confirm = { key: 'register.confirmMismatch' };
  if (!values.name) problems.name = { key: 'register.need.name' };
  if (!values.idNumber) problems.idNumber = { key: 'register.need.idNumber' };
  if (values.idType !== RESIDENT) {
    if (!values.gender) problems.gender = { key: 'register.need.gender' };
    if (!values.birthDate) problems.birthDate = { key: 'register.need.birthDate' };
  }
  return problems;
}

function focusFirstProblem() {
  const first = ORDER.find((name) => state.problems[name]);
  if (first) FIELDS[first].control().focus();
  else $('register-error').focus();
}

/** Where a refusal from the server goes: under the field it is about, or above the button. */
function serverProblem(error) {
  const code = error instanceof ApiError ? error.code : 'generic';
  const server = error instanceof ApiError && error.message && error.message !== code ? error.message : '';
  let field = FIELD_OF_CODE[code] || null;
  if (code === 'invalid_identity') field = read().gender ? 'birthDate' : 'gender';
  const lead = has(`register.error.${code}`) ? `register.error.${code}` : null;
  if (field) {
    return { field, problem: { key: lead || 'register.error.other', server }, summary: { key: 'register.failedField', code } };
  }
  if (code === 'too_many_attempts' && Number.isFinite(error.retryAfter)) {
    return { summary: { key: 'error.too_many_attempts', params: { seconds: error.retryAfter }, code } };
  }
  if (lead) return { summary: { key: lead, detail: server || null, code } };
  if (has(`error.${code}`)) return { summary: { key: `error.${code}`, code } };
  return { summary: { key: 'register.failed', params: { message: server || t('error.generic') }, code } };
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.busy) return;
  const values = read();
  state.problems = check(values);
  state.summary = Object.keys(state.problems).length ? { key: 'register.fixMarked', code: 'client' } : null;
  renderProblems();
  if (state.summary) {
    focusFirstProblem();
    return;
  }

  state.busy = 'register';
  renderBusy();
  const body = {
    username: values.username,
    password: values.password,
    name: values.name,
    idType: values.idType,
    idNumber: values.idNumber,
  };
  if (values.idType !== RESIDENT) {
    body.gender = values.gender;
    body.birthDate = values.birthDate;
  }
  try {
    await call('POST', '/api/v1/register', body);
  } catch (error) {
    state.busy = null;
    renderBusy();
    const found = serverProblem(error);
    if (found.field) state.problems[found.field] = found.problem;
    state.summary = found.summary;
    renderProblems();
    focusFirstProblem();
    return;
  }

  // Registered: sign in as the new candidate, exactly as the login page does.
  state.busy = 'login';
  renderBusy();
  try {
    await api.login(values.username, values.password);
  } catch (error) {
    state.busy = null;
    renderBusy();
    state.summary = {
      key: 'register.loginFailed',
      detail: error instanceof ApiError && has(`error.${error.code}`) ? t(`error.${error.code}`) : (error && error.message) || null,
      code: 'login_failed',
      link: { href: '/index.html', key: 'register.toLogin' },
    };
    // The account exists now: the form must not be sent again.
    $('register-submit').disabled = true;
    renderProblems();
    $('register-error').focus();
    return;
  }
  $('reg-password').value = '';
  $('reg-confirm').value = '';
  window.location.replace('/apply.html');
}

/** Typing in a marked field clears its mark; the server's verdict is for what was sent. */
function onFieldInput(name) {
  if (!state.problems[name]) return;
  delete state.problems[name];
  if (!Object.keys(state.problems).length && state.summary && state.summary.code !== 'login_failed') state.summary = null;
  renderProblems();
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('register-error').tabIndex = -1;
  $('reg-birth').max = today();
  renderAll();

  $('register-form').addEventListener('submit', onSubmit);
  $('reg-idtype').addEventListener('change', () => {
    state.idType = $('reg-idtype').value;
    onFieldInput('idType');
    renderIdentityFields();
  });
  $('reg-idnumber').addEventListener('input', () => {
    onFieldInput('idNumber');
    renderDerived();
  });
  for (const name of ['username', 'password', 'confirm', 'name', 'birthDate']) {
    FIELDS[name].control().addEventListener('input', () => onFieldInput(name));
  }
  for (const radio of document.querySelectorAll('input[name="gender"]')) radio.addEventListener('change', () => onFieldInput('gender'));

  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      state.busy = null;
      renderBusy();
    }
  });
  document.body.classList.add('is-ready');
  $('reg-username').focus();
}

init();
