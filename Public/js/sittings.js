// Sittings (考场编排): exam administrators create sittings, seat the approved candidates, draw or
// name the staff of each room, name the quality supervisors and publish; supervisors read the same
// (ID numbers masked by the server). Examiners, supervisors and administrators declare their own
// relations to candidates (回避关系申报) at the foot of the page.
//
// The server owns every rule: the page shows its problems list as it stands, and a refused
// publication lists every broken rule. Server strings (names, problems, venues) are only set as text.
import { ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatBeijing, formatNumber, getLang, has, t } from './i18n.js';
import { closeIcon, exportButtons } from './files.js';

/** Who may open this page: the readers of sittings, and everyone who declares relations. */
const PAGE_ROLES = ['exam_admin', 'supervisor', 'examiner'];
/** `GET /api/v1/sittings` */
const READ_ROLES = ['exam_admin', 'supervisor'];
/** Creating, placing, staffing and publishing. */
const EDIT_ROLES = ['exam_admin'];
/** `POST /api/v1/relations` */
const RELATION_ROLES = ['exam_admin', 'supervisor', 'examiner'];
const PARTS = ['theory', 'ability'];
const RELATION_KINDS = ['same_employer', 'relative', 'teacher_student', 'colleague'];
const UNDIVIDED = '不分方向';
const MAX_CAPACITY = 500;

const state = {
  me: null,
  standards: [],
  /** Occupation code → {status, doc} (`GET /api/v1/exams/{code}`: durations of the parts). */
  docs: {},
  /** Active examiners and supervisors (`GET /api/v1/staff`), for naming staff. */
  staff: { status: 'idle' },
  list: { status: 'idle' },
  listMessage: null,
  /** The sitting on show: {id, token, status, data (SittingView), error, busy, message, editing, draft, editError}. */
  detail: null,
  create: { open: false, rooms: [], problems: {}, error: null, busy: false },
  relation: { busy: false, problems: {}, message: null },
};

let roomKey = 0;

const $ = (id) => document.getElementById(id);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const levelLabel = (level) => label('level', level);
const partName = (part) => label('sittings.part', part);
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));
const canEdit = () => holdsAny(EDIT_ROLES);
const pad2 = (n) => String(n).padStart(2, '0');

const sittingsApi = {
  list: () => call('GET', '/api/v1/sittings'),
  get: (id) => call('GET', `/api/v1/sittings/${encodeURIComponent(id)}`),
  create: (body) => call('POST', '/api/v1/sittings', body),
  place: (id) => call('POST', `/api/v1/sittings/${encodeURIComponent(id)}/place`, {}),
  staff: (id, body) => call('POST', `/api/v1/sittings/${encodeURIComponent(id)}/staff`, body),
  supervisors: (id, supervisors) => call('POST', `/api/v1/sittings/${encodeURIComponent(id)}/supervisors`, { supervisors }),
  publish: (id) => call('POST', `/api/v1/sittings/${encodeURIComponent(id)}/publish`, {}),
  staffList: () => call('GET', '/api/v1/staff'),
  standards: () => call('GET', '/api/v1/exams'),
  standard: (code) => call('GET', `/api/v1/exams/${encodeURIComponent(code)}`),
  relation: (body) => call('POST', '/api/v1/relations', body),
};

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? `${standard.name}（${code}）` : text(code);
}

function option(value, optionLabel, selected) {
  return el('option', { attrs: { value, selected: selected ? true : null }, text: optionLabel });
}

function roomsOf(sitting) {
  return list(sitting && sitting.plan && sitting.plan.rooms);
}

function candidateCount(sitting) {
  return roomsOf(sitting).reduce((sum, room) => sum + list(room.candidates).length, 0);
}

function capacityOf(sitting) {
  return roomsOf(sitting).reduce((sum, room) => sum + (Number(room.capacity) || 0), 0);
}

function statusTag(status) {
  const known = status === 'draft' || status === 'published';
  return el('span', { class: `sitting-status sitting-status-${known ? status : 'other'}`, dataset: { status: text(status) }, text: label('sittings.status', status) });
}

function partTag(part) {
  return el('span', { class: `part-tag part-tag-${PARTS.includes(part) ? part : 'other'}`, text: partName(part) });
}

/** A Beijing start time with its zone said, e.g. "2026/12/20 09:00（北京时间）". */
function beijingTime(value) {
  return value ? el('time', { attrs: { datetime: text(value) }, text: t('sittings.beijingTime', { time: formatBeijing(value) }) }) : null;
}

// ---------------------------------------------------------------- the list

function sittingRow(sitting) {
  const id = text(sitting.id);
  const selected = state.detail && state.detail.id === id;
  const rooms = roomsOf(sitting);
  return el('tr', {
    class: `sitting-row is-clickable${selected ? ' is-selected' : ''}`,
    dataset: { id, status: text(sitting.status) },
    attrs: { tabindex: '0', 'aria-describedby': 'list-lead', 'aria-current': selected ? 'true' : null },
    on: { click: () => openDetail(id), keydown: (event) => onRowKey(event, id) },
  }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-mono sitting-id', text: id }),
    el('td', {}, statusTag(sitting.status)),
    el('td', {}, el('div', { class: 'app-target' }, [
      el('span', { class: 'app-occupation', text: occupationName(sitting.occupation) }),
      el('span', { class: 'app-target-sub' }, [
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(sitting.level) }, text: levelLabel(sitting.level) }),
        el('span', { class: 'app-direction', text: directionName(sitting.direction) }),
      ]),
    ])),
    el('td', {}, partTag(sitting.part)),
    el('td', { class: 'cell-muted' }, sitting.startsAt ? el('time', { attrs: { datetime: text(sitting.startsAt) }, text: formatBeijing(sitting.startsAt) }) : '—'),
    el('td', { class: 'sitting-venue', text: text(sitting.venue) }),
    el('td', { class: 'sitting-rooms', text: rooms.map((room) => text(room.name)).join(t('home.roleSeparator')) || '—' }),
    el('td', { class: 'cell-num', text: t('sittings.list.seats', { n: formatNumber(candidateCount(sitting)), capacity: formatNumber(capacityOf(sitting)) }) }),
  ]);
}

function onRowKey(event, id) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    openDetail(id);
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

