// The role-aware home page: who is signed in, their work areas, and the sections that exist today
// (occupational standards for everyone, accounts for body administrators, the audit chain for body
// administrators and supervisors). Server strings are only ever set as text.
import { api } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, rolesOf, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatDateTime, formatNumber, getLang, has, roleName, t } from './i18n.js';
// The names of the marking and results work areas live with the results page's text.
import './results-i18n.js';

/**
 * The work areas of each role. `href` marks the ones that exist today (a section of this page or
 * another page); the others are shown as "coming soon" and are not clickable.
 */
const WORK_AREAS = {
  body_admin: [
    { key: 'accounts', icon: 'users', href: '#users-section' },
    { key: 'audit', icon: 'ledger', href: '#audit-section' },
    { key: 'bank', icon: 'layers', href: '/bank.html' },
    { key: 'papers', icon: 'files', href: '/papers.html' },
    { key: 'certificates', icon: 'certificate' },
    { key: 'reporting', icon: 'upload' },
  ],
  exam_admin: [
    { key: 'registrationReview', icon: 'clipboard', href: '/applications.html' },
    { key: 'examPlans', icon: 'calendar', href: '/plans.html' },
    { key: 'sessions', icon: 'building', href: '/sittings.html' },
    { key: 'staffing', icon: 'team', href: '/sittings.html' },
    { key: 'proctoring', icon: 'monitor', href: '/proctor.html' },
    { key: 'resultsManage', icon: 'medal', href: '/results.html' },
    { key: 'papers', icon: 'files', href: '/papers.html' },
    { key: 'paperRelease', icon: 'unseal' },
  ],
  item_author: [
    { key: 'itemWriting', icon: 'pen', href: '/bank.html' },
    { key: 'myItems', icon: 'files', href: '/bank.html' },
  ],
  bank_custodian: [
    { key: 'bankUnseal', icon: 'key', href: '/bank.html' },
    { key: 'papers', icon: 'files', href: '/papers.html' },
    { key: 'keyRotation', icon: 'rotate' },
  ],
  examiner: [
    { key: 'proctoring', icon: 'monitor', href: '/proctor.html' },
    { key: 'markingDesk', icon: 'check', href: '/marking.html' },
    { key: 'relations', icon: 'shieldOk', href: '/sittings.html#relations' },
  ],
  supervisor: [
    { key: 'registrationReview', icon: 'clipboard', href: '/applications.html' },
    { key: 'onsiteSupervision', icon: 'binoculars', href: '/sittings.html' },
    { key: 'proctoring', icon: 'monitor', href: '/proctor.html' },
    { key: 'examPlans', icon: 'calendar', href: '/plans.html' },
    { key: 'relations', icon: 'shieldOk', href: '/sittings.html#relations' },
    { key: 'resultsManage', icon: 'medal', href: '/results.html' },
    { key: 'markingQuality', icon: 'chart', href: '/results.html' },
    { key: 'audit', icon: 'ledger', href: '#audit-section' },
    { key: 'bank', icon: 'layers', href: '/bank.html' },
    { key: 'papers', icon: 'files', href: '/papers.html' },
  ],
  candidate: [
    { key: 'apply', icon: 'form', href: '/apply.html' },
    { key: 'admissionTicket', icon: 'ticket', href: '/ticket.html' },
    { key: 'takeExam', icon: 'monitor' },
    { key: 'myResults', icon: 'medal', href: '/results.html' },
  ],
};

const USERS_ROLES = ['body_admin'];
const AUDIT_ROLES = ['body_admin', 'supervisor'];
const UNDIVIDED = '不分方向';

const state = {
  me: null,
  sections: {
    standards: { status: 'idle' },
    users: { status: 'idle' },
    audit: { status: 'idle' },
  },
};

const $ = (id) => document.getElementById(id);
const roles = () => rolesOf(state.me);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);



/** The text of a failed call, translated by code where known. */

/** A 401 from any call means the session is over: back to the login page. */

