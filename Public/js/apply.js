// The candidate's application page (我的申报): the candidate's applications with their status, the
// eligibility engine's explanation and, for a rejected one, the administrator's reason; withdrawing
// a submitted one; a new application (申报) under the honesty commitment (告知承诺书), whose
// text is shown in full and must be accepted, with its SHA-256, before anything is sent; and the
// candidate's documents (证明材料: the ticket photo and proofs), checked by size and content before
// they are sent, listed, viewed and deleted.
//
// The server checks the form against the standard and explains eligibility; this page only makes
// sure the form can be read (numbers are whole numbers, the commitment is ticked). Server strings
// (names, explanations, reasons, problems) are only ever set as text.
import { api, ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatDateTime, formatNumber, getLang, has, t } from './i18n.js';
import { closeIcon, fetchFile, formatSize, headOf, openFile, sniff, uploadFile } from './files.js';

const PAGE_ROLES = ['candidate'];
const UNDIVIDED = '不分方向';
const EDUCATIONS = ['中专', '技工院校', '大专', '本科', '第二学士', '硕士', '博士'];
const TITLES = ['技术员', '助理工程师', '工程师', '高级工程师'];
const LEVELS = ['初级', '中级', '高级'];
const STATUSES = ['submitted', 'approved', 'rejected', 'withdrawn'];

/** Form field (as the server names it in `invalid_application`) → its control and error line. */
const FIELDS = {
  occupation: { control: 'apply-occupation', error: 'apply-occupation-error' },
  level: { control: 'apply-level', error: 'apply-level-error' },
  direction: { control: 'apply-direction', error: 'apply-direction-error' },
  education: { control: 'apply-education', error: 'apply-education-error' },
  finalYearOf: { control: 'apply-final-year', error: 'apply-final-year-error' },
  major: { control: 'apply-major', error: 'apply-major-error' },
  title: { control: 'apply-title', error: 'apply-title-error' },
  titleObtained: { control: 'apply-title-date', error: 'apply-title-date-error' },
  certificate: { control: 'apply-certificate', error: 'apply-certificate-error' },
  certificateObtained: { control: 'apply-certificate-date', error: 'apply-certificate-date-error' },
  certificateNumber: { control: 'apply-certificate-number', error: 'apply-certificate-number-error' },
  yearsInOccupation: { control: 'apply-years', error: 'apply-years-error' },
  trainingHours: { control: 'apply-hours', error: 'apply-hours-error' },
  employer: { control: 'apply-employer', error: 'apply-employer-error' },
  accepted: { control: 'apply-accept', error: 'apply-accept-error' },
};
const FIELD_ORDER = Object.keys(FIELDS);

const state = {
  me: null,
  standards: [],
  /** Occupation code → {status, doc} from `GET /api/v1/exams/{code}` (training hours, clauses). */
  docs: {},
  commitment: { status: 'idle' },
  mine: { status: 'idle' },
  /** Field → [{text} | {key, params}] under the field. */
  problems: {},
  /** The message above the submit button: {key, params, items, code}. */
  formError: null,
  submitting: false,
  /** The last submission's answer: {application, explanation, explanationEnglish}. */
  result: null,
  /** Application id → 'confirm' | 'busy' while withdrawing. */
  withdrawing: {},
  mineMessage: null,
  /** My documents (`GET /api/v1/evidence/mine`). */
  evidence: { status: 'idle' },
  evidenceKind: '',
  /** 'photo' | 'file' | 'kind' → the problem shown under that control. */
  evidenceProblems: {},
  evidenceMessage: null,
  /** 'photo' | 'document' while a file is being sent. */
  evidenceBusy: null,
  /** Evidence id → 'confirm' | 'busy' while deleting. */
  evidenceDeleting: {},
  /** The photo shown in the photo panel: {id, url} (an object URL), or {loading: id}. */
  photoURL: null,
};

const $ = (id) => document.getElementById(id);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const levelLabel = (level) => label('level', level);
const statusName = (status) => label('application.status', status);
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));

const applyApi = {
  standard: (code) => call('GET', `/api/v1/exams/${encodeURIComponent(code)}`),
  commitment: () => call('GET', '/api/v1/commitment'),
  mine: () => call('GET', '/api/v1/applications/mine'),
  submit: (body) => call('POST', '/api/v1/applications', body),
  withdraw: (id) => call('POST', `/api/v1/applications/${encodeURIComponent(id)}/withdraw`, {}),
};

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? `${standard.name}（${code}）` : text(code);
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The engine's explanation in the language on show. */
function explanationOf(view) {
  if (!view) return '';
  return text(getLang() === 'en' && view.explanationEnglish ? view.explanationEnglish : view.explanation);
}

// ---------------------------------------------------------------- the form: choices

function option(value, optionLabel, selected) {
  return el('option', { attrs: { value, selected: selected ? true : null }, text: optionLabel });
}

function levelsOf(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard ? list(standard.levels) : [];
}

/** The directions of a level; none when it has none or only 不分方向. */
function directionsOf(code, level) {
  const spec = levelsOf(code).find((entry) => entry.level === level);
  return spec ? list(spec.directions).filter((name) => typeof name === 'string' && name && name !== UNDIVIDED) : [];
}

/** The level's entry in the full standard (training hours), and its eligibility rules. */
function levelDoc(code, level) {
  const entry = state.docs[code];
  const standard = entry && entry.doc && entry.doc.standard;
  if (!standard) return null;
  return {
    spec: list(standard.levels).find((spec) => spec.level === level) || null,
    rules: list(standard.eligibility).find((rules) => rules.level === level) || null,
  };
}

