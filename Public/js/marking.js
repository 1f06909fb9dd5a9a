// 评阅工作台 (/marking.html): an examiner's blind marking workspace (docs/MARKING.md).
//
// Without `?code=`, the page lists the examiner's assignments (`GET /api/v1/marking/queue`), with
// a filter by status and the counts. With `?code=MK-…` it opens one submission
// (`GET /api/v1/marking/{code}`): per marked item the task, the reference answer (folded), the
// candidate's answer exactly as written and the files handed in, then the item's 评分记录表 — a
// mark per scoring point, checked here before anything is sent (above 配分, negative, off the
// step), with a running total. The sheet is saved as a draft (`PUT …/sheet`) any number of
// times, then signed (`POST …/sign`) after a confirmation that says signing is final; a signed
// sheet is shown read-only. A third marker (仲裁) sees the two signed sheets beside their own entry,
// point by point, with the differences marked.
//
// Submissions are known only by their marking code: the page reads nothing else about them and
// asks no other endpoint that could say who the candidate is. Every server string goes in as text.
import { ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatBeijing, formatNumber, has, t } from './i18n.js';
import { downloadFile, downloadIcon, formatSize } from './files.js';
import './marking-i18n.js';

/** Only examiners mark; the server also checks each assignment. */
const PAGE_ROLES = ['examiner'];
const ROLES = ['first', 'second', 'third'];
const STATUSES = ['todo', 'draft', 'signed'];
const FILTERS = ['all', ...STATUSES];
const DEFAULT_STEP = 0.5;
const MAX_COMMENT = 2000;
/** How many problems the summary above the buttons lists (each field shows its own). */
const SUMMARY_PROBLEMS = 6;

const state = {
  me: null,
  /** The examiner's assignments: {status: idle|loading|ok|error, data, error}. */
  queue: { status: 'idle', data: null, error: null },
  filter: 'all',
  /** The submission on show (see `newWork`), or null on the queue. */
  work: null,
};

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

const markingApi = {
  queue: () => call('GET', '/api/v1/marking/queue'),
  submission: (code) => call('GET', `/api/v1/marking/${enc(code)}`),
  save: (code, body) => call('PUT', `/api/v1/marking/${enc(code)}/sheet`, body),
  sign: (code, body) => call('POST', `/api/v1/marking/${enc(code)}/sign`, body),
};
const fileUrl = (code, file) => `/api/v1/marking/${enc(code)}/files/${enc(file)}`;

function newWork(code) {
  return {
    code,
    /** loading | ok | error (not loaded) | denied (not assigned, or no such code) */
    status: 'loading',
    data: null,
    error: null,
    /** What is typed: {marks: {key: [string]}, comments: {key: string}, comment: string}. */
    model: null,
    dirty: false,
    busy: null,
    message: null,
  };
}

// ---------------------------------------------------------------- numbers and time

/** A mark for people: "12", "6.5". */
function points(value) {
  return isNumber(value) ? formatNumber(Math.round(value * 100) / 100) : '—';
}

function beijing(value) {
  return value ? t('marking.beijingTime', { time: formatBeijing(value) }) : '';
}

function timeNode(value) {
  return value ? el('time', { attrs: { datetime: text(value) }, text: beijing(value) }) : el('span', { class: 'cell-muted', text: '—' });
}

/** Whether `value` is a whole number of `step`s (with room for binary fractions). */
function onStep(value, step) {
  if (!(step > 0)) return true;
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-7;
}

function parseMark(raw) {
  const trimmed = text(raw).trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : NaN;
}

// ---------------------------------------------------------------- messages

/** The server's own message for a refused call (Chinese with an English gloss); else the page's words. */
function serverMessage(error) {
  if (error instanceof ApiError && error.status > 0 && error.message) return error.message;
  return errorMessage(error);
}

/** Fills an `alert-live` box with {kind, text | key+params, detail, list, extra}, or clears it. */
function renderAlert(box, message) {
  const base = box.className.split(' ').filter((name) => name && name !== 'alert' && !name.startsWith('alert-') && name !== 'is-visible');
  box.className = [...base, 'alert', 'alert-live', ...(message ? ['is-visible', `alert-${message.kind}`] : [])].join(' ');
  if (!message) {
    box.replaceChildren();
    delete box.dataset.kind;
    delete box.dataset.code;
    return;
  }
  box.dataset.kind = message.kind;
  if (message.code) box.dataset.code = message.code;
  else delete box.dataset.code;
  replaceChildren(box, [
    icon(message.kind === 'success' ? 'check' : message.kind === 'info' ? 'dot' : 'alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: message.key ? t(message.key, message.params) : message.text }),
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
      message.list && message.list.length ? el('ul', { class: 'problem-list' }, message.list.map((line) => el('li', { text: line }))) : null,
      message.extra || null,
    ]),
  ]);
}

function roleTag(role) {
  return el('span', {
    class: `role-tag role-${ROLES.includes(role) ? role : 'other'}`,
    dataset: { role: text(role) },
    text: label('marking.role', role),
  });
}

function statusTag(status) {
  return el('span', {
    class: `sheet-tag sheet-${STATUSES.includes(status) ? status : 'other'}`,
    dataset: { status: text(status) },
    text: label('marking.status', status),
  });
}

// ---------------------------------------------------------------- the queue

function assignments() {
  return list(state.queue.data);
}

function countOf(status) {
  return status === 'all' ? assignments().length : assignments().filter((row) => row.status === status).length;
}

function itemCount(row) {
  if (Array.isArray(row.items)) return row.items.length;
  return isNumber(row.items) ? row.items : null;
}

/** Work still to do first (drafts, then untouched), adjudications ahead of their kind; signed last. */
function sorted(rows) {
  const rank = (row) => (row.status === 'draft' ? 0 : row.status === 'todo' ? 1 : 2);
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => rank(a.row) - rank(b.row)
      || (a.row.role === 'third' ? 0 : 1) - (b.row.role === 'third' ? 0 : 1)
      || a.index - b.index)
    .map(({ row }) => row);
}

