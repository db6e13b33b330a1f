/**
 * The one way the web console talks to the API: bearer token from the session,
 * one refresh on 401, an Idempotency-Key on every write (so a double tap or a
 * retried request is done once), and errors carrying the API's own words.
 */

export interface SessionPerson {
  id: string;
  name: string;
  orgUnitId: string | null;
  roles: string[];
}

export interface Session {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  mustChangePassword: boolean;
  person: SessionPerson;
}

/** An error answer of the API: Chinese `message`, English `messageEn`, the request id to quote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly messageEn: string,
    readonly code: string,
    readonly requestId?: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const STORAGE_KEY = 'duban.session';
let session: Session | null = load();
const listeners = new Set<(s: Session | null) => void>();

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return session;
}

export function setSession(s: Session | null): void {
  session = s;
  try {
    if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage unavailable: the session lives in memory only */
  }
  listeners.forEach((l) => l(s));
}

export function onSessionChange(l: (s: Session | null) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

let refreshing: Promise<boolean> | null = null;

/** Rotates the tokens once for all requests waiting on a 401. */
async function refresh(): Promise<boolean> {
  const s = session;
  if (!s) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: s.refreshToken }) });
      if (!res.ok) return false;
      const t = (await res.json()) as Omit<Session, 'person' | 'mustChangePassword'>;
      setSession({ ...s, ...t });
      return true;
    } catch {
      return false;
    } finally {
      setTimeout(() => (refreshing = null), 0);
    }
  })();
  return refreshing;
}

async function toError(res: Response): Promise<ApiError> {
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON (a proxy's page): fall back to the status */
  }
  const message = body?.message ? String(Array.isArray(body.message) ? body.message.join('；') : body.message) : `请求失败（${res.status}）`;
  const messageEn = body?.messageEn ? String(body.messageEn) : `Request failed (${res.status})`;
  return new ApiError(res.status, message, messageEn, String(body?.error ?? res.status), body?.requestId, body);
}

export interface RequestOptions {
  /** Idempotency-Key to send; a fresh one per call unless given (give one to make a retry the same request). */
  idempotencyKey?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** Raw response (for files); throws ApiError on a non-2xx answer. */
export async function apiFetch(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Response> {
  const write = method !== 'GET' && method !== 'HEAD';
  const key = write ? (opts.idempotencyKey ?? newKey()) : undefined;
  const send = () => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (session) headers.authorization = `Bearer ${session.accessToken}`;
    if (key) headers['idempotency-key'] = key;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(path === '/api' || path.startsWith('/api/') ? path : `/api${path}`, { method, headers, body: payload, signal: opts.signal });
  };
  let res = await send();
  if (res.status === 401 && session && (await refresh())) res = await send();
  if (res.status === 401 && session) setSession(null);
  if (!res.ok) throw await toError(res);
  return res;
}

/** JSON request; returns the parsed answer (undefined for 204). */
export async function api<T = any>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<T> {
  const res = await apiFetch(method, path, body, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T = any>(path: string, opts?: RequestOptions) => api<T>('GET', path, undefined, opts);
export const post = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => api<T>('POST', path, body ?? {}, opts);
export const patch = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => api<T>('PATCH', path, body ?? {}, opts);
export const put = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => api<T>('PUT', path, body ?? {}, opts);
export const del = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => api<T>('DELETE', path, body, opts);

/** Downloads a file that needs the bearer token (a PDF, an .xlsx) and hands it to the browser. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await apiFetch('GET', path);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
