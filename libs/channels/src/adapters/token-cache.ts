/**
 * Access tokens of the work-notice APIs (DingTalk gettoken, WeCom gettoken):
 * valid for expires_in seconds (7200), and both providers ask callers to cache
 * them rather than fetch one per message (gettoken is rate limited). Kept per
 * process, keyed by API base and app; dropped when the provider says a token
 * is invalid or expired.
 */
import type { ProviderAnswer } from '../channel';
import { callProvider, httpFailure } from '../http';
import { codeAnswer } from './errcode';

const tokens = new Map<string, { token: string; expiresAt: number }>();

export function cachedToken(key: string): string | null {
  const t = tokens.get(key);
  // Refresh five minutes early so a token never expires in flight.
  return t && t.expiresAt - 300_000 > Date.now() ? t.token : null;
}

export function storeToken(key: string, token: string, expiresInSec: number): void {
  tokens.set(key, { token, expiresAt: Date.now() + expiresInSec * 1000 });
}

export function dropToken(key: string): void {
  tokens.delete(key);
}

/**
 * The gettoken exchange both providers document alike: GET `url` answers
 * {errcode, errmsg, access_token, expires_in}; errcode 0 gives a token, cached
 * under `key`; a code in `permanent` (bad credentials) is not worth retrying.
 */
export async function accessToken(key: string, url: string, permanent: ReadonlySet<number>): Promise<{ token: string } | ProviderAnswer> {
  const cached = cachedToken(key);
  if (cached) return { token: cached };
  const r = await callProvider(url, { method: 'GET' });
  const failed = httpFailure(r);
  if (failed) return failed;
  const b = (r.json ?? {}) as { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number };
  if (b.errcode !== 0 || !b.access_token)
    return { ...codeAnswer(r, Number(b.errcode ?? -1), `gettoken: ${b.errmsg ?? ''}`, permanent), answer: { errcode: b.errcode, errmsg: b.errmsg } };
  storeToken(key, b.access_token, b.expires_in ?? 7200);
  return { token: b.access_token };
}
