// The paper-assembly page (组卷): exam administrators choose an occupation, level, direction, part,
// number of parallel forms and seed, preview the forms with their conformance report (nothing is
// stored), save the previewed request as papers, and seal or discard saved assemblies. Supervisors,
// body administrators and bank custodians read the saved assemblies; custodians may also seal them.
//
// Only metadata is ever shown: item IDs, versions, types, assessment points, points and difficulty,
// never item content. Server strings (names, findings, messages) are only ever set as text, and the
// findings of a report are shown exactly as the server wrote them.
import { api, ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatDateTime, formatNumber, has, t } from './i18n.js';

/** Who may open this page (the roles `GET /api/v1/papers` allows). */
const PAGE_ROLES = ['exam_admin', 'supervisor', 'body_admin', 'bank_custodian'];
/** Who may preview and save (`POST /api/v1/papers/preview`, `POST /api/v1/papers`). */
const COMPOSE_ROLES = ['exam_admin'];
const SEAL_ROLES = ['exam_admin', 'bank_custodian'];
const DISCARD_ROLES = ['exam_admin'];
/** What each status allows; the server decides in the end. */
const SEALABLE = ['assembled'];
const DISCARDABLE = ['assembled', 'sealed'];
/** An assembly not yet released may be replaced by a new one (the old one is discarded in the same step). */
const REPLACEABLE = ['assembled', 'sealed'];
const STATUSES = ['assembled', 'sealed', 'released', 'discarded'];
const PARTS = ['theory', 'practical'];
const UNDIVIDED = '不分方向';
const MAX_FORMS = 100;
/** Codes whose server message is worth showing under the translated text. */
const DETAILED_CODES = new Set([
  'direction_required', 'unknown_direction', 'unknown_exam', 'unknown_level', 'unknown_part', 'bad_forms', 'no_blueprint',
  'no_blueprints', 'invalid_blueprint', 'infeasible', 'wrong_status', 'already_released', 'item_changed', 'forbidden', 'bad_request',
]);

const state = {
  me: null,
  standards: [],
  /** Occupation code → the codes of its 基本要求 (from `GET /api/v1/exams/{code}`), to name weight rows. */
  basics: {},
  compose: { occupation: '', level: '', direction: '', part: 'theory', forms: '2', seed: '' },
  invalid: { forms: null, seed: null },
  /** The assembly a save will replace (chosen in its detail sheet), or null. */
  replacing: null,
  /** {status: idle|loading|ok|error, request, data, error, token, stale, savedId} */
  preview: { status: 'idle' },
  saving: false,
  saveMessage: null,
  list: { status: 'idle' },
  /** The assembly open in the side sheet: {id, status, data, error, token, busy, confirm, message}. */
  detail: null,
  /** The assembly last opened or saved: marked in the list. */
  selectedId: null,
  /** Where the focus goes when the sheet closes, instead of back to the assembly's row. */
  focusAfterClose: null,
};

const $ = (id) => document.getElementById(id);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));

// ---------------------------------------------------------------- API

const paperApi = {
  standard: (code) => call('GET', `/api/v1/exams/${encodeURIComponent(code)}`),
  preview: (request) => call('POST', '/api/v1/papers/preview', request),
  save: (request, replacing) => call('POST', '/api/v1/papers', { request, replacing }),
  assemblies: () => call('GET', '/api/v1/papers'),
  assembly: (id) => call('GET', `/api/v1/papers/${encodeURIComponent(id)}`),
  seal: (id) => call('POST', `/api/v1/papers/${encodeURIComponent(id)}/seal`, {}),
  discard: (id) => call('POST', `/api/v1/papers/${encodeURIComponent(id)}/discard`, {}),
};

// ---------------------------------------------------------------- names and numbers

const levelLabel = (level) => (has(`level.${level}`) ? t(`level.${level}`) : text(level));
const typeName = (type) => (has(`item.type.${type}`) ? t(`item.type.${type}`) : text(type));
/** The server says `ability` for the practical part (专业能力). */
const partKey = (part) => (part === 'ability' || part === 'practical' ? 'practical' : 'theory');
const partName = (part) => t(`papers.part.${partKey(part)}`);
const statusName = (status) => (has(`papers.status.${status}`) ? t(`papers.status.${status}`) : text(status));
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? `${standard.name}（${code}）` : text(code);
}

/** Rounded to two decimals, with the language's grouping. */
function num(value) {
  const number = Number(value);
  if (!Number.isFinite(number)) return text(value);
  return formatNumber(Math.round(number * 100) / 100);
}

/** A difficulty (mean proportion correct), always with two decimals. */
function diff(value) {
  const number = Number(value);
  return Number.isFinite(number) ? (Math.abs(number) < 0.005 ? 0 : number).toFixed(2) : text(value);
}

function seconds(value) {
  const number = Number(value);
  if (!Number.isFinite(number)) return '';
  return t('papers.unit.seconds', { n: number < 0.01 ? '< 0.01' : formatNumber(Math.round(number * 100) / 100) });
}

/** The unit of a row's numbers: points, items, minutes; a proportion or an unknown kind has none. */
const ROW_UNITS = {
  weight: 'papers.unit.points', total: 'papers.unit.points', coverage: 'papers.unit.items', band: 'papers.unit.items',
  enemy: 'papers.unit.items', time: 'papers.unit.minutes',
};

/** A value of a report row in its unit. */
function rowValue(kind, value) {
  if (kind === 'difficulty') return diff(value);
  return ROW_UNITS[kind] ? t(ROW_UNITS[kind], { n: num(value) }) : num(value);
}

function rowRange(row) {
  const upper = row.upper === null || row.upper === undefined ? '∞' : null;
  if (row.kind === 'difficulty') return `${diff(row.lower)}–${upper || diff(row.upper)}`;
  const range = `${num(row.lower)}–${upper || num(row.upper)}`;
  return ROW_UNITS[row.kind] ? t(ROW_UNITS[row.kind], { n: range }) : range;
}

/** 职业功能 or 基本要求: the standard says which codes are 基本要求; until it has loaded, both names. */
function kindLabel(row, occupation) {
  if (row.kind === 'weight') {
    const basics = state.basics[occupation];
    if (!basics) return t('papers.kind.weight');
    return t(basics.has(row.key) ? 'papers.kind.weightBasic' : 'papers.kind.weightFunction');
  }
  return has(`papers.kind.${row.kind}`) ? t(`papers.kind.${row.kind}`) : text(row.kind);
}