function renderFilter() {
  const box = $('queue-filter');
  const focused = box.contains(document.activeElement) ? document.activeElement.dataset.filter : null;
  replaceChildren(box, FILTERS.map((filter) => el('button', {
    class: `filter-btn${state.filter === filter ? ' is-active' : ''}`,
    attrs: { type: 'button', 'aria-pressed': state.filter === filter ? 'true' : 'false', id: `filter-${filter}` },
    dataset: { filter },
    on: { click: () => setFilter(filter) },
  }, [
    el('span', { text: t(`marking.filter.${filter}`) }),
    el('span', { class: 'filter-count', dataset: { count: countOf(filter) }, text: formatNumber(countOf(filter)) }),
  ])));
  if (focused) $(`filter-${focused}`).focus();
}

function setFilter(filter) {
  state.filter = FILTERS.includes(filter) ? filter : 'all';
  renderQueue();
}

function queueRow(row) {
  const code = text(row.code);
  const count = itemCount(row);
  const action = row.status === 'signed' ? 'view' : row.status === 'draft' ? 'continue' : 'start';
  const when = row.status === 'signed' ? row.signedAt : row.savedAt;
  return el('tr', {
    class: `queue-row is-${STATUSES.includes(row.status) ? row.status : 'other'}${row.role === 'third' ? ' is-third' : ''}`,
    dataset: { code, role: text(row.role), status: text(row.status) },
  }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-code' }, el('span', { class: 'mono code-text', text: code })),
    el('td', { class: 'cell-title' }, [
      el('span', { class: 'queue-title', text: text(row.title) }),
      row.sitting ? el('span', { class: 'cell-sub', text: t('marking.queue.sitting', { sitting: text(row.sitting) }) }) : null,
    ]),
    el('td', {}, roleTag(row.role)),
    el('td', {}, statusTag(row.status)),
    el('td', { class: 'cell-num', text: count === null ? '—' : formatNumber(count) }),
    el('td', { class: 'cell-num', text: points(row.points) }),
    el('td', { class: 'cell-when' }, when ? [
      el('span', { class: 'cell-sub', text: t(row.status === 'signed' ? 'marking.queue.signedAt' : 'marking.queue.savedAt') }),
      timeNode(when),
    ] : el('span', { class: 'cell-muted', text: '—' })),
    el('td', { class: 'cell-action' }, el('a', {
      class: `btn btn-sm ${action === 'view' ? 'btn-outline' : 'btn-primary'}`,
      attrs: { href: `/marking.html?code=${enc(code)}`, 'aria-label': t(`marking.queue.${action}Label`, { code }) },
      dataset: { code },
    }, [icon(action === 'view' ? 'eye' : 'pen'), el('span', { text: t(`marking.queue.${action}`) })])),
  ]);
}

function renderQueue() {
  const queue = state.queue;
  const body = $('queue-body');
  $('queue-refresh').disabled = queue.status === 'loading';
  body.setAttribute('aria-busy', queue.status === 'loading' ? 'true' : 'false');
  body.dataset.state = queue.status;
  renderFilter();
  if (!queue.data && (queue.status === 'idle' || queue.status === 'loading')) {
    $('queue-count').textContent = '';
    replaceChildren(body, loadingState(3));
    return;
  }
  if (!queue.data) {
    $('queue-count').textContent = '';
    replaceChildren(body, errorState(queue.error, loadQueue));
    return;
  }
  const rows = assignments();
  $('queue-count').textContent = rows.length
    ? t('marking.queue.count', {
      count: formatNumber(rows.length), todo: formatNumber(countOf('todo')), draft: formatNumber(countOf('draft')), signed: formatNumber(countOf('signed')),
    })
    : '';
  if (!rows.length) {
    replaceChildren(body, el('div', { class: 'empty empty-rich', attrs: { id: 'queue-empty' } }, [
      icon('clipboard', 'icon empty-icon'),
      el('p', { class: 'empty-title', text: t('marking.queue.empty') }),
      el('p', { class: 'empty-text', text: t('marking.queue.emptyText') }),
    ]));
    return;
  }
  const shown = sorted(state.filter === 'all' ? rows : rows.filter((row) => row.status === state.filter));
  const columns = ['code', 'title', 'role', 'status', 'items', 'points', 'when', 'action'];
  replaceChildren(body, [
    shown.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'table queue-table', attrs: { id: 'queue-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('marking.queue.caption') }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
        attrs: { scope: 'col' },
        class: column === 'action' ? 'cell-action' : column === 'items' || column === 'points' ? 'cell-num' : '',
      }, column === 'action' ? el('span', { class: 'visually-hidden', text: t('marking.col.action') }) : t(`marking.col.${column}`))))),
      el('tbody', {}, shown.map(queueRow)),
    ])) : el('div', { class: 'empty', attrs: { id: 'queue-filter-empty' }, text: t('marking.queue.noneWith', { status: t(`marking.filter.${state.filter}`) }) }),
    queue.status === 'error' ? errorState(queue.error, loadQueue) : null,
  ]);
}

async function loadQueue({ quiet = false } = {}) {
  const token = {};
  state.queue = { ...state.queue, status: 'loading', token };
  if (!quiet) renderQueue();
  try {
    const data = await markingApi.queue();
    if (state.queue.token !== token) return;
    state.queue = { status: 'ok', data: list(data && data.assignments), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.queue.token !== token) return;
    state.queue = { ...state.queue, status: 'error', error, token };
  }
  if (state.work) renderNext();
  else renderQueue();
}

// ---------------------------------------------------------------- the submission: data

function submission() {
  return state.work && state.work.data;
}

function sheetOf(data = submission()) {
  return (data && data.sheet) || {};
}

function isSigned(data = submission()) {
  return Boolean(data && (sheetOf(data).signedAt || data.sheetStatus === 'signed'));
}

function markedItems(data = submission()) {
  return list(data && data.items);
}

/** The step of an item's marks: the server's when it gives one, else 0.5. */
function stepOf(item, row) {
  const data = submission() || {};
  for (const value of [row && row.step, item && item.markStep, item && item.step, data.markStep, data.mark_step, data.step]) {
    if (isNumber(value) && value > 0) return value;
  }
  return DEFAULT_STEP;
}

/** An item's scoring points; an item without a table is one point worth the item. */
function rowsOf(item) {
  const rows = list(item.scoring).filter((row) => row && typeof row === 'object');
  if (rows.length) return rows.map((row) => ({ point: text(row.point), marks: Number(row.marks), criteria: text(row.criteria), step: row.step }));
  return [{ point: t('marking.sheet.whole'), marks: Number(item.points), criteria: '', whole: true }];
}

