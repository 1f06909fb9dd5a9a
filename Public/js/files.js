// Files through the API with the session cookie: downloads (exports, evidence), viewing a stored
// file, and raw uploads. Errors come back as ApiError with the server's code and message, like
// every other call (api.js); a file is never put into the page as HTML.
import { ApiError } from './api.js';
import { el, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { errorMessage } from './page.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A decorative stroked icon from path data, drawn like the fixed set of dom.js (24×24), for the
 * few shapes that set lacks (download, close).
 */
export function pathIcon(paths, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [name, value] of Object.entries({
    viewBox: '0 0 24 24', class: className, 'aria-hidden': 'true', focusable: 'false', fill: 'none',
    stroke: 'currentColor', 'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  })) svg.setAttribute(name, value);
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export const downloadIcon = () => pathIcon(['M12 4v11', 'm7.5 10.5 4.5 4.5 4.5-4.5', 'M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15']);
export const closeIcon = () => pathIcon(['M6 6l12 12M18 6 6 18']);
export const plusIcon = () => pathIcon(['M12 5v14M5 12h14']);

/** The ApiError of a failed response: the `{error: {code, message}}` body when there is one. */
async function errorOf(response) {
  let data = null;
  try {
    data = JSON.parse(await response.text());
  } catch {
    data = null;
  }
  const detail = (data && typeof data.error === 'object' && data.error) || {};
  return new ApiError(
    response.status,
    typeof detail.code === 'string' ? detail.code : `http_${response.status}`,
    typeof detail.message === 'string' ? detail.message : response.statusText,
  );
}

async function send(path, init) {
  try {
    return await fetch(path, { credentials: 'same-origin', cache: 'no-store', ...init });
  } catch (error) {
    throw new ApiError(0, 'network_error', error && error.message);
  }
}

/** The file name of a `Content-Disposition` header (RFC 6266 `filename*` first), or ''. */
export function fileNameOf(header) {
  if (!header) return '';
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  if (!plain) return '';
  return (plain[2] !== undefined ? plain[2] : plain[1]).trim();
}

/** GETs a file: {blob, fileName, contentType}. */
export async function fetchFile(path) {
  const response = await send(path, { method: 'GET', headers: { Accept: '*/*' } });
  if (!response.ok) throw await errorOf(response);
  const blob = await response.blob();
  return {
    blob,
    fileName: fileNameOf(response.headers.get('Content-Disposition')),
    contentType: response.headers.get('Content-Type') || blob.type,
  };
}

/** Saves a blob under `name` through a temporary object URL and `<a download>`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { class: 'visually-hidden', attrs: { href: url, download: name || 'download' } });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Downloads `path` and saves it; returns the file name used. */
export async function downloadFile(path, fallbackName) {
  const { blob, fileName } = await fetchFile(path);
  const name = fileName || fallbackName;
  saveBlob(blob, name);
  return name;
}

/**
 * Opens a stored file (an image or a PDF) in a new tab from an object URL; when the browser
 * blocks the new tab, saves it instead. Returns 'opened' or 'saved'.
 */
export async function openFile(path, fallbackName) {
  const { blob, fileName } = await fetchFile(path);
  const url = URL.createObjectURL(blob);
  const opened = window.open(url, '_blank');
  window.setTimeout(() => URL.revokeObjectURL(url), 5 * 60_000);
  if (opened) return 'opened';
  saveBlob(blob, fileName || fallbackName);
  return 'saved';
}

/** POSTs a file as the raw body with its content type; returns the JSON answer. */
export async function uploadFile(path, file, contentType) {
  const response = await send(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': contentType },
    body: file,
  });
  if (!response.ok) throw await errorOf(response);
  const text = response.status === 204 ? '' : await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The first bytes of a file, for checking what it really is before sending it. */
export async function headOf(file, length = 8) {
  const buffer = await file.slice(0, length).arrayBuffer();
  return new Uint8Array(buffer);
}

/** What the first bytes say the file is: 'image/png', 'image/jpeg', 'application/pdf' or null. */
export function sniff(bytes) {
  const starts = (...values) => values.every((value, index) => bytes[index] === value);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'application/pdf';
  return null;
}

/** A size for people: "1.2 MB", "340 KB", "12 B". */
export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The CSV / XLSX buttons of an export. `url(format)` gives the address; `report(message)` shows
 * {kind: 'success'|'error', text} beside the buttons (or null to clear). The group is marked busy
 * while a download runs.
 */
export function exportButtons({ id, url, fallbackName, report, labelKey = 'export.label' }) {
  const status = el('span', { class: 'export-status', attrs: { id: `${id}-status`, role: 'status', 'aria-live': 'polite' } });
  const group = el('div', { class: 'export-group', attrs: { id, role: 'group', 'aria-label': t(labelKey) } });
  const button = (format) => el('button', {
    class: 'btn btn-outline btn-sm export-btn',
    attrs: { type: 'button', id: `${id}-${format}` },
    dataset: { format },
    on: { click: () => run(format) },
  }, [el('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), downloadIcon(), el('span', { class: 'btn-label', text: t(`export.${format}`) })]);
  const buttons = ['csv', 'xlsx'].map(button);
  async function run(format) {
    if (group.dataset.busy) return;
    group.dataset.busy = format;
    const target = buttons.find((node) => node.dataset.format === format);
    target.classList.add('is-busy');
    target.setAttribute('aria-busy', 'true');
    status.textContent = t('export.working');
    try {
      const name = await downloadFile(url(format), `${fallbackName}.${format}`);
      status.textContent = t('export.done', { name });
      group.dataset.done = name;
      if (report) report(null);
    } catch (error) {
      status.textContent = '';
      if (report) report({ kind: 'error', text: t('export.failed', { message: errorMessage(error) }), error });
    } finally {
      delete group.dataset.busy;
      target.classList.remove('is-busy');
      target.removeAttribute('aria-busy');
    }
  }
  replaceChildren(group, [el('span', { class: 'export-label', text: t(labelKey) }), ...buttons, status]);
  return group;
}
