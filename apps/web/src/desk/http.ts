/**
 * The desk pages' calls, in one place: a thin layer over the console's api.ts
 * so that every W4 page speaks the same way (errors keep the API's own words,
 * files come down as blobs with the bearer token).
 */
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

const TOKEN_KEYS = ['duban.accessToken', 'accessToken', 'duban.token'];

function token(): string | null {
  for (const k of TOKEN_KEYS) {
    const v = localStorage.getItem(k) ?? sessionStorage.getItem(k);
    if (v) return v;
  }
  return null;
}

async function send(method: string, path: string, body?: BodyInit | object, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  if (method !== 'GET') h['Idempotency-Key'] = crypto.randomUUID();
  let payload: BodyInit | undefined;
  if (body instanceof Blob || body instanceof ArrayBuffer) payload = body as BodyInit;
  else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`/api${path}`, { method, headers: h, body: payload });
  if (!res.ok) {
    const b = await res.json().catch(() => ({}));
    throw new DeskError(res.status, b.message ?? `请求失败（${res.status}）`, b.messageEn ?? `Request failed (${res.status})`, b);
  }
  return res;
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
