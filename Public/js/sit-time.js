// Time on the exam page: the server's clock, as an offset from the page's monotonic clock
// (performance.timeOrigin + performance.now(), which the wall clock cannot move), and how times
// are shown (Beijing time, countdowns).
import { formatBeijing, getLang, t } from './i18n.js';

/** Server time = the page's monotonic time + offset (ms). */
export const clock = { offset: 0, known: false, lastPong: -Infinity };

export const localNow = () => performance.timeOrigin + performance.now();
export const serverNow = () => localNow() + clock.offset;

/** The offset as `serverTime − Date.now()` (for diagnostics only). */
export const wallClockOffset = () => serverNow() - Date.now();

/**
 * Takes a server time reading. A push (welcome, time) carries no round trip and is used only
 * until a pong (with `rtt`, half of which is added) gives a better one.
 */
export function observeServerTime(iso, { rtt = null } = {}) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return;
  if (rtt === null) {
    if (clock.known && performance.now() - clock.lastPong < 60000) return;
    clock.offset = at - localNow();
  } else {
    clock.offset = at + rtt / 2 - localNow();
    clock.lastPong = performance.now();
  }
  clock.known = true;
}

/** A `pong`: its `t` is the `performance.now()` at which the ping was sent. */
export function observePong(message) {
  const rtt = performance.now() - Number(message.t);
  if (Number.isFinite(rtt) && rtt >= 0 && rtt < 10000) observeServerTime(message.serverTime, { rtt });
}

/** Seconds as HH:MM:SS (rounded up, never negative). */
export function duration(seconds) {
  const total = Math.max(0, Math.ceil(seconds));
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

function inBeijing(ms, options) {
  if (!Number.isFinite(ms)) return '';
  const formatted = new Intl.DateTimeFormat(getLang(), { timeZone: 'Asia/Shanghai', hour12: false, ...options }).format(new Date(ms));
  return t('sit.beijing', { time: formatted });
}

/** A date-time value (ISO text) in Beijing time, to the minute, with "（北京时间）". */
export function beijing(value) {
  return value ? t('sit.beijing', { time: formatBeijing(value) }) : '';
}

/** A moment (ms) as the time of day in Beijing, to the second. */
export function beijingTime(ms) {
  return inBeijing(ms, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A moment (ms) as date and time in Beijing, to the second. */
export function beijingFull(ms) {
  return inBeijing(ms, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