function renderList() {
  const section = state.list;
  const body = $('list-body');
  const count = $('list-count');
  $('list-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  body.dataset.state = section.status;
  renderAlert($('list-message'), state.listMessage);
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
  const sittings = [...section.data].sort((a, b) => text(a.startsAt).localeCompare(text(b.startsAt)));
  count.hidden = false;
  count.textContent = t('sittings.list.count', { count: formatNumber(sittings.length) });
  if (!sittings.length) {
    replaceChildren(body, el('p', { class: 'empty', attrs: { id: 'list-empty' }, text: t(canEdit() ? 'sittings.list.emptyAdmin' : 'sittings.list.empty') }));
    return;
  }
  const columns = ['id', 'status', 'target', 'part', 'startsAt', 'venue', 'rooms', 'candidates'];
  const focusedId = document.activeElement && document.activeElement.closest && document.activeElement.closest('#sittings-table tr') ? document.activeElement.dataset.id : null;
  replaceChildren(body, [
    el('div', { class: 'table-wrap' }, el('table', { class: 'table app-table sitting-table', attrs: { id: 'sittings-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('sittings.list.caption') }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, class: column === 'candidates' ? 'cell-num' : '', text: t(`sittings.col.${column}`) })))),
      el('tbody', {}, sittings.map(sittingRow)),
    ])),
    section.status === 'error' ? errorState(section.error, loadList) : null,
  ]);
  if (focusedId) {
    const row = Array.from(body.querySelectorAll('#sittings-table tbody tr')).find((node) => node.dataset.id === focusedId);
    if (row) row.focus();
  }
}

async function loadList() {
  const token = {};
  state.list = { ...state.list, status: 'loading', token };
  renderList();
  try {
    const data = await sittingsApi.list();
    if (state.list.token !== token) return;
    state.list = { status: 'ok', data: list(data && data.sittings), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.list.token !== token) return;
    state.list = { ...state.list, status: 'error', error, token };
  }
  renderList();
}

function renderListExport() {
  replaceChildren($('list-export'), exportButtons({
    id: 'sittings-export',
    url: (format) => `/api/v1/sittings/export?format=${format}`,
    fallbackName: 'sittings',
    labelKey: 'sittings.export.list',
    report: (message) => {
      state.listMessage = message;
      renderAlert($('list-message'), message);
    },
  }));
}

// ---------------------------------------------------------------- messages

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
      message.items && message.items.length
        ? el('ul', { class: 'problem-lines', attrs: { id: message.itemsId || null } }, message.items.map((item) => el('li', { text: item })))
        : null,
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
    ]),
  ]);
}

/** Whether a box already shows this message (so a redraw leaves the live region alone). */
function sameMessage(box, message) {
  const shown = box.dataset.message || '';
  const next = message ? JSON.stringify([getLang(), message]) : '';
  box.dataset.message = next;
  return shown === next;
}

/**
 * The problems of a refused publication, which the server joins with "; ". A problem's English
 * gloss may itself hold "; ", so a new problem is only taken to start where Chinese text does.
 */
function splitLines(message) {
  return text(message).split(/;\s+(?=[^\x00-\x7F])/).map((part) => part.trim()).filter(Boolean);
}

// ---------------------------------------------------------------- one sitting

function currentView() {
  const detail = state.detail;
  if (!detail) return null;
  if (detail.data) return detail.data;
  const known = list(state.list.data).find((sitting) => sitting.id === detail.id);
  return known ? { sitting: known, problems: [] } : null;
}

function setHash(id) {
  const hash = id ? `#sitting=${encodeURIComponent(id)}` : '';
  if (window.location.hash !== hash) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
}

async function openDetail(id, { focus = true } = {}) {
  const token = {};
  const known = list(state.list.data).find((sitting) => sitting.id === id) || null;
  state.detail = {
    id, token, status: 'loading', data: known ? { sitting: known, problems: null } : null, busy: null, message: null,
    editing: null, draft: null, editError: null,
  };
  setHash(id);
  renderList();
  renderDetail();
  if (focus) {
    $('detail-section').scrollIntoView({ block: 'start' });
    $('detail-section').focus({ preventScroll: true });
  }
  if (canEdit()) loadStaff();
  await refreshDetail(token);
}

async function refreshDetail(token = state.detail && state.detail.token) {
  const detail = state.detail;
  if (!detail) return;
  // Marked while the view is read again, so the page (and a test) can tell a settled view.
  $('detail-section').dataset.refreshing = 'true';
  try {
    const data = await sittingsApi.get(detail.id);
    if (!state.detail || state.detail.token !== token) return;
    state.detail.data = data;
    state.detail.status = 'ok';
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.detail || state.detail.token !== token) return;
    state.detail.status = 'error';
    state.detail.error = error;
  } finally {
    if (!state.detail || state.detail.token === token) delete $('detail-section').dataset.refreshing;
  }
  renderDetail();
}

function closeDetail() {
  const id = state.detail && state.detail.id;
  state.detail = null;
  setHash(null);
  renderDetail();
  renderList();
  const row = id && Array.from(document.querySelectorAll('#sittings-table tbody tr')).find((node) => node.dataset.id === id);
  if (row) row.focus();
}

/** The name of an account in this sitting (`people`), else from the staff list, else its id. */
function person(view, id) {
  const people = (view && view.people) || {};
  const entry = people[id];
  const staff = list(state.staff.data).find((member) => member.id === id);
  return {
    name: text((entry && entry.name) || (staff && (staff.displayName || staff.username))) || text(id),
    username: text((entry && entry.username) || (staff && staff.username)),
    idNumber: text(entry && entry.idNumber),
    known: Boolean(entry || staff),
  };
}

function fact(key, value, id) {
  return el('div', { class: 'meta-fact' }, [
    el('dt', { text: t(key) }),
    el('dd', { attrs: { id: id || null } }, typeof value === 'string' ? el('span', { text: value }) : value),
  ]);
}

function renderDetail() {
  const section = $('detail-section');
  const detail = state.detail;
  section.hidden = !detail;
  const body = $('detail-body');
  if (!detail) {
    replaceChildren(body);
    sameMessage($('detail-message'), null);
    renderAlert($('detail-message'), null);
    delete section.dataset.id;
    return;
  }
  section.dataset.id = detail.id;
  section.dataset.state = detail.status;
  // The message box stays in place (a live region), apart from the body drawn again below.
  if (!sameMessage($('detail-message'), detail.message)) renderAlert($('detail-message'), detail.message);
  const view = currentView();
  body.setAttribute('aria-busy', detail.status === 'loading' ? 'true' : 'false');
  if (!view) {
    replaceChildren(body, el('div', { class: 'panel' }, detail.status === 'error' ? errorState(detail.error, () => refreshDetail()) : loadingState(5)));
    return;
  }
  const sitting = view.sitting || {};
  section.dataset.status = text(sitting.status);
  const focused = body.contains(document.activeElement) ? document.activeElement.id : '';
  replaceChildren(body, [
    detailHead(sitting),
    problemsBox(view),
    actionsBar(view),
    roomsBlock(view),
    supervisorsBlock(view),
    detail.status === 'error' ? errorState(detail.error, () => refreshDetail()) : null,
  ]);
  const again = focused && document.getElementById(focused);
  if (again) again.focus();
}