function worth(item) {
  return rowsOf(item).reduce((sum, row) => sum + (isNumber(row.marks) ? row.marks : 0), 0);
}

/** The model of the entry form from the stored sheet. */
function modelFrom(data) {
  const sheet = sheetOf(data);
  const marks = {};
  const comments = {};
  for (const item of markedItems(data)) {
    const stored = list(sheet.marks && sheet.marks[item.key]);
    marks[item.key] = rowsOf(item).map((_, index) => (isNumber(stored[index]) ? String(stored[index]) : ''));
    comments[item.key] = text(sheet.comments && sheet.comments[item.key]);
  }
  return { marks, comments, comment: text(sheet.comment) };
}

/** The sheet to send: numbers (null where blank), the comments. */
function sheetBody() {
  const model = state.work.model;
  const marks = {};
  const comments = {};
  for (const item of markedItems()) {
    marks[item.key] = list(model.marks[item.key]).map((raw) => {
      const value = parseMark(raw);
      return value === null || Number.isNaN(value) ? null : value;
    });
    comments[item.key] = text(model.comments[item.key]);
  }
  return { marks, comments, comment: text(model.comment) };
}

/** The two signed sheets a third marker sees, by role. */
function other(role) {
  const data = submission();
  return list(data && data.others).find((sheet) => sheet && sheet.role === role) || null;
}

function otherMark(sheet, key, index) {
  const value = sheet && sheet.marks ? list(sheet.marks[key])[index] : null;
  return isNumber(value) ? value : null;
}

function otherItemTotal(sheet, item) {
  if (!sheet || !sheet.marks) return null;
  const values = list(sheet.marks[item.key]).filter(isNumber);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

function otherTotal(sheet) {
  if (!sheet) return null;
  if (isNumber(sheet.total)) return sheet.total;
  let sum = 0;
  for (const item of markedItems()) sum += otherItemTotal(sheet, item) || 0;
  return sum;
}

function isThird() {
  const data = submission();
  return Boolean(data && (data.role === 'third' || list(data.others).length));
}

// ---------------------------------------------------------------- the submission: loading

async function openSubmission(code) {
  state.work = newWork(code);
  $('queue').hidden = true;
  $('work').hidden = false;
  $('breadcrumb-home').removeAttribute('aria-current');
  $('breadcrumb-code').hidden = false;
  $('breadcrumb-code').textContent = code;
  renderWork();
  await loadSubmission(state.work);
  loadQueue({ quiet: true });
}

async function loadSubmission(work, { keepMessage = false } = {}) {
  try {
    const data = await markingApi.submission(work.code);
    if (state.work !== work) return;
    work.data = data || {};
    work.status = 'ok';
    work.model = modelFrom(work.data);
    work.dirty = false;
    if (!keepMessage) work.message = null;
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.work !== work) return;
    work.error = error;
    const denied = error instanceof ApiError && (error.status === 403 || error.status === 404);
    work.status = denied ? 'denied' : 'error';
  }
  renderWork();
}

// ---------------------------------------------------------------- the submission: rendering

function renderWork() {
  const work = state.work;
  if (!work) return;
  const ok = work.status === 'ok';
  document.title = ok ? t('marking.pageTitleCode', { code: work.code }) : t('marking.pageTitle');
  $('work').dataset.status = work.status;
  $('work-denied').hidden = work.status !== 'denied';
  $('work-loading').hidden = work.status !== 'loading' && work.status !== 'error';
  $('sheet-form').hidden = !ok;
  renderHead();
  if (work.status === 'loading') {
    replaceChildren($('work-loading'), loadingState(6));
    return;
  }
  if (work.status === 'error') {
    replaceChildren($('work-loading'), errorState(work.error, () => {
      work.status = 'loading';
      renderWork();
      loadSubmission(work);
    }));
    return;
  }
  if (work.status === 'denied') {
    renderDenied();
    return;
  }
  const signed = isSigned();
  $('sheet-form').dataset.signed = signed ? 'true' : 'false';
  $('sheet-form').classList.toggle('is-signed', signed);
  $('sheet-form').classList.toggle('is-third', isThird());
  renderCompare();
  replaceChildren($('items'), markedItems().map((item, index) => itemCard(item, index)));
  renderSummary();
  updateTotals();
  renderSheetState();
  renderAlert($('sheet-message'), work.message);
  renderAlert($('sheet-error'), null);
}

function renderDenied() {
  const error = state.work.error;
  const missing = error && error.status === 404;
  replaceChildren($('work-denied'), el('div', { class: 'access-denied' }, el('div', {
    class: 'access-card', attrs: { role: 'alert', id: 'not-assigned' }, dataset: { code: text(error && error.code) },
  }, [
    el('span', { class: 'access-icon' }, icon('lock')),
    el('h2', { class: 'access-title', text: t(missing ? 'marking.missing.title' : 'marking.notAssigned.title') }),
    el('p', { class: 'access-text', text: t(missing ? 'marking.missing.text' : 'marking.notAssigned.text') }),
    error && error.message ? el('p', { class: 'access-detail', text: t('marking.serverSays', { message: error.message }) }) : null,
    el('a', { class: 'btn btn-primary', attrs: { href: '/marking.html' }, text: t('marking.backToQueue') }),
  ])));
}

