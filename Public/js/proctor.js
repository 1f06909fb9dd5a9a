// 监考与督导 (/proctor.html): the console of a live sitting for its invigilators and supervisors.
//
// The viewer picks one of the published sittings they may watch (`GET /api/v1/proctor/sittings`)
// or comes with `?sitting=ID`. The console polls the dashboard and the event feed every 2 s; time
// left and "seconds ago" are counted locally between polls from the server's clock (its offset to
// this computer's clock is taken from `serverTime`). Selecting a candidate opens their events,
// snapshot timeline and, for those who may act, the actions: warn, pause, resume, extend, admit
// late, misconduct (with evidence) and irregularity, each in a dialog that asks for its reason.
// Quality supervisors see the same without any action and write 督导记录. The coverage audit lists
// the candidates whose snapshots leave gaps.
//
// Server strings (names, titles, reasons, event details, error messages) are only set as text. A
// refresh re-renders only what changed, gives the focus back to the control that had it and never
// touches an open dialog.
import { ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, BEIJING, bindLangToggle, formatBeijing, formatNumber, getLang, has, t } from './i18n.js';
import { closeIcon, exportButtons, formatSize } from './files.js';
import './proctor-i18n.js';

/** Who may open the page; the server decides which sittings each may watch. */
const PAGE_ROLES = ['exam_admin', 'examiner', 'supervisor'];
const POLL_MS = 2000;
/** Notes, decisions and the coverage audit are read again this often. */
const SIDE_MS = 10000;
/** Events kept in memory, and shown in the feed. */
const FEED_KEEP = 3000;
const FEED_SHOW = 200;
const CANDIDATE_EVENTS_SHOW = 60;
const STATES = ['absent', 'waiting', 'notEntered', 'lateClosed', 'answering', 'paused', 'handedIn', 'terminated'];
const FINISHED = new Set(['handedIn', 'terminated']);
const TIERS = ['warning', 'deduction', 'subject_void', 'sitting_void', 'ban'];
const ENDING_TIERS = new Set(['subject_void', 'sitting_void', 'ban']);
/**
 * Event kinds the server counts as incidents (highlighted red), and those worth a look (amber);
 * the rest (connections, coming back to the page) are routine.
 */
const ALERT_KINDS = new Set([
  'second_login', 'late_entry_refused', 'rule_warning', 'rule_incident', 'address_changed', 'device_changed',
  'irregularity', 'misconduct', 'warning', 'camera_denied', 'camera_missing',
]);
const NOTICE_KINDS = new Set(['visibility_hidden', 'window_blur', 'fullscreen_exit', 'copy', 'paste', 'context_menu', 'offline', 'late_admitted']);
const GRID_FILTERS = ['all', 'attention', 'disconnected', 'finished'];
const WARN_PRESETS = ['proctor.warn.preset1', 'proctor.warn.preset2', 'proctor.warn.preset3', 'proctor.warn.preset4'];
const MAX_EVIDENCE = 50;
const TABS = ['live', 'notes', 'decisions', 'coverage'];

const state = {
  me: null,
  /** Occupation code → name (`GET /api/v1/exams`), for the list. */
  occupations: {},
  list: { status: 'idle' },
  /** The sitting on show (see `newWatch`), or null on the list. */
  watch: null,
};

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const pad2 = (n) => String(n).padStart(2, '0');
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);

const proctorApi = {
  sittings: () => call('GET', '/api/v1/proctor/sittings'),
  standards: () => call('GET', '/api/v1/exams'),
  sitting: (id) => call('GET', `/api/v1/sittings/${enc(id)}`),
  dashboard: (id) => call('GET', `/api/v1/sittings/${enc(id)}/proctor`),
  events: (id, after) => call('GET', `/api/v1/sittings/${enc(id)}/events?after=${enc(after)}`),
  snapshots: (id, candidate) => call('GET', `/api/v1/sittings/${enc(id)}/snapshots?candidate=${enc(candidate)}`),
  notes: (id) => call('GET', `/api/v1/sittings/${enc(id)}/notes`),
  addNote: (id, body) => call('POST', `/api/v1/sittings/${enc(id)}/notes`, body),
  decisions: (id) => call('GET', `/api/v1/sittings/${enc(id)}/misconduct`),
  coverage: (id) => call('GET', `/api/v1/sittings/${enc(id)}/coverage`),
  act: (id, action, body) => call('POST', `/api/v1/sittings/${enc(id)}/${action}`, body),
};
const snapshotUrl = (sitting, snapshot) => `/api/v1/sittings/${enc(sitting)}/snapshots/${enc(snapshot)}`;

const VIEW_KEY = 'assay.proctor.view';

function storedView() {
  try {
    return window.localStorage.getItem(VIEW_KEY) === 'table' ? 'table' : 'cards';
  } catch {
    return 'cards';
  }
}

