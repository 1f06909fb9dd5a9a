// The annual exam plan (年度考试计划): for a year, one row per occupation, level and direction with
// the expected number of candidates and the planned exam dates, beside what actually happened
// (approved applications, sittings, seats). Exam administrators add, edit and delete rows;
// supervisors read. The year-end summary is the CSV / XLSX export.
//
// Server strings (notes, directions) are only set as text.
import { ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatBeijing, formatNumber, has, t } from './i18n.js';
import { closeIcon, exportButtons } from './files.js';

/** `GET /api/v1/plans` */
const PAGE_ROLES = ['exam_admin', 'supervisor', 'body_admin'];
const EDIT_ROLES = ['exam_admin'];
const UNDIVIDED = '不分方向';
const MAX_EXPECTED = 1000000;
const LEVEL_ORDER = ['初级', '中级', '高级'];

const state = {
  me: null,
  standards: [],
  year: null,
  list: { status: 'idle' },
  message: null,
  /** The form: {editing: plan id or null, dates: [yyyy-MM-dd], problems: {field: [text]}, error, busy}. */
  form: { editing: null, dates: [], problems: {}, error: null, busy: false },
  /** Plan id → 'confirm' | 'busy' while deleting. */
  deleting: {},
};

const $ = (id) => document.getElementById(id);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const levelLabel = (level) => label('level', level);
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));
const canEdit = () => holdsAny(EDIT_ROLES);
const number = (value) => (Number.isFinite(Number(value)) ? Number(value) : 0);

const plansApi = {
  standards: () => call('GET', '/api/v1/exams'),
  list: (year) => call('GET', `/api/v1/plans?year=${encodeURIComponent(year)}`),
  create: (body) => call('POST', '/api/v1/plans', body),
  update: (id, body) => call('PUT', `/api/v1/plans/${encodeURIComponent(id)}`, body),
  remove: (id) => call('DELETE', `/api/v1/plans/${encodeURIComponent(id)}`),
};

/** This year in Beijing. */
function beijingYear() {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? `${standard.name}（${code}）` : text(code);
}

function option(value, optionLabel, selected) {
  return el('option', { attrs: { value, selected: selected ? true : null }, text: optionLabel });
}

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
    ]),
  ]);
}

// ---------------------------------------------------------------- the year and its rows

function renderYears() {
  const now = beijingYear();
  const years = new Set([now - 1, now, now + 1, now + 2, state.year]);
  replaceChildren($('plan-year'), [...years].sort().map((year) => option(String(year), t('plans.yearOption', { year }), year === state.year)));
  $('plans-title').textContent = t('plans.list.title', { year: state.year });
}

function onYearChange() {
  const year = Number($('plan-year').value);
  if (!Number.isInteger(year)) return;
  state.year = year;
  const url = new URL(window.location.href);
  url.searchParams.set('year', String(year));
  window.history.replaceState(null, '', url.toString());
  state.message = null;
  if (!state.form.editing) state.form.dates = [];
  renderYears();
  renderExport();
  renderForm();
  loadList();
}

function sortedRows(rows) {
  const levelIndex = (level) => (LEVEL_ORDER.includes(level) ? LEVEL_ORDER.indexOf(level) : 9);
  return [...rows].sort((a, b) => {
    const pa = a.plan || {};
    const pb = b.plan || {};
    return text(pa.occupation).localeCompare(text(pb.occupation))
      || levelIndex(pa.level) - levelIndex(pb.level)
      || text(pa.direction).localeCompare(text(pb.direction));
  });
}

function meter(actual, planned) {
  const ratio = planned > 0 ? Math.min(1, actual / planned) : 0;
  const percent = planned > 0 ? Math.round((actual / planned) * 100) : null;
  const bar = el('span', { class: 'plan-meter-fill' });
  // A CSSOM width, not a style attribute: the content security policy allows no inline styles.
  bar.style.width = `${(ratio * 100).toFixed(1)}%`;
  return el('span', { class: `plan-meter${percent !== null && percent >= 100 ? ' is-full' : ''}`, attrs: { 'aria-hidden': 'true' } }, [bar]);
}

function dateList(dates) {
  const values = list(dates).map(text).filter(Boolean);
  if (!values.length) return el('span', { class: 'cell-muted', text: '—' });
  return el('ul', { class: 'plan-dates', attrs: { role: 'list' } }, values.map((date) => el('li', {}, el('time', { attrs: { datetime: date }, text: formatDay(date) }))));
}

