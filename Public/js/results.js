// 成绩 (/results.html): exam batches, their results, publication, re-checks and statistics
// (docs/MARKING.md).
//
// - Exam administrators list the batches, create one from a published theory sitting and a
//   published practical sitting of the same exam, follow the marking of both sittings, read the
//   results with their blockers, publish once nothing blocks, decide re-check requests and see
//   whether certificates may be issued.
// - Quality supervisors read the same without any control, plus the item and marking statistics of
//   each sitting (KR-20, difficulty, discrimination, ICC, examiner severity).
// - Candidates read their published results, ask for a re-check within the window and follow
//   their requests; before publication they are told the results are not out.
//
// The server owns every rule (readiness, the re-check window, pass marks): the page shows what it
// says. Server strings (names, reasons, blockers, notes) are only ever set as text.
import { ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatBeijing, formatNumber, getLang, has, t } from './i18n.js';
import { exportButtons } from './files.js';
import './results-i18n.js';

/** Who may open the page. */
const PAGE_ROLES = ['exam_admin', 'supervisor', 'candidate'];
/** `GET /batches`, results, re-checks, marking progress, statistics. */
const STAFF_ROLES = ['exam_admin', 'supervisor'];
/** Creating batches, publishing, deciding re-checks. */
const ADMIN_ROLES = ['exam_admin'];
/** `GET /results/mine`. */
const CANDIDATE_ROLES = ['candidate'];
const PARTS = ['theory', 'ability'];
const SCOPES = ['missing_score', 'unmarked_item', 'summation_error', 'recording_error'];
const TIERS = ['warning', 'deduction', 'subject_void', 'sitting_void', 'ban'];
const VOIDING_TIERS = new Set(['subject_void', 'sitting_void', 'ban']);
const MARKING_COUNTS = ['submissions', 'final', 'marking', 'adjudication', 'unassigned'];
const FLAGS = ['p_low', 'p_high', 'negative_discrimination'];
const TABS = ['results', 'marking', 'rechecks', 'statistics'];
const UNDIVIDED = '不分方向';
const REASON_MAX = 500;
const DEFAULT_RECHECK_DAYS = 10;

const state = {
  me: null,
  standards: [],
  /** `GET /sittings`: the sittings to pair in a batch, and their start times. */
  sittings: { status: 'idle', data: [] },
  batches: { status: 'idle' },
  batchesMessage: null,
  create: { open: false, problems: {}, error: null, busy: false },
  /** The batch on show (see `newBatch`), or null. */
  batch: null,
  mine: { status: 'idle' },
  mineMessage: null,
  /** The candidate's re-check form: {batch, part, scope, reason, problems, error, busy}, or null. */
  apply: null,
};

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const isStaff = () => holdsAny(STAFF_ROLES);
const canEdit = () => holdsAny(ADMIN_ROLES);
const isCandidate = () => holdsAny(CANDIDATE_ROLES);
const partName = (part) => label('sittings.part', part);
const levelLabel = (level) => label('level', level);
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));
const sittingId = (value) => (value && typeof value === 'object' ? text(value.id) : text(value));
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

const resultsApi = {
  standards: () => call('GET', '/api/v1/exams'),
  sittings: () => call('GET', '/api/v1/sittings'),
  batches: () => call('GET', '/api/v1/batches'),
  createBatch: (body) => call('POST', '/api/v1/batches', body),
  results: (id) => call('GET', `/api/v1/batches/${enc(id)}/results`),
  publish: (id) => call('POST', `/api/v1/batches/${enc(id)}/publish`, {}),
  rechecks: (id) => call('GET', `/api/v1/batches/${enc(id)}/rechecks`),
  certification: (id) => call('GET', `/api/v1/batches/${enc(id)}/certification`),
  decide: (id, body) => call('POST', `/api/v1/rechecks/${enc(id)}/decision`, body),
  marking: (sitting) => call('GET', `/api/v1/sittings/${enc(sitting)}/marking`),
  statistics: (sitting) => call('GET', `/api/v1/sittings/${enc(sitting)}/statistics`),
  mine: () => call('GET', '/api/v1/results/mine'),
  requestRecheck: (batch, body) => call('POST', `/api/v1/results/mine/${enc(batch)}/rechecks`, body),
};

// ---------------------------------------------------------------- numbers, times and names