function renderHead() {
  const work = state.work;
  const data = work.data || {};
  const sheet = sheetOf(data);
  const ok = work.status === 'ok';
  const signed = ok && isSigned();
  const sheetStatus = signed ? 'signed' : sheet.savedAt ? 'draft' : 'todo';
  const facts = ok ? [
    ['marking.head.points', points(Number(data.points))],
    ['marking.head.items', formatNumber(markedItems().length)],
    sheet.savedAt ? ['marking.head.savedAt', beijing(sheet.savedAt)] : null,
    sheet.signedAt ? ['marking.head.signedAt', beijing(sheet.signedAt)] : null,
  ].filter(Boolean) : [];
  replaceChildren($('work-head'), [
    el('div', { class: 'work-title-row' }, [
      el('div', { class: 'work-heading' }, [
        el('div', { class: 'work-kicker' }, ok ? [
          roleTag(data.role),
          statusTag(sheetStatus),
          data.status ? el('span', { class: `sub-tag sub-${text(data.status)}`, dataset: { status: text(data.status) }, text: label('marking.subStatus', data.status) }) : null,
        ] : [el('span', { class: 'work-kicker-text', text: t('marking.head.kicker') })]),
        el('h1', { class: 'work-title', attrs: { id: 'work-title' } }, [
          el('span', { class: 'work-code mono', text: work.code }),
          ok && data.title ? el('span', { class: 'work-exam', text: text(data.title) }) : null,
        ]),
      ]),
      el('div', { class: 'work-head-tools' }, [
        signed ? el('span', { class: 'signed-stamp', attrs: { id: 'signed-stamp' } }, [
          icon('check'), el('span', { text: t('marking.signedStamp') }),
        ]) : null,
        el('a', { class: 'btn btn-outline btn-sm', attrs: { href: '/marking.html', id: 'back-to-queue' } }, [
          el('span', { text: t('marking.backToQueue') }),
        ]),
        el('span', { attrs: { id: 'next-slot' }, class: 'next-slot' }),
      ]),
    ]),
    facts.length ? el('dl', { class: 'work-facts' }, facts.map(([key, value]) => el('div', { class: 'work-fact' }, [
      el('dt', { text: t(key) }), el('dd', { text: value }),
    ]))) : null,
    ok ? el('p', { class: 'blind-note' }, [icon('shieldOk'), el('span', { text: t('marking.blindNote') })]) : null,
    ok && isThird() && !signed ? el('p', { class: 'alert alert-info is-visible third-note' }, [
      icon('scale'), el('span', { text: t('marking.thirdNote') }),
    ]) : null,
  ]);
  renderNext();
}

/** A link to the next assignment still to mark, once the queue is known. */
function renderNext() {
  const slot = $('next-slot');
  if (!slot || !state.work) return;
  const next = sorted(assignments()).find((row) => row.code !== state.work.code && row.status !== 'signed');
  replaceChildren(slot, next && isSigned() ? el('a', {
    class: 'btn btn-primary btn-sm', attrs: { href: `/marking.html?code=${enc(text(next.code))}`, id: 'next-assignment' },
  }, [el('span', { text: t('marking.next', { code: text(next.code) }) }), icon('arrowRight')]) : []);
}

// --- the comparison of the two signed sheets (third marker)

function difference(a, b) {
  return isNumber(a) && isNumber(b) ? a - b : null;
}

function diffCell(a, b, tag = 'td', extra = '') {
  const diff = difference(a, b);
  const size = diff === null ? 'none' : diff === 0 ? 'same' : 'differs';
  return el(tag, {
    class: `cell-num cell-diff diff-${size}${extra ? ` ${extra}` : ''}`,
    dataset: { diff: diff === null ? '' : String(diff) },
  }, diff === null ? '—' : diff === 0 ? '0' : [
    el('span', { class: 'visually-hidden', text: t('marking.diff.a11y') }),
    `${diff > 0 ? '+' : '−'}${points(Math.abs(diff))}`,
  ]);
}

function renderCompare() {
  const box = $('compare');
  const third = isThird();
  box.hidden = !third;
  if (!third) {
    replaceChildren(box);
    return;
  }
  const first = other('first');
  const second = other('second');
  const t1 = otherTotal(first);
  const t2 = otherTotal(second);
  const diff = difference(t1, t2);
  const worthAll = markedItems().reduce((sum, item) => sum + worth(item), 0);
  const share = diff !== null && worthAll > 0 ? Math.abs(diff) / worthAll : null;
  const sheetCard = (role, sheet, total) => el('div', { class: `compare-card compare-${role}`, dataset: { role } }, [
    el('div', { class: 'compare-card-head' }, [
      roleTag(role),
      el('span', { class: 'compare-total' }, [
        el('span', { class: 'compare-total-label', text: t('marking.compare.total') }),
        el('strong', { class: 'compare-total-value', dataset: { total: isNumber(total) ? String(total) : '' }, text: points(total) }),
        el('span', { class: 'compare-total-of', text: t('marking.outOf', { points: points(worthAll) }) }),
      ]),
    ]),
    sheet ? el('div', { class: 'compare-comment' }, [
      el('span', { class: 'compare-comment-label', text: t('marking.compare.comment') }),
      el('span', { class: 'compare-comment-text', text: text(sheet.comment) || t('marking.compare.noComment') }),
    ]) : el('p', { class: 'muted-note', text: t('marking.compare.missing') }),
  ]);
  replaceChildren(box, [
    el('h2', { class: 'block-heading', text: t('marking.compare.title') }),
    el('p', { class: 'block-lead', text: t('marking.compare.lead') }),
    el('div', { class: 'compare-grid' }, [
      sheetCard('first', first, t1),
      sheetCard('second', second, t2),
      el('div', {
        class: `compare-card compare-diff${diff ? ' is-differs' : ''}`, attrs: { id: 'compare-diff' },
        dataset: { diff: diff === null ? '' : String(Math.abs(diff)) },
      }, [
        el('span', { class: 'compare-total-label', text: t('marking.compare.difference') }),
        el('strong', { class: 'compare-diff-value', text: diff === null ? '—' : points(Math.abs(diff)) }),
        share !== null ? el('span', { class: 'compare-share', text: t('marking.compare.share', { percent: formatNumber(Math.round(share * 1000) / 10) }) }) : null,
      ]),
    ]),
  ]);
}

// --- one item: the task, the answer, the scoring table

function textBlock(titleKey, value, className = 'task-text') {
  if (!text(value).trim()) return null;
  return el('section', { class: 'task-block' }, [
    el('h4', { class: 'task-block-title', text: t(titleKey) }),
    el('div', { class: className, text: text(value) }),
  ]);
}

/** A long text shown folded (the preparation notice is for the venue, rarely needed to mark). */
function foldedBlock(titleKey, value, id) {
  if (!text(value).trim()) return null;
  return el('details', { class: 'fold', attrs: { id } }, [
    el('summary', { class: 'fold-summary' }, [
      el('span', { class: 'fold-label', text: t(titleKey) }),
      el('span', { class: 'fold-hint', text: t('marking.item.foldHint') }),
    ]),
    el('div', { class: 'task-text fold-text', text: text(value) }),
  ]);
}