function detailHead(sitting) {
  const duration = Number(sitting.durationMinutes);
  return el('div', { class: 'panel sitting-head' }, [
    el('div', { class: 'sitting-head-top' }, [
      el('h3', { class: 'sitting-name', attrs: { id: 'detail-name' } }, [
        el('span', { text: occupationName(sitting.occupation) }),
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(sitting.level) }, text: levelLabel(sitting.level) }),
        el('span', { class: 'sitting-direction', text: directionName(sitting.direction) }),
      ]),
      el('div', { class: 'preview-tags' }, [el('span', { attrs: { id: 'detail-status' } }, statusTag(sitting.status)), partTag(sitting.part)]),
    ]),
    el('dl', { class: 'meta-facts sitting-facts' }, [
      fact('sittings.col.id', el('span', { class: 'mono', text: text(sitting.id) }), 'detail-id'),
      fact('sittings.col.startsAt', beijingTime(sitting.startsAt) || '—', 'detail-starts'),
      fact('sittings.field.duration', Number.isFinite(duration) && duration > 0 ? t('sittings.minutes', { n: formatNumber(duration) }) : '—'),
      fact('sittings.col.venue', text(sitting.venue) || '—', 'detail-venue'),
      fact('sittings.col.candidates', t('sittings.list.seats', { n: formatNumber(candidateCount(sitting)), capacity: formatNumber(capacityOf(sitting)) }), 'detail-seats'),
      sitting.publishedAt ? fact('sittings.field.publishedAt', beijingTime(sitting.publishedAt)) : null,
    ]),
  ]);
}

function problemsBox(view) {
  const sitting = view.sitting || {};
  const problems = list(view.problems).map(text).filter(Boolean);
  if (sitting.status === 'published') {
    return el('div', { class: 'alert alert-success is-visible rules-box', attrs: { id: 'detail-problems', role: 'note' }, dataset: { count: '0' } }, [
      icon('check'),
      el('span', { class: 'alert-text' }, [el('span', { class: 'alert-main', text: t(canEdit() ? 'sittings.rules.publishedAdmin' : 'sittings.rules.published') })]),
    ]);
  }
  if (view.problems === null || view.problems === undefined) return el('div', { attrs: { id: 'detail-problems' } }, loadingState(2));
  if (!problems.length) {
    return el('div', { class: 'alert alert-success is-visible rules-box', attrs: { id: 'detail-problems', role: 'note' }, dataset: { count: '0' } }, [
      icon('check'),
      el('span', { class: 'alert-text' }, [el('span', { class: 'alert-main', text: t('sittings.rules.ok') })]),
    ]);
  }
  return el('div', { class: 'problems-box', attrs: { id: 'detail-problems', role: 'region', 'aria-labelledby': 'detail-problems-title' }, dataset: { count: String(problems.length) } }, [
    el('p', { class: 'problems-title', attrs: { id: 'detail-problems-title' } }, [icon('alert'), el('span', { text: t('sittings.rules.title', { n: formatNumber(problems.length) }) })]),
    el('ul', { class: 'problem-lines', attrs: { id: 'detail-problem-list' } }, problems.map((problem) => el('li', { text: problem }))),
  ]);
}

function actionButton(id, action, labelKey, workingKey, className, iconName, disabled = false) {
  const busy = state.detail.busy === action;
  return el('button', {
    class: `btn ${className}${busy ? ' is-busy' : ''}`,
    attrs: { type: 'button', id, 'aria-busy': busy ? 'true' : null, 'aria-disabled': state.detail.busy ? 'true' : null, disabled: disabled ? true : null },
    dataset: { action },
    on: { click: () => runAction(action) },
  }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), iconName ? icon(iconName) : null, el('span', { class: 'btn-label', text: t(busy ? workingKey : labelKey) })]);
}

function actionsBar(view) {
  const sitting = view.sitting || {};
  const draft = sitting.status === 'draft';
  const id = text(sitting.id);
  const children = [];
  if (canEdit() && draft) {
    children.push(el('div', { class: 'form-actions sitting-actions' }, [
      actionButton('action-place', 'place', 'sittings.action.place', 'sittings.action.placing', 'btn-outline', 'users'),
      actionButton('action-draw', 'draw', 'sittings.action.draw', 'sittings.action.drawing', 'btn-outline', 'team'),
      actionButton('action-publish', 'publish', 'sittings.action.publish', 'sittings.action.publishing', 'btn-primary', 'check'),
    ]));
    children.push(el('p', { class: 'review-note', text: t('sittings.action.hint') }));
  }
  const links = [
    exportButtons({
      id: 'roster-export',
      url: (format) => `/api/v1/sittings/${encodeURIComponent(id)}/roster/export?format=${format}`,
      fallbackName: `roster-${id}`,
      labelKey: 'sittings.export.roster',
      report: (message) => {
        if (!state.detail) return;
        state.detail.message = message;
        if (!sameMessage($('detail-message'), message)) renderAlert($('detail-message'), message);
      },
    }),
  ];
  if (sitting.status === 'published' && canEdit()) {
    links.push(el('a', { class: 'btn btn-primary btn-sm', attrs: { id: 'ticket-link', href: `/ticket.html?sitting=${encodeURIComponent(id)}` } }, [
      icon('ticket'), el('span', { text: t('sittings.action.tickets') }),
    ]));
  }
  children.push(el('div', { class: 'sitting-links' }, links));
  return el('div', { class: 'panel sitting-toolbar' }, children);
}

// ---------------------------------------------------------------- rooms

function staffKind(part) {
  return part === 'ability' ? 'panel' : 'invigilators';
}

function roomsBlock(view) {
  const sitting = view.sitting || {};
  const rooms = roomsOf(sitting);
  return el('section', { class: 'sitting-block', attrs: { 'aria-labelledby': 'rooms-title' } }, [
    el('h3', { class: 'block-title', attrs: { id: 'rooms-title' } }, [icon('building'), el('span', { text: t('sittings.rooms.title', { n: formatNumber(rooms.length) }) })]),
    el('div', { class: 'room-grid', attrs: { id: 'detail-rooms' } }, rooms.map((room) => roomCard(view, room))),
  ]);
}

