import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';

/**
 * The rate limits, keyed by the client address as Express resolves it (req.ip,
 * which follows X-Forwarded-For only through TRUSTED_PROXIES). A refusal says
 * when to come back in the standard `Retry-After` header, whichever limit
 * refused (the library names the login limit's header `Retry-After-login`).
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    return super.throwThrottlingException(context, detail);
  }
}