function formatFixed(value, digits) {
  if (!isNumber(value)) return t('results.none');
  return new Intl.NumberFormat(getLang(), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

/** A score as stated, up to two decimals and no rounding to whole points ("59.5"). */
function formatScore(value) {
  if (!isNumber(value)) return t('results.none');
  return new Intl.NumberFormat(getLang(), { maximumFractionDigits: 2, useGrouping: false }).format(value);
}

function formatSigned(value, digits) {
  if (!isNumber(value)) return t('results.none');
  const shown = formatFixed(Math.abs(value), digits);
  if (Number(shown.replace(/[^\d.]/g, '')) === 0) return formatFixed(0, digits);
  return `${value < 0 ? '−' : '+'}${shown}`;
}

function formatPercent(value) {
  if (!isNumber(value)) return t('results.none');
  return new Intl.NumberFormat(getLang(), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date or a date-time in Beijing time, said so. */
function whenText(value) {
  if (!value) return t('results.none');
  if (DATE_ONLY.test(value)) return t('results.beijingDate', { date: formatBeijing(`${value}T12:00:00+08:00`, { dateOnly: true }) });
  if (Number.isNaN(Date.parse(value))) return text(value);
  return t('sittings.beijingTime', { time: formatBeijing(value) });
}

function timeNode(value, className = '') {
  return value
    ? el('time', { class: className, attrs: { datetime: text(value) }, text: whenText(value) })
    : el('span', { class: className, text: t('results.none') });
}

/** A time in a list, in Beijing time (the list's lead says so). */
function shortTime(value) {
  return el('time', { attrs: { datetime: text(value) }, text: formatBeijing(value) });
}

/** The last moment of a deadline: a date means the end of that day in Beijing. */
function deadlineOf(value) {
  if (!value) return null;
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T23:59:59.999+08:00` : value);
  return Number.isNaN(ms) ? null : ms;
}

function isOverdue(recheck) {
  if (typeof recheck.overdue === 'boolean') return recheck.overdue;
  const deadline = deadlineOf(recheck.answerBy);
  return recheck.status === 'open' && deadline !== null && Date.now() > deadline;
}

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? text(standard.name) : text(code);
}

/** "人工智能工程技术人员 · 初级 · 人工智能平台产品实现" */
function targetText(subject) {
  return [occupationName(subject.occupation), levelLabel(subject.level), directionName(subject.direction)].join(' · ');
}

function targetNode(subject) {
  return el('div', { class: 'app-target' }, [
    el('span', { class: 'app-occupation', text: occupationName(subject.occupation) }),
    el('span', { class: 'app-target-sub' }, [
      el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(subject.level) }, text: levelLabel(subject.level) }),
      el('span', { class: 'app-direction', text: directionName(subject.direction) }),
    ]),
  ]);
}

function sittingById(id) {
  return list(state.sittings.data).find((sitting) => sitting.id === id) || null;
}

function partTag(part) {
  return el('span', { class: `part-tag part-tag-${PARTS.includes(part) ? part : 'other'}`, text: partName(part) });
}

function passTag(passed, { strong = false } = {}) {
  const key = passed === true ? 'yes' : passed === false ? 'no' : 'pending';
  return el('span', {
    class: `pass-tag pass-${key}${strong ? ' pass-strong' : ''}`,
    dataset: { passed: passed === true ? 'true' : passed === false ? 'false' : '' },
    text: t(`results.pass.${key}`),
  });
}

function batchStatusTag(status) {
  const known = status === 'open' || status === 'published';
  return el('span', { class: `batch-status batch-status-${known ? status : 'other'}`, dataset: { status: text(status) }, text: label('results.status', status) });
}

function tierText(decision) {
  const tier = TIERS.includes(decision.tier) ? decision.tier : 'other';
  return t(`results.tier.${tier}`, { points: formatScore(decision.points), years: formatNumber(decision.banYears ?? '') });
}

function tierTag(decision) {
  const tier = TIERS.includes(decision.tier) ? decision.tier : 'other';
  return el('span', { class: `tier-tag tier-${tier}`, dataset: { tier: text(decision.tier) }, text: tierText(decision) });
}

// ---------------------------------------------------------------- messages and redraws

/** Fills an `alert-live` box with {kind, key|text, params, items, detail, code}, or clears it. */
function renderAlert(box, message) {
  const base = box.className.split(' ').filter((name) => name && name !== 'alert' && !name.startsWith('alert-') && name !== 'is-visible');
  box.className = [...base, 'alert', 'alert-live', ...(message ? ['is-visible', `alert-${message.kind}`] : [])].join(' ');
  if (!message) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.code = message.code || message.kind;
  replaceChildren(box, [
    icon(message.kind === 'success' ? 'check' : 'alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: message.key ? t(message.key, message.params) : text(message.text) }),
      message.items && message.items.length ? el('ul', { class: 'problem-lines' }, message.items.map((item) => el('li', { text: item }))) : null,
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
    ]),
  ]);
}

/** Replaces the children of `node`; the control that had the focus (by id) gets it back. */
function redraw(node, children) {
  const active = document.activeElement;
  const focusedId = active && active !== node && node.contains(active) ? active.id : null;
  replaceChildren(node, children);
  if (focusedId) {
    const again = document.getElementById(focusedId);
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }
}

/** The server's message for a failed call, with the page's own words for known codes. */
function failure(error) {
  if (error instanceof ApiError && has(`results.error.${error.code}`)) {
    const own = t(`results.error.${error.code}`);
    return error.message && error.message !== error.code ? `${own} ${t('results.serverSays', { message: error.message })}` : own;
  }
  return errorMessage(error);
}

/** Blockers the server joins into one message ("a; b" or "a；b"). */
function splitLines(message) {
  return text(message).split(/\s*(?:;\s+|；|\n)\s*/).map((part) => part.trim()).filter(Boolean);
}

function fact(key, value, id) {
  return el('div', { class: 'meta-fact' }, [
    el('dt', { text: t(key) }),
    el('dd', { attrs: { id: id || null } }, typeof value === 'string' ? el('span', { text: value }) : value),
  ]);
}

function stat(key, value, { id = null, data = {}, tone = '' } = {}) {
  return el('div', { class: `stat${tone ? ` stat-${tone}` : ''}`, attrs: { id }, dataset: data }, [
    el('dt', { class: 'stat-label', text: t(key) }),
    el('dd', { class: 'stat-value', text: value }),
  ]);
}

function spinnerButton({ id, className, labelText, busy = false, disabled = false, describedBy = null, onClick, dataset = {} }) {
  return el('button', {
    class: `btn ${className}${busy ? ' is-busy' : ''}`,
    attrs: { type: onClick ? 'button' : 'submit', id, disabled: disabled || null, 'aria-busy': busy ? 'true' : null, 'aria-describedby': describedBy },
    dataset,
    on: onClick ? { click: onClick } : {},
  }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: labelText })]);
}

// ---------------------------------------------------------------- the batches (staff)

function batchRow(batch) {
  const id = text(batch.id);
  const selected = state.batch && state.batch.id === id;
  const open = Number(batch.openRechecks) || 0;
  return el('tr', {
    class: `batch-row is-clickable${selected ? ' is-selected' : ''}`,
    dataset: { id, status: text(batch.status) },
    attrs: { tabindex: '0', 'aria-describedby': 'batches-lead', 'aria-current': selected ? 'true' : null },
    on: { click: () => openBatch(id), keydown: (event) => onRowKey(event, id) },
  }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-mono', text: id }),
    el('td', {}, targetNode(batch)),
    el('td', { class: 'cell-mono', text: sittingId(batch.theory) }),
    el('td', { class: 'cell-mono', text: sittingId(batch.ability) }),
    el('td', {}, batchStatusTag(batch.status)),
    el('td', { class: 'cell-muted' }, batch.publishedAt ? shortTime(batch.publishedAt) : t('results.none')),
    el('td', { class: 'cell-muted' }, batch.recheckUntil ? shortTime(batch.recheckUntil) : t('results.none')),
    el('td', { class: 'cell-num' }, open
      ? el('span', { class: 'count-badge is-bad', text: formatNumber(open) })
      : el('span', { class: 'cell-muted', text: formatNumber(open) })),
  ]);
}

function onRowKey(event, id) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    openBatch(id);
    return;
  }
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    const row = event.currentTarget;
    const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
}

function renderBatches() {
  const section = state.batches;
  const body = $('batches-body');
  const count = $('batches-count');
  $('batches-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  body.dataset.state = section.status;
  renderAlert($('batches-message'), state.batchesMessage);
  if (!section.data) {
    count.hidden = true;
    redraw(body, el('div', { class: 'panel' }, section.status === 'error' ? errorState(section.error, loadBatches) : loadingState(3)));
    return;
  }
  const batches = [...section.data].sort((a, b) => text(b.id).localeCompare(text(a.id)));
  count.hidden = false;
  count.textContent = t('results.batches.count', { count: formatNumber(batches.length) });
  if (!batches.length) {
    redraw(body, el('p', { class: 'empty', attrs: { id: 'batches-empty' }, text: t(canEdit() ? 'results.batches.emptyAdmin' : 'results.batches.empty') }));
    return;
  }
  const columns = ['batch', 'target', 'theory', 'ability', 'status', 'publishedAt', 'recheckUntil', 'openRechecks'];
  redraw(body, [
    el('div', { class: 'table-wrap' }, el('table', { class: 'table app-table batch-table', attrs: { id: 'batches-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('results.batches.caption') }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, class: column === 'openRechecks' ? 'cell-num' : '', text: t(`results.col.${column}`) })))),
      el('tbody', {}, batches.map(batchRow)),
    ])),
    section.status === 'error' ? errorState(section.error, loadBatches) : null,
  ]);
}

async function loadBatches() {
  const token = {};
  state.batches = { ...state.batches, status: 'loading', token };
  renderBatches();
  try {
    const data = await resultsApi.batches();
    if (state.batches.token !== token) return;
    state.batches = { status: 'ok', data: list(data && data.batches), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.batches.token !== token) return;
    state.batches = { ...state.batches, status: 'error', error, token };
  }
  renderBatches();
  renderCreate();
  renderBatchHead();
}

async function loadSittings() {
  state.sittings = { ...state.sittings, status: 'loading' };
  try {
    const data = await resultsApi.sittings();
    state.sittings = { status: 'ok', data: list(data && data.sittings) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.sittings = { status: 'error', error, data: state.sittings.data };
  }
  renderCreate();
  renderBatchHead();
}

// ---------------------------------------------------------------- a new batch (exam administrator)

/** Sittings already in a batch cannot join another. */
function sittingsInBatches() {
  const taken = new Set();
  for (const batch of list(state.batches.data)) {
    taken.add(sittingId(batch.theory));
    taken.add(sittingId(batch.ability));
  }
  return taken;
}

function sameExam(a, b) {
  const direction = (value) => (!value || value === UNDIVIDED ? '' : value);
  return a.occupation === b.occupation && a.level === b.level && direction(a.direction) === direction(b.direction);
}

function sittingOption(sitting, selected) {
  return el('option', {
    attrs: { value: text(sitting.id), selected: selected ? true : null },
    text: t('results.create.option', { id: text(sitting.id), target: targetText(sitting), time: sitting.startsAt ? formatBeijing(sitting.startsAt) : '' }),
  });
}

function renderCreateChoices() {
  const taken = sittingsInBatches();
  const free = list(state.sittings.data).filter((sitting) => sitting.status === 'published' && !taken.has(sitting.id));
  const theories = free.filter((sitting) => sitting.part === 'theory');
  const theoryValue = $('create-theory').value;
  const theory = theories.find((sitting) => sitting.id === theoryValue) || null;
  replaceChildren($('create-theory'), [
    el('option', { attrs: { value: '', selected: theory ? null : true }, text: t(theories.length ? 'results.create.chooseTheory' : 'results.create.noTheory') }),
    ...theories.map((sitting) => sittingOption(sitting, theory && sitting.id === theory.id)),
  ]);
  const abilities = theory ? free.filter((sitting) => sitting.part === 'ability' && sameExam(sitting, theory)) : [];
  const abilityValue = $('create-ability').value;
  const ability = abilities.find((sitting) => sitting.id === abilityValue) || (abilities.length === 1 ? abilities[0] : null);
  let prompt = 'results.create.chooseAbility';
  if (!theory) prompt = 'results.create.chooseTheoryFirst';
  else if (!abilities.length) prompt = 'results.create.noAbility';
  replaceChildren($('create-ability'), [
    el('option', { attrs: { value: '', selected: ability ? null : true }, text: t(prompt) }),
    ...abilities.map((sitting) => sittingOption(sitting, ability && sitting.id === ability.id)),
  ]);
  $('create-ability').disabled = !theory;
}

function renderCreate() {
  const open = canEdit() && state.create.open;
  $('create-section').hidden = !open;
  $('create-open').setAttribute('aria-expanded', String(open));
  if (!open) return;
  renderCreateChoices();
  const problems = state.create.problems;
  for (const [field, control] of [['theory', 'create-theory'], ['ability', 'create-ability'], ['recheckDays', 'create-days']]) {
    const items = problems[field] || [];
    if (items.length) $(control).setAttribute('aria-invalid', 'true');
    else $(control).removeAttribute('aria-invalid');
    $(`${control}-error`).hidden = !items.length;
    replaceChildren($(`${control}-error`), items.map((item) => el('span', { text: t(item) })));
  }
  const button = $('create-submit');
  button.classList.toggle('is-busy', state.create.busy);
  button.setAttribute('aria-busy', String(state.create.busy));
  button.querySelector('.btn-label').textContent = t(state.create.busy ? 'results.create.submitting' : 'results.create.submit');
  renderAlert($('create-error'), state.create.error ? { ...state.create.error, kind: 'error' } : null);
}

function openCreate() {
  state.create = { open: true, problems: {}, error: null, busy: false };
  $('create-days').value = String(DEFAULT_RECHECK_DAYS);
  renderCreate();
  if (state.sittings.status !== 'loading') loadSittings();
  $('create-section').scrollIntoView({ block: 'start' });
  $('create-theory').focus({ preventScroll: true });
}

function closeCreate() {
  state.create = { open: false, problems: {}, error: null, busy: false };
  $('create-form').reset();
  renderCreate();
  $('create-open').focus();
}

async function onCreate(event) {
  event.preventDefault();
  if (state.create.busy) return;
  const days = $('create-days').value.trim();
  const body = { theory: $('create-theory').value, ability: $('create-ability').value, recheckDays: /^\d+$/.test(days) ? Number(days) : null };
  const problems = {};
  if (!body.theory) problems.theory = ['results.need.theory'];
  if (!body.ability) problems.ability = ['results.need.ability'];
  if (body.recheckDays === null || body.recheckDays < 1 || body.recheckDays > 60) problems.recheckDays = ['results.need.recheckDays'];
  state.create.problems = problems;
  if (Object.keys(problems).length) {
    state.create.error = { key: 'results.create.fix', code: 'client' };
    renderCreate();
    $(problems.theory ? 'create-theory' : problems.ability ? 'create-ability' : 'create-days').focus();
    return;
  }
  state.create.error = null;
  state.create.busy = true;
  renderCreate();
  let answer;
  try {
    answer = await resultsApi.createBatch(body);
  } catch (error) {
    state.create.busy = false;
    if (endIfUnauthenticated(error)) return;
    state.create.error = { key: 'results.create.failed', params: { message: failure(error) }, code: error instanceof ApiError ? error.code : 'generic' };
    renderCreate();
    $('create-error').focus();
    return;
  }
  const batch = (answer && answer.batch) || {};
  closeCreate();
  state.batchesMessage = { kind: 'success', key: 'results.create.done', params: { id: text(batch.id) }, code: 'created' };
  await loadBatches();
  if (batch.id) await openBatch(text(batch.id));
}

// ---------------------------------------------------------------- one batch (staff)

function newBatch(id, tab = 'results') {
  return {
    id,
    token: {},
    tab: TABS.includes(tab) ? tab : 'results',
    results: { status: 'loading' },
    rechecks: { status: 'loading' },
    cert: { status: 'loading' },
    marking: { theory: { status: 'loading' }, ability: { status: 'loading' } },
    showAll: { theory: false, ability: false },
    stats: { part: 'theory', theory: { status: 'idle' }, ability: { status: 'idle' } },
    statsMessage: null,
    message: null,
    confirming: false,
    publishing: false,
    /** The re-check being decided: {id, outcome, score, note, problems, error, busy}, or null. */
    deciding: null,
  };
}

/**
 * The view of the batch from its results and from the list, whichever was read last. A batch only
 * ever goes from open to published, so either saying "published" (with its dates) wins.
 */
function batchInfo() {
  const batch = state.batch;
  if (!batch) return null;
  const fromResults = (batch.results.data && batch.results.data.batch) || {};
  const fromList = list(state.batches.data).find((entry) => text(entry.id) === batch.id) || {};
  const info = { ...fromList, ...fromResults, id: batch.id };
  const published = [fromResults, fromList].find((entry) => entry.status === 'published');
  if (published) Object.assign(info, { status: 'published', publishedAt: published.publishedAt, recheckUntil: published.recheckUntil });
  return info;
}

function setHash(id, tab) {
  let hash = '';
  if (id) hash = `#batch=${enc(id)}${tab && tab !== 'results' ? `&tab=${tab}` : ''}`;
  if (window.location.hash !== hash) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
}

async function openBatch(id, { focus = true, tab = 'results' } = {}) {
  state.batch = newBatch(id, tab);
  setHash(id, state.batch.tab);
  renderBatches();
  renderBatch();
  if (focus) {
    $('batch-section').scrollIntoView({ block: 'start' });
    $('batch-section').focus({ preventScroll: true });
  }
  await refreshBatch();
}

function closeBatch() {
  const id = state.batch && state.batch.id;
  state.batch = null;
  setHash(null);
  renderBatch();
  renderBatches();
  const row = id && Array.from(document.querySelectorAll('#batches-table tbody tr')).find((node) => node.dataset.id === id);
  if (row) row.focus();
}

/** Reads every part of the batch again (statistics only when on show). */
async function refreshBatch() {
  const batch = state.batch;
  if (!batch) return;
  const token = {};
  batch.token = token;
  $('batch-section').dataset.refreshing = 'true';
  const stillOn = () => state.batch === batch && batch.token === token;
  const load = async (key, call, render) => {
    try {
      const data = await call();
      if (!stillOn()) return;
      batch[key] = { status: 'ok', data };
    } catch (error) {
      if (endIfUnauthenticated(error)) return;
      if (!stillOn()) return;
      batch[key] = { status: 'error', error, data: batch[key] && batch[key].data };
    }
    render();
  };
  const results = load('results', () => resultsApi.results(batch.id), () => {
    renderBatchHead();
    renderResultsPanel();
    loadMarking();
    if (batch.tab === 'statistics') loadStatistics();
  });
  await Promise.all([
    results,
    load('rechecks', () => resultsApi.rechecks(batch.id), () => { renderRechecks(); renderTabs(); }),
    load('cert', () => resultsApi.certification(batch.id), renderCert),
  ]);
  if (stillOn()) delete $('batch-section').dataset.refreshing;
}

/** The sitting ids of the batch, by part, once known. */
function batchSittings() {
  const info = batchInfo();
  if (!info) return {};
  return { theory: sittingId(info.theory), ability: sittingId(info.ability) };
}

async function loadMarking() {
  const batch = state.batch;
  if (!batch) return;
  const sittings = batchSittings();
  await Promise.all(PARTS.map(async (part) => {
    const id = sittings[part];
    if (!id) return;
    try {
      const data = await resultsApi.marking(id);
      if (state.batch !== batch) return;
      batch.marking[part] = { status: 'ok', data };
    } catch (error) {
      if (endIfUnauthenticated(error)) return;
      if (state.batch !== batch) return;
      batch.marking[part] = { status: 'error', error, data: batch.marking[part].data };
    }
    renderMarking();
    renderTabs();
  }));
}

function renderBatch() {
  const batch = state.batch;
  $('batch-section').hidden = !batch || !isStaff();
  if (!batch || !isStaff()) return;
  renderBatchHead();
  renderTabs();
  renderResultsPanel();
  renderCert();
  renderMarking();
  renderRechecks();
  renderStatistics();
}

function renderBatchHead() {
  const batch = state.batch;
  if (!batch || $('batch-section').hidden) return;
  const info = batchInfo();
  const section = $('batch-section');
  section.dataset.id = batch.id;
  section.dataset.status = text(info.status);
  renderAlert($('batch-message'), batch.message);
  if (!info.occupation && batch.results.status === 'error') {
    redraw($('batch-head'), errorState(batch.results.error, refreshBatch));
    return;
  }
  const sittingFact = (part) => {
    const id = sittingId(info[part]);
    const sitting = sittingById(id);
    return el('span', { class: 'sitting-ref' }, [
      el('span', { class: 'cell-mono', text: id || t('results.none') }),
      sitting && sitting.startsAt ? el('span', { class: 'sitting-ref-time', text: formatBeijing(sitting.startsAt) }) : null,
    ]);
  };
  redraw($('batch-head'), [
    el('div', { class: 'batch-head-top' }, [
      el('h3', { class: 'batch-name', attrs: { id: 'batch-name' } }, info.occupation ? [
        el('span', { text: occupationName(info.occupation) }),
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(info.level) }, text: levelLabel(info.level) }),
        el('span', { class: 'batch-direction', text: directionName(info.direction) }),
      ] : [el('span', { class: 'cell-mono', text: batch.id })]),
      info.status ? batchStatusTag(info.status) : null,
    ]),
    el('dl', { class: 'meta-facts batch-facts', attrs: { 'aria-label': t('results.batch.facts') } }, [
      fact('results.batch.id', el('span', { class: 'cell-mono', text: batch.id })),
      fact('results.batch.theory', sittingFact('theory')),
      fact('results.batch.ability', sittingFact('ability')),
      isNumber(info.recheckDays) ? fact('results.batch.recheckDays', t('results.batch.recheckDaysValue', { n: formatNumber(info.recheckDays) })) : null,
      fact('results.batch.publishedAt', info.publishedAt ? timeNode(info.publishedAt) : t('results.batch.notPublished'), 'batch-published-at'),
      info.recheckUntil ? fact('results.batch.recheckUntil', timeNode(info.recheckUntil), 'batch-recheck-until') : null,
    ]),
  ]);
}

// ---------------------------------------------------------------- tabs

function renderTabs() {
  const batch = state.batch;
  if (!batch) return;
  for (const name of TABS) {
    const tab = $(`tab-${name}`);
    const selected = batch.tab === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    tab.classList.toggle('is-active', selected);
    $(`panel-${name}`).hidden = !selected;
  }
  const pending = PARTS.reduce((sum, part) => {
    const data = batch.marking[part].data;
    return sum + (data ? (Number(data.marking) || 0) + (Number(data.adjudication) || 0) + (Number(data.unassigned) || 0) : 0);
  }, 0);
  const markingCount = $('tab-marking-count');
  markingCount.textContent = pending ? formatNumber(pending) : '';
  markingCount.classList.toggle('is-bad', pending > 0);
  const open = batch.rechecks.data ? list(batch.rechecks.data.rechecks).filter((recheck) => recheck.status === 'open').length : 0;
  const recheckCount = $('tab-rechecks-count');
  recheckCount.textContent = open ? formatNumber(open) : '';
  recheckCount.classList.toggle('is-bad', open > 0);
}

function selectTab(name, { focus = false } = {}) {
  const batch = state.batch;
  if (!batch || !TABS.includes(name)) return;
  batch.tab = name;
  setHash(batch.id, name);
  renderTabs();
  if (focus) $(`tab-${name}`).focus();
  if (name === 'statistics') loadStatistics();
}

function onTabKey(event) {
  const index = TABS.indexOf(event.currentTarget.dataset.tab);
  let next = null;
  if (event.key === 'ArrowRight') next = TABS[(index + 1) % TABS.length];
  else if (event.key === 'ArrowLeft') next = TABS[(index - 1 + TABS.length) % TABS.length];
  else if (event.key === 'Home') next = TABS[0];
  else if (event.key === 'End') next = TABS[TABS.length - 1];
  if (!next) return;
  event.preventDefault();
  selectTab(next, { focus: true });
}

// ---------------------------------------------------------------- results, readiness and publication

function readinessBox() {
  const batch = state.batch;
  const info = batchInfo();
  const data = batch.results.data;
  if (!data) return null;
  if (info.status === 'published') {
    return el('div', { class: 'readiness-box is-published', attrs: { id: 'readiness-box' }, dataset: { ready: 'true', status: 'published' } }, [
      el('p', { class: 'readiness-title' }, [icon('check'), el('span', { text: t('results.ready.published', { time: whenText(info.publishedAt) }) })]),
      el('p', { class: 'readiness-text', text: t('results.ready.publishedText', { until: whenText(info.recheckUntil) }) }),
    ]);
  }
  const ready = data.ready === true;
  const blockers = list(data.blockers).map(text);
  const children = [
    el('p', { class: 'readiness-title' }, [icon(ready ? 'check' : 'alert'), el('span', { text: t(ready ? 'results.ready.yes' : 'results.ready.no') })]),
    el('p', { class: 'readiness-text', text: t(ready ? 'results.ready.yesText' : 'results.ready.noText') }),
    !ready && blockers.length ? el('ul', { class: 'problem-lines blocker-list', attrs: { id: 'blockers' } }, blockers.map((line) => el('li', { text: line }))) : null,
  ];
  if (canEdit()) {
    if (batch.confirming && ready) {
      children.push(el('div', { class: 'publish-confirm', attrs: { id: 'publish-confirm', role: 'group', 'aria-labelledby': 'publish-confirm-text' } }, [
        el('p', { class: 'publish-confirm-text', attrs: { id: 'publish-confirm-text' }, text: t('results.publish.confirmText', { days: formatNumber(info.recheckDays ?? DEFAULT_RECHECK_DAYS) }) }),
        el('div', { class: 'form-actions' }, [
          spinnerButton({
            id: 'publish-confirm-button', className: 'btn-primary', busy: batch.publishing,
            labelText: t(batch.publishing ? 'results.publish.working' : 'results.publish.confirm'), onClick: onPublish,
          }),
          el('button', { class: 'btn btn-outline', attrs: { type: 'button', id: 'publish-cancel', disabled: batch.publishing || null }, text: t('results.publish.cancel'), on: { click: cancelPublish } }),
        ]),
      ]));
    } else {
      children.push(el('div', { class: 'form-actions publish-actions' }, [
        el('button', {
          class: 'btn btn-primary', attrs: { type: 'button', id: 'publish-button', disabled: ready ? null : true, 'aria-describedby': ready ? null : 'publish-note' },
          on: { click: askPublish },
        }, [icon('upload'), el('span', { class: 'btn-label', text: t('results.publish.button') })]),
        ready ? null : el('p', { class: 'field-hint', attrs: { id: 'publish-note' }, text: t('results.publish.disabledNote') }),
      ]));
    }
  }
  return el('div', { class: `readiness-box ${ready ? 'is-ready' : 'is-blocked'}`, attrs: { id: 'readiness-box' }, dataset: { ready: String(ready), status: text(info.status) } }, children);
}

function askPublish() {
  if (!state.batch) return;
  state.batch.confirming = true;
  renderResultsPanel();
  const confirm = $('publish-confirm-button');
  if (confirm) confirm.focus();
}

function cancelPublish() {
  if (!state.batch) return;
  state.batch.confirming = false;
  renderResultsPanel();
  const button = $('publish-button');
  if (button) button.focus();
}

async function onPublish() {
  const batch = state.batch;
  if (!batch || batch.publishing) return;
  batch.publishing = true;
  renderResultsPanel();
  try {
    const answer = await resultsApi.publish(batch.id);
    const published = (answer && answer.batch) || {};
    batch.message = { kind: 'success', key: 'results.publish.done', params: { until: whenText(published.recheckUntil) }, code: 'published' };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    if (code === 'not_ready') {
      // "成绩尚不能发布：blocker；blocker": the lead-in is said by the page already.
      const items = splitLines(text(error.message).replace(/^成绩尚不能发布[：:]\s*/, ''));
      batch.message = { kind: 'error', key: 'results.publish.notReady', params: { n: formatNumber(items.length) }, items, code };
    } else if (code === 'already_published') {
      batch.message = { kind: 'info', key: 'results.publish.already', code };
    } else {
      batch.message = { kind: 'error', key: 'results.publish.failed', params: { message: failure(error) }, code };
    }
  }
  if (state.batch !== batch) return;
  batch.publishing = false;
  batch.confirming = false;
  renderBatchHead();
  await Promise.all([refreshBatch(), loadBatches()]);
  $('batch-message').focus({ preventScroll: false });
}

/**
 * Where a part score comes from, as the server states it: objective points, examiners' marks and
 * a deduction ("客观题 40 · 评阅 32.5 · 扣分 5"); nothing when there is a single source.
 */
function breakdownText(data) {
  const pieces = [];
  if (isNumber(data.objective) && data.objective > 0) pieces.push(t('results.score.objective', { n: formatScore(data.objective) }));
  if (isNumber(data.marked) && data.marked > 0) pieces.push(t('results.score.marked', { n: formatScore(data.marked) }));
  const deducted = isNumber(data.deduction) && data.deduction > 0;
  if (deducted) pieces.push(t('results.score.deduction', { n: formatScore(data.deduction) }));
  return pieces.length > 1 || deducted ? pieces.join(' · ') : '';
}

function scoreCell(part) {
  const data = part && typeof part === 'object' ? part : {};
  const status = text(data.status) || 'pending';
  const misconduct = list(data.misconduct);
  const children = [];
  if (status === 'scored' && isNumber(data.score)) {
    children.push(el('span', { class: 'part-score', dataset: { score: String(data.score) }, text: formatScore(data.score) }));
    const breakdown = breakdownText(data);
    if (breakdown) children.push(el('span', { class: 'part-breakdown', text: breakdown }));
  } else {
    children.push(el('span', { class: `part-state part-state-${status}`, dataset: { status }, text: label('results.part', status) }));
  }
  return el('div', { class: 'part-cell', dataset: { status, misconduct: String(misconduct.length) } }, children);
}

function misconductList(row) {
  const entries = PARTS.flatMap((part) => list(row[part] && row[part].misconduct).map((decision) => ({ part, decision })));
  // A sitting-wide decision (void, ban) is listed once even when the server repeats it under both parts.
  const seen = new Set();
  const unique = entries.filter(({ decision }) => {
    const key = decision.id ? text(decision.id) : JSON.stringify(decision);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (!unique.length) return el('span', { class: 'cell-muted', text: t('results.none') });
  return el('ul', { class: 'misconduct-list', attrs: { role: 'list' } }, unique.map(({ part, decision }) => el('li', { class: 'misconduct-item', dataset: { tier: text(decision.tier), part } }, [
    tierTag(decision),
    el('span', { class: 'misconduct-reason', text: t('results.misconduct.part', { part: partName(part), reason: text(decision.reason) || t('results.none') }) }),
  ])));
}

function resultRow(row) {
  const revision = Number(row.revision) || 0;
  return el('tr', { class: 'result-row', dataset: { candidate: text(row.candidate), passed: String(row.passed === true), revision: String(revision) } }, [
    el('th', { attrs: { scope: 'row' } }, el('div', { class: 'result-name' }, [
      el('span', { class: 'result-name-text', text: text(row.name) || text(row.candidate) }),
      revision > 1 ? el('span', { class: 'tag tag-info tag-xs revision-tag', text: t('results.score.revision', { n: formatNumber(revision) }) }) : null,
    ])),
    el('td', { class: 'cell-part', dataset: { part: 'theory' } }, scoreCell(row.theory)),
    el('td', { dataset: { pass: 'theory' } }, passTag(row.passedTheory)),
    el('td', { class: 'cell-part', dataset: { part: 'ability' } }, scoreCell(row.ability)),
    el('td', { dataset: { pass: 'ability' } }, passTag(row.passedAbility)),
    el('td', { dataset: { pass: 'overall' } }, passTag(row.passed, { strong: true })),
    el('td', { class: 'cell-misconduct' }, misconductList(row)),
  ]);
}

function resultsTable(rows) {
  const columns = ['name', 'theoryScore', 'passedTheory', 'abilityScore', 'passedAbility', 'passed', 'misconduct'];
  const sorted = [...rows].sort((a, b) => text(a.name).localeCompare(text(b.name), 'zh-CN'));
  return el('div', { class: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'results-table-title' } }, el('table', { class: 'table results-table', attrs: { id: 'results-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('results.table.caption') }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, text: t(`results.col.${column}`) })))),
    el('tbody', {}, sorted.map(resultRow)),
  ]));
}

function renderResultsPanel() {
  const batch = state.batch;
  if (!batch) return;
  const section = batch.results;
  const body = $('results-body');
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  if (!section.data) {
    redraw($('readiness'), []);
    redraw(body, section.status === 'error' ? errorState(section.error, refreshBatch) : el('div', { class: 'panel' }, loadingState(4)));
    return;
  }
  redraw($('readiness'), readinessBox());
  const rows = list(section.data.results);
  const passed = rows.filter((row) => row.passed === true).length;
  redraw(body, [
    el('div', { class: 'block-head' }, [
      el('div', { class: 'block-head-text' }, [
        el('h3', { class: 'block-heading', attrs: { id: 'results-table-title' }, text: t('results.table.title') }),
        el('span', { class: 'count-pill', attrs: { id: 'results-count' }, text: t('results.table.count', { count: formatNumber(rows.length), passed: formatNumber(passed) }) }),
      ]),
      exportButtons({
        id: 'results-export',
        url: (format) => `/api/v1/batches/${enc(batch.id)}/results/export?format=${format}`,
        fallbackName: `results-${batch.id}`,
        labelKey: 'results.export.results',
        report: (message) => {
          batch.message = message;
          renderAlert($('batch-message'), message);
        },
      }),
    ]),
    rows.length ? resultsTable(rows) : el('p', { class: 'empty', attrs: { id: 'results-empty' }, text: t('results.table.empty') }),
    section.status === 'error' ? errorState(section.error, refreshBatch) : null,
  ]);
}

function renderCert() {
  const batch = state.batch;
  if (!batch) return;
  const section = batch.cert;
  const body = $('cert-body');
  if (!section.data) {
    redraw(body, section.status === 'error'
      ? el('p', { class: 'alert alert-error is-visible' }, [icon('alert'), el('span', { text: t('results.cert.failed', { message: errorMessage(section.error) }) })])
      : []);
    return;
  }
  const ready = section.data.ready === true;
  const blockers = list(section.data.blockers).map(text);
  redraw(body, el('div', { class: `cert-box ${ready ? 'is-ready' : 'is-blocked'}`, attrs: { id: 'cert-status' }, dataset: { ready: String(ready) } }, [
    el('h3', { class: 'block-heading', text: t('results.cert.title') }),
    el('p', { class: 'cert-state' }, [icon(ready ? 'certificate' : 'lock'), el('span', { text: t(ready ? 'results.cert.ready' : 'results.cert.notReady') })]),
    ready ? el('p', { class: 'cert-text', text: t('results.cert.readyText') }) : null,
    !ready && blockers.length ? el('ul', { class: 'problem-lines', attrs: { id: 'cert-blockers' } }, blockers.map((line) => el('li', { text: line }))) : null,
  ]));
}

// ---------------------------------------------------------------- marking progress

function markerList(markers) {
  if (!markers.length) return el('span', { class: 'cell-muted', text: t('results.none') });
  return el('ul', { class: 'marker-list', attrs: { role: 'list' } }, markers.map((marker) => el('li', { class: `marker${marker.signed ? ' is-signed' : ''}`, dataset: { role: text(marker.role) } }, [
    el('span', { class: 'marker-role', text: label('results.marking.role', marker.role) }),
    el('span', { class: 'marker-name', text: text(marker.name) || text(marker.examiner) || t('results.none') }),
    isNumber(marker.total) ? el('span', { class: 'marker-total', text: formatScore(marker.total) }) : null,
    el('span', { class: `marker-signed ${marker.signed ? 'is-yes' : 'is-no'}`, text: t(marker.signed ? 'results.marking.signed' : 'results.marking.unsigned') }),
  ])));
}

function markingRow(row) {
  const status = text(row.status);
  return el('tr', { class: `marking-row marking-${status}`, dataset: { code: text(row.code), status } }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-mono', text: text(row.code) }),
    el('td', {}, el('span', { class: `marking-status marking-status-${status}`, text: label('results.marking.status', status) })),
    el('td', { text: text(row.name) || t('results.none') }),
    el('td', {}, markerList(list(row.markers))),
    el('td', { class: 'cell-num' }, [
      el('span', { text: formatScore(row.marked) }),
      row.adjudicated ? el('span', { class: 'tag tag-info tag-xs', text: t('results.marking.adjudicated') }) : null,
    ]),
    el('td', { class: 'marking-reason', text: text(row.reason) || '' }),
  ]);
}

function markingCard(part) {
  const batch = state.batch;
  const section = batch.marking[part];
  const id = batchSittings()[part] || '';
  const head = el('h3', { class: 'block-heading', attrs: { id: `marking-${part}-title` } }, [partTag(part), el('span', { class: 'cell-mono', text: id })]);
  if (!section.data) {
    return el('section', { class: 'panel marking-card', attrs: { 'aria-labelledby': `marking-${part}-title` }, dataset: { part } }, [
      head,
      section.status === 'error'
        ? el('p', { class: 'alert alert-error is-visible' }, [icon('alert'), el('span', { text: t('results.marking.failed', { message: errorMessage(section.error) }) })])
        : loadingState(2),
    ]);
  }
  const data = section.data;
  const total = Number(data.submissions) || 0;
  const final = Number(data.final) || 0;
  const rows = list(data.rows);
  const open = rows.filter((row) => row.status !== 'final');
  const showAll = batch.showAll[part];
  const shown = showAll ? rows : open;
  const counts = el('dl', { class: 'stats marking-counts', attrs: { id: `marking-${part}-counts` } }, MARKING_COUNTS.map((key) => stat(`results.marking.${key}`, formatNumber(data[key] ?? 0), {
    data: { count: key, value: String(Number(data[key]) || 0) },
    tone: key === 'final' ? 'ok' : (key !== 'submissions' && Number(data[key]) > 0 ? 'warn' : ''),
  })));
  const meter = total ? el('div', {
    class: 'progress-meter', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(total), 'aria-valuenow': String(final), 'aria-labelledby': `marking-${part}-title` },
  }, el('span', { class: 'progress-fill', dataset: { share: String(Math.round((final / total) * 100)) } })) : null;
  if (meter) meter.firstChild.style.width = `${Math.round((final / total) * 100)}%`;
  const children = [head, counts, meter];
  if (!total) children.push(el('p', { class: 'muted-note', text: t('results.marking.none') }));
  else if (!open.length && !showAll) children.push(el('p', { class: 'marking-done' }, [icon('check'), el('span', { text: t('results.marking.allFinal') })]));
  if (shown.length) {
    const columns = ['code', 'status', 'candidate', 'markers', 'marked', 'reason'];
    children.push(el('div', { class: 'table-wrap' }, el('table', { class: 'table marking-table', attrs: { id: `marking-${part}-table` } }, [
      el('caption', { class: 'visually-hidden', text: t('results.marking.pendingCaption', { part: partName(part) }) }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, text: t(`results.marking.col.${column}`) })))),
      el('tbody', {}, shown.map(markingRow)),
    ])));
  }
  if (rows.length && rows.length !== open.length) {
    children.push(el('button', {
      class: 'btn btn-ghost btn-sm', attrs: { type: 'button', id: `marking-${part}-all`, 'aria-pressed': String(showAll) },
      text: t('results.marking.showAll', { n: formatNumber(rows.length) }),
      on: { click: () => { batch.showAll[part] = !batch.showAll[part]; renderMarking(); } },
    }));
  }
  return el('section', { class: 'panel marking-card', attrs: { 'aria-labelledby': `marking-${part}-title` }, dataset: { part, open: String(open.length) } }, children);
}

