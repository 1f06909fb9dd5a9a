// The review queue (申报审核): exam administrators read candidates' applications, with the
// candidate's identity, the form and the eligibility engine's explanation, and approve or reject
// them; supervisors read the same queue with ID numbers masked by the server, and decide nothing.
//
// A rejection needs a reason the candidate will see; approving an application the engine found
// ineligible needs the grounds. The page says so; the server enforces it and its refusal is shown.
// The queue, as filtered, exports as CSV or XLSX; an application lists the candidate's documents
// (证明材料), opened with the session from an object URL.
// Server strings (names, explanations, reasons) are only ever set as text.
import { api, ApiError, request as call } from './api.js';
import {
  endIfUnauthenticated, errorMessage, errorState, holdsAnyRole, loadingState, loadSession, logout, renderHeader as renderUserHeader,
} from './page.js';
import { el, icon, replaceChildren } from './dom.js';
import { applyI18n, bindLangToggle, formatDateTime, formatNumber, getLang, has, t } from './i18n.js';
import { exportButtons, formatSize, openFile } from './files.js';

/** Who may open this page (the roles `GET /api/v1/applications` allows). */
const PAGE_ROLES = ['exam_admin', 'supervisor'];
/** Who may decide (`POST /api/v1/applications/{id}/decision`). */
const DECIDE_ROLES = ['exam_admin'];
const STATUSES = ['submitted', 'approved', 'rejected', 'withdrawn'];
const LEVELS = ['初级', '中级', '高级'];
const UNDIVIDED = '不分方向';
const MAX_REASON = 500;

const state = {
  me: null,
  standards: [],
  filters: { status: 'submitted', occupation: '', level: '' },
  list: { status: 'idle' },
  /** The application open in the side sheet: {id, token, status, data, error, busy, message, reasonError}. */
  detail: null,
  selectedId: null,
  /** The message beside the export buttons, and of viewing a document. */
  queueMessage: null,
};

const $ = (id) => document.getElementById(id);
const holdsAny = (allowed) => holdsAnyRole(state.me, allowed);
const renderHeader = () => renderUserHeader(state.me);
const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const label = (prefix, value) => (has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : text(value));
const levelLabel = (level) => label('level', level);
const statusName = (status) => label('application.status', status);
const directionName = (direction) => (!direction || direction === UNDIVIDED ? t('direction.undivided') : text(direction));
const yesNo = (value) => t(value ? 'review.yes' : 'review.no');

const reviewApi = {
  queue: (filters) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    const suffix = query.toString();
    return call('GET', `/api/v1/applications${suffix ? `?${suffix}` : ''}`);
  },
  application: (id) => call('GET', `/api/v1/applications/${encodeURIComponent(id)}`),
  decide: (id, decision, reason) => call('POST', `/api/v1/applications/${encodeURIComponent(id)}/decision`, { decision, reason }),
};

function occupationName(code) {
  const standard = state.standards.find((entry) => entry.code === code);
  return standard && standard.name ? `${standard.name}（${code}）` : text(code);
}

function explanationOf(view) {
  return text(getLang() === 'en' && view.explanationEnglish ? view.explanationEnglish : view.explanation);
}

function statusTag(status) {
  return el('span', { class: `app-status app-status-${STATUSES.includes(status) ? status : 'other'}`, text: statusName(status) });
}

function verdictTag(application) {
  const eligibility = application.eligibility || {};
  if (eligibility.eligible === true) {
    return el('span', { class: 'tag tag-ok verdict-tag', dataset: { eligible: 'true' }, text: t('review.verdict.eligible', { clause: text(eligibility.metClause) }) });
  }
  return el('span', { class: 'tag tag-warn verdict-tag', dataset: { eligible: 'false' }, text: t('review.verdict.ineligible') });
}

// ---------------------------------------------------------------- filters and the queue

function option(value, optionLabel, selected) {
  return el('option', { attrs: { value, selected: selected ? true : null }, text: optionLabel });
}