/** Names from the standard are shown as sent; the engine's own rows get a translated name. */
function rowName(row) {
  if (['total', 'difficulty', 'enemy', 'time'].includes(row.kind)) return t(`papers.rowName.${row.kind}`);
  return text(row.name);
}

function statusTag(status) {
  const safe = text(status).replace(/[^a-z_]/g, '');
  return el('span', { class: `asm-status asm-status-${safe}`, dataset: { status: text(status) }, text: statusName(status) });
}

function metMark(met) {
  return el('span', { class: `met-mark ${met ? 'is-met' : 'is-unmet'}` }, [
    el('span', { attrs: { 'aria-hidden': 'true' }, text: met ? '✓' : '✗' }),
    el('span', { class: 'visually-hidden', text: t(met ? 'papers.met' : 'papers.unmetShort') }),
  ]);
}

function fact(labelKey, value) {
  return el('div', { class: 'meta-fact' }, [el('dt', { text: t(labelKey) }), el('dd', {}, value)]);
}

// ---------------------------------------------------------------- the conformance report

/**
 * The report as a quality supervisor reads it: the verdict, any proof of shortage and unmet
 * constraints (as the server wrote them), what holds across the forms, then every row of every form.
 * `prefix` keeps ids unique (the preview and a saved assembly may be on screen together);
 * `forms` (a preview's assembled forms) adds each form's items.
 */
function reportView(report, { prefix, forms = [], timing = null, headingLevel = 3 }) {
  const h = `h${headingLevel}`;
  const proven = list(report.proven);
  const unmet = list(report.unmet);
  const feasible = report.feasible === true;
  const children = [verdictView(report, prefix)];

  if (proven.length) {
    children.push(el('section', { class: 'report-panel report-proven', attrs: { id: `${prefix}-proven`, 'aria-labelledby': `${prefix}-proven-title` } }, [
      el(h, { class: 'report-panel-title', attrs: { id: `${prefix}-proven-title` } }, [icon('alert'), el('span', { text: t('papers.report.provenTitle') })]),
      el('p', { class: 'report-panel-lead', text: t('papers.report.provenLead') }),
      el('ol', { class: 'findings' }, proven.map((finding) => el('li', { class: 'finding', text: text(finding) }))),
    ]));
  }
  if (unmet.length) {
    children.push(el('section', { class: 'report-panel report-unmet', attrs: { id: `${prefix}-unmet`, 'aria-labelledby': `${prefix}-unmet-title` } }, [
      el(h, { class: 'report-panel-title', attrs: { id: `${prefix}-unmet-title` } }, [icon('alert'), el('span', { text: t('papers.report.unmetTitle') })]),
      el('p', { class: 'report-panel-lead', text: t('papers.report.unmetLead') }),
      el('ol', { class: 'findings' }, unmet.map((finding) => el('li', { class: 'finding', text: text(finding) }))),
    ]));
  }
  if (report.across || list(report.forms).length) children.push(acrossView(report, prefix, timing, h));
  else if (timing) children.push(el('p', { class: 'report-timing', text: timingText(timing) }));

  for (const form of list(report.forms)) {
    const assembled = list(forms).find((entry) => entry.number === form.form);
    children.push(formView(report, form, assembled, prefix, h));
  }
  return el('div', { class: 'report', attrs: { id: `${prefix}-report` }, dataset: { feasible: String(feasible) } }, children);
}

function requestSummary(report) {
  return [
    occupationName(report.occupation),
    levelLabel(report.level),
    directionName(report.direction),
    partName(report.part),
    t('papers.report.formsCount', { n: formatNumber(report.formsRequested) }),
    t('papers.report.seed', { seed: text(report.seed) }),
  ].join(t('papers.separator'));
}

function verdictView(report, prefix) {
  const feasible = report.feasible === true;
  const proven = list(report.proven).length > 0;
  let key = 'papers.report.feasible';
  if (!feasible) key = proven ? 'papers.report.infeasibleProven' : 'papers.report.infeasibleSearch';
  return el('div', { class: `report-verdict ${feasible ? 'is-ok' : 'is-bad'}`, attrs: { id: `${prefix}-verdict` }, dataset: { feasible: String(feasible) } }, [
    el('span', { class: 'report-verdict-icon' }, [icon(feasible ? 'shieldOk' : 'shieldBad')]),
    el('div', { class: 'report-verdict-text' }, [
      el('p', { class: 'report-verdict-title', text: t(key, { forms: formatNumber(report.formsRequested) }) }),
      el('p', { class: 'report-verdict-sub', text: requestSummary(report) }),
    ]),
  ]);
}

function timingText(timing) {
  const parts = [t('papers.report.elapsed', { time: seconds(timing.elapsedSeconds) })];
  if (timing.firstFeasibleSeconds !== null && timing.firstFeasibleSeconds !== undefined) {
    parts.push(t('papers.report.firstFeasible', { time: seconds(timing.firstFeasibleSeconds) }));
  }
  return parts.join(t('papers.separator'));
}

function acrossView(report, prefix, timing, h) {
  const across = report.across;
  const rows = [];
  const row = (labelKey, value, requirement, met = null) => el('tr', { dataset: { metric: labelKey.split('.').pop() } }, [
    el('th', { attrs: { scope: 'row' }, text: t(labelKey) }),
    el('td', { class: 'cell-value', text: value }),
    el('td', { class: 'cell-muted', text: requirement || '—' }),
    el('td', { class: 'cell-met' }, met === null ? el('span', { class: 'cell-muted', text: '—' }) : metMark(met)),
  ]);
  if (across) {
    const means = list(across.difficultyMeans);
    rows.push(row(
      'papers.across.means',
      means.map((mean, index) => t('papers.across.formMean', { n: formatNumber(index + 1), mean: diff(mean) })).join(t('papers.listSeparator')),
      t('papers.across.target', { target: diff(report.difficultyTarget) }),
    ));
    rows.push(row('papers.across.spread', diff(across.difficultySpread), t('papers.across.spreadHint')));
    rows.push(row(
      'papers.across.shared',
      t('papers.unit.items', { n: formatNumber(across.mostShared) }),
      t('papers.across.sharedAllowed', { n: formatNumber(across.sharedAllowed) }),
      Number(across.mostShared) <= Number(across.sharedAllowed),
    ));
    rows.push(row('papers.across.itemsUsed', t('papers.unit.items', { n: formatNumber(across.itemsUsed) })));
    rows.push(row(
      'papers.across.exposure',
      t('papers.across.exposureValue', { before: formatNumber(across.exposureBefore), after: formatNumber(across.exposureAfter) }),
      t('papers.across.exposureCap', { cap: formatNumber(across.exposureCap) }),
      Number(across.exposureAfter) <= Number(across.exposureCap),
    ));
  }
  rows.push(row('papers.across.objective', num(report.objective), t('papers.across.objectiveHint')));
  if (timing) rows.push(row('papers.across.timing', timingText(timing)));
  return el('section', { class: 'report-block report-across', attrs: { id: `${prefix}-across`, 'aria-labelledby': `${prefix}-across-title` } }, [
    el(h, { class: 'report-block-title', attrs: { id: `${prefix}-across-title` } }, [icon('scale'), el('span', { text: t('papers.across.title') })]),
    el('div', { class: 'table-wrap report-wrap' }, el('table', { class: 'table report-table across-table', attrs: { 'aria-labelledby': `${prefix}-across-title` } }, [
      el('thead', {}, el('tr', {}, ['metric', 'value', 'requirement', 'met'].map((column) => el('th', {
        attrs: { scope: 'col' }, text: t(`papers.across.col.${column}`),
      })))),
      el('tbody', {}, rows),
    ])),
  ]);
}