function materialsBlock(item) {
  const materials = list(item.materials).filter(Boolean);
  if (!materials.length) return null;
  return el('section', { class: 'task-block' }, [
    el('h4', { class: 'task-block-title', text: t('marking.item.materials') }),
    el('ul', { class: 'materials' }, materials.map((material) => el('li', {}, typeof material === 'object' ? [
      el('strong', { text: text(material.name) }),
      material.description ? el('span', { text: ` — ${text(material.description)}` }) : null,
    ] : text(material)))),
  ]);
}

function referenceBlock(item, index) {
  if (!text(item.referenceAnswer).trim()) return null;
  return el('details', { class: 'reference', attrs: { id: `reference-${index}` } }, [
    el('summary', { class: 'reference-summary' }, [
      el('span', { class: 'reference-label', text: t('marking.item.reference') }),
      el('span', { class: 'reference-hint', text: t('marking.item.referenceHint') }),
    ]),
    el('div', { class: 'reference-text', text: text(item.referenceAnswer) }),
  ]);
}

function filesBlock(item, index) {
  const files = list(item.answer && item.answer.files).filter((file) => file && file.id);
  if (!files.length) return null;
  const status = el('span', { class: 'file-status', attrs: { id: `files-${index}-status`, role: 'status', 'aria-live': 'polite' } });
  const download = async (file, button) => {
    if (button.classList.contains('is-busy')) return;
    button.classList.add('is-busy');
    button.setAttribute('aria-busy', 'true');
    status.textContent = t('marking.files.working', { name: text(file.name) });
    status.classList.remove('is-error');
    try {
      const name = await downloadFile(fileUrl(state.work.code, file.id), text(file.name) || 'file');
      status.textContent = t('marking.files.done', { name });
    } catch (error) {
      if (endIfUnauthenticated(error)) return;
      status.textContent = t('marking.files.failed', { message: serverMessage(error) });
      status.classList.add('is-error');
    } finally {
      button.classList.remove('is-busy');
      button.removeAttribute('aria-busy');
    }
  };
  return el('section', { class: 'answer-files' }, [
    el('h4', { class: 'task-block-title', text: t('marking.item.files', { n: formatNumber(files.length) }) }),
    el('ul', { class: 'file-list', attrs: { role: 'list' } }, files.map((file) => {
      const button = el('button', {
        class: 'btn btn-outline btn-sm file-btn',
        attrs: { type: 'button', 'aria-label': t('marking.files.downloadLabel', { name: text(file.name) }) },
        dataset: { file: text(file.id) },
      }, [el('span', { class: 'spinner spinner-dark', attrs: { 'aria-hidden': 'true' } }), downloadIcon(), el('span', { text: t('marking.files.download') })]);
      button.addEventListener('click', () => download(file, button));
      return el('li', { class: 'file-item' }, [
        icon('files'),
        el('span', { class: 'file-name', text: text(file.name) || text(file.id) }),
        el('span', { class: 'file-meta', text: [text(file.type), formatSize(file.size)].filter(Boolean).join(' · ') }),
        button,
      ]);
    })),
    status,
  ]);
}

function answerBlock(item, index) {
  const answer = item.answer || {};
  const written = text(answer.text);
  return el('section', { class: 'answer', attrs: { 'aria-labelledby': `answer-${index}-title` } }, [
    el('h3', { class: 'answer-title', attrs: { id: `answer-${index}-title` }, text: t('marking.item.answer') }),
    written.trim()
      ? el('pre', { class: 'answer-text', attrs: { id: `answer-${index}`, tabindex: '0', 'aria-labelledby': `answer-${index}-title` }, text: written })
      : el('p', { class: 'answer-empty', attrs: { id: `answer-${index}` }, text: t(list(answer.files).length ? 'marking.item.noText' : 'marking.item.noAnswer') }),
    filesBlock(item, index),
  ]);
}

function markId(itemIndex, rowIndex) {
  return `mark-${itemIndex}-${rowIndex}`;
}

function markInput(item, itemIndex, row, rowIndex, signed) {
  const id = markId(itemIndex, rowIndex);
  const step = stepOf(item, row);
  const input = el('input', {
    class: 'input-plain mark-input',
    attrs: {
      id, type: 'number', inputmode: 'decimal', min: 0, max: isNumber(row.marks) ? row.marks : null, step,
      autocomplete: 'off', readonly: signed, 'aria-readonly': signed ? 'true' : null,
      'aria-describedby': `${id}-hint ${id}-error`,
    },
    dataset: { item: text(item.key), index: rowIndex, max: text(row.marks), step },
  });
  input.value = list(state.work.model.marks[item.key])[rowIndex] || '';
  input.addEventListener('input', () => {
    state.work.model.marks[item.key][rowIndex] = input.value === '' && input.validity.badInput ? '?' : input.value;
    markDirty();
    if (input.getAttribute('aria-invalid') === 'true') checkInput(input);
    updateTotals();
  });
  input.addEventListener('change', () => checkInput(input));
  // A wheel over a focused number field would change the mark unseen.
  input.addEventListener('wheel', (event) => {
    if (document.activeElement === input) event.preventDefault();
  }, { passive: false });
  return input;
}

