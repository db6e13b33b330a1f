import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';

const CODES = { Forbidden: DomainErrorCode.Forbidden, Invalid: DomainErrorCode.Invalid, Conflict: DomainErrorCode.Conflict } as const;

/**
 * Runs a workflow update and turns a refusal by the workflow's rules (an
 * ApplicationFailure of type Forbidden / Invalid / Conflict, with the Chinese
 * text as its first detail) into the DomainError the API maps to 403/422/409;
 * an update on a finished workflow is a 409 saying `ended`.
 */
export async function runUpdate<T>(run: () => Promise<T>, ended: { zh: string; en: string }): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const code = CODES[err.cause.type as keyof typeof CODES] ?? DomainErrorCode.Conflict;
      throw new DomainError(code, typeof err.cause.details?.[0] === 'string' ? (err.cause.details[0] as string) : err.cause.message, err.cause.message);
    }
    if (err instanceof Error && /already completed/i.test(err.message)) throw new DomainError(DomainErrorCode.Conflict, ended.zh, ended.en);
    throw err;
  }
}