function formView(report, form, assembled, prefix, h) {
  const rows = list(form.rows);
  const broken = rows.filter((row) => row.met !== true).length;
  const titleId = `${prefix}-form-${form.form}-title`;
  const summary = [
    t('papers.form.items', { n: formatNumber(form.items) }),
    t('papers.unit.points', { n: num(form.points) }),
    t('papers.form.mean', { mean: diff(form.difficultyMean) }),
  ].join(t('papers.separator'));
  const columns = ['kind', 'key', 'name', 'target', 'range', 'achieved', 'met'];
  const children = [
    el('div', { class: 'report-form-head' }, [
      el(h, { class: 'report-block-title', attrs: { id: titleId } }, [icon('form'), el('span', { text: t('papers.form.title', { n: formatNumber(form.form) }) })]),
      el('span', { class: 'report-form-summary', text: summary }),
      el('span', { class: `report-form-verdict ${broken ? 'is-bad' : 'is-ok'}`, text: broken ? t('papers.form.broken', { n: formatNumber(broken) }) : t('papers.form.allMet') }),
    ]),
    el('div', { class: 'table-wrap report-wrap' }, el('table', { class: 'table report-table rows-table', attrs: { 'aria-labelledby': titleId } }, [
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
        attrs: { scope: 'col' },
        class: ['target', 'range', 'achieved'].includes(column) ? 'cell-num' : column === 'met' ? 'cell-met' : '',
        text: t(`papers.col.${column}`),
      })))),
      el('tbody', {}, rows.map((row) => el('tr', {
        class: row.met === true ? '' : 'is-unmet',
        dataset: { kind: text(row.kind), key: text(row.key), met: String(row.met === true) },
      }, [
        el('td', { class: 'cell-kind', text: kindLabel(row, report.occupation) }),
        el('td', { class: 'cell-mono', text: ['total', 'difficulty', 'time'].includes(row.kind) || row.key === row.name ? '—' : text(row.key) }),
        el('th', { attrs: { scope: 'row' }, class: 'cell-rowname', text: rowName(row) }),
        el('td', { class: 'cell-num', text: rowValue(row.kind, row.target) }),
        el('td', { class: 'cell-num', text: rowRange(row) }),
        el('td', { class: 'cell-num cell-achieved', text: rowValue(row.kind, row.achieved) }),
        el('td', { class: 'cell-met' }, metMark(row.met === true)),
      ]))),
    ])),
  ];
  if (assembled && list(assembled.items).length) children.push(formItemsView(assembled, prefix));
  return el('section', {
    class: 'report-block report-form',
    attrs: { id: `${prefix}-form-${form.form}`, 'aria-labelledby': titleId },
    dataset: { form: text(form.form), met: String(!broken) },
  }, children);
}

/** A previewed form's items (metadata only), folded away under the rows. */
function formItemsView(form, prefix) {
  const items = list(form.items);
  return el('details', { class: 'form-items' }, [
    el('summary', { text: t('papers.form.itemsToggle', { n: formatNumber(items.length) }) }),
    el('div', { class: 'table-wrap report-wrap' }, el('table', { class: 'table report-table items-mini', attrs: { id: `${prefix}-form-${form.number}-items` } }, [
      el('caption', { class: 'visually-hidden', text: t('papers.form.itemsCaption', { n: formatNumber(form.number) }) }),
      el('thead', {}, el('tr', {}, ['item', 'type', 'point', 'points', 'difficulty'].map((column) => el('th', {
        attrs: { scope: 'col' }, class: ['points', 'difficulty'].includes(column) ? 'cell-num' : '', text: t(`papers.items.col.${column}`),
      })))),
      el('tbody', {}, items.map((item) => el('tr', { dataset: { id: text(item.id) } }, [
        el('th', { attrs: { scope: 'row' }, class: 'cell-mono', text: `${text(item.id)} @ v${text(item.version)}` }),
        el('td', { text: typeName(item.type) }),
        el('td', { class: 'cell-mono', text: text(item.point) }),
        el('td', { class: 'cell-num', text: num(item.points) }),
        el('td', { class: 'cell-num', text: diff(item.difficulty) }),
      ]))),
    ])),
  ]);
}

// ---------------------------------------------------------------- compose form

function option(value, label, selected) {
  return el('option', { attrs: { value, selected: selected ? true : null }, text: label });
}

function levelsOf(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard ? list(standard.levels) : [];
}

/** The directions of a level; a level without directions (or 不分方向) offers the one undivided choice. */
function directionsOf(code, level) {
  const spec = levelsOf(code).find((entry) => entry.level === level);
  const names = spec ? list(spec.directions).filter((name) => typeof name === 'string' && name && name !== UNDIVIDED) : [];
  return names;
}

/** Keeps the choice valid after the standards arrive or a choice above it changes. */
function normaliseCompose() {
  const c = state.compose;
  if (!state.standards.some((entry) => entry.code === c.occupation)) c.occupation = state.standards[0] ? state.standards[0].code : '';
  const levels = levelsOf(c.occupation).map((entry) => entry.level);
  if (!levels.includes(c.level)) c.level = levels[0] || '';
  const directions = directionsOf(c.occupation, c.level);
  if (directions.length && !directions.includes(c.direction)) c.direction = directions[0];
  if (!directions.length) c.direction = '';
  if (!PARTS.includes(c.part)) c.part = 'theory';
}

