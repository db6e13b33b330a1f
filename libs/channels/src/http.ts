import type { ProviderAnswer } from './channel';

/** Every provider call gives up after this long; the outbox retries with back-off. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export interface HttpResult {
  status: number;
  json: unknown;
  text: string;
}

/**
 * One HTTP call to a provider. Throws only for network failures and timeouts
 * (the caller turns those into a retryable answer); any HTTP status comes back.
 */
export async function callProvider(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<HttpResult> {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.body !== undefined ? { 'content-type': 'application/json; charset=utf-8', ...init.headers } : init.headers,
    body: init.body,
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    redirect: 'error',
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text: text.slice(0, 2000) };
}

/** A network failure or timeout: the provider may not have seen the request, so a retry can help. */
export function networkFailure(err: unknown): ProviderAnswer {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
  return { ok: false, retryable: true, error: name === 'TimeoutError' || name === 'AbortError' ? `timeout after ${PROVIDER_TIMEOUT_MS} ms` : `network: ${message}` };
}

/** 5xx and 429 are the provider's trouble or a rate limit: retry later. Other 4xx: our request is wrong. */
export function httpFailure(r: HttpResult): ProviderAnswer | null {
  if (r.status >= 200 && r.status < 300) return null;
  const retryable = r.status === 429 || r.status >= 500;
  return { ok: false, retryable, httpStatus: r.status, answer: r.json ?? r.text, error: `HTTP ${r.status}` };
}
