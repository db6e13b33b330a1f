import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Observable, defer, from, lastValueFrom, of, switchMap } from 'rxjs';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import type { AuthedRequest } from '../auth/access.decorators';
import { IdempotencyStore, KeyedRequest } from './idempotency.store';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Printable ASCII without spaces, e.g. a UUID; long enough for any client's scheme. */
const KEY_FORMAT = /^[\x21-\x7e]{8,200}$/;
const KEYED_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * `Idempotency-Key` on every POST / PUT / PATCH of a signed-in actor: the
 * first answer is kept (IDEMPOTENCY_TTL_HOURS) and replayed to a retry with
 * the same key and the same request; the same key on another request is
 * refused (422); a retry while the first is still running gets 409 with
 * Retry-After. Keys belong to their actor: nobody else's key can replay an
 * answer. Public routes (login, refresh) ignore the header: a token is never
 * replayed. Only successful answers are kept: a refusal or a failure
 * releases the key, so the retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !KEYED_METHODS.has(req.method) || !req.actor) return next.handle();
    if (!KEY_FORMAT.test(key)) {
      throw new DomainError(
        DomainErrorCode.Invalid,
        `${IDEMPOTENCY_HEADER} 须为 8–200 个可打印 ASCII 字符（不含空格），建议使用 UUID`,
        `${IDEMPOTENCY_HEADER} must be 8–200 printable ASCII characters without spaces, e.g. a UUID`,
      );
    }
    const a = req.actor;
    const actor = a.kind === 'person' ? `person:${a.personId}` : a.kind === 'api_key' ? `api_key:${a.keyId}` : 'system';
    const route = req.originalUrl.split('?')[0];
    const keyed: KeyedRequest = { actor, key, method: req.method, route, requestHash: fingerprint(req, route) };
    return from(this.store.claim(keyed)).pipe(
      switchMap((claim) => {
        switch (claim.kind) {
          case 'mismatch':
            throw new DomainError(
              DomainErrorCode.Invalid,
              `该 ${IDEMPOTENCY_HEADER} 已用于另一请求（${claim.method} ${claim.route}），请为新请求使用新的键`,
              `This ${IDEMPOTENCY_HEADER} was already used for another request (${claim.method} ${claim.route}); use a new key for a new request`,
            );
          case 'in_flight':
            throw new DomainError(
              DomainErrorCode.Conflict,
              `使用该 ${IDEMPOTENCY_HEADER} 的请求正在处理中，请 ${claim.retryAfterSeconds} 秒后重试`,
              `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry in ${claim.retryAfterSeconds} s`,
              { retryAfterSeconds: claim.retryAfterSeconds },
            );
          case 'replay':
            res.setHeader('Idempotency-Replayed', 'true');
            res.status(claim.status);
            return of(claim.body);
          case 'run':
            req.idempotencyKey = `${actor}:${key}`;
            return this.run(ctx, req, res, keyed, next);
        }
      }),
    );
  }

  private run(ctx: ExecutionContext, req: AuthedRequest, res: Response, keyed: KeyedRequest, next: CallHandler): Observable<unknown> {
    return defer(async () => {
      let body: unknown;
      try {
        body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (err) {
        await this.store.release(keyed).catch(() => undefined);
        throw err;
      }
      if (body instanceof StreamableFile) {
        // A file is not kept: its retry makes it again.
        await this.store.release(keyed);
        return body;
      }
      const code = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler());
      const status = code ?? (res.statusCode !== HttpStatus.OK ? res.statusCode : req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
      await this.store.complete(keyed, status, body);
      return body;
    });
  }
}

/** The request a key stands for: route and body (a multipart upload by its size and type, as its parts are read later). */
function fingerprint(req: AuthedRequest, route: string): string {
  const json = req.is('application/json') ? JSON.stringify(req.body ?? null) : `${req.header('content-type') ?? ''};${req.header('content-length') ?? ''}`;
  return createHash('sha256').update(`${req.method} ${route}\n${json}`).digest('hex');
}
