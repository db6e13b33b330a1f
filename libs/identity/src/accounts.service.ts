import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { Person } from '../../org/src/person.entity';
import { Page, pageOf } from '../../persistence/src/page';
import { Account } from './account.entity';
import { AuthService } from './auth.service';
import { auditActorOf, RequestContext } from './context';
import { generatePassword, hashPassword, passwordProblems } from './secrets';

export const ACCOUNT = { zh: '账号', en: 'Account' };
const USERNAME = /^[a-z0-9._-]{3,40}$/;

/** What an administrator sees of an account (never a hash). */
export type AccountView = Account & { personName: string };
/** A password is shown once, when it is set by the project office; it is never stored in clear. */
export type WithPassword<T> = T & { password: string };

/** Account administration, by the project office. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  async create(ctx: RequestContext, input: { personId: string; username: string; password?: string; mustChangePassword?: boolean }): Promise<WithPassword<AccountView>> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) throw invalid('用户名须为3至40位小写字母、数字或 . _ -', 'The username must be 3–40 lower-case letters, digits, dot, underscore or hyphen');
    const person = await this.ds.getRepository(Person).findOneBy({ id: input.personId });
    if (!person) throw DomainError.notFound({ zh: '人员', en: 'Person' }, input.personId);
    const password = input.password ?? generatePassword();
    const problem = passwordProblems(password, username);
    if (problem) throw invalid(problem.zh, problem.en);
    const repo = this.ds.getRepository(Account);
    if (await repo.existsBy({ username })) throw conflict(`用户名已被使用：${username}`, `The username ${username} is taken`);
    if (await repo.existsBy({ personId: person.id })) throw conflict(`${person.name}已有账号`, `${person.name} already has an account`);
    const passwordHash = await hashPassword(password);
    const saved = await this.ds.transaction(async (em) => {
      const account = await em.save(
        em.create(Account, { personId: person.id, username, passwordHash, status: 'active', mustChangePassword: input.mustChangePassword ?? true, passwordChangedAt: new Date() }),
      );
      await this.record(em, ctx, 'account.create', account.id, null, { username, personId: person.id, personName: person.name });
      return account;
    });
    return { ...(await this.get(saved.id)), password };
  }

  async list(q: { page: number; pageSize: number }): Promise<Page<AccountView>> {
    const [rows, total] = await this.ds.getRepository(Account).findAndCount({ order: { username: 'ASC' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize });
    const names = await this.personNames(rows.map((r) => r.personId));
    return pageOf([rows.map((r) => ({ ...r, personName: names.get(r.personId) ?? '' })), total], q);
  }

  async get(id: string): Promise<AccountView> {
    const account = await this.ds.getRepository(Account).findOneBy({ id });
    if (!account) throw DomainError.notFound(ACCOUNT, id);
    const names = await this.personNames([account.personId]);
    return { ...account, personName: names.get(account.personId) ?? '' };
  }

  /** Disables or re-enables an account; disabling ends its sessions at once. */
  async setStatus(ctx: RequestContext, id: string, status: 'active' | 'disabled', reason: string): Promise<AccountView> {
    const before = await this.get(id);
    if (ctx.actor.kind === 'person' && ctx.actor.accountId === id && status === 'disabled') {
      throw conflict('不能停用自己的账号', 'You cannot disable your own account');
    }
    await this.ds.transaction(async (em) => {
      await em.update(Account, id, { status, ...(status === 'active' && { failedLogins: 0, lockedUntil: null }) });
      if (status === 'disabled') await this.auth.revokeAll(em, id, `disabled: ${reason}`);
      await this.record(em, ctx, status === 'disabled' ? 'account.disable' : 'account.enable', id, { status: before.status }, { status }, reason);
    });
    return this.get(id);
  }

  /** Sets a generated temporary password; the person must change it at the next login. */
  async resetPassword(ctx: RequestContext, id: string, reason: string): Promise<WithPassword<AccountView>> {
    await this.get(id);
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await this.ds.transaction(async (em) => {
      await em.update(Account, id, { passwordHash, mustChangePassword: true, passwordChangedAt: new Date(), failedLogins: 0, lockedUntil: null });
      await this.auth.revokeAll(em, id, 'password reset');
      await this.record(em, ctx, 'account.password_reset', id, null, { mustChangePassword: true }, reason);
    });
    return { ...(await this.get(id)), password };
  }

  private async personNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const people = await this.ds.getRepository(Person).createQueryBuilder('p').select(['p.id', 'p.name']).where('p.id IN (:...ids)', { ids }).getMany();
    return new Map(people.map((p) => [p.id, p.name]));
  }

  private record(em: EntityManager, ctx: RequestContext, action: string, id: string, before: unknown, after: unknown, reason?: string) {
    return this.audit.record(em, { actor: auditActorOf(ctx.actor), action, targetType: 'account', targetId: id, before, after, reason: reason ?? null, requestId: ctx.requestId });
  }
}

const invalid = (zh: string, en: string) => new DomainError(DomainErrorCode.Invalid, zh, en);
const conflict = (zh: string, en: string) => new DomainError(DomainErrorCode.Conflict, zh, en);
