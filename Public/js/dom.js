// Small DOM helpers. Text always goes in through textContent / text nodes, never as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element.
 * `props`: {class, text, attrs:{name:value}, dataset:{k:v}, on:{event:handler}}.
 * `children`: nodes or strings (strings become text nodes); null/false are skipped.
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  if (props.attrs) {
    for (const [name, value] of Object.entries(props.attrs)) {
      if (value === false || value === null || value === undefined) continue;
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (props.dataset) {
    for (const [name, value] of Object.entries(props.dataset)) node.dataset[name] = String(value);
  }
  if (props.on) {
    for (const [event, handler] of Object.entries(props.on)) node.addEventListener(event, handler);
  }
  append(node, children);
  return node;
}

/** Appends nodes or strings (as text) to `parent`. */
export function append(parent, children) {
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return parent;
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent, children = []) {
  parent.replaceChildren();
  return append(parent, children);
}

/** An icon from the fixed set below, as inline SVG (decorative: hidden from assistive technology). */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.8');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const shape of ICONS[name] || ICONS.dot) {
    const [tag, attrs] = shape;
    const child = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs)) child.setAttribute(key, value);
    svg.append(child);
  }
  return svg;
}

const p = (d) => ['path', { d }];
const c = (cx, cy, r) => ['circle', { cx, cy, r }];
const r = (x, y, width, height, rx = 2) => ['rect', { x, y, width, height, rx }];

// A fixed, hand-drawn icon set (24×24, stroked).
const ICONS = {
  dot: [c(12, 12, 3)],
  users: [c(9, 8, 3.5), p('M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5'), p('M16 4.8a3.5 3.5 0 0 1 0 6.4'), p('M18 14.8c1.9.7 3.1 2.4 3.5 5.2')],
  ledger: [p('M12 3 4.5 6v5.5c0 4.6 3.1 8 7.5 9.5 4.4-1.5 7.5-4.9 7.5-9.5V6L12 3Z'), p('m8.8 12.2 2.2 2.2 4.3-4.4')],
  certificate: [r(3, 4, 18, 13), p('M7 8.5h10M7 12h6'), c(16.5, 16.5, 2.5), p('m15 18.6-.8 3.4 2.3-1.2 2.3 1.2-.8-3.4')],
  upload: [p('M12 15V4'), p('m7.5 8.5 4.5-4.5 4.5 4.5'), p('M4 15v3.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V15')],
  clipboard: [r(5, 4.5, 14, 16.5), p('M9 3h6v3H9z'), p('m9 13 2 2 4-4')],
  calendar: [r(3.5, 5, 17, 15.5), p('M3.5 10h17M8 3v4M16 3v4'), p('M8 14h2M13 14h3M8 17h2')],
  building: [p('M4 21V5.5L12 3l8 2.5V21'), p('M2.5 21h19'), p('M9 21v-4h6v4'), p('M8 8.5h2M14 8.5h2M8 12.5h2M14 12.5h2')],
  team: [c(8, 8, 3), c(17, 9.5, 2.5), p('M2.5 19.5c.5-3.3 2.7-5 5.5-5s5 1.7 5.5 5'), p('M14.5 14.6c.8-.4 1.6-.6 2.5-.6 2.4 0 4.2 1.5 4.5 4.5')],
  unseal: [r(4.5, 10.5, 15, 10.5), p('M8 10.5V7.5a4 4 0 0 1 7.6-1.8'), c(12, 15.5, 1.5), p('M12 17v1.5')],
  pen: [p('M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4Z'), p('m13.5 6.5 4 4')],
  files: [p('M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5Z'), p('M14 3v5h5'), p('M9 13h6M9 17h4')],
  key: [c(8, 15, 4), p('m11 12 9-9'), p('m16.5 6.5 2.5 2.5'), p('m14 9 2 2')],
  rotate: [p('M20 11a8 8 0 0 0-14.3-4.9L4 8'), p('M4 3.5V8h4.5'), p('M4 13a8 8 0 0 0 14.3 4.9L20 16'), p('M20 20.5V16h-4.5')],
  eye: [p('M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12Z'), c(12, 12, 3)],
  check: [r(3.5, 3.5, 17, 17), p('m8 12.5 2.8 2.8L16.5 9.5')],
  binoculars: [c(6.5, 16, 3.5), c(17.5, 16, 3.5), p('M10 16h4'), p('M4 13.5 6 5h3l1 8'), p('M20 13.5 18 5h-3l-1 8')],
  chart: [p('M4 20V4'), p('M4 20h16'), p('M8 16v-4M12 16V8M16 16v-6')],
  form: [r(4, 3, 16, 18), p('M8 8h8M8 12h8M8 16h5')],
  ticket: [p('M3 8V6.5A1.5 1.5 0 0 1 4.5 5h15A1.5 1.5 0 0 1 21 6.5V8a2.5 2.5 0 0 0 0 5v4.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5V13a2.5 2.5 0 0 0 0-5Z'), p('M9 5v14'), p('M12.5 10h5M12.5 14h3.5')],
  monitor: [r(3, 4, 18, 12.5), p('M8 20.5h8M12 16.5v4'), p('m10 8.5 4 1.75-4 1.75z')],
  medal: [c(12, 14.5, 5.5), p('M8.5 10.2 6 3h4l2 4 2-4h4l-2.5 7.2'), p('m12 12 .9 1.8 2 .3-1.5 1.4.4 2-1.8-1-1.8 1 .4-2-1.5-1.4 2-.3Z')],
  book: [p('M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5v-15Z'), p('M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5'), p('M8 8h8M8 11.5h5')],
  logout: [p('M15 4h3.5A1.5 1.5 0 0 1 20 5.5v13a1.5 1.5 0 0 1-1.5 1.5H15'), p('M10 17l5-5-5-5'), p('M15 12H4')],
  globe: [c(12, 12, 9), p('M3 12h18'), p('M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3Z')],
  shieldOk: [p('M12 3 4.5 6v5.5c0 4.6 3.1 8 7.5 9.5 4.4-1.5 7.5-4.9 7.5-9.5V6L12 3Z'), p('m8.8 12.2 2.2 2.2 4.3-4.4')],
  shieldBad: [p('M12 3 4.5 6v5.5c0 4.6 3.1 8 7.5 9.5 4.4-1.5 7.5-4.9 7.5-9.5V6L12 3Z'), p('M12 8v5'), p('M12 16.2v.3')],
  alert: [c(12, 12, 9), p('M12 7.5v5.5'), p('M12 16.3v.2')],
  refresh: [p('M20 11a8 8 0 1 0-2.3 5.7'), p('M20 4.5V11h-6.5')],
  lock: [r(4.5, 10.5, 15, 10.5), p('M8 10.5V7.5a4 4 0 0 1 8 0v3')],
  user: [c(12, 8, 4), p('M4 21c.8-4.2 3.9-6.5 8-6.5s7.2 2.3 8 6.5')],
  clock: [c(12, 12, 9), p('M12 7v5l3 2')],
  arrowRight: [p('M5 12h14'), p('m13 6 6 6-6 6')],
  layers: [p('m12 3 9 5-9 5-9-5 9-5Z'), p('m3 13 9 5 9-5'), p('m3 17.5 9 5 9-5')],
  scale: [p('M12 3v18'), p('M7 21h10'), p('M5 7h14'), p('m5 7-3 6a3 3 0 0 0 6 0L5 7Z'), p('m19 7-3 6a3 3 0 0 0 6 0l-3-6Z')],
};
