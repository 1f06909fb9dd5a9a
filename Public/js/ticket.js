// Admission tickets (准考证): a candidate sees and prints their own tickets; an exam administrator
// opens /ticket.html?sitting=ID and prints every ticket of a published sitting, one per A4 page.
//
// The QR code comes from the server as SVG text: it is parsed as SVG (never as HTML), reduced to
// the plain shapes a QR code needs, and imported. The photo is fetched with the session and shown
// from an object URL. Other server strings are only set as text.
import { ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, BEIJING, bindLangToggle, formatBeijing, formatNumber, getLang, has, t } from './i18n.js';
import { fetchFile } from './files.js';

const CANDIDATE = ['candidate'];
const ADMIN = ['exam_admin'];
const PAGE_ROLES = [...CANDIDATE, ...ADMIN];
const UNDIVIDED = '不分方向';
const SVG_NS = 'http://www.w3.org/2000/svg';
/** What a QR code drawing may hold: plain shapes, no scripts, links, styles or foreign content. */
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'polygon', 'title', 'desc']);
const SVG_ATTRIBUTES = new Set(['viewBox', 'width', 'height', 'x', 'y', 'd', 'fill', 'stroke', 'stroke-width', 'transform', 'shape-rendering', 'points', 'fill-rule', 'version', 'preserveAspectRatio']);

const state = {
  me: null,
  sittingId: null,
  tickets: { status: 'idle' },
  /** Evidence id → {status, url} of a photo. */
  photos: {},
};

const $ = (id) => document.getElementById(id);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));
const adminView = () => Boolean(state.sittingId) && holdsAny(ADMIN);

const ticketApi = {
  mine: () => call('GET', '/api/v1/tickets/mine'),
  sitting: (id) => call('GET', `/api/v1/sittings/${encodeURIComponent(id)}/tickets`),
};

// ---------------------------------------------------------------- the QR code and the photo

/** Copies the allowed parts of a parsed SVG element into this document; null when it is not allowed. */
function cleanSVG(node) {
  if (node.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(node.localName)) return null;
  const copy = document.createElementNS(SVG_NS, node.localName);
  for (const attribute of Array.from(node.attributes)) {
    if (attribute.namespaceURI || !SVG_ATTRIBUTES.has(attribute.name)) continue;
    if (/url\s*\(|javascript:/i.test(attribute.value)) continue;
    copy.setAttribute(attribute.name, attribute.value);
  }
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE && (node.localName === 'title' || node.localName === 'desc')) copy.append(child.data);
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const cleaned = cleanSVG(child);
      if (cleaned) copy.append(cleaned);
    }
  }
  return copy;
}

/** The ticket's QR code as an inline SVG, or null when the text is not a usable SVG. */
function qrNode(svgText) {
  if (typeof svgText !== 'string' || !svgText.trim()) return null;
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (!root || root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length) return null;
  const svg = cleanSVG(root);
  if (!svg) return null;
  if (!svg.getAttribute('viewBox')) {
    const width = parseFloat(svg.getAttribute('width'));
    const height = parseFloat(svg.getAttribute('height'));
    if (width > 0 && height > 0) svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  }
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('class', 'ticket-qr-svg');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('ticket.qrLabel'));
  return svg;
}

