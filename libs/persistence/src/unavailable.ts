import { DomainError, DomainErrorCode } from '../../domain/src/errors';

/** Socket errors and PostgreSQL's "cannot connect / shutting down" classes (08*, 57P0*): the database is not there. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established/i;

/** True when `err` says PostgreSQL is unreachable (as opposed to refusing a statement). */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code)) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

export const DATABASE_RETRY_AFTER_S = 10;

export function databaseUnavailable(): DomainError {
  return new DomainError(DomainErrorCode.Unavailable, '数据库（PostgreSQL）暂时不可用，请稍后重试', 'The database (PostgreSQL) is unreachable; retry later', {
    dependency: 'database',
    retryAfterSeconds: DATABASE_RETRY_AFTER_S,
  });
}
