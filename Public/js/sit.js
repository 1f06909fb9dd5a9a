// The candidate's exam page (/sit.html, docs/PROTOCOL.md): sign in with the admission ticket and
// ID number, confirm who you are, wait for the start, answer the paper, hand in, keep the receipt.
//
// - The token from sign-in lives in sessionStorage (this tab only) and is sent as a Bearer token
//   when asking for a WebSocket ticket; nothing else of the session is kept by the page.
// - Every change goes through the IndexedDB queue (sit-queue.js) with its seq and stays there until
//   the server acknowledges it; the save state in the header counts what is still queued.
// - Time comes from the server: a clock offset is taken from welcome/time/pong against the
//   page's monotonic clock (performance.timeOrigin + performance.now()), never the wall clock alone.
// - Proctoring events (visibility, focus, fullscreen, copy, paste, context menu, offline/online)
//   are queued like changes.
//
// `window.__assaySit` offers a read-only snapshot and `dropConnection()`, which closes the socket as
// a network cut would (the browser tests use it: DevTools offline emulation may leave an open
// WebSocket alone).
import { ApiError } from './api.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatNumber, has, t } from './i18n.js';
import './sit-i18n.js';
import { ChangeQueue, queueName } from './sit-queue.js';
import { SitConnection, sitApi, sitRequest } from './sit-connection.js';
import {
  MAX_FILE_BYTES, MAX_FILES, fileType, isAnswered, renderItem, sectionLabel, sitIcon, workAnswer,
} from './sit-items.js';
import { SitCamera } from './sit-camera.js';
import { installProctoring } from './sit-proctor.js';
import {
  beijing, beijingFull, beijingTime, clock, duration, localNow, observePong, observeServerTime, serverNow, wallClockOffset,
} from './sit-time.js';

const SESSION_KEY = 'assay.sit';
const DEBOUNCE_MS = 600;
/** The server closes frames over 16 KiB (1009); keep well under it. */
const MAX_FRAME_BYTES = 16 * 1024 - 256;
const WARN_SECONDS = 300;
const CRITICAL_SECONDS = 60;
/** Crockford base-32, as ExamCore.TicketCode (no I, L, O, U once normalised). */
const TICKET_PATTERN = /^[0-9A-HJKMNP-TV-Z]{12}$/;

const $ = (id) => document.getElementById(id);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const encoder = new TextEncoder();

const state = {
  /** {token, sitting, candidate:{name, room, seat}, expiresAt, code, confirmed, receipt} */
  session: null,
  /** The admission ticket as /api/v1/tickets/mine gives it (sitting details, rules), when loaded. */
  ticket: null,
  view: 'login',
  login: { busy: false, problems: {}, summary: null },
  /** welcome.sitting */
  sitting: null,
  /** 'waiting' | 'answering' | 'paused' | 'handedIn' as the server last said. */
  serverState: null,
  /** The last `time` message, with `startsAt`/`deadline`/`earliestHandIn` as ms. */
  time: null,
  /** Connection: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline' | 'stopped'. */
  conn: 'idle',
  welcomed: false,
  /** Why the page stopped: {kind: 'close'|'refused', code, reason}. */
  stopped: null,
  items: [],
  indexOf: new Map(),
  current: 0,
  /** What the page shows: item key → answer; flagged keys. */
  answers: {},
  flags: new Set(),
  /** What the server holds (welcome, then acknowledged changes): {answers, flags, seqs}. */
  confirmed: { answers: {}, flags: new Set(), answerSeq: {}, flagSeq: {} },
  /** Debounced text answers not yet queued: key → timer. */
  pending: new Map(),
  /** Items whose answer is too long to send: key → message. */
  problems: {},
  /** Files of practical tasks: id → {name, bytes}; uploads in progress or refused: key → {busy, problem}. */
  files: new Map(),
  uploads: {},
  queue: null,
  /** Seqs sent on the current socket. */
  sent: new Set(),
  receipt: null,
  /** The candidate's `sealedPaper` box until the key comes (bytes; never stored). */
  sealed: null,
  /** How the paper came: 'sealed' (opened with the key), 'clear', or 'clearAfterReconnect'. */
  paperVia: null,
  handIn: { open: false, busy: false, error: null },
  warnings: [],
  /** The latest time notice (an extension's reason). */
  notice: null,
  noticeDismissed: false,
  warnedFive: false,
};

let connection = null;

// ---------------------------------------------------------------- session (sessionStorage)

function readSession() {
  try {
    const raw = window.sessionStorage.getItem(SESSION_KEY);
    const session = raw ? JSON.parse(raw) : null;
    if (!session || typeof session.token !== 'string' || typeof session.sitting !== 'string') return null;
    if (session.expiresAt && Date.parse(session.expiresAt) < Date.now()) return null;
    return session;
  } catch {
    return null;
  }
}

function saveSession() {
  try {
    if (state.session) window.sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
    else window.sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage disabled: the session lasts while the page is open.
  }
}

/** A ticket code as the server reads it: no case, spaces or dashes; O, I, L read as 0, 1, 1. */
function normaliseCode(raw) {
  return text(raw).toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

function formatCode(raw) {
  const code = text(raw).toUpperCase().replace(/[\s-]/g, '');
  return code.length === 12 ? `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}` : text(raw);
}

// ---------------------------------------------------------------- small view helpers

function showView(view) {
  state.view = view;
  document.body.dataset.view = view;
  for (const name of ['login', 'confirm', 'waiting', 'paper', 'receipt', 'stopped']) $(`view-${name}`).hidden = name !== view;
  $('sit-status').hidden = view === 'login' || view === 'confirm';
}

function toast(message, kind = 'error') {
  const box = $('sit-toast');
  box.dataset.kind = kind;
  replaceChildren(box, [kind === 'ok' ? icon('check') : icon('alert'), el('span', { text: message })]);
  box.classList.add('is-visible');
  window.clearTimeout(toast.timer);
  toast.timer = window.setTimeout(() => box.classList.remove('is-visible'), 7000);
}

function announce(message) {
  const region = $('sit-announce');
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function errorText(code, fallback) {
  return has(`sit.error.${code}`) ? t(`sit.error.${code}`) : text(fallback) || t('sit.error.generic');
}

function dl(rows) {
  return el('dl', { class: 'sit-facts' }, rows.filter(Boolean).flatMap(([label, value, cls]) => [
    el('dt', { text: label }), el('dd', { class: cls || null, text: value }),
  ]));
}

// ---------------------------------------------------------------- 1. sign in

const LOGIN_FIELDS = { ticket: 'sit-ticket', idNumber: 'sit-idnumber' };

function renderLogin() {
  const { problems, summary, busy } = state.login;
  for (const [name, id] of Object.entries(LOGIN_FIELDS)) {
    const input = $(id);
    const box = $(`${id}-error`);
    const problem = problems[name];
    if (problem) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    box.hidden = !problem;
    box.textContent = problem ? t(problem.key, problem.params) : '';
  }
  const alert = $('sit-login-error');
  alert.classList.toggle('is-visible', Boolean(summary));
  if (summary) {
    alert.dataset.code = summary.code || '';
    replaceChildren(alert, [icon('alert'), el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: t(summary.key, summary.params) }),
      summary.detail ? el('span', { class: 'alert-detail', text: summary.detail }) : null,
    ])]);
  } else {
    alert.replaceChildren();
    delete alert.dataset.code;
  }
  const button = $('sit-login-submit');
  button.disabled = busy;
  button.classList.toggle('is-busy', busy);
  button.setAttribute('aria-busy', busy ? 'true' : 'false');
  button.querySelector('.btn-label').textContent = t(busy ? 'sit.login.submitting' : 'sit.login.submit');
  const notice = $('sit-login-notice');
  notice.hidden = !state.login.notice;
  notice.textContent = state.login.notice ? t(state.login.notice) : '';
}

