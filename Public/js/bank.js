// The item-bank page: the bank's sealed/unsealed state, unsealing with custodian shares and sealing,
// the item list with filters, and — for the roles the server lets read content — a preview of one
// item as a candidate would see it, followed by its answer key and scoring rules.
//
// Server strings (items, names, reasons) are only ever set as text. Key shares are read from the
// textarea, sent once and dropped: the field is cleared on every submit and nothing is stored.
// Item content is kept only while its preview is open (to re-render it on a language switch
// without a second, audited read).
//
// Below the answer key, the review workflow: submit a draft, approve or send back an item in review
// (a comment is required to send back), retire an active item, and the item's review history.
// Item rows do not say who wrote an item, so the actions follow role and status and the server
// decides; a refusal is shown with the server's reason.
//
// Item authors also write items here (item-editor.js): 新建试题 above the list opens an empty form,
// 修订 in the preview of a draft or active item opens the same form filled from the item just read.
// A new item is selected in the list; a revision is read again into the open preview.
import { api, ApiError, request as call } from './api.js';
import { createItemEditor } from './item-editor.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, rolesOf, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatDateTime, formatNumber, has, t } from './i18n.js';

/** Who may open this page (the roles `GET /api/v1/bank/status` and `GET /api/v1/items` allow). */
const BANK_ROLES = ['body_admin', 'bank_custodian', 'item_author', 'exam_admin', 'supervisor'];
/** Who may ask for item content; the server still decides per item. */
const CONTENT_ROLES = ['bank_custodian', 'item_author'];
const UNSEAL_ROLES = ['bank_custodian'];
const SEAL_ROLES = ['bank_custodian', 'body_admin'];
/** The review workflow: who may try each action (the server checks authorship and status). */
const SUBMIT_ROLES = ['item_author'];
const REVIEW_ROLES = ['item_author', 'bank_custodian'];
const RETIRE_ROLES = ['bank_custodian'];
const HISTORY_ROLES = ['item_author', 'bank_custodian', 'supervisor'];
/** Who may write items; the server decides whose items may be revised. */
const AUTHOR_ROLES = ['item_author'];
/** Statuses an author may revise: a draft, or an active item (as a new draft version). */
const REVISABLE = ['draft', 'active'];
const COMMENT_LIMIT = 2000;
/** The message code shown after each action succeeds. */
const DONE_CODES = { submit: 'submitted', approve: 'approved', reject: 'rejected', retire: 'retired' };

const LEVELS = ['初级', '中级', '高级'];
const TYPES = ['single_choice', 'multiple_choice', 'true_false', 'fill_in', 'short_answer', 'practical_task'];
const STATUSES = ['draft', 'in_review', 'active', 'retired'];
const ITEM_LIMIT = 5000;
const LETTERS = 'ABCDEFGH'.split('');
/** A fill-in blank in a stem: two or more underscores and a number in brackets, e.g. ____(1). */
const BLANK_MARKER = /_{2,}[(（]\s*([0-9０-９]+)\s*[)）]/g;

const state = {
  me: null,
  bank: { status: 'idle' },
  standards: [],
  items: { status: 'idle' },
  filters: { occupation: '', level: '', type: '', status: '', point: '' },
  custodyMessage: null,
  sealConfirm: false,
  unsealing: false,
  sealing: false,
  preview: null,
  /** The item last created, revised or previewed: marked in the list while no preview is open. */
  selectedId: null,
  itemsNotice: null,
};

let editor = null;

const $ = (id) => document.getElementById(id);
const roles = () => rolesOf(state.me);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);

// ---------------------------------------------------------------- API

const bankApi = {
  status: () => call('GET', '/api/v1/bank/status'),
  unseal: (shares) => call('POST', '/api/v1/bank/unseal', { shares }),
  seal: () => call('POST', '/api/v1/bank/seal', {}),
  items: (filters) => {
    const query = new URLSearchParams();
    for (const name of ['occupation', 'level', 'status']) if (filters[name]) query.set(name, filters[name]);
    query.set('limit', String(ITEM_LIMIT));
    return call('GET', `/api/v1/items?${query}`);
  },
  item: (id) => call('GET', `/api/v1/items/${encodeURIComponent(id)}?purpose=preview`),
  submit: (id) => call('POST', `/api/v1/items/${encodeURIComponent(id)}/submit`, {}),
  review: (id, decision, comment) => call('POST', `/api/v1/items/${encodeURIComponent(id)}/review`, { decision, comment }),
  retire: (id) => call('POST', `/api/v1/items/${encodeURIComponent(id)}/retire`, {}),
  reviews: (id) => call('GET', `/api/v1/items/${encodeURIComponent(id)}/reviews`),
};

// ---------------------------------------------------------------- roles and shared helpers




/** A 401 from any call means the session is over: back to the login page. */

const levelLabel = (level) => (has(`level.${level}`) ? t(`level.${level}`) : String(level));
const typeName = (type) => (has(`item.type.${type}`) ? t(`item.type.${type}`) : String(type ?? ''));
const statusName = (status) => (has(`item.status.${status}`) ? t(`item.status.${status}`) : String(status ?? ''));
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
/** Text from YAML block scalars ends in a newline; drop trailing blank space only. */
const block = (value) => text(value).replace(/\s+$/, '');

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? standard.name : text(code);
}

function formatDifficulty(value) {
  const number = Number(value);
  return Number.isFinite(number) ? number.toFixed(2) : text(value);
}




// ---------------------------------------------------------------- header


// ---------------------------------------------------------------- bank status, unseal and seal

