// The item editor (试题编辑) of the bank page: writes a new draft, or a revision of an item the author
// may read, as a native item document (docs/ITEMBANK.md: the same keys as the YAML, in JSON) and
// sends it to the server — `POST /api/v1/items` or `POST /api/v1/items/{id}/versions`.
//
// The page checks only what a person gets wrong while typing (the item ID's characters, levels,
// the 鉴定点, the numbers); the server checks everything again and its problems are listed next to
// the form, each linked to its field where the field can be told from the message. The form keeps
// what was typed after any refusal.
//
// The form is drawn from a model (`draft`): inputs write to it as they change, and structural
// changes (type, levels, rows added or removed) draw the form again from it, keeping the focus.
// Item content lives in the model only while the editor is open; closing it drops the model.
import { ApiError, request } from './api.js';
import { el, icon, replaceChildren } from './dom.js';
import { endIfUnauthenticated, errorMessage } from './page.js';
import { formatNumber, has, t } from './i18n.js';

/** What an item ID may be (the server checks the same). */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

const TYPES = ['single_choice', 'multiple_choice', 'true_false', 'fill_in', 'short_answer', 'practical_task'];
const LEVELS = ['初级', '中级', '高级'];
const LETTERS = 'ABCDEFGH'.split('');
const MIN_OPTIONS = 2;
const DEFAULT_OPTIONS = 4;
/** A fill-in blank in a stem: two or more underscores and a number in brackets, e.g. ____(1). */
const BLANK_MARKER = /_{2,}[(（]\s*([0-9０-９]+)\s*[)）]/g;
/** Fields in the order of the form: the first one with a problem gets the focus. */
const FIELD_ORDER = [
  'id', 'occupation', 'type', 'levels', 'directions', 'point', 'difficulty', 'points', 'discrimination', 'enemy',
  'stem', 'options', 'answer', 'blanks', 'reference', 'preparation', 'statement', 'time', 'materials', 'scoring', 'explanation',
];
/**
 * The field a server problem is about, from its wording (ItemValidator and the native reader).
 * Order matters: "the answer B is not one of the options" is about the answer.
 */
const SERVER_FIELDS = [
  [/^the id must|^id already used|^id is required/i, 'id'],
  [/keeps the item's occupation and type/i, 'type'],
  [/^occupation/i, 'occupation'],
  [/^unknown type|^type is required/i, 'type'],
  [/scoring|评分细则/i, 'scoring'],
  [/鉴定点|^point is required|^point must/i, 'point'],
  [/reference answer|reference_answer/i, 'reference'],
  [/blank/i, 'blanks'],
  [/answer/i, 'answer'],
  [/option/i, 'options'],
  [/stem/i, 'stem'],
  [/level/i, 'levels'],
  [/direction/i, 'directions'],
  [/difficulty/i, 'difficulty'],
  [/discrimination/i, 'discrimination'],
  [/^points/i, 'points'],
  [/preparation|考核准备通知单/i, 'preparation'],
  [/statement/i, 'statement'],
  [/time_minutes/i, 'time'],
  [/material/i, 'materials'],
];

const $ = (id) => document.getElementById(id);

/** Two small icons the shared set does not have: plus (add a row) and a cross (remove one). */
const ED_ICONS = { plus: ['M12 5v14', 'M5 12h14'], cross: ['M6.5 6.5l11 11', 'M17.5 6.5l-11 11'] };
function edIcon(name) {
  const svg = icon('dot');
  svg.replaceChildren(...ED_ICONS[name].map((d) => {
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', d);
    return path;
  }));
  return svg;
}
const text = (value) => (value === null || value === undefined ? '' : String(value));
const list = (value) => (Array.isArray(value) ? value : []);
const isChoice = (type) => type === 'single_choice' || type === 'multiple_choice';
const isScored = (type) => type === 'short_answer' || type === 'practical_task';
const blankText = (value) => !text(value).trim();
const levelLabel = (level) => (has(`level.${level}`) ? t(`level.${level}`) : String(level));

let rowCounter = 0;
/** A key for a row (option, blank, scoring point, material) that survives rows being removed. */
const rowKey = () => `r${(rowCounter += 1)}`;
const optionRow = (value = '') => ({ key: rowKey(), text: value });
const blankRow = (value = '') => ({ key: rowKey(), text: value });
const scoringRow = (row = {}) => ({ key: rowKey(), point: text(row.point), marks: text(row.marks), criteria: text(row.criteria) });
const materialRow = (row = {}) => ({ key: rowKey(), name: text(row.name), description: text(row.description) });

/** Numbers as typed: '' when empty, NaN when not a number. */
function numberOf(value) {
  const trimmed = text(value).trim();
  return trimmed ? Number(trimmed) : '';
}

/** The blank numbers marked in a stem, in order, as numbers. */
export function blankMarkers(stem) {
  return Array.from(text(stem).matchAll(BLANK_MARKER), (match) => Number(match[1].replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))));
}

/**
 * The accepted answers of one blank as typed: one per line; on a single line, separated by commas
 * (half- or full-width). Empty entries are dropped.
 */
