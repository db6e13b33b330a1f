import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';
import type { ApiScope, RoleKey } from '../../../../libs/domain/src/access';
import type { RequestContext } from '../../../../libs/identity/src/context';
import type { Authenticated } from '../../../../libs/identity/src/auth.service';

/** Who may call a route. Routes without one are refused (default deny). */
export interface AccessRule {
  /** People holding any of these roles; 'any' admits every logged-in person. */
  roles?: readonly RoleKey[] | 'any';
  /** API keys holding any of these scopes. */
  scopes?: readonly ApiScope[];
  /** Allowed while the person must still change an initial or reset password. */
  duringPasswordChange?: boolean;
}

export const ACCESS_RULE = 'duban:access';
export const PUBLIC_ROUTE = 'duban:public';

export const Allow = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);
/** Health, login, token refresh: answered without a token. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-public', true));

/** Routes the project office alone may call. */
export const OFFICE_ONLY: AccessRule = { roles: ['project_office'] };

export type AuthedRequest = Request & { id?: string; actor?: Authenticated | RequestContext['actor']; idempotencyKey?: string };

/** The acting person or system and the request id, for commands and audit. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.actor) throw new Error('Ctx used on a route without an authenticated actor');
  return { actor: req.actor, requestId: req.id ?? '-', ...(req.idempotencyKey && { idempotencyKey: req.idempotencyKey }) };
});