/** Fills one select, keeping the current choice when it is still offered. */
function fillSelect(id, options, fallback = '') {
  const select = $(id);
  const values = options.map(([value]) => value);
  const chosen = values.includes(select.value) ? select.value : (values.includes(fallback) ? fallback : values[0] || '');
  replaceChildren(select, options.map(([value, optionLabel]) => option(value, optionLabel, value === chosen)));
  select.value = chosen;
}

function renderChoices() {
  fillSelect('apply-occupation', state.standards.map((standard) => [standard.code, occupationName(standard.code)]));
  const occupation = $('apply-occupation').value;
  fillSelect('apply-level', levelsOf(occupation).map((entry) => [entry.level, levelLabel(entry.level)]));
  const directions = directionsOf(occupation, $('apply-level').value);
  const direction = $('apply-direction');
  if (directions.length) {
    fillSelect('apply-direction', [['', t('apply.choose')], ...directions.map((name) => [name, name])]);
  } else {
    replaceChildren(direction, [option('', t('direction.undivided'), true)]);
  }
  direction.disabled = !directions.length;
  direction.required = directions.length > 0;
  $('apply-direction-required').hidden = !directions.length;
  const hint = $('apply-direction-hint');
  hint.hidden = directions.length > 0;
  hint.textContent = directions.length ? '' : t('apply.hint.noDirections');

  fillSelect('apply-education', [['', t('apply.none.education')], ...EDUCATIONS.map((value) => [value, label('education', value)])]);
  fillSelect('apply-final-year', [['', t('apply.none.finalYearOf')], ...EDUCATIONS.map((value) => [value, label('education', value)])]);
  fillSelect('apply-title', [['', t('apply.none.title')], ...TITLES.map((value) => [value, label('title', value)])]);
  fillSelect('apply-certificate', [['', t('apply.none.certificate')], ...LEVELS.map((value) => [value, levelLabel(value)])]);
  renderDependentFields();
  renderLevelInfo();
}

/** A date or number only makes sense with its title or certificate. */
function renderDependentFields() {
  const hasTitle = Boolean($('apply-title').value);
  $('apply-title-date').disabled = !hasTitle;
  if (!hasTitle) $('apply-title-date').value = '';
  const hasCertificate = Boolean($('apply-certificate').value);
  for (const id of ['apply-certificate-date', 'apply-certificate-number']) {
    $(id).disabled = !hasCertificate;
    if (!hasCertificate) $(id).value = '';
  }
}

/** The level's training requirement and its clauses, from the full standard. */
function renderLevelInfo() {
  const occupation = $('apply-occupation').value;
  const level = $('apply-level').value;
  const entry = state.docs[occupation];
  const hint = $('apply-hours-hint');
  const rulesBody = $('apply-rules-body');
  const info = levelDoc(occupation, level);
  if (!entry || entry.status === 'loading') {
    hint.textContent = t('apply.hint.trainingLoading');
    replaceChildren(rulesBody, loadingState(2));
    return;
  }
  if (!info || !info.spec) {
    hint.textContent = t('apply.hint.trainingUnknown');
    replaceChildren(rulesBody, el('p', { class: 'field-hint', text: t('apply.rules.unavailable') }));
    return;
  }
  const hours = Number(info.spec.training_hours);
  const required = info.rules ? info.rules.requires_training !== false : true;
  hint.textContent = Number.isFinite(hours) && hours > 0 && required
    ? t('apply.hint.trainingHours', { n: formatNumber(hours), level: levelLabel(level) })
    : t('apply.hint.trainingNone');
  hint.dataset.hours = Number.isFinite(hours) ? String(hours) : '';
  const clauses = info.rules ? list(info.rules.clauses) : [];
  replaceChildren(rulesBody, clauses.length
    ? [
      required && hours > 0 ? el('p', { class: 'field-hint', text: t('apply.rules.training', { n: formatNumber(hours) }) }) : null,
      el('ol', { class: 'apply-rules-list' }, clauses.map((clause) => el('li', {}, [
        el('span', { class: 'apply-clause-id mono', text: text(clause.id) }),
        el('span', { text: text(clause.text) }),
      ]))),
    ]
    : el('p', { class: 'field-hint', text: t('apply.rules.none') }));
}

async function loadDoc(code) {
  if (!code || state.docs[code]) return;
  state.docs[code] = { status: 'loading' };
  renderLevelInfo();
  try {
    const doc = await applyApi.standard(code);
    state.docs[code] = { status: 'ok', doc };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.docs[code] = { status: 'error', error };
  }
  if ($('apply-occupation').value === code) renderLevelInfo();
}

function onTargetChange(event) {
  clearProblem(event.target.id === 'apply-occupation' ? 'occupation' : event.target.id === 'apply-level' ? 'level' : 'direction');
  renderChoices();
  loadDoc($('apply-occupation').value);
}

// ---------------------------------------------------------------- the commitment

/** The commitment text as headings and paragraphs: `#` lines are headings, blank lines split paragraphs. */
function commitmentNodes(source) {
  const blocks = text(source).replace(/\r\n/g, '\n').split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean);
  return blocks.map((block) => {
    const heading = /^#+\s*(.*)$/.exec(block);
    if (heading && !block.includes('\n')) return el('h3', { class: 'commitment-heading', text: heading[1] });
    return el('p', { class: 'commitment-paragraph', text: block });
  });
}