function renderCompose() {
  if (!holdsAny(COMPOSE_ROLES)) return;
  normaliseCompose();
  const c = state.compose;
  replaceChildren($('compose-occupation'), state.standards.map((standard) => option(standard.code, `${text(standard.name)}（${text(standard.code)}）`, standard.code === c.occupation)));
  replaceChildren($('compose-level'), levelsOf(c.occupation).map((entry) => option(entry.level, levelLabel(entry.level), entry.level === c.level)));
  const directions = directionsOf(c.occupation, c.level);
  replaceChildren($('compose-direction'), directions.length
    ? directions.map((name) => option(name, name, name === c.direction))
    : [option('', t('direction.undivided'), true)]);
  replaceChildren($('compose-part'), PARTS.map((part) => option(part, t(`papers.part.${part}`), part === c.part)));
  $('compose-forms').value = c.forms;
  $('compose-seed').value = c.seed;
  renderFieldErrors();
  renderComposeTools();
}

function renderFieldErrors() {
  for (const name of ['forms', 'seed']) {
    const field = $(`compose-${name}`);
    const message = $(`compose-${name}-error`);
    const key = state.invalid[name];
    if (key) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
    message.hidden = !key;
    message.textContent = key ? t(key, { max: formatNumber(MAX_FORMS) }) : '';
  }
}

function readCompose() {
  return {
    occupation: $('compose-occupation').value,
    level: $('compose-level').value,
    direction: $('compose-direction').value,
    part: $('compose-part').value,
    forms: $('compose-forms').value.trim(),
    seed: $('compose-seed').value.trim(),
  };
}

/** Any change after a preview makes it stale: the save button saves only what was previewed. */
function onComposeChange(event) {
  const before = state.compose;
  state.compose = readCompose();
  if (event && event.target && ['compose-forms', 'compose-seed'].includes(event.target.id)) {
    const name = event.target.id.replace('compose-', '');
    if (state.invalid[name]) {
      state.invalid[name] = null;
      renderFieldErrors();
    }
  }
  const structural = before.occupation !== state.compose.occupation || before.level !== state.compose.level;
  if (structural) renderCompose();
  if (state.preview.status === 'ok' || state.preview.status === 'error') {
    state.preview.stale = !sameRequest(state.preview.request, buildRequest(state.compose));
  }
  renderComposeTools();
}

function newSeed() {
  return String(100000 + Math.floor(Math.random() * 900000));
}

function reseed() {
  $('compose-seed').value = newSeed();
  onComposeChange({ target: $('compose-seed') });
  $('compose-seed').focus();
}

/** The request body from the form's values (no validation). */
function buildRequest(c) {
  return {
    exam: c.occupation,
    level: c.level,
    direction: c.direction ? c.direction : null,
    part: c.part,
    forms: Number(c.forms),
    seed: Number(c.seed),
  };
}

function sameRequest(a, b) {
  if (!a || !b) return false;
  return ['exam', 'level', 'direction', 'part', 'forms', 'seed'].every((key) => a[key] === b[key]);
}

/** Checks the two typed fields; marks them and returns the first invalid one, or null. */
function validateCompose() {
  const c = state.compose;
  state.invalid.forms = /^\d+$/.test(c.forms) && Number(c.forms) >= 1 && Number(c.forms) <= MAX_FORMS ? null : 'papers.field.formsInvalid';
  state.invalid.seed = /^\d+$/.test(c.seed) && Number.isSafeInteger(Number(c.seed)) ? null : 'papers.field.seedInvalid';
  renderFieldErrors();
  if (state.invalid.forms) return $('compose-forms');
  if (state.invalid.seed) return $('compose-seed');
  return null;
}

function canSave() {
  const preview = state.preview;
  return Boolean(
    preview.status === 'ok' && !preview.stale && !preview.savedId && !state.saving
      && preview.data && preview.data.report && preview.data.report.feasible === true,
  );
}

/** The preview and save buttons, and the line saying why save is not offered. */
function renderComposeTools() {
  if (!holdsAny(COMPOSE_ROLES)) return;
  const preview = state.preview;
  const loading = preview.status === 'loading';
  const previewButton = $('preview-button');
  previewButton.disabled = loading || state.saving;
  previewButton.classList.toggle('is-busy', loading);
  previewButton.setAttribute('aria-busy', String(loading));
  previewButton.querySelector('.btn-label').textContent = t(loading ? 'papers.preview.working' : 'papers.preview.button');

  const save = $('save-button');
  save.disabled = !canSave();
  save.classList.toggle('is-busy', state.saving);
  save.setAttribute('aria-busy', String(state.saving));
  save.querySelector('.btn-label').textContent = t(state.saving ? 'papers.save.working' : state.replacing ? 'papers.save.replace' : 'papers.save.button');

  let hint = '';
  if (state.saving) hint = '';
  else if (preview.status === 'idle' || preview.status === 'loading') hint = t('papers.save.needPreview');
  else if (preview.stale) hint = t('papers.save.stale');
  else if (preview.savedId) hint = t('papers.save.saved', { id: preview.savedId });
  else if (preview.status === 'error') hint = t('papers.save.needPreview');
  else if (!(preview.data && preview.data.report && preview.data.report.feasible)) hint = t('papers.save.infeasible');
  else hint = t('papers.save.ready');
  $('compose-hint').textContent = hint;

  const notice = $('replacing-notice');
  notice.hidden = !state.replacing;
  if (state.replacing) {
    replaceChildren(notice, [
      icon('rotate'),
      el('span', { class: 'replacing-text', text: t('papers.replace.notice', { id: state.replacing }) }),
      el('button', { class: 'btn btn-ghost btn-sm', attrs: { type: 'button', id: 'replacing-cancel' }, text: t('papers.replace.cancel'), on: { click: cancelReplacing } }),
    ]);
  }
  $('preview-result').classList.toggle('is-stale', Boolean(preview.stale));
}

function cancelReplacing() {
  state.replacing = null;
  renderComposeTools();
  $('compose-occupation').focus();
}

// ---------------------------------------------------------------- preview

async function onPreview(event) {
  event.preventDefault();
  if (state.preview.status === 'loading' || state.saving) return;
  state.compose = readCompose();
  const invalid = validateCompose();
  if (invalid) {
    invalid.focus();
    return;
  }
  const request = buildRequest(state.compose);
  const token = {};
  state.preview = { status: 'loading', request, token };
  state.saveMessage = null;
  renderSaveMessage();
  renderPreview();
  renderComposeTools();
  try {
    const data = await paperApi.preview(request);
    if (state.preview.token !== token) return;
    state.preview = { status: 'ok', request, data: data || {}, token, stale: false };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.preview.token !== token) return;
    state.preview = { status: 'error', request, error, token, stale: false };
  }
  state.preview.stale = !sameRequest(request, buildRequest(readCompose()));
  renderPreview();
  renderComposeTools();
  $('preview-result').focus();
}