function scoringTable(item, itemIndex, signed) {
  const rows = rowsOf(item);
  const third = isThird();
  const first = other('first');
  const second = other('second');
  const columns = ['index', 'point', 'criteria', 'marks', ...(third ? ['first', 'second', 'diff'] : []), 'mark'];
  const caption = t('marking.sheet.caption', { key: text(item.key) });
  return el('div', { class: 'table-wrap sheet-wrap' }, el('table', {
    class: `table sheet-table${third ? ' is-third' : ''}`, attrs: { id: `sheet-${itemIndex}` }, dataset: { item: text(item.key) },
  }, [
    el('caption', { class: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
      attrs: { scope: 'col' },
      class: `col-${column}${['marks', 'first', 'second', 'diff'].includes(column) ? ' cell-num' : ''}`,
    }, column === 'first' || column === 'second' ? roleTag(column) : t(`marking.sheet.col.${column}`))))),
    el('tbody', {}, rows.map((row, rowIndex) => {
      const id = markId(itemIndex, rowIndex);
      const a = otherMark(first, item.key, rowIndex);
      const b = otherMark(second, item.key, rowIndex);
      const diff = difference(a, b);
      return el('tr', {
        class: `sheet-row${diff ? ' is-differs' : ''}`,
        dataset: { item: text(item.key), index: rowIndex, point: row.point },
      }, [
        el('td', { class: 'cell-index', text: formatNumber(rowIndex + 1) }),
        el('th', { attrs: { scope: 'row' }, class: 'cell-point' }, el('label', { attrs: { for: id }, text: row.point })),
        el('td', { class: 'cell-criteria', text: row.criteria || '—' }),
        el('td', { class: 'cell-num cell-marks', text: points(row.marks) }),
        ...(third ? [
          el('td', { class: 'cell-num cell-other', dataset: { role: 'first' }, text: points(a) }),
          el('td', { class: 'cell-num cell-other', dataset: { role: 'second' }, text: points(b) }),
          diffCell(a, b),
        ] : []),
        el('td', { class: 'cell-mark' }, [
          el('div', { class: 'mark-field' }, [
            markInput(item, itemIndex, row, rowIndex, signed),
            el('span', { class: 'mark-of', attrs: { id: `${id}-hint` }, text: t('marking.sheet.of', { max: points(row.marks), step: points(stepOf(item, row)) }) }),
          ]),
          el('p', { class: 'field-error mark-error', attrs: { id: `${id}-error`, hidden: true } }),
        ]),
      ]);
    })),
    el('tfoot', {}, el('tr', {}, [
      el('th', { attrs: { scope: 'row', colspan: 3 }, class: 'cell-subtotal-label', text: t('marking.sheet.subtotal') }),
      el('td', { class: 'cell-num', text: points(worth(item)) }),
      ...(third ? [
        el('td', { class: 'cell-num cell-other', text: points(otherItemTotal(first, item)) }),
        el('td', { class: 'cell-num cell-other', text: points(otherItemTotal(second, item)) }),
        diffCell(otherItemTotal(first, item), otherItemTotal(second, item)),
      ] : []),
      el('td', { class: 'cell-num cell-subtotal' }, el('strong', { class: 'item-subtotal', attrs: { id: `subtotal-${itemIndex}` }, text: '0' })),
    ])),
  ]));
}

function otherComments(item) {
  if (!isThird()) return null;
  const rows = ['first', 'second'].map((role) => {
    const sheet = other(role);
    const comment = sheet && sheet.comments ? text(sheet.comments[item.key]) : '';
    return el('div', { class: 'other-comment', dataset: { role } }, [
      roleTag(role),
      el('span', { class: 'other-comment-text', text: comment || t('marking.compare.noComment') }),
    ]);
  });
  return el('div', { class: 'other-comments' }, [el('h4', { class: 'task-block-title', text: t('marking.item.otherComments') }), ...rows]);
}

function itemCard(item, index) {
  const signed = isSigned();
  const commentId = `comment-${index}`;
  const comment = el('textarea', {
    class: 'textarea input-plain comment-area',
    attrs: { id: commentId, rows: 2, maxlength: MAX_COMMENT, readonly: signed, 'aria-readonly': signed ? 'true' : null },
    dataset: { item: text(item.key) },
  });
  comment.value = text(state.work.model.comments[item.key]);
  comment.addEventListener('input', () => {
    state.work.model.comments[item.key] = comment.value;
    markDirty();
  });
  const total = worth(item);
  return el('section', {
    class: 'panel item-card', attrs: { id: `item-${index}`, 'aria-labelledby': `item-${index}-title` }, dataset: { item: text(item.key) },
  }, [
    el('header', { class: 'item-head' }, [
      el('h2', { class: 'item-title', attrs: { id: `item-${index}-title` } }, [
        el('span', { class: 'item-key mono', text: text(item.key) }),
        el('span', { class: 'item-type', text: label('marking.type', item.type) }),
      ]),
      el('span', { class: 'item-score' }, [
        el('span', { class: 'item-score-label', text: t('marking.item.score') }),
        el('strong', { class: 'item-score-value', attrs: { id: `item-score-${index}` }, text: '0' }),
        el('span', { class: 'item-score-of', text: t('marking.outOf', { points: points(isNumber(item.points) ? item.points : total) }) }),
      ]),
    ]),
    el('div', { class: 'item-body' }, [
      el('section', { class: 'task', attrs: { 'aria-labelledby': `task-${index}-title` } }, [
        el('h3', { class: 'task-title', attrs: { id: `task-${index}-title` }, text: t('marking.item.task') }),
        textBlock(item.type === 'practical_task' ? 'marking.item.stemPractical' : 'marking.item.stem', item.stem, 'task-text task-stem'),
        textBlock('marking.item.statement', item.statement),
        foldedBlock('marking.item.preparation', item.preparation, `preparation-${index}`),
        materialsBlock(item),
        referenceBlock(item, index),
      ]),
      answerBlock(item, index),
    ]),
    el('section', { class: 'sheet', attrs: { 'aria-labelledby': `sheet-${index}-title` } }, [
      el('h3', { class: 'sheet-title', attrs: { id: `sheet-${index}-title` } }, [
        el('span', { text: t('marking.sheet.title') }),
        el('span', { class: 'sheet-title-key', text: text(item.key) }),
      ]),
      scoringTable(item, index, signed),
      otherComments(item),
      el('div', { class: 'field item-comment' }, [
        el('label', { class: 'field-label', attrs: { for: commentId }, text: t('marking.item.comment', { key: text(item.key) }) }),
        comment,
      ]),
    ]),
  ]);
}

function renderSummary() {
  const signed = isSigned();
  const area = $('overall-comment');
  area.value = text(state.work.model.comment);
  area.readOnly = signed;
  if (signed) area.setAttribute('aria-readonly', 'true');
  else area.removeAttribute('aria-readonly');
  $('overall-comment-hint').hidden = signed;
  replaceChildren($('summary-others'));
  $('summary-others').hidden = true;
  $('save-draft').hidden = signed;
  $('sign').hidden = signed;
  $('sheet-actions').hidden = signed;
}

// ---------------------------------------------------------------- totals, state, validation