function renderMarking() {
  if (!state.batch) return;
  redraw($('marking-body'), PARTS.map(markingCard));
}

// ---------------------------------------------------------------- re-checks (exam administrator decides)

function recheckOutcome(recheck) {
  const status = text(recheck.status);
  const parts = [el('span', { class: `recheck-status recheck-status-${status}`, text: label('results.recheck.status', status) })];
  if (status === 'corrected' && (isNumber(recheck.before) || isNumber(recheck.after))) {
    parts.push(el('span', { class: 'recheck-change', text: t('results.recheck.change', { before: formatScore(recheck.before), after: formatScore(recheck.after) }) }));
  }
  if (recheck.note) parts.push(el('span', { class: 'recheck-note', text: t('results.recheck.note', { note: text(recheck.note) }) }));
  if (recheck.decidedAt) parts.push(el('span', { class: 'recheck-when', text: t('results.recheck.decidedAt', { time: whenText(recheck.decidedAt) }) }));
  return el('div', { class: 'recheck-outcome' }, parts);
}

function recheckRow(recheck) {
  const id = text(recheck.id);
  const overdue = isOverdue(recheck);
  const deciding = state.batch.deciding && state.batch.deciding.id === id;
  return el('tr', { class: `recheck-row${overdue ? ' is-overdue' : ''}${deciding ? ' is-selected' : ''}`, dataset: { id, status: text(recheck.status), overdue: String(overdue), part: text(recheck.part) } }, [
    el('th', { attrs: { scope: 'row' }, text: text(recheck.name) || text(recheck.candidate) }),
    el('td', {}, partTag(recheck.part)),
    el('td', {}, el('span', { class: 'scope-tag', dataset: { scope: text(recheck.scope) }, text: label('results.scope', recheck.scope) })),
    el('td', { class: 'cell-reason', text: text(recheck.reason) }),
    el('td', { class: 'cell-muted' }, timeNode(recheck.requestedAt)),
    el('td', { class: 'cell-muted' }, [
      timeNode(recheck.answerBy),
      overdue ? el('span', { class: 'tag tag-bad tag-xs overdue-tag', text: t('results.rechecks.overdue') }) : null,
    ]),
    el('td', {}, recheckOutcome(recheck)),
    canEdit() ? el('td', {}, recheck.status === 'open' ? el('button', {
      class: 'btn btn-outline btn-sm', attrs: { type: 'button', id: `decide-${id}`, 'aria-label': t('results.rechecks.decideFor', { name: text(recheck.name), part: partName(recheck.part) }), 'aria-expanded': String(deciding), 'aria-controls': 'decide-form' },
      dataset: { action: 'decide', recheck: id },
      text: t('results.rechecks.decide'),
      on: { click: () => openDecide(id) },
    }) : null) : null,
  ]);
}