// ---------------------------------------------------------------- header and welcome


function greetingKey(date = new Date()) {
  const hour = date.getHours();
  if (hour >= 5 && hour < 12) return 'home.greeting.morning';
  if (hour >= 12 && hour < 18) return 'home.greeting.afternoon';
  return 'home.greeting.evening';
}

function renderWelcome() {
  const user = state.me.user;
  $('welcome-title').textContent = t(greetingKey(), { name: user.displayName || user.username });
  $('welcome-identity').textContent = t('home.identity', {
    roles: roles().map(roleName).join(t('home.roleSeparator')),
  });
  const session = state.me.session || {};
  const session$ = $('welcome-session');
  replaceChildren(session$, session.expiresAt
    ? [icon('clock'), el('span', { text: t('home.sessionUntil', { time: formatDateTime(session.expiresAt) }) })]
    : []);
  session$.hidden = !session.expiresAt;
}

// ---------------------------------------------------------------- workbench

function workCard(area) {
  const title = t(`work.${area.key}`);
  const body = [
    el('span', { class: 'work-icon' }, [icon(area.icon)]),
    el('span', { class: 'work-text' }, [
      el('span', { class: 'work-title', text: title }),
      el('span', { class: 'work-desc', text: t(`work.${area.key}.desc`) }),
    ]),
  ];
  if (area.href) {
    return el('li', { class: 'work-item' }, [
      el('a', { class: 'work-card is-available', attrs: { href: area.href }, dataset: { work: area.key } }, [
        ...body,
        el('span', { class: 'work-go' }, [el('span', { text: t('work.open') }), icon('arrowRight')]),
      ]),
    ]);
  }
  return el('li', { class: 'work-item' }, [
    el('div', { class: 'work-card is-soon', attrs: { 'aria-disabled': 'true' }, dataset: { work: area.key } }, [
      ...body,
      el('span', { class: 'tag tag-muted work-soon', text: t('work.comingSoon') }),
    ]),
  ]);
}

function renderWorkbench() {
  const held = roles().filter((role) => WORK_AREAS[role]);
  const seen = new Set();
  const groups = held.map((role) => {
    const areas = WORK_AREAS[role].filter((area) => !seen.has(area.key));
    areas.forEach((area) => seen.add(area.key));
    return { role, areas };
  }).filter((group) => group.areas.length > 0);

  const multi = groups.length > 1;
  replaceChildren($('workbench'), groups.map((group) => el('div', { class: 'work-group', dataset: { role: group.role } }, [
    multi ? el('h3', { class: 'work-group-title', text: t('work.groupFor', { role: roleName(group.role) }) }) : null,
    el('ul', { class: 'work-grid', attrs: { role: 'list' } }, group.areas.map(workCard)),
  ])));
}

// ---------------------------------------------------------------- shared section states




async function load(name, call, after) {
  state.sections[name] = { status: 'loading' };
  after();
  try {
    const data = await call();
    state.sections[name] = { status: 'ok', data, at: new Date() };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    state.sections[name] = { status: 'error', error };
  }
  after();
}

// ---------------------------------------------------------------- occupational standards

function levelLabel(level) {
  return has(`level.${level}`) ? t(`level.${level}`) : String(level);
}