/** The running total: every mark that is a number within its 配分 (the others are flagged). */
function updateTotals() {
  const work = state.work;
  if (!work || !work.model) return;
  let total = 0;
  let invalid = 0;
  let blank = 0;
  let worthAll = 0;
  markedItems().forEach((item, itemIndex) => {
    let subtotal = 0;
    rowsOf(item).forEach((row, rowIndex) => {
      const raw = list(work.model.marks[item.key])[rowIndex];
      const value = parseMark(raw);
      if (value === null) blank += 1;
      else if (Number.isNaN(value) || value < 0 || (isNumber(row.marks) && value > row.marks)) invalid += 1;
      else subtotal += value;
    });
    total += subtotal;
    worthAll += worth(item);
    const sub = $(`subtotal-${itemIndex}`);
    if (sub) sub.textContent = points(subtotal);
    const head = $(`item-score-${itemIndex}`);
    if (head) head.textContent = points(subtotal);
  });
  const value = $('total-value');
  value.textContent = points(total);
  value.dataset.total = String(Math.round(total * 100) / 100);
  $('total-of').textContent = [
    t('marking.outOf', { points: points(worthAll) }),
    blank ? t('marking.total.blank', { n: formatNumber(blank) }) : '',
    invalid ? t('marking.total.invalid', { n: formatNumber(invalid) }) : '',
  ].filter(Boolean).join(' · ');
  $('sheet-total').classList.toggle('has-invalid', invalid > 0);
}

function renderSheetState() {
  const work = state.work;
  const sheet = sheetOf();
  const node = $('sheet-state');
  node.className = 'sheet-state';
  if (isSigned()) {
    node.classList.add('is-signed');
    replaceChildren(node, [icon('check'), el('span', { text: t('marking.state.signed', { time: beijing(sheet.signedAt) || '—' }) })]);
  } else if (work.dirty) {
    node.classList.add('is-dirty');
    replaceChildren(node, el('span', { text: t('marking.state.unsaved') }));
  } else if (sheet.savedAt) {
    replaceChildren(node, el('span', { text: t('marking.state.saved', { time: beijing(sheet.savedAt) }) }));
  } else {
    replaceChildren(node, el('span', { text: t('marking.state.new') }));
  }
}

function markDirty() {
  if (!state.work || state.work.dirty) return;
  state.work.dirty = true;
  renderSheetState();
}

function shortPoint(point) {
  const chars = Array.from(text(point));
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
}

/** What is wrong with one mark field (`forSign`: a blank is wrong too), or null. */
function problemOf(input, forSign) {
  const item = markedItems().find((candidate) => text(candidate.key) === input.dataset.item);
  if (!item) return null;
  const index = Number(input.dataset.index);
  const row = rowsOf(item)[index];
  const where = { key: text(item.key), n: formatNumber(index + 1), point: shortPoint(row.point) };
  if (input.validity.badInput) return t('marking.check.notNumber', where);
  const value = parseMark(input.value);
  if (value === null) return forSign ? t('marking.check.missing', where) : null;
  if (Number.isNaN(value)) return t('marking.check.notNumber', where);
  if (value < 0) return t('marking.check.negative', where);
  if (isNumber(row.marks) && value > row.marks + 1e-9) return t('marking.check.above', { ...where, value: points(value), max: points(row.marks) });
  const step = stepOf(item, row);
  if (!onStep(value, step)) return t('marking.check.step', { ...where, value: text(input.value), step: points(step) });
  return null;
}

function showProblem(input, message) {
  const error = $(`${input.id}-error`);
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    error.hidden = false;
    error.textContent = message;
    input.closest('tr').classList.add('is-invalid');
  } else {
    input.removeAttribute('aria-invalid');
    error.hidden = true;
    error.textContent = '';
    input.closest('tr').classList.remove('is-invalid');
  }
}

function checkInput(input, forSign = false) {
  const message = problemOf(input, forSign);
  showProblem(input, message);
  return message;
}

/** Checks every mark; shows each problem by its field and returns them (empty when all is well). */
function checkAll(forSign) {
  const problems = [];
  let first = null;
  for (const input of $('items').querySelectorAll('input.mark-input')) {
    const message = checkInput(input, forSign);
    if (message) {
      problems.push(message);
      if (!first) first = input;
    }
  }
  for (const [id, key] of [['overall-comment', null], ...markedItems().map((item, index) => [`comment-${index}`, item.key])]) {
    const area = $(id);
    if (area && area.value.length > MAX_COMMENT) {
      problems.push(t('marking.check.commentTooLong', { where: key ? t('marking.item.comment', { key }) : t('marking.summary.comment'), max: MAX_COMMENT }));
      if (!first) first = area;
    }
  }
  if (problems.length) {
    renderAlert($('sheet-error'), {
      kind: 'error',
      code: 'client_check',
      text: t(forSign ? 'marking.check.summarySign' : 'marking.check.summary', { n: formatNumber(problems.length) }),
      list: problems.slice(0, SUMMARY_PROBLEMS).concat(problems.length > SUMMARY_PROBLEMS ? [t('marking.check.more', { n: problems.length - SUMMARY_PROBLEMS })] : []),
    });
    if (first) {
      first.scrollIntoView({ block: 'center' });
      first.focus({ preventScroll: true });
    }
  }
  return problems;
}

function setMessage(message) {
  const work = state.work;
  if (!work) return;
  work.message = message;
  renderAlert($('sheet-message'), message);
}

function setBusy(action) {
  const work = state.work;
  work.busy = action;
  for (const [id, name] of [['save-draft', 'save'], ['sign', 'sign']]) {
    const button = $(id);
    button.disabled = Boolean(action);
    button.classList.toggle('is-busy', action === name);
    if (action === name) button.setAttribute('aria-busy', 'true');
    else button.removeAttribute('aria-busy');
  }
}

// ---------------------------------------------------------------- saving and signing