function renderStatus() {
  const section = state.bank;
  const body = $('status-body');
  $('status-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  if (section.status === 'idle' || (section.status === 'loading' && !section.data)) {
    replaceChildren(body, loadingState(2));
    renderCustody();
    return;
  }
  if (section.status === 'error' && !section.data) {
    replaceChildren(body, errorState(section.error, loadStatus));
    renderCustody();
    return;
  }
  const bank = section.data;
  if (!bank.initialised) {
    replaceChildren(body, el('div', { class: 'bank-banner is-none', attrs: { id: 'bank-state' }, dataset: { sealed: 'true', initialised: 'false' } }, [
      el('span', { class: 'bank-banner-icon' }, [icon('alert')]),
      el('div', {}, [
        el('p', { class: 'bank-banner-title', text: t('bank.state.uninitialised') }),
        el('p', { class: 'bank-banner-text', text: t('bank.state.uninitialisedText') }),
      ]),
    ]));
    renderCustody();
    return;
  }
  const sealed = bank.sealed !== false;
  const threshold = Number(bank.threshold) || 0;
  const collected = Number(bank.sharesCollected) || 0;
  const banner = el('div', {
    class: `bank-banner ${sealed ? 'is-sealed' : 'is-unsealed'}`,
    attrs: { id: 'bank-state' },
    dataset: { sealed: String(sealed), initialised: 'true' },
  }, [
    el('span', { class: 'bank-banner-icon' }, [icon(sealed ? 'lock' : 'unseal')]),
    el('div', {}, [
      el('p', { class: 'bank-banner-title', text: t(sealed ? 'bank.state.sealed' : 'bank.state.unsealed') }),
      el('p', { class: 'bank-banner-text', text: t(sealed ? 'bank.state.sealedText' : 'bank.state.unsealedText') }),
    ]),
  ]);

  const meter = el('span', { class: 'share-meter', attrs: { 'aria-hidden': 'true' } },
    Array.from({ length: Math.max(threshold, 1) }, (_, index) => el('span', { class: `share-dot${index < collected ? ' is-on' : ''}` })));
  const stat = (label, value, extra = {}) => el('div', { class: `stat${extra.class ? ` ${extra.class}` : ''}` }, [
    el('dt', { class: 'stat-label', text: label }),
    el('dd', { class: `stat-value${extra.small ? ' stat-value-sm' : ''}`, attrs: { id: extra.id } }, extra.children || [el('span', { text: value })]),
  ]);
  const sharesValue = sealed
    ? [el('span', { text: t('bank.stat.sharesValue', { collected: formatNumber(collected), threshold: formatNumber(threshold) }) }), meter]
    : [el('span', { class: 'stat-quiet', text: t('bank.stat.sharesDone') })];
  const stats = el('dl', { class: 'stats bank-stats' }, [
    stat(t('bank.stat.bankID'), text(bank.bankID), { small: true, id: 'bank-id', class: 'stat-mono' }),
    stat(t('bank.stat.threshold'), t('bank.stat.thresholdValue', { threshold: formatNumber(threshold), custodians: formatNumber(bank.custodians ?? 0) }), { id: 'bank-threshold' }),
    stat(t('bank.stat.keyVersion'), t('bank.stat.keyVersionValue', { version: formatNumber(bank.keyVersion ?? 0) }), { id: 'bank-key-version' }),
    stat(t('bank.stat.items'), formatNumber(bank.items ?? 0), { id: 'bank-items' }),
    stat(t('bank.stat.shares'), '', { id: 'bank-shares', children: sharesValue, class: 'stat-shares' }),
  ]);
  const children = [banner, stats];
  if (section.status === 'error') children.push(errorState(section.error, loadStatus));
  replaceChildren(body, children);
  renderCustody();
}

function renderCustody() {
  const bank = state.bank.data;
  const ready = Boolean(bank && bank.initialised);
  const sealed = !bank || bank.sealed !== false;
  const canUnseal = holdsAny(UNSEAL_ROLES);
  const canSeal = holdsAny(SEAL_ROLES);
  $('custody').hidden = !(ready && (canUnseal || canSeal));
  $('unseal-form').hidden = !(ready && canUnseal && sealed);
  $('seal-area').hidden = !(ready && canSeal && !sealed);
  if (sealed) state.sealConfirm = false;

  const submit = $('unseal-submit');
  submit.disabled = state.unsealing;
  submit.classList.toggle('is-busy', state.unsealing);
  submit.setAttribute('aria-busy', String(state.unsealing));
  submit.querySelector('.btn-label').textContent = t(state.unsealing ? 'bank.unseal.submitting' : 'bank.unseal.submit');

  $('seal-confirm').hidden = !state.sealConfirm;
  $('seal-button').setAttribute('aria-expanded', String(state.sealConfirm));
  $('seal-button').disabled = state.sealConfirm || state.sealing;
  const confirm = $('seal-confirm-button');
  confirm.disabled = state.sealing;
  confirm.classList.toggle('is-busy', state.sealing);
  confirm.querySelector('.btn-label').textContent = t(state.sealing ? 'bank.seal.sealing' : 'bank.seal.confirm');
  renderCustodyMessage();
}

function renderCustodyMessage() {
  const box = $('custody-message');
  const message = state.custodyMessage;
  box.className = `alert alert-live${message ? ` is-visible alert-${message.kind}` : ''}`;
  if (!message) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.code = message.code || message.kind;
  const iconName = { error: 'alert', success: 'shieldOk', info: 'key' }[message.kind] || 'alert';
  replaceChildren(box, [
    icon(iconName),
    el('span', { class: 'alert-text' }, [
      el('span', { class: 'alert-main', text: t(message.key, message.params) }),
      message.detail ? el('span', { class: 'alert-detail', text: t('bank.detail', { detail: message.detail }) }) : null,
    ]),
  ]);
}

async function loadStatus() {
  state.bank = { ...state.bank, status: 'loading' };
  renderStatus();
  try {
    const data = await bankApi.status();
    state.bank = { status: 'ok', data: data && data.bank ? data.bank : {} };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.bank = { ...state.bank, status: 'error', error };
  }
  renderStatus();
}

/**
 * The shares typed or pasted, one per line; several on one line are split where the next
 * `assay-share-` begins. Spaces inside a share are left for the server, which ignores them.
 * The field is cleared at once.
 */
function readShares() {
  const field = $('unseal-shares');
  const shares = field.value
    .split(/\r?\n/)
    .flatMap((line) => line.split(/(?=assay-share-)/i))
    .map((share) => share.trim())
    .filter(Boolean);
  field.value = '';
  return shares;
}

async function onUnseal(event) {
  event.preventDefault();
  if (state.unsealing) return;
  const field = $('unseal-shares');
  const shares = readShares();
  if (!shares.length) {
    state.custodyMessage = { kind: 'error', key: 'bank.unseal.empty', code: 'empty' };
    field.setAttribute('aria-invalid', 'true');
    renderCustody();
    field.focus();
    return;
  }
  field.removeAttribute('aria-invalid');
  state.unsealing = true;
  state.custodyMessage = null;
  renderCustody();
  try {
    const data = await bankApi.unseal(shares);
    shares.length = 0;
    state.bank = { status: 'ok', data: data && data.bank ? data.bank : {} };
    const bank = state.bank.data;
    if (bank.sealed === false) {
      state.custodyMessage = { kind: 'success', key: 'bank.unseal.done', code: 'unsealed' };
    } else {
      const threshold = Number(bank.threshold) || 0;
      const collected = Number(bank.sharesCollected) || 0;
      state.custodyMessage = {
        kind: 'info',
        key: 'bank.unseal.progress',
        code: 'progress',
        params: {
          collected: formatNumber(collected),
          threshold: formatNumber(threshold),
          remaining: formatNumber(Math.max(threshold - collected, 0)),
        },
      };
    }
  } catch (error) {
    shares.length = 0;
    if (endIfUnauthenticated(error)) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    const known = has(`bank.unseal.error.${code}`);
    state.custodyMessage = {
      kind: 'error',
      key: known ? `bank.unseal.error.${code}` : 'bank.unseal.error.other',
      params: { message: errorMessage(error) },
      code,
      detail: known && error.message && error.message !== code ? error.message : null,
    };
    field.setAttribute('aria-invalid', 'true');
  } finally {
    state.unsealing = false;
  }
  renderStatus();
  if (state.custodyMessage && state.custodyMessage.kind === 'error') {
    // The share count may have changed (wrong_shares forgets every collected share).
    loadStatus();
    field.focus();
  } else if (state.bank.data && state.bank.data.sealed === false) {
    $('custody-message').focus();
  } else {
    field.focus();
  }
}