function previewError(error) {
  const code = error instanceof ApiError ? error.code : 'generic';
  const key = has(`papers.error.${code}`) ? `papers.error.${code}` : null;
  const detail = DETAILED_CODES.has(code) && error.message && error.message !== code ? error.message : null;
  return el('div', { class: 'alert alert-error is-visible preview-error', attrs: { id: 'preview-error', role: 'alert' }, dataset: { code } }, [
    icon('alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: key ? t(key) : t('papers.preview.failed', { message: errorMessage(error) }) }),
      detail ? el('span', { class: 'alert-detail', attrs: { id: 'preview-error-detail' }, text: t('papers.detail', { detail }) }) : null,
    ]),
  ]);
}

function renderPreview() {
  const box = $('preview-result');
  const preview = state.preview;
  box.hidden = preview.status === 'idle';
  box.setAttribute('aria-busy', preview.status === 'loading' ? 'true' : 'false');
  box.dataset.state = preview.status;
  const title = el('h2', { class: 'section-title', attrs: { id: 'preview-result-title' }, text: t('papers.preview.title') });
  if (preview.status === 'idle') {
    replaceChildren(box);
    return;
  }
  if (preview.status === 'loading') {
    replaceChildren(box, [title, el('div', { class: 'panel' }, [
      el('p', { class: 'preview-working', text: t('papers.preview.workingLong') }),
      ...loadingState(4),
    ])]);
    return;
  }
  if (preview.status === 'error') {
    replaceChildren(box, [title, previewError(preview.error)]);
    return;
  }
  const data = preview.data || {};
  const report = data.report || {};
  replaceChildren(box, [
    title,
    el('p', { class: 'stale-note', attrs: { id: 'preview-stale' }, text: t('papers.preview.staleNote') }),
    reportView(report, {
      prefix: 'preview',
      forms: list(data.forms),
      timing: { elapsedSeconds: data.elapsedSeconds, firstFeasibleSeconds: data.firstFeasibleSeconds },
      headingLevel: 3,
    }),
  ]);
}

// ---------------------------------------------------------------- save

async function onSave() {
  if (!canSave()) return;
  const preview = state.preview;
  const replacing = state.replacing;
  state.saving = true;
  state.saveMessage = null;
  renderSaveMessage();
  renderComposeTools();
  let saved = null;
  try {
    saved = await paperApi.save(preview.request, replacing);
    const assembly = (saved && saved.assembly) || {};
    preview.savedId = text(assembly.id);
    state.replacing = null;
    state.selectedId = preview.savedId;
    state.saveMessage = {
      kind: 'success',
      key: replacing ? 'papers.save.doneReplacing' : 'papers.save.done',
      params: { id: preview.savedId, status: statusName(assembly.status), old: replacing },
      code: 'saved',
    };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    const key = has(`papers.save.error.${code}`) ? `papers.save.error.${code}` : 'papers.save.error.other';
    state.saveMessage = {
      kind: 'error',
      key,
      params: { message: errorMessage(error), id: replacing },
      code,
      detail: DETAILED_CODES.has(code) && error.message && error.message !== code ? error.message : null,
    };
  } finally {
    state.saving = false;
  }
  renderSaveMessage();
  renderComposeTools();
  if (saved && saved.assembly) {
    loadList();
    openDetail(saved.assembly.id, { data: saved, message: state.saveMessage });
  } else {
    $('save-message').focus();
  }
}

function renderSaveMessage() {
  renderMessage($('save-message'), state.saveMessage, 'save-message-detail');
}

/** Fills a live message box: {kind, key, params, code, detail, link}. */
function renderMessage(box, message, detailId) {
  const base = box.className.split(' ').filter((name) => !['is-visible', 'alert-error', 'alert-success', 'alert-info'].includes(name));
  box.className = [...base, ...(message ? ['is-visible', `alert-${message.kind}`] : [])].join(' ');
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
      message.detail ? el('span', { class: 'alert-detail', attrs: { id: detailId }, text: t('papers.detail', { detail: message.detail }) }) : null,
      message.link ? el('a', { class: 'alert-link', attrs: { href: message.link.href }, text: t(message.link.key) }) : null,
    ]),
  ]);
}

// ---------------------------------------------------------------- saved assemblies

function sortedAssemblies() {
  // Newest first; the server already sends them so, and a stable sort keeps its order within a second.
  return [...list(state.list.data)].sort((a, b) => text(b.createdAt).localeCompare(text(a.createdAt)));
}

function assemblyRow(assembly) {
  const selected = selectedId() === assembly.id;
  return el('tr', {
    class: `asm-row is-clickable${selected ? ' is-selected' : ''}`,
    dataset: { id: text(assembly.id), status: text(assembly.status) },
    attrs: { tabindex: '0', 'aria-describedby': 'list-lead', 'aria-current': selected ? 'true' : null },
    on: {
      click: () => openDetail(assembly.id),
      keydown: (event) => onRowKey(event, assembly),
    },
  }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-mono asm-id', text: text(assembly.id) }),
    el('td', {}, statusTag(assembly.status)),
    el('td', { class: 'cell-occupation', text: occupationName(assembly.occupation) }),
    el('td', {}, el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(assembly.level) }, text: levelLabel(assembly.level) })),
    el('td', { class: 'cell-direction', text: directionName(assembly.direction) }),
    el('td', { class: 'cell-part', text: partName(assembly.part) }),
    el('td', { class: 'cell-num', text: formatNumber(assembly.forms) }),
    el('td', { class: 'cell-muted' }, assembly.createdAt ? el('time', { attrs: { datetime: text(assembly.createdAt) }, text: formatDateTime(assembly.createdAt) }) : []),
  ]);
}

function onRowKey(event, assembly) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    openDetail(assembly.id);
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

function selectedId() {
  return state.detail ? state.detail.id : state.selectedId;
}