async function onLogin(event) {
  event.preventDefault();
  if (state.login.busy) return;
  const code = $('sit-ticket').value.trim();
  const idNumber = $('sit-idnumber').value.trim();
  const problems = {};
  if (!code) problems.ticket = { key: 'sit.login.needTicket' };
  else if (!TICKET_PATTERN.test(normaliseCode(code))) problems.ticket = { key: 'sit.error.bad_ticket' };
  if (!idNumber) problems.idNumber = { key: 'sit.login.needIdNumber' };
  state.login = { busy: false, problems, summary: null, notice: state.login.notice };
  if (Object.keys(problems).length) {
    renderLogin();
    $(problems.ticket ? 'sit-ticket' : 'sit-idnumber').focus();
    return;
  }
  state.login.busy = true;
  renderLogin();
  let result;
  try {
    result = await sitApi.login(code, idNumber);
  } catch (error) {
    state.login.busy = false;
    const codeName = error instanceof ApiError ? error.code : 'generic';
    if (codeName === 'bad_ticket') {
      state.login.problems.ticket = { key: 'sit.error.bad_ticket' };
    } else if (codeName === 'wrong_ticket') {
      state.login.problems.ticket = { key: 'sit.login.checkThis' };
      state.login.problems.idNumber = { key: 'sit.login.checkThis' };
      state.login.summary = { code: codeName, key: 'sit.error.wrong_ticket' };
    } else if (codeName === 'too_many_attempts') {
      state.login.summary = error.retryAfter
        ? { code: codeName, key: 'sit.error.too_many_attempts', params: { seconds: error.retryAfter } }
        : { code: codeName, key: 'sit.error.too_many_attempts_unknown' };
    } else if (has(`sit.error.${codeName}`)) {
      state.login.summary = { code: codeName, key: `sit.error.${codeName}` };
    } else {
      state.login.summary = { code: codeName, key: 'sit.error.loginFailed', detail: error && error.message };
    }
    renderLogin();
    if (state.login.problems.ticket && !state.login.summary) $('sit-ticket').focus();
    else $('sit-login-error').focus();
    return;
  }
  state.login = { busy: false, problems: {}, summary: null };
  $('sit-idnumber').value = '';
  renderLogin();
  resetSitting();
  state.session = {
    token: result.token, sitting: result.sitting, expiresAt: result.expiresAt,
    candidate: result.candidate || {}, code: normaliseCode(code), confirmed: false,
  };
  saveSession();
  showConfirm();
}

// ---------------------------------------------------------------- 2. identity confirmation

async function loadTicket() {
  if (!state.session) return;
  try {
    const body = await sitApi.tickets(state.session.token);
    state.ticket = list(body && body.tickets).find((ticket) => ticket && ticket.sitting && ticket.sitting.id === state.session.sitting) || null;
  } catch {
    state.ticket = null;
  }
  render();
}

function rules() {
  const fromTicket = list(state.ticket && state.ticket.rules).filter((rule) => typeof rule === 'string' && rule.trim());
  return fromTicket.length ? fromTicket : [t('sit.rules.default1'), t('sit.rules.default2'), t('sit.rules.default3')];
}

function rulesBlock(id) {
  return el('section', { class: 'sit-rules', attrs: { 'aria-labelledby': id } }, [
    el('h2', { class: 'sit-rules-title', attrs: { id }, text: t('sit.rules.title') }),
    el('ol', { class: 'sit-rules-list' }, rules().map((rule) => el('li', { text: rule }))),
  ]);
}

function sittingName() {
  if (state.sitting && state.sitting.title) return text(state.sitting.title);
  const sitting = state.ticket && state.ticket.sitting;
  if (!sitting) return '';
  const direction = sitting.direction && sitting.direction !== '不分方向' ? `（${sitting.direction}）` : '';
  return `${text(sitting.occupationName)} ${text(sitting.level)}${direction} ${text(sitting.partName)}`.trim();
}

function showConfirm() {
  showView('confirm');
  renderConfirm();
  loadTicket();
  $('sit-confirm-title').focus();
}

function renderConfirm() {
  const session = state.session;
  const candidate = session.candidate || {};
  const sitting = state.ticket && state.ticket.sitting;
  replaceChildren($('view-confirm'), [
    el('div', { class: 'sit-card sit-confirm' }, [
      el('h1', { class: 'sit-title', attrs: { id: 'sit-confirm-title', tabindex: '-1' }, text: t('sit.confirm.title') }),
      el('p', { class: 'sit-lead', text: t('sit.confirm.lead') }),
      el('div', { class: 'sit-identity' }, [
        el('div', { class: 'sit-identity-name' }, [
          el('span', { class: 'sit-identity-label', text: t('sit.field.name') }),
          el('strong', { attrs: { id: 'sit-confirm-name' }, text: text(candidate.name) }),
        ]),
        el('div', { class: 'sit-identity-seat' }, [
          el('span', { class: 'sit-identity-label', text: t('sit.field.room') }),
          el('strong', { attrs: { id: 'sit-confirm-room' }, text: text(candidate.room) }),
        ]),
        el('div', { class: 'sit-identity-seat' }, [
          el('span', { class: 'sit-identity-label', text: t('sit.field.seat') }),
          el('strong', { attrs: { id: 'sit-confirm-seat' }, text: t('sit.seatNumber', { n: text(candidate.seat) }) }),
        ]),
      ]),
      dl([
        [t('sit.field.code'), formatCode(session.code), 'mono'],
        sittingName() ? [t('sit.field.sitting'), sittingName()] : null,
        sitting ? [t('sit.field.startsAt'), beijing(sitting.startsAt)] : null,
        sitting ? [t('sit.field.duration'), t('sit.minutes', { n: sitting.durationMinutes })] : null,
        sitting && sitting.venue ? [t('sit.field.venue'), text(sitting.venue)] : null,
      ]),
      rulesBlock('sit-confirm-rules'),
      el('p', { class: 'sit-confirm-note', text: t('sit.confirm.note') }),
      el('div', { class: 'sit-actions' }, [
        el('button', { class: 'btn btn-outline btn-lg', attrs: { type: 'button', id: 'sit-not-me' }, text: t('sit.confirm.notMe'), on: { click: signOut } }),
        el('button', {
          class: 'btn btn-primary btn-lg', attrs: { type: 'button', id: 'sit-confirm' }, text: t('sit.confirm.go'), on: { click: onConfirm },
        }),
      ]),
    ]),
  ]);
}

function onConfirm() {
  state.session.confirmed = true;
  saveSession();
  startSitting();
}

/** Forgets everything of a sitting this page held (the queue stays in IndexedDB). */
function resetSitting() {
  if (connection) connection.stop();
  connection = null;
  for (const timer of state.pending.values()) window.clearTimeout(timer);
  Object.assign(state, {
    ticket: null, sitting: null, serverState: null, time: null, conn: 'idle', welcomed: false, stopped: null,
    items: [], indexOf: new Map(), current: 0, answers: {}, flags: new Set(),
    confirmed: { answers: {}, flags: new Set(), answerSeq: {}, flagSeq: {} },
    pending: new Map(), problems: {}, files: new Map(), uploads: {}, queue: null, sent: new Set(), receipt: null, sealed: null, paperVia: null,
    handIn: { open: false, busy: false, error: null }, warnings: [], notice: null, noticeDismissed: false, warnedFive: false,
  });
  for (const id of ['sit-handin-dialog', 'sit-warning-dialog']) if ($(id).open) $(id).close();
  renderNotices();
}

function signOut() {
  stopCamera();
  // Ends the server session too (best effort): the next candidate at this computer starts clean.
  if (state.session) sitRequest('POST', '/api/v1/auth/logout', { token: state.session.token }).catch(() => {});
  resetSitting();
  state.session = null;
  saveSession();
  state.login = { busy: false, problems: {}, summary: null };
  showView('login');
  renderLogin();
  $('sit-ticket').focus();
}

// ---------------------------------------------------------------- connection and queue