function renderFilters() {
  const f = state.filters;
  replaceChildren($('filter-status'), [
    ...STATUSES.map((status) => option(status, statusName(status), f.status === status)),
    option('', t('review.filter.all'), f.status === ''),
  ]);
  replaceChildren($('filter-occupation'), [
    option('', t('review.filter.allOccupations'), f.occupation === ''),
    ...state.standards.map((standard) => option(standard.code, occupationName(standard.code), f.occupation === standard.code)),
  ]);
  replaceChildren($('filter-level'), [
    option('', t('review.filter.allLevels'), f.level === ''),
    ...LEVELS.map((level) => option(level, levelLabel(level), f.level === level)),
  ]);
}

/** The export of the queue as filtered now (CSV or XLSX, with ID numbers masked for supervisors). */
function renderExport() {
  replaceChildren($('queue-export'), exportButtons({
    id: 'applications-export',
    url: (format) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(state.filters)) if (value) query.set(name, value);
      query.set('format', format);
      return `/api/v1/applications/export?${query.toString()}`;
    },
    fallbackName: 'applications',
    labelKey: 'review.export',
    report: (message) => {
      state.queueMessage = message;
      renderQueueMessage();
    },
  }));
}

function renderQueueMessage() {
  const box = $('queue-message');
  const message = state.queueMessage;
  box.className = `alert alert-live${message ? ` is-visible alert-${message.kind}` : ''}`;
  if (!message) {
    box.replaceChildren();
    return;
  }
  replaceChildren(box, [icon(message.kind === 'success' ? 'check' : 'alert'), el('span', { text: message.text })]);
}

function onFilterChange() {
  state.filters = {
    status: $('filter-status').value,
    occupation: $('filter-occupation').value,
    level: $('filter-level').value,
  };
  loadList();
}

function queueRow(view) {
  const application = view.application || {};
  const form = application.form || {};
  const candidate = view.candidate || {};
  const id = text(application.id);
  const selected = selectedId() === id;
  return el('tr', {
    class: `app-row is-clickable${selected ? ' is-selected' : ''}`,
    dataset: { id, status: text(application.status), level: text(form.level), eligible: String(Boolean(application.eligibility && application.eligibility.eligible)) },
    attrs: { tabindex: '0', 'aria-describedby': 'queue-lead', 'aria-current': selected ? 'true' : null },
    on: { click: () => openDetail(id), keydown: (event) => onRowKey(event, id) },
  }, [
    el('th', { attrs: { scope: 'row' }, class: 'app-candidate', text: text(candidate.name) || '—' }),
    el('td', {}, el('div', { class: 'app-identity' }, [
      el('span', { class: 'app-idtype', text: label('idType', candidate.idType) }),
      el('span', { class: 'mono app-idnumber', text: text(candidate.idNumber) }),
    ])),
    el('td', {}, el('div', { class: 'app-target' }, [
      el('span', { class: 'app-occupation', text: occupationName(form.occupation) }),
      el('span', { class: 'app-target-sub' }, [
        el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(form.level) }, text: levelLabel(form.level) }),
        el('span', { class: 'app-direction', text: directionName(form.direction) }),
      ]),
    ])),
    el('td', {}, verdictTag(application)),
    el('td', { class: 'cell-muted' }, application.createdAt ? el('time', { attrs: { datetime: text(application.createdAt) }, text: formatDateTime(application.createdAt) }) : []),
    el('td', {}, statusTag(application.status)),
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

function selectedId() {
  return state.detail ? state.detail.id : state.selectedId;
}