function openSealConfirm() {
  state.sealConfirm = true;
  state.custodyMessage = null;
  renderCustody();
  $('seal-confirm-button').focus();
}

function cancelSeal() {
  state.sealConfirm = false;
  renderCustody();
  $('seal-button').focus();
}

async function onSeal() {
  if (state.sealing) return;
  state.sealing = true;
  renderCustody();
  try {
    const data = await bankApi.seal();
    state.bank = { status: 'ok', data: data && data.bank ? data.bank : {} };
    state.custodyMessage = { kind: 'success', key: 'bank.seal.done', code: 'sealed' };
    state.sealConfirm = false;
    closePreview();
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.custodyMessage = { kind: 'error', key: 'bank.seal.failed', params: { message: errorMessage(error) }, code: error.code || 'generic' };
  } finally {
    state.sealing = false;
  }
  renderStatus();
  if (!$('unseal-form').hidden) $('unseal-shares').focus();
  else $('custody-message').focus();
}

// ---------------------------------------------------------------- filters

function option(value, label, selected) {
  return el('option', { attrs: { value, selected: selected ? true : null }, text: label });
}

function renderFilters() {
  const f = state.filters;
  replaceChildren($('filter-occupation'), [
    option('', t('bank.filter.allOccupations'), !f.occupation),
    ...state.standards.map((standard) => option(standard.code, `${text(standard.name)}（${text(standard.code)}）`, f.occupation === standard.code)),
  ]);
  replaceChildren($('filter-level'), [option('', t('bank.filter.allLevels'), !f.level), ...LEVELS.map((level) => option(level, levelLabel(level), f.level === level))]);
  replaceChildren($('filter-type'), [option('', t('bank.filter.allTypes'), !f.type), ...TYPES.map((type) => option(type, typeName(type), f.type === type))]);
  replaceChildren($('filter-status'), [option('', t('bank.filter.allStatuses'), !f.status), ...STATUSES.map((status) => option(status, statusName(status), f.status === status))]);
  $('filter-point').value = f.point;
}

function readFilters() {
  return {
    occupation: $('filter-occupation').value,
    level: $('filter-level').value,
    type: $('filter-type').value,
    status: $('filter-status').value,
    point: $('filter-point').value.trim(),
  };
}

/** Server-side filters reload the list; type and 鉴定点 narrow the loaded list in the page. */
function onFilterChange() {
  const next = readFilters();
  const reload = ['occupation', 'level', 'status'].some((name) => next[name] !== state.filters[name]);
  state.filters = next;
  if (reload) loadItems();
  else renderItems();
}

function resetFilters() {
  state.filters = { occupation: '', level: '', type: '', status: '', point: '' };
  renderFilters();
  loadItems();
}

function matchesPoint(point, query) {
  if (!query) return true;
  const value = text(point).toLowerCase();
  const wanted = query.toLowerCase().replace(/[。．]/g, '.').replace(/\.+$/, '');
  return value === wanted || value.startsWith(`${wanted}.`);
}

function visibleItems() {
  const items = list(state.items.data);
  return items.filter((item) => (!state.filters.type || item.type === state.filters.type) && matchesPoint(item.point, state.filters.point));
}

// ---------------------------------------------------------------- item list

function canPreview() {
  return holdsAny(CONTENT_ROLES);
}

function levelTags(levels) {
  return el('span', { class: 'level-list' }, list(levels).map((level) => el('span', { class: 'level-tag level-tag-sm', dataset: { level }, text: levelLabel(level) })));
}

function directionCell(directions) {
  if (!Array.isArray(directions)) return el('span', { class: 'direction-all', text: t('bank.direction.all') });
  return el('span', { class: 'direction-list' }, directions.map((direction) => el('span', { class: 'direction', text: direction })));
}

function statusTag(status) {
  return el('span', { class: `item-status item-status-${text(status).replace(/[^a-z_]/g, '')}`, dataset: { status: text(status) }, text: statusName(status) });
}

/** The item marked in the list: the one previewed, else the one last worked on. */
function selectedId() {
  return state.preview ? state.preview.id : state.selectedId;
}

function itemRow(item, preview) {
  const selected = selectedId() === item.id;
  const props = {
    class: `item-row${preview ? ' is-clickable' : ''}${selected ? ' is-selected' : ''}`,
    dataset: { id: text(item.id), type: text(item.type) },
    attrs: preview ? { tabindex: '0', 'aria-describedby': 'items-lead', 'aria-current': selected ? 'true' : null } : {},
  };
  if (preview) {
    props.on = {
      click: () => openPreview(item),
      keydown: (event) => onRowKey(event, item),
    };
  }
  return el('tr', props, [
    el('th', { attrs: { scope: 'row' }, class: 'cell-id' }, [
      el('span', { class: 'item-id', text: text(item.id) }),
      item.synthetic ? el('span', { class: 'tag tag-muted tag-xs', attrs: { title: t('bank.synthetic.title') }, text: t('bank.synthetic') }) : null,
    ]),
    el('td', {}, el('span', { class: `type-tag type-${text(item.type)}`, text: typeName(item.type) })),
    el('td', { class: 'cell-mono', text: text(item.point) }),
    el('td', {}, levelTags(item.levels)),
    el('td', { class: 'cell-directions' }, directionCell(item.directions)),
    el('td', { class: 'cell-num', text: formatDifficulty(item.difficulty) }),
    el('td', { class: 'cell-num', text: formatNumber(item.points) }),
    el('td', {}, statusTag(item.status)),
    el('td', { class: 'cell-num cell-muted', text: `v${text(item.version)}` }),
  ]);
}

function onRowKey(event, item) {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    openPreview(item);
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

function renderItemsLead() {
  let key = 'bank.items.leadMetadata';
  if (holdsAny(['bank_custodian'])) key = 'bank.items.leadPreview';
  else if (holdsAny(['item_author'])) key = 'bank.items.leadAuthor';
  $('items-lead').textContent = t(key);
}

function renderItems() {
  const section = state.items;
  const body = $('items-body');
  const count = $('items-count');
  renderItemsLead();
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  if (section.status === 'idle' || section.status === 'loading') {
    count.hidden = true;
    replaceChildren(body, el('div', { class: 'panel' }, loadingState(4)));
    return;
  }
  if (section.status === 'error') {
    count.hidden = true;
    replaceChildren(body, el('div', { class: 'panel' }, errorState(section.error, loadItems)));
    return;
  }
  const all = list(section.data);
  const items = visibleItems();
  count.hidden = false;
  count.textContent = items.length === all.length
    ? t('bank.items.count', { count: formatNumber(items.length) })
    : t('bank.items.countOf', { count: formatNumber(items.length), total: formatNumber(all.length) });
  if (!items.length) {
    replaceChildren(body, el('p', { class: 'empty', attrs: { id: 'items-empty' }, text: t(all.length ? 'bank.items.noMatch' : 'bank.items.empty') }));
    return;
  }
  const preview = canPreview();
  const columns = ['id', 'type', 'point', 'levels', 'directions', 'difficulty', 'points', 'status', 'version'];
  const table = el('table', { class: 'table items-table', attrs: { id: 'items-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('bank.items.caption') }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', {
      attrs: { scope: 'col' },
      class: ['difficulty', 'points', 'version'].includes(column) ? 'cell-num' : '',
      text: t(`bank.col.${column}`),
    })))),
    el('tbody', {}, items.map((item) => itemRow(item, preview))),
  ]);
  const children = [el('div', { class: 'table-wrap items-wrap', attrs: { tabindex: preview ? null : '0', role: 'region', 'aria-labelledby': 'items-title' } }, table)];
  if (all.length >= ITEM_LIMIT) children.unshift(el('p', { class: 'alert alert-info', text: t('bank.items.truncated', { limit: formatNumber(ITEM_LIMIT) }) }));
  replaceChildren(body, children);
}

