/**
 * The desk pages' calls, in one place: a thin layer over the console's api.ts
 * so that every W4 page speaks the same way (errors keep the API's own words,
 * files come down as blobs with the bearer token).
 */
import { ApiError, apiFetch, getSession } from '../api';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** A refusal as the API gives it: Chinese `message`, English `messageEn`, and for input the fields. */
export class DeskError extends Error {
  constructor(
    readonly status: number,
    readonly zh: string,
    readonly en: string,
    readonly body: { errors?: FieldProblem[]; details?: Record<string, unknown> } & Record<string, unknown>,
  ) {
    super(zh);
  }
}

/** Every call goes through the core's apiFetch (token, refresh, Idempotency-Key); its errors become DeskErrors. */
async function send(method: string, path: string, body?: Blob | object, headers: Record<string, string> = {}): Promise<Response> {
  try {
    if (body instanceof Blob) {
      // apiFetch sends JSON or FormData; a file as the raw body goes out here with the same token and key.
      const s = getSession();
      const h: Record<string, string> = { ...headers, 'idempotency-key': crypto.randomUUID() };
      if (s) h.authorization = `Bearer ${s.accessToken}`;
      const res = await fetch(`/api${path}`, { method, headers: h, body });
      if (!res.ok) {
        const b = await res.json().catch(() => ({}));
        throw new DeskError(res.status, b.message ?? `请求失败（${res.status}）`, b.messageEn ?? `Request failed (${res.status})`, b);
      }
      return res;
    }
    // Always the full /api path: apiFetch leaves a path starting with "/api" alone, and "/api-keys" does.
    return await apiFetch(method, `/api${path}`, body, { headers });
  } catch (e) {
    if (e instanceof ApiError) throw new DeskError(e.status, e.message, e.messageEn, (e.body ?? {}) as DeskError['body']);
    throw e;
  }
}

export async function call<T = unknown>(method: string, path: string, body?: object): Promise<T> {
  const res = await send(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T = unknown>(path: string) => call<T>('GET', path);
export const post = <T = unknown>(path: string, body: object = {}) => call<T>('POST', path, body);
export const put = <T = unknown>(path: string, body: object = {}) => call<T>('PUT', path, body);
export const patch = <T = unknown>(path: string, body: object = {}) => call<T>('PATCH', path, body);
export const del = <T = unknown>(path: string, body: object = {}) => call<T>('DELETE', path, body);

/** Uploads a file as the request body (the ledger import takes the .xlsx itself, not a form). */
export async function upload<T = unknown>(path: string, file: Blob, type: string): Promise<T> {
  return (await (await send('POST', path, file, { 'Content-Type': type })).json()) as T;
}

/** Downloads a file with the bearer token and hands it to the browser under the server's name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send('GET', path);
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Me {
  kind: string;
  personId?: string;
  name?: string;
  orgUnitId?: string;
  roles?: string[];
}
