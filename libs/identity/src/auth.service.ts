import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import type { AuditActor } from '../../audit/src/audit.types';
import { DUBAN_CONFIG, DubanConfig, requireAuthSecret } from '../../config/src';
import type { Actor, PersonActor } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { Person } from '../../org/src/person.entity';
import { Account } from './account.entity';
import { auditActorOf, RequestContext } from './context';
import { dummyHash, hashPassword, keyedHash, newSecret, passwordProblems, verifyPassword } from './secrets';
import { LOGIN_FAILURE_WINDOW_MS, LoginLimiter, loginDelaySeconds } from './login-limiter';
import { Session } from './session.entity';

export interface Tokens {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  tokenType: 'Bearer';
}

export interface LoginResult extends Tokens {
  mustChangePassword: boolean;
  person: { id: string; name: string; orgUnitId: string; roles: string[] };
}

/** An authenticated person, with what the guard needs to know beyond the actor. */
export type Authenticated = PersonActor & { mustChangePassword: boolean };

const badLogin = () => new DomainError(DomainErrorCode.Unauthenticated, '用户名或密码错误', 'Wrong username or password');
const badToken = () => new DomainError(DomainErrorCode.Unauthenticated, '登录已失效，请重新登录', 'The token is invalid, expired or revoked; log in again');

/**
 * Logins, sessions and passwords. Access tokens are short-lived and checked
 * against their session on every request, so logout and revocation take
 * effect at once, on every API process.
 */
