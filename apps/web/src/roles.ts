/** What each role sees in the navigation, and where each lands (design/web.md). */

export interface NavItem {
  path: string;
  zh: string;
  en: string;
  roles: string[] | 'any';
}

const EVERYONE = 'any' as const;

export const NAV: NavItem[] = [
  { path: '/', zh: '首页', en: 'Home', roles: EVERYONE },
  { path: '/inbox', zh: '我的督办', en: 'Inbox', roles: EVERYONE },
  { path: '/battle-map', zh: '挂图作战', en: 'Battle map', roles: ['project_office', 'county_leader', 'liaison_leader', 'supervision', 'unit_head', 'unit_staff'] },
  { path: '/approvals', zh: '审批工作台', en: 'Approvals', roles: ['approval_staff', 'project_office'] },
  { path: '/bulletins', zh: '周报', en: 'Bulletins', roles: ['project_office', 'county_leader', 'supervision', 'liaison_leader', 'unit_head'] },
  { path: '/ledger', zh: '台账', en: 'Ledger', roles: ['project_office'] },
  { path: '/admin', zh: '管理', en: 'Administration', roles: ['project_office'] },
];

export function navFor(roles: string[]): NavItem[] {
  return NAV.filter((n) => n.roles === EVERYONE || n.roles.some((r) => roles.includes(r)));
}

/** The home a person lands on, by their first matching role (web.md: who lands where). */
export type HomeKind = 'county' | 'liaison' | 'unit' | 'approval' | 'office' | 'supervision';

export function homeKind(roles: string[]): HomeKind {
  if (roles.includes('project_office')) return 'office';
  // A county leader who is also a project's liaison leader works from the inbox first (phone first).
  if (roles.includes('liaison_leader')) return 'liaison';
  if (roles.includes('county_leader')) return 'county';
  if (roles.includes('supervision')) return 'supervision';
  if (roles.includes('approval_staff')) return 'approval';
  return 'unit';
}
