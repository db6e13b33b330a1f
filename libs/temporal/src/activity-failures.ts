import { ApplicationFailure } from '@temporalio/common';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';

/**
 * SQLSTATEs of PostgreSQL errors that the same statement will meet again on
 * every retry: class 22 (data exception: a NUL in text, a value out of range,
 * bad JSON) and class 23 (integrity constraint: not null, foreign key,
 * check). Two of class 23 are left retryable because a concurrent writer can
 * cause them and a retry takes the "already there" path: 23505 (unique) and
 * 23P01 (exclusion). Everything else (connection refused, 40001
 * serialization failure, 40P01 deadlock, 57P01 admin shutdown …) stays retryable.
 */
export function isPermanentSqlState(code: unknown): boolean {
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  if (code === '23505' || code === '23P01') return false;
  return code.startsWith('22') || code.startsWith('23');
}

/**
 * What an activity throws, as Temporal should see it: a domain refusal or a
 * data error is a non-retryable ApplicationFailure (typed, with the detail),
 * so the workflow hears of it at once instead of retrying forever while it
 * holds its lock; anything else (an unavailable dependency included) is
 * thrown as it is and retried.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  // "Temporal / PostgreSQL unavailable" is a DomainError for the API's 503, but it passes: keep retrying.
  if (err instanceof DomainError && err.code !== DomainErrorCode.Unavailable) {
    return ApplicationFailure.create({
      nonRetryable: true,
      type: `DomainError.${err.code}`,
      message: err.messageEn,
      details: [{ code: err.code, zh: err.messageZh, en: err.messageEn, details: err.details ?? null }],
      cause: err,
    });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && isPermanentSqlState(code)) {
    return ApplicationFailure.create({
      nonRetryable: true,
      type: `DataError.${code}`,
      message: `PostgreSQL refused the data (${code}): ${err.message}`,
      details: [{ sqlState: code, zh: `数据无法保存（${code}）：${err.message}`, en: `The data cannot be stored (${code}): ${err.message}` }],
      cause: err,
    });
  }
  return err;
}

/** Wraps an activity so that what it throws is classified by toActivityFailure. */
export function classifyingFailures<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}