/** A row without a direction covers every direction of a level that has them. */
function planDirection(plan) {
  if (plan.direction) return directionName(plan.direction);
  return directionsOf(plan.occupation, plan.level).length ? t('plans.field.allDirections') : t('direction.undivided');
}

/** A plan date (yyyy-MM-dd) in the current language, as a calendar day. */
function formatDay(date) {
  return formatBeijing(`${date}T12:00:00+08:00`, { dateOnly: true });
}

function planRow(row) {
  const plan = row.plan || {};
  const actual = row.actual || {};
  const id = text(plan.id);
  const expected = number(plan.expectedCandidates);
  const approved = number(actual.approved);
  const deleting = state.deleting[id];
  const editingThis = state.form.editing === id;
  const cells = [
    el('th', { attrs: { scope: 'row' } }, el('div', { class: 'app-target' }, [
      el('span', { class: 'app-occupation', text: row.occupationName && !state.standards.length ? `${text(row.occupationName)}（${text(plan.occupation)}）` : occupationName(plan.occupation) }),
      el('span', { class: 'app-target-sub' }, [
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(plan.level) }, text: levelLabel(plan.level) }),
        el('span', { class: 'app-direction', text: planDirection(plan) }),
      ]),
    ])),
    el('td', { class: 'cell-num plan-expected', text: formatNumber(expected) }),
    el('td', { class: 'plan-actual' }, [
      el('span', { class: 'plan-actual-value', text: formatNumber(approved) }),
      meter(approved, expected),
      el('span', { class: 'visually-hidden', text: expected > 0 ? t('plans.percentOf', { percent: formatNumber(Math.round((approved / expected) * 100)) }) : '' }),
    ]),
    el('td', { class: 'cell-num plan-placed', text: formatNumber(number(actual.placed)) }),
    el('td', {}, dateList(plan.dates)),
    el('td', { class: 'cell-num plan-sittings' }, [
      el('span', { text: t('plans.sittingsOf', { n: formatNumber(number(actual.sittings)), planned: formatNumber(list(plan.dates).length) }) }),
      number(actual.sittings) ? el('span', { class: 'plan-published', text: t('plans.published', { n: formatNumber(number(actual.published)) }) }) : null,
    ]),
    el('td', { class: 'plan-note', text: text(plan.note) || '—' }),
  ];
  if (canEdit()) {
    let actions;
    if (deleting) {
      const busy = deleting === 'busy';
      actions = el('div', { class: 'plan-confirm', attrs: { role: 'group', 'aria-labelledby': `plan-delete-text-${id}` }, on: { keydown: (event) => onConfirmKey(event, id) } }, [
        el('span', { class: 'plan-confirm-text', attrs: { id: `plan-delete-text-${id}` }, text: t('plans.delete.confirm') }),
        el('button', {
          class: `btn btn-danger btn-sm${busy ? ' is-busy' : ''}`, attrs: { type: 'button', 'aria-busy': busy ? 'true' : null }, dataset: { action: 'delete-confirm', id },
          on: { click: () => removePlan(id) },
        }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: t(busy ? 'plans.delete.working' : 'plans.delete.yes') })]),
        el('button', { class: 'btn btn-outline btn-sm', attrs: { type: 'button' }, dataset: { action: 'delete-cancel', id }, text: t('papers.action.cancel'), on: { click: () => cancelDelete(id) } }),
      ]);
    } else {
      actions = el('div', { class: 'plan-actions' }, [
        el('button', { class: 'btn btn-ghost btn-sm', attrs: { type: 'button', 'aria-pressed': editingThis ? 'true' : null }, dataset: { action: 'edit', id }, on: { click: () => startEdit(id) } }, [icon('pen'), el('span', { text: t('plans.edit') })]),
        el('button', { class: 'btn btn-ghost btn-sm btn-quiet-danger', attrs: { type: 'button' }, dataset: { action: 'delete', id }, on: { click: () => askDelete(id) } }, [closeIcon(), el('span', { text: t('plans.delete.button') })]),
      ]);
    }
    cells.push(el('td', { class: 'plan-actions-cell' }, actions));
  }
  return el('tr', { class: `plan-row${editingThis ? ' is-selected' : ''}`, dataset: { id, occupation: text(plan.occupation), level: text(plan.level) } }, cells);
}