async function loadPhoto(id) {
  if (!id || state.photos[id]) return;
  state.photos[id] = { status: 'loading' };
  try {
    const { blob } = await fetchFile(`/api/v1/evidence/${encodeURIComponent(id)}`);
    state.photos[id] = { status: 'ok', url: URL.createObjectURL(blob) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.photos[id] = { status: 'error', error };
  }
  for (const box of document.querySelectorAll('.ticket-photo')) {
    if (box.dataset.photo === id) box.replaceWith(photoBox(id));
  }
}

function photoBox(id) {
  const photo = id ? state.photos[id] : null;
  if (photo && photo.status === 'ok') {
    return el('div', { class: 'ticket-photo has-photo', dataset: { photo: id } }, el('img', { attrs: { src: photo.url, alt: t('ticket.photoAlt') } }));
  }
  const key = !id ? 'ticket.noPhoto' : photo && photo.status === 'error' ? 'ticket.photoFailed' : 'ticket.photoLoading';
  return el('div', { class: 'ticket-photo is-empty', dataset: { photo: text(id) } }, el('span', { class: 'ticket-photo-text', text: t(key) }));
}

// ---------------------------------------------------------------- one ticket

function fact(key, value, extraClass = '') {
  return el('div', { class: `ticket-fact ${extraClass}`.trim() }, [
    el('dt', { text: t(key) }),
    el('dd', {}, typeof value === 'string' ? el('span', { text: value || '—' }) : value),
  ]);
}

/** A Beijing wall-clock time, "09:00". */
function clock(date) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: BEIJING, hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

/** "2026/12/20 周日 09:00（北京时间） 至 10:30（90 分钟）" */
function examTime(sitting) {
  const duration = Number(sitting.durationMinutes);
  const start = new Date(sitting.startsAt);
  if (Number.isNaN(start.getTime())) return el('span', { text: text(sitting.startsAt) });
  const weekday = new Intl.DateTimeFormat(getLang(), { timeZone: BEIJING, weekday: 'short' }).format(start);
  const day = `${formatBeijing(start, { dateOnly: true })} ${weekday} ${clock(start)}`;
  const parts = [t('sittings.beijingTime', { time: day })];
  if (duration > 0) parts.push(t('ticket.until', { end: clock(new Date(start.getTime() + duration * 60_000)), minutes: formatNumber(duration) }));
  return el('span', { class: 'ticket-time' }, parts.map((part) => el('span', { text: part })));
}

/** Seats print with two digits, as in the room lists. */
function seatText(seat) {
  return /^\d+$/.test(text(seat)) ? text(seat).padStart(2, '0') : text(seat);
}

function ticketCard(ticket, index, total) {
  const sitting = ticket.sitting || {};
  const candidate = ticket.candidate || {};
  const code = text(ticket.code);
  const qr = qrNode(ticket.qrSVG);
  const occupation = text(sitting.occupationName) ? `${text(sitting.occupationName)}（${text(sitting.occupation)}）` : text(sitting.occupation);
  return el('article', { class: 'ticket', dataset: { code }, attrs: { 'aria-labelledby': `ticket-${index}-title` } }, [
    el('header', { class: 'ticket-head' }, [
      el('p', { class: 'ticket-kicker', text: t('ticket.kicker') }),
      el('h2', { class: 'ticket-title', attrs: { id: `ticket-${index}-title` }, text: t('ticket.title') }),
      total > 1 ? el('p', { class: 'ticket-index no-print', text: t('ticket.index', { n: formatNumber(index + 1), total: formatNumber(total) }) }) : null,
    ]),
    el('div', { class: 'ticket-main' }, [
      photoBox(ticket.photo ? text(ticket.photo) : ''),
      el('dl', { class: 'ticket-facts' }, [
        fact('ticket.field.name', text(candidate.name), 'is-name'),
        fact('ticket.field.gender', label('gender', candidate.gender)),
        fact('ticket.field.idType', label('idType', candidate.idType)),
        fact('ticket.field.idNumber', el('span', { class: 'mono', text: text(candidate.idNumber) || '—' })),
        fact('ticket.field.occupation', occupation, 'is-wide'),
        fact('ticket.field.level', label('level', sitting.level)),
        fact('ticket.field.part', label('sittings.part', sitting.part)),
        fact('ticket.field.direction', directionName(sitting.direction), 'is-wide'),
        fact('ticket.field.time', examTime(sitting), 'is-wide'),
        fact('ticket.field.venue', text(sitting.venue), 'is-wide'),
        fact('ticket.field.room', text(ticket.room), 'is-room'),
        fact('ticket.field.seat', seatText(ticket.seat), 'is-room'),
      ]),
    ]),
    el('div', { class: 'ticket-codes' }, [
      el('div', { class: 'ticket-code-box' }, [
        el('p', { class: 'ticket-code-label', text: t('ticket.field.code') }),
        el('p', { class: 'ticket-code mono', text: code }),
      ]),
      el('figure', { class: 'ticket-qr' }, [
        qr || el('div', { class: 'ticket-qr-missing', text: t('ticket.qrMissing') }),
        el('figcaption', { class: 'ticket-qr-caption' }, [
          el('span', { text: t('ticket.qrCaption') }),
          ticket.loginURL ? el('span', { class: 'ticket-url mono', text: text(ticket.loginURL) }) : null,
        ]),
      ]),
    ]),
    list(ticket.rules).length ? el('section', { class: 'ticket-rules', attrs: { 'aria-labelledby': `ticket-${index}-rules` } }, [
      el('h3', { class: 'ticket-rules-title', attrs: { id: `ticket-${index}-rules` }, text: t('ticket.rules') }),
      el('ol', { class: 'ticket-rule-list' }, list(ticket.rules).map((rule) => el('li', { text: text(rule) }))),
    ]) : null,
    !ticket.photo && !adminView() ? el('p', { class: 'ticket-photo-hint no-print' }, [
      icon('alert'),
      el('span', { text: t('ticket.photoHint') }),
      el('a', { attrs: { href: '/apply.html#evidence-section' }, text: t('ticket.photoHintLink') }),
    ]) : null,
  ]);
}

// ---------------------------------------------------------------- the page

function renderTickets() {
  const section = state.tickets;
  const box = $('tickets');
  const count = $('ticket-count');
  box.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  box.dataset.state = section.status;
  $('print-button').disabled = !(section.status === 'ok' && list(section.data).length);
  $('ticket-lead').textContent = adminView() ? t('ticket.leadAdmin', { id: state.sittingId }) : t('ticket.lead');
  if (section.status === 'idle' || section.status === 'loading') {
    count.hidden = true;
    replaceChildren(box, el('div', { class: 'panel' }, loadingState(4)));
    return;
  }
  if (section.status === 'error') {
    count.hidden = true;
    const code = section.error instanceof ApiError ? section.error.code : '';
    replaceChildren(box, el('div', { class: 'panel' }, [
      has(`ticket.error.${code}`) ? el('p', { class: 'alert alert-error is-visible', attrs: { role: 'alert' } }, [icon('alert'), el('span', { text: t(`ticket.error.${code}`) })]) : errorState(section.error, loadTickets),
    ]));
    return;
  }
  const tickets = list(section.data);
  count.hidden = false;
  count.textContent = t('ticket.count', { count: formatNumber(tickets.length) });
  if (!tickets.length) {
    replaceChildren(box, el('p', { class: 'empty', attrs: { id: 'tickets-empty' }, text: t(adminView() ? 'ticket.emptyAdmin' : 'ticket.empty') }));
    return;
  }
  replaceChildren(box, tickets.map((ticket, index) => ticketCard(ticket, index, tickets.length)));
}

async function loadTickets() {
  state.tickets = { status: 'loading' };
  renderTickets();
  try {
    const data = adminView() ? await ticketApi.sitting(state.sittingId) : await ticketApi.mine();
    state.tickets = { status: 'ok', data: list(data && data.tickets) };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.tickets = { status: 'error', error };
  }
  renderTickets();
  for (const ticket of list(state.tickets.data)) if (ticket.photo) loadPhoto(text(ticket.photo));
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  const admin = adminView();
  $('breadcrumb-sittings').hidden = !admin;
  if (admin) $('breadcrumb-sittings-link').href = `/sittings.html#sitting=${encodeURIComponent(state.sittingId)}`;
  if (holdsAny(ADMIN) && !holdsAny(CANDIDATE) && !state.sittingId) {
    $('print-button').disabled = true;
    $('ticket-lead').textContent = '';
    replaceChildren($('tickets'), el('div', { class: 'empty', attrs: { id: 'tickets-choose' } }, [
      el('p', { text: t('ticket.chooseSitting') }),
      el('a', { class: 'btn btn-primary btn-sm ticket-choose', attrs: { href: '/sittings.html' }, text: t('sittings.title') }),
    ]));
    return;
  }
  renderTickets();
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
  if (adminView() || holdsAny(CANDIDATE)) await loadTickets();
  document.body.classList.add('is-ready');
}

function init() {
  const sitting = new URLSearchParams(window.location.search).get('sitting');
  state.sittingId = sitting && sitting.trim() ? sitting.trim() : null;
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('print-button').addEventListener('click', () => window.print());
  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();