async function startSitting() {
  const session = state.session;
  if (!state.ticket) loadTicket();
  state.receipt = session.receipt || null;
  if (state.receipt) {
    showView('receipt');
    render();
    return;
  }
  showView('waiting');
  render();
  const candidate = session.candidate || {};
  if (!state.queue) state.queue = await ChangeQueue.open(queueName(session.sitting, text(candidate.room), text(candidate.seat)));
  startProctoring();
  connection = new SitConnection({
    sitting: session.sitting,
    token: session.token,
    onStatus: (status) => {
      state.conn = status;
      if (status !== 'open') state.welcomed = false;
      renderStatus();
      renderNotices();
      if (state.view === 'waiting') renderWaiting();
    },
    onMessage: (message) => handleMessage(message),
    onReady: () => {
      state.welcomed = true;
      state.sent = new Set();
      for (const entry of state.queue.entries()) sendEntry(entry);
      renderStatus();
      if (state.view === 'waiting') renderWaiting();
    },
    onStop: (why) => stoppedBy({ kind: 'close', ...why }),
    onRefused: (error) => {
      if (error.status === 401) {
        state.session = null;
        saveSession();
        state.login = { busy: false, problems: {}, summary: null, notice: 'sit.login.expired' };
        showView('login');
        renderLogin();
        return;
      }
      stoppedBy({ kind: 'refused', code: error.code, reason: error.message });
    },
  });
  connection.start();
}

function stoppedBy(why) {
  state.conn = 'stopped';
  stopCamera();
  if (state.receipt) {
    showView('receipt');
    render();
    return;
  }
  state.stopped = why;
  showView('stopped');
  render();
}

function restartConnection() {
  state.stopped = null;
  if (connection) connection.stop();
  connection = null;
  startSitting();
}

function sendEntry(entry) {
  if (!entry || !connection || state.receipt || state.sent.has(entry.seq)) return;
  if (connection.send(entry)) state.sent.add(entry.seq);
}

/** Queues a change (it gets its seq), then sends it when connected. */
async function enqueue(message) {
  if (!state.queue) return null;
  const promise = state.queue.add(message);
  renderStatus();
  const entry = await promise;
  renderStatus();
  sendEntry(entry);
  return entry;
}

// ---------------------------------------------------------------- server messages

async function handleMessage(message) {
  switch (message.type) {
    case 'welcome': return onWelcome(message);
    case 'paper':
      if (!state.paperVia || state.paperVia === 'reconnect') state.paperVia = state.paperVia === 'reconnect' ? 'clearAfterReconnect' : 'clear';
      return onPaper(message);
    case 'time': return onTime(message);
    case 'ack': return onAck(message);
    case 'error': return onError(message);
    case 'warning': return onWarning(message);
    case 'handedIn': return onHandedIn(message.receipt);
    case 'pong': return observePong(message);
    case 'sealedPaper': return onSealedPaper(message);
    case 'paperKey': return onPaperKey(message);
    default: return undefined;
  }
}

function onWelcome(message) {
  observeServerTime(message.serverTime);
  if (message.state !== 'handedIn' && message.proctoring) startCamera(message.proctoring);
  state.sitting = message.sitting || state.sitting;
  state.serverState = message.state;
  if (message.candidate) state.session.candidate = { ...state.session.candidate, ...message.candidate };
  // Typed text still waiting for its debounce is queued first, so it counts as a local change.
  for (const key of [...state.pending.keys()]) flushItem(key);
  const lastSeq = Number(message.lastSeq) || 0;
  state.queue.settle(lastSeq);
  const answers = message.answers && typeof message.answers === 'object' ? message.answers : {};
  const flags = new Set(list(message.flags));
  state.confirmed = { answers: { ...answers }, flags: new Set(flags), answerSeq: {}, flagSeq: {} };
  const before = state.items.length ? state.answers[state.items[state.current].key] : undefined;
  const merged = { ...answers };
  // Newer local changes the server has not applied yet win over what it holds.
  for (const entry of state.queue.all()) {
    if (entry.type === 'save') {
      if (entry.answer === null || entry.answer === undefined) delete merged[entry.item];
      else merged[entry.item] = entry.answer;
    } else if (entry.type === 'flag') {
      if (entry.flagged) flags.add(entry.item);
      else flags.delete(entry.item);
    }
  }
  state.answers = merged;
  state.flags = flags;
  if (message.time) onTime({ ...message.time, type: 'time' }, { quiet: true });
  if (message.state === 'handedIn' && message.receipt) {
    onHandedIn(message.receipt);
    return;
  }
  if (state.view === 'stopped') showView('waiting');
  if (message.state === 'waiting' || !state.items.length) {
    if (state.view !== 'paper') showView('waiting');
  }
  const after = state.items.length ? state.answers[state.items[state.current].key] : undefined;
  if (state.view === 'paper' && !same(before, after)) renderItemArea();
  render({ keepItem: true });
}

function onPaper(message) {
  const items = list(message.items).filter((item) => item && typeof item.key === 'string');
  const changed = items.map((item) => item.key).join('|') !== state.items.map((item) => item.key).join('|');
  state.items = items;
  state.indexOf = new Map(items.map((item, index) => [item.key, index]));
  if (changed) state.current = 0;
  if (state.receipt) return;
  if (!changed && state.view === 'paper') {
    // The same paper again after a reconnection: keep the page as it is.
    renderNav();
    renderPager();
    return;
  }
  const first = state.view !== 'paper';
  showView('paper');
  render();
  if (items.some((item) => item.type === 'practical_task')) loadFiles();
  if (first) {
    announce(t('sit.paper.arrived'));
    window.scrollTo({ top: 0, behavior: 'auto' });
    $('sit-item-title')?.focus({ preventScroll: true });
  }
}

function base64Bytes(value) {
  const binary = window.atob(text(value));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The paper sealed ahead of the start (PROTOCOL.md "sealedPaper"): kept in memory only. */
function onSealedPaper(message) {
  try {
    state.sealed = message.algorithm === 'AES-256-GCM' ? base64Bytes(message.box) : null;
  } catch {
    state.sealed = null;
  }
}

/**
 * The sitting key at the start: opens the sealed paper. Where that is impossible (no sealed copy,
 * or no WebCrypto: browsers give `crypto.subtle` only to secure contexts, so not to a plain-HTTP
 * exam server on a LAN), the page reconnects at once: after the start a new connection gets the
 * paper itself.
 */
async function onPaperKey(message) {
  const box = state.sealed;
  try {
    const subtle = window.crypto && window.crypto.subtle;
    if (!subtle) throw new Error('WebCrypto unavailable (not a secure context)');
    if (!box || box.length < 28) throw new Error('no sealed paper');
    const key = await subtle.importKey('raw', base64Bytes(message.key), 'AES-GCM', false, ['decrypt']);
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv: box.slice(0, 12) }, key, box.slice(12));
    const paper = JSON.parse(new TextDecoder().decode(plain));
    if (!paper || paper.type !== 'paper') throw new Error('the sealed message is not a paper');
    state.sealed = null;
    state.paperVia = 'sealed';
    onPaper(paper);
  } catch (error) {
    console.warn('sealed paper not opened; reconnecting for the paper itself:', error && error.message);
    state.sealed = null;
    state.paperVia = 'reconnect';
    if (connection) {
      connection.drop('sealed paper not opened');
      connection.reconnectNow();
    }
  }
}

function onTime(message, { quiet = false } = {}) {
  if (!quiet) observeServerTime(message.serverTime);
  const ms = (value) => {
    const parsed = value ? Date.parse(value) : NaN;
    return Number.isFinite(parsed) ? parsed : null;
  };
  const previous = state.time;
  state.time = {
    state: message.state,
    startsAt: ms(message.startsAt),
    deadline: ms(message.deadline),
    remaining: typeof message.remainingSeconds === 'number' ? message.remainingSeconds : null,
    receivedAt: performance.now(),
    earliestHandIn: ms(message.earliestHandIn),
  };
  const wasPaused = state.serverState === 'paused';
  if (message.state) state.serverState = message.state;
  if (message.reason) {
    state.notice = { reason: text(message.reason), deadline: state.time.deadline, at: localNow() };
    state.noticeDismissed = false;
    if (previous && previous.deadline && state.time.deadline) state.notice.delta = Math.round((state.time.deadline - previous.deadline) / 1000);
    announce(t('sit.time.changed', { reason: text(message.reason) }));
  }
  if (state.time.remaining !== null && state.time.remaining > WARN_SECONDS) state.warnedFive = false;
  const paused = state.serverState === 'paused';
  renderNotices();
  renderClock();
  if (paused !== wasPaused && state.view === 'paper') renderItemArea();
}