export function splitVariants(value) {
  const lines = text(value).split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const parts = lines.length === 1 ? lines[0].split(/[,，]/) : lines;
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** Rows of a type the model keeps per type, seeded when the author first switches to that type. */
function seedRows(draft) {
  if (isChoice(draft.type) && !draft.options.length) draft.options = Array.from({ length: DEFAULT_OPTIONS }, () => optionRow());
  if (draft.type === 'fill_in' && !draft.blanks.length) draft.blanks = [blankRow()];
  if (isScored(draft.type) && !draft.scoring.length) draft.scoring = [scoringRow()];
}

function newDraft(occupation) {
  const draft = {
    mode: 'create', id: '', occupation: text(occupation), type: 'single_choice', levels: [], directionsMode: 'all', directions: [],
    point: '', difficulty: '', points: '1', discrimination: '', enemyGroup: '',
    stem: '', options: [], single: '', multiple: [], truth: '', blanks: [], reference: '', scoring: [],
    preparation: '', statement: '', timeMinutes: '', materials: [], explanation: '',
    version: null, status: null, synthetic: false, statsUnknown: false, dirty: false, errors: null, confirmClose: false,
  };
  seedRows(draft);
  return draft;
}

/** A model from `GET /api/v1/items/{id}` ({item, content}); see BankRoutes.ContentView. */
function draftFromDocument(doc) {
  const item = (doc && doc.item) || {};
  const content = (doc && doc.content) || {};
  const options = content.options && typeof content.options === 'object' ? content.options : {};
  const letters = Object.keys(options).sort((a, b) => (LETTERS.indexOf(a) - LETTERS.indexOf(b)) || a.localeCompare(b));
  const optionRows = letters.map((letter) => optionRow(text(options[letter])));
  const keyOf = (letter) => {
    const index = letters.indexOf(letter);
    return index >= 0 ? optionRows[index].key : '';
  };
  const draft = {
    mode: 'revise', id: text(item.id), occupation: text(item.occupation), type: TYPES.includes(item.type) ? item.type : 'single_choice',
    levels: list(item.levels).map(text), directionsMode: Array.isArray(item.directions) ? 'only' : 'all', directions: list(item.directions).map(text),
    point: text(item.point), difficulty: text(item.difficulty), points: text(item.points),
    // Not every server shows these with the content; when it does, they are kept.
    discrimination: text(item.discrimination ?? ''), enemyGroup: text(item.enemyGroup ?? item.enemy_group ?? ''),
    stem: text(content.stem), options: optionRows,
    single: typeof content.answer === 'string' ? keyOf(content.answer) : '',
    multiple: list(content.answers).map(keyOf).filter(Boolean),
    truth: typeof content.truth === 'boolean' ? String(content.truth) : '',
    blanks: list(content.blanks).map((variants) => blankRow(list(variants).map(text).join('\n'))),
    reference: text(content.referenceAnswer), scoring: list(content.scoring).map(scoringRow),
    preparation: text(content.preparation), statement: text(content.statement),
    timeMinutes: content.timeMinutes === null || content.timeMinutes === undefined ? '' : text(content.timeMinutes),
    materials: list(content.materials).map(materialRow), explanation: text(content.explanation),
    version: Number(item.version) || null, status: text(item.status), synthetic: item.synthetic === true,
    activeVersion: Number(item.activeVersion) || null,
    // When the server's item view carries neither, the author is told to enter them again.
    statsUnknown: !('discrimination' in item) && !('enemyGroup' in item) && !('enemy_group' in item),
    dirty: false, errors: null, confirmClose: false,
  };
  seedRows(draft);
  return draft;
}

/**
 * The native item document for the model: `{schema: 1, occupation, items: [item]}`. What the author
 * left empty is left out, so the server names what is missing.
 */
export function buildDocument(draft) {
  const item = {
    id: draft.id.trim(),
    type: draft.type,
    levels: LEVELS.filter((level) => draft.levels.includes(level)).concat(draft.levels.filter((level) => !LEVELS.includes(level))),
    directions: draft.directionsMode === 'all' ? 'all' : draft.directions.slice(),
    point: draft.point.trim(),
  };
  for (const [key, value] of [['difficulty', draft.difficulty], ['points', draft.points], ['discrimination', draft.discrimination]]) {
    const number = numberOf(value);
    if (number !== '') item[key] = number;
  }
  if (!blankText(draft.enemyGroup)) item.enemy_group = draft.enemyGroup.trim();
  item.stem = draft.stem;
  const letterOf = (key) => LETTERS[draft.options.findIndex((row) => row.key === key)];
  if (isChoice(draft.type)) {
    item.options = Object.fromEntries(draft.options.map((row, index) => [LETTERS[index], row.text]));
    if (draft.type === 'single_choice' && letterOf(draft.single)) item.answer = letterOf(draft.single);
    if (draft.type === 'multiple_choice') {
      const letters = draft.options.filter((row) => draft.multiple.includes(row.key)).map((row) => letterOf(row.key));
      if (letters.length) item.answer = letters;
    }
  } else if (draft.type === 'true_false') {
    if (draft.truth) item.answer = draft.truth === 'true';
  } else if (draft.type === 'fill_in') {
    if (draft.blanks.length) item.blanks = draft.blanks.map((row) => splitVariants(row.text));
  }
  if (draft.type === 'practical_task') {
    if (!blankText(draft.preparation)) item.preparation = draft.preparation;
    if (!blankText(draft.statement)) item.statement = draft.statement;
    const minutes = numberOf(draft.timeMinutes);
    if (minutes !== '') item.time_minutes = minutes;
    const materials = draft.materials.filter((row) => !blankText(row.name) || !blankText(row.description));
    if (materials.length) item.materials = materials.map((row) => ({ name: row.name.trim(), description: row.description }));
  }
  if (isScored(draft.type)) {
    if (!blankText(draft.reference)) item.reference_answer = draft.reference;
    const rows = draft.scoring.filter((row) => !blankText(row.point) || !blankText(row.marks) || !blankText(row.criteria));
    if (rows.length) {
      item.scoring = rows.map((row) => {
        const entry = { point: row.point.trim() };
        const marks = numberOf(row.marks);
        if (marks !== '') entry.marks = marks;
        entry.criteria = row.criteria;
        return entry;
      });
    }
  }
  if (!blankText(draft.explanation)) item.explanation = draft.explanation;
  // A revision of a generated item stays marked as generated.
  if (draft.synthetic) item.synthetic = true;
  return { schema: 1, occupation: draft.occupation, items: [item] };
}

/** What the page itself refuses before sending: [{field, key}] with i18n keys. */
export function clientProblems(draft) {
  const problems = [];
  const add = (field, key) => problems.push({ field, key });
  if (draft.mode === 'create' && !ITEM_ID_PATTERN.test(draft.id.trim())) add('id', 'bank.editor.error.id');
  if (!draft.occupation) add('occupation', 'bank.editor.error.occupation');
  if (!draft.levels.length) add('levels', 'bank.editor.error.levels');
  if (draft.directionsMode === 'only' && !draft.directions.length) add('directions', 'bank.editor.error.directions');
  if (blankText(draft.point)) add('point', 'bank.editor.error.point');
  const difficulty = numberOf(draft.difficulty);
  if (difficulty === '' || !(difficulty >= 0 && difficulty <= 1)) add('difficulty', 'bank.editor.error.difficulty');
  const points = numberOf(draft.points);
  if (points === '' || !(points > 0 && points <= 100)) add('points', 'bank.editor.error.points');
  const discrimination = numberOf(draft.discrimination);
  if (discrimination !== '' && !(discrimination >= -1 && discrimination <= 1)) add('discrimination', 'bank.editor.error.discrimination');
  return problems;
}

/**
 * The server's problems, one per entry: its message lists them separated by "; ", each led by
 * "line N: item ID: " — the line is of the JSON the page sent, so it is dropped.
 */
export function serverProblems(message, id) {
  return text(message).split(/;\s+/).map((part) => {
    let problem = part.trim().replace(/^line \d+:\s*/, '');
    const prefix = `item ${id}: `;
    if (id && problem.startsWith(prefix)) problem = problem.slice(prefix.length);
    return problem;
  }).filter(Boolean);
}

function fieldOfProblem(problem) {
  const match = SERVER_FIELDS.find(([pattern]) => pattern.test(problem));
  return match ? match[1] : null;
}

/**
 * Creates the editor in the page's `<dialog id="editor">`.
 * - `standards()`: the occupations the page knows (`GET /api/v1/exams`: code, name, levels).
 * - `occupations()`: the codes the signed-in author may write items of, or null when not limited.
 * - `onSaved({mode, id, version, item})`: after the server has accepted a draft or a revision.
 */
export function createItemEditor({ standards, occupations = () => null, onSaved }) {
  const dialog = $('editor');
  const form = $('editor-form');
  const shell = dialog.querySelector('.editor-shell');
  /** The full standards (`GET /api/v1/exams/{code}`), for the 鉴定点 suggestions: code → {status, data}. */
  const details = new Map();
  let draft = null;
  let busy = false;

  // ------------------------------------------------------------ opening and closing

  function open(next) {
    draft = next;
    busy = false;
    render();
    if (!dialog.open) dialog.showModal();
    shell.scrollTop = 0;
    $('ed-id').focus();
    loadDetail(draft.occupation);
  }

  /** The occupations a new item may be of: the standards the page knows, within the author's own. */
  function writable() {
    const allowed = occupations();
    return standards().filter((standard) => !Array.isArray(allowed) || allowed.includes(standard.code));
  }

  function openNew({ occupation } = {}) {
    const known = writable();
    const code = known.some((standard) => standard.code === occupation) ? occupation : (known[0] && known[0].code) || '';
    open(newDraft(code));
  }

  function openRevision(doc) {
    open(draftFromDocument(doc));
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  /** Closing with unsaved changes asks first (Escape, the close button and 取消 alike). */
  function requestClose() {
    if (!draft || busy) return;
    if (!draft.dirty) {
      close();
      return;
    }
    draft.confirmClose = true;
    renderFooter();
    $('ed-keep-editing').focus();
  }

  function keepEditing() {
    if (!draft) return;
    draft.confirmClose = false;
    renderFooter();
    $('ed-cancel').focus();
  }

  dialog.addEventListener('cancel', (event) => {
    if (busy || (draft && draft.dirty)) {
      event.preventDefault();
      requestClose();
    }
  });
  dialog.addEventListener('close', () => {
    if (dialog.open) return; // Opened again before the event arrived.
    draft = null;
    busy = false;
    replaceChildren(form);
  });
  $('editor-close').addEventListener('click', requestClose);
  form.addEventListener('submit', save);
  // Any typing marks the draft changed, so closing asks before dropping it.
  form.addEventListener('input', () => {
    if (draft) draft.dirty = true;
  });
  form.addEventListener('change', () => {
    if (draft) draft.dirty = true;
  });

  // ------------------------------------------------------------ the standards

  function standardOf(code) {
    return standards().find((standard) => standard.code === code) || null;
  }

  async function loadDetail(code) {
    if (!code || details.has(code)) {
      updatePointAids();
      return;
    }
    details.set(code, { status: 'loading' });
    try {
      const data = await request('GET', `/api/v1/exams/${encodeURIComponent(code)}`);
      details.set(code, { status: 'ok', data: data && data.standard ? data.standard : null });
    } catch (error) {
      if (endIfUnauthenticated(error)) return;
      details.delete(code);
    }
    updatePointAids();
  }

  /** 鉴定点 and 基本要求 of the draft's occupation, once loaded: [{code, name, levels, basic}]. */
  function pointEntries() {
    const detail = draft && details.get(draft.occupation);
    const standard = detail && detail.status === 'ok' ? detail.data : null;
    if (!standard) return null;
    const entries = list(standard.basic_requirements).map((entry) => ({ code: text(entry.code), name: text(entry.name), levels: [], basic: true }));
    for (const fn of list(standard.functions)) {
      for (const content of list(fn.contents)) {
        for (const point of list(content.points)) entries.push({ code: text(point.code), name: text(point.name), levels: list(point.levels).map(text), basic: false });
      }
    }
    return entries;
  }

  /** The suggestions and the hint under the 鉴定点 field, updated in place (no redraw while typing). */
  function updatePointAids() {
    const datalist = $('ed-point-list');
    const info = $('ed-point-info');
    if (!draft || !datalist || !info) return;
    const entries = pointEntries();
    replaceChildren(datalist, (entries || []).map((entry) => el('option', { attrs: { value: entry.code, label: `${entry.code} ${entry.name}` } })));
    const code = draft.point.trim();
    const found = entries && entries.find((entry) => entry.code === code);
    info.classList.remove('field-hint-warn');
    if (!code || !entries) {
      info.textContent = t('bank.editor.pointHint');
    } else if (found && found.basic) {
      info.textContent = t('bank.editor.pointBasic', { name: found.name });
    } else if (found) {
      info.textContent = t('bank.editor.pointFound', { name: found.name, levels: found.levels.map(levelLabel).join('、') });
    } else {
      info.textContent = t('bank.editor.pointUnknown');
      info.classList.add('field-hint-warn');
    }
  }

  /** The directions offered: those of the chosen levels (all levels while none is chosen), and any already chosen. */
  function directionChoices() {
    const standard = standardOf(draft.occupation);
    const specs = standard ? list(standard.levels) : [];
    const chosen = specs.filter((spec) => draft.levels.includes(spec.level));
    const names = [];
    for (const spec of chosen.length ? chosen : specs) {
      for (const name of list(spec.directions)) if (!names.includes(name)) names.push(name);
    }
    for (const name of draft.directions) if (!names.includes(name)) names.push(name);
    return names;
  }

  function levelChoices() {
    const standard = standardOf(draft.occupation);
    const levels = standard && list(standard.levels).length ? list(standard.levels).map((spec) => text(spec.level)) : LEVELS;
    return levels.concat(draft.levels.filter((level) => !levels.includes(level)));
  }

  // ------------------------------------------------------------ errors

  const fieldErrors = (field) => (draft && draft.errors && draft.errors.fields[field]) || [];
  const errorId = (field) => `ed-err-${field}`;

  /** The model's errors, from the page's own checks or from the server's refusal. */
  function clientErrors(problems) {
    const fields = {};
    for (const problem of problems) (fields[problem.field] ||= []).push({ text: t(problem.key) });
    return {
      source: 'client', code: 'client', headingKey: 'bank.editor.error.client',
      problems: problems.map((problem) => ({ field: problem.field, text: t(problem.key) })), fields,
    };
  }

  function serverErrors(error) {
    const code = error instanceof ApiError ? error.code : 'generic';
    const known = has(`bank.editor.error.${code}`);
    const fromServer = error instanceof ApiError && error.status !== 0 && error.message && error.message !== code;
    const problems = fromServer
      ? serverProblems(error.message, draft.id.trim()).map((problem) => ({ field: code === 'duplicate_item' ? 'id' : fieldOfProblem(problem), text: problem, server: true }))
      : [];
    const fields = {};
    for (const problem of problems) if (problem.field) (fields[problem.field] ||= []).push(problem);
    return {
      source: 'server', code, headingKey: known ? `bank.editor.error.${code}` : 'bank.editor.error.other',
      headingParams: { message: errorMessage(error) }, problems, fields,
    };
  }

  /** Typing in a field with a problem takes the field's mark away (the summary stays until the next save). */
  function clearFieldError(field) {
    if (!draft || !draft.errors || !draft.errors.fields[field]) return;
    delete draft.errors.fields[field];
    for (const node of form.querySelectorAll(`[data-field="${field}"][aria-invalid]`)) node.removeAttribute('aria-invalid');
    const message = $(errorId(field));
    if (message) message.remove();
  }

  function focusTarget(field) {
    return Array.from(form.querySelectorAll(`[data-field="${field}"]`)).find((node) => !node.disabled && !node.hidden) || null;
  }

  function focusFirstError() {
    const errors = draft && draft.errors;
    if (!errors) return;
    for (const field of FIELD_ORDER) {
      const target = errors.fields[field] && focusTarget(field);
      if (target) {
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: 'center' });
        return;
      }
    }
    const summary = $('editor-errors');
    if (summary) {
      summary.focus({ preventScroll: true });
      summary.scrollIntoView({ block: 'center' });
    }
  }

  function renderSummary() {
    const errors = draft.errors;
    if (!errors) return null;
    const items = errors.problems.map((problem) => {
      const target = problem.field && focusTarget(problem.field) ? problem.field : null;
      // Server problems are in English: say so to screen readers.
      const lang = problem.server ? 'en' : null;
      if (!target) return el('li', { attrs: { lang }, text: problem.text });
      return el('li', { attrs: { lang } }, el('a', {
        attrs: { href: '#', 'data-target': target },
        text: problem.text,
        on: {
          click: (event) => {
            event.preventDefault();
            const node = focusTarget(target);
            if (node) {
              node.focus({ preventScroll: true });
              node.scrollIntoView({ block: 'center' });
            }
          },
        },
      }));
    });
    return el('div', {
      class: 'alert alert-error editor-errors',
      attrs: { id: 'editor-errors', role: 'alert', tabindex: '-1' },
      dataset: { code: errors.code, source: errors.source },
    }, [
      icon('alert'),
      el('div', { class: 'alert-text' }, [
        el('p', { class: 'alert-main', attrs: { id: 'editor-errors-title' }, text: t(errors.headingKey, errors.headingParams) }),
        items.length ? el('ul', { class: 'editor-problems', attrs: { id: 'editor-problems' } }, items) : null,
      ]),
    ]);
  }

  /** The problems of `fields` under a field, referenced by its controls' aria-describedby. */
  function inlineErrors(...fields) {
    return fields.filter((field) => fieldErrors(field).length).map((field) => el('ul', {
      class: 'field-error', attrs: { id: errorId(field), role: 'list' },
    }, fieldErrors(field).map((problem) => el('li', { attrs: { lang: problem.server ? 'en' : null }, text: problem.text }))));
  }

  // ------------------------------------------------------------ controls

  /** Attributes every control shares: its field (for errors and focus) and its descriptions. */
  function controlAttrs(field, id, hintId) {
    const invalid = fieldErrors(field).length > 0;
    const described = [hintId, invalid ? errorId(field) : null].filter(Boolean).join(' ');
    return { id, 'data-field': field, 'aria-invalid': invalid ? 'true' : null, 'aria-describedby': described || null };
  }

  /** A text, number or textarea control bound to `target[key]`. */
  function control(field, id, target, key, { kind = 'text', hintId = null, attrs = {}, className = '', onInput = null } = {}) {
    const tag = kind === 'textarea' ? 'textarea' : 'input';
    const node = el(tag, {
      class: `input-plain ed-control${kind === 'textarea' ? ' ed-textarea' : ''}${className ? ` ${className}` : ''}`,
      attrs: { ...controlAttrs(field, id, hintId), ...(tag === 'input' ? { type: kind } : {}), autocomplete: 'off', ...attrs },
      on: {
        input: (event) => {
          target[key] = event.target.value;
          clearFieldError(field);
          if (onInput) onInput(event);
        },
      },
    });
    node.value = text(target[key]);
    return node;
  }

  function label(forId, key, { required = false, params } = {}) {
    return el('label', { class: 'field-label', attrs: { for: forId } }, [
      t(key, params),
      required ? el('span', { class: 'ed-required', attrs: { 'aria-hidden': 'true' }, text: ' *' }) : null,
    ]);
  }

  function hint(id, key, params) {
    return el('p', { class: 'field-hint', attrs: { id }, text: t(key, params) });
  }

  /** A labelled field: label, control, optional hint below the label, the field's problems. */
  function field(name, { id, labelKey, hintKey = null, hintParams, required = false, build, wide = false, span = false, extra = [] }) {
    const hintId = hintKey ? `${id}-hint` : null;
    const node = build(hintId);
    if (required) node.setAttribute('aria-required', 'true');
    return el('div', { class: `field ed-field${wide ? ' is-wide' : ''}${span ? ' is-span' : ''}`, dataset: { group: name } }, [
      label(id, labelKey, { required }),
      hintKey ? hint(hintId, hintKey, hintParams) : null,
      node,
      ...[].concat(extra || []),
      ...inlineErrors(name),
    ]);
  }

  function group(name, legendKey, { hintKey = null, hintParams, required = false, fields = [name], body, wide = true }) {
    return el('fieldset', { class: `ed-fieldset${wide ? ' is-wide' : ''}`, attrs: { 'aria-describedby': hintKey ? `ed-${name}-hint` : null }, dataset: { group: name } }, [
      el('legend', { class: 'field-label' }, [
        t(legendKey),
        required ? el('span', { class: 'ed-required', attrs: { 'aria-hidden': 'true' }, text: ' *' }) : null,
      ]),
      hintKey ? hint(`ed-${name}-hint`, hintKey, hintParams) : null,
      ...inlineErrors(...fields),
      ...[].concat(body),
    ]);
  }

  function select(fieldName, id, options, value, onChange, hintId) {
    const node = el('select', {
      class: 'select ed-control',
      attrs: controlAttrs(fieldName, id, hintId),
      on: { change: (event) => { clearFieldError(fieldName); onChange(event.target.value); } },
    }, options.map(([optionValue, optionLabel]) => el('option', { attrs: { value: optionValue, selected: optionValue === value ? true : null }, text: optionLabel })));
    node.value = value;
    return node;
  }

  function check(fieldName, { id, type = 'checkbox', name, checked, labelText, onChange, attrs = {} }) {
    const input = el('input', {
      attrs: { ...controlAttrs(fieldName, id, null), type, name, checked: checked ? true : null, ...attrs },
      on: { change: (event) => { clearFieldError(fieldName); onChange(event.target.checked); } },
    });
    input.checked = Boolean(checked);
    return el('label', { class: 'ed-check', attrs: { for: id } }, [input, el('span', { text: labelText })]);
  }

  function smallButton(id, labelKey, onClick, { params, iconName = null, fieldName = null } = {}) {
    return el('button', {
      class: 'btn btn-ghost btn-sm',
      attrs: { type: 'button', id, 'data-field': fieldName },
      on: { click: onClick },
    }, [iconName ? (ED_ICONS[iconName] ? edIcon(iconName) : icon(iconName)) : null, el('span', { text: t(labelKey, params) })]);
  }

  function removeButton(id, ariaKey, params, onClick) {
    const label = t(ariaKey, params);
    return el('button', {
      class: 'btn btn-ghost btn-icon btn-sm ed-remove',
      attrs: { type: 'button', id, 'aria-label': label, title: label },
      on: { click: onClick },
    }, [edIcon('cross')]);
  }

  // ------------------------------------------------------------ sections

  function section(id, titleKey, children) {
    return el('section', { class: 'ed-section', attrs: { 'aria-labelledby': `${id}-title`, id } }, [
      el('h3', { class: 'ed-section-title', attrs: { id: `${id}-title` }, text: t(titleKey) }),
      el('div', { class: 'ed-grid' }, children),
    ]);
  }

  function basicsSection() {
    const creating = draft.mode === 'create';
    const known = writable();
    const occupationLabel = (code) => {
      const standard = standardOf(code);
      return standard ? `${text(standard.name)}（${code}）` : code;
    };
    const idField = field('id', {
      id: 'ed-id', labelKey: 'bank.editor.id', hintKey: creating ? 'bank.editor.idHint' : 'bank.editor.idLocked', required: creating,
      build: (hintId) => control('id', 'ed-id', draft, 'id', {
        hintId, className: 'mono',
        attrs: { maxlength: '40', spellcheck: 'false', autocapitalize: 'none', readonly: creating ? null : true, pattern: '[A-Za-z0-9_\\-]{1,40}' },
      }),
    });
    const occupationField = creating
      ? field('occupation', {
        id: 'ed-occupation', labelKey: 'bank.editor.occupation', required: true,
        // An author without occupations is told why the list is empty (the server refuses anyway).
        extra: known.length ? [] : [el('p', { class: 'field-hint field-hint-warn', attrs: { id: 'ed-no-occupations' }, text: t('bank.editor.noOccupations') })],
        build: (hintId) => select('occupation', 'ed-occupation', known.map((standard) => [standard.code, occupationLabel(standard.code)]), draft.occupation, (value) => {
          draft.occupation = value;
          draft.directions = [];
          render();
          loadDetail(value);
        }, hintId),
      })
      : field('occupation', {
        id: 'ed-occupation', labelKey: 'bank.editor.occupation',
        build: (hintId) => {
          const node = el('input', { class: 'input-plain ed-control', attrs: { ...controlAttrs('occupation', 'ed-occupation', hintId), type: 'text', readonly: true } });
          node.value = occupationLabel(draft.occupation);
          return node;
        },
      });
    // A revision keeps the item's type (the server refuses another): shown, not offered.
    const typeField = creating
      ? field('type', {
        id: 'ed-type', labelKey: 'bank.editor.type', required: true,
        build: (hintId) => select('type', 'ed-type', TYPES.map((type) => [type, t(`item.type.${type}`)]), draft.type, (value) => {
          draft.type = value;
          seedRows(draft);
          render();
        }, hintId),
      })
      : field('type', {
        id: 'ed-type', labelKey: 'bank.editor.type',
        build: (hintId) => {
          const node = el('input', { class: 'input-plain ed-control', attrs: { ...controlAttrs('type', 'ed-type', hintId), type: 'text', readonly: true }, dataset: { value: draft.type } });
          node.value = t(`item.type.${draft.type}`);
          return node;
        },
      });
    return section('ed-basics', 'bank.editor.section.basics', [idField, occupationField, typeField]);
  }

  function classificationSection() {
    const levels = group('levels', 'bank.editor.levels', {
      hintKey: 'bank.editor.levelsHint', required: true, wide: false,
      body: el('div', { class: 'ed-checks' }, levelChoices().map((level, index) => check('levels', {
        id: `ed-level-${index}`, name: 'levels', checked: draft.levels.includes(level), labelText: levelLabel(level),
        attrs: { value: level },
        onChange: (checked) => {
          draft.levels = checked ? draft.levels.concat(level) : draft.levels.filter((entry) => entry !== level);
          render();
        },
      }))),
    });
    const only = draft.directionsMode === 'only';
    const choices = directionChoices();
    const directions = group('directions', 'bank.editor.directions', {
      hintKey: 'bank.editor.directionsHint', required: true,
      body: [
        el('div', { class: 'ed-checks' }, [
          check('directions', {
            id: 'ed-dir-all', type: 'radio', name: 'directions-mode', checked: !only, labelText: t('bank.editor.directionsAll'),
            onChange: () => { draft.directionsMode = 'all'; render(); },
          }),
          check('directions', {
            id: 'ed-dir-only', type: 'radio', name: 'directions-mode', checked: only, labelText: t('bank.editor.directionsOnly'),
            onChange: () => { draft.directionsMode = 'only'; render(); },
          }),
        ]),
        only ? el('div', { class: 'ed-checks ed-sub-checks', attrs: { role: 'group', 'aria-label': t('bank.editor.directionsOnly') } }, choices.map((name, index) => check('directions', {
          id: `ed-dir-${index}`, name: 'directions', checked: draft.directions.includes(name), labelText: name, attrs: { value: name },
          onChange: (checked) => {
            const next = checked ? draft.directions.concat(name) : draft.directions.filter((entry) => entry !== name);
            draft.directions = choices.filter((entry) => next.includes(entry));
          },
        }))) : null,
      ],
    });
    const point = field('point', {
      id: 'ed-point', labelKey: 'bank.editor.point', required: true, span: true,
      build: () => control('point', 'ed-point', draft, 'point', {
        hintId: 'ed-point-info', className: 'mono',
        attrs: { list: 'ed-point-list', maxlength: '40', spellcheck: 'false', placeholder: '2.2.1' },
        onInput: updatePointAids,
      }),
      extra: [
        el('p', { class: 'field-hint', attrs: { id: 'ed-point-info' }, text: t('bank.editor.pointHint') }),
        el('datalist', { attrs: { id: 'ed-point-list' } }),
      ],
    });
    const number = (name, id, key, labelKey, hintKey, attrs, required = false) => field(name, {
      id, labelKey, hintKey, required,
      build: (hintId) => control(name, id, draft, key, { kind: 'number', hintId, attrs: { inputmode: 'decimal', ...attrs }, onInput: name === 'points' ? updateSums : null }),
    });
    return section('ed-class', 'bank.editor.section.classification', [
      levels,
      point,
      directions,
      number('difficulty', 'ed-difficulty', 'difficulty', 'bank.editor.difficulty', 'bank.editor.difficultyHint', { min: '0', max: '1', step: '0.01', placeholder: '0.65' }, true),
      number('points', 'ed-points', 'points', 'bank.editor.points', 'bank.editor.pointsHint', { min: '0', max: '100', step: 'any' }, true),
      number('discrimination', 'ed-discrimination', 'discrimination', 'bank.editor.discrimination', 'bank.editor.discriminationHint', { min: '-1', max: '1', step: '0.01' }),
      field('enemy', {
        id: 'ed-enemy', labelKey: 'bank.editor.enemyGroup', hintKey: 'bank.editor.enemyGroupHint',
        build: (hintId) => control('enemy', 'ed-enemy', draft, 'enemyGroup', { hintId, attrs: { maxlength: '80', spellcheck: 'false' } }),
      }),
      draft.mode === 'revise' && draft.statsUnknown
        ? el('p', { class: 'field-hint field-hint-warn is-wide', attrs: { id: 'ed-stats-unknown' }, text: t('bank.editor.statsUnknown') })
        : null,
    ]);
  }

  function stemField() {
    const type = draft.type;
    const fill = type === 'fill_in';
    let hintKey = null;
    if (fill) hintKey = 'bank.editor.stemHintFill';
    else if (type === 'practical_task') hintKey = 'bank.editor.stemHintTask';
    const markers = blankMarkers(draft.stem);
    const next = markers.length ? Math.max(...markers) + 1 : 1;
    return field('stem', {
      id: 'ed-stem', labelKey: type === 'practical_task' ? 'bank.editor.stemOptional' : 'bank.editor.stem', hintKey, required: type !== 'practical_task', wide: true,
      build: (hintId) => control('stem', 'ed-stem', draft, 'stem', { kind: 'textarea', hintId, attrs: { rows: type === 'practical_task' ? '2' : '4' }, onInput: updateBlankCount }),
      extra: fill ? el('div', { class: 'form-actions' }, [
        smallButton('ed-insert-blank', 'bank.editor.insertBlank', insertBlank, { params: { n: next }, iconName: 'pen' }),
      ]) : null,
    });
  }

  function insertBlank() {
    const stem = $('ed-stem');
    const markers = blankMarkers(draft.stem);
    const number = markers.length ? Math.max(...markers) + 1 : 1;
    const marker = `____(${number})`;
    const start = stem.selectionStart ?? draft.stem.length;
    const end = stem.selectionEnd ?? start;
    draft.stem = `${draft.stem.slice(0, start)}${marker}${draft.stem.slice(end)}`;
    draft.dirty = true;
    while (draft.blanks.length < number) draft.blanks.push(blankRow());
    clearFieldError('stem');
    render();
    const again = $('ed-stem');
    again.focus();
    again.setSelectionRange(start + marker.length, start + marker.length);
  }

  function optionsGroup() {
    const multiple = draft.type === 'multiple_choice';
    const rows = draft.options.map((row, index) => {
      const letter = LETTERS[index];
      const answerId = `ed-ans-${row.key}`;
      const isAnswer = multiple ? draft.multiple.includes(row.key) : draft.single === row.key;
      const answer = el('input', {
        class: 'ed-answer-control',
        attrs: {
          ...controlAttrs('answer', answerId, null),
          type: multiple ? 'checkbox' : 'radio', name: 'answer', value: letter, checked: isAnswer ? true : null,
          'aria-label': t('bank.editor.optionIsAnswer', { letter }),
        },
        on: {
          change: (event) => {
            clearFieldError('answer');
            if (multiple) {
              draft.multiple = event.target.checked ? draft.multiple.concat(row.key) : draft.multiple.filter((key) => key !== row.key);
            } else if (event.target.checked) {
              draft.single = row.key;
            }
            for (const node of form.querySelectorAll('.ed-option')) {
              const input = node.querySelector('.ed-answer-control');
              node.classList.toggle('is-answer', Boolean(input && input.checked));
            }
          },
        },
      });
      answer.checked = isAnswer;
      return el('li', { class: `ed-option${isAnswer ? ' is-answer' : ''}`, dataset: { letter } }, [
        el('label', { class: 'ed-answer', attrs: { for: answerId } }, [answer, el('span', { class: 'ed-answer-text', attrs: { 'aria-hidden': 'true' }, text: t('bank.editor.answerMark') })]),
        el('label', { class: 'ed-letter', attrs: { for: `ed-opt-${row.key}` } }, [
          el('span', { class: 'visually-hidden', text: t('bank.editor.option', { letter }) }),
          el('span', { attrs: { 'aria-hidden': 'true' }, text: letter }),
        ]),
        control('options', `ed-opt-${row.key}`, row, 'text', { attrs: { maxlength: '2000' } }),
        removeButton(`ed-opt-remove-${row.key}`, 'bank.editor.removeOption', { letter }, () => removeOption(index)),
      ]);
    });
    const addButton = draft.options.length < LETTERS.length
      ? smallButton('ed-add-option', 'bank.editor.addOption', addOption, { iconName: 'plus', fieldName: 'options' })
      : null;
    return group('options', 'bank.editor.options', {
      hintKey: multiple ? 'bank.editor.optionsHintMultiple' : 'bank.editor.optionsHintSingle', required: true, fields: ['options', 'answer'],
      body: [el('ol', { class: 'ed-options', attrs: { role: 'list', id: 'ed-options' } }, rows), el('div', { class: 'form-actions' }, [addButton])],
    });
  }

  function addOption() {
    if (draft.options.length >= LETTERS.length) return;
    const row = optionRow();
    draft.options.push(row);
    draft.dirty = true;
    render();
    $(`ed-opt-${row.key}`).focus();
  }

  function removeOption(index) {
    const [row] = draft.options.splice(index, 1);
    if (draft.single === row.key) draft.single = '';
    draft.multiple = draft.multiple.filter((key) => key !== row.key);
    draft.dirty = true;
    render();
    const next = draft.options[Math.min(index, draft.options.length - 1)];
    const target = next ? $(`ed-opt-${next.key}`) : $('ed-add-option');
    if (target) target.focus();
  }

  function truthField() {
    return field('answer', {
      id: 'ed-truth', labelKey: 'bank.editor.truth', required: true,
      build: (hintId) => select('answer', 'ed-truth', [['', t('bank.editor.truthChoose')], ['true', t('bank.tf.true')], ['false', t('bank.tf.false')]], draft.truth, (value) => {
        draft.truth = value;
      }, hintId),
    });
  }

  function blanksGroup() {
    const rows = draft.blanks.map((row, index) => el('li', { class: 'ed-row ed-blank', dataset: { blank: String(index + 1) } }, [
      el('div', { class: 'field ed-row-main' }, [
        label(`ed-blank-${row.key}`, 'bank.editor.blank', { params: { n: index + 1 } }),
        control('blanks', `ed-blank-${row.key}`, row, 'text', { kind: 'textarea', hintId: 'ed-blanks-hint', attrs: { rows: '2', spellcheck: 'false' }, onInput: updateBlankCount }),
      ]),
      removeButton(`ed-blank-remove-${row.key}`, 'bank.editor.removeBlank', { n: index + 1 }, () => removeRow('blanks', index, 'ed-add-blank', (next) => `ed-blank-${next.key}`)),
    ]));
    return group('blanks', 'bank.editor.blanks', {
      hintKey: 'bank.editor.blanksHint', required: true,
      body: [
        el('ol', { class: 'ed-rows', attrs: { role: 'list', id: 'ed-blanks' } }, rows),
        el('p', { class: 'field-hint', attrs: { id: 'ed-blank-count', 'aria-live': 'polite' } }),
        el('div', { class: 'form-actions' }, [smallButton('ed-add-blank', 'bank.editor.addBlank', () => addRow('blanks', blankRow, (row) => `ed-blank-${row.key}`), { iconName: 'plus', fieldName: 'blanks' })]),
      ],
    });
  }

  function addRow(name, make, focusId) {
    const row = make();
    draft[name].push(row);
    draft.dirty = true;
    render();
    $(focusId(row)).focus();
  }

  function removeRow(name, index, addId, focusId) {
    draft[name].splice(index, 1);
    draft.dirty = true;
    render();
    const next = draft[name][Math.min(index, draft[name].length - 1)];
    const target = next ? $(focusId(next)) : $(addId);
    if (target) target.focus();
  }

  /** "N blanks marked, M answered", updated as the stem and the blanks change. */
  function updateBlankCount() {
    const node = $('ed-blank-count');
    if (!node || !draft) return;
    const markers = blankMarkers(draft.stem).length;
    node.textContent = t('bank.editor.blankCount', { markers: formatNumber(markers), blanks: formatNumber(draft.blanks.length) });
    node.classList.toggle('field-hint-warn', markers !== draft.blanks.length);
  }

  function scoringGroup() {
    const rows = draft.scoring.map((row, index) => {
      const n = index + 1;
      return el('li', { class: 'ed-row ed-scoring-row', dataset: { row: String(n) } }, [
        el('p', { class: 'ed-row-no', attrs: { 'aria-hidden': 'true' }, text: formatNumber(n) }),
        el('div', { class: 'ed-row-fields ed-scoring-fields' }, [
          el('div', { class: 'field' }, [
            label(`ed-sc-point-${row.key}`, 'bank.editor.scoringPointN', { params: { n } }),
            control('scoring', `ed-sc-point-${row.key}`, row, 'point', { attrs: { maxlength: '200' } }),
          ]),
          el('div', { class: 'field ed-marks' }, [
            label(`ed-sc-marks-${row.key}`, 'bank.editor.scoringMarksN', { params: { n } }),
            control('scoring', `ed-sc-marks-${row.key}`, row, 'marks', { kind: 'number', attrs: { min: '0', max: '100', step: 'any', inputmode: 'decimal' }, onInput: updateSums }),
          ]),
          el('div', { class: 'field is-wide' }, [
            label(`ed-sc-criteria-${row.key}`, 'bank.editor.scoringCriteriaN', { params: { n } }),
            control('scoring', `ed-sc-criteria-${row.key}`, row, 'criteria', { kind: 'textarea', attrs: { rows: '2' } }),
          ]),
        ]),
        removeButton(`ed-sc-remove-${row.key}`, 'bank.editor.removeScoring', { n }, () => removeRow('scoring', index, 'ed-add-scoring', (next) => `ed-sc-point-${next.key}`)),
      ]);
    });
    return group('scoring', 'bank.editor.scoring', {
      hintKey: 'bank.editor.scoringHint', required: true,
      body: [
        el('ol', { class: 'ed-rows', attrs: { role: 'list', id: 'ed-scoring' } }, rows),
        el('p', { class: 'field-hint', attrs: { id: 'ed-scoring-sum', 'aria-live': 'polite' } }),
        el('div', { class: 'form-actions' }, [smallButton('ed-add-scoring', 'bank.editor.addScoring', () => addRow('scoring', scoringRow, (row) => `ed-sc-point-${row.key}`), { iconName: 'plus', fieldName: 'scoring' })]),
      ],
    });
  }

  /** "Marks add up to X of the item's Y", updated as marks and points change. */
  function updateSums() {
    const node = $('ed-scoring-sum');
    if (!node || !draft) return;
    const sum = draft.scoring.reduce((total, row) => total + (Number(numberOf(row.marks)) || 0), 0);
    const points = Number(numberOf(draft.points)) || 0;
    node.textContent = t('bank.editor.scoringSum', { sum: formatNumber(Math.round(sum * 1000) / 1000), points: formatNumber(points) });
    node.classList.toggle('field-hint-warn', Math.abs(sum - points) > 0.001);
  }

  function materialsGroup() {
    const rows = draft.materials.map((row, index) => {
      const n = index + 1;
      return el('li', { class: 'ed-row ed-material-row' }, [
        el('p', { class: 'ed-row-no', attrs: { 'aria-hidden': 'true' }, text: formatNumber(n) }),
        el('div', { class: 'ed-row-fields ed-material-fields' }, [
          el('div', { class: 'field' }, [
            label(`ed-mat-name-${row.key}`, 'bank.editor.materialNameN', { params: { n } }),
            control('materials', `ed-mat-name-${row.key}`, row, 'name', { className: 'mono', attrs: { maxlength: '200', spellcheck: 'false' } }),
          ]),
          el('div', { class: 'field' }, [
            label(`ed-mat-desc-${row.key}`, 'bank.editor.materialDescriptionN', { params: { n } }),
            control('materials', `ed-mat-desc-${row.key}`, row, 'description', { kind: 'textarea', attrs: { rows: '2' } }),
          ]),
        ]),
        removeButton(`ed-mat-remove-${row.key}`, 'bank.editor.removeMaterial', { n }, () => removeRow('materials', index, 'ed-add-material', (next) => `ed-mat-name-${next.key}`)),
      ]);
    });
    return group('materials', 'bank.editor.materials', {
      body: [
        rows.length ? el('ol', { class: 'ed-rows', attrs: { role: 'list', id: 'ed-materials' } }, rows) : null,
        el('div', { class: 'form-actions' }, [smallButton('ed-add-material', 'bank.editor.addMaterial', () => addRow('materials', materialRow, (row) => `ed-mat-name-${row.key}`), { iconName: 'plus', fieldName: 'materials' })]),
      ],
    });
  }

  function textField(name, id, key, labelKey, { hintKey = null, rows = '4', required = false } = {}) {
    return field(name, {
      id, labelKey, hintKey, required, wide: true,
      build: (hintId) => control(name, id, draft, key, { kind: 'textarea', hintId, attrs: { rows } }),
    });
  }

  function contentSection() {
    const type = draft.type;
    const children = [stemField()];
    if (isChoice(type)) children.push(optionsGroup());
    if (type === 'true_false') children.push(truthField());
    if (type === 'fill_in') children.push(blanksGroup());
    if (type === 'practical_task') {
      children.push(
        textField('preparation', 'ed-preparation', 'preparation', 'bank.editor.preparation', { hintKey: 'bank.editor.preparationHint', rows: '6', required: true }),
        textField('statement', 'ed-statement', 'statement', 'bank.editor.statement', { rows: '6', required: true }),
        field('time', {
          id: 'ed-time', labelKey: 'bank.editor.timeMinutes', hintKey: 'bank.editor.timeHint', required: true,
          build: (hintId) => control('time', 'ed-time', draft, 'timeMinutes', { kind: 'number', hintId, attrs: { min: '1', max: '600', step: '1', inputmode: 'numeric' } }),
        }),
        materialsGroup(),
      );
    }
    if (isScored(type)) {
      children.push(textField('reference', 'ed-reference', 'reference', type === 'short_answer' ? 'bank.editor.reference' : 'bank.editor.referenceOptional', { rows: '4', required: type === 'short_answer' }));
      children.push(scoringGroup());
    }
    children.push(textField('explanation', 'ed-explanation', 'explanation', 'bank.editor.explanation', { rows: '3' }));
    return section('ed-content', 'bank.editor.section.content', children);
  }

  // ------------------------------------------------------------ footer and drawing

  function footerChildren() {
    const creating = draft.mode === 'create';
    if (draft.confirmClose) {
      return [el('div', { class: 'seal-confirm ed-confirm', attrs: { role: 'group', 'aria-labelledby': 'ed-discard-text', id: 'ed-discard-group' } }, [
        el('p', { class: 'seal-confirm-text', attrs: { id: 'ed-discard-text' }, text: t('bank.editor.discardText') }),
        el('div', { class: 'form-actions' }, [
          el('button', { class: 'btn btn-danger', attrs: { type: 'button', id: 'ed-discard' }, text: t('bank.editor.discard'), on: { click: close } }),
          el('button', { class: 'btn btn-outline', attrs: { type: 'button', id: 'ed-keep-editing' }, text: t('bank.editor.keepEditing'), on: { click: keepEditing } }),
        ]),
      ])];
    }
    return [el('div', { class: 'form-actions' }, [
      el('button', {
        class: `btn btn-primary${busy ? ' is-busy' : ''}`,
        attrs: { type: 'submit', id: 'ed-save', 'aria-disabled': busy ? 'true' : null, 'aria-busy': busy ? 'true' : null },
      }, [
        el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        el('span', { class: 'btn-label', text: t(busy ? 'bank.editor.saving' : (creating ? 'bank.editor.save' : 'bank.editor.saveRevision')) }),
      ]),
      el('button', { class: 'btn btn-outline', attrs: { type: 'button', id: 'ed-cancel', 'aria-disabled': busy ? 'true' : null }, text: t('bank.editor.cancel'), on: { click: requestClose } }),
      el('p', { class: 'ed-footer-note', text: t(creating ? 'bank.editor.footNew' : 'bank.editor.footRevise') }),
    ])];
  }

  function renderFooter() {
    const footer = $('ed-footer');
    if (footer && draft) replaceChildren(footer, footerChildren());
  }

  function renderHead() {
    const creating = draft.mode === 'create';
    $('editor-kicker').textContent = t(creating ? 'bank.editor.kickerNew' : 'bank.editor.kickerRevise');
    $('editor-title').textContent = creating ? t('bank.editor.titleNew') : draft.id;
    let lead;
    if (creating) lead = t('bank.editor.leadNew');
    else if (draft.activeVersion && draft.activeVersion !== draft.version) {
      lead = t('bank.editor.leadRevisePending', {
        version: formatNumber(draft.version), active: formatNumber(draft.activeVersion), next: formatNumber((draft.version || 0) + 1),
      });
    } else if (draft.status === 'active') lead = t('bank.editor.leadReviseActive', { version: formatNumber(draft.version) });
    else lead = t('bank.editor.leadRevise', { version: formatNumber(draft.version), next: formatNumber((draft.version || 0) + 1) });
    $('editor-lead').textContent = lead;
    dialog.dataset.mode = draft.mode;
    dialog.dataset.type = draft.type;
  }

  /** Draws the whole form from the model, keeping the scroll position, the focus and the caret. */
  function render() {
    if (!draft) return;
    const scroll = shell.scrollTop;
    const active = form.contains(document.activeElement) ? document.activeElement : null;
    const focusId = active && active.id;
    const caret = active && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
    renderHead();
    replaceChildren(form, [
      el('p', { class: 'ed-required-note' }, [el('span', { class: 'ed-required', attrs: { 'aria-hidden': 'true' }, text: '* ' }), t('bank.editor.requiredNote')]),
      el('div', { class: 'ed-errors-slot' }),
      basicsSection(),
      classificationSection(),
      contentSection(),
      el('div', { class: 'ed-footer', attrs: { id: 'ed-footer' } }, footerChildren()),
    ]);
    // The summary links to fields, so it is drawn once they exist.
    replaceChildren(form.querySelector('.ed-errors-slot'), renderSummary());
    updatePointAids();
    updateBlankCount();
    updateSums();
    shell.scrollTop = scroll;
    const again = focusId && document.getElementById(focusId);
    if (again) {
      again.focus({ preventScroll: true });
      if (caret) {
        try {
          again.setSelectionRange(caret[0], caret[1]);
        } catch {
          // Number inputs have no selection.
        }
      }
    }
  }

  // ------------------------------------------------------------ saving

  async function save(event) {
    event.preventDefault();
    if (!draft || busy || draft.confirmClose) return;
    const problems = clientProblems(draft);
    if (problems.length) {
      draft.errors = clientErrors(problems);
      render();
      focusFirstError();
      return;
    }
    const current = draft;
    const doc = buildDocument(current);
    busy = true;
    current.errors = null;
    render();
    try {
      let saved;
      if (current.mode === 'create') {
        const result = await request('POST', '/api/v1/items', doc);
        const created = result && Array.isArray(result.created) ? result.created : [doc.items[0].id];
        saved = { mode: 'create', id: created[0], version: 1, item: doc.items[0], occupation: doc.occupation };
      } else {
        const result = await request('POST', `/api/v1/items/${encodeURIComponent(current.id)}/versions`, doc);
        saved = { mode: 'revise', id: current.id, version: result && Number(result.version), item: doc.items[0], occupation: doc.occupation };
      }
      if (draft !== current) return;
      busy = false;
      current.dirty = false;
      close();
      onSaved(saved);
    } catch (error) {
      if (endIfUnauthenticated(error)) return;
      if (draft !== current) return;
      busy = false;
      current.errors = serverErrors(error);
      render();
      focusFirstError();
    }
  }

  return {
    openNew,
    openRevision,
    /** Draws the form again in the current language. */
    refresh: () => {
      if (draft) render();
    },
  };
}