function roomCard(view, room) {
  const sitting = view.sitting || {};
  const name = text(room.name);
  const candidates = list(room.candidates);
  const staff = list(room.staff);
  const capacity = Number(room.capacity) || 0;
  const over = capacity && candidates.length > capacity;
  const editable = canEdit() && sitting.status === 'draft';
  const editing = state.detail.editing === `room:${name}`;
  const kind = staffKind(sitting.part);
  return el('article', { class: `room-card${over ? ' is-over' : ''}`, dataset: { room: name }, attrs: { 'aria-labelledby': `room-${cssId(name)}-title` } }, [
    el('header', { class: 'room-head' }, [
      el('h4', { class: 'room-name', attrs: { id: `room-${cssId(name)}-title` }, text: t('sittings.room.name', { name }) }),
      el('span', { class: `room-fill${over ? ' is-over' : ''}`, text: t('sittings.room.fill', { n: formatNumber(candidates.length), capacity: formatNumber(capacity) }) }),
    ]),
    el('div', { class: 'room-cols' }, [
      el('div', { class: 'room-candidates' }, [
        el('h5', { class: 'room-sub', text: t('sittings.room.candidates', { n: formatNumber(candidates.length) }) }),
        candidates.length
          ? el('div', { class: 'table-wrap room-table-wrap' }, el('table', { class: 'table room-table' }, [
            el('thead', {}, el('tr', {}, ['seat', 'name', 'idNumber'].map((column) => el('th', { attrs: { scope: 'col' }, text: t(`sittings.room.col.${column}`) })))),
            el('tbody', {}, candidates.map((id, index) => {
              const who = person(view, id);
              return el('tr', { dataset: { candidate: text(id) } }, [
                el('td', { class: 'cell-mono room-seat', text: pad2(index + 1) }),
                el('th', { attrs: { scope: 'row' }, class: 'room-person', text: who.name }),
                el('td', { class: 'cell-mono', text: who.idNumber || '—' }),
              ]);
            })),
          ]))
          : el('p', { class: 'room-empty', text: t('sittings.room.noCandidates') }),
      ]),
      el('div', { class: 'room-staff' }, [
        el('h5', { class: 'room-sub', text: t(`sittings.room.${kind}`, { n: formatNumber(staff.length) }) }),
        staff.length
          ? el('ul', { class: 'chip-list staff-chips', attrs: { role: 'list' } }, staff.map((id) => staffChip(view, id, room.chief === id && sitting.part === 'ability')))
          : el('p', { class: 'room-empty', text: t('sittings.room.noStaff') }),
        editable && !editing ? el('button', {
          class: 'btn btn-ghost btn-sm room-edit', attrs: { type: 'button', id: `room-edit-${cssId(name)}` }, dataset: { room: name },
          on: { click: () => startStaffEdit(name) },
        }, [icon('pen'), el('span', { text: t('sittings.room.assign') })]) : null,
      ]),
    ]),
    editing ? staffEditor(view, room) : null,
  ]);
}

/** A stable id fragment for a room name (names may hold any characters). */
function cssId(name) {
  return Array.from(text(name)).map((ch) => (/[A-Za-z0-9_-]/.test(ch) ? ch : `u${ch.codePointAt(0).toString(16)}`)).join('');
}

function staffChip(view, id, chief) {
  const who = person(view, id);
  return el('li', { class: `chip staff-chip${chief ? ' is-chief' : ''}`, dataset: { staff: text(id), chief: chief ? 'true' : null } }, [
    el('span', { class: 'staff-name', text: who.name }),
    who.username ? el('span', { class: 'staff-username', text: who.username }) : null,
    chief ? el('span', { class: 'tag tag-chief', text: t('sittings.room.chief') }) : null,
  ]);
}

/** Who else holds each staff member: id → room name (a staff member serves in one room). */
function assignedElsewhere(sitting, roomName) {
  const taken = {};
  for (const room of roomsOf(sitting)) {
    if (room.name === roomName) continue;
    for (const id of list(room.staff)) taken[id] = text(room.name);
  }
  return taken;
}

function staffPool(role) {
  return list(state.staff.data).filter((member) => list(member.roles).includes(role));
}

function startStaffEdit(roomName) {
  const view = currentView();
  const room = roomsOf(view && view.sitting).find((entry) => entry.name === roomName);
  if (!room) return;
  state.detail.editing = `room:${roomName}`;
  state.detail.draft = { staff: new Set(list(room.staff)), chief: text(room.chief) };
  state.detail.editError = null;
  renderDetail();
  const first = document.querySelector('.staff-editor input, .staff-editor button');
  if (first) first.focus();
  if (state.staff.status !== 'ok') loadStaff();
}

function cancelEdit() {
  const editing = state.detail && state.detail.editing;
  if (!editing) return;
  state.detail.editing = null;
  state.detail.draft = null;
  state.detail.editError = null;
  renderDetail();
  const target = editing === 'supervisors' ? $('supervisors-edit') : $(`room-edit-${cssId(editing.slice(5))}`);
  if (target) target.focus();
}

function pickList({ id, legendKey, legendParams, pool, selected, taken, onToggle }) {
  if (state.staff.status === 'error') {
    return el('div', { class: 'field' }, errorState(state.staff.error, loadStaff));
  }
  if (state.staff.status !== 'ok') return el('div', { class: 'field' }, loadingState(2));
  return el('fieldset', { class: 'ed-fieldset pick-fieldset', attrs: { id } }, [
    el('legend', { class: 'field-label', text: t(legendKey, legendParams) }),
    pool.length
      ? el('div', { class: 'ed-checks pick-checks' }, pool.map((member) => {
        const elsewhere = taken && taken[member.id];
        return el('label', { class: `ed-check${elsewhere ? ' is-taken' : ''}`, dataset: { staff: text(member.id) } }, [
          el('input', {
            attrs: { type: 'checkbox', id: `${id}-${cssId(member.id)}`, value: text(member.id), checked: selected.has(member.id) ? true : null },
            on: { change: (event) => onToggle(member.id, event.target.checked) },
          }),
          el('span', { class: 'pick-name', text: text(member.displayName || member.username) }),
          member.username ? el('span', { class: 'staff-username', text: text(member.username) }) : null,
          elsewhere ? el('span', { class: 'pick-note', text: t('sittings.room.elsewhere', { room: elsewhere }) }) : null,
        ]);
      }))
      : el('p', { class: 'room-empty', text: t('sittings.staff.none') }),
  ]);
}

function staffEditor(view, room) {
  const sitting = view.sitting || {};
  const draft = state.detail.draft;
  const ability = sitting.part === 'ability';
  const name = text(room.name);
  const busy = state.detail.busy === 'staff';
  return el('div', { class: 'staff-editor review-panel', attrs: { role: 'group', 'aria-label': t('sittings.room.editorLabel', { name }) }, on: { keydown: onEditorKey } }, [
    pickList({
      id: 'staff-pick',
      legendKey: ability ? 'sittings.room.pickPanel' : 'sittings.room.pickInvigilators',
      pool: staffPool('examiner'),
      selected: draft.staff,
      taken: assignedElsewhere(sitting, name),
      onToggle: (id, on) => {
        if (on) draft.staff.add(id);
        else draft.staff.delete(id);
        if (!draft.staff.has(draft.chief)) draft.chief = '';
        // Only the chief's choices change: the list keeps its focus.
        if (ability) replaceChildren($('staff-chief'), chiefOptions(draft));
      },
    }),
    ability ? el('div', { class: 'field chief-field' }, [
      el('label', { class: 'field-label', attrs: { for: 'staff-chief' }, text: t('sittings.room.chiefLabel') }),
      el('select', {
        class: 'select', attrs: { id: 'staff-chief', 'aria-describedby': 'staff-error' },
        on: { change: (event) => { draft.chief = event.target.value; } },
      }, chiefOptions(draft)),
    ]) : null,
    el('p', { class: 'field-error', attrs: { id: 'staff-error', hidden: state.detail.editError ? null : true, role: 'alert' }, text: state.detail.editError || '' }),
    el('div', { class: 'form-actions' }, [
      el('button', {
        class: `btn btn-primary btn-sm${busy ? ' is-busy' : ''}`, attrs: { type: 'button', id: 'staff-save', 'aria-busy': busy ? 'true' : null },
        on: { click: () => saveStaff(name) },
      }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: t(busy ? 'sittings.action.saving' : 'sittings.action.save') })]),
      el('button', { class: 'btn btn-outline btn-sm', attrs: { type: 'button', id: 'staff-cancel' }, text: t('papers.action.cancel'), on: { click: cancelEdit } }),
    ]),
  ]);
}