function onAck(message) {
  const seq = Number(message.seq);
  const entry = state.queue && state.queue.get(seq);
  if (state.queue) state.queue.remove(seq);
  state.sent.delete(seq);
  if (entry && entry.type === 'save' && !((state.confirmed.answerSeq[entry.item] || 0) > seq)) {
    state.confirmed.answerSeq[entry.item] = seq;
    if (entry.answer === null || entry.answer === undefined) delete state.confirmed.answers[entry.item];
    else state.confirmed.answers[entry.item] = entry.answer;
  }
  if (entry && entry.type === 'flag' && !((state.confirmed.flagSeq[entry.item] || 0) > seq)) {
    state.confirmed.flagSeq[entry.item] = seq;
    if (entry.flagged) state.confirmed.flags.add(entry.item);
    else state.confirmed.flags.delete(entry.item);
  }
  renderStatus();
}

function onError(message) {
  const seq = Number(message.seq);
  const code = text(message.code);
  if (!Number.isFinite(seq) || seq <= 0) {
    // A malformed message (bad_message, unknown_type) is this page's fault, not the candidate's.
    console.warn('sitting protocol error', code, message.message);
    return;
  }
  const entry = state.queue && state.queue.get(seq);
  if (state.queue) state.queue.remove(seq);
  state.sent.delete(seq);
  renderStatus();
  if (entry && entry.type === 'handIn') {
    state.handIn.busy = false;
    state.handIn.error = { code, message: text(message.message) };
    if (code === 'handed_in') return;
    renderHandIn();
    if (!$('sit-handin-dialog').open) toast(errorText(code, message.message));
    return;
  }
  if (entry && entry.type === 'event') return;
  if (entry && entry.type === 'save') {
    // Nothing newer for the item is coming: show what the server holds again.
    const newer = state.pending.has(entry.item)
      || state.queue.all().some((other) => other.type === 'save' && other.item === entry.item && other.seq > seq);
    if (!newer) {
      const held = state.confirmed.answers[entry.item];
      if (held === undefined) delete state.answers[entry.item];
      else state.answers[entry.item] = held;
      if (currentItem() && currentItem().key === entry.item) renderItemArea();
      renderNav();
    }
  }
  if (entry && entry.type === 'flag') {
    const newer = state.queue.all().some((other) => other.type === 'flag' && other.item === entry.item && other.seq > seq);
    if (!newer) {
      if (state.confirmed.flags.has(entry.item)) state.flags.add(entry.item);
      else state.flags.delete(entry.item);
      if (currentItem() && currentItem().key === entry.item) renderItemArea();
      renderNav();
    }
  }
  const number = entry && entry.item && state.indexOf.has(entry.item) ? state.indexOf.get(entry.item) + 1 : null;
  toast(number ? t('sit.error.forItem', { n: number, message: errorText(code, message.message) }) : errorText(code, message.message));
}

function onWarning(message) {
  state.warnings.push({ text: text(message.text), at: message.at });
  renderWarning();
}