function renderList() {
  const section = state.list;
  const body = $('queue-body');
  const count = $('queue-count');
  $('queue-refresh').disabled = section.status === 'loading';
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
  const views = list(section.data);
  count.hidden = false;
  count.textContent = t('review.queue.count', { count: formatNumber(views.length) });
  if (!views.length) {
    replaceChildren(body, el('p', { class: 'empty', attrs: { id: 'queue-empty' }, text: t(state.filters.status === 'submitted' ? 'review.queue.emptySubmitted' : 'review.queue.empty') }));
    return;
  }
  const columns = ['candidate', 'identity', 'target', 'verdict', 'createdAt', 'status'];
  const table = el('table', { class: 'table app-table', attrs: { id: 'queue-table' } }, [
    el('caption', { class: 'visually-hidden', text: t('review.queue.caption') }),
    el('thead', {}, el('tr', {}, columns.map((column) => el('th', { attrs: { scope: 'col' }, text: t(`review.col.${column}`) })))),
    el('tbody', {}, views.map(queueRow)),
  ]);
  const focusedId = document.activeElement && document.activeElement.closest && document.activeElement.closest('#queue-table tr') ? document.activeElement.dataset.id : null;
  replaceChildren(body, [
    el('div', { class: 'table-wrap asm-wrap' }, table),
    section.status === 'error' ? errorState(section.error, loadList) : null,
  ]);
  if (focusedId) {
    const row = rowOf(focusedId);
    if (row) row.focus();
  }
}

function rowOf(id) {
  return Array.from(document.querySelectorAll('#queue-table tbody tr')).find((node) => node.dataset.id === id) || null;
}

async function loadList() {
  const token = {};
  state.list = { ...state.list, status: 'loading', token };
  renderList();
  try {
    const data = await reviewApi.queue(state.filters);
    if (state.list.token !== token) return;
    state.list = { status: 'ok', data: list(data && data.applications), token };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.list.token !== token) return;
    state.list = { ...state.list, status: 'error', error, token };
  }
  renderList();
}

// ---------------------------------------------------------------- one application: the side sheet

function detailView() {
  const detail = state.detail;
  if (!detail) return null;
  if (detail.data) return detail.data;
  return list(state.list.data).find((view) => view.application && view.application.id === detail.id) || null;
}

async function openDetail(id) {
  const dialog = $('application');
  const token = {};
  const known = list(state.list.data).find((view) => view.application && view.application.id === id) || null;
  state.detail = { id, token, status: known ? 'ok' : 'loading', data: known, busy: null, message: null, reasonError: null, reason: '' };
  state.selectedId = id;
  markSelectedRow();
  renderDetail();
  if (!dialog.open) dialog.showModal();
  dialog.querySelector('.preview-shell').scrollTop = 0;
  try {
    const fetched = await reviewApi.application(id);
    if (!state.detail || state.detail.token !== token) return;
    // A decision made meanwhile (from the list's copy) is newer than this read.
    if (state.detail.busy || state.detail.decided) return;
    state.detail = { ...state.detail, status: 'ok', data: fetched || known };
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.detail || state.detail.token !== token) return;
    if (!known) state.detail = { ...state.detail, status: 'error', error };
  }
  renderDetail();
}

function closeDetail() {
  const dialog = $('application');
  if (dialog.open) dialog.close();
}

function onDetailClosed() {
  const id = state.detail && state.detail.id;
  state.detail = null;
  $('application').dataset.state = 'closed';
  replaceChildren($('application-body'));
  replaceChildren($('application-meta'));
  replaceChildren($('decision'));
  $('decision').hidden = true;
  renderMessage(null);
  markSelectedRow();
  const row = id && rowOf(id);
  if (row) row.focus();
  else $('queue-refresh').focus();
}