/** The chief examiner is one of the panel as chosen. */
function chiefOptions(draft) {
  const chosen = staffPool('examiner').filter((member) => draft.staff.has(member.id));
  return [
    option('', t('sittings.room.chiefNone'), !draft.chief),
    ...chosen.map((member) => option(member.id, text(member.displayName || member.username), draft.chief === member.id)),
  ];
}

function onEditorKey(event) {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  cancelEdit();
}

// ---------------------------------------------------------------- supervisors

function supervisorsBlock(view) {
  const sitting = view.sitting || {};
  const ids = list(sitting.plan && sitting.plan.supervisors);
  const editable = canEdit() && sitting.status === 'draft';
  const editing = state.detail.editing === 'supervisors';
  return el('section', { class: 'sitting-block panel', attrs: { id: 'detail-supervisors', 'aria-labelledby': 'supervisors-title' } }, [
    el('h3', { class: 'block-title', attrs: { id: 'supervisors-title' } }, [icon('binoculars'), el('span', { text: t('sittings.supervisors.title', { n: formatNumber(ids.length) }) })]),
    ids.length
      ? el('ul', { class: 'chip-list staff-chips', attrs: { role: 'list', id: 'supervisor-chips' } }, ids.map((id) => staffChip(view, id, false)))
      : el('p', { class: 'room-empty', text: t('sittings.supervisors.none') }),
    editable && !editing ? el('button', {
      class: 'btn btn-ghost btn-sm room-edit', attrs: { type: 'button', id: 'supervisors-edit' },
      on: { click: startSupervisorEdit },
    }, [icon('pen'), el('span', { text: t('sittings.supervisors.assign') })]) : null,
    editing ? supervisorEditor() : null,
  ]);
}

function startSupervisorEdit() {
  const view = currentView();
  state.detail.editing = 'supervisors';
  state.detail.draft = { staff: new Set(list(view && view.sitting && view.sitting.plan && view.sitting.plan.supervisors)) };
  state.detail.editError = null;
  renderDetail();
  const first = document.querySelector('.staff-editor input, .staff-editor button');
  if (first) first.focus();
  if (state.staff.status !== 'ok') loadStaff();
}

function supervisorEditor() {
  const draft = state.detail.draft;
  const busy = state.detail.busy === 'supervisors';
  return el('div', { class: 'staff-editor review-panel', attrs: { role: 'group', 'aria-label': t('sittings.supervisors.title', { n: '' }) }, on: { keydown: onEditorKey } }, [
    pickList({
      id: 'supervisor-pick',
      legendKey: 'sittings.supervisors.pick',
      pool: staffPool('supervisor'),
      selected: draft.staff,
      onToggle: (id, on) => {
        if (on) draft.staff.add(id);
        else draft.staff.delete(id);
      },
    }),
    el('p', { class: 'field-error', attrs: { id: 'staff-error', hidden: state.detail.editError ? null : true, role: 'alert' }, text: state.detail.editError || '' }),
    el('div', { class: 'form-actions' }, [
      el('button', {
        class: `btn btn-primary btn-sm${busy ? ' is-busy' : ''}`, attrs: { type: 'button', id: 'supervisors-save', 'aria-busy': busy ? 'true' : null },
        on: { click: saveSupervisors },
      }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: t(busy ? 'sittings.action.saving' : 'sittings.action.save') })]),
      el('button', { class: 'btn btn-outline btn-sm', attrs: { type: 'button', id: 'supervisors-cancel' }, text: t('papers.action.cancel'), on: { click: cancelEdit } }),
    ]),
  ]);
}

async function loadStaff() {
  if (state.staff.status === 'loading' || state.staff.status === 'ok') return;
  state.staff = { status: 'loading' };
  try {
    const data = await sittingsApi.staffList();
    state.staff = { status: 'ok', data: list(data && data.staff) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.staff = { status: 'error', error };
  }
  renderDetail();
}

// ---------------------------------------------------------------- actions

/** Runs one change of the sitting and shows what came of it; the view is read again afterwards. */
async function change(kind, call, describe, onError) {
  const detail = state.detail;
  if (!detail || detail.busy) return;
  const { token } = detail;
  detail.busy = kind;
  detail.message = null;
  renderDetail();
  let focus = 'detail-message';
  try {
    const answer = await call();
    if (!state.detail || state.detail.token !== token) return;
    if (answer && answer.sitting) detail.data = { ...(detail.data || {}), ...answer };
    detail.message = describe(answer || {});
    detail.editing = null;
    detail.draft = null;
    detail.editError = null;
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.detail || state.detail.token !== token) return;
    focus = onError(error) || focus;
  } finally {
    if (state.detail && state.detail.token === token) state.detail.busy = null;
  }
  if (!state.detail || state.detail.token !== token) return;
  renderDetail();
  const target = $(focus) || $('detail-message');
  if (target) target.focus();
  await refreshDetail(token);
  loadList();
}

function genericError(error) {
  const code = error instanceof ApiError ? error.code : 'generic';
  const server = error instanceof ApiError && error.message !== code ? text(error.message) : '';
  return {
    kind: 'error',
    key: has(`sittings.error.${code}`) ? `sittings.error.${code}` : 'sittings.error.other',
    params: { message: errorMessage(error) },
    detail: has(`sittings.error.${code}`) ? server : null,
    code,
  };
}