async function loadItems() {
  const filters = { ...state.filters };
  state.items = { status: 'loading', filters };
  renderItems();
  try {
    const data = await bankApi.items(filters);
    if (state.items.filters !== filters) return; // A newer request has been made.
    state.items = { status: 'ok', data: data && Array.isArray(data.items) ? data.items : [], filters };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.items.filters !== filters) return;
    state.items = { status: 'error', error, filters };
  }
  renderItems();
}

async function loadStandards() {
  try {
    const data = await api.exams();
    state.standards = data && Array.isArray(data.standards) ? data.standards : [];
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.standards = [];
  }
  renderFilters();
}

// ---------------------------------------------------------------- preview: the candidate's view

function paragraphs(value, className = 'q-text') {
  return el('div', { class: className, text: block(value) });
}

/** The stem of a fill-in item with each ____(n) drawn as an empty answer box. */
function stemWithBlanks(stem) {
  const source = block(stem);
  const parts = [];
  let last = 0;
  for (const match of source.matchAll(BLANK_MARKER)) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    const number = match[1].replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
    parts.push(el('span', { class: 'q-blank', attrs: { role: 'img', 'aria-label': t('bank.blank.label', { n: number }) } }, [
      el('span', { class: 'q-blank-no', attrs: { 'aria-hidden': 'true' }, text: `(${number})` }),
    ]));
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  return el('div', { class: 'q-stem', attrs: { id: 'preview-stem' } }, parts);
}

function optionLetters(options) {
  const letters = Object.keys(options || {});
  return letters.sort((a, b) => (LETTERS.indexOf(a) - LETTERS.indexOf(b)) || a.localeCompare(b));
}

function choiceList(options, multiple) {
  const role = multiple ? 'checkbox' : 'radio';
  return el('ul', { class: `q-options ${multiple ? 'is-multiple' : 'is-single'}`, attrs: { role: 'list' } }, optionLetters(options).map((letter) => el('li', { class: 'q-option', dataset: { letter } }, [
    el('span', { class: `q-mark q-mark-${role}`, attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'q-letter', text: `${letter}.` }),
    el('span', { class: 'q-option-text', text: block(options[letter]) }),
  ])));
}

function section(titleKey, children, extraClass = '') {
  return el('section', { class: `task-section ${extraClass}` }, [
    el('h4', { class: 'task-title', text: t(titleKey) }),
    ...[].concat(children),
  ]);
}

function candidateView(item, content) {
  const type = item.type;
  const head = el('p', { class: 'q-head' }, [
    el('span', { class: 'q-type', text: typeName(type) }),
    el('span', { class: 'q-points', text: t('bank.paper.points', { points: formatNumber(item.points) }) }),
  ]);
  const children = [head];
  if (type === 'fill_in') {
    children.push(stemWithBlanks(content.stem));
  } else {
    children.push(el('div', { class: `q-stem${type === 'practical_task' ? ' q-stem-task' : ''}`, attrs: { id: 'preview-stem' }, text: block(content.stem) }));
  }
  if (type === 'single_choice' || type === 'multiple_choice') {
    children.push(choiceList(content.options, type === 'multiple_choice'));
  } else if (type === 'true_false') {
    children.push(el('ul', { class: 'q-options is-single is-inline', attrs: { role: 'list' } }, ['true', 'false'].map((value) => el('li', { class: 'q-option', dataset: { value } }, [
      el('span', { class: 'q-mark q-mark-radio', attrs: { 'aria-hidden': 'true' } }),
      el('span', { class: 'q-option-text', text: t(`bank.tf.${value}`) }),
    ]))));
  } else if (type === 'short_answer') {
    children.push(el('div', { class: 'q-answer-area', attrs: { 'aria-hidden': 'true' } }, [el('span', { text: t('bank.paper.answerArea') })]));
  } else if (type === 'practical_task') {
    if (content.preparation) children.push(section('bank.task.preparation', paragraphs(content.preparation, 'task-text')));
    if (content.statement) children.push(section('bank.task.statement', paragraphs(content.statement, 'task-text')));
    const materials = list(content.materials);
    if (materials.length) {
      children.push(section('bank.task.materials', el('ul', { class: 'task-materials', attrs: { role: 'list' } }, materials.map((material) => el('li', {}, [
        el('span', { class: 'material-name', text: text(material.name) }),
        el('span', { class: 'material-desc', text: block(material.description) }),
      ])))));
    }
    if (content.timeMinutes) {
      children.push(section('bank.task.time', el('p', { class: 'task-time' }, [
        icon('clock'),
        el('span', { text: t('bank.task.minutes', { minutes: formatNumber(content.timeMinutes) }) }),
      ])));
    }
  }
  return el('section', { class: 'paper', attrs: { 'aria-labelledby': 'paper-title' } }, [
    el('h3', { class: 'block-title', attrs: { id: 'paper-title' } }, [icon('monitor'), el('span', { text: t('bank.paper.title') })]),
    el('div', { class: 'paper-sheet' }, children),
  ]);
}

// ---------------------------------------------------------------- preview: answer key and scoring

function answerKey(letter, options) {
  return el('li', { class: 'key-row' }, [
    el('span', { class: 'key-letter', text: letter }),
    el('span', { class: 'key-text', text: block(options && options[letter]) }),
  ]);
}