function markSelectedRow() {
  for (const row of document.querySelectorAll('#queue-table tbody tr')) {
    const selected = Boolean(selectedId() && row.dataset.id === selectedId());
    row.classList.toggle('is-selected', selected);
    if (selected) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
}

function fact(key, value, extra = {}) {
  const shown = value === null || value === undefined || value === '' ? el('span', { class: 'cell-muted', text: '—' })
    : typeof value === 'string' || typeof value === 'number' ? el('span', { text: String(value) }) : value;
  return el('div', { class: 'detail-fact', dataset: extra }, [el('dt', { text: t(key) }), el('dd', {}, shown)]);
}

function timeNode(value) {
  return value ? el('time', { attrs: { datetime: text(value) }, text: formatDateTime(value) }) : null;
}

function block(id, titleKey, iconName, children) {
  return el('section', { class: 'detail-block', attrs: { id, 'aria-labelledby': `${id}-title` } }, [
    el('h3', { class: 'block-title', attrs: { id: `${id}-title` } }, [icon(iconName), el('span', { text: t(titleKey) })]),
    ...children,
  ]);
}

function renderDetailMeta(view) {
  const application = (view && view.application) || {};
  const candidate = (view && view.candidate) || {};
  $('application-title').textContent = text(candidate.name) || text(application.id) || text(state.detail.id);
  $('application').dataset.status = text(application.status);
  replaceChildren($('application-meta'), [
    el('div', { class: 'preview-tags' }, [
      el('span', { attrs: { id: 'application-status' }, dataset: { status: text(application.status) } }, statusTag(application.status)),
      application.form ? el('span', { class: 'level-tag level-tag-sm', dataset: { level: text(application.form.level) }, text: levelLabel(application.form.level) }) : null,
      application.eligibility ? verdictTag(application) : null,
    ]),
    el('dl', { class: 'meta-facts' }, [
      el('div', { class: 'meta-fact' }, [el('dt', { text: t('review.detail.id') }), el('dd', { class: 'mono', attrs: { id: 'application-id' }, text: text(application.id || state.detail.id) })]),
      application.createdAt ? el('div', { class: 'meta-fact' }, [el('dt', { text: t('review.col.createdAt') }), el('dd', {}, timeNode(application.createdAt))]) : null,
    ]),
  ]);
}

function renderDetailBody(view) {
  const application = view.application || {};
  const form = application.form || {};
  const candidate = view.candidate || {};
  const eligibility = application.eligibility || {};
  const eligible = eligibility.eligible === true;
  const date = (value) => text(value) || null;
  const decided = application.status && application.status !== 'submitted';
  return [
    block('detail-identity', 'review.detail.identity', 'user', [
      el('dl', { class: 'detail-facts' }, [
        fact('review.field.name', candidate.name),
        fact('review.field.idType', label('idType', candidate.idType)),
        fact('review.field.idNumber', candidate.idNumber ? el('span', { class: 'mono', attrs: { id: 'detail-idnumber' }, text: text(candidate.idNumber) }) : null),
        fact('review.field.gender', label('gender', candidate.gender)),
        fact('review.field.birthDate', date(candidate.birthDate)),
      ]),
    ]),
    block('detail-form', 'review.detail.form', 'form', [
      el('dl', { class: 'detail-facts' }, [
        fact('apply.fieldName.occupation', occupationName(form.occupation)),
        fact('apply.fieldName.level', levelLabel(form.level)),
        fact('apply.fieldName.direction', directionName(form.direction)),
        fact('apply.fieldName.education', form.education ? label('education', form.education) : t('review.none')),
        fact('apply.fieldName.finalYearOf', form.finalYearOf ? label('education', form.finalYearOf) : t('review.no')),
        fact('apply.fieldName.major', form.major),
        fact('apply.fieldName.relevantMajor', yesNo(form.relevantMajor)),
        fact('apply.fieldName.title', form.title ? label('title', form.title) : t('review.none')),
        fact('apply.fieldName.titleObtained', date(form.titleObtained)),
        fact('apply.fieldName.certificate', form.certificate ? levelLabel(form.certificate) : t('review.none')),
        fact('apply.fieldName.certificateObtained', date(form.certificateObtained)),
        fact('apply.fieldName.certificateNumber', form.certificateNumber ? el('span', { class: 'mono', text: text(form.certificateNumber) }) : null),
        fact('apply.fieldName.yearsInOccupation', t('review.unit.years', { n: formatNumber(form.yearsInOccupation ?? 0) })),
        fact('apply.fieldName.trainingHours', t('review.unit.hours', { n: formatNumber(form.trainingHours ?? 0) })),
        fact('apply.fieldName.technicalSchoolGraduate', yesNo(form.technicalSchoolGraduate)),
        fact('apply.fieldName.employer', form.employer),
      ]),
    ]),
    block('detail-eligibility', 'review.detail.eligibility', 'scale', [
      el('div', { class: `apply-verdict ${eligible ? 'is-ok' : 'is-bad'}`, attrs: { id: 'detail-verdict' }, dataset: { eligible: String(eligible) } }, [
        el('span', { class: 'report-verdict-icon' }, icon(eligible ? 'shieldOk' : 'shieldBad')),
        el('div', { class: 'apply-verdict-text' }, [
          el('p', { class: 'apply-verdict-title', text: eligible ? t('apply.verdict.eligible', { clause: text(eligibility.metClause) }) : t('apply.verdict.ineligible') }),
          el('p', { class: 'apply-explanation', attrs: { id: 'detail-explanation' }, text: explanationOf(view) }),
        ]),
      ]),
    ]),
    block('detail-commitment', 'review.detail.commitment', 'shieldOk', [
      el('dl', { class: 'detail-facts' }, [
        fact('review.field.commitmentSHA256', el('span', { class: 'mono detail-hash', attrs: { id: 'detail-sha' }, text: text(application.commitmentSHA256) })),
        fact('review.field.committedAt', timeNode(application.committedAt)),
        fact('review.field.clientAddress', application.clientAddress ? el('span', { class: 'mono', text: text(application.clientAddress) }) : null),
        fact('review.field.userAgent', application.userAgent ? el('span', { class: 'detail-agent', text: text(application.userAgent) }) : null),
      ]),
    ]),
    block('detail-evidence', 'review.detail.evidence', 'files', [evidenceList(view)]),
    decided ? block('detail-decision', 'review.detail.decision', 'clipboard', [
      el('dl', { class: 'detail-facts' }, [
        fact('review.field.status', statusTag(application.status)),
        fact('review.field.reason', application.reason ? el('span', { class: 'detail-reason', attrs: { id: 'detail-reason' }, text: text(application.reason) }) : null),
        fact('review.field.decidedAt', timeNode(application.decidedAt)),
        fact('review.field.decidedBy', application.decidedBy ? el('span', { class: 'mono', text: text(application.decidedBy) }) : null),
      ]),
    ]) : null,
  ];
}

/** The candidate's documents (证明材料), each opened from an object URL with the session. */
function evidenceList(view) {
  if (!Array.isArray(view.evidence)) return el('p', { class: 'review-note', attrs: { id: 'detail-evidence-none' }, text: t('review.evidence.unavailable') });
  const items = [...view.evidence].sort((a, b) => text(a.uploadedAt).localeCompare(text(b.uploadedAt)));
  if (!items.length) return el('p', { class: 'review-note', attrs: { id: 'detail-evidence-none' }, text: t('review.evidence.none') });
  return el('ul', { class: 'evidence-list', attrs: { id: 'detail-evidence-list', role: 'list' } }, items.map((item) => {
    const id = text(item.id);
    return el('li', { class: 'evidence-item', dataset: { id, kind: text(item.kind) } }, [
      el('span', { class: 'tag evidence-kind', text: label('evidence.kind', item.kind) }),
      el('span', { class: 'evidence-name', text: text(item.fileName) }),
      el('span', { class: 'evidence-meta cell-muted', text: [formatSize(item.size), item.uploadedAt ? formatDateTime(item.uploadedAt) : ''].filter(Boolean).join(' · ') }),
      el('button', {
        class: 'btn btn-ghost btn-sm', attrs: { type: 'button' }, dataset: { action: 'view-evidence', id },
        on: { click: () => viewEvidence(item) },
      }, [icon('eye'), el('span', { text: t('evidence.view') })]),
    ]);
  }));
}

async function viewEvidence(item) {
  const detail = state.detail;
  try {
    const how = await openFile(`/api/v1/evidence/${encodeURIComponent(item.id)}`, text(item.fileName));
    if (how === 'saved' && state.detail === detail) {
      detail.message = { kind: 'success', key: 'evidence.done.saved', params: { name: text(item.fileName) }, code: 'saved' };
      renderMessage(detail.message);
    }
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (state.detail !== detail) return;
    detail.message = { kind: 'error', key: 'evidence.error.view', params: { message: errorMessage(error) }, code: error instanceof ApiError ? error.code : 'generic' };
    renderMessage(detail.message);
    $('application-message').focus();
  }
}

function renderDecision(view) {
  const box = $('decision');
  const detail = state.detail;
  const application = (view && view.application) || {};
  const canDecide = detail.status === 'ok' && holdsAny(DECIDE_ROLES) && application.status === 'submitted';
  box.hidden = !(detail.status === 'ok');
  if (!canDecide) {
    if (detail.status !== 'ok') {
      replaceChildren(box);
      return;
    }
    const key = !holdsAny(DECIDE_ROLES) ? 'review.decision.readOnly' : 'review.decision.done';
    replaceChildren(box, el('p', { class: 'review-note', attrs: { id: 'decision-none' }, text: t(key) }));
    return;
  }
  const eligible = Boolean(application.eligibility && application.eligibility.eligible);
  const focused = box.contains(document.activeElement) ? document.activeElement.id : '';
  const reasonValue = $('decision-reason') ? $('decision-reason').value : detail.reason;
  const busy = detail.busy;
  const button = (id, decision, labelKey, className) => el('button', {
    class: `btn ${className}${busy === decision ? ' is-busy' : ''}`,
    attrs: { type: 'button', id, 'aria-disabled': busy ? 'true' : null, 'aria-busy': busy === decision ? 'true' : null, 'aria-describedby': 'decision-rule' },
    dataset: { decision },
    on: { click: () => decide(decision) },
  }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'btn-label', text: t(busy === decision ? 'review.decision.working' : labelKey) })]);
  replaceChildren(box, [
    el('h3', { class: 'block-title' }, [icon('check'), el('span', { text: t('review.decision.title') })]),
    el('div', { class: 'review-panel' }, [
      el('ul', { class: 'decision-rules', attrs: { id: 'decision-rule' } }, [
        el('li', { text: t('review.decision.ruleReject') }),
        el('li', { class: eligible ? '' : 'is-required', attrs: { id: 'decision-rule-approve' }, text: t(eligible ? 'review.decision.ruleApprove' : 'review.decision.ruleApproveIneligible') }),
      ]),
      el('div', { class: 'field' }, [
        el('label', { class: 'field-label', attrs: { for: 'decision-reason' }, text: t(eligible ? 'review.decision.reason' : 'review.decision.reasonIneligible') }),
        el('textarea', {
          class: 'input-plain textarea review-comment',
          attrs: { id: 'decision-reason', rows: '3', maxlength: String(MAX_REASON), 'aria-describedby': 'decision-rule decision-reason-error', 'aria-invalid': detail.reasonError ? 'true' : null },
          on: { input: onReasonInput },
        }),
        el('p', { class: 'field-error', attrs: { id: 'decision-reason-error', hidden: detail.reasonError ? null : true }, text: detail.reasonError || '' }),
      ]),
      el('div', { class: 'form-actions' }, [
        button('decision-approve', 'approve', 'review.decision.approve', 'btn-primary'),
        button('decision-reject', 'reject', 'review.decision.reject', 'btn-outline btn-seal'),
      ]),
    ]),
  ]);
  $('decision-reason').value = reasonValue || '';
  const again = focused && document.getElementById(focused);
  if (again) again.focus();
}

