import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorCode } from '../../../libs/domain/src/errors';
import { databaseUnavailable, isDatabaseUnreachable } from '../../../libs/persistence/src/unavailable';
import { isTransportFailure, temporalUnavailable } from '../../../libs/temporal/src/calls';

const STATUS: Record<DomainErrorCode, number> = {
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.Invalid]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
};

/** The body of every error: Chinese message first, English beside it, and the request id. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  messageEn: string;
  requestId: string;
  errors?: { field: string; problems: string[] }[];
  /** What a refusal carries for the person to act on, e.g. every bad cell of an imported ledger. */
  details?: unknown;
}

/**
 * Maps domain errors to 404/409/422, passes HTTP errors through, and turns
 * anything unexpected into a bare 500 logged with its request id.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const requestId = req.id ?? '-';
    let body: ErrorBody;
    // A dependency that does not answer is a 503 saying which, wherever the call was made.
    if (isDatabaseUnreachable(err)) err = databaseUnavailable();
    else if (isTransportFailure(err)) err = temporalUnavailable('down');
    if (err instanceof DomainError) {
      const status = STATUS[err.code];
      body = {
        statusCode: status,
        error: err.code,
        message: err.messageZh,
        messageEn: err.messageEn,
        requestId,
        ...(err.details && typeof err.details === 'object' ? { details: err.details } : {}),
      };
    } else if (err instanceof HttpException) {
      const status = err.getStatus();
      const r = err.getResponse() as Partial<ErrorBody> | string;
      body =
        typeof r === 'object' && r.message && r.messageEn
          ? { ...(r as ErrorBody), statusCode: status, requestId }
          : { statusCode: status, error: HttpStatus[status] ?? 'error', ...httpText(status, err.message), requestId };
    } else if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505') {
      // A unique key caught a duplicate that a pre-check missed (two requests at once).
      body = { statusCode: 409, error: DomainErrorCode.Conflict, message: '记录已存在（重复提交）', messageEn: 'Already exists (duplicate)', requestId };
    } else {
      this.logger.error(`request ${requestId} ${req.method} ${req.url} failed`, err instanceof Error ? err.stack : String(err));
      body = {
        statusCode: 500,
        error: 'internal',
        message: '系统内部错误，请联系管理员并提供请求编号',
        messageEn: 'Internal error; quote the request id to the administrator',
        requestId,
      };
    }
    // A refusal that says when to come back says it in the standard header too (RFC 9110 §10.2.3).
    const retryAfter = retryAfterOf(body, res);
    if (retryAfter) res.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    res.status(body.statusCode).json(body);
  }
}

/** Seconds a client should wait: given by the refusal, by a named throttler (`Retry-After-login`), or a default for 429/503. */
function retryAfterOf(body: ErrorBody, res: Response): number | null {
  const given = (body.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof given === 'number') return given;
  if (res.getHeader('Retry-After')) return null;
  const named = Object.entries(res.getHeaders()).find(([h]) => h.startsWith('retry-after-'))?.[1];
  if (body.statusCode === 429) return Number(named) || 60;
  return body.statusCode === 503 ? 5 : null;
}

function httpText(status: number, fallback: string): { message: string; messageEn: string } {
  switch (status) {
    case 404:
      return { message: '请求的地址不存在', messageEn: 'No such route' };
    case 429:
      return { message: '请求过于频繁，请稍后再试', messageEn: 'Too many requests; try again later' };
    case 413:
      return { message: '请求内容过大', messageEn: 'Request body too large' };
    case 400:
      return { message: '请求格式有误', messageEn: fallback || 'Bad request' };
    default:
      return { message: fallback, messageEn: fallback };
  }
}
