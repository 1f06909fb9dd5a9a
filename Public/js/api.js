// The server API, same origin. The session lives in an HttpOnly cookie set by the server:
// scripts never see or store the token; every call sends the cookie with `credentials: 'same-origin'`.

/** A failed call: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date), or null. */
function parseRetryAfter(header) {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** One JSON API call with the session cookie; throws ApiError with the server's code. */
export async function request(method, path, body) {
  const init = {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, 'network_error', error && error.message);
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const detail = (data && typeof data.error === 'object' && data.error) || {};
    throw new ApiError(
      response.status,
      typeof detail.code === 'string' ? detail.code : `http_${response.status}`,
      typeof detail.message === 'string' ? detail.message : response.statusText,
      parseRetryAfter(response.headers.get('Retry-After')),
    );
  }
  return data;
}

export const api = {
  /** → {token, expiresAt, user}. The token in the body is ignored; the cookie carries the session. */
  login: (username, password) => request('POST', '/api/v1/auth/login', { username, password }),
  logout: () => request('POST', '/api/v1/auth/logout'),
  /** → {user, session:{expiresAt, idleExpiresAt}} */
  me: () => request('GET', '/api/v1/me'),
  /** → {standards:[{code, name, levels:[{level, directions}]}]} */
  exams: () => request('GET', '/api/v1/exams'),
  /** → {users:[…]} (body_admin) */
  users: () => request('GET', '/api/v1/users'),
  /** → {entries, checkpoints, lastCheckpointAt, ok, problem} (body_admin, supervisor) */
  auditStatus: () => request('GET', '/api/v1/audit/status'),
};

const NOTICE_KEY = 'assay.notice';

/**
 * Goes to the login page, leaving a one-off notice for it ("logout" or "expired") in
 * sessionStorage, so the address stays plain `/index.html`.
 */
export function goToLogin(notice) {
  try {
    if (notice) window.sessionStorage.setItem(NOTICE_KEY, notice);
  } catch {
    // Storage disabled: the login page simply shows no notice.
  }
  window.location.replace('/index.html');
}

/** Reads and clears the notice left by ``goToLogin``. */
export function takeLoginNotice() {
  try {
    const notice = window.sessionStorage.getItem(NOTICE_KEY);
    window.sessionStorage.removeItem(NOTICE_KEY);
    return notice;
  } catch {
    return null;
  }
}
