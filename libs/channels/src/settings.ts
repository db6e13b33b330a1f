import { DomainError, DomainErrorCode } from '../../domain/src/errors';

/**
 * Checks for channel settings as the project office enters them. Every refusal
 * names the field (Chinese first), so the form can point at it.
 */
export function settingsError(field: string, zh: string, en: string): DomainError {
  return new DomainError(DomainErrorCode.Invalid, `渠道设置 ${field}：${zh}`, `Channel setting ${field}: ${en}`, { field });
}

export function asObject(raw: unknown): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw settingsError('settings', '须为对象', 'must be an object');
  return raw as Record<string, unknown>;
}

export function requiredString(o: Record<string, unknown>, field: string, max = 500): string {
  const v = o[field];
  if (typeof v !== 'string' || v.trim() === '') throw settingsError(field, '必填', 'is required');
  if (v.length > max) throw settingsError(field, `不能超过${max}个字符`, `at most ${max} characters`);
  return v.trim();
}

export function optionalString(o: Record<string, unknown>, field: string, max = 500): string | undefined {
  if (o[field] === undefined || o[field] === null || o[field] === '') return undefined;
  return requiredString(o, field, max);
}

/** A provider address: http(s) only, so a setting can never make the worker read a file or another scheme. */
export function httpUrl(o: Record<string, unknown>, field: string): string {
  const v = requiredString(o, field, 2000);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw settingsError(field, '不是有效的网址', 'is not a valid URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw settingsError(field, '须为 http 或 https 网址', 'must be an http(s) URL');
  return v;
}

export function optionalInt(o: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = o[field];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw settingsError(field, `须为 ${min} 至 ${max} 的整数`, `must be an integer from ${min} to ${max}`);
  return n;
}

export function optionalBool(o: Record<string, unknown>, field: string): boolean | undefined {
  const v = o[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw settingsError(field, '须为是或否', 'must be true or false');
  return v;
}

/** A secret as shown back: never its value, only that one is set. */
export function mask(secret: string | undefined): string | undefined {
  return secret ? '******' : undefined;
}

/** A webhook address whose query or last path segment is the credential (DingTalk access_token, WeCom key, Feishu hook id). */
export function maskUrl(url: string, how: { query?: string; lastSegment?: boolean }): string {
  const u = new URL(url);
  if (how.query && u.searchParams.has(how.query)) u.searchParams.set(how.query, '******');
  if (how.lastSegment) u.pathname = u.pathname.replace(/[^/]+$/, '******');
  return decodeURI(u.toString());
}