function runAction(action) {
  const detail = state.detail;
  if (!detail) return;
  const id = detail.id;
  if (action === 'place') {
    change('place', () => sittingsApi.place(id), (answer) => {
      const unplaced = Number(answer.unplaced) || 0;
      const placed = candidateCount(answer.sitting);
      return {
        kind: unplaced ? 'info' : 'success',
        key: unplaced ? 'sittings.done.placeSome' : 'sittings.done.place',
        params: { n: formatNumber(placed), unplaced: formatNumber(unplaced) },
        code: unplaced ? 'unplaced' : 'placed',
      };
    }, (error) => {
      detail.message = genericError(error);
    });
  } else if (action === 'draw') {
    change('draw', () => sittingsApi.staff(id, { draw: true }), () => ({ kind: 'success', key: 'sittings.done.draw', code: 'drawn' }), (error) => {
      detail.message = genericError(error);
    });
  } else if (action === 'publish') {
    change('publish', () => sittingsApi.publish(id), () => ({ kind: 'success', key: 'sittings.done.publish', code: 'published' }), (error) => {
      const code = error instanceof ApiError ? error.code : 'generic';
      if (code === 'publish_refused') {
        // The standing problems (as the view last read them) are the same lines when nothing changed meanwhile.
        const known = list(currentView() && currentView().problems).map(text);
        const lines = known.length && known.join('; ') === text(error.message) ? known : splitLines(error.message);
        detail.message = {
          kind: 'error', key: 'sittings.error.publish_refused', params: { n: formatNumber(lines.length) }, items: lines, itemsId: 'publish-problems', code,
        };
      } else {
        detail.message = genericError(error);
      }
    });
  }
}

function saveStaff(roomName) {
  const detail = state.detail;
  if (!detail || !detail.draft) return;
  const view = currentView();
  const ability = view && view.sitting && view.sitting.part === 'ability';
  const staff = [...detail.draft.staff];
  const body = { room: roomName, staff };
  if (ability) {
    if (staff.length && !detail.draft.chief) {
      detail.editError = t('sittings.room.needChief');
      renderDetail();
      $('staff-chief').focus();
      return;
    }
    if (detail.draft.chief) body.chief = detail.draft.chief;
  }
  change('staff', () => sittingsApi.staff(detail.id, body), () => ({ kind: 'success', key: 'sittings.done.staff', params: { room: roomName }, code: 'staffed' }), (error) => {
    detail.editError = errorMessage(error);
    detail.message = genericError(error);
    return 'staff-error';
  });
}

function saveSupervisors() {
  const detail = state.detail;
  if (!detail || !detail.draft) return;
  const ids = [...detail.draft.staff];
  change('supervisors', () => sittingsApi.supervisors(detail.id, ids), () => ({ kind: 'success', key: 'sittings.done.supervisors', params: { n: formatNumber(ids.length) }, code: 'supervised' }), (error) => {
    detail.editError = errorMessage(error);
    detail.message = genericError(error);
    return 'staff-error';
  });
}

// ---------------------------------------------------------------- creating a sitting

const CREATE_FIELDS = {
  occupation: 'create-occupation',
  level: 'create-level',
  direction: 'create-direction',
  part: 'create-part',
  startsAt: 'create-starts',
  venue: 'create-venue',
  rooms: 'create-rooms',
};

function levelsOf(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard ? list(standard.levels) : [];
}

function directionsOf(code, level) {
  const spec = levelsOf(code).find((entry) => entry.level === level);
  return spec ? list(spec.directions).filter((name) => typeof name === 'string' && name && name !== UNDIVIDED) : [];
}

function renderCreateChoices() {
  const occupation = $('create-occupation').value || (state.standards[0] && state.standards[0].code) || '';
  replaceChildren($('create-occupation'), state.standards.map((standard) => option(standard.code, occupationName(standard.code), standard.code === occupation)));
  const levels = levelsOf(occupation).map((spec) => spec.level);
  const level = levels.includes($('create-level').value) ? $('create-level').value : levels[0] || '';
  replaceChildren($('create-level'), levels.map((value) => option(value, levelLabel(value), value === level)));
  const directions = directionsOf(occupation, level);
  const direction = $('create-direction').value;
  replaceChildren($('create-direction'), directions.length
    ? [option('', t('sittings.field.chooseDirection'), !directions.includes(direction)), ...directions.map((value) => option(value, value, value === direction))]
    : [option('', t('direction.undivided'), true)]);
  $('create-direction').disabled = !directions.length;
  $('create-direction-required').hidden = !directions.length;
  const part = PARTS.includes($('create-part').value) ? $('create-part').value : 'theory';
  replaceChildren($('create-part'), PARTS.map((value) => option(value, partName(value), value === part)));
  renderPartHint();
}

function renderPartHint() {
  const code = $('create-occupation').value;
  const entry = state.docs[code];
  const standard = entry && entry.doc && entry.doc.standard;
  const spec = standard && list(standard.levels).find((level) => level.level === $('create-level').value);
  const part = spec && spec.parts && spec.parts[$('create-part').value];
  const hint = $('create-part-hint');
  if (part && part.duration_minutes) {
    const staffing = part.staffing || {};
    hint.textContent = t(`sittings.field.partHint.${$('create-part').value === 'ability' ? 'ability' : 'theory'}`, {
      minutes: formatNumber(part.duration_minutes), per: formatNumber(staffing.candidates_per_staff ?? ''), min: formatNumber(staffing.min_staff_per_room ?? ''),
    });
    hint.hidden = false;
  } else {
    hint.textContent = '';
    hint.hidden = true;
  }
}

