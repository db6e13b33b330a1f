/** The access rules as pure functions: who sees, reports on, and acts at which rung. */
import { Actor, RoleKey, canReport, canSee, mayActAtRung, rungsOf } from '../../libs/domain/src/access';

const person = (roles: RoleKey[], orgUnitId = 'unitA', personId = 'me'): Actor => ({
  kind: 'person',
  personId,
  accountId: 'acc',
  sessionId: 's',
  name: '某人',
  orgUnitId,
  roles,
});
const project = { projectUnitId: 'unitA', liaisonLeaderIds: ['leader1'] };
const LADDER = ['unit', 'liaison', 'county'] as const;

test('who sees a project', () => {
  expect(canSee(person(['unit_staff']), project, 'projects:read')).toBe(true);
  expect(canSee(person(['unit_staff'], 'unitB'), project, 'projects:read')).toBe(false);
  expect(canSee(person(['unit_staff'], 'unitB'), { ...project, matterUnitId: 'unitB' }, 'blockers:read')).toBe(true); // a matter transferred to unitB
  expect(canSee(person(['liaison_leader'], 'cc', 'leader1'), project, 'projects:read')).toBe(true);
  expect(canSee(person(['liaison_leader'], 'cc', 'leader2'), project, 'projects:read')).toBe(false);
  for (const r of ['county_leader', 'project_office', 'supervision'] as const) expect(canSee(person([r], 'x'), project, 'projects:read')).toBe(true);
  expect(canSee(person(['approval_staff']), project, 'projects:read')).toBe(false); // same unit, but not unit staff
  expect(canSee({ kind: 'api_key', keyId: 'k', name: 'k', scopes: ['projects:read'] }, project, 'projects:read')).toBe(true);
  expect(canSee({ kind: 'api_key', keyId: 'k', name: 'k', scopes: ['org:read'] }, project, 'projects:read')).toBe(false);
});

test('who reports a blocker', () => {
  expect(canReport(person(['unit_head']), project)).toBe(true);
  expect(canReport(person(['liaison_leader'], 'cc', 'leader1'), project)).toBe(true);
  expect(canReport(person(['project_office'], 'office'), project)).toBe(true);
  expect(canReport(person(['county_leader'], 'cc'), project)).toBe(false);
  expect(canReport(person(['supervision'], 'sup'), project)).toBe(false);
  expect(canReport({ kind: 'api_key', keyId: 'k', name: 'k', scopes: ['projects:write'] }, project)).toBe(false);
});

test('the rungs a person sits on, and acting at the current rung or above', () => {
  expect(rungsOf(person(['unit_staff']), project)).toEqual(['unit']);
  expect(rungsOf(person(['unit_staff']), { ...project, matterUnitId: 'unitB' })).toEqual([]); // transferred away
  expect(rungsOf({ ...person(['liaison_leader', 'county_leader'], 'cc', 'leader1'), orgUnitKind: 'county_committee' }, project)).toEqual(['liaison', 'county']);
  // The county committee rung is the county leaders of the county committee (and the project office), as the notices' SQL has it.
  expect(rungsOf({ ...person(['county_leader'], 'dept'), orgUnitKind: 'department' }, project)).toEqual([]);
  expect(rungsOf(person(['project_office'], 'office'), project)).toEqual(['county']);
  expect(rungsOf(person(['supervision'], 'sup'), project)).toEqual([]);

  expect(mayActAtRung(['unit'], LADDER, 'unit', true)).toBe(true);
  expect(mayActAtRung(['unit'], LADDER, 'liaison', true)).toBe(false);
  expect(mayActAtRung(['county'], LADDER, 'unit', true)).toBe(true);
  expect(mayActAtRung(['county'], LADDER, 'unit', false)).toBe(false); // "people on the current rung" only
  expect(mayActAtRung(['liaison'], LADDER, 'county', true)).toBe(false);
  expect(mayActAtRung([], LADDER, 'unit', true)).toBe(false);
});