/** The current score of a candidate's part from the results table, for the decision form. */
function currentScore(recheck) {
  const rows = list(state.batch.results.data && state.batch.results.data.results);
  const row = rows.find((entry) => text(entry.candidate) === text(recheck.candidate));
  const part = row && row[recheck.part];
  return part && isNumber(part.score) ? part.score : (isNumber(recheck.before) ? recheck.before : null);
}

function decideForm(recheck) {
  const deciding = state.batch.deciding;
  const problems = deciding.problems;
  const fieldError = (field) => el('p', { class: 'field-error', attrs: { id: `decide-${field}-error`, hidden: problems[field] ? null : true } }, (problems[field] || []).map((item) => el('span', { text: t(item) })));
  const choice = (value) => el('label', { class: 'outcome-choice', attrs: { for: `decide-outcome-${value}` } }, [
    el('input', {
      attrs: { type: 'radio', name: 'decide-outcome', id: `decide-outcome-${value}`, value, checked: deciding.outcome === value ? true : null, 'aria-describedby': `decide-outcome-${value}-hint` },
      on: { change: () => { deciding.outcome = value; delete deciding.problems.outcome; renderRechecks(); } },
    }),
    el('span', { class: 'outcome-text' }, [
      el('span', { class: 'outcome-name', text: t(`results.decide.${value}`) }),
      el('span', { class: 'outcome-hint', attrs: { id: `decide-outcome-${value}-hint` }, text: t(`results.decide.${value}Hint`) }),
    ]),
  ]);
  const current = currentScore(recheck);
  return el('form', { class: 'panel decide-form', attrs: { id: 'decide-form', novalidate: true, 'aria-labelledby': 'decide-title' }, dataset: { recheck: text(recheck.id) }, on: { submit: onDecide } }, [
    el('h3', { class: 'block-heading', attrs: { id: 'decide-title' }, text: t('results.decide.title') }),
    el('p', { class: 'decide-target', text: t('results.decide.target', { name: text(recheck.name), part: partName(recheck.part), scope: label('results.scope', recheck.scope) }) }),
    recheck.reason ? el('p', { class: 'decide-reason', text: text(recheck.reason) }) : null,
    el('fieldset', { class: 'outcome-fieldset', attrs: { 'aria-describedby': 'decide-outcome-error' } }, [
      el('legend', { class: 'field-label', text: t('results.decide.outcome') }),
      el('div', { class: 'outcome-choices' }, [choice('unchanged'), choice('corrected')]),
      fieldError('outcome'),
    ]),
    deciding.outcome === 'corrected' ? el('div', { class: 'field decide-score-field' }, [
      el('label', { class: 'field-label', attrs: { for: 'decide-score' }, text: t('results.decide.score') }),
      el('input', {
        class: 'input-plain score-input',
        attrs: {
          id: 'decide-score', type: 'number', min: '0', max: '100', step: '0.01', inputmode: 'decimal', value: deciding.score,
          'aria-invalid': problems.score ? 'true' : null, 'aria-describedby': 'decide-score-hint decide-score-error',
        },
        on: { input: (event) => { deciding.score = event.target.value; } },
      }),
      el('p', { class: 'field-hint', attrs: { id: 'decide-score-hint' }, text: t('results.decide.current', { score: formatScore(current) }) }),
      fieldError('score'),
    ]) : null,
    el('div', { class: 'field' }, [
      el('label', { class: 'field-label', attrs: { for: 'decide-note' }, text: t('results.decide.note') }),
      el('textarea', {
        class: 'input-plain textarea decide-note', attrs: { id: 'decide-note', rows: '3', maxlength: '1000', 'aria-invalid': problems.note ? 'true' : null, 'aria-describedby': 'decide-note-hint decide-note-error' },
        on: { input: (event) => { deciding.note = event.target.value; } },
      }, [deciding.note]),
      el('p', { class: 'field-hint', attrs: { id: 'decide-note-hint' }, text: t('results.decide.noteHint') }),
      fieldError('note'),
    ]),
    el('div', { class: `alert alert-live${deciding.error ? ' is-visible alert-error' : ''}`, attrs: { id: 'decide-error', role: 'alert', tabindex: '-1' } }, deciding.error
      ? [icon('alert'), el('span', { class: 'alert-text', text: deciding.error })] : []),
    el('div', { class: 'form-actions' }, [
      spinnerButton({ id: 'decide-submit', className: 'btn-primary', busy: deciding.busy, labelText: t(deciding.busy ? 'results.decide.working' : 'results.decide.submit') }),
      el('button', { class: 'btn btn-outline', attrs: { type: 'button', id: 'decide-cancel' }, text: t('results.decide.cancel'), on: { click: closeDecide } }),
    ]),
  ]);
}