function renderList() {
  const section = state.list;
  const body = $('list-body');
  const count = $('list-count');
  $('list-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  if (!section.data && (section.status === 'idle' || section.status === 'loading')) {
    count.hidden = true;
    replaceChildren(body, el('div', { class: 'panel' }, loadingState(3)));
    return;
  }
  if (!section.data) {
    count.hidden = true;
    replaceChildren(body, el('div', { class: 'panel' }, errorState(section.error, loadList)));
    return;
  }
  const assemblies = sortedAssemblies();
  count.hidden = false;
  count.textContent = t('papers.list.count', { count: formatNumber(assemblies.length) });
  if (!assemblies.length) {
    replaceChildren(body, el('p', { class: 'empty', attrs: { id: 'list-empty' }, text: t(holdsAny(COMPOSE_ROLES) ? 'papers.list.emptyAdmin' : 'papers.list.empty') }));
    return;
  }
  const columns = ['id', 'status', 'occupation', 'level', 'direction', 'part', 'forms', 'createdAt'];
  const table = el('table', { class: 'table asm-table', attrs: { id: 'assemblies-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('papers.list.caption') }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
      attrs: { scope: 'col' }, class: column === 'forms' ? 'cell-num' : '', text: t(`papers.list.col.${column}`),
    })))),
    el('tbody', {}, assemblies.map(assemblyRow)),
  ]);
  const children = [el('div', { class: 'table-wrap asm-wrap' }, table)];
  if (section.status === 'error') children.push(errorState(section.error, loadList));
  replaceChildren(body, children);
}

async function loadList() {
  const token = {};
  state.list = { ...state.list, status: 'loading', token };
  renderList();
  try {
    const data = await paperApi.assemblies();
    if (state.list.token !== token) return;
    state.list = { status: 'ok', data: list(data && data.assemblies), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.list.token !== token) return;
    state.list = { ...state.list, status: 'error', error, token };
  }
  renderList();
}

/** Shows a new status for an assembly in the list without reloading it. */
function setListStatus(id, status) {
  if (!state.list.data) return;
  state.list = { ...state.list, data: list(state.list.data).map((row) => (row.id === id ? { ...row, status } : row)) };
  renderList();
}

// ---------------------------------------------------------------- one assembly: the side sheet

function detailAssembly() {
  const detail = state.detail;
  if (!detail) return null;
  if (detail.data && detail.data.assembly) return detail.data.assembly;
  return list(state.list.data).find((row) => row.id === detail.id) || { id: detail.id };
}

async function openDetail(id, { data = null, message = null } = {}) {
  const dialog = $('assembly');
  const token = {};
  state.detail = {
    id, token, status: data ? 'ok' : 'loading', data, busy: null, confirm: false, message,
  };
  markSelectedRow();
  renderDetail();
  if (!dialog.open) dialog.showModal();
  dialog.querySelector('.preview-shell').scrollTop = 0;
  if (message) $('assembly-message').focus();
  if (data && data.report) return;
  try {
    const fetched = await paperApi.assembly(id);
    if (!state.detail || state.detail.token !== token) return;
    state.detail = { ...state.detail, status: 'ok', data: fetched || {} };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.detail || state.detail.token !== token) return;
    state.detail = { ...state.detail, status: 'error', error };
  }
  renderDetail();
}

function closeDetail() {
  const dialog = $('assembly');
  if (dialog.open) dialog.close();
}

/** However the sheet was closed: forget it and give the focus back to its row. */
function onDetailClosed() {
  const id = state.detail && state.detail.id;
  if (id) state.selectedId = id;
  state.detail = null;
  $('assembly').dataset.state = 'closed';
  replaceChildren($('assembly-body'));
  replaceChildren($('assembly-meta'));
  replaceChildren($('assembly-actions'));
  renderMessage($('assembly-message'), null);
  markSelectedRow();
  const target = state.focusAfterClose && document.getElementById(state.focusAfterClose);
  state.focusAfterClose = null;
  if (target) {
    target.focus();
    return;
  }
  const row = id && Array.from(document.querySelectorAll('#assemblies-table tbody tr')).find((node) => node.dataset.id === id);
  if (row) row.focus();
  else if (holdsAny(COMPOSE_ROLES)) $('save-message').focus();
}

function markSelectedRow() {
  for (const row of document.querySelectorAll('#assemblies-table tbody tr')) {
    const selected = Boolean(selectedId() && row.dataset.id === selectedId());
    row.classList.toggle('is-selected', selected);
    if (selected) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
}

function creatorCell(createdBy) {
  const me = state.me && state.me.user && state.me.user.id;
  if (me && createdBy === me) return el('span', { class: 'tag tag-muted tag-xs', text: t('papers.detail.you') });
  return el('span', { class: 'mono', text: text(createdBy) });
}

function renderDetailMeta(assembly) {
  $('assembly-title').textContent = text(assembly.id);
  const $dialog = $('assembly');
  $dialog.dataset.status = text(assembly.status);
  const facts = [
    fact('papers.field.occupation', el('span', { text: occupationName(assembly.occupation) })),
    assembly.level ? fact('papers.field.level', el('span', { text: levelLabel(assembly.level) })) : null,
    assembly.direction !== undefined ? fact('papers.field.direction', el('span', { text: directionName(assembly.direction) })) : null,
    assembly.part ? fact('papers.field.part', el('span', { text: partName(assembly.part) })) : null,
    assembly.forms !== undefined ? fact('papers.field.forms', el('span', { text: formatNumber(assembly.forms) })) : null,
    assembly.seed !== undefined ? fact('papers.field.seed', el('span', { class: 'mono', text: text(assembly.seed) })) : null,
    assembly.createdAt ? fact('papers.detail.createdAt', el('time', { attrs: { datetime: text(assembly.createdAt) }, text: formatDateTime(assembly.createdAt) })) : null,
    assembly.createdBy ? fact('papers.detail.createdBy', creatorCell(assembly.createdBy)) : null,
    assembly.blueprintSHA256 ? fact('papers.detail.blueprint', el('span', {
      class: 'mono', attrs: { title: text(assembly.blueprintSHA256) }, text: `${text(assembly.blueprintSHA256).slice(0, 12)}…`,
    })) : null,
  ];
  replaceChildren($('assembly-meta'), [
    el('div', { class: 'preview-tags' }, [el('span', { attrs: { id: 'assembly-status' }, dataset: { status: text(assembly.status) } }, statusTag(assembly.status))]),
    assembly.occupation ? el('dl', { class: 'meta-facts' }, facts) : null,
  ]);
}

/** The actions this user may try on this assembly in its status. */
function detailActions(assembly) {
  const actions = [];
  if (SEALABLE.includes(assembly.status) && holdsAny(SEAL_ROLES)) actions.push('seal');
  if (REPLACEABLE.includes(assembly.status) && holdsAny(COMPOSE_ROLES)) actions.push('replace');
  if (DISCARDABLE.includes(assembly.status) && holdsAny(DISCARD_ROLES)) actions.push('discard');
  return actions;
}

function actionButton(id, action, labelKey, className, extra = {}) {
  const busy = state.detail.busy;
  const mine = busy === action;
  return el('button', {
    class: `btn ${className}${mine ? ' is-busy' : ''}`,
    // aria-disabled rather than disabled while a call runs: the button keeps the keyboard focus.
    attrs: { type: 'button', id, 'aria-disabled': busy ? 'true' : null, 'aria-busy': mine ? 'true' : null, ...extra },
    dataset: { action },
    on: { click: () => runAction(action) },
  }, [
    el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'btn-label', text: t(mine ? 'papers.action.working' : labelKey) }),
  ]);
}

