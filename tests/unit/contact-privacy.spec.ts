/** Who reads personal contact data, and its removal wherever a person sits in an answer. */
import { hideContacts } from '../../apps/api/src/auth/contact-privacy.interceptor';
import { Actor, PersonActor, mayReadContact } from '../../libs/domain/src/access';
import { Person } from '../../libs/org/src/person.entity';
import { Project } from '../../libs/projects/src/project.entity';

const person = (id: string): Person =>
  Object.assign(new Person(), { id, name: `人员${id}`, title: '', orgUnitId: 'u', roles: [], email: `${id}@example.gov.cn`, phone: `1390000${id}` });
const who = (personId: string, roles: PersonActor['roles']): Actor => ({ kind: 'person', personId, accountId: 'a', sessionId: 's', name: 'x', orgUnitId: 'u', roles });

describe('mayReadContact', () => {
  test('the project office, the person themself, and a system that may write people; no one else', () => {
    expect(mayReadContact(who('1', ['project_office']), '2')).toBe(true);
    expect(mayReadContact(who('2', ['unit_staff']), '2')).toBe(true);
    for (const roles of [['county_leader'], ['supervision'], ['liaison_leader'], ['unit_head'], ['approval_staff']] as const)
      expect(mayReadContact(who('1', [...roles]), '2')).toBe(false);
    expect(mayReadContact({ kind: 'api_key', keyId: 'k', name: '市平台', scopes: ['org:write'] }, '2')).toBe(true);
    expect(mayReadContact({ kind: 'api_key', keyId: 'k', name: '市平台', scopes: ['org:read', 'projects:read'] }, '2')).toBe(false);
    expect(mayReadContact(undefined, '2')).toBe(false);
    expect(mayReadContact({ kind: 'system' }, '2')).toBe(false);
  });
});

describe('hideContacts', () => {
  test('strips contact fields of every person it may not read, nested anywhere, and leaves the rest', () => {
    const project = Object.assign(new Project(), { id: 'p', name: '项目', liaisonLeaders: [person('1'), person('2')] });
    const page = { items: [project, person('3')], total: 2, nested: { deeper: [[person('4')]] }, at: new Date(0) };
    hideContacts(page, (id) => id === '2');
    const [one, two] = project.liaisonLeaders!;
    expect(one).not.toHaveProperty('phone');
    expect(one).not.toHaveProperty('email');
    expect(one.name).toBe('人员1');
    expect(two.phone).toBe('13900002');
    expect(page.items[1]).not.toHaveProperty('phone');
    expect(page.nested.deeper[0][0]).not.toHaveProperty('email');
    expect(page.at).toEqual(new Date(0));
    expect(JSON.stringify(page)).not.toMatch(/1390000[134]|[134]@example/);
  });

  test('cycles and plain values pass', () => {
    const a: Record<string, unknown> = { p: person('5') };
    a.self = a;
    expect(hideContacts(a, () => false)).toBe(a);
    expect(a.p).not.toHaveProperty('phone');
    expect(hideContacts('text', () => false)).toBe('text');
    expect(hideContacts(null, () => false)).toBeNull();
  });
});
