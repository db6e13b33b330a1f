/**
 * A refused action: typed, with a code the API maps to an HTTP status, and a
 * message for people in Chinese first with an English version.
 */
export enum DomainErrorCode {
  NotFound = 'not_found',
  Invalid = 'invalid',
  Conflict = 'conflict',
  Forbidden = 'forbidden',
  Unavailable = 'unavailable',
  Unauthenticated = 'unauthenticated',
  TooManyRequests = 'too_many_requests',
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details?: unknown,
  ) {
    super(messageEn);
    this.name = 'DomainError';
  }

  static forbidden(zh: string, en: string): DomainError {
    return new DomainError(DomainErrorCode.Forbidden, zh, en);
  }

  static notFound(what: { zh: string; en: string }, id: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what.zh}不存在：${id}`, `${what.en} not found: ${id}`);
  }
}

/** Names of validation failures the workflow raises in update validators. */
export const UPDATE_REFUSED = 'UpdateRefused';
