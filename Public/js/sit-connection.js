// The sitting's HTTP calls and its one WebSocket (docs/PROTOCOL.md §1–2).
//
// Every (re)connection asks for a new single-use wsTicket with the Bearer token from sign-in,
// then opens the socket. Any close other than 1000/4001/4003/4004 (which mean "stop") is followed
// by a new attempt after an exponential backoff: 0.5 s doubling to 10 s, ±50 % random jitter.
// The browser going offline drops the socket at once (it is dead anyway) and coming back online
// reconnects without waiting for the backoff. A socket that has heard nothing for 45 s (the
// server sends the time every 30 s, and pongs) is treated as dead.
import { ApiError } from './api.js';

/** Close codes after which the client stops (PROTOCOL.md "Close codes"). */
export const STOP_CODES = new Set([1000, 4001, 4003, 4004]);

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 10000;
const PING_EVERY_MS = 15000;
const SILENT_LIMIT_MS = 45000;
const DEFAULT_PATH = '/api/v1/sit/ws';

/** One JSON call with an optional Bearer token (never the cookie); throws ApiError like api.js. */
export async function sitRequest(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, 'network_error', error && error.message);
  }
  let data = null;
  try {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = (data && typeof data.error === 'object' && data.error) || {};
    const retry = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      typeof detail.code === 'string' ? detail.code : `http_${response.status}`,
      typeof detail.message === 'string' ? detail.message : response.statusText,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return data;
}

export const sitApi = {
  /** → {token, sitting, candidate:{name, room, seat}, expiresAt} */
  login: (ticket, idNumber) => sitRequest('POST', '/api/v1/sit/login', { body: { ticket, idNumber } }),
  /** → {wsTicket, expiresInSeconds, path} */
  connect: (sitting, token) => sitRequest('POST', `/api/v1/sit/${encodeURIComponent(sitting)}/connect`, { token }),
  /** → {tickets:[…]} with the sitting's details and the rules (考生须知). */
  tickets: (token) => sitRequest('GET', '/api/v1/tickets/mine', { token }),
};

/** The delay before reconnection attempt `attempt` (0-based), in milliseconds. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.5 + random()));
}

/**
 * The connection of one candidate to one sitting.
 *
 * Callbacks: `onStatus(status)` with 'connecting' | 'open' | 'reconnecting' | 'offline' |
 * 'stopped'; `onMessage(message)` for each server message; `onReady()` once the welcome of a new
 * socket has been handled (queued changes may be sent); `onStop({code, reason})` for a stopping
 * close; `onRefused(error)` when the server will not give a ticket (401: sign in again; 404: not
 * this candidate's sitting).
 */
export class SitConnection {
  constructor({ sitting, token, onStatus, onMessage, onReady, onStop, onRefused }) {
    Object.assign(this, { sitting, token, onStatus, onMessage, onReady, onStop, onRefused });
    this.socket = null;
    this.welcomed = false;
    this.attempt = 0;
    this.timer = null;
    this.stopped = true;
    this.status = 'idle';
    this.lastHeard = 0;
    this.networkDown = false;
    this.connecting = false;
    this.heartbeat = null;
    this.listeners = {
      online: () => this.reconnectNow(),
      offline: () => {
        this.networkDown = true;
        this.drop('browser offline');
      },
    };
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.listeners.online);
    window.addEventListener('offline', this.listeners.offline);
    this.heartbeat = window.setInterval(() => this.beat(), 5000);
    this.connect();
  }

  /** Stops for good (a stopping close, hand-in, sign-out). */
  stop() {
    this.stopped = true;
    window.clearTimeout(this.timer);
    window.clearInterval(this.heartbeat);
    window.removeEventListener('online', this.listeners.online);
    window.removeEventListener('offline', this.listeners.offline);
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'client stopped');
    this.setStatus('stopped');
  }

  /** Whether changes can be sent now (socket open and its welcome handled). */
  get ready() {
    return Boolean(this.socket && this.socket.readyState === WebSocket.OPEN && this.welcomed);
  }

  /** Sends one message if the socket is ready; returns whether it was sent. */
  send(message) {
    if (!this.ready) return false;
    try {
      this.socket.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  async connect() {
    if (this.stopped || this.connecting || this.socket) return;
    window.clearTimeout(this.timer);
    this.timer = null;
    const offline = this.networkDown || navigator.onLine === false;
    this.setStatus(this.status === 'idle' ? 'connecting' : offline ? 'offline' : 'reconnecting');
    let grant;
    this.connecting = true;
    try {
      grant = await sitApi.connect(this.sitting, this.token);
    } catch (error) {
      this.connecting = false;
      if (this.stopped) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) {
        this.stop();
        this.onRefused(error);
        return;
      }
      this.networkDown = error instanceof ApiError && error.status === 0;
      this.schedule();
      return;
    }
    this.connecting = false;
    if (this.stopped) return;
    this.networkDown = false;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const path = grant && typeof grant.path === 'string' && grant.path.startsWith('/') ? grant.path : DEFAULT_PATH;
    let socket;
    try {
      // Without WebCrypto (a plain-HTTP page) a sealed paper could not be opened: ask for it in clear.
      const sealed = window.crypto && window.crypto.subtle ? '' : '&sealed=0';
      socket = new WebSocket(`${scheme}://${window.location.host}${path}?ticket=${encodeURIComponent(grant.wsTicket)}${sealed}`);
    } catch {
      this.schedule();
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.lastHeard = performance.now();
      this.setStatus('open');
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.lastHeard = performance.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!message || typeof message.type !== 'string') return;
      this.onMessage(message);
      if (message.type === 'welcome' && this.socket === socket) {
        this.welcomed = true;
        this.attempt = 0;
        this.onReady();
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.closed(event.code, event.reason);
    };
  }

  closed(code, reason) {
    this.socket = null;
    this.welcomed = false;
    if (this.stopped) return;
    if (STOP_CODES.has(code)) {
      this.stop();
      this.onStop({ code, reason: reason || '' });
      return;
    }
    this.schedule();
  }

  schedule() {
    if (this.stopped) return;
    window.clearTimeout(this.timer);
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.setStatus(this.networkDown || navigator.onLine === false ? 'offline' : 'reconnecting');
    this.timer = window.setTimeout(() => this.connect(), delay);
  }

  /** Drops the socket as if the network had cut it; a reconnection follows. */
  drop(why = 'dropped') {
    const socket = this.socket;
    if (!socket) {
      if (!this.stopped && this.networkDown) this.setStatus('offline');
      return;
    }
    this.socket = null;
    this.welcomed = false;
    socket.onclose = null;
    socket.onmessage = null;
    try {
      socket.close(3000, why);
    } catch {
      // Already closing.
    }
    this.closed(1006, why);
  }

  /** Tries at once (the browser came back online), resetting the backoff. */
  reconnectNow() {
    this.networkDown = false;
    if (this.stopped) return;
    if (this.socket) return;
    this.attempt = 0;
    this.connect();
  }

  /** Pings every 15 s (the pong refreshes the clock offset) and notices a silent socket. */
  beat() {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    if (now - this.lastHeard > SILENT_LIMIT_MS) {
      this.drop('silent');
      return;
    }
    if (!this.lastPing || now - this.lastPing >= PING_EVERY_MS - 100) {
      this.lastPing = now;
      try {
        this.socket.send(JSON.stringify({ type: 'ping', t: now }));
      } catch {
        // The close event follows.
      }
    }
  }
}