async function loadDoc(code) {
  if (!code || state.docs[code]) return;
  state.docs[code] = { status: 'loading' };
  try {
    state.docs[code] = { status: 'ok', doc: await sittingsApi.standard(code) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.docs[code] = { status: 'error' };
  }
  renderPartHint();
}

function newRoom(name = '', capacity = '') {
  roomKey += 1;
  return { key: roomKey, name, capacity: String(capacity) };
}

function renderRooms() {
  const rooms = state.create.rooms;
  const problems = state.create.problems;
  const focused = document.activeElement && document.activeElement.closest('#create-rooms') ? document.activeElement.id : '';
  replaceChildren($('create-rooms'), rooms.map((room, index) => {
    const nameErrors = problems[`rooms[${index}].name`] || [];
    const capacityErrors = problems[`rooms[${index}].capacity`] || [];
    const other = problems[`rooms[${index}]`] || [];
    const errors = [...nameErrors, ...capacityErrors, ...other];
    const errorId = `create-room-${room.key}-error`;
    return el('li', { class: 'room-row', dataset: { index: String(index) } }, [
      el('span', { class: 'ed-row-no', attrs: { 'aria-hidden': 'true' }, text: String(index + 1) }),
      el('div', { class: 'field' }, [
        el('label', { class: 'field-label', attrs: { for: `create-room-${room.key}-name` }, text: t('sittings.field.roomName', { n: index + 1 }) }),
        el('input', {
          class: 'input-plain room-name-input',
          attrs: { id: `create-room-${room.key}-name`, type: 'text', maxlength: '40', autocomplete: 'off', value: room.name, 'aria-invalid': nameErrors.length ? 'true' : null, 'aria-describedby': errorId },
          on: { input: (event) => { room.name = event.target.value; } },
        }),
      ]),
      el('div', { class: 'field' }, [
        el('label', { class: 'field-label', attrs: { for: `create-room-${room.key}-capacity` }, text: t('sittings.field.capacity') }),
        el('input', {
          class: 'input-plain room-capacity-input',
          attrs: { id: `create-room-${room.key}-capacity`, type: 'number', min: '1', max: String(MAX_CAPACITY), step: '1', inputmode: 'numeric', value: room.capacity, 'aria-invalid': capacityErrors.length ? 'true' : null, 'aria-describedby': errorId },
          on: { input: (event) => { room.capacity = event.target.value; } },
        }),
      ]),
      el('button', {
        class: 'btn btn-ghost btn-icon ed-remove', attrs: { type: 'button', id: `create-room-${room.key}-remove`, 'aria-label': t('sittings.field.removeRoom', { n: index + 1 }), title: t('sittings.field.removeRoom', { n: index + 1 }), disabled: rooms.length <= 1 ? true : null },
        on: { click: () => removeRoom(index) },
      }, closeIcon()),
      el('p', { class: 'field-error room-row-error', attrs: { id: errorId, hidden: errors.length ? null : true } }, errors.map((problem) => el('span', { class: 'apply-problem', text: problem }))),
    ]);
  }));
  const again = focused && document.getElementById(focused);
  if (again) again.focus();
}

function addRoom() {
  const rooms = state.create.rooms;
  const last = rooms[rooms.length - 1];
  const next = last && /^\d+$/.test(last.name.trim()) ? String(Number(last.name.trim()) + 1) : '';
  rooms.push(newRoom(next, last ? last.capacity : ''));
  renderRooms();
  const added = rooms[rooms.length - 1];
  $(`create-room-${added.key}-name`).focus();
}

function removeRoom(index) {
  const rooms = state.create.rooms;
  if (rooms.length <= 1) return;
  rooms.splice(index, 1);
  state.create.problems = {};
  renderCreateProblems();
  const target = rooms[Math.min(index, rooms.length - 1)];
  $(`create-room-${target.key}-name`).focus();
}

function openCreate() {
  state.create.open = true;
  if (!state.create.rooms.length) state.create.rooms = [newRoom('101', 30)];
  renderCreate();
  $('create-section').scrollIntoView({ block: 'start' });
  $('create-occupation').focus();
}

function closeCreate() {
  state.create = { open: false, rooms: [], problems: {}, error: null, busy: false };
  $('create-form').reset();
  renderCreate();
  $('create-open').focus();
}

function renderCreate() {
  const open = canEdit() && state.create.open;
  $('create-section').hidden = !open;
  $('create-open').setAttribute('aria-expanded', String(open));
  if (!open) return;
  renderCreateChoices();
  renderCreateProblems();
  const button = $('create-submit');
  button.classList.toggle('is-busy', state.create.busy);
  button.setAttribute('aria-busy', String(state.create.busy));
  button.querySelector('.btn-label').textContent = t(state.create.busy ? 'sittings.create.submitting' : 'sittings.create.submit');
  const now = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 16);
  $('create-starts').min = now;
}

function renderCreateProblems() {
  const problems = state.create.problems;
  for (const [name, control] of Object.entries(CREATE_FIELDS)) {
    const items = problems[name] || [];
    const box = $(`${control}-error`);
    const node = $(control);
    if (name !== 'rooms') {
      if (items.length) node.setAttribute('aria-invalid', 'true');
      else node.removeAttribute('aria-invalid');
    }
    box.hidden = !items.length;
    replaceChildren(box, items.map((item) => el('span', { class: 'apply-problem', text: item })));
  }
  renderRooms();
  const message = state.create.error;
  renderAlert($('create-error'), message ? { ...message, kind: 'error' } : null);
}

function readCreate() {
  const local = $('create-starts').value;
  return {
    occupation: $('create-occupation').value,
    level: $('create-level').value,
    direction: $('create-direction').disabled ? null : ($('create-direction').value || null),
    part: $('create-part').value,
    // The field is Beijing time: send it with its offset.
    startsAt: local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : '',
    venue: $('create-venue').value.trim(),
    rooms: state.create.rooms.map((room) => ({ name: room.name.trim(), capacity: /^\d+$/.test(room.capacity.trim()) ? Number(room.capacity.trim()) : null })),
  };
}

function checkCreate(body) {
  const problems = {};
  const add = (field, key, params) => (problems[field] ||= []).push(t(key, params));
  if (!body.occupation) add('occupation', 'sittings.need.occupation');
  if (!body.level) add('level', 'sittings.need.level');
  if (!$('create-direction').disabled && !body.direction) add('direction', 'sittings.need.direction');
  if (!PARTS.includes(body.part)) add('part', 'sittings.need.part');
  if (!body.startsAt) add('startsAt', 'sittings.need.startsAt');
  else if (!(new Date(body.startsAt).getTime() > Date.now())) add('startsAt', 'sittings.need.future');
  if (!body.venue) add('venue', 'sittings.need.venue');
  if (!body.rooms.length) add('rooms', 'sittings.need.rooms');
  const seen = new Set();
  body.rooms.forEach((room, index) => {
    if (!room.name) add(`rooms[${index}].name`, 'sittings.need.roomName');
    else if (seen.has(room.name)) add(`rooms[${index}].name`, 'sittings.need.roomUnique', { name: room.name });
    seen.add(room.name);
    if (room.capacity === null || room.capacity < 1 || room.capacity > MAX_CAPACITY) add(`rooms[${index}].capacity`, 'sittings.need.capacity', { max: MAX_CAPACITY });
  });
  return problems;
}

/** The problems of `invalid_sitting`: "field: message; field: message". */
function splitFieldProblems(message) {
  return text(message).split(/;\s+(?=[A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+)?:\s)/).map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^([A-Za-z]+(?:\[\d+\](?:\.[A-Za-z]+)?)?):\s*(.*)$/.exec(part);
    return match ? { field: match[1], text: match[2] } : { field: null, text: part };
  });
}

function focusFirstCreateProblem() {
  const order = ['occupation', 'level', 'direction', 'part', 'startsAt', 'venue'];
  const first = order.find((name) => state.create.problems[name]);
  if (first) {
    $(CREATE_FIELDS[first]).focus();
    return;
  }
  const roomField = Object.keys(state.create.problems).find((name) => name.startsWith('rooms['));
  if (roomField) {
    const match = /^rooms\[(\d+)\](?:\.(\w+))?/.exec(roomField);
    const room = state.create.rooms[Number(match[1])];
    const node = room && $(`create-room-${room.key}-${match[2] === 'capacity' ? 'capacity' : 'name'}`);
    if (node) {
      node.focus();
      return;
    }
  }
  $('create-error').focus();
}

