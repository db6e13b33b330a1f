/** Display names for the API's keys (roles, unit kinds, scopes, categories), Chinese first. */
export const ROLE_NAMES: Record<string, [string, string]> = {
  unit_staff: ['责任单位工作人员', 'Unit staff'],
  unit_head: ['单位负责人', 'Unit head'],
  liaison_leader: ['包联领导', 'Liaison leader'],
  county_leader: ['县级领导', 'County leader'],
  project_office: ['项目办', 'Project office'],
  supervision: ['督查室', 'Supervision office'],
  approval_staff: ['审批人员', 'Approval staff'],
};

export const UNIT_KINDS: Record<string, [string, string]> = {
  department: ['部门', 'Department'],
  township: ['乡镇', 'Township'],
  county_committee: ['县委县政府', 'County committee'],
  project_office: ['项目办', 'Project office'],
  supervision_office: ['督查室', 'Supervision office'],
};

export const SCOPES = ['org:read', 'org:write', 'projects:read', 'projects:write', 'blockers:read'];

export const options = (m: Record<string, [string, string]>, t: (zh: string, en: string) => string) => Object.entries(m).map(([value, n]) => ({ value, label: t(...n) }));
