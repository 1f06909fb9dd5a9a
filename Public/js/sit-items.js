// Rendering one item of the delivered paper (docs/PROTOCOL.md §3 "paper", §4 answers by type),
// and what the page needs to know about answers (answered or not, the wire shape).
//
// Item text is the server's and goes in as text only. Choices and true/false report at once;
// fill-in blanks and written answers report every keystroke with `debounce: true` (the page
// waits ~600 ms before saving) and on leaving the field with `flush: true`.
import { el } from './dom.js';
import { getLang, t } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The Chinese section names the server sends (ItemType.chineseName), by type. */
const CHINESE_SECTIONS = {
  single_choice: '单选题',
  multiple_choice: '多选题',
  true_false: '判断题',
  fill_in: '填空题',
  short_answer: '简答题',
  practical_task: '实操题',
};

/** At most this many characters per answer (the server's limit). */
export const MAX_CHARACTERS = 20000;

/** A few stroked icons this page needs beyond dom.js's set (decorative). */
const SHAPES = {
  flag: ['M5 21V4', 'M5 4h11l-2 4 2 4H5'],
  prev: ['m14.5 6-6 6 6 6'],
  next: ['m9.5 6 6 6-6 6'],
  wifiOff: ['M3 3l18 18', 'M8.5 16.4a5 5 0 0 1 7 0', 'M5 12.9a10 10 0 0 1 5.2-2.7', 'M14.3 10.2A10 10 0 0 1 19 12.9', 'M2 9.3a15 15 0 0 1 4.3-2.8', 'M11 5.1A15 15 0 0 1 22 9.3', 'M12 20h.01'],
  wifi: ['M5 12.9a10 10 0 0 1 14 0', 'M2 9.3a15 15 0 0 1 20 0', 'M8.5 16.4a5 5 0 0 1 7 0', 'M12 20h.01'],
  cloud: ['M7 18.5h10a4 4 0 0 0 .6-8 6 6 0 0 0-11.4 1.5A3.3 3.3 0 0 0 7 18.5Z', 'm9.5 14 2 2 3.5-3.5'],
  receipt: ['M6 3h12v18l-3-2-3 2-3-2-3 2Z', 'M9 8h6M9 12h6M9 16h3'],
  pause: ['M9 5v14', 'M15 5v14'],
  expand: ['M4 9V4h5', 'M20 9V4h-5', 'M4 15v5h5', 'M20 15v5h-5'],
  file: ['M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z', 'M14 3v5h5'],
  upload: ['M12 15V4', 'm7.5 8.5 4.5-4.5 4.5 4.5', 'M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15'],
};

/** A stroked icon by name (see SHAPES), hidden from assistive technology. */
export function sitIcon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [key, value] of Object.entries({
    viewBox: '0 0 24 24', class: className, 'aria-hidden': 'true', focusable: 'false', fill: 'none',
    stroke: 'currentColor', 'stroke-width': '1.9', 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  })) svg.setAttribute(key, value);
  for (const d of SHAPES[name] || []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));

/** The section heading: the server's name, or in English the type's name when it is the standard one. */
export function sectionLabel(item) {
  const section = text(item.section);
  if (getLang() !== 'zh-CN' && (!section || section === CHINESE_SECTIONS[item.type])) return t(`sit.type.${item.type}`);
  return section || t(`sit.type.${item.type}`);
}

/** Whether an answer counts as given (a fill-in with every blank empty does not). */
export function isAnswered(item, answer) {
  if (answer === null || answer === undefined || typeof answer !== 'object') return false;
  if ('choice' in answer) return typeof answer.choice === 'string' && answer.choice !== '';
  if ('choices' in answer) return list(answer.choices).length > 0;
  if ('value' in answer) return typeof answer.value === 'boolean';
  if ('blanks' in answer) return list(answer.blanks).some((blank) => text(blank).trim() !== '');
  if ('files' in answer && list(answer.files).length > 0) return true;
  if ('text' in answer) return text(answer.text).trim() !== '';
  return false;
}

/** Files a practical task may carry (PROTOCOL.md §5): type by extension, at most 10 MiB, 5 per item. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;
const FILE_TYPES = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', zip: 'application/zip',
  txt: 'text/plain', log: 'text/plain', md: 'text/plain', csv: 'text/plain', py: 'text/plain', java: 'text/plain',
  c: 'text/plain', cpp: 'text/plain', js: 'text/plain', sql: 'text/plain', json: 'text/plain', yaml: 'text/plain', sh: 'text/plain',
};
export const FILE_ACCEPT = Object.keys(FILE_TYPES).map((ext) => `.${ext}`).join(',');

/** The media type to declare for a file, or null when it may not be handed in. */
export function fileType(file) {
  const ext = String(file && file.name || '').split('.').pop().toLowerCase();
  return FILE_TYPES[ext] || null;
}