function renderDetailActions() {
  const box = $('assembly-actions');
  const detail = state.detail;
  if (!detail) {
    replaceChildren(box);
    return;
  }
  const assembly = detailAssembly();
  const focused = box.contains(document.activeElement) ? document.activeElement.id : '';
  const actions = detail.status === 'ok' ? detailActions(assembly) : [];
  const children = [];
  if (detail.status === 'ok' && !actions.length) {
    const key = holdsAny([...SEAL_ROLES, ...DISCARD_ROLES]) ? `papers.action.none.${STATUSES.includes(assembly.status) ? assembly.status : 'other'}` : 'papers.action.readOnly';
    children.push(el('p', { class: 'review-note', attrs: { id: 'assembly-no-actions' }, text: t(key) }));
  }
  if (actions.length) {
    const buttons = [];
    if (actions.includes('seal')) buttons.push(actionButton('assembly-seal', 'seal', 'papers.action.seal', 'btn-primary'));
    if (actions.includes('replace')) {
      buttons.push(el('button', {
        class: 'btn btn-outline',
        attrs: { type: 'button', id: 'assembly-replace', 'aria-disabled': detail.busy ? 'true' : null },
        on: { click: startReplacing },
      }, [icon('rotate'), el('span', { class: 'btn-label', text: t('papers.action.replace') })]));
    }
    if (actions.includes('discard') && !detail.confirm) {
      buttons.push(actionButton('assembly-discard', 'discard', 'papers.action.discard', 'btn-outline btn-seal', { 'aria-expanded': 'false', 'aria-controls': 'assembly-discard-group' }));
    }
    children.push(el('div', { class: 'form-actions' }, buttons));
    if (actions.includes('seal')) children.push(el('p', { class: 'review-note', text: t('papers.action.sealHint') }));
    if (actions.includes('discard') && detail.confirm) {
      children.push(el('div', {
        class: 'seal-confirm',
        attrs: { id: 'assembly-discard-group', role: 'group', 'aria-labelledby': 'assembly-discard-text' },
        on: { keydown: onConfirmKey },
      }, [
        el('p', { class: 'seal-confirm-text', attrs: { id: 'assembly-discard-text' }, text: t('papers.action.discardConfirm', { id: text(assembly.id) }) }),
        el('div', { class: 'form-actions' }, [
          actionButton('assembly-discard-confirm', 'discard', 'papers.action.discardConfirmButton', 'btn-danger'),
          el('button', {
            class: 'btn btn-outline',
            attrs: { type: 'button', id: 'assembly-discard-cancel', 'aria-disabled': detail.busy ? 'true' : null },
            text: t('papers.action.cancel'),
            on: { click: cancelDiscard },
          }),
        ]),
      ]));
    }
  }
  replaceChildren(box, children);
  const again = focused && document.getElementById(focused);
  if (again) again.focus();
}

function papersView(assembly) {
  const papers = [...list(assembly.papers)].sort((a, b) => Number(a.form) - Number(b.form));
  if (!papers.length) return null;
  return el('section', { class: 'report-block papers-block', attrs: { id: 'assembly-papers', 'aria-labelledby': 'assembly-papers-title' } }, [
    el('h3', { class: 'report-block-title', attrs: { id: 'assembly-papers-title' } }, [icon('files'), el('span', { text: t('papers.paper.title') })]),
    el('p', { class: 'report-panel-lead', text: t('papers.paper.lead') }),
    ...papers.map((paper) => {
      const titleId = `paper-${text(paper.form)}-title`;
      const flags = [
        el('span', { class: `tag ${paper.sealed ? 'tag-ok' : 'tag-muted'}`, text: t(paper.sealed ? 'papers.paper.sealed' : 'papers.paper.unsealed') }),
        paper.released ? el('span', { class: 'tag tag-warn', text: t('papers.paper.released') }) : null,
      ];
      return el('div', { class: 'paper-card', dataset: { paper: text(paper.id), form: text(paper.form) } }, [
        el('div', { class: 'report-form-head' }, [
          el('h4', { class: 'paper-title', attrs: { id: titleId } }, [
            el('span', { text: t('papers.form.title', { n: formatNumber(paper.form) }) }),
            el('span', { class: 'mono paper-id', text: text(paper.id) }),
          ]),
          el('span', { class: 'report-form-summary', text: [
            t('papers.form.items', { n: formatNumber(list(paper.items).length) }),
            t('papers.unit.points', { n: num(paper.totalPoints) }),
            t('papers.form.mean', { mean: diff(paper.difficultyMean) }),
          ].join(t('papers.separator')) }),
          el('span', { class: 'tag-list' }, flags),
        ]),
        el('div', { class: 'table-wrap report-wrap' }, el('table', { class: 'table report-table paper-items', attrs: { 'aria-labelledby': titleId } }, [
          el('thead', {}, el('tr', {}, ['index', 'item', 'points'].map((column) => el('th', {
            attrs: { scope: 'col' }, class: ['index', 'points'].includes(column) ? 'cell-num' : '', text: t(`papers.paper.col.${column}`),
          })))),
          el('tbody', {}, list(paper.items).map((item, index) => el('tr', { dataset: { id: text(item.itemID) } }, [
            el('td', { class: 'cell-num cell-muted', text: formatNumber(index + 1) }),
            el('th', { attrs: { scope: 'row' }, class: 'cell-mono', text: `${text(item.itemID)} @ v${text(item.version)}` }),
            el('td', { class: 'cell-num', text: num(item.points) }),
          ]))),
        ])),
      ]);
    }),
  ]);
}