function openDecide(id) {
  const batch = state.batch;
  if (!batch || !canEdit()) return;
  batch.deciding = { id, outcome: '', score: '', note: '', problems: {}, error: null, busy: false };
  renderRechecks();
  const form = $('decide-form');
  if (form) {
    form.scrollIntoView({ block: 'nearest' });
    $('decide-outcome-unchanged').focus({ preventScroll: true });
  }
}

function closeDecide() {
  const batch = state.batch;
  if (!batch || !batch.deciding) return;
  const id = batch.deciding.id;
  batch.deciding = null;
  renderRechecks();
  const button = $(`decide-${id}`);
  if (button) button.focus();
}

async function onDecide(event) {
  event.preventDefault();
  const batch = state.batch;
  const deciding = batch && batch.deciding;
  if (!deciding || deciding.busy) return;
  const recheck = list(batch.rechecks.data && batch.rechecks.data.rechecks).find((entry) => text(entry.id) === deciding.id);
  if (!recheck) return;
  const problems = {};
  if (deciding.outcome !== 'unchanged' && deciding.outcome !== 'corrected') problems.outcome = ['results.need.outcome'];
  const score = Number(String(deciding.score).trim());
  if (deciding.outcome === 'corrected' && (String(deciding.score).trim() === '' || !Number.isFinite(score) || score < 0 || score > 100)) problems.score = ['results.need.score'];
  // A correction says why (the server insists); keeping the score may go without a note.
  if (deciding.outcome === 'corrected' && !deciding.note.trim()) problems.note = ['results.need.note'];
  deciding.problems = problems;
  deciding.error = null;
  if (Object.keys(problems).length) {
    renderRechecks();
    $(problems.outcome ? 'decide-outcome-unchanged' : problems.score ? 'decide-score' : 'decide-note').focus();
    return;
  }
  const body = { outcome: deciding.outcome, note: deciding.note.trim() };
  if (deciding.outcome === 'corrected') body.score = score;
  deciding.busy = true;
  renderRechecks();
  try {
    await resultsApi.decide(deciding.id, body);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    deciding.busy = false;
    const code = error instanceof ApiError ? error.code : 'generic';
    if (code === 'already_decided') {
      batch.deciding = null;
      batch.message = { kind: 'info', key: 'results.error.already_decided', code };
      await refreshBatch();
      $('batch-message').focus();
      return;
    }
    deciding.error = t('results.decide.failed', { message: failure(error) });
    renderRechecks();
    $('decide-error').focus();
    return;
  }
  const params = { name: text(recheck.name), part: partName(recheck.part), score: formatScore(score) };
  batch.deciding = null;
  batch.message = { kind: 'success', key: `results.decide.done.${body.outcome}`, params, code: 'decided' };
  await Promise.all([refreshBatch(), loadBatches()]);
  const row = document.querySelector(`#rechecks-table tr[data-id="${CSS.escape(text(recheck.id))}"] th`);
  $('batch-message').focus({ preventScroll: Boolean(row) });
}