@Injectable()
export class AuthService {
  private readonly secret: string;
  private readonly limiter: LoginLimiter;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(DUBAN_CONFIG) private readonly cfg: DubanConfig,
  ) {
    this.secret = requireAuthSecret(cfg);
    this.limiter = new LoginLimiter({ addressMaxFailures: cfg.LOGIN_ADDRESS_MAX_FAILURES, windowMs: LOGIN_FAILURE_WINDOW_MS });
  }

  /**
   * Password login. Failures are counted per account (a growing delay, see
   * loginDelaySeconds) and per client address (LoginLimiter); successes are not.
   * During an account's delay only addresses that failed for it are held back:
   * its owner, from an address with no recent failures for it, is let in.
   */
  async login(username: string, password: string, meta: { requestId: string; userAgent: string; address: string }): Promise<LoginResult> {
    const name = String(username ?? '')
      .trim()
      .toLowerCase();
    const address = meta.address || 'unknown';
    const addressWait = this.limiter.addressRetryAfter(address);
    if (addressWait) throw tooManyFromAddress(addressWait);
    const account = await this.ds.getRepository(Account).createQueryBuilder('a').addSelect('a.passwordHash').where('a.username = :name', { name }).getOne();
    const now = new Date();
    if (!account) {
      await verifyPassword(await dummyHash(), password); // same time as a known username
      this.limiter.recordFailure(address, null);
      await this.ds.transaction((em) => this.record(em, { kind: 'anonymous', id: null, name }, 'auth.login_failed', null, meta.requestId, { reason: 'unknown username', address }));
      throw badLogin();
    }
    if (account.lockedUntil && account.lockedUntil > now && this.limiter.failedRecently(account.id, address)) throw delayed(account.lockedUntil, now);
    if (!(await verifyPassword(account.passwordHash, password))) {
      this.limiter.recordFailure(address, account.id);
      const lockedUntil = await this.ds.transaction(async (em) => {
        // One statement, so that failures arriving at once on several processes all count.
        const result = await em.query(`UPDATE account SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`, [account.id]);
        const rows = Array.isArray(result[0]) ? result[0] : result; // TypeORM answers an UPDATE with [rows, count]
        const failures = Number(rows[0].failed_logins);
        const delay = loginDelaySeconds(failures, this.cfg.LOGIN_MAX_FAILURES, this.cfg.LOGIN_MAX_DELAY_SECONDS);
        const until = delay ? new Date(now.getTime() + delay * 1000) : null;
        await em.update(Account, account.id, { lockedUntil: until });
        await this.record(em, { kind: 'anonymous', id: null, name }, 'auth.login_failed', account.id, meta.requestId, { failures, delayedUntil: until, address });
        return until;
      });
      if (lockedUntil) throw delayed(lockedUntil, now);
      throw badLogin();
    }
    if (account.status !== 'active') throw DomainError.forbidden('账号已停用，请联系项目办', 'This account is disabled; contact the project office');
    const person = await this.ds.getRepository(Person).findOneByOrFail({ id: account.personId });
    const { tokens } = await this.ds.transaction(async (em) => {
      await em.update(Account, account.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
      const issued = await this.newSession(em, account.id, meta.userAgent);
      await this.record(em, { kind: 'person', id: person.id, name: person.name }, 'auth.login', account.id, meta.requestId, { sessionId: issued.sessionId, address });
      return issued;
    });
    this.limiter.recordSuccess(account.id, address);
    return {
      ...tokens,
      mustChangePassword: account.mustChangePassword,
      person: { id: person.id, name: person.name, orgUnitId: person.orgUnitId, roles: person.roles },
    };
  }

  /** Rotates both tokens. A refresh token used a second time revokes its session: it was copied. */
  async refresh(refreshToken: string, requestId: string): Promise<Tokens> {
    const hash = keyedHash(this.secret, String(refreshToken ?? ''));
    const sessions = this.ds.getRepository(Session);
    const session = await sessions.findOneBy({ refreshHash: hash });
    if (!session) {
      const reused = await sessions.findOneBy({ previousRefreshHash: hash });
      if (reused && !reused.revokedAt) await this.revoke(reused, 'refresh token reused', null, requestId);
      throw badToken();
    }
    const account = await this.ds.getRepository(Account).findOneBy({ id: session.accountId });
    if (session.revokedAt || session.refreshExpiresAt <= new Date() || account?.status !== 'active') throw badToken();
    const person = await this.ds.getRepository(Person).findOneByOrFail({ id: account.personId });
    return this.ds.transaction(async (em) => {
      const tokens = this.issue();
      await em.update(Session, session.id, {
        accessHash: keyedHash(this.secret, tokens.accessToken),
        accessExpiresAt: new Date(tokens.accessExpiresAt),
        refreshHash: keyedHash(this.secret, tokens.refreshToken),
        previousRefreshHash: session.refreshHash,
        refreshExpiresAt: new Date(tokens.refreshExpiresAt),
      });
      await this.record(em, { kind: 'person', id: person.id, name: person.name }, 'auth.refresh', account.id, requestId, { sessionId: session.id });
      return tokens;
    });
  }

  /** Resolves a bearer access token to its person, or refuses it. Every request's check: one statement (session, account and person joined), since it runs before every route. */
  async authenticate(accessToken: string): Promise<Authenticated> {
    const [row]: {
      session_id: string;
      account_id: string;
      person_id: string;
      name: string;
      org_unit_id: string;
      roles: Authenticated['roles'];
      must_change_password: boolean;
    }[] = await this.ds.query(
      `SELECT s.id AS session_id, a.id AS account_id, p.id AS person_id, p.name, p.org_unit_id, p.roles, a.must_change_password
         FROM session s JOIN account a ON a.id = s.account_id JOIN person p ON p.id = a.person_id
        WHERE s.access_hash = $1 AND s.revoked_at IS NULL AND s.access_expires_at > now() AND a.status = 'active'`,
      [keyedHash(this.secret, accessToken)],
    );
    if (!row) throw badToken();
    return {
      kind: 'person',
      personId: row.person_id,
      accountId: row.account_id,
      sessionId: row.session_id,
      name: row.name,
      orgUnitId: row.org_unit_id,
      roles: row.roles,
      mustChangePassword: row.must_change_password,
    };
  }

  async logout(ctx: RequestContext): Promise<void> {
    if (ctx.actor.kind !== 'person') throw DomainError.forbidden('只有登录用户可以退出登录', 'Only a logged-in person can log out');
    const session = await this.ds.getRepository(Session).findOneByOrFail({ id: ctx.actor.sessionId });
    await this.revoke(session, 'logout', ctx.actor, ctx.requestId);
  }

  /** Changes one's own password; every other session of the account is revoked. */
  async changePassword(ctx: RequestContext, current: string, next: string): Promise<void> {
    const actor = ctx.actor;
    if (actor.kind !== 'person') throw DomainError.forbidden('只有登录用户可以修改密码', 'Only a logged-in person can change a password');
    const account = await this.ds.getRepository(Account).createQueryBuilder('a').addSelect('a.passwordHash').where('a.id = :id', { id: actor.accountId }).getOneOrFail();
    if (!(await verifyPassword(account.passwordHash, current))) {
      throw new DomainError(DomainErrorCode.Invalid, '当前密码不正确', 'The current password is wrong');
    }
    const problem = passwordProblems(next, account.username);
    if (problem) throw new DomainError(DomainErrorCode.Invalid, problem.zh, problem.en);
    if (current === next) throw new DomainError(DomainErrorCode.Invalid, '新密码不能与当前密码相同', 'The new password must differ from the current one');
    const passwordHash = await hashPassword(next);
    await this.ds.transaction(async (em) => {
      await em.update(Account, account.id, { passwordHash, mustChangePassword: false, passwordChangedAt: new Date() });
      await em
        .createQueryBuilder()
        .update(Session)
        .set({ revokedAt: () => 'now()', revokedReason: 'password changed' })
        .where('account_id = :id AND id <> :sid AND revoked_at IS NULL', { id: account.id, sid: actor.sessionId })
        .execute();
      await this.record(em, auditActorOf(actor), 'account.password_change', account.id, ctx.requestId, { otherSessionsRevoked: true });
    });
  }

  /** Used by account administration: ends every session of an account (disabled, password reset). */
  async revokeAll(em: EntityManager, accountId: string, reason: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('account_id = :accountId AND revoked_at IS NULL', { accountId })
      .execute();
  }

  private async revoke(session: Session, reason: string, actor: Actor | null, requestId: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.update(Session, session.id, { revokedAt: new Date(), revokedReason: reason });
      const who = actor ? auditActorOf(actor) : { kind: 'system' as const, id: null, name: 'system' };
      await this.record(em, who, 'auth.session_revoke', session.accountId, requestId, { sessionId: session.id, reason });
    });
  }

  private async newSession(em: EntityManager, accountId: string, userAgent: string): Promise<{ tokens: Tokens; sessionId: string }> {
    const tokens = this.issue();
    const saved = await em.save(
      em.create(Session, {
        accountId,
        accessHash: keyedHash(this.secret, tokens.accessToken),
        accessExpiresAt: new Date(tokens.accessExpiresAt),
        refreshHash: keyedHash(this.secret, tokens.refreshToken),
        previousRefreshHash: null,
        refreshExpiresAt: new Date(tokens.refreshExpiresAt),
        revokedAt: null,
        revokedReason: null,
        userAgent: userAgent.slice(0, 300),
      }),
    );
    return { tokens, sessionId: saved.id };
  }

  private issue(): Tokens {
    const now = Date.now();
    return {
      accessToken: `dba_${newSecret()}`,
      accessExpiresAt: new Date(now + this.cfg.ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
      refreshToken: `dbr_${newSecret()}`,
      refreshExpiresAt: new Date(now + this.cfg.REFRESH_TOKEN_TTL_SECONDS * 1000).toISOString(),
      tokenType: 'Bearer',
    };
  }

  private record(em: EntityManager, actor: AuditActor, action: string, accountId: string | null, requestId: string, after: unknown) {
    return this.audit.record(em, { actor, action, targetType: 'account', targetId: accountId, after, requestId });
  }
}

function delayed(until: Date, now: Date): DomainError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new DomainError(
    DomainErrorCode.TooManyRequests,
    `密码错误次数过多，请${seconds}秒后再试（或请项目办解除限制）`,
    `Too many wrong passwords; try again in ${seconds} s (or ask the project office to lift the delay)`,
    { retryAfterSeconds: seconds },
  );
}

function tooManyFromAddress(seconds: number): DomainError {
  return new DomainError(DomainErrorCode.TooManyRequests, `该地址登录失败次数过多，请${seconds}秒后再试`, `Too many failed logins from this address; try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
  });
}