function setView(view) {
  if (!state.watch) return;
  state.watch.view = view === 'table' ? 'table' : 'cards';
  try {
    window.localStorage.setItem(VIEW_KEY, state.watch.view);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
  renderGrid();
}

function newWatch(id) {
  return {
    id,
    /** loading | ok | error (no dashboard yet) | denied (not this viewer's sitting, or none) */
    status: 'loading',
    error: null,
    dashboard: null,
    /** Server clock minus this computer's, in ms. */
    offset: 0,
    polledAt: null,
    polls: 0,
    pollError: null,
    polling: false,
    again: false,
    timer: null,
    sideTimer: null,
    stopped: false,
    events: [],
    eventIds: new Set(),
    last: 0,
    /** '' = every room of the viewer. */
    room: '',
    filter: 'all',
    /** cards | table */
    view: storedView(),
    feedCandidate: '',
    feedIncidents: false,
    selected: null,
    /** Candidate id → {status, data, error, latest}. */
    snapshots: {},
    /** Candidate id → the snapshot id shown large in the detail panel. */
    shown: {},
    tab: 'live',
    notes: { status: 'idle' },
    decisions: { status: 'idle' },
    coverage: { status: 'idle' },
    coverageMessage: null,
    /** Staff account id → display name, where the viewer may read the sitting's people. */
    names: {},
  };
}

// ---------------------------------------------------------------- time and text

/** Now on the server's clock (ms). */
function serverNow() {
  return Date.now() + (state.watch ? state.watch.offset : 0);
}

function parseTime(value) {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** "mm:ss" or "h:mm:ss"; never negative. */
function clock(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${pad2(m)}:${pad2(s)}`;
}

/** "12 秒前", "3 分钟前"… from the server's clock. */
function ago(value) {
  const at = parseTime(value);
  if (at === null) return '—';
  const seconds = Math.max(0, Math.floor((serverNow() - at) / 1000));
  if (seconds < 3) return t('proctor.ago.now');
  if (seconds < 60) return t('proctor.ago.seconds', { n: seconds });
  if (seconds < 3600) return t('proctor.ago.minutes', { n: Math.floor(seconds / 60) });
  return t('proctor.ago.hours', { n: Math.floor(seconds / 3600) });
}

/** A time of day in Beijing time, with seconds: "15:10:39". */
function timeOfDay(value) {
  const at = parseTime(value);
  if (at === null) return text(value);
  return new Intl.DateTimeFormat(getLang(), {
    timeZone: BEIJING, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(new Date(at));
}

/** A date and time of day in Beijing time: "2026/11/29 15:10:39（北京时间）". */
function fullTime(value) {
  if (parseTime(value) === null) return text(value);
  return t('sittings.beijingTime', { time: `${formatBeijing(value, { dateOnly: true })} ${timeOfDay(value)}` });
}

function timeNode(value, formatted) {
  return value ? el('time', { attrs: { datetime: text(value) }, text: formatted }) : el('span', { text: '—' });
}

function beijing(value) {
  return timeNode(value, t('sittings.beijingTime', { time: formatBeijing(value) }));
}

function who(row) {
  return t('proctor.who', { seat: text(row.seat), name: text(row.name) });
}

function whoWithRoom(row) {
  return t('proctor.whoRoom', { seat: text(row.seat), name: text(row.name), room: text(row.room) });
}

function personName(id) {
  if (!id) return t('proctor.system');
  const me = state.me && state.me.user;
  if (me && me.id === id) return t('proctor.me', { name: me.displayName || me.username });
  const names = state.watch ? state.watch.names : {};
  return names[id] || t('proctor.account', { id: String(id).slice(0, 8) });
}

function durationText(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  if (total < 60) return t('proctor.duration.seconds', { s: total });
  const m = Math.floor(total / 60);
  const s = total % 60;
  return s ? t('proctor.duration.minutesSeconds', { m, s }) : t('proctor.duration.minutes', { m });
}

// ---------------------------------------------------------------- rendering helpers

/** Node → the signature of what it shows, so unchanged parts are not re-rendered. */
const signatures = new WeakMap();

/** The `data-focus` key of the focused control inside `node`, if any. */
function focusKeyIn(node) {
  const active = document.activeElement;
  if (!active || active === node || !node.contains(active)) return null;
  const keyed = active.closest('[data-focus]');
  return keyed && node.contains(keyed) ? keyed.dataset.focus : null;
}

function refocus(node, key) {
  if (!key) return;
  const target = Array.from(node.querySelectorAll('[data-focus]')).find((candidate) => candidate.dataset.focus === key);
  if (target && !target.disabled) target.focus({ preventScroll: true });
}

/** Re-renders `node` when `signature` changed; the focused control keeps the focus. */
function patch(node, signature, build) {
  if (signatures.get(node) === signature) return false;
  signatures.set(node, signature);
  const key = focusKeyIn(node);
  replaceChildren(node, build());
  if (key) refocus(node, key);
  return true;
}

/**
 * What a refused action says: the server's own message (Chinese with an English gloss) as it is;
 * when the server was not reached, the page's words for that.
 */
function serverMessage(error) {
  if (error instanceof ApiError && error.status > 0 && error.message) return error.message;
  return errorMessage(error);
}

/** A message's parameters, with its target and tier in words of the current language. */
function messageParams(message) {
  const params = { ...(message.params || {}) };
  if (message.target) params.target = targetText(message.target);
  if (params.tier) params.tier = label('proctor.tier', params.tier);
  return params;
}

/** Fills an `alert-live` box with {kind, text|key, params}, or clears it. */
function renderAlert(box, message) {
  const base = box.className.split(' ').filter((name) => name && name !== 'alert' && !name.startsWith('alert-') && name !== 'is-visible');
  box.className = [...base, 'alert', 'alert-live', ...(message ? ['is-visible', `alert-${message.kind}`] : [])].join(' ');
  if (!message) {
    box.replaceChildren();
    delete box.dataset.kind;
    return;
  }
  box.dataset.kind = message.kind;
  replaceChildren(box, [
    icon(message.kind === 'success' ? 'check' : 'alert'),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: message.key ? t(message.key, messageParams(message)) : text(message.text) }),
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
    ]),
  ]);
}

function stateTag(value, extraClass = '') {
  const known = STATES.includes(value) ? value : 'other';
  return el('span', {
    class: `cand-state state-${known}${extraClass ? ` ${extraClass}` : ''}`,
    dataset: { state: text(value) },
    text: label('proctor.state', value),
  });
}

/** The connection dot; with its words for assistive technology unless they are written beside it. */
function connection(connected, { labelled = true } = {}) {
  const words = t(connected ? 'proctor.conn.on' : 'proctor.conn.off');
  return el('span', {
    class: `conn ${connected ? 'conn-on' : 'conn-off'}`,
    attrs: { title: words, 'aria-hidden': labelled ? null : 'true' },
  }, labelled ? [el('span', { class: 'visually-hidden', text: words })] : []);
}

function tierTag(tier) {
  return el('span', { class: `tier-tag tier-${TIERS.includes(tier) ? tier : 'other'}`, text: label('proctor.tier', tier) });
}

function kindLevel(kind) {
  if (ALERT_KINDS.has(kind)) return 'alert';
  if (NOTICE_KINDS.has(kind)) return 'notice';
  return 'info';
}

/** A snapshot image; the browser caches it by its address (the cookie authenticates). */
function snapshotImage(sitting, snapshot, alt, className) {
  return el('img', {
    class: className,
    attrs: { src: snapshotUrl(sitting, snapshot.id), alt, loading: 'lazy', decoding: 'async', width: 320, height: 240 },
  });
}

/** Image nodes by snapshot and place, reused across refreshes so a redraw never reloads or flickers. */
const images = new Map();

function cachedImage(sitting, snapshot, place, alt, className) {
  const key = `${sitting}|${snapshot.id}|${place}|${getLang()}`;
  let image = images.get(key);
  if (!image) {
    image = snapshotImage(sitting, snapshot, alt, className);
    images.set(key, image);
    if (images.size > 600) images.delete(images.keys().next().value);
  }
  return image;
}

// ---------------------------------------------------------------- the list of sittings

function occupationName(code) {
  const name = state.occupations[code];
  return name ? `${name}（${code}）` : text(code);
}

/** Where a sitting stands by its plan (extensions and pauses are not known here). */
function plannedPhase(sitting) {
  const starts = parseTime(sitting.startsAt);
  if (starts === null) return 'unknown';
  const now = Date.now();
  if (now < starts) return 'upcoming';
  if (now < starts + (Number(sitting.durationMinutes) || 0) * 60000) return 'running';
  return 'past';
}

function sittingRow(sitting) {
  const id = text(sitting.id);
  const phase = plannedPhase(sitting);
  const href = `/proctor.html?sitting=${enc(id)}`;
  return el('tr', { class: `watch-row phase-${phase}`, dataset: { id } }, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-mono', text: id }),
    el('td', {}, el('span', { class: `plan-phase plan-${phase}`, text: t(`proctor.plan.${phase}`) })),
    el('td', {}, el('div', { class: 'app-target' }, [
      el('span', { class: 'app-occupation', text: occupationName(sitting.occupation) }),
      el('span', { class: 'app-target-sub' }, [
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(sitting.level) }, text: label('level', sitting.level) }),
        el('span', { text: !sitting.direction || sitting.direction === '不分方向' ? t('direction.undivided') : text(sitting.direction) }),
        el('span', { class: `part-tag part-tag-${sitting.part === 'theory' || sitting.part === 'ability' ? sitting.part : 'other'}`, text: label('sittings.part', sitting.part) }),
      ]),
    ])),
    el('td', { class: 'cell-muted' }, [
      timeNode(sitting.startsAt, formatBeijing(sitting.startsAt)),
      el('span', { class: 'cell-sub', text: t('sittings.minutes', { n: formatNumber(sitting.durationMinutes) }) }),
    ]),
    el('td', { class: 'watch-venue', text: text(sitting.venue) }),
    el('td', { class: 'watch-rooms', text: list(sitting.rooms).map(text).join(t('home.roleSeparator')) || '—' }),
    el('td', {}, el('span', { class: `viewer-tag viewer-${text(sitting.role)}`, text: label('proctor.role', sitting.role) })),
    el('td', { class: 'cell-action' }, el('a', {
      class: `btn btn-sm ${phase === 'running' ? 'btn-primary' : 'btn-outline'}`,
      attrs: { href, 'aria-label': t('proctor.list.openLabel', { id }) },
      dataset: { sitting: id },
    }, [icon('eye'), el('span', { text: t(sitting.role === 'supervisor' ? 'proctor.list.openSupervise' : 'proctor.list.open') })])),
  ]);
}

function renderList() {
  const section = state.list;
  const body = $('chooser-body');
  const count = $('chooser-count');
  $('chooser-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  body.dataset.state = section.status;
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
  const sittings = section.data;
  count.hidden = false;
  count.textContent = t('proctor.list.count', { count: formatNumber(sittings.length) });
  if (!sittings.length) {
    replaceChildren(body, el('div', { class: 'empty empty-rich', attrs: { id: 'chooser-empty' } }, [
      icon('binoculars', 'icon empty-icon'),
      el('p', { class: 'empty-title', text: t('proctor.list.empty') }),
      el('p', { class: 'empty-text', text: t('proctor.list.emptyText') }),
    ]));
    return;
  }
  const columns = ['id', 'phase', 'target', 'startsAt', 'venue', 'rooms', 'role', 'action'];
  replaceChildren(body, [
    el('div', { class: 'table-wrap' }, el('table', { class: 'table app-table watch-table', attrs: { id: 'watch-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('proctor.list.caption') }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
        attrs: { scope: 'col' },
        class: column === 'action' ? 'cell-action' : '',
      }, column === 'action' ? el('span', { class: 'visually-hidden', text: t('proctor.col.action') }) : t(`proctor.col.${column}`))))),
      el('tbody', {}, sittings.map(sittingRow)),
    ])),
    section.status === 'error' ? errorState(section.error, loadList) : null,
  ]);
}

async function loadList() {
  const token = {};
  state.list = { ...state.list, status: 'loading', token };
  renderList();
  try {
    const data = await proctorApi.sittings();
    if (state.list.token !== token) return;
    state.list = { status: 'ok', data: list(data && data.sittings), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.list.token !== token) return;
    state.list = { ...state.list, status: 'error', error, token };
  }
  renderList();
}

async function loadOccupations() {
  try {
    const data = await proctorApi.standards();
    for (const standard of list(data && data.standards)) state.occupations[standard.code] = standard.name;
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
  }
  if (!state.watch) renderList();
}

// ---------------------------------------------------------------- the console: data

function dashboard() {
  return state.watch && state.watch.dashboard;
}

function viewer() {
  const board = dashboard();
  return (board && board.viewer) || { role: '', canAct: false, rooms: [] };
}

const canAct = () => viewer().canAct === true;
const isSupervisor = () => viewer().role === 'supervisor';
const isAdmin = () => viewer().role === 'admin';

function roomsOf(board = dashboard()) {
  return list(board && board.rooms);
}

/** Every candidate the viewer sees: {row, room, incidents, snapshot, misconduct}. */
function allEntries(board = dashboard()) {
  const entries = [];
  for (const room of roomsOf(board)) {
    for (const entry of list(room.candidates)) {
      if (!entry || !entry.candidate) continue;
      entries.push({
        row: entry.candidate,
        room: text(room.name),
        incidents: Number(entry.incidents) || 0,
        snapshot: entry.snapshot || null,
        misconduct: list(entry.misconduct),
      });
    }
  }
  return entries;
}

/** The candidates of the chosen room (all rooms when none is chosen). */
function roomEntries() {
  const room = state.watch.room;
  return allEntries().filter((entry) => !room || entry.room === room);
}

function entryOf(id) {
  return allEntries().find((entry) => entry.row.id === id) || null;
}

function started() {
  const board = dashboard();
  return Boolean(board && board.sitting && board.sitting.phase !== 'waiting');
}

function needsAttention(entry) {
  const { row } = entry;
  if (entry.incidents > 0 || entry.misconduct.length > 0 || Number(row.focusLosses) > 0) return true;
  return (row.state === 'answering' || row.state === 'paused') && !row.connected;
}

function passesFilter(entry, filter) {
  const { row } = entry;
  if (filter === 'attention') return needsAttention(entry);
  if (filter === 'disconnected') return !row.connected && !FINISHED.has(row.state);
  if (filter === 'finished') return FINISHED.has(row.state);
  return true;
}

function addEvents(watch, feed) {
  const fresh = list(feed && feed.events).filter((event) => event && !watch.eventIds.has(event.id));
  if (fresh.length) {
    fresh.sort((a, b) => Number(a.id) - Number(b.id));
    for (const event of fresh) watch.eventIds.add(event.id);
    watch.events = [...fresh.reverse(), ...watch.events].slice(0, FEED_KEEP);
  }
  const last = Number(feed && feed.last);
  if (Number.isFinite(last) && last > watch.last) watch.last = last;
  // The server sends at most 500 at a time: catch up at once.
  if (list(feed && feed.events).length >= 500) watch.again = true;
}

/** Events the feed shows: of the chosen room (sitting-wide ones always), candidate and kind. */
function feedEvents() {
  const watch = state.watch;
  return watch.events.filter((event) => {
    if (watch.room && event.room && event.room !== watch.room) return false;
    if (watch.feedCandidate && event.candidate !== watch.feedCandidate) return false;
    if (watch.feedIncidents && kindLevel(event.kind) === 'info') return false;
    return true;
  });
}

// ---------------------------------------------------------------- the console: polling

async function openSitting(id) {
  window.clearTimeout(state.watch && state.watch.timer);
  window.clearInterval(state.watch && state.watch.sideTimer);
  state.watch = newWatch(id);
  renderAll();
  loadNames(state.watch);
  await poll();
}

async function poll() {
  const watch = state.watch;
  if (!watch || watch.stopped) return;
  window.clearTimeout(watch.timer);
  watch.polling = true;
  try {
    const [board, feed] = await Promise.all([proctorApi.dashboard(watch.id), proctorApi.events(watch.id, watch.last)]);
    if (state.watch !== watch) return;
    const data = board && board.dashboard;
    if (!data || !data.sitting) throw new ApiError(0, 'generic', '');
    const first = !watch.dashboard;
    const serverTime = parseTime(data.serverTime);
    if (serverTime !== null) watch.offset = serverTime - Date.now();
    watch.dashboard = data;
    // Staff names from the server, so the feed, notes and decisions name people for every viewer.
    for (const [id, name] of Object.entries(data.staff || {})) if (name) watch.names[id] = String(name);
    watch.status = 'ok';
    watch.error = null;
    watch.pollError = null;
    watch.polledAt = Date.now();
    watch.polls += 1;
    // How many reads have landed: lets a person (and a test) tell that the view has been refreshed.
    $('console').dataset.polls = String(watch.polls);
    addEvents(watch, feed);
    if (first) onFirstDashboard(watch);
    refreshSelectedSnapshots(watch);
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.watch !== watch) return;
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
      watch.status = 'denied';
      watch.error = error;
      watch.stopped = true;
      window.clearInterval(watch.sideTimer);
      watch.polling = false;
      renderConsole();
      return;
    }
    watch.pollError = error;
    if (!watch.dashboard) {
      watch.status = 'error';
      watch.error = error;
    }
  }
  watch.polling = false;
  if (state.watch !== watch) return;
  if (watch.status === 'ok') renderLive();
  else renderConsole();
  if (!watch.stopped) {
    watch.timer = window.setTimeout(poll, watch.again ? 0 : POLL_MS);
    watch.again = false;
  }
}

/** Reads the sitting again now (after an action), or right after the read under way. */
function pollSoon() {
  const watch = state.watch;
  if (!watch || watch.stopped) return;
  if (watch.polling) {
    watch.again = true;
    return;
  }
  poll();
}

function onFirstDashboard(watch) {
  const rooms = list(watch.dashboard.viewer && watch.dashboard.viewer.rooms);
  if (rooms.length === 1) watch.room = text(rooms[0]);
  renderConsole();
  loadNotes(watch);
  loadDecisions(watch);
  loadCoverage(watch);
  watch.sideTimer = window.setInterval(() => {
    if (state.watch !== watch || watch.stopped) return;
    loadNotes(watch);
    loadDecisions(watch);
    if (watch.tab === 'coverage' || started()) loadCoverage(watch, { quiet: true });
  }, SIDE_MS);
}

/** Staff names (for notes, decisions and the feed's actors) where the viewer may read the sitting. */
async function loadNames(watch) {
  if (!holdsAny(['exam_admin', 'supervisor'])) return;
  try {
    const data = await proctorApi.sitting(watch.id);
    const people = (data && data.people) || {};
    for (const [id, person] of Object.entries(people)) {
      if (person && person.role === 'staff' && person.name) watch.names[id] = String(person.name);
    }
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    return;
  }
  if (state.watch !== watch || !watch.dashboard) return;
  renderFeed();
  renderDetail();
  renderNotes();
  renderDecisions();
}

function refreshSelectedSnapshots(watch) {
  if (!watch.selected) return;
  const entry = entryOf(watch.selected);
  const known = watch.snapshots[watch.selected];
  const latest = entry && entry.snapshot ? entry.snapshot.id : null;
  if (!known || (known.status !== 'loading' && known.latest !== latest)) loadSnapshots(watch, watch.selected, latest);
}

async function loadSnapshots(watch, candidate, latest = null) {
  const previous = watch.snapshots[candidate];
  watch.snapshots[candidate] = { ...(previous || {}), status: 'loading', latest };
  try {
    const data = await proctorApi.snapshots(watch.id, candidate);
    if (state.watch !== watch) return;
    const shots = list(data && data.snapshots).slice().sort((a, b) => (parseTime(a.takenAt) || 0) - (parseTime(b.takenAt) || 0) || a.id - b.id);
    watch.snapshots[candidate] = { status: 'ok', data: shots, latest };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.watch !== watch) return;
    watch.snapshots[candidate] = { ...(previous || {}), status: 'error', error, latest };
  }
  if (watch.selected === candidate) renderDetail();
}

async function loadNotes(watch) {
  try {
    const data = await proctorApi.notes(watch.id);
    if (state.watch !== watch) return;
    watch.notes = { status: 'ok', data: list(data && data.notes) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.watch !== watch) return;
    watch.notes = { ...watch.notes, status: 'error', error };
  }
  renderNotes();
  renderTabCounts();
}

async function loadDecisions(watch) {
  try {
    const data = await proctorApi.decisions(watch.id);
    if (state.watch !== watch) return;
    watch.decisions = { status: 'ok', data: list(data && data.decisions) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.watch !== watch) return;
    watch.decisions = { ...watch.decisions, status: 'error', error };
  }
  renderDecisions();
  renderTabCounts();
}

async function loadCoverage(watch, { quiet = false } = {}) {
  if (!quiet) {
    watch.coverage = { ...watch.coverage, status: 'loading' };
    renderCoverage();
  }
  try {
    const data = await proctorApi.coverage(watch.id);
    if (state.watch !== watch) return;
    watch.coverage = { status: 'ok', data: data && data.coverage };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.watch !== watch) return;
    watch.coverage = { ...watch.coverage, status: 'error', error };
  }
  renderCoverage();
  renderTabCounts();
}

// ---------------------------------------------------------------- the console: head, counts, toolbar

function renderConsole() {
  const watch = state.watch;
  if (!watch) return;
  renderHead();
  const denied = watch.status === 'denied';
  $('console-denied').hidden = !denied;
  $('console-body').hidden = watch.status !== 'ok';
  if (denied) {
    renderDenied();
    return;
  }
  if (watch.status !== 'ok') return;
  renderAlert($('console-message'), watch.message || null);
  renderRoomChoices();
  renderNoteForm();
  renderLive();
  renderTabs();
  renderNotes();
  renderDecisions();
  renderCoverage();
}

function renderDenied() {
  const error = state.watch.error;
  const notYours = error && error.code === 'not_your_sitting';
  const missing = error && error.status === 404;
  replaceChildren($('console-denied'), el('div', { class: 'access-denied' }, el('div', {
    class: 'access-card', attrs: { role: 'alert', id: 'not-your-sitting' }, dataset: { code: text(error && error.code) },
  }, [
    el('span', { class: 'access-icon' }, icon('lock')),
    el('h2', { class: 'access-title', text: t(notYours ? 'proctor.notYours.title' : missing ? 'proctor.missing.title' : 'proctor.denied.title') }),
    el('p', { class: 'access-text', text: t(notYours ? 'proctor.notYours.text' : missing ? 'proctor.missing.text' : 'proctor.denied.text') }),
    error && error.message ? el('p', { class: 'access-detail', text: t('proctor.serverSays', { message: error.message }) }) : null,
    el('a', { class: 'btn btn-primary', attrs: { href: '/proctor.html' }, text: t('proctor.backToList') }),
  ])));
}

function phaseTag(phase) {
  const known = ['waiting', 'running', 'paused', 'over'].includes(phase) ? phase : 'other';
  return el('span', { class: `phase-tag phase-${known}`, dataset: { phase: text(phase) }, text: label('proctor.phase', phase) });
}

function renderHead() {
  const watch = state.watch;
  const head = $('console-head');
  const board = watch.dashboard;
  const sitting = board && board.sitting;
  $('breadcrumb-sitting').hidden = false;
  $('breadcrumb-sitting').textContent = sitting ? text(sitting.title) : watch.id;
  document.title = t('proctor.pageTitleSitting', { title: sitting ? text(sitting.title) : watch.id });
  const signature = JSON.stringify([getLang(), watch.status, watch.id, sitting, board && board.viewer, watch.pollError ? watch.pollError.code : null, Object.keys(watch.names).length]);
  patch(head, signature, () => {
    const back = el('a', { class: 'btn btn-ghost btn-sm console-back', attrs: { href: '/proctor.html' }, dataset: { focus: 'back' } }, [
      el('span', { attrs: { 'aria-hidden': 'true' }, text: '←' }), el('span', { text: t('proctor.backToList') }),
    ]);
    if (!sitting) {
      return [
        el('div', { class: 'console-title-row' }, [
          el('h1', { class: 'console-title', attrs: { id: 'console-title' }, text: watch.id }),
          watch.status === 'denied' ? null : back,
        ]),
        watch.status === 'loading' ? el('div', {}, loadingState(2)) : null,
        watch.status === 'error' ? errorState(watch.error, () => pollSoon()) : null,
      ];
    }
    const view = board.viewer || {};
    const timing = sitting.phase === 'waiting'
      ? el('span', { class: 'console-clock' }, [
        el('span', { class: 'console-clock-label', text: t('proctor.head.untilStart') }),
        el('strong', { class: 'console-clock-value', dataset: { until: text(sitting.scheduledStart) }, text: '—' }),
      ])
      : sitting.phase === 'running' || sitting.phase === 'paused'
        ? el('span', { class: 'console-clock' }, [
          el('span', { class: 'console-clock-label', text: t('proctor.head.sinceStart') }),
          el('strong', { class: 'console-clock-value', dataset: { since: text(sitting.startedAt) }, text: '—' }),
        ])
        : null;
    const facts = [
      ['proctor.head.id', el('span', { class: 'mono', text: text(sitting.id) })],
      ['proctor.head.part', label('sittings.part', sitting.part)],
      ['proctor.head.venue', text(sitting.venue)],
      ['proctor.head.scheduled', beijing(sitting.scheduledStart)],
      ['proctor.head.startedAt', sitting.startedAt ? beijing(sitting.startedAt) : t('proctor.head.notStarted')],
      ['proctor.head.duration', t('sittings.minutes', { n: formatNumber(sitting.durationMinutes) })],
      ['proctor.head.lateCutoff', sitting.lateEntryCutoff ? timeNode(sitting.lateEntryCutoff, timeOfDay(sitting.lateEntryCutoff)) : '—'],
    ];
    return [
      el('div', { class: 'console-title-row' }, [
        el('div', { class: 'console-heading' }, [
          el('div', { class: 'console-kicker' }, [
            phaseTag(sitting.phase),
            el('span', { class: `viewer-tag viewer-${text(view.role)}`, text: t('proctor.head.as', { role: label('proctor.role', view.role) }) }),
            timing,
          ]),
          el('h1', { class: 'console-title', attrs: { id: 'console-title' }, text: text(sitting.title) }),
        ]),
        el('div', { class: 'console-head-tools' }, [syncNode(), back]),
      ]),
      el('dl', { class: 'meta-facts console-facts' }, facts.map(([key, value]) => el('div', { class: 'meta-fact' }, [
        el('dt', { text: t(key) }), el('dd', {}, value),
      ]))),
      sitting.startProblem ? el('p', { class: 'alert alert-error is-visible', attrs: { role: 'alert', id: 'start-problem' } }, [
        icon('alert'), el('span', { text: t('proctor.head.startProblem', { problem: text(sitting.startProblem) }) }),
      ]) : null,
      view.canAct === false ? el('p', { class: 'alert alert-info is-visible readonly-note', attrs: { id: 'readonly-note' } }, [
        icon('eye'), el('span', { text: t('proctor.head.readOnly') }),
      ]) : null,
    ];
  });
  tick();
}

function syncNode() {
  const watch = state.watch;
  const failing = Boolean(watch.pollError);
  return el('span', {
    class: `sync ${failing ? 'sync-bad' : 'sync-ok'}`,
    attrs: { id: 'sync', title: failing ? errorMessage(watch.pollError) : '' },
  }, [
    el('span', { class: 'sync-dot', attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'sync-text', dataset: { synced: 'true' }, text: failing ? t('proctor.sync.failing') : t('proctor.sync.live') }),
  ]);
}

function renderCounts() {
  const entries = roomEntries();
  const count = (predicate) => entries.filter(predicate).length;
  const stats = [
    ['total', entries.length],
    ['connected', count((entry) => entry.row.connected)],
    ['answering', count((entry) => entry.row.state === 'answering')],
    ['paused', count((entry) => entry.row.state === 'paused')],
    ['handedIn', count((entry) => FINISHED.has(entry.row.state))],
    ['incidents', entries.reduce((sum, entry) => sum + entry.incidents, 0)],
  ];
  const signature = JSON.stringify([getLang(), stats, state.watch.room]);
  patch($('console-counts'), signature, () => stats.map(([key, value]) => el('div', {
    class: `count-tile count-${key}${key === 'incidents' && value > 0 ? ' is-bad' : ''}${key === 'paused' && value > 0 ? ' is-warn' : ''}`,
    dataset: { count: key, value: String(value) },
  }, [
    el('span', { class: 'count-value', text: formatNumber(value) }),
    el('span', { class: 'count-label', text: t(`proctor.counts.${key}`) }),
  ])));
}

function renderRoomChoices() {
  const rooms = roomsOf();
  const watch = state.watch;
  const signature = JSON.stringify([getLang(), rooms.map((room) => [room.name, room.staff]), canAct(), isAdmin(), watch.room]);
  patch($('console-toolbar'), signature, () => {
    const select = el('select', {
      class: 'select select-sm', attrs: { id: 'room-select' }, dataset: { focus: 'room-select' },
      on: {
        change: (event) => {
          watch.room = event.target.value;
          if (watch.selected && !roomEntries().some((entry) => entry.row.id === watch.selected)) watch.selected = null;
          watch.feedCandidate = '';
          renderRoomChoices();
          renderLive();
          renderCoverage();
        },
      },
    }, [
      rooms.length > 1 ? el('option', { attrs: { value: '', selected: watch.room === '' }, text: t('proctor.rooms.all', { n: rooms.length }) }) : null,
      ...rooms.map((room) => el('option', { attrs: { value: text(room.name), selected: watch.room === room.name }, text: text(room.name) })),
    ]);
    const shownRooms = rooms.filter((room) => !watch.room || room.name === watch.room);
    const staff = shownRooms.flatMap((room) => list(room.staff).map(text));
    return [
      el('div', { class: 'toolbar-rooms' }, [
        el('label', { class: 'inline-field', attrs: { for: 'room-select' } }, [el('span', { text: t('proctor.rooms.label') }), select]),
        el('span', { class: 'room-staff' }, [
          el('span', { class: 'room-staff-label', text: t('proctor.rooms.staff') }),
          el('span', { attrs: { id: 'room-staff' }, text: staff.length ? staff.join(t('home.roleSeparator')) : '—' }),
        ]),
      ]),
      canAct() ? el('div', { class: 'toolbar-actions', attrs: { id: 'toolbar-actions' } }) : null,
    ];
  });
  renderToolbarActions();
}

function actionButton({ action, labelKey, iconName, onClick, disabled = false, title = '', variant = 'btn-outline', focus }) {
  return el('button', {
    class: `btn btn-sm ${variant}`,
    attrs: { type: 'button', disabled: disabled || null, title: title || null },
    dataset: { action, focus: focus || `act:${action}` },
    on: { click: onClick },
  }, [iconName ? icon(iconName) : null, el('span', { text: t(labelKey) })]);
}

function renderToolbarActions() {
  const box = $('toolbar-actions');
  if (!box) return;
  const watch = state.watch;
  const entries = roomEntries();
  const phase = dashboard().sitting.phase;
  const running = phase === 'running' || phase === 'paused';
  const roomChosen = Boolean(watch.room);
  const anyAnswering = entries.some((entry) => entry.row.state === 'answering');
  const anyPaused = entries.some((entry) => entry.row.state === 'paused');
  const signature = JSON.stringify([getLang(), watch.room, phase, anyAnswering, anyPaused, isAdmin()]);
  patch(box, signature, () => {
    const roomHint = !roomChosen ? t('proctor.rooms.chooseFirst') : !running ? t('proctor.notStartedHint') : '';
    const roomScope = { room: watch.room };
    return [
      el('div', { class: 'action-group', attrs: { role: 'group', 'aria-label': t('proctor.actions.room') } }, [
        el('span', { class: 'action-group-label', attrs: { 'aria-hidden': 'true' }, text: t('proctor.actions.room') }),
        actionButton({
          action: 'room-pause', labelKey: 'proctor.action.pause', iconName: 'clock', focus: 'room:pause',
          disabled: !roomChosen || !running || !anyAnswering, title: roomHint,
          onClick: () => openPause(roomScope),
        }),
        actionButton({
          action: 'room-resume', labelKey: 'proctor.action.resume', iconName: 'refresh', focus: 'room:resume',
          disabled: !roomChosen || !running || !anyPaused, title: roomHint,
          onClick: () => openResume(roomScope),
        }),
        actionButton({
          action: 'room-extend', labelKey: 'proctor.action.extend', iconName: 'clock', focus: 'room:extend',
          disabled: !roomChosen || !running, title: roomHint,
          onClick: () => openExtend(roomScope),
        }),
      ]),
      isAdmin() ? el('div', { class: 'action-group', attrs: { role: 'group', 'aria-label': t('proctor.actions.sitting') } }, [
        el('span', { class: 'action-group-label', attrs: { 'aria-hidden': 'true' }, text: t('proctor.actions.sitting') }),
        actionButton({
          action: 'sitting-pause', labelKey: 'proctor.action.pause', iconName: 'clock', focus: 'sitting:pause',
          disabled: phase !== 'running', title: phase === 'waiting' ? t('proctor.notStartedHint') : '',
          onClick: () => openPause({}),
        }),
        actionButton({
          action: 'sitting-resume', labelKey: 'proctor.action.resume', iconName: 'refresh', focus: 'sitting:resume',
          disabled: phase !== 'paused',
          onClick: () => openResume({}),
        }),
        actionButton({
          action: 'sitting-extend', labelKey: 'proctor.action.extend', iconName: 'clock', focus: 'sitting:extend',
          disabled: !running, title: phase === 'waiting' ? t('proctor.notStartedHint') : '',
          onClick: () => openExtend({}),
        }),
      ]) : null,
      el('div', { class: 'action-group' }, [
        actionButton({
          action: 'sitting-irregularity', labelKey: 'proctor.action.irregularitySitting', iconName: 'form', focus: 'sitting:irregularity',
          onClick: () => openIrregularity(null),
        }),
      ]),
    ];
  });
}

// ---------------------------------------------------------------- the console: live tab

function renderLive() {
  const watch = state.watch;
  if (!watch || watch.status !== 'ok') return;
  renderHead();
  renderRoomChoices();
  renderCounts();
  renderGridFilter();
  renderGrid();
  renderDetail();
  renderFeedCandidates();
  renderFeed();
  renderNoteCandidates();
  renderTabCounts();
  tick();
}

function renderGridFilter() {
  const select = $('grid-filter');
  const signature = JSON.stringify([getLang(), state.watch.filter]);
  if (signatures.get(select) === signature) return;
  signatures.set(select, signature);
  replaceChildren(select, GRID_FILTERS.map((filter) => el('option', {
    attrs: { value: filter, selected: state.watch.filter === filter }, text: t(`proctor.filter.${filter}`),
  })));
  select.value = state.watch.filter;
}

/** Card node → its signature (only changed cards are rebuilt). */
const cardSignatures = new WeakMap();

function renderGrid() {
  const grid = $('grid');
  const table = $('grid-table');
  const watch = state.watch;
  const inRoom = roomEntries();
  const entries = inRoom.filter((entry) => passesFilter(entry, watch.filter));
  $('grid-count').textContent = entries.length === inRoom.length
    ? t('proctor.grid.count', { n: formatNumber(inRoom.length) })
    : t('proctor.grid.countFiltered', { n: formatNumber(entries.length), total: formatNumber(inRoom.length) });
  for (const button of document.querySelectorAll('#grid-view button')) {
    button.setAttribute('aria-pressed', button.dataset.view === watch.view ? 'true' : 'false');
  }
  const tableView = watch.view === 'table';
  grid.hidden = tableView;
  table.hidden = !tableView;
  if (tableView) {
    const message = inRoom.length ? t('proctor.grid.noneFiltered') : t('proctor.grid.none');
    patch(table, JSON.stringify([getLang(), entries.map(shown), watch.selected]), () => (entries.length
      ? candidateTable(entries)
      : el('p', { class: 'grid-empty', text: message })));
    return;
  }
  signatures.delete(table);
  const focusKey = focusKeyIn(grid);
  if (!entries.length) {
    grid.dataset.empty = 'true';
    const message = inRoom.length ? t('proctor.grid.noneFiltered') : t('proctor.grid.none');
    patch(grid, JSON.stringify([getLang(), 'empty', message]), () => [el('li', { class: 'grid-empty', text: message })]);
    return;
  }
  delete grid.dataset.empty;
  signatures.delete(grid);
  const existing = new Map();
  for (const node of Array.from(grid.children)) {
    if (node.dataset.id) existing.set(node.dataset.id, node);
    else node.remove();
  }
  let previous = null;
  for (const entry of entries) {
    const signature = cardSignature(entry);
    let node = existing.get(entry.row.id);
    if (node) existing.delete(entry.row.id);
    if (!node || cardSignatures.get(node) !== signature) {
      const fresh = candidateCard(entry);
      cardSignatures.set(fresh, signature);
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    const expected = previous ? previous.nextElementSibling : grid.firstElementChild;
    if (expected !== node) grid.insertBefore(node, expected);
    previous = node;
  }
  for (const node of existing.values()) node.remove();
  if (focusKey && !grid.contains(document.activeElement)) refocus(grid, focusKey);
}

/**
 * What of an entry is shown (for signatures): the time left is counted down locally, so the
 * server's `remainingSeconds` only matters while it stands still (paused).
 */
function shown(entry) {
  const { row } = entry;
  return { ...entry, row: { ...row, remainingSeconds: row.state === 'paused' ? Math.round(Number(row.remainingSeconds) || 0) : null } };
}

function cardSignature(entry) {
  const watch = state.watch;
  return JSON.stringify([getLang(), shown(entry), watch.selected === entry.row.id, watch.room ? '' : 'rooms']);
}

function progressText(row) {
  const items = Number(row.items) || 0;
  return items ? `${formatNumber(Number(row.answered) || 0)}/${formatNumber(items)}` : '—';
}

function progressPercent(row) {
  const items = Number(row.items) || 0;
  return items > 0 ? Math.round(((Number(row.answered) || 0) / items) * 100) : 0;
}

function seenNode(row, className = 'cand-seen') {
  return el('span', { class: className, dataset: row.lastSeen ? { ago: text(row.lastSeen) } : {}, text: row.lastSeen ? ago(row.lastSeen) : '—' });
}

function candidateCard(entry) {
  const watch = state.watch;
  const { row } = entry;
  const selected = watch.selected === row.id;
  const attention = needsAttention(entry);
  const counter = (key, value, className, level) => el('span', { class: `cand-counter ${className}${value > 0 && level ? ` ${level}` : ''}` }, [
    el('span', { class: 'cand-fact-label', text: t(key) }),
    el('strong', { text: formatNumber(value) }),
  ]);
  const tags = [
    row.admittedLate ? el('span', { class: 'tag tag-info', text: t('proctor.card.admittedLate') }) : null,
    ...entry.misconduct.map(tierTag),
  ].filter(Boolean);
  const button = el('button', {
    class: `cand-card${selected ? ' is-selected' : ''}${attention ? ' is-attention' : ''}`,
    attrs: { type: 'button', 'aria-pressed': selected ? 'true' : 'false', 'aria-controls': 'detail' },
    dataset: { focus: `card:${row.id}`, id: text(row.id) },
    on: { click: () => select(row.id) },
  }, [
    el('span', { class: 'cand-top' }, [
      el('span', { class: 'cand-seat', attrs: { title: t('proctor.seatNumber', { seat: text(row.seat) }) } }, [
        el('span', { class: 'visually-hidden', text: t('proctor.card.seatLabel') }), text(row.seat),
      ]),
      el('span', { class: 'cand-who' }, [
        el('span', { class: 'cand-name', text: text(row.name) }),
        el('span', { class: 'cand-status' }, [
          stateTag(row.state),
          attention ? el('span', { class: 'attention-mark', text: t('proctor.card.attention') }) : null,
        ]),
      ]),
      connection(row.connected),
    ]),
    el('span', { class: 'cand-body' }, [
      thumbnail(entry),
      el('span', { class: 'cand-facts' }, [
        el('span', { class: 'cand-fact' }, [
          el('span', { class: 'cand-fact-label', text: t('proctor.card.progress') }),
          el('span', { class: 'cand-progress', dataset: { answered: String(row.answered || 0), items: String(row.items || 0) }, text: progressText(row) }),
        ]),
        meter(progressPercent(row)),
        el('span', { class: 'cand-fact' }, [el('span', { class: 'cand-fact-label', text: t('proctor.card.left') }), timeLeftNode(row, { card: true })]),
        el('span', { class: 'cand-fact' }, [el('span', { class: 'cand-fact-label', text: t('proctor.card.seen') }), seenNode(row)]),
      ]),
    ]),
    el('span', { class: 'cand-counters' }, [
      counter('proctor.card.flagged', Number(row.flagged) || 0, 'cand-flagged', ''),
      counter('proctor.card.incidents', entry.incidents, 'cand-incidents', 'is-bad'),
      counter('proctor.card.focus', Number(row.focusLosses) || 0, 'cand-focus', 'is-warn'),
    ]),
    tags.length ? el('span', { class: 'cand-tags' }, tags) : null,
  ]);
  return el('li', { class: `cand state-${STATES.includes(row.state) ? row.state : 'other'}`, dataset: { id: text(row.id), state: text(row.state) } }, button);
}

/** The dense table view of the grid: one row per candidate. */
function candidateTable(entries) {
  const watch = state.watch;
  const columns = ['seat', 'name', 'state', 'progress', 'flagged', 'left', 'seen', 'incidents', 'focus', 'shot'];
  const numeric = new Set(['seat', 'flagged', 'incidents', 'focus']);
  return el('div', { class: 'table-wrap cand-table-wrap' }, el('table', { class: 'table cand-table', attrs: { id: 'cand-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('proctor.grid.title') }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
      attrs: { scope: 'col' }, class: numeric.has(column) ? 'cell-num' : '', text: t(`proctor.table.${column}`),
    })))),
    el('tbody', {}, entries.map((entry) => {
      const { row } = entry;
      const selected = watch.selected === row.id;
      return el('tr', {
        class: `cand-row${selected ? ' is-selected' : ''}${needsAttention(entry) ? ' is-attention' : ''}`,
        dataset: { id: text(row.id), state: text(row.state) },
      }, [
        el('td', { class: 'cell-num cell-mono', text: text(row.seat) }),
        el('th', { attrs: { scope: 'row' } }, el('button', {
          class: 'cand-row-button', attrs: { type: 'button', 'aria-pressed': selected ? 'true' : 'false', 'aria-controls': 'detail' },
          dataset: { focus: `row:${row.id}`, id: text(row.id) }, on: { click: () => select(row.id) },
        }, [connection(row.connected), el('span', { class: 'cand-name', text: text(row.name) })])),
        el('td', {}, stateTag(row.state)),
        el('td', { class: 'cell-progress' }, [el('span', { class: 'cand-progress', text: progressText(row) }), meter(progressPercent(row))]),
        el('td', { class: 'cell-num', text: formatNumber(row.flagged || 0) }),
        el('td', {}, timeLeftNode(row, { card: true })),
        el('td', { class: 'cell-muted' }, seenNode(row)),
        el('td', { class: `cell-num${entry.incidents > 0 ? ' is-bad-text' : ''}`, text: formatNumber(entry.incidents) }),
        el('td', { class: `cell-num${Number(row.focusLosses) > 0 ? ' is-warn-text' : ''}`, text: formatNumber(row.focusLosses || 0) }),
        el('td', {}, entry.snapshot
          ? el('span', { class: 'cell-shot' }, [icon('monitor'), el('span', { dataset: { ago: text(entry.snapshot.takenAt) }, text: ago(entry.snapshot.takenAt) })])
          : el('span', { class: 'cell-muted', text: t('proctor.card.noShot') })),
      ]);
    })),
  ]));
}

/** A progress bar (the width is set through the CSSOM: the page's CSP forbids style attributes). */
function meter(percent) {
  const bar = el('span', { class: 'meter-bar' });
  bar.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return el('span', { class: 'meter', attrs: { 'aria-hidden': 'true' } }, bar);
}

function timeLeftNode(row, { card = false } = {}) {
  if (row.state === 'answering' && row.deadline) {
    return el('span', { class: 'cand-left', dataset: { deadline: text(row.deadline) }, text: clock((parseTime(row.deadline) - serverNow()) / 1000) });
  }
  if (row.state === 'paused' && row.remainingSeconds !== null && row.remainingSeconds !== undefined) {
    const time = clock(row.remainingSeconds);
    // Why and since when, from the server's ledger.
    const why = row.pauseReason ? t('proctor.card.pausedWhy', { reason: text(row.pauseReason), since: row.pausedSince ? timeOfDay(row.pausedSince) : '—' }) : '';
    const title = [t('proctor.card.leftPaused', { time }), why].filter(Boolean).join(' · ');
    return el('span', { class: 'cand-left is-paused', attrs: { title }, text: card ? time : title });
  }
  if (FINISHED.has(row.state) && row.handedInAt) {
    return el('span', { class: 'cand-left is-done', text: t('proctor.card.handedInAt', { time: timeOfDay(row.handedInAt) }) });
  }
  return el('span', { class: 'cand-left', text: '—' });
}

function thumbnail(entry) {
  const watch = state.watch;
  const shot = entry.snapshot;
  if (!shot) {
    return el('span', { class: 'cand-shot is-empty' }, [
      icon('monitor'), el('span', { text: t('proctor.card.noShot') }),
    ]);
  }
  const image = cachedImage(watch.id, shot, 'card', t('proctor.shot.alt', { name: text(entry.row.name), time: timeOfDay(shot.takenAt) }), 'cand-shot-img');
  return el('span', { class: 'cand-shot' }, [
    image,
    el('span', { class: 'cand-shot-time', dataset: { ago: text(shot.takenAt) }, text: ago(shot.takenAt) }),
  ]);
}

function select(id, { fromFeed = false } = {}) {
  const watch = state.watch;
  if (!watch) return;
  const entry = entryOf(id);
  if (!entry) return;
  if (watch.room && entry.room !== watch.room) {
    watch.room = entry.room;
    renderRoomChoices();
  }
  if (!passesFilter(entry, watch.filter)) {
    watch.filter = 'all';
    renderGridFilter();
  }
  watch.selected = id;
  if (!watch.snapshots[id] || watch.snapshots[id].status === 'error') loadSnapshots(watch, id, entry.snapshot ? entry.snapshot.id : null);
  renderLive();
  const card = Array.from(document.querySelectorAll('#grid .cand-card, #grid-table .cand-row-button')).find((node) => node.dataset.id === id);
  // One column (a narrow window): the details are below the grid, so bring them into view.
  if (!fromFeed && window.matchMedia('(max-width: 1180px)').matches) $('detail').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  if (fromFeed && card) {
    card.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    card.focus({ preventScroll: true });
  }
}

function deselect() {
  const watch = state.watch;
  const id = watch.selected;
  watch.selected = null;
  renderLive();
  const card = Array.from(document.querySelectorAll('#grid .cand-card, #grid-table .cand-row-button')).find((node) => node.dataset.id === id);
  if (card) card.focus();
}

// ---------------------------------------------------------------- the detail panel

function renderDetail() {
  const panel = $('detail');
  const watch = state.watch;
  const entry = watch.selected ? entryOf(watch.selected) : null;
  if (!entry) {
    panel.hidden = true;
    signatures.delete(panel);
    return;
  }
  panel.hidden = false;
  panel.dataset.candidate = entry.row.id;
  const events = watch.events.filter((event) => event.candidate === entry.row.id);
  const shots = watch.snapshots[entry.row.id] || { status: 'loading' };
  const signature = JSON.stringify([
    getLang(), shown(entry), events.length, events.length ? events[0].id : 0, shots.status, list(shots.data).map((shot) => shot.id),
    watch.shown[entry.row.id] || null, viewer(), dashboard().sitting.phase, Object.keys(watch.names).length,
  ]);
  patch(panel, signature, () => detailContent(entry, events, shots));
}

function detailContent(entry, events, shots) {
  const { row } = entry;
  const facts = [
    ['proctor.detail.room', text(row.room)],
    ['proctor.detail.seat', t('proctor.seatNumber', { seat: text(row.seat) })],
    ['proctor.detail.connection', el('span', { class: 'detail-conn' }, [connection(row.connected, { labelled: false }), el('span', { text: t(row.connected ? 'proctor.conn.on' : 'proctor.conn.off') })])],
    ['proctor.detail.progress', Number(row.items) > 0
      ? t('proctor.detail.progressValue', { answered: formatNumber(row.answered || 0), items: formatNumber(row.items), flagged: formatNumber(row.flagged || 0) })
      : t('proctor.detail.noPaper')],
    ['proctor.detail.left', timeLeftNode(row)],
    ['proctor.detail.deadline', row.deadline && !FINISHED.has(row.state) ? timeNode(row.deadline, timeOfDay(row.deadline)) : '—'],
    ['proctor.detail.seen', row.lastSeen ? el('span', { dataset: { ago: text(row.lastSeen) }, text: ago(row.lastSeen) }) : '—'],
    ['proctor.detail.handedInAt', row.handedInAt ? timeNode(row.handedInAt, timeOfDay(row.handedInAt)) : '—'],
    ['proctor.detail.focus', formatNumber(row.focusLosses || 0)],
    ['proctor.detail.incidents', formatNumber(entry.incidents)],
    row.admittedLate ? ['proctor.detail.admittedLate', t('proctor.yes')] : null,
    entry.misconduct.length ? ['proctor.detail.misconduct', el('span', { class: 'tag-list' }, entry.misconduct.map(tierTag))] : null,
  ].filter(Boolean);
  return [
    el('div', { class: 'detail-head' }, [
      el('div', { class: 'detail-heading' }, [
        el('h2', { class: 'detail-title', attrs: { id: 'detail-title' } }, [
          el('span', { class: 'cand-seat', attrs: { 'aria-hidden': 'true' }, text: text(row.seat) }),
          el('span', { text: who(row) }),
        ]),
        stateTag(row.state),
      ]),
      el('button', {
        class: 'btn btn-ghost btn-icon', attrs: { type: 'button', id: 'detail-close', 'aria-label': t('proctor.detail.close'), title: t('proctor.detail.close') },
        dataset: { focus: 'detail-close' }, on: { click: deselect },
      }, closeIcon()),
    ]),
    el('dl', { class: 'detail-facts detail-facts-tight' }, facts.map(([key, value]) => el('div', { class: 'detail-fact' }, [
      el('dt', { text: t(key) }), el('dd', {}, value),
    ]))),
    detailActions(entry),
    snapshotBlock(entry, shots),
    el('div', { class: 'detail-block' }, [
      el('h3', { class: 'detail-subtitle', text: t('proctor.detail.events', { n: formatNumber(events.length) }) }),
      events.length
        ? el('ol', { class: 'feed-list feed-list-compact', attrs: { role: 'list', id: 'detail-events' } }, events.slice(0, CANDIDATE_EVENTS_SHOW).map((event) => feedItem(event, { compact: true })))
        : el('p', { class: 'muted-note', text: t('proctor.detail.noEvents') }),
    ]),
  ];
}

function detailActions(entry) {
  const { row } = entry;
  if (!canAct()) {
    if (!isSupervisor()) return null;
    return el('div', { class: 'detail-actions', attrs: { role: 'group', 'aria-label': t('proctor.detail.supervisorActions') } }, [
      actionButton({
        action: 'note', labelKey: 'proctor.action.note', iconName: 'pen', variant: 'btn-outline',
        onClick: () => startNote(row.id),
      }),
    ]);
  }
  const phase = dashboard().sitting.phase;
  const running = phase === 'running' || phase === 'paused';
  const finished = FINISHED.has(row.state);
  const scope = { candidate: row.id };
  // A candidate who has handed in (or was stopped) can only be the subject of a record.
  const buttons = [
    finished ? null : actionButton({
      action: 'warn', labelKey: 'proctor.action.warn', iconName: 'alert',
      title: !row.connected ? t('proctor.warn.offlineHint') : '',
      onClick: () => openWarn(row),
    }),
    finished ? null : row.state === 'paused'
      ? actionButton({ action: 'resume', labelKey: 'proctor.action.resume', iconName: 'refresh', onClick: () => openResume(scope) })
      : actionButton({
        action: 'pause', labelKey: 'proctor.action.pause', iconName: 'clock',
        disabled: row.state !== 'answering', title: row.state !== 'answering' ? t('proctor.pause.onlyAnswering') : '',
        onClick: () => openPause(scope),
      }),
    finished ? null : actionButton({
      action: 'extend', labelKey: 'proctor.action.extend', iconName: 'clock',
      disabled: !running, title: !running ? t('proctor.notStartedHint') : '',
      onClick: () => openExtend(scope),
    }),
    row.state === 'lateClosed'
      ? actionButton({ action: 'admit', labelKey: 'proctor.action.admit', iconName: 'check', variant: 'btn-primary', onClick: () => openAdmit(row) })
      : null,
    actionButton({ action: 'irregularity', labelKey: 'proctor.action.irregularity', iconName: 'form', onClick: () => openIrregularity(row) }),
    actionButton({ action: 'misconduct', labelKey: 'proctor.action.misconduct', iconName: 'shieldBad', variant: 'btn-outline btn-danger-outline', onClick: () => openMisconduct(entry) }),
  ];
  return el('div', { class: 'detail-actions', attrs: { role: 'group', 'aria-label': t('proctor.detail.actions') } }, buttons);
}

function snapshotBlock(entry, shots) {
  const watch = state.watch;
  const { row } = entry;
  const data = list(shots.data);
  const children = [el('h3', { class: 'detail-subtitle', text: t('proctor.detail.snapshots', { n: formatNumber(data.length) }) })];
  if (!data.length) {
    if (shots.status === 'loading') children.push(el('div', {}, loadingState(2)));
    else if (shots.status === 'error') children.push(el('p', { class: 'alert alert-error is-visible', text: t('section.loadFailed', { message: errorMessage(shots.error) }) }));
    else children.push(el('p', { class: 'shot-empty' }, [icon('monitor'), el('span', { text: t('proctor.detail.noSnapshots') })]));
    return el('div', { class: 'detail-block', attrs: { id: 'detail-snapshots' } }, children);
  }
  const shownId = watch.shown[row.id];
  const current = data.find((shot) => shot.id === shownId) || data[data.length - 1];
  children.push(el('figure', { class: 'shot-large' }, [
    cachedImage(watch.id, current, 'large', t('proctor.shot.alt', { name: text(row.name), time: timeOfDay(current.takenAt) }), 'shot-large-img'),
    el('figcaption', { class: 'shot-caption' }, [
      el('span', { text: t('proctor.shot.caption', { time: timeOfDay(current.takenAt) }) }),
      el('span', { class: 'shot-size', text: formatSize(current.bytes) }),
    ]),
  ]));
  children.push(el('ol', { class: 'shot-strip', attrs: { role: 'list', 'aria-label': t('proctor.detail.timeline') } }, data.slice().reverse().map((shot) => el('li', {}, el('button', {
    class: `shot-thumb${shot.id === current.id ? ' is-current' : ''}`,
    attrs: { type: 'button', 'aria-pressed': shot.id === current.id ? 'true' : 'false', 'aria-label': t('proctor.shot.show', { time: timeOfDay(shot.takenAt) }) },
    dataset: { focus: `shot:${shot.id}`, snapshot: String(shot.id) },
    on: {
      click: () => {
        watch.shown[row.id] = shot.id;
        renderDetail();
      },
    },
  }, [
    cachedImage(watch.id, shot, 'strip', '', 'shot-thumb-img'),
    el('span', { class: 'shot-thumb-time', attrs: { 'aria-hidden': 'true' }, text: timeOfDay(shot.takenAt) }),
  ])))));
  return el('div', { class: 'detail-block', attrs: { id: 'detail-snapshots' } }, children);
}

// ---------------------------------------------------------------- the event feed

function renderFeedCandidates() {
  const select = $('feed-candidate');
  const watch = state.watch;
  const entries = roomEntries();
  if (watch.feedCandidate && !entries.some((entry) => entry.row.id === watch.feedCandidate)) watch.feedCandidate = '';
  const signature = JSON.stringify([getLang(), entries.map((entry) => [entry.row.id, entry.row.seat, entry.row.name]), watch.feedCandidate]);
  if (signatures.get(select) === signature) return;
  signatures.set(select, signature);
  replaceChildren(select, [
    el('option', { attrs: { value: '' }, text: t('proctor.feed.allCandidates') }),
    ...entries.map((entry) => el('option', { attrs: { value: text(entry.row.id) }, text: who(entry.row) })),
  ]);
  select.value = watch.feedCandidate;
}

function renderFeed() {
  const watch = state.watch;
  const events = feedEvents();
  const shown = events.slice(0, FEED_SHOW);
  $('feed-count').textContent = formatNumber(events.length);
  $('feed-count').title = t('proctor.feed.countTitle', { n: formatNumber(events.length) });
  const signature = JSON.stringify([
    getLang(), watch.room, watch.feedCandidate, watch.feedIncidents, shown.length, shown.length ? shown[0].id : 0,
    events.length > FEED_SHOW, roomsOf().length, Object.keys(watch.names).length,
  ]);
  patch($('feed-list'), signature, () => {
    if (!shown.length) return [el('li', { class: 'feed-empty', text: t(watch.events.length ? 'proctor.feed.noneFiltered' : 'proctor.feed.none') })];
    return [
      ...shown.map((event) => feedItem(event)),
      events.length > FEED_SHOW ? el('li', { class: 'feed-more', text: t('proctor.feed.more', { n: formatNumber(FEED_SHOW) }) }) : null,
    ];
  });
}

/** A readable detail: the connection's address and browser, or the detail as sent. */
function eventDetail(event) {
  const detail = text(event.detail);
  if (!detail) return '';
  if (event.kind === 'connection' && detail.startsWith('{')) {
    try {
      const info = JSON.parse(detail);
      return [
        info.address ? t('proctor.event.address', { address: text(info.address) }) : null,
        info.device ? t('proctor.event.device', { device: text(info.device) }) : null,
      ].filter(Boolean).join(t('proctor.event.separator'));
    } catch {
      return detail;
    }
  }
  return detail;
}

function sourceText(event) {
  if (event.source === 'staff') return t('proctor.source.staffBy', { name: personName(event.actor) });
  return label('proctor.source', event.source);
}

function feedItem(event, { compact = false } = {}) {
  const level = kindLevel(event.kind);
  const detail = eventDetail(event);
  const candidate = event.candidate ? { seat: event.seat, name: event.name || '', room: event.room } : null;
  const whoNode = compact ? null : candidate
    ? el('button', {
      class: 'feed-who', attrs: { type: 'button', title: t('proctor.feed.select') },
      dataset: { focus: `feed:${event.id}`, candidate: text(event.candidate) },
      on: { click: () => select(event.candidate, { fromFeed: true }) },
    }, [
      el('span', { text: candidate.name ? who(candidate) : t('proctor.feed.unknownCandidate') }),
      roomsOf().length > 1 && candidate.room ? el('span', { class: 'feed-room', text: text(candidate.room) }) : null,
    ])
    : el('span', { class: 'feed-who feed-who-all', text: t('proctor.feed.wholeSitting') });
  return el('li', {
    class: `feed-item level-${level}`,
    dataset: { id: String(event.id), kind: text(event.kind), candidate: text(event.candidate) },
  }, [
    el('span', { class: 'feed-time' }, timeNode(event.at, timeOfDay(event.at))),
    el('span', { class: 'feed-main' }, [
      el('span', { class: 'feed-line' }, [
        level !== 'info' ? el('span', { class: `feed-level feed-level-${level}`, text: t(`proctor.level.${level}`) }) : null,
        el('strong', { class: 'feed-kind', text: label('proctor.kind', event.kind) }),
        whoNode,
      ]),
      detail ? el('span', { class: 'feed-detail', text: detail }) : null,
      el('span', { class: 'feed-source', text: sourceText(event) }),
    ]),
  ]);
}

// ---------------------------------------------------------------- tabs

function renderTabs() {
  const watch = state.watch;
  for (const name of TABS) {
    const tab = $(`tab-${name}`);
    const active = watch.tab === name;
    tab.setAttribute('aria-selected', active ? 'true' : 'false');
    tab.tabIndex = active ? 0 : -1;
    tab.classList.toggle('is-active', active);
    $(`panel-${name}`).hidden = !active;
  }
}

function selectTab(name, { focus = false } = {}) {
  const watch = state.watch;
  if (!watch || !TABS.includes(name)) return;
  watch.tab = name;
  renderTabs();
  if (focus) $(`tab-${name}`).focus();
  if (name === 'coverage' && watch.coverage.status !== 'loading') loadCoverage(watch, { quiet: watch.coverage.status === 'ok' });
  if (name === 'notes') loadNotes(watch);
  if (name === 'decisions') loadDecisions(watch);
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

function renderTabCounts() {
  const watch = state.watch;
  if (!watch) return;
  const notes = watch.notes.status === 'ok' ? watch.notes.data.length : null;
  const decisions = watch.decisions.status === 'ok' ? watch.decisions.data.length : null;
  const coverage = watch.coverage.status === 'ok' && watch.coverage.data ? Number(watch.coverage.data.uncovered) || 0 : null;
  $('tab-notes-count').textContent = notes ? formatNumber(notes) : '';
  $('tab-decisions-count').textContent = decisions ? formatNumber(decisions) : '';
  const coverageCount = $('tab-coverage-count');
  coverageCount.textContent = coverage ? t('proctor.coverage.tabCount', { n: formatNumber(coverage) }) : '';
  coverageCount.classList.toggle('is-bad', Boolean(coverage));
}

// ---------------------------------------------------------------- 督导记录

function renderNoteForm() {
  const supervisor = isSupervisor();
  $('note-form').hidden = !supervisor;
  const readonly = $('note-readonly');
  readonly.hidden = supervisor;
  readonly.textContent = supervisor ? '' : t('proctor.notes.onlySupervisors');
  renderNoteCandidates();
}

function renderNoteCandidates() {
  const select = $('note-candidate');
  const entries = allEntries();
  const signature = JSON.stringify([getLang(), entries.map((entry) => [entry.row.id, entry.row.seat, entry.row.name, entry.room])]);
  if (signatures.get(select) === signature) return;
  signatures.set(select, signature);
  const value = select.value;
  replaceChildren(select, [
    el('option', { attrs: { value: '' }, text: t('proctor.notes.aboutSitting') }),
    ...entries.map((entry) => el('option', { attrs: { value: text(entry.row.id) }, text: whoWithRoom(entry.row) })),
  ]);
  select.value = entries.some((entry) => entry.row.id === value) ? value : '';
}

function startNote(candidate) {
  selectTab('notes');
  renderNoteCandidates();
  $('note-candidate').value = candidate || '';
  $('note-text').focus();
}

function renderNotes() {
  const watch = state.watch;
  if (!watch || watch.status !== 'ok') return;
  const notes = watch.notes;
  const body = $('notes-body');
  const signature = JSON.stringify([getLang(), notes.status, notes.data || null, notes.status === 'error' ? errorMessage(notes.error) : '', Object.keys(watch.names).length]);
  patch(body, signature, () => {
    if (!notes.data && notes.status !== 'error') return el('div', {}, loadingState(2));
    if (!notes.data) return errorState(notes.error, () => loadNotes(watch));
    if (!notes.data.length) return el('p', { class: 'empty', attrs: { id: 'notes-empty' }, text: t('proctor.notes.empty') });
    const sorted = notes.data.slice().sort((a, b) => (parseTime(b.at) || 0) - (parseTime(a.at) || 0) || b.id - a.id);
    return el('ol', { class: 'note-list', attrs: { role: 'list', id: 'note-list' } }, sorted.map((note) => {
      const about = note.candidate ? entryOf(note.candidate) : null;
      return el('li', { class: 'note-item', dataset: { id: String(note.id), candidate: text(note.candidate) } }, [
        el('div', { class: 'note-meta' }, [
          timeNode(note.at, fullTime(note.at)),
          el('span', { class: 'note-author', text: personName(note.author) }),
          el('span', { class: 'note-about', text: note.candidate ? (about ? whoWithRoom(about.row) : t('proctor.notes.aboutUnknown')) : t('proctor.notes.aboutSitting') }),
        ]),
        el('p', { class: 'note-text', text: text(note.text) }),
      ]);
    }));
  });
}

async function onNoteSubmit(event) {
  event.preventDefault();
  const watch = state.watch;
  if (!watch || watch.noteBusy) return;
  const field = $('note-text');
  const error = $('note-text-error');
  const value = field.value.trim();
  renderAlert($('note-error'), null);
  if (!value || value.length > 2000) {
    error.hidden = false;
    error.textContent = t(value ? 'proctor.field.tooLong' : 'proctor.notes.needText', { max: 2000 });
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    return;
  }
  error.hidden = true;
  field.removeAttribute('aria-invalid');
  const candidate = $('note-candidate').value;
  const button = $('note-submit');
  watch.noteBusy = true;
  button.disabled = true;
  button.classList.add('is-busy');
  try {
    await proctorApi.addNote(watch.id, candidate ? { candidate, text: value } : { text: value });
    field.value = '';
    setMessage({ kind: 'success', key: 'proctor.notes.saved' });
    await loadNotes(watch);
  } catch (failure) {
    if (endIfUnauthenticated(failure)) return;
    renderAlert($('note-error'), { kind: 'error', text: serverMessage(failure) });
  } finally {
    watch.noteBusy = false;
    button.disabled = false;
    button.classList.remove('is-busy');
  }
}

// ---------------------------------------------------------------- 违纪处理记录

function renderDecisions() {
  const watch = state.watch;
  if (!watch || watch.status !== 'ok') return;
  const decisions = watch.decisions;
  const signature = JSON.stringify([getLang(), decisions.status, decisions.data || null, Object.keys(watch.names).length, allEntries().length]);
  patch($('decisions-body'), signature, () => {
    if (!decisions.data && decisions.status !== 'error') return el('div', {}, loadingState(2));
    if (!decisions.data) return errorState(decisions.error, () => loadDecisions(watch));
    if (!decisions.data.length) return el('p', { class: 'empty', attrs: { id: 'decisions-empty' }, text: t('proctor.decisions.empty') });
    const sorted = decisions.data.slice().sort((a, b) => (parseTime(b.decidedAt) || 0) - (parseTime(a.decidedAt) || 0));
    const columns = ['decidedAt', 'candidate', 'tier', 'reason', 'evidence', 'terminated', 'decidedBy'];
    return el('div', { class: 'table-wrap' }, el('table', { class: 'table decisions-table', attrs: { id: 'decisions-table' } }, [
      el('caption', { class: 'visually-hidden', text: t('proctor.decisions.title') }),
      el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, text: t(`proctor.decisions.col.${column}`) })))),
      el('tbody', {}, sorted.map((decision) => {
        const entry = entryOf(decision.candidate);
        const extra = decision.tier === 'deduction' && decision.points ? t('proctor.tier.points', { n: decision.points })
          : decision.tier === 'ban' && decision.banYears ? t('proctor.tier.years', { n: decision.banYears }) : '';
        const evidence = decision.evidence || {};
        return el('tr', { dataset: { id: String(decision.id), tier: text(decision.tier) } }, [
          el('td', { class: 'cell-muted' }, timeNode(decision.decidedAt, fullTime(decision.decidedAt))),
          el('th', { attrs: { scope: 'row' }, text: entry ? whoWithRoom(entry.row) : text(decision.candidate) }),
          el('td', {}, [tierTag(decision.tier), extra ? el('span', { class: 'tier-extra', text: extra }) : null]),
          el('td', { class: 'cell-reason', text: text(decision.reason) }),
          el('td', { class: 'cell-muted', text: t('proctor.decisions.evidenceValue', { events: list(evidence.events).length, snapshots: list(evidence.snapshots).length }) }),
          el('td', {}, decision.terminated ? el('span', { class: 'tag tag-bad', text: t('proctor.decisions.terminatedYes') }) : el('span', { class: 'cell-muted', text: t('proctor.decisions.terminatedNo') })),
          el('td', { text: personName(decision.decidedBy) }),
        ]);
      })),
    ]));
  });
}

// ---------------------------------------------------------------- coverage audit

function renderCoverage() {
  const watch = state.watch;
  if (!watch || watch.status !== 'ok') return;
  const coverage = watch.coverage;
  const data = coverage.data;
  renderAlert($('coverage-message'), watch.coverageMessage);
  if (!$('coverage-export').firstChild) {
    replaceChildren($('coverage-export'), exportButtons({
      id: 'coverage-export-buttons',
      url: (format) => `/api/v1/sittings/${enc(watch.id)}/coverage/export?format=${format}`,
      fallbackName: `coverage-${watch.id}`,
      labelKey: 'proctor.coverage.export',
      report: (message) => {
        watch.coverageMessage = message;
        renderAlert($('coverage-message'), message);
      },
    }));
  }
  $('coverage-refresh').disabled = coverage.status === 'loading';
  const lead = $('coverage-lead');
  if (data) {
    lead.textContent = t('proctor.coverage.lead', {
      gap: durationText(data.coverageGapSeconds), interval: durationText(data.snapshotIntervalSeconds),
    });
  } else {
    lead.textContent = t('proctor.coverage.leadPlain');
  }
  const rows = data ? list(data.candidates).filter((row) => !watch.room || row.room === watch.room) : [];
  const signature = JSON.stringify([getLang(), coverage.status, data || null, watch.room, coverage.status === 'error' ? errorMessage(coverage.error) : '']);
  patch($('coverage-body'), signature, () => {
    if (!data && coverage.status !== 'error') return el('div', {}, loadingState(3));
    if (!data) return errorState(coverage.error, () => loadCoverage(watch));
    const uncovered = rows.filter((row) => !row.covered).length;
    const summary = el('div', { class: `coverage-summary ${uncovered ? 'is-bad' : 'is-ok'}`, attrs: { id: 'coverage-summary' } }, [
      icon(uncovered ? 'shieldBad' : 'shieldOk'),
      el('span', { class: 'coverage-summary-main', text: rows.length
        ? t(uncovered ? 'proctor.coverage.summaryBad' : 'proctor.coverage.summaryOk', { n: formatNumber(uncovered), total: formatNumber(rows.length) })
        : t('proctor.coverage.summaryNone') }),
      el('span', { class: 'coverage-checked' }, [
        el('span', { text: t('proctor.coverage.checkedAt') }),
        timeNode(data.checkedAt, timeOfDay(data.checkedAt)),
      ]),
    ]);
    if (!rows.length) {
      return [summary, el('p', { class: 'empty', attrs: { id: 'coverage-empty' }, text: t(started() ? 'proctor.coverage.noneEntered' : 'proctor.coverage.notStarted') })];
    }
    const columns = ['covered', 'room', 'seat', 'name', 'window', 'snapshots', 'longest', 'gaps', 'camera'];
    return [
      summary,
      el('div', { class: 'table-wrap' }, el('table', { class: 'table coverage-table', attrs: { id: 'coverage-table' } }, [
        el('caption', { class: 'visually-hidden', text: t('proctor.coverage.title') }),
        el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
          attrs: { scope: 'col' }, class: ['seat', 'snapshots', 'longest', 'camera'].includes(column) ? 'cell-num' : '', text: t(`proctor.coverage.col.${column}`),
        })))),
        el('tbody', {}, rows.map((row) => el('tr', {
          class: row.covered ? 'is-covered' : 'is-uncovered',
          dataset: { id: text(row.id), covered: row.covered ? 'true' : 'false' },
        }, [
          el('td', {}, el('span', { class: `cover-tag ${row.covered ? 'cover-ok' : 'cover-bad'}` }, [
            icon(row.covered ? 'shieldOk' : 'shieldBad'), el('span', { text: t(row.covered ? 'proctor.coverage.covered' : 'proctor.coverage.uncovered') }),
          ])),
          el('td', { text: text(row.room) }),
          el('td', { class: 'cell-num', text: text(row.seat) }),
          el('th', { attrs: { scope: 'row' }, text: text(row.name) }),
          el('td', { class: 'cell-muted', text: `${timeOfDay(row.from)}–${timeOfDay(row.to)}` }),
          el('td', { class: 'cell-num', text: formatNumber(row.snapshots) }),
          el('td', { class: `cell-num${row.covered ? '' : ' is-bad-text'}`, text: row.longestGapSeconds ? durationText(row.longestGapSeconds) : '—' }),
          el('td', { class: 'cell-gaps' }, list(row.gaps).length
            ? el('ul', { class: 'gap-list', attrs: { role: 'list' } }, list(row.gaps).map((gap) => el('li', {
              text: t('proctor.coverage.gap', { from: timeOfDay(gap.from), to: timeOfDay(gap.to), duration: durationText(gap.seconds) }),
            })))
            : el('span', { class: 'cell-muted', text: '—' })),
          el('td', { class: `cell-num${row.cameraIncidents ? ' is-bad-text' : ''}`, text: formatNumber(row.cameraIncidents || 0) }),
        ]))),
      ])),
    ];
  });
}

// ---------------------------------------------------------------- messages

function setMessage(message) {
  const watch = state.watch;
  if (!watch) return;
  watch.message = message;
  renderAlert($('console-message'), message);
  window.clearTimeout(watch.messageTimer);
  if (message && message.kind === 'success') {
    watch.messageTimer = window.setTimeout(() => {
      if (state.watch === watch && watch.message === message) setMessage(null);
    }, 12000);
  }
}

// ---------------------------------------------------------------- action dialogs

const dialog = {
  spec: null,
  /** Gives the focus back where the dialog was opened from (the node may have been re-rendered). */
  returnFocus: null,
  busy: false,
};

function field({ id, labelKey, control, hintKey, hintParams, required = true }) {
  control.id = id;
  const describedBy = [hintKey ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  if (required) control.required = true;
  return el('div', { class: 'field', dataset: { field: id } }, [
    el('label', { class: 'field-label', attrs: { for: id } }, [
      el('span', { text: t(labelKey) }),
      required ? el('span', { class: 'reg-required', attrs: { 'aria-hidden': 'true' }, text: ' *' }) : null,
    ]),
    control,
    hintKey ? el('p', { class: 'field-hint', attrs: { id: `${id}-hint` }, text: t(hintKey, hintParams) }) : null,
    el('p', { class: 'field-error', attrs: { id: `${id}-error`, hidden: true } }),
  ]);
}

function textArea(max, rows = 3, value = '') {
  const area = el('textarea', { class: 'textarea input-plain act-textarea', attrs: { rows, maxlength: max } });
  area.value = value;
  return area;
}

function showFieldError(id, message) {
  const control = $(id);
  const error = $(`${id}-error`);
  if (!control || !error) return;
  if (message) {
    error.hidden = false;
    error.textContent = message;
    control.setAttribute('aria-invalid', 'true');
  } else {
    error.hidden = true;
    error.textContent = '';
    control.removeAttribute('aria-invalid');
  }
}

/** A required text of 1…max characters, or null after marking the field. */
function requiredText(id, max, emptyKey) {
  const value = $(id).value.trim();
  if (!value) {
    showFieldError(id, t(emptyKey));
    return null;
  }
  if (value.length > max) {
    showFieldError(id, t('proctor.field.tooLong', { max }));
    return null;
  }
  showFieldError(id, null);
  return value;
}

/**
 * Opens the action dialog. `spec`: {action, titleKey, submitKey, target ({candidate}|{room}|{}), fields: [nodes],
 * collect() → body or null (invalid), path (the action's endpoint), done(result, body) → message,
 * danger}.
 */
function openDialog(spec) {
  const box = $('act-dialog');
  if (box.open) return;
  const opener = document.activeElement;
  const keyed = opener && opener.closest ? opener.closest('[data-focus]') : null;
  const focusKey = keyed ? keyed.dataset.focus : null;
  const openerId = opener && opener.id ? opener.id : null;
  dialog.returnFocus = () => {
    let target = focusKey ? Array.from(document.querySelectorAll('[data-focus]')).find((node) => node.dataset.focus === focusKey) : null;
    if (!target && openerId) target = $(openerId);
    if (!target && opener && document.contains(opener)) target = opener;
    if (target && !target.disabled) target.focus();
    else if (!$('detail').hidden) $('detail').focus();
  };
  dialog.spec = spec;
  dialog.busy = false;
  box.dataset.action = spec.action;
  box.classList.toggle('is-danger', Boolean(spec.danger));
  $('act-title').textContent = t(spec.titleKey);
  $('act-target').textContent = t('proctor.dialog.target', { target: targetText(spec.target) });
  replaceChildren($('act-fields'), spec.fields);
  renderAlert($('act-error'), null);
  setSubmit(spec.submitKey);
  box.showModal();
  const first = $('act-fields').querySelector('input:not([type="hidden"]):not([disabled]), textarea, select');
  (first || $('act-submit')).focus();
}

function setSubmit(key, danger = dialog.spec && dialog.spec.danger) {
  $('act-submit-label').textContent = t(key);
  $('act-submit').classList.toggle('btn-danger-solid', Boolean(danger));
  $('act-submit').classList.toggle('btn-primary', !danger);
}

function closeDialog() {
  const box = $('act-dialog');
  if (box.open) box.close();
}

async function onDialogSubmit(event) {
  event.preventDefault();
  const spec = dialog.spec;
  const watch = state.watch;
  if (!spec || !watch || dialog.busy) return;
  renderAlert($('act-error'), null);
  const body = spec.collect();
  if (!body) {
    const invalid = $('act-fields').querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    return;
  }
  const button = $('act-submit');
  dialog.busy = true;
  button.disabled = true;
  button.classList.add('is-busy');
  $('act-dialog').setAttribute('aria-busy', 'true');
  try {
    const result = await proctorApi.act(watch.id, spec.path, body);
    if (state.watch !== watch) return;
    dialog.busy = false;
    closeDialog();
    setMessage(spec.done(result, body));
    pollSoon();
    if (spec.after) spec.after();
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    renderAlert($('act-error'), { kind: 'error', text: serverMessage(error) });
    $('act-error').focus();
  } finally {
    dialog.busy = false;
    button.disabled = false;
    button.classList.remove('is-busy');
    $('act-dialog').removeAttribute('aria-busy');
  }
}

/** Who an action is for, in words: {candidate: id}, {room: name} or {} (the whole sitting). */
function targetText(scope) {
  if (scope && scope.candidate) {
    const entry = entryOf(scope.candidate);
    return entry ? whoWithRoom(entry.row) : text(scope.candidate);
  }
  if (scope && scope.room) return t('proctor.target.room', { room: text(scope.room) });
  return t('proctor.target.sitting');
}

function affected(result) {
  return formatNumber(result && result.affected !== undefined ? result.affected : 1);
}

function scopeBody(scope) {
  if (scope.candidate) return { candidate: scope.candidate };
  if (scope.room) return { room: scope.room };
  return {};
}

function openWarn(row) {
  const target = { candidate: row.id };
  const area = textArea(200, 3);
  const presets = el('div', { class: 'preset-list', attrs: { role: 'group', 'aria-label': t('proctor.warn.presets') } }, WARN_PRESETS.map((key) => el('button', {
    class: 'btn btn-ghost btn-sm preset', attrs: { type: 'button' },
    on: {
      click: () => {
        area.value = t(key);
        showFieldError('act-text', null);
        area.focus();
      },
    },
    text: t(key),
  })));
  openDialog({
    action: 'warn', path: 'warn', titleKey: 'proctor.warn.title', submitKey: 'proctor.warn.submit', target,
    fields: [
      field({ id: 'act-text', labelKey: 'proctor.warn.text', control: area, hintKey: row.connected ? 'proctor.warn.hint' : 'proctor.warn.hintOffline' }),
      el('div', { class: 'field' }, [el('span', { class: 'field-label', text: t('proctor.warn.presets') }), presets]),
    ],
    collect: () => {
      const value = requiredText('act-text', 200, 'proctor.warn.needText');
      return value ? { candidate: row.id, text: value } : null;
    },
    done: () => ({ kind: 'success', key: 'proctor.warn.done', target }),
  });
}

function openPause(scope) {
  const target = scope;
  openDialog({
    action: 'pause', path: 'pause', titleKey: 'proctor.pause.title', submitKey: 'proctor.pause.submit', target,
    fields: [
      el('p', { class: 'act-note', text: t(scope.candidate ? 'proctor.pause.noteCandidate' : 'proctor.pause.noteMany') }),
      field({ id: 'act-reason', labelKey: 'proctor.field.reason', control: textArea(200, 3), hintKey: 'proctor.field.reasonHint', hintParams: { max: 200 } }),
    ],
    collect: () => {
      const reason = requiredText('act-reason', 200, 'proctor.field.needReason');
      return reason ? { ...scopeBody(scope), reason } : null;
    },
    done: (result) => ({ kind: 'success', key: scope.candidate ? 'proctor.pause.doneOne' : 'proctor.pause.done', target, params: { n: affected(result) } }),
  });
}

function openResume(scope) {
  const target = scope;
  openDialog({
    action: 'resume', path: 'resume', titleKey: 'proctor.resume.title', submitKey: 'proctor.resume.submit', target,
    fields: [el('p', { class: 'act-note', text: t('proctor.resume.note') })],
    collect: () => scopeBody(scope),
    done: (result) => ({ kind: 'success', key: scope.candidate ? 'proctor.resume.doneOne' : 'proctor.resume.done', target, params: { n: affected(result) } }),
  });
}

function openExtend(scope) {
  const target = scope;
  const minutes = el('input', { class: 'input-plain act-number', attrs: { type: 'number', min: 1, max: 120, step: 1, inputmode: 'numeric' } });
  minutes.value = '5';
  openDialog({
    action: 'extend', path: 'extend', titleKey: 'proctor.extend.title', submitKey: 'proctor.extend.submit', target,
    fields: [
      field({ id: 'act-minutes', labelKey: 'proctor.extend.minutes', control: minutes, hintKey: 'proctor.extend.minutesHint' }),
      field({ id: 'act-reason', labelKey: 'proctor.field.reason', control: textArea(200, 3), hintKey: 'proctor.extend.reasonHint' }),
    ],
    collect: () => {
      const value = Number($('act-minutes').value);
      let ok = true;
      if (!Number.isInteger(value) || value < 1 || value > 120) {
        showFieldError('act-minutes', t('proctor.extend.badMinutes'));
        ok = false;
      } else {
        showFieldError('act-minutes', null);
      }
      const reason = requiredText('act-reason', 200, 'proctor.field.needReason');
      return ok && reason ? { ...scopeBody(scope), seconds: value * 60, reason } : null;
    },
    done: (_, body) => ({ kind: 'success', key: 'proctor.extend.done', target, params: { n: formatNumber(body.seconds / 60) } }),
  });
}

function openAdmit(row) {
  const target = { candidate: row.id };
  openDialog({
    action: 'admit', path: 'admit', titleKey: 'proctor.admit.title', submitKey: 'proctor.admit.submit', target,
    fields: [
      el('p', { class: 'act-note', text: t('proctor.admit.note') }),
      field({ id: 'act-reason', labelKey: 'proctor.field.reason', control: textArea(200, 3), hintKey: 'proctor.field.reasonHint', hintParams: { max: 200 } }),
    ],
    collect: () => {
      const reason = requiredText('act-reason', 200, 'proctor.field.needReason');
      return reason ? { candidate: row.id, reason } : null;
    },
    done: () => ({ kind: 'success', key: 'proctor.admit.done', target }),
  });
}

function openIrregularity(row) {
  const target = row ? { candidate: row.id } : {};
  openDialog({
    action: 'irregularity', path: 'irregularities', titleKey: row ? 'proctor.irregularity.title' : 'proctor.irregularity.titleSitting',
    submitKey: 'proctor.irregularity.submit', target,
    fields: [
      field({ id: 'act-text', labelKey: 'proctor.irregularity.text', control: textArea(1000, 5), hintKey: 'proctor.irregularity.hint' }),
    ],
    collect: () => {
      const value = requiredText('act-text', 1000, 'proctor.irregularity.needText');
      if (!value) return null;
      return row ? { candidate: row.id, text: value } : { text: value };
    },
    done: () => ({ kind: 'success', key: 'proctor.irregularity.done', target }),
  });
}

function openMisconduct(entry) {
  const watch = state.watch;
  const { row } = entry;
  const target = { candidate: row.id };
  const answering = row.state === 'answering' || row.state === 'paused';
  const events = watch.events.filter((event) => event.candidate === row.id).slice(0, MAX_EVIDENCE * 2);
  const shots = list((watch.snapshots[row.id] || {}).data).slice().reverse();

  const tiers = el('fieldset', { class: 'act-fieldset tier-choices', attrs: { id: 'act-tier' } }, [
    el('legend', { class: 'field-label' }, [el('span', { text: t('proctor.misconduct.tier') }), el('span', { class: 'reg-required', attrs: { 'aria-hidden': 'true' }, text: ' *' })]),
    ...TIERS.map((tier) => el('label', { class: 'tier-choice', attrs: { for: `act-tier-${tier}` } }, [
      el('input', { attrs: { type: 'radio', name: 'act-tier', id: `act-tier-${tier}`, value: tier, checked: tier === 'warning' }, on: { change: update } }),
      el('span', { class: 'tier-choice-text' }, [
        tierTag(tier),
        el('span', { class: 'tier-choice-desc', text: t(`proctor.tierDesc.${tier}`) }),
      ]),
    ])),
  ]);
  const points = el('input', { class: 'input-plain act-number', attrs: { type: 'number', min: 1, max: 100, step: 1, inputmode: 'numeric' } });
  const years = el('input', { class: 'input-plain act-number', attrs: { type: 'number', min: 1, max: 10, step: 1, inputmode: 'numeric' } });
  const pointsField = field({ id: 'act-points', labelKey: 'proctor.misconduct.points', control: points, hintKey: 'proctor.misconduct.pointsHint' });
  const yearsField = field({ id: 'act-years', labelKey: 'proctor.misconduct.banYears', control: years, hintKey: 'proctor.misconduct.banYearsHint' });
  const terminate = el('label', { class: 'check-line', attrs: { for: 'act-terminate' } }, [
    el('input', { attrs: { type: 'checkbox', id: 'act-terminate' }, on: { change: update } }),
    el('span', { text: t('proctor.misconduct.terminate') }),
  ]);
  const endsBox = el('div', { class: 'ends-box', attrs: { id: 'act-ends' } }, [
    el('p', { class: 'ends-text' }, [icon('alert'), el('span', { text: t(answering ? 'proctor.misconduct.ends' : 'proctor.misconduct.endsFinished') })]),
    el('label', { class: 'check-line', attrs: { for: 'act-confirm' } }, [
      el('input', { attrs: { type: 'checkbox', id: 'act-confirm', 'aria-describedby': 'act-confirm-error' } }),
      el('span', { text: t('proctor.misconduct.confirm') }),
    ]),
    el('p', { class: 'field-error', attrs: { id: 'act-confirm-error', hidden: true } }),
  ]);
  const eventList = events.length
    ? el('ul', { class: 'evidence-list', attrs: { role: 'list' } }, events.map((event) => el('li', {}, el('label', { class: 'check-line evidence-item', attrs: { for: `act-ev-${event.id}` } }, [
      el('input', { attrs: { type: 'checkbox', id: `act-ev-${event.id}`, value: String(event.id) }, dataset: { evidence: 'event' } }),
      el('span', { class: `evidence-text level-${kindLevel(event.kind)}` }, [
        el('span', { class: 'evidence-time', text: timeOfDay(event.at) }),
        el('strong', { text: label('proctor.kind', event.kind) }),
        eventDetail(event) ? el('span', { class: 'evidence-detail', text: eventDetail(event) }) : null,
      ]),
    ]))))
    : el('p', { class: 'muted-note', text: t('proctor.misconduct.noEvents') });
  const shotList = shots.length
    ? el('ul', { class: 'evidence-shots', attrs: { role: 'list' } }, shots.map((shot) => el('li', {}, el('label', { class: 'evidence-shot', attrs: { for: `act-shot-${shot.id}` } }, [
      el('input', { attrs: { type: 'checkbox', id: `act-shot-${shot.id}`, value: String(shot.id) }, dataset: { evidence: 'snapshot' } }),
      snapshotImage(watch.id, shot, t('proctor.shot.alt', { name: text(row.name), time: timeOfDay(shot.takenAt) }), 'evidence-shot-img'),
      el('span', { class: 'evidence-time', text: timeOfDay(shot.takenAt) }),
    ]))))
    : el('p', { class: 'muted-note', text: t('proctor.misconduct.noSnapshots') });
  const evidence = el('fieldset', { class: 'act-fieldset evidence', attrs: { id: 'act-evidence', 'aria-describedby': 'act-evidence-error' } }, [
    el('legend', { class: 'field-label', text: t('proctor.misconduct.evidence') }),
    el('p', { class: 'field-hint', text: t('proctor.misconduct.evidenceHint', { max: MAX_EVIDENCE }) }),
    el('h3', { class: 'evidence-heading', text: t('proctor.misconduct.evidenceEvents') }),
    eventList,
    el('h3', { class: 'evidence-heading', text: t('proctor.misconduct.evidenceSnapshots') }),
    shotList,
    el('p', { class: 'field-error', attrs: { id: 'act-evidence-error', hidden: true } }),
  ]);
  const reason = field({ id: 'act-reason', labelKey: 'proctor.misconduct.reason', control: textArea(500, 4), hintKey: 'proctor.misconduct.reasonHint' });

  function chosenTier() {
    const checked = document.querySelector('input[name="act-tier"]:checked');
    return checked ? checked.value : 'warning';
  }
  function update() {
    const tier = chosenTier();
    const ends = ENDING_TIERS.has(tier) || (document.getElementById('act-terminate') || {}).checked === true;
    pointsField.hidden = tier !== 'deduction';
    yearsField.hidden = tier !== 'ban';
    terminate.hidden = ENDING_TIERS.has(tier) || !answering;
    endsBox.hidden = !ends;
    setSubmit(ends && answering ? 'proctor.misconduct.submitEnds' : 'proctor.misconduct.submit', ends && answering);
    $('act-dialog').classList.toggle('is-danger', ends && answering);
  }

  openDialog({
    action: 'misconduct', path: 'misconduct', titleKey: 'proctor.misconduct.title', submitKey: 'proctor.misconduct.submit', target,
    fields: [tiers, pointsField, yearsField, terminate, endsBox, reason, evidence],
    collect: () => {
      const tier = chosenTier();
      let ok = true;
      const body = { candidate: row.id, tier };
      if (tier === 'deduction') {
        const value = Number(points.value);
        if (!Number.isInteger(value) || value < 1 || value > 100) {
          showFieldError('act-points', t('proctor.misconduct.badPoints'));
          ok = false;
        } else {
          showFieldError('act-points', null);
          body.points = value;
        }
      }
      if (tier === 'ban') {
        const value = Number(years.value);
        if (!Number.isInteger(value) || value < 1 || value > 10) {
          showFieldError('act-years', t('proctor.misconduct.badYears'));
          ok = false;
        } else {
          showFieldError('act-years', null);
          body.banYears = value;
        }
      }
      const reasonText = requiredText('act-reason', 500, 'proctor.field.needReason');
      if (!reasonText) ok = false;
      body.reason = reasonText;
      const terminateBox = $('act-terminate');
      const ends = ENDING_TIERS.has(tier) || (terminateBox && !terminate.hidden && terminateBox.checked);
      if (!ENDING_TIERS.has(tier) && terminateBox && !terminate.hidden && terminateBox.checked) body.terminate = true;
      const confirmError = $('act-confirm-error');
      if (ends && !$('act-confirm').checked) {
        confirmError.hidden = false;
        confirmError.textContent = t('proctor.misconduct.needConfirm');
        $('act-confirm').setAttribute('aria-invalid', 'true');
        ok = false;
      } else {
        confirmError.hidden = true;
        $('act-confirm').removeAttribute('aria-invalid');
      }
      body.events = Array.from($('act-fields').querySelectorAll('input[data-evidence="event"]:checked')).map((box) => Number(box.value));
      body.snapshots = Array.from($('act-fields').querySelectorAll('input[data-evidence="snapshot"]:checked')).map((box) => Number(box.value));
      const evidenceError = $('act-evidence-error');
      if (body.events.length + body.snapshots.length > MAX_EVIDENCE) {
        evidenceError.hidden = false;
        evidenceError.textContent = t('proctor.misconduct.tooMuchEvidence', { max: MAX_EVIDENCE });
        ok = false;
      } else {
        evidenceError.hidden = true;
      }
      return ok ? body : null;
    },
    done: (result, body) => ({
      kind: 'success',
      key: result && result.decision && result.decision.terminated ? 'proctor.misconduct.doneEnded' : 'proctor.misconduct.done',
      target,
      params: { tier: body.tier },
    }),
    after: () => loadDecisions(watch),
  });
  update();
}

// ---------------------------------------------------------------- the clock

/** Counts down and ages the times on show, between polls, from the server's clock. */
function tick() {
  const watch = state.watch;
  if (!watch || !watch.dashboard) return;
  const now = serverNow();
  for (const node of document.querySelectorAll('[data-deadline]')) {
    const deadline = parseTime(node.dataset.deadline);
    if (deadline === null) continue;
    const seconds = (deadline - now) / 1000;
    const value = clock(seconds);
    if (node.textContent !== value) node.textContent = value;
    node.classList.toggle('is-low', seconds > 0 && seconds <= 300);
    node.classList.toggle('is-out', seconds <= 0);
  }
  for (const node of document.querySelectorAll('[data-ago]')) {
    const value = ago(node.dataset.ago);
    if (node.textContent !== value) node.textContent = value;
  }
  for (const node of document.querySelectorAll('[data-until]')) {
    const at = parseTime(node.dataset.until);
    node.textContent = at === null ? '—' : clock((at - now) / 1000);
  }
  for (const node of document.querySelectorAll('[data-since]')) {
    const at = parseTime(node.dataset.since);
    node.textContent = at === null ? '—' : clock((now - at) / 1000);
  }
  const sync = document.querySelector('#sync .sync-text');
  if (sync && !watch.pollError && watch.polledAt) {
    const seconds = Math.max(0, Math.round((Date.now() - watch.polledAt) / 1000));
    const value = seconds <= 3 ? t('proctor.sync.live') : t('proctor.sync.stale', { n: seconds });
    if (sync.textContent !== value) sync.textContent = value;
  }
}

// ---------------------------------------------------------------- page

function sittingParam() {
  const value = new URLSearchParams(window.location.search).get('sitting');
  return value && value.trim() ? value.trim() : null;
}

function renderAll() {
  if (!state.me) return;
  renderUserHeader(state.me);
  if (!holdsAny(PAGE_ROLES)) return;
  const watching = Boolean(state.watch);
  $('chooser').hidden = watching;
  $('console').hidden = !watching;
  const crumb = $('breadcrumb-page');
  if (watching) {
    crumb.removeAttribute('aria-current');
    replaceChildren(crumb, el('a', { attrs: { href: '/proctor.html', id: 'breadcrumb-home' }, text: t('proctor.title') }));
  } else {
    crumb.setAttribute('aria-current', 'page');
    crumb.textContent = t('proctor.title');
    $('breadcrumb-sitting').hidden = true;
    document.title = t('proctor.pageTitle');
  }
  if (watching) {
    // Language changes rebuild everything.
    for (const id of ['grid-filter', 'feed-candidate', 'note-candidate']) signatures.delete($(id));
    renderConsole();
  } else {
    renderList();
  }
}

async function start() {
  const me = await loadSession();
  if (!me) return;
  state.me = me;
  $('page-status').hidden = true;
  document.body.classList.remove('is-loading');
  if (!holdsAny(PAGE_ROLES)) {
    renderUserHeader(me);
    $('access-denied').hidden = false;
    document.body.classList.add('is-denied');
    return;
  }
  $('content').hidden = false;
  const id = sittingParam();
  if (id) {
    document.body.classList.add('is-ready');
    await openSitting(id);
  } else {
    renderAll();
    loadOccupations();
    await loadList();
    document.body.classList.add('is-ready');
  }
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('chooser-refresh').addEventListener('click', loadList);
  $('grid-filter').addEventListener('change', (event) => {
    if (!state.watch) return;
    state.watch.filter = event.target.value;
    renderGrid();
  });
  for (const button of document.querySelectorAll('#grid-view button')) {
    button.addEventListener('click', () => setView(button.dataset.view));
  }
  $('feed-candidate').addEventListener('change', (event) => {
    if (!state.watch) return;
    state.watch.feedCandidate = event.target.value;
    renderFeed();
  });
  $('feed-incidents').addEventListener('change', (event) => {
    if (!state.watch) return;
    state.watch.feedIncidents = event.target.checked;
    renderFeed();
  });
  for (const name of TABS) {
    $(`tab-${name}`).addEventListener('click', () => selectTab(name));
    $(`tab-${name}`).addEventListener('keydown', onTabKey);
  }
  $('detail').addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('act-dialog').open) {
      event.preventDefault();
      deselect();
    }
  });
  $('note-form').addEventListener('submit', onNoteSubmit);
  $('note-text').addEventListener('input', () => {
    if ($('note-text').getAttribute('aria-invalid') === 'true' && $('note-text').value.trim()) {
      $('note-text').removeAttribute('aria-invalid');
      $('note-text-error').hidden = true;
    }
  });
  $('coverage-refresh').addEventListener('click', () => {
    if (state.watch) loadCoverage(state.watch);
  });
  $('act-form').addEventListener('submit', onDialogSubmit);
  $('act-cancel').addEventListener('click', closeDialog);
  $('act-close').addEventListener('click', closeDialog);
  $('act-dialog').addEventListener('cancel', (event) => {
    if (dialog.busy) event.preventDefault();
  });
  $('act-dialog').addEventListener('close', () => {
    dialog.spec = null;
    replaceChildren($('act-fields'));
    const back = dialog.returnFocus;
    dialog.returnFocus = null;
    if (back) back();
  });
  document.addEventListener('assay:langchange', () => {
    images.clear();
    renderAll();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  window.setInterval(tick, 1000);
  start();
}

init();
