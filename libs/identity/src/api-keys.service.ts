import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { DUBAN_CONFIG, DubanConfig, requireAuthSecret } from '../../config/src';
import type { Actor, ApiScope } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { Page, pageOf } from '../../persistence/src/page';
import { ApiKey } from './api-key.entity';
import { auditActorOf, RequestContext } from './context';
import { keyedHash, newSecret, sameHash } from './secrets';

const API_KEY = { zh: 'API密钥', en: 'API key' };
const KEY_FORMAT = /^dbk_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** API keys for systems: each with its own scopes, revocable, stored as a keyed hash. */
@Injectable()
export class ApiKeysService {
  private readonly secret: string;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    @Inject(DUBAN_CONFIG) cfg: DubanConfig,
  ) {
    this.secret = requireAuthSecret(cfg);
  }

  /** Creates a key; the full key is in the answer once and never again. */
  async create(ctx: RequestContext, input: { name: string; scopes: ApiScope[] }): Promise<ApiKey & { key: string }> {
    if (ctx.actor.kind !== 'person') throw DomainError.forbidden('只有项目办人员可以创建API密钥', 'Only project office staff can create API keys');
    const prefix = randomBytes(6).toString('hex');
    const secret = newSecret();
    const key = `dbk_${prefix}_${secret}`;
    const createdBy = ctx.actor.personId;
    const saved = await this.ds.transaction(async (em) => {
      const row = await em.save(
        em.create(ApiKey, {
          name: input.name.trim(),
          prefix,
          secretHash: keyedHash(this.secret, secret),
          scopes: [...new Set(input.scopes)],
          createdBy,
          revokedAt: null,
          lastUsedAt: null,
        }),
      );
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: row.id,
        after: { name: row.name, prefix, scopes: row.scopes },
        requestId: ctx.requestId,
      });
      return row;
    });
    return { ...(await this.get(saved.id)), key };
  }

  async list(q: { page: number; pageSize: number }): Promise<Page<ApiKey>> {
    return pageOf(await this.ds.getRepository(ApiKey).findAndCount({ order: { createdAt: 'DESC' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }), q);
  }

  async get(id: string): Promise<ApiKey> {
    const key = await this.ds.getRepository(ApiKey).findOneBy({ id });
    if (!key) throw DomainError.notFound(API_KEY, id);
    return key;
  }

  async revoke(ctx: RequestContext, id: string, reason: string): Promise<ApiKey> {
    const key = await this.get(id);
    if (key.revokedAt) throw new DomainError(DomainErrorCode.Conflict, 'API密钥已吊销', 'The API key is already revoked');
    await this.ds.transaction(async (em) => {
      await em.update(ApiKey, id, { revokedAt: new Date() });
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: id,
        before: { revoked: false },
        after: { revoked: true },
        reason,
        requestId: ctx.requestId,
      });
    });
    return this.get(id);
  }

  /** Resolves a presented key to its actor, or refuses it. */
  async authenticate(presented: string): Promise<Actor> {
    const refused = new DomainError(DomainErrorCode.Unauthenticated, 'API密钥无效或已吊销', 'The API key is invalid or revoked');
    const m = KEY_FORMAT.exec(presented);
    if (!m) throw refused;
    const key = await this.ds.getRepository(ApiKey).createQueryBuilder('k').addSelect('k.secretHash').where('k.prefix = :p AND k.revoked_at IS NULL', { p: m[1] }).getOne();
    if (!key || !sameHash(key.secretHash, keyedHash(this.secret, m[2]))) throw refused;
    // Bookkeeping, not an audited write: at most once a minute per key.
    await this.ds.getRepository(ApiKey).update({ id: key.id, lastUsedAt: IsNull() }, { lastUsedAt: new Date() });
    await this.ds.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1 AND last_used_at < now() - interval '1 minute'`, [key.id]);
    return { kind: 'api_key', keyId: key.id, name: key.name, scopes: key.scopes };
  }
}