function onReasonInput() {
  const detail = state.detail;
  if (!detail) return;
  detail.reason = $('decision-reason').value;
  if (detail.reasonError) {
    detail.reasonError = null;
    $('decision-reason').removeAttribute('aria-invalid');
    $('decision-reason-error').hidden = true;
  }
}

function renderMessage(message) {
  const box = $('application-message');
  box.className = `alert alert-live assembly-message${message ? ` is-visible alert-${message.kind}` : ''}`;
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
      message.detail ? el('span', { class: 'alert-detail', text: message.detail }) : null,
    ]),
  ]);
}

function renderDetail() {
  const detail = state.detail;
  if (!detail) return;
  const view = detailView();
  const body = $('application-body');
  $('application').dataset.state = detail.status;
  body.setAttribute('aria-busy', detail.status === 'loading' ? 'true' : 'false');
  renderDetailMeta(view);
  renderMessage(detail.message);
  if (detail.status === 'loading') replaceChildren(body, loadingState(5));
  else if (detail.status === 'error') replaceChildren(body, errorState(detail.error, () => openDetail(detail.id)));
  else replaceChildren(body, renderDetailBody(view || {}));
  renderDecision(view);
}

async function decide(decision) {
  const detail = state.detail;
  if (!detail || detail.busy) return;
  const { id, token } = detail;
  const reason = $('decision-reason').value.trim();
  detail.reason = $('decision-reason').value;
  detail.busy = decision;
  detail.message = null;
  detail.reasonError = null;
  renderDetail();
  let focus = 'application-message';
  try {
    const updated = await reviewApi.decide(id, decision, reason || null);
    if (!state.detail || state.detail.token !== token) return;
    detail.data = { ...(detail.data || {}), ...(updated || {}) };
    detail.decided = true;
    detail.reason = '';
    detail.message = { kind: 'success', key: `review.decision.done.${decision}`, code: decision === 'approve' ? 'approved' : 'rejected' };
    loadList();
  } catch (error) {
    if (endIfUnauthenticated(error)) return;
    if (!state.detail || state.detail.token !== token) return;
    const code = error instanceof ApiError ? error.code : 'generic';
    const server = error instanceof ApiError && error.message !== code ? text(error.message) : '';
    if (code === 'reason_required' || code === 'reason_too_long') {
      detail.reasonError = server || t(`review.decision.error.${code}`);
      detail.message = { kind: 'error', key: `review.decision.error.${code}`, code };
      focus = 'decision-reason';
    } else {
      detail.message = {
        kind: 'error',
        key: has(`review.decision.error.${code}`) ? `review.decision.error.${code}` : 'review.decision.error.other',
        params: { message: errorMessage(error) },
        detail: code === 'wrong_status' ? server : null,
        code,
      };
      if (code === 'wrong_status') refreshDetail(id, token);
    }
  } finally {
    if (state.detail && state.detail.token === token) state.detail.busy = null;
  }
  if (!state.detail || state.detail.token !== token) return;
  renderDetail();
  const target = $(focus) || $('application-message');
  target.focus();
}