function renderSummary(rows) {
  const total = rows.reduce((sum, row) => ({
    expected: sum.expected + number(row.plan && row.plan.expectedCandidates),
    approved: sum.approved + number(row.actual && row.actual.approved),
    placed: sum.placed + number(row.actual && row.actual.placed),
    sittings: sum.sittings + number(row.actual && row.actual.sittings),
    dates: sum.dates + list(row.plan && row.plan.dates).length,
  }), { expected: 0, approved: 0, placed: 0, sittings: 0, dates: 0 });
  const stat = (key, value, id) => el('div', { class: 'stat' }, [
    el('dt', { class: 'stat-label', text: t(key) }),
    el('dd', { class: 'stat-value', attrs: { id }, text: value }),
  ]);
  replaceChildren($('plans-summary'), rows.length ? el('dl', { class: 'stats plan-stats' }, [
    stat('plans.total.expected', formatNumber(total.expected), 'total-expected'),
    stat('plans.total.approved', formatNumber(total.approved), 'total-approved'),
    stat('plans.total.placed', formatNumber(total.placed), 'total-placed'),
    stat('plans.total.sittings', t('plans.sittingsOf', { n: formatNumber(total.sittings), planned: formatNumber(total.dates) }), 'total-sittings'),
  ]) : []);
}