function onHandedIn(receipt) {
  if (!receipt) return;
  stopCamera();
  state.receipt = receipt;
  state.serverState = 'handedIn';
  for (const timer of state.pending.values()) window.clearTimeout(timer);
  state.pending.clear();
  if (state.queue) state.queue.clear();
  if (state.session) {
    state.session.receipt = receipt;
    saveSession();
  }
  const dialog = $('sit-handin-dialog');
  if (dialog.open) dialog.close();
  state.handIn = { open: false, busy: false, error: null };
  if (document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(() => {});
  showView('receipt');
  render();
  $('sit-receipt-title')?.focus();
}

// ---------------------------------------------------------------- answers

function currentItem() {
  return state.items[state.current] || null;
}

function remainingSeconds() {
  const time = state.time;
  if (!time) return null;
  if (state.serverState === 'paused' || time.deadline === null) {
    if (time.remaining === null) return null;
    if (state.serverState === 'paused') return time.remaining;
    return time.remaining - (performance.now() - time.receivedAt) / 1000;
  }
  return (time.deadline - serverNow()) / 1000;
}

function answeringOpen() {
  if (state.receipt || state.serverState !== 'answering') return false;
  const remaining = remainingSeconds();
  return remaining === null || remaining > 0;
}

function frameBytes(message) {
  return encoder.encode(JSON.stringify({ ...message, seq: 9007199254740991 })).length;
}

function flushItem(key) {
  const timer = state.pending.get(key);
  if (timer === undefined) return null;
  window.clearTimeout(timer);
  state.pending.delete(key);
  return saveItem(key);
}

function saveItem(key) {
  const answer = state.answers[key] ?? null;
  const message = { type: 'save', item: key, answer };
  if (frameBytes(message) > MAX_FRAME_BYTES) {
    // A frame over 16 KiB would close the connection (1009): refuse here and say why.
    state.problems[key] = t('sit.item.tooLong');
    renderStatus();
    if (currentItem() && currentItem().key === key) renderItemArea({ keepFocus: true });
    return null;
  }
  if (state.problems[key]) {
    delete state.problems[key];
    if (currentItem() && currentItem().key === key) renderItemArea({ keepFocus: true });
  }
  return enqueue(message);
}

function changeAnswer(item, answer, { debounce = false, flush = false } = {}) {
  if (!answeringOpen()) return;
  const key = item.key;
  const previous = state.answers[key];
  if (answer === null || answer === undefined) delete state.answers[key];
  else state.answers[key] = answer;
  if (flush) {
    flushItem(key);
  } else if (debounce) {
    window.clearTimeout(state.pending.get(key));
    state.pending.set(key, window.setTimeout(() => flushItem(key), DEBOUNCE_MS));
  } else {
    const timer = state.pending.get(key);
    if (timer !== undefined) {
      window.clearTimeout(timer);
      state.pending.delete(key);
    }
    if (!same(previous, answer)) saveItem(key);
  }
  if (isAnswered(item, previous) !== isAnswered(item, answer)) {
    renderNav();
    const clear = $('sit-clear');
    if (clear) clear.disabled = !isAnswered(item, answer);
  }
  renderStatus();
}

// ---------------------------------------------------------------- files of practical tasks

/** What this candidate uploaded (id → {name, bytes}), so attached files show their names after a reload. */
async function loadFiles() {
  if (!state.session) return;
  try {
    const data = await sitRequest('GET', `/api/v1/sit/${encodeURIComponent(state.session.sitting)}/files`, { token: state.session.token });
    for (const file of list(data && data.files)) state.files.set(file.id, { name: file.name, bytes: file.bytes });
    if (state.view === 'paper') renderItemArea({ keepFocus: true });
  } catch {
    // Names show as ids until the next load; the answer itself is unaffected.
  }
}

/** Checks a file here (type, size, count), uploads it, then saves the answer naming it. */
async function uploadFile(item, file) {
  const key = item.key;
  const attached = list(state.answers[key] && state.answers[key].files);
  const type = fileType(file);
  let problem = null;
  if (!type) problem = t('sit.file.badType');
  else if (file.size === 0) problem = t('sit.file.empty');
  else if (file.size > MAX_FILE_BYTES) problem = t('sit.file.tooBig', { max: 10 });
  else if (attached.length >= MAX_FILES) problem = t('sit.file.tooMany', { max: MAX_FILES });
  else if (state.conn !== 'open') problem = t('sit.file.offline');
  if (problem) {
    state.uploads[key] = { busy: false, problem };
    renderItemArea();
    return;
  }
  state.uploads[key] = { busy: true, problem: null };
  renderItemArea();
  try {
    const path = `/api/v1/sit/${encodeURIComponent(state.session.sitting)}/files?item=${encodeURIComponent(key)}&name=${encodeURIComponent(file.name)}`;
    const response = await fetch(path, {
      method: 'POST', body: file, credentials: 'omit', cache: 'no-store',
      headers: { Authorization: `Bearer ${state.session.token}`, 'Content-Type': type, Accept: 'application/json' },
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (data && data.error) || {};
      throw new Error(text(error.message) || t('sit.file.failed'));
    }
    const info = data.file;
    state.files.set(info.id, { name: info.name, bytes: info.bytes });
    state.uploads[key] = { busy: false, problem: null };
    const current = state.answers[key];
    // Typed text still waiting for its debounce goes in the same save.
    window.clearTimeout(state.pending.get(key));
    state.pending.delete(key);
    changeAnswer(item, workAnswer(current && current.text, [...list(current && current.files), info.id]));
    announce(t('sit.file.added', { name: info.name }));
  } catch (error) {
    state.uploads[key] = { busy: false, problem: error instanceof Error && error.message ? error.message : t('sit.file.failed') };
  }
  if (currentItem() && currentItem().key === key) renderItemArea();
}

function toggleFlag() {
  const item = currentItem();
  if (!item || state.receipt) return;
  const flagged = !state.flags.has(item.key);
  if (flagged) state.flags.add(item.key);
  else state.flags.delete(item.key);
  enqueue({ type: 'flag', item: item.key, flagged });
  const button = $('sit-flag');
  if (button) {
    button.classList.toggle('is-on', flagged);
    button.setAttribute('aria-pressed', flagged ? 'true' : 'false');
    button.querySelector('span').textContent = t(flagged ? 'sit.item.flagged' : 'sit.item.flag');
  }
  renderNav();
}

function clearAnswer() {
  const item = currentItem();
  if (!item || !isAnswered(item, state.answers[item.key])) return;
  changeAnswer(item, null);
  renderItemArea();
}

function goTo(index, { focus = true } = {}) {
  if (index < 0 || index >= state.items.length) return;
  const item = currentItem();
  if (item) flushItem(item.key);
  state.current = index;
  renderItemArea();
  renderNav();
  renderPager();
  // The item starts at the top of the page: show it from its heading.
  window.scrollTo({ top: 0, behavior: 'auto' });
  if (focus) $('sit-item-title')?.focus({ preventScroll: true });
}

// ---------------------------------------------------------------- rendering: status, clock, notices

function pendingCount() {
  return (state.queue ? state.queue.size : 0) + state.pending.size;
}

function renderStatus() {
  const conn = $('sit-conn');
  const status = state.conn === 'open' && !state.welcomed ? 'connecting' : state.conn;
  const connKey = {
    idle: 'sit.conn.connecting', connecting: 'sit.conn.connecting', open: 'sit.conn.open',
    reconnecting: 'sit.conn.reconnecting', offline: 'sit.conn.offline', stopped: 'sit.conn.stopped',
  }[status] || 'sit.conn.connecting';
  conn.dataset.state = state.receipt ? 'done' : status;
  replaceChildren(conn, [
    state.receipt ? icon('check')
      : status === 'open' ? sitIcon('wifi') : status === 'offline' || status === 'stopped' ? sitIcon('wifiOff') : el('span', { class: 'spinner spinner-dark' }),
    el('span', { text: t(state.receipt ? 'sit.conn.done' : connKey) }),
  ]);

  const save = $('sit-save');
  const inPaper = state.items.length > 0 && !state.receipt;
  save.hidden = !inPaper;
  const n = pendingCount();
  const problems = Object.keys(state.problems).length;
  let saveState;
  let saveKey;
  if (problems) {
    saveState = 'problem';
    saveKey = 'sit.save.problem';
  } else if (n === 0) {
    saveState = 'saved';
    saveKey = 'sit.save.saved';
  } else if (state.conn === 'open' && state.welcomed) {
    saveState = 'saving';
    saveKey = 'sit.save.saving';
  } else {
    saveState = 'offline';
    saveKey = state.queue && !state.queue.durable ? 'sit.save.offlineMemory' : 'sit.save.offline';
  }
  save.dataset.state = saveState;
  save.dataset.pending = String(n);
  replaceChildren(save, [
    saveState === 'saved' ? sitIcon('cloud') : saveState === 'saving' ? el('span', { class: 'spinner spinner-dark' }) : icon('alert'),
    el('span', { text: t(saveKey, { n, problems }) }),
  ]);

  const who = $('sit-who');
  const candidate = state.session && state.session.candidate;
  who.textContent = candidate ? t('sit.who', { name: text(candidate.name), seat: text(candidate.seat) }) : '';
}

function renderClock() {
  const timer = $('sit-timer');
  const showTimer = state.view === 'paper' && !state.receipt && state.time && state.serverState !== 'waiting';
  timer.hidden = !showTimer;
  if (showTimer) {
    const remaining = remainingSeconds();
    const paused = state.serverState === 'paused';
    const value = remaining === null ? '--:--:--' : duration(remaining);
    const label = paused ? t('sit.timer.paused') : remaining !== null && remaining <= 0 ? t('sit.timer.over') : t('sit.timer.remaining');
    if ($('sit-timer-value').textContent !== value) $('sit-timer-value').textContent = value;
    if ($('sit-timer-label').textContent !== label) $('sit-timer-label').textContent = label;
    timer.dataset.seconds = remaining === null ? '' : String(Math.max(0, Math.ceil(remaining)));
    timer.classList.toggle('is-paused', paused);
    timer.classList.toggle('is-warning', !paused && remaining !== null && remaining <= WARN_SECONDS);
    timer.classList.toggle('is-critical', !paused && remaining !== null && remaining <= CRITICAL_SECONDS);
    timer.setAttribute('aria-label', `${label} ${value}`);
    if (!paused && remaining !== null && remaining <= WARN_SECONDS && remaining > 0 && !state.warnedFive) {
      state.warnedFive = true;
      toast(t('sit.timer.fiveMinutes'), 'warn');
      announce(t('sit.timer.fiveMinutes'));
    }
    if (remaining !== null && remaining <= 0 && !timer.dataset.over) {
      timer.dataset.over = '1';
      for (const key of [...state.pending.keys()]) flushItem(key);
      renderItemArea();
    } else if (remaining !== null && remaining > 0 && timer.dataset.over) {
      delete timer.dataset.over;
      renderItemArea();
    }
  }
  if (state.view === 'waiting') renderCountdown();
}

function startsAt() {
  if (state.time && state.time.startsAt) return state.time.startsAt;
  const scheduled = state.sitting && Date.parse(state.sitting.scheduledStart);
  return Number.isFinite(scheduled) ? scheduled : null;
}

function renderCountdown() {
  const box = $('sit-countdown-value');
  if (!box) return;
  const start = startsAt();
  const caption = $('sit-countdown-caption');
  if (!state.welcomed && !state.sitting) {
    box.textContent = '--:--:--';
    return;
  }
  if (start === null || !clock.known) {
    box.textContent = '--:--:--';
    return;
  }
  const seconds = (start - serverNow()) / 1000;
  const value = seconds > 0 ? duration(seconds) : '00:00:00';
  if (box.textContent !== value) box.textContent = value;
  box.dataset.seconds = String(Math.max(0, Math.ceil(seconds)));
  const captionText = seconds > 0 ? t('sit.waiting.countdown') : t('sit.waiting.starting');
  if (caption && caption.textContent !== captionText) caption.textContent = captionText;
  const now = $('sit-server-now');
  if (now) {
    const current = beijingTime(serverNow());
    if (now.textContent !== current) now.textContent = current;
  }
}

function renderNotices() {
  const items = [];
  if (state.serverState === 'paused' && !state.receipt) {
    items.push(el('div', { class: 'sit-notice sit-notice-paused', attrs: { id: 'sit-notice-paused' } }, [
      sitIcon('pause'), el('span', { text: t('sit.notice.paused') }),
    ]));
  }
  if ((state.conn === 'offline' || state.conn === 'reconnecting') && state.session && state.session.confirmed && !state.receipt) {
    items.push(el('div', { class: `sit-notice sit-notice-${state.conn}`, attrs: { id: 'sit-notice-offline' } }, [
      sitIcon('wifiOff'), el('span', { text: t(state.conn === 'offline' ? 'sit.notice.offline' : 'sit.notice.reconnecting') }),
    ]));
  }
  if (state.notice && !state.noticeDismissed && !state.receipt) {
    items.push(el('div', { class: 'sit-notice sit-notice-time', attrs: { id: 'sit-notice-time' } }, [
      icon('clock'),
      el('span', { class: 'sit-notice-text' }, [
        el('strong', { text: t('sit.notice.timeTitle') }),
        el('span', { attrs: { id: 'sit-notice-reason' }, text: state.notice.reason }),
        state.notice.delta > 0 ? el('span', { attrs: { id: 'sit-notice-delta' }, text: t('sit.notice.delta', { time: duration(state.notice.delta).replace(/^00:/, '') }) }) : null,
        state.notice.deadline ? el('span', { text: t('sit.notice.newDeadline', { time: beijingTime(state.notice.deadline) }) }) : null,
      ]),
      el('button', {
        class: 'btn btn-ghost btn-sm', attrs: { type: 'button' }, text: t('sit.notice.dismiss'),
        on: { click: () => { state.noticeDismissed = true; renderNotices(); } },
      }),
    ]));
  }
  replaceChildren($('sit-notices'), items);
}

// ---------------------------------------------------------------- rendering: views

function renderWaiting() {
  const sitting = state.sitting;
  const candidate = (state.session && state.session.candidate) || {};
  const connecting = !state.sitting || !state.welcomed;
  const queued = pendingCount();
  const ticketSitting = state.ticket && state.ticket.sitting;
  const scheduled = (sitting && sitting.scheduledStart) || (ticketSitting && ticketSitting.startsAt);
  const minutes = (sitting && sitting.durationMinutes) || (ticketSitting && ticketSitting.durationMinutes);
  replaceChildren($('view-waiting'), [
    el('div', { class: 'sit-waiting' }, [
      el('div', { class: 'sit-card sit-waiting-main' }, [
        el('p', { class: 'sit-kicker', text: t('sit.waiting.kicker') }),
        el('h1', { class: 'sit-title', attrs: { id: 'sit-waiting-title', tabindex: '-1' }, text: sittingName() || t('sit.waiting.title') }),
        connecting
          ? el('div', { class: 'sit-connecting', attrs: { id: 'sit-connecting' } }, [
            el('p', { class: 'sit-connecting-line' }, [el('span', { class: 'spinner spinner-dark' }), el('span', { text: t('sit.waiting.connecting') })]),
            queued ? el('p', { class: 'sit-connecting-queue', text: t('sit.waiting.queued', { n: queued }) }) : null,
          ])
          : null,
        // Only a sitting that is known to be waiting has a countdown: after a reload mid-exam the
        // page knows nothing until the server says so.
        !connecting && state.serverState === 'waiting' ? el('div', { class: 'sit-countdown', attrs: { role: 'timer', 'aria-live': 'off' } }, [
          el('p', { class: 'sit-countdown-caption', attrs: { id: 'sit-countdown-caption' }, text: t('sit.waiting.countdown') }),
          el('p', { class: 'sit-countdown-value', attrs: { id: 'sit-countdown-value' }, text: '--:--:--' }),
          el('p', { class: 'sit-countdown-note' }, [
            el('span', { text: t('sit.waiting.now') }), ' ', el('span', { attrs: { id: 'sit-server-now' } }),
          ]),
        ]) : null,
        !connecting && state.serverState !== 'waiting' ? el('p', { class: 'sit-connecting-line' }, [
          el('span', { class: 'spinner spinner-dark' }), el('span', { text: t('sit.waiting.paper') }),
        ]) : null,
        dl([
          scheduled ? [t('sit.field.startsAt'), beijing(scheduled)] : null,
          minutes ? [t('sit.field.duration'), t('sit.minutes', { n: minutes })] : null,
          sitting && sitting.lateEntryCutoff ? [t('sit.field.lateEntry'), beijing(sitting.lateEntryCutoff)] : null,
          sitting && Number(sitting.earliestHandInMinutes) > 0 ? [t('sit.field.earliestHandIn'), t('sit.waiting.earliest', { n: sitting.earliestHandInMinutes })] : null,
          [t('sit.field.name'), text(candidate.name)],
          [t('sit.field.roomSeat'), t('sit.roomSeat', { room: text(candidate.room), seat: text(candidate.seat) })],
        ]),
        el('p', { class: 'sit-waiting-note', text: t('sit.waiting.note') }),
      ]),
      el('div', { class: 'sit-card sit-waiting-rules' }, [rulesBlock('sit-waiting-rules')]),
    ]),
  ]);
  renderCountdown();
}

function renderItemArea({ keepFocus = false } = {}) {
  const area = $('sit-item');
  const item = currentItem();
  if (!item) {
    area.replaceChildren();
    return;
  }
  const active = document.activeElement;
  const activeId = keepFocus && active && area.contains(active) ? active.id : null;
  const selection = activeId && 'selectionStart' in active ? [active.selectionStart, active.selectionEnd] : null;
  replaceChildren(area, [renderItem(item, {
    number: state.current + 1,
    total: state.items.length,
    answer: state.answers[item.key],
    flagged: state.flags.has(item.key),
    disabled: !answeringOpen(),
    problem: state.problems[item.key] || null,
    onChange: (answer, how) => {
      const before = list(state.answers[item.key] && state.answers[item.key].files).join('|');
      changeAnswer(item, answer, how);
      // A file removed: the list is drawn again.
      if (list(answer && answer.files).join('|') !== before) renderItemArea();
    },
    onFlag: toggleFlag,
    onClear: clearAnswer,
    files: state.files,
    upload: state.uploads[item.key] || null,
    onUpload: (file) => uploadFile(item, file),
  })]);
  if (activeId) {
    const again = $(activeId);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection) {
        try { again.setSelectionRange(selection[0], selection[1]); } catch { /* not a text field */ }
      }
    }
  }
}

