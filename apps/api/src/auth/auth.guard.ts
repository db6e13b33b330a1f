import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLE_NAMES } from '../../../../libs/domain/src/access';
import { DomainError, DomainErrorCode } from '../../../../libs/domain/src/errors';
import { ApiKeysService } from '../../../../libs/identity/src/api-keys.service';
import { AuthService } from '../../../../libs/identity/src/auth.service';
import { ACCESS_RULE, AccessRule, AuthedRequest, PUBLIC_ROUTE } from './access.decorators';

/**
 * Every route: who is calling (a bearer token of a person, or an API key of a
 * system), and may they call this route at all. Finer rules (which project,
 * which rung) are checked by the capability with the same actor.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const key = req.header('x-api-key');
    if (!bearer && !key) {
      throw new DomainError(
        DomainErrorCode.Unauthenticated,
        '请先登录（Authorization: Bearer 令牌）或提供 API 密钥（X-Api-Key）',
        'Log in (Authorization: Bearer <token>) or present an API key (X-Api-Key)',
      );
    }
    const actor = bearer ? await this.auth.authenticate(bearer) : await this.keys.authenticate(key!);
    req.actor = actor;

    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    if (!rule) throw DomainError.forbidden('无权访问此功能', 'Not allowed');
    if (actor.kind === 'api_key') {
      if (rule.scopes?.some((s) => actor.scopes.includes(s))) return true;
      throw DomainError.forbidden(
        `API密钥缺少权限范围：${(rule.scopes ?? []).join(' / ') || '（仅限人员）'}`,
        `The API key lacks the scope: ${(rule.scopes ?? []).join(' / ') || '(people only)'}`,
      );
    }
    if (actor.kind !== 'person') return false;
    if ('mustChangePassword' in actor && actor.mustChangePassword && !rule.duringPasswordChange) {
      throw DomainError.forbidden('请先修改初始密码（POST /api/auth/password）', 'Change your initial password first (POST /api/auth/password)');
    }
    if (rule.roles === 'any' || rule.roles?.some((r) => actor.roles.includes(r))) return true;
    const needed = rule.roles ? rule.roles.map((r) => ROLE_NAMES[r]) : [];
    throw DomainError.forbidden(
      needed.length ? `此功能仅限${needed.map((n) => n.zh).join('、')}` : '此功能仅限系统调用',
      needed.length ? `Only for ${needed.map((n) => n.en).join(', ')}` : 'Only for systems',
    );
  }
}