function answerView(item, content) {
  const rows = [];
  if (typeof content.answer === 'string') {
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', text: t('bank.answer.correct') }),
      el('ul', { class: 'key-list', attrs: { role: 'list', id: 'answer-key' } }, [answerKey(content.answer, content.options)]),
    ]));
  }
  if (Array.isArray(content.answers)) {
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', text: t('bank.answer.correctMany') }),
      el('ul', { class: 'key-list', attrs: { role: 'list', id: 'answer-key' } }, content.answers.map((letter) => answerKey(letter, content.options))),
    ]));
  }
  if (typeof content.truth === 'boolean') {
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', text: t('bank.answer.correct') }),
      el('p', { class: `key-truth ${content.truth ? 'is-true' : 'is-false'}`, attrs: { id: 'answer-key' } }, [
        el('span', { class: 'key-truth-mark', attrs: { 'aria-hidden': 'true' }, text: content.truth ? '✓' : '✗' }),
        el('span', { text: t(`bank.tf.${content.truth}`) }),
      ]),
    ]));
  }
  if (Array.isArray(content.blanks)) {
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', text: t('bank.answer.blanks') }),
      el('ol', { class: 'blank-keys', attrs: { role: 'list', id: 'answer-key' } }, content.blanks.map((variants, index) => el('li', { class: 'blank-key' }, [
        el('span', { class: 'blank-key-no', text: t('bank.blank.label', { n: index + 1 }) }),
        el('span', { class: 'chip-list' }, list(variants).map((variant) => el('span', { class: 'key-chip', text: text(variant) }))),
      ]))),
      el('p', { class: 'answer-note', text: t('bank.answer.blanksNote') }),
    ]));
  }
  if (content.referenceAnswer) {
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', text: t('bank.answer.reference') }),
      el('div', { class: 'answer-text answer-reference', attrs: { id: 'answer-key' }, text: block(content.referenceAnswer) }),
    ]));
  }
  const scoring = list(content.scoring);
  if (scoring.length) {
    const total = scoring.reduce((sum, row) => sum + (Number(row.marks) || 0), 0);
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', attrs: { id: 'scoring-title' }, text: t('bank.answer.scoring') }),
      el('div', { class: 'table-wrap scoring-wrap' }, el('table', { class: 'table scoring-table', attrs: { id: 'scoring-table', 'aria-labelledby': 'scoring-title' } }, [
        el('thead', {}, el('tr', {}, [
          el('th', { attrs: { scope: 'col' }, class: 'cell-index', text: t('bank.scoring.index') }),
          el('th', { attrs: { scope: 'col' }, text: t('bank.scoring.point') }),
          el('th', { attrs: { scope: 'col' }, class: 'cell-num', text: t('bank.scoring.marks') }),
          el('th', { attrs: { scope: 'col' }, text: t('bank.scoring.criteria') }),
        ])),
        el('tbody', {}, scoring.map((row, index) => el('tr', {}, [
          el('td', { class: 'cell-index', text: formatNumber(index + 1) }),
          el('th', { attrs: { scope: 'row' }, class: 'scoring-point', text: text(row.point) }),
          el('td', { class: 'cell-num scoring-marks', text: formatNumber(row.marks) }),
          el('td', { class: 'scoring-criteria', text: block(row.criteria) }),
        ]))),
        el('tfoot', {}, el('tr', {}, [
          el('td', {}),
          el('th', { attrs: { scope: 'row' }, text: t('bank.scoring.total') }),
          el('td', { class: 'cell-num scoring-marks', text: formatNumber(total) }),
          el('td', {}),
        ])),
      ])),
    ]));
  }
  if (content.explanation) {
    rows.push(el('div', { class: 'answer-part' }, [
      el('h4', { class: 'answer-label', text: t('bank.answer.explanation') }),
      el('div', { class: 'answer-text', attrs: { id: 'answer-explanation' }, text: block(content.explanation) }),
    ]));
  }
  if (!rows.length) rows.push(el('p', { class: 'answer-note', text: t('bank.answer.none') }));
  return el('section', { class: 'answer-block', attrs: { id: 'answer-block', 'aria-labelledby': 'answer-title' } }, [
    el('h3', { class: 'block-title', attrs: { id: 'answer-title' } }, [icon('book'), el('span', { text: t('bank.answer.title') })]),
    el('div', { class: 'answer-body' }, rows),
  ]);
}

// ---------------------------------------------------------------- preview: review workflow

function freshReview() {
  return { busy: null, message: null, comment: '', invalid: false, retireConfirm: false, history: { status: 'idle' } };
}

/** The previewed item's metadata: from the content read once it has arrived, else from its row. */
function previewItem() {
  const preview = state.preview;
  if (!preview) return null;
  return (preview.doc && preview.doc.item) || preview.item;
}

/** The actions offered for an item in `status` to the current user's roles. */
function reviewActions(status) {
  if (status === 'draft' && holdsAny(SUBMIT_ROLES)) return ['submit'];
  if (status === 'in_review' && holdsAny(REVIEW_ROLES)) return ['approve', 'reject'];
  if (status === 'active' && holdsAny(RETIRE_ROLES)) return ['retire'];
  return [];
}

function renderReview() {
  const shown = Boolean(state.preview && state.preview.status !== 'loading');
  $('preview-review').hidden = !shown;
  if (!shown) {
    replaceChildren($('review-actions'));
    replaceChildren($('review-history'));
    renderReviewMessage();
    return;
  }
  renderReviewActions();
  renderReviewMessage();
  renderReviewHistory();
}

function actionButton(id, action, labelKey, className) {
  const busy = state.preview.review.busy;
  const mine = busy === action;
  return el('button', {
    class: `btn ${className}${mine ? ' is-busy' : ''}`,
    // aria-disabled rather than disabled while a call runs: the button keeps the keyboard focus.
    attrs: { type: 'button', id, 'aria-disabled': busy ? 'true' : null, 'aria-busy': mine ? 'true' : null },
    dataset: { action },
    on: { click: () => runReviewAction(action) },
  }, [
    el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'btn-label', text: t(mine ? 'bank.review.working' : labelKey) }),
  ]);
}

function commentField(review) {
  const field = el('textarea', {
    class: 'input textarea review-comment',
    attrs: {
      id: 'review-comment',
      name: 'comment',
      rows: '3',
      maxlength: String(COMMENT_LIMIT),
      autocomplete: 'off',
      placeholder: t('bank.review.commentPlaceholder'),
      'aria-describedby': 'review-comment-hint review-message',
      'aria-invalid': review.invalid ? 'true' : null,
    },
    on: {
      input: (event) => {
        review.comment = event.target.value;
        if (review.invalid && review.comment.trim()) {
          review.invalid = false;
          event.target.removeAttribute('aria-invalid');
        }
      },
    },
  });
  field.value = review.comment;
  return el('div', { class: 'field' }, [
    el('label', { class: 'field-label', attrs: { for: 'review-comment' }, text: t('bank.review.comment') }),
    el('p', { class: 'field-hint', attrs: { id: 'review-comment-hint' }, text: t('bank.review.commentHint') }),
    field,
  ]);
}