function renderNav() {
  const nav = $('sit-nav');
  const groups = [];
  let currentGroup = null;
  state.items.forEach((item, index) => {
    const label = sectionLabel(item);
    if (!currentGroup || currentGroup.label !== label) {
      currentGroup = { label, buttons: [] };
      groups.push(currentGroup);
    }
    const answered = isAnswered(item, state.answers[item.key]);
    const flagged = state.flags.has(item.key);
    const isCurrent = index === state.current;
    const classes = ['sit-nav-item', answered ? 'is-answered' : '', flagged ? 'is-flagged' : '', isCurrent ? 'is-current' : ''].filter(Boolean).join(' ');
    const status = [answered ? t('sit.nav.answered') : t('sit.nav.unanswered'), flagged ? t('sit.nav.flaggedLegend') : null]
      .filter(Boolean).join(t('sit.listSeparator'));
    currentGroup.buttons.push(el('li', {}, [el('button', {
      class: classes,
      attrs: {
        type: 'button', 'data-key': item.key, 'data-index': index, 'aria-current': isCurrent ? 'true' : null,
        'aria-label': t('sit.nav.itemLabel', { n: index + 1, status }),
      },
      text: String(index + 1),
      on: { click: () => goTo(index) },
    })]));
  });
  replaceChildren(nav, groups.map((group) => el('section', { class: 'sit-nav-group' }, [
    el('h3', { class: 'sit-nav-section', text: group.label }),
    el('ol', { class: 'sit-nav-grid', attrs: { role: 'list' } }, group.buttons),
  ])));
  const answered = state.items.filter((item) => isAnswered(item, state.answers[item.key])).length;
  $('sit-progress').textContent = t('sit.nav.progress', { answered, total: state.items.length, flagged: state.flags.size });
}

function renderPager() {
  const prev = $('sit-prev');
  const next = $('sit-next');
  replaceChildren(prev, [sitIcon('prev'), el('span', { text: t('sit.pager.prev') })]);
  replaceChildren(next, [el('span', { text: t('sit.pager.next') }), sitIcon('next')]);
  prev.disabled = state.current <= 0;
  next.disabled = state.current >= state.items.length - 1;
  $('sit-position').textContent = t('sit.pager.position', { n: state.current + 1, total: state.items.length });
  replaceChildren($('sit-handin-open'), [sitIcon('receipt'), el('span', { text: t('sit.handin.open') })]);
  $('sit-handin-open').disabled = Boolean(state.receipt);
  const fullscreen = $('sit-fullscreen');
  fullscreen.hidden = !document.fullscreenEnabled;
  replaceChildren(fullscreen, [sitIcon('expand'), el('span', { text: t(document.fullscreenElement ? 'sit.fullscreen.exit' : 'sit.fullscreen.enter') })]);
}