/** After a conflict: read the application again (decided elsewhere) and the queue. */
async function refreshDetail(id, token) {
  loadList();
  try {
    const fetched = await reviewApi.application(id);
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
  renderFilters();
  renderList();
  if (state.detail) renderDetail();
}

function renderAll() {
  if (!state.me) return;
  renderHeader();
  if (!holdsAny(PAGE_ROLES)) return;
  $('readonly-note').hidden = holdsAny(DECIDE_ROLES);
  renderExport();
  renderQueueMessage();
  renderFilters();
  renderList();
  renderDetail();
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
  applyI18n();
  bindLangToggle($('lang-toggle'));
  $('logout').addEventListener('click', () => logout());
  $('page-retry').addEventListener('click', start);
  for (const id of ['filter-status', 'filter-occupation', 'filter-level']) $(id).addEventListener('change', onFilterChange);
  $('queue-filters').addEventListener('submit', (event) => event.preventDefault());
  $('queue-refresh').addEventListener('click', loadList);
  $('application-close').addEventListener('click', closeDetail);
  $('application').addEventListener('close', onDetailClosed);
  $('application').addEventListener('click', (event) => {
    if (event.target === $('application')) closeDetail();
  });
  document.addEventListener('assay:langchange', renderAll);
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) window.location.reload();
  });
  start();
}

init();
