import type { ProviderAnswer } from '../channel';
import type { HttpResult } from '../http';

/**
 * DingTalk, WeCom and Feishu answer HTTP 200 with an error code in the body.
 * A code the provider documents as permanent (bad signature, unknown robot,
 * invalid user, content refused) is not retried; anything else (busy, rate
 * limited, unknown) is, and the outbox's attempt limit bounds it.
 */
export function codeAnswer(r: HttpResult, code: number, message: string, permanent: ReadonlySet<number>, messageId?: string): ProviderAnswer {
  if (code === 0) return { ok: true, retryable: false, httpStatus: r.status, answer: r.json, providerMessageId: messageId };
  return { ok: false, retryable: !permanent.has(code), httpStatus: r.status, answer: r.json, error: `${code} ${message}`.trim() };
}

/** Append parameters to a provider URL that already carries its own (access_token=, key=). */
export function withQuery(base: string, params: Record<string, string>): string {
  const u = new URL(base);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** A personal channel needs the person's address on it (their user id, mobile, e-mail). */
export function missingAddress(what: string): ProviderAnswer {
  return { ok: false, retryable: false, error: `no ${what} for this person` };
}

/** Cut a string so that its UTF-8 form fits a provider's byte limit. */
export function fitBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = s;
  while (Buffer.byteLength(out) > maxBytes - 3) out = out.slice(0, Math.floor(out.length * 0.9));
  return `${out}…`;
}