async function saveDraft(event) {
  if (event) event.preventDefault();
  const work = state.work;
  if (!work || work.status !== 'ok' || work.busy || isSigned()) return;
  renderAlert($('sheet-error'), null);
  setMessage(null);
  if (checkAll(false).length) return;
  const body = sheetBody();
  setBusy('save');
  try {
    const answer = await markingApi.save(work.code, body);
    if (state.work !== work) return;
    const stored = answer && typeof answer.sheet === 'object' && answer.sheet ? answer.sheet : null;
    work.data.sheet = {
      ...sheetOf(),
      ...body,
      ...(stored || {}),
      savedAt: (stored && stored.savedAt) || (answer && answer.savedAt) || new Date().toISOString(),
    };
    work.dirty = false;
    renderHead();
    renderSheetState();
    setMessage({ kind: 'success', key: 'marking.saved', params: { time: formatBeijing(work.data.sheet.savedAt) } });
    loadQueue({ quiet: true });
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.work !== work) return;
    renderAlert($('sheet-error'), { kind: 'error', code: error.code, text: t('marking.saveFailed'), detail: serverMessage(error) });
    $('sheet-error').focus();
    if (error.code === 'already_signed') loadSubmission(work, { keepMessage: true });
  } finally {
    if (state.work === work) setBusy(null);
  }
}

function openSign() {
  const work = state.work;
  if (!work || work.status !== 'ok' || work.busy || isSigned()) return;
  renderAlert($('sheet-error'), null);
  setMessage(null);
  if (checkAll(true).length) return;
  const body = sheetBody();
  const itemsWorth = markedItems().reduce((sum, item) => sum + worth(item), 0);
  const total = markedItems().reduce((sum, item) => sum + list(body.marks[item.key]).reduce((a, b) => a + (b || 0), 0), 0);
  replaceChildren($('sign-summary'), [
    el('table', { class: 'table sign-table' }, [
      el('caption', { class: 'visually-hidden', text: t('marking.signDialog.caption') }),
      el('thead', {}, el('tr', {}, [
        el('th', { attrs: { scope: 'col' }, text: t('marking.signDialog.item') }),
        el('th', { attrs: { scope: 'col' }, class: 'cell-num', text: t('marking.signDialog.score') }),
      ])),
      el('tbody', {}, markedItems().map((item) => el('tr', {}, [
        el('th', { attrs: { scope: 'row' }, text: `${text(item.key)} · ${label('marking.type', item.type)}` }),
        el('td', { class: 'cell-num', text: t('marking.scoreOf', {
          score: points(list(body.marks[item.key]).reduce((a, b) => a + (b || 0), 0)), points: points(worth(item)),
        }) }),
      ]))),
      el('tfoot', {}, el('tr', {}, [
        el('th', { attrs: { scope: 'row' }, text: t('marking.total') }),
        el('td', { class: 'cell-num' }, el('strong', { attrs: { id: 'sign-total' }, text: t('marking.scoreOf', { score: points(total), points: points(itemsWorth) }) })),
      ])),
    ]),
    el('p', { class: 'sign-warning' }, [icon('lock'), el('span', { text: t('marking.signDialog.final') })]),
  ]);
  renderAlert($('sign-error'), null);
  const box = $('sign-dialog');
  box.showModal();
  $('sign-cancel').focus();
}

function closeSign() {
  const box = $('sign-dialog');
  if (box.open) box.close();
}

async function confirmSign(event) {
  event.preventDefault();
  const work = state.work;
  if (!work || work.busy || isSigned()) return;
  const body = sheetBody();
  const button = $('sign-confirm');
  setBusy('sign');
  button.disabled = true;
  button.classList.add('is-busy');
  $('sign-dialog').setAttribute('aria-busy', 'true');
  renderAlert($('sign-error'), null);
  try {
    const answer = await markingApi.sign(work.code, body);
    if (state.work !== work) return;
    work.busy = null;
    closeSign();
    work.dirty = false;
    const total = answer && isNumber(answer.total) ? answer.total : null;
    work.message = { kind: 'success', key: 'marking.signed', params: { total: points(total) } };
    await loadSubmission(work, { keepMessage: true });
    loadQueue({ quiet: true });
    $('sheet-message').focus();
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.work !== work) return;
    renderAlert($('sign-error'), { kind: 'error', code: error.code, text: t('marking.signFailed'), detail: serverMessage(error) });
    $('sign-error').focus();
    if (error.code === 'already_signed') {
      closeSign();
      loadSubmission(work);
    }
  } finally {
    button.disabled = false;
    button.classList.remove('is-busy');
    $('sign-dialog').removeAttribute('aria-busy');
    if (state.work === work) setBusy(null);
  }
}

// ---------------------------------------------------------------- start

function codeParam() {
  const code = new URLSearchParams(window.location.search).get('code');
  return code && code.trim() ? code.trim() : null;
}

function renderAll() {
  if (state.work) {
    // Keep what was typed: the model already holds it; only the words change.
    const dirty = state.work.dirty;
    renderWork();
    state.work.dirty = dirty;
    if (state.work.status === 'ok') renderSheetState();
  } else {
    renderQueue();
  }
}

async function start() {
  const me = await loadSession();
  if (!me) return;
  state.me = me;
  renderUserHeader(me);
  $('page-status').hidden = true;
  document.body.classList.remove('is-loading');
  if (!holdsAnyRole(me, PAGE_ROLES)) {
    $('access-denied').hidden = false;
    document.body.classList.add('is-denied');
    return;
  }
  $('content').hidden = false;
  const code = codeParam();
  if (code) {
    await openSubmission(code);
  } else {
    $('queue').hidden = false;
    await loadQueue();
  }
  document.body.classList.add('is-ready');
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('queue-refresh').addEventListener('click', () => loadQueue());
  $('sheet-form').addEventListener('submit', saveDraft);
  $('sign').addEventListener('click', openSign);
  $('overall-comment').addEventListener('input', () => {
    if (!state.work || !state.work.model) return;
    state.work.model.comment = $('overall-comment').value;
    markDirty();
  });
  $('sign-form').addEventListener('submit', confirmSign);
  $('sign-cancel').addEventListener('click', closeSign);
  $('sign-close').addEventListener('click', closeSign);
  $('sign-dialog').addEventListener('cancel', (event) => {
    if (state.work && state.work.busy === 'sign') event.preventDefault();
  });
  $('sign-dialog').addEventListener('close', () => {
    replaceChildren($('sign-summary'));
    if (state.work && !isSigned() && !$('sign').hidden) $('sign').focus();
  });
  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('beforeunload', (event) => {
    if (state.work && state.work.dirty && !isSigned()) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