function renderReviewActions() {
  const box = $('review-actions');
  const preview = state.preview;
  const review = preview.review;
  const item = previewItem();
  // Re-rendering replaces the controls; the one that had the focus gets it back.
  const focused = box.contains(document.activeElement) ? document.activeElement.id : '';
  const actions = reviewActions(item.status);
  const children = [el('p', { class: 'review-current' }, [
    el('span', { class: 'review-current-label', text: t('bank.review.current') }),
    el('span', { attrs: { id: 'review-status' }, dataset: { status: text(item.status) } }, statusTag(item.status)),
  ])];
  const note = (key, id) => el('p', { class: 'review-note', attrs: { id }, text: t(key) });
  if (!actions.length) {
    children.push(note(item.status === 'retired' ? 'bank.review.retired' : 'bank.review.none', 'review-none'));
  } else if (preview.status !== 'ok') {
    // Nobody submits, reviews or retires an item they cannot read here.
    children.push(note('bank.review.needContent', 'review-none'));
  } else if (actions.includes('submit')) {
    children.push(
      note('bank.review.submitHint', 'review-submit-hint'),
      el('div', { class: 'form-actions' }, [actionButton('review-submit', 'submit', 'bank.review.submit', 'btn-primary')]),
    );
  } else if (actions.includes('approve')) {
    children.push(
      note('bank.review.reviewHint', 'review-hint'),
      commentField(review),
      el('div', { class: 'form-actions' }, [
        actionButton('review-approve', 'approve', 'bank.review.approve', 'btn-primary'),
        actionButton('review-reject', 'reject', 'bank.review.reject', 'btn-outline'),
      ]),
    );
  } else if (actions.includes('retire')) {
    children.push(note('bank.review.retireHint', 'review-retire-hint'));
    if (review.retireConfirm) {
      children.push(el('div', {
        class: 'seal-confirm review-confirm',
        attrs: { id: 'review-retire-group', role: 'group', 'aria-labelledby': 'review-retire-text' },
        on: { keydown: onRetireConfirmKey },
      }, [
        el('p', { class: 'seal-confirm-text', attrs: { id: 'review-retire-text' }, text: t('bank.review.retireConfirm') }),
        el('div', { class: 'form-actions' }, [
          actionButton('review-retire-confirm', 'retire', 'bank.review.retireConfirmButton', 'btn-danger'),
          el('button', {
            class: 'btn btn-outline',
            attrs: { type: 'button', id: 'review-retire-cancel', 'aria-disabled': review.busy ? 'true' : null },
            text: t('bank.review.cancel'),
            on: { click: cancelRetire },
          }),
        ]),
      ]));
    } else {
      const button = actionButton('review-retire', 'retire', 'bank.review.retire', 'btn-outline btn-seal');
      button.setAttribute('aria-expanded', 'false');
      children.push(el('div', { class: 'form-actions' }, [button]));
    }
  }
  replaceChildren(box, children);
  const again = focused && document.getElementById(focused);
  if (again) again.focus();
}

function renderReviewMessage() {
  const box = $('review-message');
  const message = state.preview && state.preview.review.message;
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
      message.detail ? el('span', { class: 'alert-detail', attrs: { id: 'review-reason' }, text: t('bank.detail', { detail: message.detail }) }) : null,
    ]),
  ]);
}

function reviewerCell(reviewer) {
  const me = state.me && state.me.user && state.me.user.id;
  if (me && reviewer === me) return el('span', { class: 'tag tag-muted tag-xs', text: t('bank.review.you') });
  return el('span', { class: 'mono review-reviewer', text: text(reviewer) });
}

function renderReviewHistory() {
  const box = $('review-history');
  const preview = state.preview;
  if (!preview || !holdsAny(HISTORY_ROLES)) {
    replaceChildren(box);
    return;
  }
  const history = preview.review.history;
  box.setAttribute('aria-busy', history.status === 'loading' ? 'true' : 'false');
  const title = el('h4', { class: 'answer-label', attrs: { id: 'review-history-title' }, text: t('bank.review.history') });
  let body;
  if (!history.data && history.status !== 'error') {
    body = loadingState(2);
  } else if (!history.data) {
    body = errorState(history.error, loadReviews);
  } else if (!history.data.length) {
    body = el('p', { class: 'review-note', attrs: { id: 'review-history-empty' }, text: t('bank.review.historyEmpty') });
  } else {
    // Newest first (ISO 8601 times sort as text); ties keep the server's order, reversed.
    const entries = [...history.data].reverse().sort((a, b) => text(b.decidedAt).localeCompare(text(a.decidedAt)));
    body = el('div', { class: 'table-wrap review-wrap' }, el('table', { class: 'table review-table', attrs: { id: 'review-history-table', 'aria-labelledby': 'review-history-title' } }, [
      el('thead', {}, el('tr', {}, [
        el('th', { attrs: { scope: 'col' }, class: 'cell-num', text: t('bank.review.col.version') }),
        el('th', { attrs: { scope: 'col' }, text: t('bank.review.col.decision') }),
        el('th', { attrs: { scope: 'col' }, text: t('bank.review.col.comment') }),
        el('th', { attrs: { scope: 'col' }, text: t('bank.review.col.reviewer') }),
        el('th', { attrs: { scope: 'col' }, text: t('bank.review.col.time') }),
      ])),
      el('tbody', {}, entries.map((entry) => el('tr', { dataset: { approved: String(entry.approved === true) } }, [
        el('td', { class: 'cell-num cell-muted', text: `v${text(entry.version)}` }),
        el('td', {}, el('span', {
          class: `review-decision ${entry.approved === true ? 'is-approved' : 'is-rejected'}`,
          text: t(entry.approved === true ? 'bank.review.approved' : 'bank.review.rejected'),
        })),
        el('td', { class: 'review-comment-cell', text: block(entry.comment) || t('bank.review.noComment') }),
        el('td', {}, reviewerCell(entry.reviewer)),
        el('td', { class: 'review-time' }, el('time', { attrs: { datetime: text(entry.decidedAt) }, text: formatDateTime(entry.decidedAt) })),
      ]))),
    ]));
  }
  const extra = history.status === 'error' && history.data ? errorState(history.error, loadReviews) : null;
  replaceChildren(box, [title, body, extra]);
}

async function loadReviews() {
  const preview = state.preview;
  if (!preview || preview.status === 'loading' || !holdsAny(HISTORY_ROLES)) return;
  const { token, id, review } = preview;
  review.history = { ...review.history, status: 'loading' };
  renderReviewHistory();
  try {
    const data = await bankApi.reviews(id);
    if (!state.preview || state.preview.token !== token) return;
    review.history = { status: 'ok', data: data && Array.isArray(data.reviews) ? data.reviews : [] };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.preview || state.preview.token !== token) return;
    review.history = { ...review.history, status: 'error', error };
  }
  renderReviewHistory();
}

/** Shows a new status for item `id` in its table row and, if it is open, in the preview. */
function setItemStatus(id, status) {
  if (state.items.status === 'ok') {
    state.items = { ...state.items, data: list(state.items.data).map((row) => (row.id === id ? { ...row, status } : row)) };
    renderItems();
  }
  const preview = state.preview;
  if (preview && preview.id === id) {
    preview.item = { ...preview.item, status };
    if (preview.doc && preview.doc.item) preview.doc = { ...preview.doc, item: { ...preview.doc.item, status } };
    replaceChildren($('preview-meta'), previewMeta(previewItem()));
  }
}

/** After a conflict: reload the list, take the item's status from it, and reload its history. */
async function refreshItemStatus(id) {
  await loadItems();
  const row = list(state.items.data).find((item) => item.id === id);
  if (!row || !state.preview || state.preview.id !== id) return;
  setItemStatus(id, row.status);
  renderReviewActions();
  loadReviews();
}

function openRetireConfirm() {
  const review = state.preview.review;
  review.retireConfirm = true;
  review.message = null;
  renderReviewActions();
  renderReviewMessage();
  $('review-retire-confirm').focus();
}