function renderPaper({ keepItem = false } = {}) {
  if (!keepItem) renderItemArea({ keepFocus: true });
  else if (!$('sit-item').firstChild) renderItemArea();
  renderNav();
  renderPager();
}

const REASONS = { candidate: 'sit.receipt.reason.candidate', deadline: 'sit.receipt.reason.deadline', terminated: 'sit.receipt.reason.terminated' };

function renderReceipt() {
  const receipt = state.receipt || {};
  const candidate = (state.session && state.session.candidate) || {};
  replaceChildren($('view-receipt'), [
    el('div', { class: 'sit-card sit-receipt' }, [
      el('div', { class: 'sit-receipt-mark', attrs: { 'aria-hidden': 'true' } }, [icon('check')]),
      el('h1', { class: 'sit-title', attrs: { id: 'sit-receipt-title', tabindex: '-1' }, text: t('sit.receipt.title') }),
      el('p', { class: 'sit-lead', text: t('sit.receipt.lead') }),
      dl([
        sittingName() ? [t('sit.field.sitting'), sittingName()] : null,
        [t('sit.field.name'), text(candidate.name)],
        [t('sit.receipt.handedInAt'), beijingFull(Date.parse(receipt.handedInAt))],
        [t('sit.receipt.reason'), REASONS[receipt.reason] ? t(REASONS[receipt.reason]) : text(receipt.reason)],
        [t('sit.receipt.answered'), t('sit.receipt.answeredOf', { answered: formatNumber(receipt.answered), items: formatNumber(receipt.items) })],
      ]),
      el('div', { class: 'sit-hash' }, [
        el('p', { class: 'sit-hash-label', attrs: { id: 'sit-hash-label' }, text: t('sit.receipt.sha256') }),
        el('p', { class: 'sit-hash-value mono', attrs: { id: 'sit-receipt-sha256', 'aria-labelledby': 'sit-hash-label' }, text: text(receipt.sha256) }),
        el('p', { class: 'sit-hash-note', text: t('sit.receipt.keep') }),
      ]),
      el('div', { class: 'sit-actions sit-receipt-actions' }, [
        el('button', { class: 'btn btn-outline btn-lg', attrs: { type: 'button', id: 'sit-print' }, text: t('sit.receipt.print'), on: { click: () => window.print() } }),
        el('button', { class: 'btn btn-primary btn-lg', attrs: { type: 'button', id: 'sit-signout' }, text: t('sit.receipt.signOut'), on: { click: signOut } }),
      ]),
    ]),
  ]);
}

function renderStopped() {
  const why = state.stopped || {};
  let key = 'closed';
  if (why.kind === 'refused') key = why.code === 'not_your_sitting' ? 'notYours' : 'refused';
  else if (why.code === 4001) key = 'replaced';
  else if (why.code === 4003) key = 'otherDevice';
  else if (why.code === 4004) key = 'over';
  const canRetry = key !== 'notYours';
  replaceChildren($('view-stopped'), [
    el('div', { class: `sit-card sit-stopped sit-stopped-${key}`, attrs: { 'data-code': text(why.code) } }, [
      el('div', { class: 'sit-card-icon is-bad', attrs: { 'aria-hidden': 'true' } }, [icon('alert')]),
      el('h1', { class: 'sit-title', attrs: { id: 'sit-stopped-title', tabindex: '-1' }, text: t(`sit.stopped.${key}.title`) }),
      el('p', { class: 'sit-lead', text: t(`sit.stopped.${key}.text`) }),
      why.reason ? el('p', { class: 'sit-stopped-detail', text: t('sit.stopped.detail', { reason: text(why.reason) }) }) : null,
      el('div', { class: 'sit-actions' }, [
        el('button', { class: 'btn btn-outline btn-lg', attrs: { type: 'button' }, text: t('sit.stopped.signOut'), on: { click: signOut } }),
        canRetry ? el('button', {
          class: 'btn btn-primary btn-lg', attrs: { type: 'button', id: 'sit-retry' },
          text: t(key === 'replaced' ? 'sit.stopped.takeOver' : 'sit.stopped.retry'), on: { click: restartConnection },
        }) : null,
      ]),
    ]),
  ]);
}

function render({ keepItem = false } = {}) {
  switch (state.view) {
    case 'login': renderLogin(); break;
    case 'confirm': renderConfirm(); break;
    case 'waiting': renderWaiting(); break;
    case 'paper': renderPaper({ keepItem }); break;
    case 'receipt': renderReceipt(); break;
    case 'stopped': renderStopped(); break;
    default: break;
  }
  renderStatus();
  renderClock();
  renderNotices();
  if ($('sit-handin-dialog').open) renderHandIn();
  if ($('sit-warning-dialog').open) renderWarning();
}

// ---------------------------------------------------------------- hand-in

function numbersOf(predicate) {
  return state.items.map((item, index) => (predicate(item) ? index + 1 : null)).filter((n) => n !== null);
}

function numberList(numbers, emptyKey, id) {
  if (!numbers.length) return el('p', { class: 'sit-handin-none', attrs: { id }, text: t(emptyKey) });
  return el('ol', { class: 'sit-handin-numbers', attrs: { id, role: 'list' } }, numbers.map((n) => el('li', {}, [
    el('button', {
      class: 'sit-handin-number', attrs: { type: 'button', 'aria-label': t('sit.handin.goTo', { n }) }, text: String(n),
      on: { click: () => { closeHandIn(); goTo(n - 1); } },
    }),
  ])));
}

function openHandIn() {
  if (state.receipt || !state.items.length) return;
  for (const key of [...state.pending.keys()]) flushItem(key);
  state.handIn = { open: true, busy: false, error: null };
  renderHandIn();
  const dialog = $('sit-handin-dialog');
  if (!dialog.open) dialog.showModal();
  $('sit-handin-cancel')?.focus();
}

function closeHandIn() {
  state.handIn.open = false;
  const dialog = $('sit-handin-dialog');
  if (dialog.open) dialog.close();
}

function renderHandIn() {
  const unanswered = numbersOf((item) => !isAnswered(item, state.answers[item.key]));
  const flagged = numbersOf((item) => state.flags.has(item.key));
  const answered = state.items.length - unanswered.length;
  const online = state.conn === 'open' && state.welcomed;
  const queued = pendingCount();
  const { busy, error } = state.handIn;
  const earliest = state.time && state.time.earliestHandIn;
  const tooEarly = earliest && serverNow() < earliest;
  let errorBox = null;
  if (error) {
    const message = error.code === 'early_hand_in' && earliest
      ? t('sit.handin.tooEarly', { time: beijingTime(earliest) })
      : errorText(error.code, error.message);
    errorBox = el('p', { class: 'alert alert-error is-visible', attrs: { role: 'alert', id: 'sit-handin-error' } }, [icon('alert'), el('span', { text: message })]);
  }
  replaceChildren($('sit-handin-body'), [
    el('h2', { class: 'sit-dialog-title', attrs: { id: 'sit-handin-title' }, text: t('sit.handin.title') }),
    el('p', { class: 'sit-handin-summary', attrs: { id: 'sit-handin-summary' }, text: t('sit.handin.summary', { answered, total: state.items.length }) }),
    el('section', { class: 'sit-handin-block' }, [
      el('h3', { class: 'sit-handin-head', text: t('sit.handin.unanswered', { n: unanswered.length }) }),
      numberList(unanswered, 'sit.handin.noneUnanswered', 'sit-handin-unanswered'),
    ]),
    el('section', { class: 'sit-handin-block' }, [
      el('h3', { class: 'sit-handin-head', text: t('sit.handin.flagged', { n: flagged.length }) }),
      numberList(flagged, 'sit.handin.noneFlagged', 'sit-handin-flagged'),
    ]),
    tooEarly && !error ? el('p', { class: 'alert alert-info is-visible' }, [icon('clock'), el('span', { text: t('sit.handin.tooEarly', { time: beijingTime(earliest) }) })]) : null,
    !online ? el('p', { class: 'alert alert-error is-visible', attrs: { id: 'sit-handin-offline' } }, [icon('alert'), el('span', { text: t('sit.handin.offline', { n: queued }) })]) : null,
    online && queued ? el('p', { class: 'alert alert-info is-visible' }, [icon('alert'), el('span', { text: t('sit.handin.queued', { n: queued }) })]) : null,
    errorBox,
    el('p', { class: 'sit-handin-warn', text: t('sit.handin.final') }),
    el('div', { class: 'sit-actions sit-dialog-actions' }, [
      el('button', { class: 'btn btn-outline btn-lg', attrs: { type: 'button', id: 'sit-handin-cancel' }, text: t('sit.handin.cancel'), on: { click: closeHandIn } }),
      el('button', {
        class: `btn btn-danger btn-lg${busy ? ' is-busy' : ''}`,
        attrs: { type: 'button', id: 'sit-handin-confirm', disabled: busy || !online, 'aria-busy': busy ? 'true' : 'false' },
        on: { click: confirmHandIn },
      }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { text: t(busy ? 'sit.handin.sending' : 'sit.handin.confirm') })]),
    ]),
  ]);
}

