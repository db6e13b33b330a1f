import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src/audit.service';
import { SYSTEM_ACTOR } from '../../audit/src/audit.types';
import { OrgUnit } from '../../org/src/org-unit.entity';
import { Person } from '../../org/src/person.entity';
import { Account } from './account.entity';
import { hashPassword, passwordProblems } from './secrets';

export const PROJECT_OFFICE_NAME = '县重点项目办';

/**
 * The first account of a new installation: a project office administrator
 * (in the project office unit, created if missing), so that someone can log
 * in and set up everything else. Does nothing once any account exists.
 * Returns whether it created the account.
 */
export async function bootstrapAdministrator(ds: DataSource, opts: { username: string; password: string; mustChangePassword: boolean }): Promise<boolean> {
  const problem = passwordProblems(opts.password, opts.username);
  if (problem) throw new Error(`bootstrap password: ${problem.en}`);
  const passwordHash = await hashPassword(opts.password);
  const audit = new AuditService(ds);
  return ds.transaction(async (em) => {
    // Two launchers at once: the second waits here and then finds the account.
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('duban:bootstrap'))`);
    if ((await em.count(Account)) > 0) return false;
    let office = await em.findOneBy(OrgUnit, { kind: 'project_office' });
    if (!office) {
      office = await em.save(em.create(OrgUnit, { name: PROJECT_OFFICE_NAME, kind: 'project_office' }));
      await audit.record(em, {
        actor: SYSTEM_ACTOR,
        action: 'org_unit.create',
        targetType: 'org_unit',
        targetId: office.id,
        after: { name: office.name, kind: office.kind },
        reason: 'bootstrap',
      });
    }
    const person = await em.save(em.create(Person, { name: '系统管理员', title: '项目办系统管理员', orgUnitId: office.id, roles: ['project_office'], email: null, phone: null }));
    await audit.record(em, {
      actor: SYSTEM_ACTOR,
      action: 'person.create',
      targetType: 'person',
      targetId: person.id,
      after: { name: person.name, roles: person.roles },
      reason: 'bootstrap',
    });
    const account = await em.save(
      em.create(Account, {
        personId: person.id,
        username: opts.username,
        passwordHash,
        status: 'active',
        mustChangePassword: opts.mustChangePassword,
        passwordChangedAt: new Date(),
      }),
    );
    await audit.record(em, {
      actor: SYSTEM_ACTOR,
      action: 'account.create',
      targetType: 'account',
      targetId: account.id,
      after: { username: opts.username, personId: person.id },
      reason: 'bootstrap',
    });
    return true;
  });
}