function renderList() {
  const section = state.list;
  const body = $('plans-body');
  const count = $('plans-count');
  $('plans-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  body.dataset.state = section.status;
  renderAlert($('plans-message'), state.message);
  if (!section.data && (section.status === 'idle' || section.status === 'loading')) {
    count.hidden = true;
    replaceChildren($('plans-summary'));
    replaceChildren(body, el('div', { class: 'panel' }, loadingState(3)));
    return;
  }
  if (!section.data) {
    count.hidden = true;
    replaceChildren($('plans-summary'));
    replaceChildren(body, el('div', { class: 'panel' }, errorState(section.error, loadList)));
    return;
  }
  const rows = sortedRows(section.data);
  count.hidden = false;
  count.textContent = t('plans.list.count', { count: formatNumber(rows.length) });
  renderSummary(rows);
  if (!rows.length) {
    replaceChildren(body, el('p', { class: 'empty', attrs: { id: 'plans-empty' }, text: t(canEdit() ? 'plans.list.emptyAdmin' : 'plans.list.empty', { year: state.year }) }));
    return;
  }
  const columns = ['target', 'expected', 'approved', 'placed', 'dates', 'sittings', 'note'];
  if (canEdit()) columns.push('actions');
  const focused = body.contains(document.activeElement) && document.activeElement.dataset.action
    ? `${document.activeElement.dataset.action}:${document.activeElement.dataset.id}` : null;
  replaceChildren(body, el('div', { class: 'table-wrap' }, el('table', { class: 'table plan-table', attrs: { id: 'plans-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('plans.list.caption', { year: state.year }) }),
    el('thead', {}, [
      el('tr', {}, [
        el('th', { attrs: { scope: 'col', rowspan: '2' }, text: t('plans.col.target') }),
        el('th', { class: 'plan-group', attrs: { scope: 'colgroup', colspan: '1' }, text: t('plans.col.planned') }),
        el('th', { class: 'plan-group is-actual', attrs: { scope: 'colgroup', colspan: '2' }, text: t('plans.col.actual') }),
        el('th', { class: 'plan-group', attrs: { scope: 'colgroup', colspan: '1' }, text: t('plans.col.planned') }),
        el('th', { class: 'plan-group is-actual', attrs: { scope: 'colgroup', colspan: '1' }, text: t('plans.col.actual') }),
        el('th', { attrs: { scope: 'col', rowspan: '2' }, text: t('plans.col.note') }),
        canEdit() ? el('th', { attrs: { scope: 'col', rowspan: '2' }, text: t('plans.col.actions') }) : null,
      ]),
      el('tr', {}, columns.filter((column) => !['target', 'note', 'actions'].includes(column)).map((column) => el('th', {
        attrs: { scope: 'col' }, class: ['expected', 'placed', 'sittings'].includes(column) ? 'cell-num' : '', text: t(`plans.col.${column}`),
      }))),
    ]),
    el('tbody', {}, rows.map(planRow)),
  ])));
  if (focused) {
    const [action, id] = focused.split(':');
    const again = Array.from(body.querySelectorAll('[data-action]')).find((node) => node.dataset.action === action && node.dataset.id === id);
    if (again) again.focus();
  }
}

async function loadList() {
  const token = {};
  state.list = { ...state.list, status: 'loading', token, data: state.list.year === state.year ? state.list.data : null, year: state.year };
  renderList();
  try {
    const data = await plansApi.list(state.year);
    if (state.list.token !== token) return;
    state.list = { status: 'ok', data: list(data && data.plans), token, year: state.year };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.list.token !== token) return;
    state.list = { ...state.list, status: 'error', error, token };
  }
  renderList();
}

function renderExport() {
  replaceChildren($('plans-export'), exportButtons({
    id: 'plans-export-buttons',
    url: (format) => `/api/v1/plans/export?year=${encodeURIComponent(state.year)}&format=${format}`,
    fallbackName: `plans-${state.year}`,
    labelKey: 'plans.export',
    report: (message) => {
      state.message = message;
      renderAlert($('plans-message'), message);
    },
  }));
}

// ---------------------------------------------------------------- deleting

function askDelete(id) {
  state.deleting = { [id]: 'confirm' };
  state.message = null;
  renderList();
  const button = Array.from(document.querySelectorAll('[data-action="delete-confirm"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

function cancelDelete(id) {
  if (state.deleting[id] === 'busy') return;
  delete state.deleting[id];
  renderList();
  const button = Array.from(document.querySelectorAll('[data-action="delete"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

function onConfirmKey(event, id) {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  cancelDelete(id);
}

async function removePlan(id) {
  if (state.deleting[id] === 'busy') return;
  state.deleting[id] = 'busy';
  renderList();
  try {
    await plansApi.remove(id);
    state.message = { kind: 'success', key: 'plans.delete.done', code: 'deleted' };
    if (state.form.editing === id) resetForm();
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.message = { kind: 'error', key: 'plans.delete.failed', params: { message: errorMessage(error) }, code: error instanceof ApiError ? error.code : 'generic' };
  }
  delete state.deleting[id];
  await loadList();
  $('plans-message').focus();
}

// ---------------------------------------------------------------- the form

const FORM_FIELDS = {
  occupation: 'plan-occupation',
  level: 'plan-level',
  direction: 'plan-direction',
  expectedCandidates: 'plan-expected',
  dates: 'plan-dates',
  note: 'plan-note',
  year: 'plan-year',
};

function levelsOf(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard ? list(standard.levels) : [];
}

function directionsOf(code, level) {
  const spec = levelsOf(code).find((entry) => entry.level === level);
  return spec ? list(spec.directions).filter((name) => typeof name === 'string' && name && name !== UNDIVIDED) : [];
}

function renderChoices(preset = {}) {
  const occupation = preset.occupation || $('plan-occupation').value || (state.standards[0] && state.standards[0].code) || '';
  replaceChildren($('plan-occupation'), state.standards.map((standard) => option(standard.code, occupationName(standard.code), standard.code === occupation)));
  const levels = levelsOf(occupation).map((spec) => spec.level);
  const wanted = preset.level || $('plan-level').value;
  const level = levels.includes(wanted) ? wanted : levels[0] || '';
  replaceChildren($('plan-level'), levels.map((value) => option(value, levelLabel(value), value === level)));
  const directions = directionsOf(occupation, level);
  const direction = preset.direction !== undefined ? text(preset.direction) : $('plan-direction').value;
  replaceChildren($('plan-direction'), directions.length
    ? [option('', t('plans.field.allDirections'), !directions.includes(direction)), ...directions.map((value) => option(value, value, value === direction))]
    : [option('', t('direction.undivided'), true)]);
  $('plan-direction').disabled = !directions.length;
}

function renderDates() {
  const dates = [...state.form.dates].sort();
  replaceChildren($('plan-dates'), dates.map((date) => el('li', { class: 'chip date-chip', dataset: { date } }, [
    el('time', { attrs: { datetime: date }, text: formatDay(date) }),
    el('button', {
      class: 'chip-remove', attrs: { type: 'button', 'aria-label': t('plans.field.removeDate', { date: formatDay(date) }), title: t('plans.field.removeDate', { date: formatDay(date) }) },
      on: { click: () => removeDate(date) },
    }, closeIcon('icon chip-remove-icon')),
  ])));
  $('plan-dates').hidden = !dates.length;
  $('plan-date').min = `${state.year}-01-01`;
  $('plan-date').max = `${state.year}-12-31`;
  $('plan-dates-hint').textContent = t('plans.field.datesHint', { year: state.year });
}

function addDate() {
  const value = $('plan-date').value;
  const problems = state.form.problems;
  delete problems.dates;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) problems.dates = [t('plans.need.dateValue')];
  else if (!value.startsWith(`${state.year}-`)) problems.dates = [t('plans.need.dateYear', { year: state.year })];
  else if (!state.form.dates.includes(value)) state.form.dates.push(value);
  if (!problems.dates) $('plan-date').value = '';
  renderFormProblems();
  renderDates();
  $('plan-date').focus();
}

function removeDate(date) {
  state.form.dates = state.form.dates.filter((value) => value !== date);
  renderDates();
  $('plan-date').focus();
}

function renderFormProblems() {
  const problems = state.form.problems;
  for (const [name, control] of Object.entries(FORM_FIELDS)) {
    if (name === 'year') continue;
    const items = problems[name] || [];
    const node = name === 'dates' ? $('plan-date') : $(control);
    if (items.length) node.setAttribute('aria-invalid', 'true');
    else node.removeAttribute('aria-invalid');
    const box = $(`${control}-error`);
    box.hidden = !items.length;
    replaceChildren(box, items.map((item) => el('span', { class: 'apply-problem', text: item })));
  }
  renderAlert($('plan-error'), state.form.error ? { ...state.form.error, kind: 'error' } : null);
}

function renderForm() {
  const section = $('plan-form-section');
  section.hidden = !canEdit();
  if (!canEdit()) return;
  const editing = state.form.editing;
  $('plan-form-title').textContent = t(editing ? 'plans.form.editTitle' : 'plans.form.addTitle');
  $('plan-form-lead').textContent = t(editing ? 'plans.form.editLead' : 'plans.form.addLead', { year: state.year });
  $('plan-cancel').hidden = !editing;
  const button = $('plan-submit');
  button.classList.toggle('is-busy', state.form.busy);
  button.setAttribute('aria-busy', String(state.form.busy));
  button.querySelector('.btn-label').textContent = t(state.form.busy ? 'plans.form.saving' : editing ? 'plans.form.save' : 'plans.form.add');
  section.classList.toggle('is-editing', Boolean(editing));
  renderChoices();
  renderDates();
  renderFormProblems();
}

function resetForm() {
  state.form = { editing: null, dates: [], problems: {}, error: null, busy: false };
  $('plan-form').reset();
  renderForm();
}

function startEdit(id) {
  const row = list(state.list.data).find((entry) => entry.plan && entry.plan.id === id);
  if (!row) return;
  const plan = row.plan;
  state.form = { editing: id, dates: list(plan.dates).map(text), problems: {}, error: null, busy: false };
  renderChoices({ occupation: plan.occupation, level: plan.level, direction: plan.direction || '' });
  $('plan-expected').value = text(plan.expectedCandidates);
  $('plan-note').value = text(plan.note);
  renderForm();
  renderList();
  $('plan-form-section').scrollIntoView({ block: 'start' });
  $('plan-expected').focus({ preventScroll: true });
}

function cancelEdit() {
  const id = state.form.editing;
  resetForm();
  renderList();
  const button = Array.from(document.querySelectorAll('[data-action="edit"]')).find((node) => node.dataset.id === id);
  if (button) button.focus();
}

/** The form as the API takes it; a date picked but not yet added counts as added. */
function readForm() {
  const raw = $('plan-expected').value.trim();
  const pending = $('plan-date').value;
  const dates = new Set(state.form.dates);
  if (/^\d{4}-\d{2}-\d{2}$/.test(pending) && pending.startsWith(`${state.year}-`)) dates.add(pending);
  return {
    year: state.year,
    occupation: $('plan-occupation').value,
    level: $('plan-level').value,
    direction: $('plan-direction').disabled ? null : ($('plan-direction').value || null),
    expectedCandidates: /^\d+$/.test(raw) ? Number(raw) : null,
    dates: [...dates].sort(),
    note: $('plan-note').value.trim() || null,
  };
}

function checkForm(body) {
  const problems = {};
  const add = (field, key, params) => (problems[field] ||= []).push(t(key, params));
  if (!body.occupation) add('occupation', 'plans.need.occupation');
  if (!body.level) add('level', 'plans.need.level');
  if (body.expectedCandidates === null) add('expectedCandidates', 'plans.need.expected', { max: formatNumber(MAX_EXPECTED) });
  else if (body.expectedCandidates > MAX_EXPECTED) add('expectedCandidates', 'plans.need.expected', { max: formatNumber(MAX_EXPECTED) });
  const pending = $('plan-date').value;
  if (pending && !/^\d{4}-\d{2}-\d{2}$/.test(pending)) add('dates', 'plans.need.dateValue');
  else if (pending && !pending.startsWith(`${state.year}-`)) add('dates', 'plans.need.dateYear', { year: state.year });
  return problems;
}

/** The problems of a refused plan: "field: message; field: message". */
function splitProblems(message) {
  return text(message).split(/;\s+(?=[A-Za-z]+(?:\[\d+\])?:\s)/).map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^([A-Za-z]+)(?:\[\d+\])?:\s*(.*)$/.exec(part);
    return match && FORM_FIELDS[match[1]] ? { field: match[1], text: match[2] } : { field: null, text: part };
  });
}

function focusFirstProblem() {
  const order = ['occupation', 'level', 'direction', 'expectedCandidates', 'dates', 'note'];
  const first = order.find((name) => state.form.problems[name]);
  if (first) $(first === 'dates' ? 'plan-date' : FORM_FIELDS[first]).focus();
  else $('plan-error').focus();
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.form.busy) return;
  const body = readForm();
  state.form.problems = checkForm(body);
  if (Object.keys(state.form.problems).length) {
    state.form.error = { key: 'plans.form.fix', code: 'client' };
    renderFormProblems();
    focusFirstProblem();
    return;
  }
  const editing = state.form.editing;
  state.form.error = null;
  state.form.busy = true;
  renderForm();
  try {
    if (editing) await plansApi.update(editing, body);
    else await plansApi.create(body);
  } catch (error) {
    state.form.busy = false;
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    if (code.startsWith('invalid') || code === 'bad_request') {
      const problems = splitProblems(error.message);
      const general = [];
      for (const problem of problems) {
        if (problem.field && problem.field !== 'year') (state.form.problems[problem.field] ||= []).push(problem.text);
        else general.push(problem.text);
      }
      state.form.error = { key: 'plans.form.invalid', params: { n: formatNumber(problems.length) }, items: general, code };
    } else {
      state.form.error = { key: has(`plans.error.${code}`) ? `plans.error.${code}` : 'plans.form.failed', params: { message: errorMessage(error) }, code };
    }
    renderForm();
    focusFirstProblem();
    return;
  }
  const target = `${occupationName(body.occupation)} ${levelLabel(body.level)}`;
  resetForm();
  state.message = { kind: 'success', key: editing ? 'plans.done.update' : 'plans.done.create', params: { target }, code: editing ? 'updated' : 'created' };
  await loadList();
  $('plans-message').focus();
}

// ---------------------------------------------------------------- page

async function loadStandards() {
  try {
    const data = await plansApi.standards();
    state.standards = list(data && data.standards);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.standards = [];
  }
  renderForm();
  renderList();
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  $('readonly-note').hidden = canEdit();
  renderYears();
  renderExport();
  renderForm();
  renderList();
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
  await Promise.all([loadStandards(), loadList()]);
  document.body.classList.add('is-ready');
}

function init() {
  const asked = Number(new URLSearchParams(window.location.search).get('year'));
  state.year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : beijingYear();
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('plan-year').addEventListener('change', onYearChange);
  $('plans-refresh').addEventListener('click', () => {
    state.message = null;
    loadList();
  });
  $('plan-form').addEventListener('submit', onSubmit);
  $('plan-cancel').addEventListener('click', cancelEdit);
  $('plan-date-add').addEventListener('click', addDate);
  $('plan-date').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addDate();
    }
  });
  $('plan-occupation').addEventListener('change', () => renderChoices());
  $('plan-level').addEventListener('change', () => renderChoices());
  for (const [name, control] of Object.entries(FORM_FIELDS)) {
    if (name === 'year' || name === 'dates') continue;
    $(control).addEventListener($(control).tagName === 'SELECT' ? 'change' : 'input', () => {
      if (!state.form.problems[name]) return;
      delete state.form.problems[name];
      renderFormProblems();
    });
  }
  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