/** A practical answer: the text, and the files when there are any (null when both are empty). */
export function workAnswer(value, files) {
  const ids = list(files);
  if (ids.length) return { text: text(value), files: ids };
  return text(value).trim() ? { text: value } : null;
}

function formatBytes(bytes) {
  const n = Number(bytes) || 0;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${n} B`;
}

/** The files handed in with a practical task: the list (with remove) and the upload control. */
function attachments(item, answer, { disabled, files, upload, onUpload, onChange, currentText }) {
  const attached = list(answer && answer.files);
  const inputId = `sit-${item.key}-file`;
  const full = attached.length >= MAX_FILES;
  const busy = upload && upload.busy;
  const input = el('input', {
    class: 'sit-file-input',
    attrs: { id: inputId, type: 'file', accept: FILE_ACCEPT, disabled: disabled || full || busy, 'aria-describedby': `${inputId}-hint` },
  });
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (file && onUpload) onUpload(file);
  });
  const rows = attached.map((id) => {
    const info = (files && files.get(id)) || {};
    return el('li', { class: 'sit-file', attrs: { 'data-file': id } }, [
      sitIcon('file'),
      el('span', { class: 'sit-file-name', text: text(info.name || id) }),
      info.bytes ? el('span', { class: 'sit-file-size', text: formatBytes(info.bytes) }) : null,
      el('button', {
        class: 'btn btn-ghost btn-sm sit-file-remove',
        attrs: { type: 'button', disabled, 'aria-label': t('sit.file.removeNamed', { name: text(info.name || id) }) },
        text: t('sit.file.remove'),
        on: { click: () => onChange(workAnswer(currentText(), attached.filter((other) => other !== id))) },
      }),
    ]);
  });
  return el('div', { class: 'sit-files' }, [
    el('p', { class: 'sit-answer-label', text: t('sit.file.title') }),
    rows.length ? el('ul', { class: 'sit-file-list' }, rows) : el('p', { class: 'sit-file-empty', text: t('sit.file.none') }),
    el('div', { class: 'sit-file-pick' }, [
      el('label', { class: `btn btn-outline btn-sm sit-file-button${disabled || full || busy ? ' is-disabled' : ''}`, attrs: { for: inputId } }, [
        busy ? el('span', { class: 'spinner spinner-dark' }) : sitIcon('upload'),
        el('span', { text: t(busy ? 'sit.file.uploading' : 'sit.file.add') }),
      ]),
      input,
    ]),
    el('p', { class: 'field-hint', attrs: { id: `${inputId}-hint` }, text: t('sit.file.hint', { max: MAX_FILES }) }),
    upload && upload.problem ? el('p', { class: 'field-error', attrs: { role: 'alert', id: `${inputId}-problem` }, text: upload.problem }) : null,
  ]);
}

/**
 * Marks the blanks of a fill-in stem so the inputs can be matched to them: "____(1)" as written
 * by the bank, or a bare "____" / "（ ）", which is numbered here.
 */
function stemWithBlanks(stem) {
  const parts = text(stem).split(/(_{2,}\s*[（(]\s*\d+\s*[)）]|_{2,}|（\s*）|\(\s*\))/);
  let blank = 0;
  return parts.map((part, index) => {
    if (index % 2 === 0) return part;
    blank += 1;
    const numbered = /\d/.test(part);
    return el('span', { class: 'sit-blank-mark', text: numbered ? part : `____（${blank}）` });
  });
}

function paragraphs(value, className) {
  return el('div', { class: className, text: text(value) });
}

function practicalDetails(item) {
  const rows = [];
  if (item.timeMinutes) rows.push(['sit.item.timeMinutes', t('sit.minutes', { n: item.timeMinutes })]);
  const details = [];
  if (item.statement) details.push(el('section', { class: 'sit-practical-block' }, [
    el('h3', { class: 'sit-practical-title', text: t('sit.item.statement') }), paragraphs(item.statement, 'sit-practical-text'),
  ]));
  if (item.preparation) details.push(el('section', { class: 'sit-practical-block' }, [
    el('h3', { class: 'sit-practical-title', text: t('sit.item.preparation') }), paragraphs(item.preparation, 'sit-practical-text'),
  ]));
  const materials = list(item.materials);
  if (materials.length) details.push(el('section', { class: 'sit-practical-block' }, [
    el('h3', { class: 'sit-practical-title', text: t('sit.item.materials') }),
    el('ul', { class: 'sit-materials' }, materials.map((material) => el('li', {}, [
      el('strong', { text: text(material && material.name) }),
      material && material.description ? el('span', { text: ` — ${text(material.description)}` }) : null,
    ]))),
  ]));
  if (!rows.length && !details.length) return null;
  return el('div', { class: 'sit-practical' }, [
    rows.length ? el('dl', { class: 'sit-practical-facts' }, rows.flatMap(([key, value]) => [el('dt', { text: t(key) }), el('dd', { text: value })])) : null,
    ...details,
  ]);
}

function choiceOptions(item, answer, { disabled, onChange, multiple }) {
  const name = `sit-${item.key}`;
  const chosen = new Set(multiple ? list(answer && answer.choices) : [answer && answer.choice].filter(Boolean));
  const inputs = [];
  const options = list(item.options).map((option) => {
    const id = `${name}-${option.letter}`;
    const input = el('input', {
      class: 'sit-option-input',
      attrs: { type: multiple ? 'checkbox' : 'radio', name, id, value: option.letter, checked: chosen.has(option.letter), disabled },
    });
    inputs.push(input);
    input.addEventListener('change', () => {
      if (multiple) {
        const letters = inputs.filter((box) => box.checked).map((box) => box.value).sort();
        onChange(letters.length ? { choices: letters } : null, {});
      } else if (input.checked) {
        onChange({ choice: option.letter }, {});
      }
    });
    return el('label', { class: 'sit-option', attrs: { for: id } }, [
      input,
      el('span', { class: 'sit-option-letter', attrs: { 'aria-hidden': 'true' }, text: option.letter }),
      el('span', { class: 'sit-option-text' }, [el('span', { class: 'visually-hidden', text: `${option.letter}. ` }), text(option.text)]),
    ]);
  });
  return el('fieldset', { class: 'sit-options' }, [
    el('legend', { class: 'sit-answer-label', text: t(multiple ? 'sit.item.chooseSeveral' : 'sit.item.chooseOne') }),
    el('div', { class: 'sit-option-list' }, options),
  ]);
}

function trueFalseOptions(item, answer, { disabled, onChange }) {
  const name = `sit-${item.key}`;
  const value = answer && typeof answer.value === 'boolean' ? answer.value : null;
  const option = (truth) => {
    const id = `${name}-${truth ? 'true' : 'false'}`;
    const input = el('input', {
      class: 'sit-option-input', attrs: { type: 'radio', name, id, value: String(truth), checked: value === truth, disabled },
    });
    input.addEventListener('change', () => {
      if (input.checked) onChange({ value: truth }, {});
    });
    return el('label', { class: `sit-option sit-option-tf is-${truth ? 'true' : 'false'}`, attrs: { for: id } }, [
      input,
      el('span', { class: 'sit-option-letter', attrs: { 'aria-hidden': 'true' }, text: truth ? '✓' : '✗' }),
      el('span', { class: 'sit-option-text', text: t(truth ? 'sit.item.true' : 'sit.item.false') }),
    ]);
  };
  return el('fieldset', { class: 'sit-options sit-options-tf' }, [
    el('legend', { class: 'sit-answer-label', text: t('sit.item.judge') }),
    el('div', { class: 'sit-option-list' }, [option(true), option(false)]),
  ]);
}

function blankInputs(item, answer, { disabled, onChange, problem }) {
  const count = Math.max(1, Number(item.blanks) || 1);
  const given = list(answer && answer.blanks);
  const inputs = [];
  const collect = () => {
    const blanks = inputs.map((input) => input.value);
    return blanks.some((blank) => blank.trim() !== '') ? { blanks } : null;
  };
  const fields = Array.from({ length: count }, (_, index) => {
    const id = `sit-${item.key}-blank-${index + 1}`;
    const input = el('input', {
      class: 'input-plain sit-blank-input',
      attrs: {
        id, type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: Math.floor(MAX_CHARACTERS / count),
        value: text(given[index]), disabled, 'aria-describedby': problem ? `sit-${item.key}-problem` : null,
      },
    });
    inputs.push(input);
    input.addEventListener('input', () => onChange(collect(), { debounce: true }));
    input.addEventListener('blur', () => onChange(collect(), { flush: true }));
    return el('div', { class: 'sit-blank' }, [
      el('label', { class: 'sit-blank-label', attrs: { for: id }, text: t('sit.item.blank', { n: index + 1 }) }),
      input,
    ]);
  });
  return el('div', { class: 'sit-blanks' }, [el('p', { class: 'sit-answer-label', text: t('sit.item.fill', { n: count }) }), ...fields]);
}

function textAnswer(item, answer, { disabled, onChange, problem }) {
  const attached = list(answer && answer.files);
  const value = (area) => (item.type === 'practical_task' ? workAnswer(area.value, attached) : area.value.trim() ? { text: area.value } : null);
  const id = `sit-${item.key}-text`;
  const counterId = `${id}-count`;
  const area = el('textarea', {
    class: 'textarea sit-textarea',
    attrs: {
      id, rows: item.type === 'practical_task' ? 14 : 10, maxlength: MAX_CHARACTERS, disabled, spellcheck: 'false',
      'aria-describedby': [counterId, problem ? `sit-${item.key}-problem` : null].filter(Boolean).join(' '),
    },
  });
  area.value = text(answer && answer.text);
  const counter = el('p', { class: 'sit-counter', attrs: { id: counterId } });
  const count = () => {
    counter.textContent = t('sit.item.count', { n: area.value.length, max: MAX_CHARACTERS });
  };
  count();
  area.addEventListener('input', () => {
    count();
    onChange(value(area), { debounce: true });
  });
  area.addEventListener('blur', () => onChange(value(area), { flush: true }));
  return el('div', { class: 'sit-written' }, [
    el('label', { class: 'sit-answer-label', attrs: { for: id }, text: t('sit.item.write') }), area, counter,
  ]);
}

/**
 * The item as an article: heading (number, section, points), the flag toggle, the stem (and a
 * practical task's statement, preparation and materials), the answer controls, a clear button.
 *
 * `options`: {number, total, answer, flagged, disabled, problem, onChange(answer, {debounce, flush}), onFlag(), onClear(),
 * files (Map id → {name, bytes}), upload ({busy, problem}), onUpload(file)} — the last three for practical tasks.
 */
export function renderItem(item, options) {
  const { number, total, answer, flagged, disabled, problem, onChange, onFlag, onClear, files, upload, onUpload } = options;
  let control;
  if (item.type === 'single_choice') control = choiceOptions(item, answer, { disabled, onChange, multiple: false });
  else if (item.type === 'multiple_choice') control = choiceOptions(item, answer, { disabled, onChange, multiple: true });
  else if (item.type === 'true_false') control = trueFalseOptions(item, answer, { disabled, onChange });
  else if (item.type === 'fill_in') control = blankInputs(item, answer, { disabled, onChange, problem });
  else control = textAnswer(item, answer, { disabled, onChange, problem });

  const points = Number(item.points);
  const flag = el('button', {
    class: `btn btn-outline sit-flag${flagged ? ' is-on' : ''}`,
    attrs: { type: 'button', id: 'sit-flag', 'aria-pressed': flagged ? 'true' : 'false' },
    on: { click: onFlag },
  }, [sitIcon('flag'), el('span', { text: t(flagged ? 'sit.item.flagged' : 'sit.item.flag') })]);

  return el('article', {
    class: `sit-item sit-item-${item.type}`,
    attrs: { 'aria-labelledby': 'sit-item-title', 'data-key': item.key, 'data-type': item.type },
  }, [
    el('header', { class: 'sit-item-head' }, [
      el('div', { class: 'sit-item-titles' }, [
        el('p', { class: 'sit-item-section', text: sectionLabel(item) }),
        el('h2', { class: 'sit-item-title', attrs: { id: 'sit-item-title', tabindex: '-1' } }, [
          el('span', { text: t('sit.item.number', { n: number }) }),
          el('span', { class: 'sit-item-of', text: t('sit.item.of', { total }) }),
          Number.isFinite(points) && points > 0 ? el('span', { class: 'sit-item-points', text: t('sit.item.points', { n: points }) }) : null,
        ]),
      ]),
      flag,
    ]),
    el('div', { class: 'sit-stem', attrs: { lang: 'zh-CN' } }, item.type === 'fill_in' ? stemWithBlanks(item.stem) : [text(item.stem)]),
    item.type === 'practical_task' ? practicalDetails(item) : null,
    control,
    item.type === 'practical_task' ? attachments(item, answer, {
      disabled, files, upload, onUpload, onChange, currentText: () => control.querySelector('textarea').value,
    }) : null,
    el('div', { class: 'sit-item-foot' }, [
      el('button', {
        class: 'btn btn-ghost btn-sm sit-clear', attrs: { type: 'button', id: 'sit-clear', disabled: disabled || !isAnswered(item, answer) },
        text: t('sit.item.clear'), on: { click: onClear },
      }),
    ]),
    problem ? el('p', { class: 'field-error sit-item-problem', attrs: { id: `sit-${item.key}-problem`, role: 'alert' }, text: problem }) : null,
  ]);
}