function renderDetail() {
  const detail = state.detail;
  if (!detail) return;
  const assembly = detailAssembly();
  renderDetailMeta(assembly);
  renderDetailActions();
  renderMessage($('assembly-message'), detail.message, 'assembly-message-detail');
  const body = $('assembly-body');
  body.setAttribute('aria-busy', detail.status === 'loading' ? 'true' : 'false');
  $('assembly').dataset.state = detail.status;
  if (detail.status === 'loading') {
    replaceChildren(body, loadingState(5));
    return;
  }
  if (detail.status === 'error') {
    replaceChildren(body, errorState(detail.error, () => openDetail(detail.id)));
    return;
  }
  const report = detail.data && detail.data.report;
  replaceChildren(body, [
    papersView(assembly),
    report ? el('section', { class: 'report-stored', attrs: { 'aria-labelledby': 'assembly-report-title' } }, [
      el('h3', { class: 'block-title', attrs: { id: 'assembly-report-title' } }, [icon('clipboard'), el('span', { text: t('papers.detail.report') })]),
      reportView(report, { prefix: 'assembly', headingLevel: 4 }),
    ]) : null,
  ]);
}

function startReplacing() {
  const detail = state.detail;
  if (!detail || detail.busy) return;
  const assembly = detailAssembly();
  state.compose = {
    occupation: text(assembly.occupation),
    level: text(assembly.level),
    direction: assembly.direction === UNDIVIDED ? '' : text(assembly.direction),
    part: partKey(assembly.part),
    forms: text(assembly.forms),
    seed: newSeed(),
  };
  state.invalid = { forms: null, seed: null };
  state.replacing = text(assembly.id);
  if (state.preview.status === 'ok' || state.preview.status === 'error') state.preview.stale = true;
  state.focusAfterClose = 'preview-button';
  closeDetail();
  renderCompose();
  $('compose-form').scrollIntoView({ block: 'center' });
}

function openDiscardConfirm() {
  state.detail.confirm = true;
  state.detail.message = null;
  renderDetailActions();
  renderMessage($('assembly-message'), null);
  $('assembly-discard-confirm').focus();
}

function cancelDiscard() {
  const detail = state.detail;
  if (!detail || detail.busy) return;
  detail.confirm = false;
  renderDetailActions();
  $('assembly-discard').focus();
}

/** Escape in the confirm step cancels it instead of closing the sheet. */
function onConfirmKey(event) {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  event.stopPropagation();
  cancelDiscard();
}

async function runAction(action) {
  const detail = state.detail;
  if (!detail || detail.busy) return;
  if (action === 'discard' && !detail.confirm) {
    openDiscardConfirm();
    return;
  }
  const { id, token } = detail;
  detail.busy = action;
  detail.message = null;
  renderDetailActions();
  renderMessage($('assembly-message'), null);
  try {
    const result = action === 'seal' ? await paperApi.seal(id) : await paperApi.discard(id);
    if (!state.detail || state.detail.token !== token) return;
    const assembly = (result && result.assembly) || {};
    detail.data = { ...(detail.data || {}), assembly: { ...detailAssembly(), ...assembly } };
    detail.confirm = false;
    detail.message = { kind: 'success', key: `papers.action.done.${action}`, params: { id, n: formatNumber(list(assembly.papers).length) }, code: action === 'seal' ? 'sealed' : 'discarded' };
    setListStatus(id, assembly.status || (action === 'seal' ? 'sealed' : 'discarded'));
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.detail || state.detail.token !== token) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    const known = has(`papers.action.error.${code}`);
    detail.message = {
      kind: 'error',
      key: known ? `papers.action.error.${code}` : 'papers.action.error.other',
      params: { message: errorMessage(error) },
      code,
      detail: DETAILED_CODES.has(code) && error.message && error.message !== code ? error.message : null,
      link: code === 'bank_sealed' ? { href: '/bank.html', key: 'papers.action.toBank' } : null,
    };
    detail.confirm = false;
    if (code === 'wrong_status' || code === 'already_released') refreshDetail(id, token);
  } finally {
    if (state.detail && state.detail.token === token) state.detail.busy = null;
  }
  if (!state.detail || state.detail.token !== token) return;
  renderDetail();
  $('assembly-message').focus();
}

/** After a conflict: read the assembly again (its status changed elsewhere) and the list. */
async function refreshDetail(id, token) {
  loadList();
  try {
    const fetched = await paperApi.assembly(id);
    if (!state.detail || state.detail.token !== token) return;
    state.detail.data = fetched || state.detail.data;
    renderDetail();
  } catch (error) {
    endIfUnauthenticated(error);
  }
}

// ---------------------------------------------------------------- page

async function loadStandards() {
  try {
    const data = await api.exams();
    state.standards = list(data && data.standards);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.standards = [];
  }
  renderCompose();
  renderList();
  // The 基本要求 codes of each standard, to tell 基本要求 from 职业功能 weight rows.
  await Promise.all(state.standards.map(async (standard) => {
    try {
      const doc = await paperApi.standard(standard.code);
      const codes = list(doc && doc.standard && doc.standard.basic_requirements).map((entry) => entry && entry.code).filter(Boolean);
      state.basics[standard.code] = new Set(codes);
    } catch (error) {
      endIfUnauthenticated(error);
    }
  }));
  renderPreview();
  if (state.detail && state.detail.status === 'ok') renderDetail();
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  renderCompose();
  renderSaveMessage();
  renderPreview();
  renderComposeTools();
  renderReadOnlyNote();
  renderList();
  renderDetail();
}

function renderReadOnlyNote() {
  const compose = holdsAny(COMPOSE_ROLES);
  $('readonly-note').hidden = compose;
  $('readonly-text').textContent = compose ? '' : t(holdsAny(SEAL_ROLES) ? 'papers.readOnlySeal' : 'papers.readOnly');
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
  $('compose-section').hidden = !holdsAny(COMPOSE_ROLES);
  if (!state.compose.seed) state.compose.seed = newSeed();
  renderAll();
  await Promise.all([loadStandards(), loadList()]);
  document.body.classList.add('is-ready');
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('compose-form').addEventListener('submit', onPreview);
  for (const id of ['compose-occupation', 'compose-level', 'compose-direction', 'compose-part']) $(id).addEventListener('change', onComposeChange);
  for (const id of ['compose-forms', 'compose-seed']) $(id).addEventListener('input', onComposeChange);
  $('compose-reseed').addEventListener('click', reseed);
  $('save-button').addEventListener('click', onSave);
  $('list-refresh').addEventListener('click', loadList);
  $('assembly-close').addEventListener('click', closeDetail);
  $('assembly').addEventListener('close', onDetailClosed);
  // A click on the backdrop (outside the sheet) closes it.
  $('assembly').addEventListener('click', (event) => {
    if (event.target === $('assembly')) closeDetail();
  });
  document.addEventListener('assay:langchange', renderAll);
  // Coming back through the back/forward cache after signing out must not show a stale page.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