function renderCommitment() {
  const box = $('commitment-box');
  const commitment = state.commitment;
  box.setAttribute('aria-busy', commitment.status === 'loading' || commitment.status === 'idle' ? 'true' : 'false');
  if (commitment.status === 'ok') {
    replaceChildren(box, [
      ...commitmentNodes(commitment.data.text),
      el('p', { class: 'commitment-hash' }, [
        el('span', { text: t('apply.commitment.version') }),
        el('span', { class: 'mono', attrs: { id: 'commitment-sha' }, text: text(commitment.data.sha256) }),
      ]),
    ]);
    $('apply-accept').disabled = false;
    return;
  }
  $('apply-accept').disabled = true;
  if (commitment.status === 'error') {
    replaceChildren(box, errorState(commitment.error, loadCommitment));
    return;
  }
  replaceChildren(box, loadingState(4));
}

async function loadCommitment() {
  state.commitment = { status: 'loading' };
  renderCommitment();
  try {
    const data = await applyApi.commitment();
    if (!data || typeof data.text !== 'string' || typeof data.sha256 !== 'string') throw new ApiError(0, 'generic', '');
    state.commitment = { status: 'ok', data };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.commitment = { status: 'error', error };
  }
  renderCommitment();
}

// ---------------------------------------------------------------- the form: problems and sending

function renderProblems() {
  for (const name of FIELD_ORDER) {
    const field = FIELDS[name];
    const control = $(field.control);
    const box = $(field.error);
    const problems = state.problems[name] || [];
    if (problems.length) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    box.hidden = !problems.length;
    replaceChildren(box, problems.map((problem) => el('span', {
      class: 'apply-problem', text: problem.key ? t(problem.key, problem.params) : problem.text,
    })));
  }
  const box = $('apply-error');
  const message = state.formError;
  box.classList.toggle('is-visible', Boolean(message));
  if (!message) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.code = message.code || '';
  replaceChildren(box, [
    icon('alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: t(message.key, message.params) }),
      message.items && message.items.length
        ? el('ul', { class: 'apply-problems', attrs: { id: 'apply-problems' } }, message.items.map((item) => el('li', { text: item })))
        : null,
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
    ]),
  ]);
}

function clearProblem(name) {
  if (!state.problems[name]) return;
  delete state.problems[name];
  if (!Object.keys(state.problems).length && state.formError && state.formError.code === 'client') state.formError = null;
  renderProblems();
}

function focusFirstProblem() {
  const first = FIELD_ORDER.find((name) => state.problems[name] && !$(FIELDS[name].control).disabled);
  if (first) $(FIELDS[first].control).focus();
  else $('apply-error').focus();
}

/** A whole number from a number field, or null. */
function wholeNumber(id) {
  const raw = $(id).value.trim();
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function readForm() {
  const value = (id) => $(id).value.trim();
  const optional = (id) => value(id) || null;
  return {
    occupation: value('apply-occupation'),
    level: value('apply-level'),
    direction: $('apply-direction').disabled ? null : optional('apply-direction'),
    education: optional('apply-education'),
    finalYearOf: optional('apply-final-year'),
    major: optional('apply-major'),
    relevantMajor: $('apply-relevant').checked,
    title: optional('apply-title'),
    titleObtained: optional('apply-title-date'),
    certificate: optional('apply-certificate'),
    certificateObtained: optional('apply-certificate-date'),
    certificateNumber: optional('apply-certificate-number'),
    yearsInOccupation: wholeNumber('apply-years'),
    technicalSchoolGraduate: $('apply-technical').checked,
    trainingHours: wholeNumber('apply-hours'),
    employer: optional('apply-employer'),
  };
}

/** What must be right before sending: a readable form and the commitment ticked. */
function checkForm(form) {
  const problems = {};
  if (!form.occupation) problems.occupation = [{ key: 'apply.need.occupation' }];
  if (!form.level) problems.level = [{ key: 'apply.need.level' }];
  if (!$('apply-direction').disabled && !form.direction) problems.direction = [{ key: 'apply.need.direction' }];
  if (form.yearsInOccupation === null) problems.yearsInOccupation = [{ key: 'apply.need.wholeNumber' }];
  if (form.trainingHours === null) problems.trainingHours = [{ key: 'apply.need.wholeNumber' }];
  if (!$('apply-accept').checked) problems.accepted = [{ key: 'apply.need.accept' }];
  return problems;
}

/** `invalid_application` lists every problem as "field: message", separated by "; ". */
function splitProblems(message) {
  return text(message).split('; ').map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^([A-Za-z]+):\s*(.*)$/.exec(part);
    return match && FIELDS[match[1]] ? { field: match[1], text: match[2] } : { field: null, text: part };
  });
}

function renderSubmit() {
  const button = $('apply-submit');
  button.disabled = state.submitting || state.commitment.status !== 'ok' || !state.standards.length;
  button.classList.toggle('is-busy', state.submitting);
  button.setAttribute('aria-busy', String(state.submitting));
  button.querySelector('.btn-label').textContent = t(state.submitting ? 'apply.submitting' : 'apply.submit');
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.submitting) return;
  const form = readForm();
  state.problems = checkForm(form);
  if (Object.keys(state.problems).length) {
    state.formError = { key: state.problems.accepted && Object.keys(state.problems).length === 1 ? 'apply.error.needAccept' : 'apply.error.client', code: 'client' };
    renderProblems();
    focusFirstProblem();
    return;
  }
  state.formError = null;
  state.submitting = true;
  state.result = null;
  renderProblems();
  renderResult();
  renderSubmit();
  let answer = null;
  try {
    answer = await applyApi.submit({ form, commitmentSHA256: state.commitment.data.sha256, accepted: true });
  } catch (error) {
    state.submitting = false;
    renderSubmit();
    if (endIfUnauthenticated(error)) return;
    onSubmitError(error);
    return;
  }
  state.submitting = false;
  state.result = answer || {};
  // A new application needs a new acceptance.
  $('apply-accept').checked = false;
  renderSubmit();
  renderResult();
  $('apply-result').focus();
  loadMine();
}