function renderRechecks() {
  const batch = state.batch;
  if (!batch) return;
  const section = batch.rechecks;
  const body = $('rechecks-body');
  if (!section.data) {
    redraw(body, section.status === 'error'
      ? el('p', { class: 'alert alert-error is-visible' }, [icon('alert'), el('span', { text: t('results.rechecks.failed', { message: errorMessage(section.error) }) })])
      : el('div', { class: 'panel' }, loadingState(2)));
    return;
  }
  const rechecks = list(section.data.rechecks);
  const open = rechecks.filter((recheck) => recheck.status === 'open').length;
  if (!rechecks.length) {
    redraw(body, el('p', { class: 'empty', attrs: { id: 'rechecks-empty' }, text: t('results.rechecks.empty') }));
    return;
  }
  const sorted = [...rechecks].sort((a, b) => (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) || text(a.requestedAt).localeCompare(text(b.requestedAt)));
  const columns = ['candidate', 'part', 'scope', 'reason', 'requestedAt', 'answerBy', 'status', ...(canEdit() ? ['actions'] : [])];
  const deciding = batch.deciding && rechecks.find((recheck) => text(recheck.id) === batch.deciding.id && recheck.status === 'open');
  if (batch.deciding && !deciding) batch.deciding = null;
  redraw(body, [
    el('div', { class: 'block-head' }, [
      el('span', { class: 'count-pill', attrs: { id: 'rechecks-count' }, text: t('results.rechecks.count', { count: formatNumber(rechecks.length), open: formatNumber(open) }) }),
    ]),
    el('div', { class: 'table-wrap' }, el('table', { class: 'table rechecks-table', attrs: { id: 'rechecks-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('results.rechecks.caption') }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, text: t(`results.rechecks.col.${column}`) })))),
      el('tbody', {}, sorted.map(recheckRow)),
    ])),
    deciding ? decideForm(deciding) : null,
  ]);
}

// ---------------------------------------------------------------- statistics (supervisor, exam administrator)

async function loadStatistics({ force = false } = {}) {
  const batch = state.batch;
  if (!batch) return;
  const part = batch.stats.part;
  const id = batchSittings()[part];
  renderStatistics();
  if (!id) return;
  const section = batch.stats[part];
  if (!force && (section.status === 'loading' || (section.status === 'ok' && section.sitting === id))) return;
  batch.stats[part] = { ...section, status: 'loading', sitting: id };
  renderStatistics();
  try {
    const data = await resultsApi.statistics(id);
    if (state.batch !== batch) return;
    batch.stats[part] = { status: 'ok', data, sitting: id };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.batch !== batch) return;
    batch.stats[part] = { status: 'error', error, sitting: id, data: section.data };
  }
  renderStatistics();
}

function chooseStatsPart(part) {
  const batch = state.batch;
  if (!batch || batch.stats.part === part) return;
  batch.stats.part = part;
  batch.statsMessage = null;
  loadStatistics();
}

/** An option as chosen: a letter, or 正确 / 错误 for a true-false item. */
function optionName(option) {
  if (option === 'true') return t('bank.tf.true');
  if (option === 'false') return t('bank.tf.false');
  return text(option);
}

function distractorList(item) {
  const counts = item.distractors && typeof item.distractors === 'object' ? item.distractors : null;
  if (!counts || !Object.keys(counts).length) return el('span', { class: 'cell-muted', text: t('results.none') });
  const keys = new Set(list(item.answerKey).map(text));
  const rank = (option) => (option === '-' ? 3 : option === 'true' ? 1 : option === 'false' ? 2 : 0);
  const options = Object.keys(counts).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return el('ul', { class: 'distractors', attrs: { role: 'list' } }, options.map((option) => el('li', {
    class: `distractor${keys.has(option) ? ' is-key' : ''}${option === '-' ? ' is-blank' : ''}`, dataset: { option },
  }, [
    el('span', { class: 'distractor-option', text: option === '-' ? t('results.stats.noAnswer') : optionName(option) }),
    el('span', { class: 'distractor-count', text: formatNumber(counts[option]) }),
  ])));
}

function flagTags(flags) {
  if (!flags.length) return el('span', { class: 'cell-muted', text: '' });
  return el('ul', { class: 'flag-list', attrs: { role: 'list' } }, flags.map((flag) => el('li', {}, el('span', {
    class: `flag-tag flag-${FLAGS.includes(flag) ? flag : 'other'}`, dataset: { flag }, attrs: { title: has(`results.stats.explain.${flag}`) ? t(`results.stats.explain.${flag}`) : null },
    text: label('results.stats.flag', flag),
  }))));
}

function itemRow(item) {
  const flags = list(item.flags).map(text);
  const flagged = flags.length > 0;
  const low = (value, limit) => (isNumber(value) && value < limit ? ' is-low' : '');
  return el('tr', { class: `item-stat-row${flagged ? ' is-flagged' : ''}`, dataset: { key: text(item.key), item: text(item.item), flags: flags.join(' ') } }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-mono' }, [
      el('span', { text: text(item.key) }),
      flagged ? el('span', { class: 'visually-hidden', text: ` ${t('results.stats.flaggedRow')}` }) : null,
    ]),
    el('td', {}, el('div', { class: 'stat-item-id' }, [
      el('span', { class: 'cell-mono', text: text(item.item) }),
      item.version !== undefined && item.version !== null ? el('span', { class: 'item-version', text: t('results.stats.version', { version: text(item.version) }) }) : null,
    ])),
    el('td', { text: label('item.type', item.type) }),
    el('td', { class: 'cell-num', text: formatScore(item.points) }),
    el('td', { class: 'cell-num', text: formatNumber(item.responses ?? 0) }),
    el('td', { class: `cell-num${flags.includes('p_low') || flags.includes('p_high') ? ' is-bad-value' : ''}`, dataset: { stat: 'p', value: text(item.p) }, text: formatFixed(item.p, 2) }),
    el('td', { class: `cell-num${low(item.pointBiserial, 0)}`, dataset: { stat: 'pointBiserial', value: text(item.pointBiserial) }, text: formatFixed(item.pointBiserial, 3) }),
    el('td', { class: `cell-num${flags.includes('negative_discrimination') ? ' is-bad-value' : ''}`, dataset: { stat: 'discrimination', value: text(item.discrimination) }, text: formatFixed(item.discrimination, 3) }),
    el('td', {}, distractorList(item)),
    el('td', { class: 'cell-mono', text: list(item.answerKey).map(optionName).join(', ') || t('results.none') }),
    el('td', {}, flagTags(flags)),
  ]);
}

function paperBlock(paper, index) {
  const items = list(paper.items);
  const flagged = items.filter((item) => list(item.flags).length > 0);
  const paperId = text(paper.paper) || String(index + 1);
  const domId = `paper-${index}`;
  const kr20 = paper.kr20;
  const columns = ['key', 'item', 'type', 'points', 'responses', 'p', 'pointBiserial', 'discrimination', 'distractors', 'answerKey', 'flags'];
  const present = new Set(flagged.flatMap((item) => list(item.flags).map(text)));
  return el('section', { class: 'panel paper-stats', attrs: { 'aria-labelledby': `${domId}-title` }, dataset: { paper: paperId } }, [
    el('h4', { class: 'block-heading', attrs: { id: `${domId}-title` } }, [icon('files'), el('span', { text: t('results.stats.paper', { paper: paperId }) })]),
    el('dl', { class: `stats paper-figures${items.length ? '' : ' is-compact'}` }, [
      stat('results.stats.candidates', formatNumber(paper.candidates ?? 0)),
      ...(items.length ? [
      el('div', { class: 'stat stat-kr20' }, [
        el('dt', { class: 'stat-label', attrs: { title: t('results.stats.kr20Hint') }, text: t('results.stats.kr20') }),
        el('dd', {
          class: 'stat-value kr20-value', attrs: { id: `${domId}-kr20` },
          dataset: { paper: paperId, value: isNumber(kr20) ? String(kr20) : '' },
          text: isNumber(kr20) ? formatFixed(kr20, 3) : t('results.stats.kr20None'),
        }),
      ]),
      stat('results.stats.items', formatNumber(items.length)),
      stat('results.stats.flagged', formatNumber(flagged.length), { tone: flagged.length ? 'warn' : '', data: { count: 'flagged', value: String(flagged.length) } }),
      ] : []),
    ]),
    items.length ? el('p', { class: 'field-hint', text: t('results.stats.kr20Hint') }) : null,
    !items.length ? el('p', { class: 'muted-note', text: t('results.stats.noItems') }) : null,
    items.length ? el('div', { class: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': `${domId}-title` } }, el('table', { class: 'table item-stats-table', attrs: { id: `${domId}-items` } }, [
      el('caption', { class: 'visually-hidden', text: t('results.stats.itemsCaption', { paper: paperId }) }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, class: ['points', 'responses', 'p', 'pointBiserial', 'discrimination'].includes(column) ? 'cell-num' : '', text: t(`results.stats.col.${column}`) })))),
      el('tbody', {}, items.map(itemRow)),
    ])) : null,
    present.size ? el('div', { class: 'flag-legend', attrs: { role: 'note' } }, [
      el('p', { class: 'flag-legend-title', text: t('results.stats.flagsTitle') }),
      el('ul', { class: 'flag-legend-list' }, FLAGS.filter((flag) => present.has(flag)).map((flag) => el('li', { dataset: { flag } }, [
        el('span', { class: `flag-tag flag-${flag}`, text: t(`results.stats.flag.${flag}`) }),
        el('span', { text: t(`results.stats.explain.${flag}`) }),
      ]))),
    ]) : null,
  ]);
}