function standardCard(standard) {
  const levels = Array.isArray(standard.levels) ? standard.levels : [];
  const englishName = getLang() === 'en' ? (standard.nameEn || standard.name_en) : null;
  return el('li', { class: 'std-card', dataset: { code: standard.code ?? '' } }, [
    el('div', { class: 'std-head' }, [
      el('span', { class: 'std-icon' }, [icon('layers')]),
      el('div', { class: 'std-titles' }, [
        el('h3', { class: 'std-name', text: standard.name ?? '' }),
        englishName ? el('p', { class: 'std-name-en', text: englishName }) : null,
      ]),
      el('span', { class: 'code-chip' }, [
        el('span', { class: 'visually-hidden', text: `${t('std.code')} ` }),
        el('span', { text: standard.code ?? '' }),
      ]),
    ]),
    el('dl', { class: 'std-levels' }, levels.flatMap((level) => {
      const directions = Array.isArray(level.directions) ? level.directions : [];
      return [
        el('dt', { class: 'level-tag', dataset: { level: level.level ?? '' }, text: levelLabel(level.level) }),
        el('dd', { class: 'chips' }, el('ul', { class: 'chip-list', attrs: { role: 'list', 'aria-label': t('std.directionsOf', { level: levelLabel(level.level) }) } },
          (directions.length ? directions : [UNDIVIDED]).map((direction) => direction === UNDIVIDED
            ? el('li', { class: 'chip chip-muted', text: t('direction.undivided') })
            : el('li', { class: 'chip', text: direction })))),
      ];
    })),
  ]);
}

function renderStandards() {
  const section = state.sections.standards;
  const list = $('standards-list');
  const count = $('standards-count');
  list.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  count.hidden = section.status !== 'ok';
  if (section.status === 'loading' || section.status === 'idle') {
    replaceChildren(list, loadingState());
    return;
  }
  if (section.status === 'error') {
    replaceChildren(list, errorState(section.error, loadStandards));
    return;
  }
  const standards = Array.isArray(section.data && section.data.standards) ? section.data.standards : [];
  count.textContent = t('std.count', { count: formatNumber(standards.length) });
  replaceChildren(list, standards.length
    ? el('ul', { class: 'std-grid', attrs: { role: 'list' } }, standards.map(standardCard))
    : el('p', { class: 'empty', text: t('std.empty') }));
}

function loadStandards() {
  return load('standards', api.exams, renderStandards);
}

// ---------------------------------------------------------------- accounts (body_admin)

function renderUsers() {
  const section = state.sections.users;
  const body = $('users-body');
  const count = $('users-count');
  $('users-section').hidden = !holdsAny(USERS_ROLES);
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  count.hidden = section.status !== 'ok';
  if (section.status === 'loading' || section.status === 'idle') {
    replaceChildren(body, loadingState());
    return;
  }
  if (section.status === 'error') {
    replaceChildren(body, errorState(section.error, loadUsers));
    return;
  }
  const users = Array.isArray(section.data && section.data.users) ? section.data.users : [];
  count.textContent = t('users.count', { count: formatNumber(users.length) });
  if (!users.length) {
    replaceChildren(body, el('p', { class: 'empty', text: t('users.empty') }));
    return;
  }
  const columns = ['displayName', 'username', 'roles', 'status', 'createdAt'];
  const table = el('table', { class: 'table', attrs: { id: 'users-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('users.caption') }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, text: t(`users.col.${column}`) })))),
    el('tbody', {}, users.map((user) => {
      const name = user.displayName || user.username || '';
      const userRoles = Array.isArray(user.roles) ? user.roles : [];
      return el('tr', { class: user.disabled ? 'is-disabled' : '', dataset: { username: user.username ?? '' } }, [
        el('th', { attrs: { scope: 'row' }, class: 'cell-name' }, [
          el('span', { class: 'avatar avatar-sm', attrs: { 'aria-hidden': 'true' }, text: Array.from(String(name))[0] || '?' }),
          el('span', { text: name }),
        ]),
        el('td', { class: 'cell-mono', text: user.username ?? '' }),
        el('td', {}, el('span', { class: 'tag-list' }, userRoles.map((role) => el('span', { class: `tag tag-role role-${role}`, text: roleName(role) })))),
        el('td', {}, el('span', { class: `status ${user.disabled ? 'status-off' : 'status-on'}`, text: t(user.disabled ? 'users.disabled' : 'users.active') })),
        el('td', { class: 'cell-muted' }, user.createdAt
          ? el('time', { attrs: { datetime: user.createdAt }, text: formatDateTime(user.createdAt) })
          : []),
      ]);
    })),
  ]);
  replaceChildren(body, el('div', { class: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'users-title' } }, table));
}