function cancelRetire() {
  const review = state.preview && state.preview.review;
  if (!review || review.busy) return;
  review.retireConfirm = false;
  renderReviewActions();
  $('review-retire').focus();
}

/** Escape in the confirm step cancels it instead of closing the whole preview. */
function onRetireConfirmKey(event) {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  event.stopPropagation();
  cancelRetire();
}

async function runReviewAction(action) {
  const preview = state.preview;
  if (!preview || preview.review.busy) return;
  const { token, id, review } = preview;
  if (action === 'retire' && !review.retireConfirm) {
    openRetireConfirm();
    return;
  }
  const comment = review.comment.trim();
  if (action === 'reject' && !comment) {
    review.invalid = true;
    review.message = { kind: 'error', key: 'bank.review.error.comment_required', code: 'comment_required' };
    renderReviewActions();
    renderReviewMessage();
    $('review-comment').focus();
    return;
  }
  review.busy = action;
  review.invalid = false;
  review.message = null;
  renderReviewActions();
  renderReviewMessage();
  let focus = 'review-message';
  try {
    let result;
    if (action === 'submit') result = await bankApi.submit(id);
    else if (action === 'retire') result = await bankApi.retire(id);
    else result = await bankApi.review(id, action, comment);
    if (!state.preview || state.preview.token !== token) return;
    review.busy = null;
    review.retireConfirm = false;
    if (action === 'approve' || action === 'reject') review.comment = '';
    review.message = { kind: 'success', key: `bank.review.done.${action}`, code: DONE_CODES[action] };
    const fallback = { submit: 'in_review', approve: 'active', reject: 'draft', retire: 'retired' }[action];
    setItemStatus(id, result && typeof result.status === 'string' ? result.status : fallback);
    if (action === 'approve' || action === 'reject') loadReviews();
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.preview || state.preview.token !== token) return;
    review.busy = null;
    const code = error instanceof ApiError ? error.code : 'generic';
    const known = has(`bank.review.error.${code}`);
    review.message = {
      kind: 'error',
      key: known ? `bank.review.error.${code}` : 'bank.review.error.other',
      params: { message: errorMessage(error) },
      code,
      // The server's reason for a refusal or a conflict (e.g. self-review) is shown as it is.
      detail: ['forbidden', 'wrong_status'].includes(code) && error.message && error.message !== code ? error.message : null,
    };
    if (code === 'comment_required' || code === 'comment_too_long') {
      review.invalid = true;
      focus = 'review-comment';
    }
    if (code === 'wrong_status') {
      review.retireConfirm = false;
      refreshItemStatus(id);
    }
  }
  renderReviewActions();
  renderReviewMessage();
  const target = document.getElementById(focus);
  if (target) target.focus();
}

// ---------------------------------------------------------------- preview pane

function previewMeta(item) {
  const fact = (key, value) => el('div', { class: 'meta-fact' }, [
    el('dt', { text: t(key) }),
    el('dd', {}, value),
  ]);
  return [
    el('div', { class: 'preview-tags' }, [
      el('span', { class: `type-tag type-${text(item.type)}`, text: typeName(item.type) }),
      statusTag(item.status),
      el('span', { class: 'tag tag-muted', text: t('bank.meta.version', { version: text(item.version) }) }),
    ]),
    el('dl', { class: 'meta-facts' }, [
      fact('bank.meta.occupation', el('span', { text: occupationName(item.occupation) })),
      fact('bank.col.point', el('span', { class: 'mono', text: text(item.point) })),
      fact('bank.col.levels', levelTags(item.levels)),
      fact('bank.col.directions', directionCell(item.directions)),
      fact('bank.col.difficulty', el('span', { text: formatDifficulty(item.difficulty) })),
      fact('bank.col.points', el('span', { text: formatNumber(item.points) })),
    ]),
  ];
}

function previewError(error) {
  const code = error instanceof ApiError ? error.code : 'generic';
  if (code === 'bank_sealed') {
    return el('div', { class: 'preview-state is-sealed', attrs: { id: 'preview-error', role: 'alert' }, dataset: { code } }, [
      el('span', { class: 'preview-state-icon' }, [icon('lock')]),
      el('p', { class: 'preview-state-title', text: t('bank.preview.sealed') }),
      holdsAny(UNSEAL_ROLES) ? el('p', { class: 'preview-state-text', text: t('bank.preview.sealedHint') }) : null,
    ]);
  }
  if (code === 'forbidden') {
    return el('div', { class: 'preview-state is-forbidden', attrs: { id: 'preview-error', role: 'alert' }, dataset: { code } }, [
      el('span', { class: 'preview-state-icon' }, [icon('shieldBad')]),
      el('p', { class: 'preview-state-title', text: t('bank.preview.forbidden') }),
      el('p', { class: 'preview-state-text' }, [
        el('span', { text: t('bank.preview.reason') }),
        el('span', { class: 'preview-reason', attrs: { id: 'preview-reason' }, text: error.message || t('error.forbidden') }),
      ]),
    ]);
  }
  const key = has(`bank.preview.error.${code}`) ? `bank.preview.error.${code}` : null;
  return el('div', { class: 'preview-state is-error', attrs: { id: 'preview-error', role: 'alert' }, dataset: { code } }, [
    el('span', { class: 'preview-state-icon' }, [icon('alert')]),
    el('p', { class: 'preview-state-title', text: key ? t(key) : t('bank.preview.failed') }),
    key ? null : el('p', { class: 'preview-state-text', text: errorMessage(error) }),
    el('button', { class: 'btn btn-outline btn-sm', attrs: { type: 'button' }, text: t('home.retry'), on: { click: () => openPreview(state.preview.item) } }),
  ]);
}

function renderPreview() {
  const preview = state.preview;
  if (!preview) return;
  const item = (preview.doc && preview.doc.item) || preview.item;
  $('preview-title').textContent = text(item.id);
  replaceChildren($('preview-meta'), previewMeta(item));
  const body = $('preview-body');
  body.setAttribute('aria-busy', preview.status === 'loading' ? 'true' : 'false');
  $('preview').dataset.state = preview.status;
  if (preview.status === 'loading') {
    replaceChildren(body, loadingState(5));
  } else if (preview.status === 'error') {
    replaceChildren(body, previewError(preview.error));
  } else {
    const content = (preview.doc && preview.doc.content) || {};
    replaceChildren(body, [candidateView(item, content), answerView(item, content)]);
  }
  renderPreviewTools();
  renderReview();
}

// ---------------------------------------------------------------- writing items

function canWrite() {
  return holdsAny(AUTHOR_ROLES);
}

/** 修订 is offered on content the author could read, in a status that may be revised; the server decides. */
function canRevise() {
  const preview = state.preview;
  return Boolean(canWrite() && preview && preview.status === 'ok' && preview.doc && REVISABLE.includes(previewItem().status));
}

/** The 修订 button and the notice at the top of the preview. */
function renderPreviewTools() {
  const button = $('preview-revise');
  button.hidden = !canRevise();
  const notice = state.preview && state.preview.notice;
  const box = $('preview-notice');
  box.className = `alert alert-live preview-notice${notice ? ` is-visible alert-${notice.kind}` : ''}`;
  if (!notice) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.code = notice.code;
  replaceChildren(box, [icon('check'), el('span', { class: 'alert-main', text: t(notice.key, notice.params) })]);
}