function onSubmitError(error) {
  const code = error instanceof ApiError ? error.code : 'generic';
  const server = error instanceof ApiError && error.message !== code ? text(error.message) : '';
  if (code === 'invalid_application') {
    const problems = splitProblems(server);
    for (const problem of problems) {
      if (problem.field) (state.problems[problem.field] ||= []).push({ text: problem.text });
    }
    state.formError = { key: 'apply.error.invalid_application', params: { n: formatNumber(problems.length) }, items: problems.map((problem) => (problem.field ? `${fieldName(problem.field)}：${problem.text}` : problem.text)), code };
  } else if (code === 'commitment_changed') {
    $('apply-accept').checked = false;
    state.problems.accepted = [{ key: 'apply.error.commitment_changed' }];
    state.formError = { key: 'apply.error.commitment_changed', detail: server, code };
    loadCommitment();
  } else if (code === 'commitment_required') {
    state.problems.accepted = [{ key: 'apply.need.accept' }];
    state.formError = { key: 'apply.error.needAccept', detail: server, code };
  } else if (has(`apply.error.${code}`)) {
    state.formError = { key: `apply.error.${code}`, detail: server, code };
  } else {
    state.formError = { key: 'apply.error.other', params: { message: errorMessage(error) }, code };
  }
  renderProblems();
  focusFirstProblem();
}

function fieldName(field) {
  return has(`apply.fieldName.${field}`) ? t(`apply.fieldName.${field}`) : field;
}

// ---------------------------------------------------------------- the result of a submission

function verdictView(view, { id, headingLevel = 'h3' } = {}) {
  const application = (view && view.application) || {};
  const eligibility = application.eligibility || {};
  const eligible = eligibility.eligible === true;
  const clause = text(eligibility.metClause);
  return el('div', { class: `apply-verdict ${eligible ? 'is-ok' : 'is-bad'}`, attrs: id ? { id } : {}, dataset: { eligible: String(eligible) } }, [
    el('span', { class: 'report-verdict-icon' }, icon(eligible ? 'shieldOk' : 'shieldBad')),
    el('div', { class: 'apply-verdict-text' }, [
      el(headingLevel, { class: 'apply-verdict-title', text: eligible ? t('apply.verdict.eligible', { clause }) : t('apply.verdict.ineligible') }),
      el('p', { class: 'apply-explanation', text: explanationOf(view) }),
    ]),
  ]);
}

function renderResult() {
  const box = $('apply-result');
  const result = state.result;
  box.hidden = !result;
  if (!result) {
    replaceChildren(box);
    return;
  }
  const application = result.application || {};
  const eligible = Boolean(application.eligibility && application.eligibility.eligible);
  box.dataset.eligible = String(eligible);
  replaceChildren(box, [
    el('h3', { class: 'apply-result-title', attrs: { id: 'apply-result-title' } }, [
      icon('check'),
      el('span', { text: t('apply.result.submitted', { id: text(application.id) }) }),
    ]),
    el('p', { class: 'apply-result-target', text: [occupationName(application.form && application.form.occupation), levelLabel(application.form && application.form.level), directionName(application.form && application.form.direction)].join(t('apply.separator')) }),
    verdictView(result, { id: 'apply-result-verdict', headingLevel: 'h4' }),
    el('p', { class: 'review-note', text: t(eligible ? 'apply.result.next' : 'apply.result.nextIneligible') }),
  ]);
}

// ---------------------------------------------------------------- my applications

function statusTag(status) {
  return el('span', { class: `app-status app-status-${STATUSES.includes(status) ? status : 'other'}`, text: statusName(status) });
}