async function onCreate(event) {
  event.preventDefault();
  if (state.create.busy) return;
  const body = readCreate();
  state.create.problems = checkCreate(body);
  if (Object.keys(state.create.problems).length) {
    state.create.error = { key: 'sittings.create.fix', code: 'client' };
    renderCreate();
    focusFirstCreateProblem();
    return;
  }
  state.create.error = null;
  state.create.busy = true;
  renderCreate();
  let answer;
  try {
    answer = await sittingsApi.create(body);
  } catch (error) {
    state.create.busy = false;
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    if (code === 'invalid_sitting') {
      const problems = splitFieldProblems(error.message);
      const unplaced = [];
      for (const problem of problems) {
        const known = problem.field && (CREATE_FIELDS[problem.field] || /^rooms\[\d+\]/.test(problem.field));
        if (known) (state.create.problems[problem.field] ||= []).push(problem.text);
        else unplaced.push(problem.text);
      }
      state.create.error = { key: 'sittings.create.invalid', params: { n: formatNumber(problems.length) }, items: unplaced, code };
    } else {
      state.create.error = { key: 'sittings.create.failed', params: { message: errorMessage(error) }, code };
    }
    renderCreate();
    focusFirstCreateProblem();
    return;
  }
  const sitting = (answer && answer.sitting) || {};
  closeCreate();
  state.listMessage = { kind: 'success', key: 'sittings.done.create', params: { id: text(sitting.id) }, code: 'created' };
  await loadList();
  if (sitting.id) await openDetail(sitting.id);
}

// ---------------------------------------------------------------- relations (回避关系申报)

function renderRelation() {
  const relation = state.relation;
  const kind = $('relation-kind').value;
  replaceChildren($('relation-kind'), [
    option('', t('relations.chooseKind'), !RELATION_KINDS.includes(kind)),
    ...RELATION_KINDS.map((value) => option(value, t(`relations.kind.${value}`), value === kind)),
  ]);
  for (const [field, control] of [['idNumber', 'relation-idnumber'], ['kind', 'relation-kind']]) {
    const items = relation.problems[field] || [];
    if (items.length) $(control).setAttribute('aria-invalid', 'true');
    else $(control).removeAttribute('aria-invalid');
    $(`${control}-error`).hidden = !items.length;
    replaceChildren($(`${control}-error`), items.map((item) => el('span', { class: 'apply-problem', text: item })));
  }
  const button = $('relation-submit');
  button.classList.toggle('is-busy', relation.busy);
  button.setAttribute('aria-busy', String(relation.busy));
  button.querySelector('.btn-label').textContent = t(relation.busy ? 'relations.submitting' : 'relations.submit');
  renderAlert($('relation-message'), relation.message);
}

async function onRelation(event) {
  event.preventDefault();
  const relation = state.relation;
  if (relation.busy) return;
  const idNumber = $('relation-idnumber').value.trim().toUpperCase();
  const kind = $('relation-kind').value;
  relation.problems = {};
  relation.message = null;
  if (!idNumber) relation.problems.idNumber = [t('relations.need.idNumber')];
  else if (!/^[A-Z0-9-]{5,30}$/.test(idNumber)) relation.problems.idNumber = [t('relations.need.idFormat')];
  if (!RELATION_KINDS.includes(kind)) relation.problems.kind = [t('relations.need.kind')];
  if (Object.keys(relation.problems).length) {
    renderRelation();
    $(relation.problems.idNumber ? 'relation-idnumber' : 'relation-kind').focus();
    return;
  }
  relation.busy = true;
  renderRelation();
  try {
    await sittingsApi.relation({ candidateIDNumber: idNumber, kind });
    relation.message = { kind: 'success', key: 'relations.done', params: { kind: t(`relations.kind.${kind}`) }, code: 'declared' };
    $('relation-idnumber').value = '';
  } catch (error) {
    if (endIfUnauthenticated(error)) {
      relation.busy = false;
      return;
    }
    const code = error instanceof ApiError ? error.code : 'generic';
    if (code === 'unknown_candidate') relation.problems.idNumber = [t('relations.error.unknown_candidate')];
    relation.message = { kind: 'error', key: has(`relations.error.${code}`) ? `relations.error.${code}` : 'relations.error.other', params: { message: errorMessage(error) }, code };
  }
  relation.busy = false;
  renderRelation();
  if (relation.problems.idNumber) $('relation-idnumber').focus();
  else $('relation-message').focus();
}

// ---------------------------------------------------------------- page

async function loadStandards() {
  try {
    const data = await sittingsApi.standards();
    state.standards = list(data && data.standards);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.standards = [];
  }
  renderList();
  renderDetail();
  renderCreate();
  if (canEdit()) for (const standard of state.standards) loadDoc(standard.code);
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  const reader = holdsAny(READ_ROLES);
  $('readonly-note').hidden = !reader || canEdit();
  $('list-section').hidden = !reader;
  $('create-open').hidden = !canEdit();
  $('relations').hidden = !holdsAny(RELATION_ROLES);
  $('page-lead').textContent = t(reader ? 'sittings.lead' : 'sittings.leadExaminer');
  // Examiners only declare relations here: the page is named for that.
  $('page-title').textContent = t(reader ? 'sittings.title' : 'relations.title');
  $('breadcrumb-here').textContent = t(reader ? 'sittings.title' : 'relations.title');
  document.title = t(reader ? 'sittings.pageTitle' : 'relations.pageTitle');
  if (reader) {
    renderListExport();
    renderList();
    renderDetail();
    renderCreate();
  }
  renderRelation();
}

function hashTarget() {
  const hash = window.location.hash.slice(1);
  if (hash.startsWith('sitting=')) return { sitting: decodeURIComponent(hash.slice(8)) };
  return { anchor: hash };
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
  const target = hashTarget();
  if (holdsAny(READ_ROLES)) {
    await Promise.all([loadStandards(), loadList()]);
    if (target.sitting) await openDetail(target.sitting, { focus: false });
  }
  if (target.anchor === 'relations' && !$('relations').hidden) {
    $('relations').scrollIntoView({ block: 'start' });
    $('relation-idnumber').focus({ preventScroll: true });
  }
  document.body.classList.add('is-ready');
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('list-refresh').addEventListener('click', () => {
    state.listMessage = null;
    loadList();
    if (state.detail) refreshDetail();
  });
  $('create-open').addEventListener('click', openCreate);
  $('create-cancel').addEventListener('click', closeCreate);
  $('create-add-room').addEventListener('click', addRoom);
  $('create-form').addEventListener('submit', onCreate);
  $('create-occupation').addEventListener('change', () => {
    renderCreateChoices();
    loadDoc($('create-occupation').value);
  });
  $('create-level').addEventListener('change', renderCreateChoices);
  $('create-part').addEventListener('change', renderPartHint);
  for (const [name, control] of Object.entries(CREATE_FIELDS)) {
    if (name === 'rooms') continue;
    $(control).addEventListener(name === 'venue' || name === 'startsAt' ? 'input' : 'change', () => {
      if (!state.create.problems[name]) return;
      delete state.create.problems[name];
      renderCreateProblems();
    });
  }
  $('detail-close').addEventListener('click', closeDetail);
  $('relation-form').addEventListener('submit', onRelation);
  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
