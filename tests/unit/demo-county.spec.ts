/**
 * The demo county as a newcomer meets it: every project has a real name (no
 * "（undefined期）"), unique codes and names, and the minutes-long demo matters
 * sit on projects of the leader behind the printed `liaison` account, so every
 * rung they climb to has a login.
 */
import { LEADERS, LIAISON_ACCOUNT_LEADER, demoBlockers, demoProjects } from '../../libs/demo/src/demo-county';

test('no project is named with an undefined phase; names and codes are unique', () => {
  const projects = demoProjects();
  expect(projects).toHaveLength(109);
  for (const p of projects) expect(p.name).not.toMatch(/undefined|（期）/);
  expect(new Set(projects.map((p) => p.name)).size).toBe(projects.length);
  expect(new Set(projects.map((p) => p.code)).size).toBe(projects.length);
  expect(projects.map((p) => p.name)).toEqual(expect.arrayContaining(['高标准农田建设（六期）']));
});

test('the demo-policy matters are on projects of the leader behind the printed liaison account', () => {
  const projects = demoProjects();
  const fast = demoBlockers().filter((b) => b.demo);
  expect(fast.length).toBeGreaterThanOrEqual(2);
  for (const b of fast) expect(projects[b.project].leader).toBe(LIAISON_ACCOUNT_LEADER);
  expect(LEADERS[LIAISON_ACCOUNT_LEADER].county).toBeFalsy(); // a liaison leader, not on the county rung too
});