function markingStats(marking) {
  if (!marking || !(Number(marking.submissions) > 0)) {
    return el('section', { class: 'panel marking-stats', attrs: { 'aria-labelledby': 'marking-stats-title' } }, [
      el('h4', { class: 'block-heading', attrs: { id: 'marking-stats-title' } }, [icon('scale'), el('span', { text: t('results.stats.marking.title') })]),
      el('p', { class: 'muted-note', text: t('results.stats.marking.none') }),
    ]);
  }
  const tasks = list(marking.tasks);
  const examiners = list(marking.examiners);
  const severityWord = (value) => {
    if (!isNumber(value)) return '';
    if (value < -0.005) return t('results.stats.severity.strict');
    if (value > 0.005) return t('results.stats.severity.lenient');
    return t('results.stats.severity.even');
  };
  return el('section', { class: 'panel marking-stats', attrs: { 'aria-labelledby': 'marking-stats-title' } }, [
    el('h4', { class: 'block-heading', attrs: { id: 'marking-stats-title' } }, [icon('scale'), el('span', { text: t('results.stats.marking.title') })]),
    el('dl', { class: 'stats marking-figures', attrs: { id: 'marking-figures' } }, [
      stat('results.stats.marking.submissions', formatNumber(marking.submissions ?? 0)),
      stat('results.stats.marking.doubleMarked', formatNumber(marking.doubleMarked ?? 0)),
      stat('results.stats.marking.adjudicated', formatNumber(marking.adjudicated ?? 0)),
      stat('results.stats.marking.adjudicationRate', formatPercent(marking.adjudicationRate), { data: { value: text(marking.adjudicationRate) }, id: 'adjudication-rate' }),
    ]),
    el('h5', { class: 'sub-heading', attrs: { id: 'tasks-title' }, text: t('results.stats.tasks.caption') }),
    tasks.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'table tasks-table', attrs: { id: 'tasks-table', 'aria-labelledby': 'tasks-title' } }, [
      el('thead', {}, el('tr', {}, ['item', 'points', 'pairs', 'icc', 'meanDifference'].map((column) => el('th', { attrs: { scope: 'col' }, class: column === 'item' ? '' : 'cell-num', text: t(`results.stats.tasks.${column}`) })))),
      el('tbody', {}, tasks.map((task) => el('tr', { dataset: { item: text(task.item) } }, [
        el('th', { attrs: { scope: 'row' } }, el('div', { class: 'stat-item-id' }, [
          el('span', { class: 'cell-mono', text: text(task.item) }),
          task.version !== undefined && task.version !== null ? el('span', { class: 'item-version', text: t('results.stats.version', { version: text(task.version) }) }) : null,
        ])),
        el('td', { class: 'cell-num', text: formatScore(task.points) }),
        el('td', { class: 'cell-num', text: formatNumber(task.pairs ?? 0) }),
        el('td', { class: `cell-num${isNumber(task.icc) && task.icc < 0.5 ? ' is-bad-value' : ''}`, dataset: { stat: 'icc', value: text(task.icc) }, text: formatFixed(task.icc, 3) }),
        el('td', { class: 'cell-num', dataset: { stat: 'meanDifference', value: text(task.meanDifference) }, text: formatSigned(task.meanDifference, 2) }),
      ]))),
    ])) : el('p', { class: 'muted-note', text: t('results.stats.tasks.empty') }),
    el('h5', { class: 'sub-heading', attrs: { id: 'examiners-title' }, text: t('results.stats.examiners.caption') }),
    examiners.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'table examiners-table', attrs: { id: 'examiners-table', 'aria-labelledby': 'examiners-title', 'aria-describedby': 'severity-hint' } }, [
      el('thead', {}, el('tr', {}, ['name', 'marks', 'severity'].map((column) => el('th', { attrs: { scope: 'col' }, class: column === 'name' ? '' : 'cell-num', text: t(`results.stats.examiners.${column}`) })))),
      el('tbody', {}, examiners.map((examiner) => el('tr', { dataset: { examiner: text(examiner.examiner) } }, [
        el('th', { attrs: { scope: 'row' }, text: text(examiner.name) || text(examiner.examiner) }),
        el('td', { class: 'cell-num', text: formatNumber(examiner.marks ?? 0) }),
        el('td', { class: 'cell-num', dataset: { stat: 'severity', value: text(examiner.severity) } }, [
          el('span', { class: 'severity-value', text: formatSigned(examiner.severity, 2) }),
          severityWord(examiner.severity) ? el('span', { class: `severity-word${examiner.severity < -0.005 ? ' is-strict' : examiner.severity > 0.005 ? ' is-lenient' : ''}`, text: severityWord(examiner.severity) }) : null,
        ]),
      ]))),
    ])) : el('p', { class: 'muted-note', text: t('results.stats.examiners.empty') }),
    el('p', { class: 'field-hint', attrs: { id: 'severity-hint' }, text: t('results.stats.severityHint') }),
  ]);
}

function renderStatistics() {
  const batch = state.batch;
  if (!batch) return;
  const sittings = batchSittings();
  const part = batch.stats.part;
  redraw($('stats-switch'), PARTS.map((name) => el('button', {
    class: 'view-btn', attrs: { type: 'button', id: `stats-part-${name}`, 'aria-pressed': String(name === part), disabled: sittings[name] ? null : true },
    dataset: { part: name },
    on: { click: () => chooseStatsPart(name) },
  }, [el('span', { text: partName(name) }), sittings[name] ? el('span', { class: 'view-btn-id', text: sittings[name] }) : null])));
  renderAlert($('stats-message'), batch.statsMessage);
  const section = batch.stats[part];
  const body = $('stats-body');
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  body.dataset.part = part;
  body.dataset.state = section.status;
  if (!section.data || section.sitting !== sittings[part]) {
    redraw(body, section.status === 'error'
      ? el('p', { class: 'alert alert-error is-visible' }, [icon('alert'), el('span', { text: t('results.stats.failed', { message: errorMessage(section.error) }) })])
      : el('div', { class: 'panel' }, loadingState(4)));
    return;
  }
  const data = section.data;
  const sitting = sittingId(data.sitting) || sittings[part];
  const papers = list(data.papers);
  const report = (message) => {
    batch.statsMessage = message;
    renderAlert($('stats-message'), message);
  };
  redraw(body, [
    el('div', { class: 'stats-exports' }, [
      exportButtons({
        id: 'stats-items-export',
        url: (format) => `/api/v1/sittings/${enc(sitting)}/statistics/export?table=items&format=${format}`,
        fallbackName: `statistics-items-${sitting}`,
        labelKey: 'results.stats.exportItems',
        report,
      }),
      exportButtons({
        id: 'stats-marking-export',
        url: (format) => `/api/v1/sittings/${enc(sitting)}/statistics/export?table=marking&format=${format}`,
        fallbackName: `statistics-marking-${sitting}`,
        labelKey: 'results.stats.exportMarking',
        report,
      }),
    ]),
    ...(papers.length ? papers.map(paperBlock) : [el('p', { class: 'empty', text: t('results.stats.noPapers') })]),
    markingStats(data.marking),
  ]);
}

// ---------------------------------------------------------------- my results (candidate)

/** Why a part is void: the voiding decision's reason and tier, or ''. */
function voidReason(part) {
  const decision = list(part && part.misconduct).find((entry) => VOIDING_TIERS.has(entry.tier));
  return decision ? t('results.mine.voidReason', { reason: text(decision.reason) || t('results.none'), tier: tierText(decision) }) : '';
}

function minePart(result, part) {
  const data = result[part] && typeof result[part] === 'object' ? result[part] : {};
  const status = text(data.status) || 'pending';
  const passed = part === 'theory' ? result.passedTheory : result.passedAbility;
  const reason = status === 'void' ? voidReason(data) : '';
  // The decision that voided the part is said once, as its reason.
  const misconduct = list(data.misconduct).filter((decision) => !(reason && VOIDING_TIERS.has(decision.tier)));
  return el('div', { class: `mine-part mine-part-${status}`, dataset: { part, status } }, [
    el('div', { class: 'mine-part-head' }, [partTag(part), passTag(passed)]),
    status === 'scored' && isNumber(data.score)
      ? el('p', { class: 'mine-score' }, [
        el('span', { class: 'mine-score-value', dataset: { score: String(data.score) }, text: formatScore(data.score) }),
        el('span', { class: 'mine-score-unit', text: getLang() === 'en' ? '/ 100' : '分' }),
      ])
      : el('p', { class: `mine-score mine-score-state part-state-${status}`, text: label('results.part', status) }),
    status === 'scored' && breakdownText(data) ? el('p', { class: 'part-breakdown', text: breakdownText(data) }) : null,
    reason ? el('p', { class: 'mine-void-reason', text: reason }) : null,
    misconduct.length ? el('ul', { class: 'misconduct-list', attrs: { role: 'list', 'aria-label': t('results.mine.misconduct') } }, misconduct.map((decision) => el('li', { class: 'misconduct-item', dataset: { tier: text(decision.tier) } }, [
      tierTag(decision),
      decision.reason ? el('span', { class: 'misconduct-reason', text: text(decision.reason) }) : null,
    ]))) : null,
  ]);
}

function myRecheck(recheck) {
  const status = text(recheck.status);
  let outcome = t('results.mine.outcomeOpen');
  if (status === 'unchanged') outcome = t('results.mine.outcomeUnchanged');
  if (status === 'corrected') outcome = t('results.mine.outcomeCorrected', { before: formatScore(recheck.before), after: formatScore(recheck.after) });
  return el('li', { class: `my-recheck my-recheck-${status}`, dataset: { id: text(recheck.id), status, part: text(recheck.part) } }, [
    el('div', { class: 'my-recheck-head' }, [
      partTag(recheck.part),
      el('span', { class: 'scope-tag', dataset: { scope: text(recheck.scope) }, text: label('results.scope', recheck.scope) }),
      el('span', { class: `recheck-status recheck-status-${status}`, text: label('results.recheck.status', status) }),
    ]),
    recheck.reason ? el('p', { class: 'my-recheck-reason', text: text(recheck.reason) }) : null,
    el('p', { class: 'my-recheck-outcome', text: outcome }),
    recheck.note && status !== 'open' ? el('p', { class: 'recheck-note', text: t('results.recheck.note', { note: text(recheck.note) }) }) : null,
    el('p', { class: 'my-recheck-meta' }, [
      el('span', { text: t('results.mine.requestedAt', { time: whenText(recheck.requestedAt) }) }),
      status === 'open' && recheck.answerBy ? el('span', { text: t('results.mine.answerBy', { date: whenText(recheck.answerBy) }) }) : null,
    ]),
  ]);
}

function applyForm(result) {
  const apply = state.apply;
  const batch = text(result.batch);
  const problems = apply.problems;
  const openParts = new Set(list(result.rechecks).filter((recheck) => recheck.status === 'open').map((recheck) => recheck.part));
  const fieldError = (field) => el('p', { class: 'field-error', attrs: { id: `apply-${field}-error`, hidden: problems[field] ? null : true } }, (problems[field] || []).map((item) => el('span', { text: t(item) })));
  const invalid = (field) => (problems[field] ? 'true' : null);
  return el('form', { class: 'recheck-form', attrs: { id: 'recheck-form', novalidate: true, 'aria-labelledby': 'apply-title' }, dataset: { batch }, on: { submit: onApply } }, [
    el('h4', { class: 'block-heading', attrs: { id: 'apply-title' }, text: t('results.apply.title') }),
    el('p', { class: 'field-hint', attrs: { id: 'apply-lead' }, text: t('results.apply.lead') }),
    el('div', { class: 'recheck-grid' }, [
      el('div', { class: 'field' }, [
        el('label', { class: 'field-label', attrs: { for: 'apply-part' }, text: t('results.apply.part') }),
        el('select', {
          class: 'select', attrs: { id: 'apply-part', required: true, 'aria-invalid': invalid('part'), 'aria-describedby': 'apply-part-error' },
          on: { change: (event) => { apply.part = event.target.value; } },
        }, [
          el('option', { attrs: { value: '', selected: apply.part ? null : true }, text: t('results.apply.choosePart') }),
          ...PARTS.map((part) => el('option', {
            attrs: { value: part, selected: apply.part === part ? true : null },
            text: `${partName(part)}${openParts.has(part) ? t('results.apply.partOpen') : ''}`,
          })),
        ]),
        fieldError('part'),
      ]),
      el('div', { class: 'field' }, [
        el('label', { class: 'field-label', attrs: { for: 'apply-scope' }, text: t('results.apply.scope') }),
        el('select', {
          class: 'select', attrs: { id: 'apply-scope', required: true, 'aria-invalid': invalid('scope'), 'aria-describedby': 'apply-scope-error' },
          on: { change: (event) => { apply.scope = event.target.value; } },
        }, [
          el('option', { attrs: { value: '', selected: apply.scope ? null : true }, text: t('results.apply.chooseScope') }),
          ...SCOPES.map((scope) => el('option', { attrs: { value: scope, selected: apply.scope === scope ? true : null }, text: t(`results.scope.${scope}`) })),
        ]),
        fieldError('scope'),
      ]),
    ]),
    el('div', { class: 'field' }, [
      el('label', { class: 'field-label', attrs: { for: 'apply-reason' }, text: t('results.apply.reason') }),
      el('textarea', {
        class: 'input-plain textarea recheck-reason-input', attrs: { id: 'apply-reason', rows: '3', maxlength: String(REASON_MAX), required: true, 'aria-invalid': invalid('reason'), 'aria-describedby': 'apply-reason-hint apply-reason-error' },
        on: { input: (event) => { apply.reason = event.target.value; } },
      }, [apply.reason]),
      el('p', { class: 'field-hint', attrs: { id: 'apply-reason-hint' }, text: t('results.apply.reasonHint') }),
      fieldError('reason'),
    ]),
    el('div', { class: `alert alert-live${apply.error ? ' is-visible alert-error' : ''}`, attrs: { id: 'apply-error', role: 'alert', tabindex: '-1' }, dataset: { code: apply.code || '' } }, apply.error
      ? [icon('alert'), el('span', { class: 'alert-text', text: apply.error })] : []),
    el('div', { class: 'form-actions' }, [
      spinnerButton({ id: 'apply-submit', className: 'btn-primary', busy: apply.busy, labelText: t(apply.busy ? 'results.apply.submitting' : 'results.apply.submit') }),
      el('button', { class: 'btn btn-outline', attrs: { type: 'button', id: 'apply-cancel' }, text: t('results.apply.cancel'), on: { click: closeApply } }),
    ]),
  ]);
}

