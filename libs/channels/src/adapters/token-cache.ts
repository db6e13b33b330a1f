/**
 * Access tokens of the work-notice APIs (DingTalk gettoken, WeCom gettoken):
 * valid for expires_in seconds (7200), and both providers ask callers to cache
 * them rather than fetch one per message (gettoken is rate limited). Kept per
 * process, keyed by API base and app; dropped when the provider says a token
 * is invalid or expired.
 */
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