function applicationCard(view) {
  const application = view.application || {};
  const form = application.form || {};
  const id = text(application.id);
  const status = text(application.status);
  const withdrawing = state.withdrawing[id];
  const children = [
    el('div', { class: 'app-card-head' }, [
      el('h3', { class: 'app-card-title' }, [
        el('span', { text: occupationName(form.occupation) }),
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(form.level) }, text: levelLabel(form.level) }),
      ]),
      statusTag(status),
    ]),
    el('dl', { class: 'meta-facts app-facts' }, [
      fact('apply.fact.direction', directionName(form.direction)),
      fact('apply.fact.id', el('span', { class: 'mono', text: id })),
      fact('apply.fact.createdAt', application.createdAt ? el('time', { attrs: { datetime: text(application.createdAt) }, text: formatDateTime(application.createdAt) }) : '—'),
      application.decidedAt ? fact('apply.fact.decidedAt', el('time', { attrs: { datetime: text(application.decidedAt) }, text: formatDateTime(application.decidedAt) })) : null,
    ]),
  ];
  if (status === 'rejected') {
    children.push(el('div', { class: 'app-reason is-rejected', attrs: { role: 'note' } }, [
      icon('alert'),
      el('div', {}, [
        el('p', { class: 'app-reason-title', text: t('apply.reason.rejected') }),
        el('p', { class: 'app-reason-text', text: text(application.reason) || t('apply.reason.none') }),
      ]),
    ]));
  } else if (application.reason) {
    children.push(el('div', { class: 'app-reason' }, [
      icon('clipboard'),
      el('div', {}, [
        el('p', { class: 'app-reason-title', text: t('apply.reason.note') }),
        el('p', { class: 'app-reason-text', text: text(application.reason) }),
      ]),
    ]));
  }
  children.push(verdictView(view, { headingLevel: 'h4' }));
  if (status === 'submitted') {
    const busy = withdrawing === 'busy';
    if (withdrawing) {
      children.push(el('div', { class: 'seal-confirm app-withdraw-confirm', attrs: { role: 'group', 'aria-labelledby': `withdraw-text-${id}` }, on: { keydown: (event) => onConfirmKey(event, id) } }, [
        el('p', { class: 'seal-confirm-text', attrs: { id: `withdraw-text-${id}` }, text: t('apply.withdraw.confirm') }),
        el('div', { class: 'form-actions' }, [
          el('button', {
            class: `btn btn-danger${busy ? ' is-busy' : ''}`,
            attrs: { type: 'button', 'aria-disabled': busy ? 'true' : null },
            dataset: { action: 'withdraw-confirm', id },
            on: { click: () => withdraw(id) },
          }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: t(busy ? 'apply.withdraw.working' : 'apply.withdraw.yes') })]),
          el('button', {
            class: 'btn btn-outline',
            attrs: { type: 'button', 'aria-disabled': busy ? 'true' : null },
            dataset: { action: 'withdraw-cancel', id },
            on: { click: () => cancelWithdraw(id) },
            text: t('papers.action.cancel'),
          }),
        ]),
      ]));
    } else {
      children.push(el('div', { class: 'form-actions' }, [
        el('button', {
          class: 'btn btn-outline btn-sm', attrs: { type: 'button' }, dataset: { action: 'withdraw', id },
          on: { click: () => askWithdraw(id) },
        }, [icon('rotate'), el('span', { class: 'btn-label', text: t('apply.withdraw.button') })]),
      ]));
    }
  }
  return el('li', { class: `app-card app-card-${status}`, dataset: { id, status, level: text(form.level) } }, children);
}

function fact(key, value) {
  return el('div', { class: 'meta-fact' }, [el('dt', { text: t(key) }), el('dd', {}, typeof value === 'string' ? el('span', { text: value }) : value)]);
}