function mineCard(result) {
  const batch = text(result.batch);
  const rechecks = list(result.rechecks);
  const applying = state.apply && state.apply.batch === batch;
  return el('li', { class: `mine-card ${result.passed === true ? 'is-passed' : 'is-failed'}`, dataset: { batch, passed: String(result.passed === true) } }, [
    el('div', { class: 'mine-head' }, [
      el('h3', { class: 'mine-title', attrs: { id: `mine-${batch}-title` } }, [
        el('span', { text: occupationName(result.occupation) }),
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(result.level) }, text: levelLabel(result.level) }),
        el('span', { class: 'batch-direction', text: directionName(result.direction) }),
      ]),
      el('div', { class: `mine-overall ${result.passed === true ? 'is-passed' : 'is-failed'}`, attrs: { id: `mine-${batch}-overall` }, dataset: { passed: String(result.passed === true) } }, [
        el('span', { class: 'mine-overall-label', text: t('results.mine.overall') }),
        el('span', { class: 'mine-overall-value', text: t(result.passed === true ? 'results.mine.passed' : 'results.mine.failedOverall') }),
      ]),
    ]),
    el('div', { class: 'mine-parts' }, PARTS.map((part) => minePart(result, part))),
    el('p', { class: 'field-hint', text: t('results.mine.passNote') }),
    el('dl', { class: 'meta-facts mine-facts' }, [
      fact('results.mine.publishedAt', timeNode(result.publishedAt)),
      fact('results.mine.recheckUntil', timeNode(result.recheckUntil), `mine-${batch}-until`),
    ]),
    el('section', { class: 'mine-rechecks', attrs: { 'aria-labelledby': `mine-${batch}-rechecks` } }, [
      el('h4', { class: 'block-heading', attrs: { id: `mine-${batch}-rechecks` }, text: t('results.mine.rechecks') }),
      rechecks.length
        ? el('ul', { class: 'my-recheck-list', attrs: { role: 'list' } }, rechecks.map(myRecheck))
        : el('p', { class: 'muted-note', text: t('results.mine.noRechecks') }),
      result.canRecheck === true
        ? (applying ? applyForm(result) : el('button', {
          class: 'btn btn-primary btn-sm apply-open', attrs: { type: 'button', id: `apply-open-${batch}`, 'aria-controls': 'recheck-form', 'aria-expanded': 'false' },
          dataset: { batch },
          text: t('results.apply.open'),
          on: { click: () => openApply(batch) },
        }))
        : el('p', { class: 'muted-note recheck-closed', text: t('results.mine.recheckClosed') }),
    ]),
  ]);
}

function renderMine() {
  const section = state.mine;
  const body = $('mine-body');
  $('mine-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  body.dataset.state = section.status;
  renderAlert($('mine-message'), state.mineMessage);
  if (!section.data) {
    redraw(body, section.status === 'error'
      ? el('div', { class: 'panel' }, errorState(section.error, loadMine))
      : el('div', { class: 'panel' }, loadingState(3)));
    return;
  }
  const results = list(section.data);
  if (!results.length) {
    redraw(body, el('div', { class: 'unpublished-card', attrs: { id: 'mine-unpublished' } }, [
      el('span', { class: 'unpublished-icon' }, icon('clock')),
      el('div', {}, [
        el('p', { class: 'unpublished-title', text: t('results.mine.unpublished') }),
        el('p', { class: 'unpublished-text', text: t('results.mine.unpublishedText') }),
      ]),
    ]));
    return;
  }
  if (state.apply && !results.some((result) => text(result.batch) === state.apply.batch && result.canRecheck === true)) state.apply = null;
  redraw(body, el('ul', { class: 'mine-list', attrs: { role: 'list' } }, results.map(mineCard)));
}

async function loadMine() {
  const token = {};
  state.mine = { ...state.mine, status: 'loading', token };
  renderMine();
  try {
    const data = await resultsApi.mine();
    if (state.mine.token !== token) return;
    state.mine = { status: 'ok', data: list(data && data.results), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.mine.token !== token) return;
    state.mine = { ...state.mine, status: 'error', error, token };
  }
  renderMine();
}

function openApply(batch) {
  state.apply = { batch, part: '', scope: '', reason: '', problems: {}, error: null, code: null, busy: false };
  state.mineMessage = null;
  renderMine();
  $('apply-part').focus();
}

function closeApply() {
  const batch = state.apply && state.apply.batch;
  state.apply = null;
  renderMine();
  const button = batch && $(`apply-open-${batch}`);
  if (button) button.focus();
}

async function onApply(event) {
  event.preventDefault();
  const apply = state.apply;
  if (!apply || apply.busy) return;
  const reason = apply.reason.trim();
  const problems = {};
  if (!PARTS.includes(apply.part)) problems.part = ['results.need.part'];
  if (!SCOPES.includes(apply.scope)) problems.scope = ['results.need.scope'];
  if (!reason) problems.reason = ['results.need.reason'];
  else if (Array.from(reason).length > REASON_MAX) problems.reason = ['results.need.reasonLength'];
  apply.problems = problems;
  apply.error = null;
  if (Object.keys(problems).length) {
    renderMine();
    $(problems.part ? 'apply-part' : problems.scope ? 'apply-scope' : 'apply-reason').focus();
    return;
  }
  apply.busy = true;
  renderMine();
  let answer;
  try {
    answer = await resultsApi.requestRecheck(apply.batch, { part: apply.part, scope: apply.scope, reason });
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    apply.busy = false;
    apply.code = error instanceof ApiError ? error.code : 'generic';
    apply.error = t('results.apply.failed', { message: failure(error) });
    if (apply.code === 'invalid_scope') apply.problems.scope = ['results.error.invalid_scope'];
    renderMine();
    $('apply-error').focus();
    return;
  }
  const recheck = (answer && answer.recheck) || {};
  state.mineMessage = {
    kind: 'success', key: 'results.apply.done', code: 'requested',
    params: { part: partName(recheck.part || apply.part), date: whenText(recheck.answerBy) },
  };
  state.apply = null;
  await loadMine();
  $('mine-message').focus();
}

// ---------------------------------------------------------------- page

async function loadStandards() {
  try {
    const data = await resultsApi.standards();
    state.standards = list(data && data.standards);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.standards = [];
  }
  renderAll();
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  const staff = isStaff();
  const mineOnly = !staff && isCandidate();
  $('page-title').textContent = t(mineOnly ? 'results.titleMine' : 'results.title');
  $('breadcrumb-here').textContent = t(mineOnly ? 'results.titleMine' : 'results.title');
  document.title = t(mineOnly ? 'results.pageTitleMine' : 'results.pageTitle');
  let lead = 'results.leadMine';
  if (staff) lead = canEdit() ? 'results.lead' : 'results.leadSupervisor';
  $('page-lead').textContent = t(lead);
  $('readonly-note').hidden = !staff || canEdit();
  $('batches-section').hidden = !staff;
  $('create-open').hidden = !canEdit();
  $('mine-section').hidden = !isCandidate();
  // When the page is only the candidate's, its title says "my results" already.
  $('mine-title').parentElement.classList.toggle('visually-hidden', mineOnly);
  if (staff) {
    renderBatches();
    renderCreate();
    renderBatch();
  }
  if (isCandidate()) renderMine();
}

function renderHeader() {
  renderUserHeader(state.me);
}

function hashTarget() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return { batch: params.get('batch'), tab: params.get('tab') };
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
  const loads = [loadStandards()];
  if (isStaff()) loads.push(loadBatches(), loadSittings());
  if (isCandidate()) loads.push(loadMine());
  await Promise.all(loads);
  const target = hashTarget();
  if (isStaff() && target.batch) await openBatch(target.batch, { focus: false, tab: target.tab || 'results' });
  document.body.classList.add('is-ready');
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('batches-refresh').addEventListener('click', () => {
    state.batchesMessage = null;
    loadBatches();
    loadSittings();
  });
  $('create-open').addEventListener('click', openCreate);
  $('create-cancel').addEventListener('click', closeCreate);
  $('create-form').addEventListener('submit', onCreate);
  $('create-theory').addEventListener('change', () => {
    delete state.create.problems.theory;
    renderCreate();
  });
  $('create-ability').addEventListener('change', () => {
    delete state.create.problems.ability;
    renderCreate();
  });
  $('batch-close').addEventListener('click', closeBatch);
  $('batch-refresh').addEventListener('click', () => {
    if (!state.batch) return;
    state.batch.message = null;
    renderAlert($('batch-message'), null);
    refreshBatch();
    if (state.batch.tab === 'statistics') loadStatistics({ force: true });
  });
  for (const name of TABS) {
    $(`tab-${name}`).addEventListener('click', () => selectTab(name));
    $(`tab-${name}`).addEventListener('keydown', onTabKey);
  }
  $('batch-section').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.batch && state.batch.deciding && !state.batch.deciding.busy) {
      event.preventDefault();
      closeDecide();
    }
  });
  $('mine-refresh').addEventListener('click', () => {
    state.mineMessage = null;
    loadMine();
  });
  document.addEventListener('assay:langchange', renderAll);
  // A link to another batch of this page (#batch=ID&tab=…) opens it without a reload.
  window.addEventListener('hashchange', () => {
    const target = hashTarget();
    if (!state.me || !isStaff()) return;
    if (!target.batch) {
      if (state.batch) closeBatch();
      return;
    }
    if (!state.batch || state.batch.id !== target.batch) openBatch(target.batch, { tab: target.tab || 'results' });
    else if (target.tab && target.tab !== state.batch.tab) selectTab(target.tab);
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
