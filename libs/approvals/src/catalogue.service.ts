import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { isProjectOffice } from '../../domain/src/access';
import { DomainError, DomainErrorCode } from '../../domain/src/errors';
import { auditActorOf, type RequestContext } from '../../identity/src/context';

export interface CatalogueFields {
  code: string;
  name: string;
  departmentId: string;
  stage: 'planning' | 'approval' | 'land' | 'start';
  statutoryDays: number;
  promisedDays: number;
  greenFactor: number;
  warningDays: number;
  requiredDocuments: string[];
  parallel: boolean;
  acceptWithDeficiencies: boolean;
  suspendOnMissedCommitment: boolean;
  commitmentBased: boolean;
  /** Deemed approval on timeout (超时默认), where local rules adopt it. */
  deemedApproval: boolean;
  verificationDays: number;
  deemedAcceptDays: number;
  categories: string[];
  source: string;
  active: boolean;
}

const COLUMNS: Record<keyof CatalogueFields, string> = {
  code: 'code',
  name: 'name',
  departmentId: 'department_id',
  stage: 'stage',
  statutoryDays: 'statutory_days',
  promisedDays: 'promised_days',
  greenFactor: 'green_factor',
  warningDays: 'warning_days',
  requiredDocuments: 'required_documents',
  parallel: 'parallel',
  acceptWithDeficiencies: 'accept_with_deficiencies',
  suspendOnMissedCommitment: 'suspend_on_missed_commitment',
  commitmentBased: 'commitment_based',
  deemedApproval: 'deemed_approval',
  verificationDays: 'verification_days',
  deemedAcceptDays: 'deemed_accept_days',
  categories: 'categories',
  source: 'source',
  active: 'active',
};
const DEFAULTS: Partial<CatalogueFields> = {
  greenFactor: 0.5,
  warningDays: 2,
  requiredDocuments: [],
  parallel: true,
  acceptWithDeficiencies: false,
  suspendOnMissedCommitment: true,
  commitmentBased: false,
  deemedApproval: false,
  verificationDays: 20,
  deemedAcceptDays: 5,
  categories: [],
  source: '',
  active: true,
};
/** The fields given a value: an undefined one neither overrides a default nor the stored value. */
const defined = (f: Partial<CatalogueFields>): Partial<CatalogueFields> => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));

const SELECT = `SELECT c.id, ${Object.entries(COLUMNS)
  .filter(([k]) => k !== 'greenFactor')
  .map(([k, c]) => `c.${c} AS "${k}"`)
  .join(', ')}, c.green_factor::float AS "greenFactor", c.department_name AS "departmentName", c.updated_at AS "updatedAt",
  coalesce(u.name, c.department_name) AS department FROM approval_catalogue_item c LEFT JOIN org_unit u ON u.id = coalesce(c.department_id, (SELECT x.id FROM org_unit x WHERE x.name = c.department_name LIMIT 1))`;

/** The catalogue of approval items (审批事项目录): the project office's to edit; every change audited. */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<unknown[]> {
    return this.ds.query(`${SELECT} ORDER BY array_position(ARRAY['planning','approval','land','start'], c.stage), c.code`);
  }

  async get(id: string) {
    const [row] = await this.ds.query(`${SELECT} WHERE c.id = $1`, [id]);
    if (!row) throw DomainError.notFound({ zh: '审批事项目录条目', en: 'Catalogue item' }, id);
    return row;
  }

  async create(ctx: RequestContext, given: Partial<CatalogueFields>, reason: string) {
    this.officeOnly(ctx);
    // A field the client left out may arrive as undefined (the DTO declares it): the default stands then.
    const f = { ...DEFAULTS, ...defined(given) } as CatalogueFields;
    const department = await this.department(f.departmentId);
    this.check(f);
    return this.ds
      .transaction(async (em) => {
        const keys = Object.keys(COLUMNS) as (keyof CatalogueFields)[];
        const [{ id }] = await em
          .query(
            `INSERT INTO approval_catalogue_item (${keys.map((k) => COLUMNS[k]).join(', ')}, department_name) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}, $${keys.length + 1}) RETURNING id`,
            [...keys.map((k) => (k === 'requiredDocuments' ? JSON.stringify(f[k]) : f[k])), department],
          )
          .catch((err: { code?: string }) => {
            if (err.code === '23505') throw new DomainError(DomainErrorCode.Conflict, `事项编码已存在：${f.code}`, `Code already exists: ${f.code}`);
            throw err;
          });
        await this.audit.record(em, {
          actor: auditActorOf(ctx.actor),
          action: 'approval_catalogue.create',
          targetType: 'approval_catalogue_item',
          targetId: id,
          after: f,
          reason,
          requestId: ctx.requestId,
        });
        return id as string;
      })
      .then((id) => this.get(id));
  }

  async update(ctx: RequestContext, id: string, f: Partial<CatalogueFields>, reason: string) {
    this.officeOnly(ctx);
    const before = await this.get(id);
    const merged = { ...before, ...defined(f) } as CatalogueFields;
    this.check(merged);
    const department = f.departmentId ? await this.department(f.departmentId) : before.departmentName;
    const keys = (Object.keys(f) as (keyof CatalogueFields)[]).filter((k) => k in COLUMNS && f[k] !== undefined);
    if (!keys.length) throw new DomainError(DomainErrorCode.Invalid, '没有要修改的内容', 'Nothing to change');
    await this.ds.transaction(async (em) => {
      await em.query(
        `UPDATE approval_catalogue_item SET ${keys.map((k, i) => `${COLUMNS[k]} = $${i + 2}`).join(', ')}, department_name = $${keys.length + 2}, updated_at = now() WHERE id = $1`,
        [id, ...keys.map((k) => (k === 'requiredDocuments' ? JSON.stringify(f[k]) : f[k])), department],
      );
      await this.audit.record(em, {
        actor: auditActorOf(ctx.actor),
        action: 'approval_catalogue.update',
        targetType: 'approval_catalogue_item',
        targetId: id,
        before: Object.fromEntries(keys.map((k) => [k, before[k]])),
        after: f,
        reason,
        requestId: ctx.requestId,
      });
    });
    return this.get(id);
  }

  private check(f: Pick<CatalogueFields, 'promisedDays' | 'statutoryDays'>) {
    if (f.promisedDays > f.statutoryDays)
      throw new DomainError(
        DomainErrorCode.Invalid,
        `承诺时限（${f.promisedDays}个工作日）不得长于法定时限（${f.statutoryDays}个工作日）`,
        'The promised limit may not exceed the statutory limit',
      );
  }

  private officeOnly(ctx: RequestContext) {
    if (!isProjectOffice(ctx.actor)) throw DomainError.forbidden('只有项目办可以维护审批事项目录', 'Only the project office edits the catalogue');
  }

  private async department(id: string): Promise<string> {
    const [u] = await this.ds.query(`SELECT name FROM org_unit WHERE id = $1`, [id]);
    if (!u) throw DomainError.notFound({ zh: '审批部门', en: 'Department' }, id);
    return u.name;
  }
}