function renderMine() {
  const section = state.mine;
  const body = $('mine-body');
  const count = $('mine-count');
  $('mine-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  renderMineMessage();
  if (!section.data && (section.status === 'idle' || section.status === 'loading')) {
    count.hidden = true;
    replaceChildren(body, el('div', { class: 'panel' }, loadingState(3)));
    return;
  }
  if (!section.data) {
    count.hidden = true;
    replaceChildren(body, el('div', { class: 'panel' }, errorState(section.error, loadMine)));
    return;
  }
  const views = [...section.data].sort((a, b) => text(b.application && b.application.createdAt).localeCompare(text(a.application && a.application.createdAt)));
  count.hidden = false;
  count.textContent = t('apply.list.count', { count: formatNumber(views.length) });
  const focused = body.contains(document.activeElement) ? document.activeElement : null;
  const focusKey = focused && focused.dataset.action ? `${focused.dataset.action}:${focused.dataset.id}` : null;
  replaceChildren(body, [
    views.length
      ? el('ul', { class: 'app-list', attrs: { id: 'mine-list', role: 'list' } }, views.map(applicationCard))
      : el('p', { class: 'empty', attrs: { id: 'mine-empty' }, text: t('apply.list.empty') }),
    section.status === 'error' ? errorState(section.error, loadMine) : null,
  ]);
  if (focusKey) {
    const [action, id] = focusKey.split(':');
    const again = Array.from(body.querySelectorAll('[data-action]')).find((node) => node.dataset.action === action && node.dataset.id === id);
    if (again) again.focus();
  }
}

function renderMineMessage() {
  const box = $('mine-message');
  const message = state.mineMessage;
  box.className = `alert alert-live${message ? ` is-visible alert-${message.kind}` : ''}`;
  if (!message) {
    box.replaceChildren();
    return;
  }
  replaceChildren(box, [icon(message.kind === 'success' ? 'check' : 'alert'), el('span', { text: t(message.key, message.params) })]);
}

async function loadMine() {
  const token = {};
  state.mine = { ...state.mine, status: 'loading', token };
  renderMine();
  try {
    const data = await applyApi.mine();
    if (state.mine.token !== token) return;
    state.mine = { status: 'ok', data: list(data && data.applications), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.mine.token !== token) return;
    state.mine = { ...state.mine, status: 'error', error, token };
  }
  renderMine();
}

function askWithdraw(id) {
  state.withdrawing[id] = 'confirm';
  state.mineMessage = null;
  renderMine();
  const button = Array.from(document.querySelectorAll('[data-action="withdraw-confirm"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

function cancelWithdraw(id) {
  if (state.withdrawing[id] === 'busy') return;
  delete state.withdrawing[id];
  renderMine();
  const button = Array.from(document.querySelectorAll('[data-action="withdraw"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

function onConfirmKey(event, id) {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  cancelWithdraw(id);
}

async function withdraw(id) {
  if (state.withdrawing[id] === 'busy') return;
  state.withdrawing[id] = 'busy';
  renderMine();
  try {
    await applyApi.withdraw(id);
    state.mineMessage = { kind: 'success', key: 'apply.withdraw.done', params: { id } };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    state.mineMessage = { kind: 'error', key: has(`apply.withdraw.error.${code}`) ? `apply.withdraw.error.${code}` : 'apply.withdraw.error.other', params: { message: errorMessage(error) } };
  }
  delete state.withdrawing[id];
  await loadMine();
  $('mine-message').focus();
}

// ---------------------------------------------------------------- evidence (证明材料)

/** The server's rules, checked here first so a wrong file gets a clear answer before it is sent. */
const EVIDENCE_KINDS = ['photo', 'education', 'title', 'certificate', 'training', 'other'];
const DOCUMENT_KINDS = EVIDENCE_KINDS.filter((kind) => kind !== 'photo');
const MIB = 1024 * 1024;
const EVIDENCE_RULES = {
  photo: { types: ['image/jpeg', 'image/png'], max: 2 * MIB },
  document: { types: ['image/jpeg', 'image/png', 'application/pdf'], max: 5 * MIB },
};
const TYPE_NAMES = { 'image/jpeg': 'JPG', 'image/png': 'PNG', 'application/pdf': 'PDF' };

const evidenceApi = {
  mine: () => call('GET', '/api/v1/evidence/mine'),
  upload: (kind, file, type) => uploadFile(`/api/v1/evidence?kind=${encodeURIComponent(kind)}&name=${encodeURIComponent(file.name)}`, file, type),
  remove: (id) => call('DELETE', `/api/v1/evidence/${encodeURIComponent(id)}`),
  path: (id) => `/api/v1/evidence/${encodeURIComponent(id)}`,
};

const evidenceName = (kind) => label('evidence.kind', kind);

/**
 * What is wrong with a file for a kind, or null: its size, then its content (the first bytes,
 * not the name or the browser's guess). Resolves to {problem} or {type} (the content's type).
 */
async function checkEvidenceFile(file, kind) {
  const rule = kind === 'photo' ? EVIDENCE_RULES.photo : EVIDENCE_RULES.document;
  const names = rule.types.map((type) => TYPE_NAMES[type]);
  const allowed = names.length > 1 ? `${names.slice(0, -1).join(t('evidence.listSeparator'))}${t('evidence.or')}${names[names.length - 1]}` : names[0];
  if (!file) return { problem: t('evidence.need.file') };
  if (file.size === 0) return { problem: t('evidence.need.notEmpty') };
  if (file.size > rule.max) {
    return { problem: t('evidence.need.size', { kind: evidenceName(kind), max: formatSize(rule.max), size: formatSize(file.size) }) };
  }
  const type = sniff(await headOf(file, 16));
  if (!type || !rule.types.includes(type)) {
    return { problem: t(type ? 'evidence.need.typeKind' : 'evidence.need.type', { kind: evidenceName(kind), allowed, name: file.name }) };
  }
  return { type };
}

function latestPhoto() {
  return list(state.evidence.data).filter((item) => item.kind === 'photo')
    .sort((a, b) => text(a.uploadedAt).localeCompare(text(b.uploadedAt))).pop() || null;
}

function renderEvidenceProblems() {
  for (const [key, control] of [['photo', 'evidence-photo-file'], ['file', 'evidence-file'], ['kind', 'evidence-kind']]) {
    const problem = state.evidenceProblems[key];
    const box = $(`${control}-error`);
    if (problem) $(control).setAttribute('aria-invalid', 'true');
    else $(control).removeAttribute('aria-invalid');
    box.hidden = !problem;
    box.textContent = problem || '';
  }
  for (const [id, busy, labelKey] of [['evidence-photo-upload', state.evidenceBusy === 'photo', 'evidence.photo.upload'], ['evidence-upload', state.evidenceBusy === 'document', 'evidence.doc.upload']]) {
    const button = $(id);
    button.classList.toggle('is-busy', busy);
    button.setAttribute('aria-busy', String(busy));
    button.setAttribute('aria-disabled', state.evidenceBusy ? 'true' : 'false');
    button.querySelector('.btn-label').textContent = t(busy ? 'evidence.uploading' : labelKey);
  }
}

function renderEvidenceMessage() {
  const box = $('evidence-message');
  const message = state.evidenceMessage;
  box.className = `alert alert-live${message ? ` is-visible alert-${message.kind}` : ''}`;
  if (!message) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.code = message.code || message.kind;
  replaceChildren(box, [
    icon(message.kind === 'success' ? 'check' : 'alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: t(message.key, message.params) }),
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
    ]),
  ]);
}

function renderPhotoPreview() {
  const box = $('evidence-photo-preview');
  const photo = latestPhoto();
  const shown = photo && state.photoURL && state.photoURL.id === photo.id ? state.photoURL.url : null;
  box.className = `ticket-photo evidence-photo${shown ? ' has-photo' : ' is-empty'}`;
  box.dataset.photo = photo ? text(photo.id) : '';
  replaceChildren(box, shown
    ? el('img', { attrs: { src: shown, alt: t('evidence.photo.alt') } })
    : el('span', { class: 'ticket-photo-text', text: t(photo ? 'ticket.photoLoading' : 'ticket.noPhoto') }));
  if (photo && !shown) loadPhotoPreview(photo.id);
}

async function loadPhotoPreview(id) {
  if (state.photoURL && (state.photoURL.id === id || state.photoURL.loading === id)) return;
  state.photoURL = { loading: id };
  try {
    const { blob } = await fetchFile(evidenceApi.path(id));
    if (!state.photoURL || state.photoURL.loading !== id) return;
    state.photoURL = { id, url: URL.createObjectURL(blob) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.photoURL = null;
    return;
  }
  renderPhotoPreview();
}

function evidenceRow(item) {
  const id = text(item.id);
  const deleting = state.evidenceDeleting[id];
  const busy = deleting === 'busy';
  const actions = deleting
    ? el('div', { class: 'plan-confirm', attrs: { role: 'group', 'aria-labelledby': `evidence-delete-${id}` }, on: { keydown: (event) => { if (event.key === 'Escape') { event.preventDefault(); cancelEvidenceDelete(id); } } } }, [
      el('span', { class: 'plan-confirm-text', attrs: { id: `evidence-delete-${id}` }, text: t('evidence.delete.confirm') }),
      el('button', {
        class: `btn btn-danger btn-sm${busy ? ' is-busy' : ''}`, attrs: { type: 'button', 'aria-busy': busy ? 'true' : null }, dataset: { action: 'evidence-delete-confirm', id },
        on: { click: () => deleteEvidence(id) },
      }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: t(busy ? 'evidence.delete.working' : 'evidence.delete.yes') })]),
      el('button', { class: 'btn btn-outline btn-sm', attrs: { type: 'button' }, dataset: { action: 'evidence-delete-cancel', id }, text: t('papers.action.cancel'), on: { click: () => cancelEvidenceDelete(id) } }),
    ])
    : el('div', { class: 'plan-actions' }, [
      el('button', { class: 'btn btn-ghost btn-sm', attrs: { type: 'button' }, dataset: { action: 'evidence-view', id }, on: { click: () => viewEvidence(item) } }, [icon('eye'), el('span', { text: t('evidence.view') })]),
      el('button', { class: 'btn btn-ghost btn-sm btn-quiet-danger', attrs: { type: 'button' }, dataset: { action: 'evidence-delete', id }, on: { click: () => askEvidenceDelete(id) } }, [closeIcon(), el('span', { text: t('evidence.delete.button') })]),
    ]);
  return el('tr', { dataset: { id, kind: text(item.kind) } }, [
    el('td', {}, el('span', { class: `tag evidence-kind evidence-kind-${EVIDENCE_KINDS.includes(item.kind) ? item.kind : 'other'}`, text: evidenceName(item.kind) })),
    el('th', { attrs: { scope: 'row' }, class: 'evidence-name', text: text(item.fileName) }),
    el('td', { class: 'cell-muted', text: `${TYPE_NAMES[item.contentType] || text(item.contentType)} · ${formatSize(item.size)}` }),
    el('td', { class: 'cell-muted' }, item.uploadedAt ? el('time', { attrs: { datetime: text(item.uploadedAt) }, text: formatDateTime(item.uploadedAt) }) : '—'),
    el('td', {}, actions),
  ]);
}

function renderEvidence() {
  if (!$('evidence-section')) return;
  const section = state.evidence;
  const body = $('evidence-body');
  const count = $('evidence-count');
  replaceChildren($('evidence-kind'), [
    option('', t('evidence.doc.chooseKind'), !DOCUMENT_KINDS.includes(state.evidenceKind)),
    ...DOCUMENT_KINDS.map((kind) => option(kind, evidenceName(kind), kind === state.evidenceKind)),
  ]);
  renderEvidenceProblems();
  renderEvidenceMessage();
  body.dataset.state = section.status;
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  if (!section.data) {
    count.hidden = true;
    replaceChildren(body, section.status === 'error' ? errorState(section.error, loadEvidence) : loadingState(2));
    renderPhotoPreview();
    return;
  }
  const items = [...section.data].sort((a, b) => text(b.uploadedAt).localeCompare(text(a.uploadedAt)));
  count.hidden = false;
  count.textContent = t('evidence.count', { count: formatNumber(items.length) });
  const focused = body.contains(document.activeElement) && document.activeElement.dataset.action
    ? `${document.activeElement.dataset.action}:${document.activeElement.dataset.id}` : null;
  replaceChildren(body, items.length
    ? el('div', { class: 'table-wrap' }, el('table', { class: 'table evidence-table', attrs: { id: 'evidence-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('evidence.caption') }),
      el('thead', {}, el('tr', {}, ['kind', 'name', 'type', 'uploadedAt', 'actions'].map((column) => el('th', { attrs: { scope: 'col' }, text: t(`evidence.col.${column}`) })))),
      el('tbody', {}, items.map(evidenceRow)),
    ]))
    : el('p', { class: 'empty', attrs: { id: 'evidence-empty' }, text: t('evidence.empty') }));
  if (focused) {
    const [action, id] = focused.split(':');
    const again = Array.from(body.querySelectorAll('[data-action]')).find((node) => node.dataset.action === action && node.dataset.id === id);
    if (again) again.focus();
  }
  renderPhotoPreview();
}

async function loadEvidence() {
  state.evidence = { ...state.evidence, status: 'loading' };
  renderEvidence();
  try {
    const data = await evidenceApi.mine();
    state.evidence = { status: 'ok', data: list(data && data.evidence) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.evidence = { ...state.evidence, status: 'error', error };
  }
  renderEvidence();
}

/** Checks and sends one file; `slot` is 'photo' (the photo panel) or 'document' (the form). */
async function sendEvidence(slot) {
  if (state.evidenceBusy) return;
  const photo = slot === 'photo';
  const input = $(photo ? 'evidence-photo-file' : 'evidence-file');
  const kind = photo ? 'photo' : $('evidence-kind').value;
  const problemKey = photo ? 'photo' : 'file';
  state.evidenceProblems = {};
  state.evidenceMessage = null;
  if (!photo && !DOCUMENT_KINDS.includes(kind)) {
    state.evidenceProblems.kind = t('evidence.need.kind');
    renderEvidence();
    $('evidence-kind').focus();
    return;
  }
  const file = input.files && input.files[0];
  const checked = await checkEvidenceFile(file, kind);
  if (checked.problem) {
    state.evidenceProblems[problemKey] = checked.problem;
    renderEvidence();
    input.focus();
    return;
  }
  state.evidenceBusy = slot;
  renderEvidence();
  try {
    const answer = await evidenceApi.upload(kind, file, checked.type);
    const item = (answer && answer.evidence) || {};
    state.evidenceMessage = { kind: 'success', key: 'evidence.done.upload', params: { kind: evidenceName(kind), name: text(item.fileName) || file.name }, code: 'uploaded' };
    input.value = '';
  } catch (error) {
    state.evidenceBusy = null;
    if (endIfUnauthenticated(error)) return;
    // The server has the last word: its reason goes beside the file it concerns.
    state.evidenceProblems[problemKey] = errorMessage(error);
    state.evidenceMessage = { kind: 'error', key: 'evidence.error.upload', params: { message: errorMessage(error) }, code: error instanceof ApiError ? error.code : 'generic' };
    renderEvidence();
    input.focus();
    return;
  }
  state.evidenceBusy = null;
  await loadEvidence();
  $('evidence-message').focus();
}

async function viewEvidence(item) {
  try {
    const how = await openFile(evidenceApi.path(item.id), text(item.fileName));
    if (how === 'saved') state.evidenceMessage = { kind: 'success', key: 'evidence.done.saved', params: { name: text(item.fileName) }, code: 'saved' };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.evidenceMessage = { kind: 'error', key: 'evidence.error.view', params: { message: errorMessage(error) }, code: error instanceof ApiError ? error.code : 'generic' };
  }
  renderEvidenceMessage();
}

function askEvidenceDelete(id) {
  state.evidenceDeleting = { [id]: 'confirm' };
  state.evidenceMessage = null;
  renderEvidence();
  const button = Array.from(document.querySelectorAll('[data-action="evidence-delete-confirm"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

function cancelEvidenceDelete(id) {
  if (state.evidenceDeleting[id] === 'busy') return;
  delete state.evidenceDeleting[id];
  renderEvidence();
  const button = Array.from(document.querySelectorAll('[data-action="evidence-delete"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

async function deleteEvidence(id) {
  if (state.evidenceDeleting[id] === 'busy') return;
  state.evidenceDeleting[id] = 'busy';
  renderEvidence();
  try {
    await evidenceApi.remove(id);
    state.evidenceMessage = { kind: 'success', key: 'evidence.done.delete', code: 'deleted' };
    if (state.photoURL && state.photoURL.id === id) state.photoURL = null;
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    state.evidenceMessage = {
      kind: 'error', key: has(`evidence.error.${code}`) ? `evidence.error.${code}` : 'evidence.error.delete', params: { message: errorMessage(error) }, code,
    };
  }
  delete state.evidenceDeleting[id];
  await loadEvidence();
  $('evidence-message').focus();
}

// ---------------------------------------------------------------- page

async function loadStandards() {
  try {
    const data = await api.exams();
    state.standards = list(data && data.standards);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.standards = [];
    state.formError = { key: 'apply.error.standards', params: { message: errorMessage(error) }, code: 'standards' };
    renderProblems();
  }
  renderChoices();
  renderSubmit();
  renderMine();
  await loadDoc($('apply-occupation').value);
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  renderChoices();
  renderCommitment();
  renderProblems();
  renderSubmit();
  renderResult();
  renderMine();
  renderEvidence();
}

async function start() {
  const me = await loadSession();
  if (!me) return;
  state.me = me;
  $('page-status').hidden = true;
  document.body.classList.remove('is-loading');
  if (!holdsAny(PAGE_ROLES)) {
    renderHeader();
    $('access-denied').hidden = false;
    document.body.classList.add('is-denied');
    return;
  }
  $('content').hidden = false;
  renderAll();
  await Promise.all([loadStandards(), loadCommitment(), loadMine(), loadEvidence()]);
  renderSubmit();
  document.body.classList.add('is-ready');
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  for (const id of ['apply-title-date', 'apply-certificate-date']) $(id).max = today();
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('apply-form').addEventListener('submit', onSubmit);
  for (const id of ['apply-occupation', 'apply-level', 'apply-direction']) $(id).addEventListener('change', onTargetChange);
  for (const [name, field] of Object.entries(FIELDS)) {
    if (['occupation', 'level', 'direction'].includes(name)) continue;
    const control = $(field.control);
    control.addEventListener(control.tagName === 'SELECT' || control.type === 'checkbox' ? 'change' : 'input', () => clearProblem(name));
  }
  for (const id of ['apply-title', 'apply-certificate']) $(id).addEventListener('change', renderDependentFields);
  $('mine-refresh').addEventListener('click', loadMine);
  $('evidence-photo-upload').addEventListener('click', () => sendEvidence('photo'));
  $('evidence-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendEvidence('document');
  });
  $('evidence-kind').addEventListener('change', () => {
    state.evidenceKind = $('evidence-kind').value;
    if (state.evidenceProblems.kind) {
      delete state.evidenceProblems.kind;
      renderEvidenceProblems();
    }
  });
  for (const [id, key] of [['evidence-photo-file', 'photo'], ['evidence-file', 'file']]) {
    $(id).addEventListener('change', () => {
      if (!state.evidenceProblems[key]) return;
      delete state.evidenceProblems[key];
      renderEvidenceProblems();
    });
  }
  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