function loadUsers() {
  return load('users', api.users, renderUsers);
}

// ---------------------------------------------------------------- audit chain (body_admin, supervisor)

function renderAudit() {
  const section = state.sections.audit;
  const body = $('audit-body');
  $('audit-section').hidden = !holdsAny(AUDIT_ROLES);
  $('audit-refresh').disabled = section.status === 'loading';
  body.setAttribute('aria-busy', section.status === 'loading' ? 'true' : 'false');
  if (section.status === 'loading' || section.status === 'idle') {
    replaceChildren(body, loadingState());
    return;
  }
  if (section.status === 'error') {
    replaceChildren(body, errorState(section.error, loadAudit));
    return;
  }
  const data = section.data || {};
  const ok = data.ok === true;
  const banner = el('div', { class: `audit-banner ${ok ? 'is-ok' : 'is-bad'}`, attrs: { id: 'audit-status' }, dataset: { ok: String(ok) } }, [
    el('span', { class: 'audit-icon' }, [icon(ok ? 'shieldOk' : 'shieldBad')]),
    el('div', { class: 'audit-text' }, [
      el('p', { class: 'audit-state', text: t(ok ? 'audit.ok' : 'audit.broken') }),
      ok
        ? el('p', { class: 'audit-when', text: t('audit.checkedAt', { time: formatDateTime(section.at) }) })
        : el('p', { class: 'audit-problem' }, [
          el('span', { class: 'visually-hidden', text: `${t('audit.problem')}: ` }),
          el('span', { attrs: { id: 'audit-problem' }, text: data.problem || t('audit.noProblemText') }),
        ]),
    ]),
  ]);
  const stat = (label, value, mono = false) => el('div', { class: 'stat' }, [
    el('dt', { class: 'stat-label', text: label }),
    el('dd', { class: `stat-value${mono ? ' stat-value-sm' : ''}`, text: value }),
  ]);
  const stats = el('dl', { class: 'stats' }, [
    stat(t('audit.entries'), formatNumber(data.entries ?? 0)),
    stat(t('audit.checkpoints'), formatNumber(data.checkpoints ?? 0)),
    stat(t('audit.lastCheckpoint'), data.lastCheckpointAt ? formatDateTime(data.lastCheckpointAt) : t('audit.noCheckpoint'), true),
  ]);
  replaceChildren(body, [banner, stats]);
}

function loadAudit() {
  return load('audit', api.auditStatus, renderAudit);
}

// ---------------------------------------------------------------- page

function renderAll() {
  if (!state.me) return;
  renderHeader();
  renderWelcome();
  renderWorkbench();
  renderStandards();
  if (holdsAny(USERS_ROLES)) renderUsers();
  if (holdsAny(AUDIT_ROLES)) renderAudit();
}


async function start() {
  const me = await loadSession();
  if (!me) return;
  state.me = me;

  renderAll();
  $('page-status').hidden = true;
  $('content').hidden = false;
  document.body.classList.remove('is-loading');

  const loads = [loadStandards()];
  if (holdsAny(USERS_ROLES)) loads.push(loadUsers());
  if (holdsAny(AUDIT_ROLES)) loads.push(loadAudit());
  await Promise.all(loads);
}


function showToast(message) {
  let toast = $('toast');
  if (!toast) {
    toast = el('div', { class: 'toast', attrs: { id: 'toast', role: 'alert' } });
    document.body.append(toast);
  }
  replaceChildren(toast, [icon('alert'), el('span', { text: message })]);
  toast.classList.add('is-visible');
  window.clearTimeout(showToast.timer);
  showToast.timer = window.setTimeout(() => toast.classList.remove('is-visible'), 6000);
}

function init() {
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout(showToast));
  $('page-retry').addEventListener('click', start);
  $('audit-refresh').addEventListener('click', loadAudit);
  document.addEventListener('assay:langchange', renderAll);
  // Coming back through the back/forward cache after signing out must not show a stale page.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