function renderItemsNotice() {
  const box = $('items-notice');
  const notice = state.itemsNotice;
  box.className = `alert alert-live${notice ? ` is-visible alert-${notice.kind}` : ''}`;
  if (!notice) {
    box.replaceChildren();
    delete box.dataset.code;
    return;
  }
  box.dataset.code = notice.code;
  replaceChildren(box, [icon('check'), el('span', { class: 'alert-main', text: t(notice.key, notice.params) })]);
}

/**
 * The occupations the signed-in author writes items of (their account's), or null when not limited:
 * bank administrators, and servers that do not say.
 */
function writableOccupations() {
  const user = state.me && state.me.user;
  if (holdsAny(['bank_custodian']) || !user || !Array.isArray(user.occupations)) return null;
  return user.occupations.filter((code) => typeof code === 'string');
}

function openNewItem() {
  if (!canWrite() || !editor) return;
  state.itemsNotice = null;
  renderItemsNotice();
  editor.openNew({ occupation: state.filters.occupation });
}

/** Opens the editor over the preview, filled from the content the preview has read. */
function openRevision() {
  if (!canRevise() || !editor) return;
  const preview = state.preview;
  preview.notice = null;
  renderPreviewTools();
  editor.openRevision(preview.doc);
}

/** Whether the list's filters would show a new draft with this metadata. */
function filtersShow(item, occupation) {
  const f = state.filters;
  return (!f.occupation || f.occupation === occupation)
    && (!f.level || list(item.levels).includes(f.level))
    && (!f.type || f.type === item.type)
    && (!f.status || f.status === 'draft')
    && matchesPoint(item.point, f.point);
}

async function onItemSaved(saved) {
  if (saved.mode === 'create') {
    state.itemsNotice = { kind: 'success', key: 'bank.editor.done.created', params: { id: saved.id }, code: 'created' };
    if (!filtersShow(saved.item, saved.occupation)) {
      state.filters = { occupation: '', level: '', type: '', status: '', point: '' };
      renderFilters();
    }
    state.selectedId = saved.id;
    renderItemsNotice();
    await loadItems();
    const row = Array.from(document.querySelectorAll('#items-table tbody tr')).find((node) => node.dataset.id === saved.id);
    if (row) {
      row.scrollIntoView({ block: 'center' });
      row.focus({ preventScroll: true });
    } else {
      $('items-notice').focus();
    }
    return;
  }
  // A revision: the list shows the new version; the open preview reads the item again.
  state.selectedId = saved.id;
  loadItems();
  const preview = state.preview;
  if (!preview || preview.id !== saved.id) return;
  const notice = { kind: 'success', key: 'bank.editor.done.revised', params: { version: formatNumber(saved.version) }, code: 'revised' };
  await openPreview({ ...preview.item, version: saved.version }, notice);
  if (state.preview && state.preview.id === saved.id) $('preview-notice').focus();
}

async function openPreview(item, notice = null) {
  if (!canPreview()) return;
  const dialog = $('preview');
  const token = {};
  state.preview = { id: item.id, item, status: 'loading', token, review: freshReview(), notice };
  markSelectedRow();
  renderPreview();
  if (!dialog.open) dialog.showModal();
  $('preview-body').scrollTop = 0;
  dialog.querySelector('.preview-shell').scrollTop = 0;
  try {
    const doc = await bankApi.item(item.id);
    if (!state.preview || state.preview.token !== token) return;
    state.preview = { ...state.preview, status: 'ok', doc };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.preview || state.preview.token !== token) return;
    state.preview = { ...state.preview, status: 'error', error };
  }
  renderPreview();
  loadReviews();
}

function markSelectedRow() {
  for (const row of document.querySelectorAll('#items-table tbody tr')) {
    const selected = Boolean(selectedId() && row.dataset.id === selectedId());
    row.classList.toggle('is-selected', selected);
    if (selected) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
}

function closePreview() {
  const dialog = $('preview');
  if (dialog.open) dialog.close();
}

/** Called when the dialog closes, however it was closed: forget the content, return focus to the row. */
function onPreviewClosed() {
  const id = state.preview && state.preview.id;
  if (id) state.selectedId = id;
  state.preview = null;
  renderPreviewTools();
  replaceChildren($('preview-body'));
  replaceChildren($('preview-meta'));
  renderReview();
  markSelectedRow();
  if (id) {
    const row = Array.from(document.querySelectorAll('#items-table tbody tr')).find((node) => node.dataset.id === id);
    if (row) row.focus();
  }
}

// ---------------------------------------------------------------- page

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(BANK_ROLES)) return;
  renderStatus();
  renderFilters();
  renderItems();
  renderItemsNotice();
  renderPreview();
  if (editor) editor.refresh();
}


async function start() {
  const me = await loadSession();
  if (!me) return;
  state.me = me;
  $('page-status').hidden = true;
  document.body.classList.remove('is-loading');

  if (!holdsAny(BANK_ROLES)) {
    renderHeader();
    $('access-denied').hidden = false;
    document.body.classList.add('is-denied');
    return;
  }
  $('content').hidden = false;
  $('item-new').hidden = !canWrite();
  renderAll();
  await Promise.all([loadStatus(), loadStandards(), loadItems()]);
  document.body.classList.add('is-ready');
}


function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  $('status-refresh').addEventListener('click', loadStatus);
  $('unseal-form').addEventListener('submit', onUnseal);
  $('unseal-shares').addEventListener('input', (event) => {
    if (event.target.getAttribute('aria-invalid') === 'true') event.target.removeAttribute('aria-invalid');
  });
  // Enter adds a line (one share per line); Ctrl+Enter or ⌘+Enter submits.
  $('unseal-shares').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $('unseal-form').requestSubmit();
    }
  });
  $('seal-button').addEventListener('click', openSealConfirm);
  $('seal-cancel').addEventListener('click', cancelSeal);
  $('seal-confirm-button').addEventListener('click', onSeal);
  $('seal-confirm').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancelSeal();
  });
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    state.filters = readFilters();
    loadItems();
  });
  for (const id of ['filter-occupation', 'filter-level', 'filter-type', 'filter-status']) $(id).addEventListener('change', onFilterChange);
  $('filter-point').addEventListener('input', onFilterChange);
  $('filter-reset').addEventListener('click', resetFilters);
  $('preview-close').addEventListener('click', closePreview);
  editor = createItemEditor({ standards: () => state.standards, occupations: writableOccupations, onSaved: onItemSaved });
  $('item-new').addEventListener('click', openNewItem);
  $('preview-revise').addEventListener('click', openRevision);
  $('preview').addEventListener('close', onPreviewClosed);
  // A click on the backdrop (outside the sheet) closes the preview.
  $('preview').addEventListener('click', (event) => {
    if (event.target === $('preview')) closePreview();
  });
  document.addEventListener('assay:langchange', renderAll);
  // Coming back through the back/forward cache after signing out must not show a stale page.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