async function confirmHandIn() {
  if (state.handIn.busy || state.receipt) return;
  for (const key of [...state.pending.keys()]) flushItem(key);
  state.handIn.busy = true;
  state.handIn.error = null;
  renderHandIn();
  await enqueue({ type: 'handIn' });
}

// ---------------------------------------------------------------- warnings from invigilators

function renderWarning() {
  const dialog = $('sit-warning-dialog');
  const warning = state.warnings[0];
  if (!warning) {
    if (dialog.open) dialog.close();
    return;
  }
  replaceChildren($('sit-warning-body'), [
    el('div', { class: 'sit-card-icon is-warn', attrs: { 'aria-hidden': 'true' } }, [icon('alert')]),
    el('h2', { class: 'sit-dialog-title', attrs: { id: 'sit-warning-title' }, text: t('sit.warning.title') }),
    el('p', { class: 'sit-warning-text', attrs: { id: 'sit-warning-text' }, text: warning.text }),
    warning.at ? el('p', { class: 'sit-warning-at', text: t('sit.warning.at', { time: beijingTime(Date.parse(warning.at)) }) }) : null,
    state.warnings.length > 1 ? el('p', { class: 'sit-warning-more', text: t('sit.warning.more', { n: state.warnings.length - 1 }) }) : null,
    el('div', { class: 'sit-actions sit-dialog-actions' }, [
      el('button', {
        class: 'btn btn-primary btn-lg', attrs: { type: 'button', id: 'sit-warning-ok' }, text: t('sit.warning.ok'),
        on: { click: () => { state.warnings.shift(); renderWarning(); } },
      }),
    ]),
  ]);
  if (!dialog.open) {
    if ($('sit-handin-dialog').open) $('sit-handin-dialog').close();
    dialog.showModal();
  }
  $('sit-warning-ok').focus();
}

// ---------------------------------------------------------------- proctoring events

function recordEvent(kind, detail) {
  if (!state.queue || state.receipt) return;
  const message = { type: 'event', kind };
  if (detail) message.detail = String(detail).slice(0, 500);
  enqueue(message);
}

function startProctoring() {
  installProctoring({
    record: recordEvent,
    where: () => {
      const item = currentItem();
      return state.view === 'paper' && item ? item.key : state.view;
    },
    insidePaper: (target) => state.view === 'paper' && target instanceof Node && $('view-paper').contains(target),
    copyBlocked: () => toast(t('sit.proctor.noCopy'), 'warn'),
    fullscreenChanged: () => {
      if (state.view === 'paper') renderPager();
    },
    networkChanged: renderStatus,
    offlineDetail: (seconds) => t('sit.proctor.offlineFor', { seconds: seconds.toFixed(1) }),
  });
}

// ---------------------------------------------------------------- camera

let camera = null;

/** Starts the webcam snapshots once per sign-in, with the server's interval. */
function startCamera(policy) {
  if (!state.session) return;
  if (!camera) {
    camera = new SitCamera({
      sitting: state.session.sitting,
      token: state.session.token,
      record: recordEvent,
      onState: renderCamera,
    });
  }
  camera.start(policy);
}

function stopCamera() {
  if (camera) camera.stop();
  camera = null;
  renderCamera('off');
}

function renderCamera(cameraState) {
  const badge = $('sit-camera');
  if (!badge) return;
  badge.hidden = cameraState === 'off';
  badge.dataset.state = cameraState;
  $('sit-camera-text').textContent = cameraState === 'off' ? '' : t(`sit.camera.${cameraState}`);
  const preview = $('sit-camera-preview');
  const stream = cameraState === 'on' && camera ? camera.mediaStream : null;
  if (preview.srcObject !== stream) {
    preview.srcObject = stream;
    if (stream) preview.play().catch(() => {});
  }
  preview.hidden = !stream;
}

function toggleFullscreen() {
  if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  } else if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => toast(t('sit.fullscreen.failed'), 'warn'));
  }
}

// ---------------------------------------------------------------- start

function exposeDebugHook() {
  const hook = {
    /** Closes the socket as a network cut would; the page reconnects with backoff. */
    dropConnection: () => {
      if (connection) connection.drop('test hook');
    },
    snapshot: () => ({
      view: state.view,
      conn: state.conn,
      welcomed: state.welcomed,
      serverState: state.serverState,
      paperVia: state.paperVia,
      holdsSealedPaper: Boolean(state.sealed),
      queued: state.queue ? state.queue.all().map((entry) => ({ seq: entry.seq, type: entry.type, item: entry.item || null })) : [],
      pending: [...state.pending.keys()],
      counter: state.queue ? state.queue.counter : 0,
      durable: state.queue ? state.queue.durable : null,
      answers: JSON.parse(JSON.stringify(state.answers)),
      flags: [...state.flags],
      offsetMs: wallClockOffset(),
      remainingSeconds: remainingSeconds(),
    }),
  };
  Object.defineProperty(window, '__assaySit', { value: Object.freeze(hook), configurable: false, writable: false });
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  replaceChildren($('sit-login-icon'), [icon('ticket')]);
  exposeDebugHook();

  const params = new URLSearchParams(window.location.search);
  const fromLink = params.get('ticket');
  if (fromLink) $('sit-ticket').value = formatCode(fromLink);

  $('sit-login-form').addEventListener('submit', onLogin);
  for (const [name, id] of Object.entries(LOGIN_FIELDS)) {
    $(id).addEventListener('input', () => {
      if (!state.login.problems[name] && !state.login.summary) return;
      delete state.login.problems[name];
      if (state.login.summary && state.login.summary.code === 'wrong_ticket') {
        state.login.summary = null;
        state.login.problems = {};
      }
      renderLogin();
    });
  }
  $('sit-prev').addEventListener('click', () => goTo(state.current - 1));
  $('sit-next').addEventListener('click', () => goTo(state.current + 1));
  $('sit-handin-open').addEventListener('click', openHandIn);
  $('sit-fullscreen').addEventListener('click', toggleFullscreen);
  $('sit-handin-dialog').addEventListener('close', () => { state.handIn.open = false; });
  // A warning must be dismissed with its button, not with Escape.
  $('sit-warning-dialog').addEventListener('cancel', (event) => event.preventDefault());
  document.addEventListener('assay:langchange', () => render());
  window.addEventListener('beforeunload', (event) => {
    if (state.session && state.session.confirmed && !state.receipt && pendingCount() > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  window.setInterval(renderClock, 250);

  const stored = readSession();
  if (stored && (!fromLink || normaliseCode(fromLink) === stored.code)) {
    state.session = stored;
    if (stored.confirmed) {
      startSitting();
    } else {
      showConfirm();
    }
  } else {
    if (stored) {
      state.session = null;
      saveSession();
    }
    showView('login');
    renderLogin();
    $(fromLink ? 'sit-idnumber' : 'sit-ticket').focus();
  }
  document.body.classList.add('is-ready');
}

init();
