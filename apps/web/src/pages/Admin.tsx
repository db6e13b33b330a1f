/**
 * Administration for the project office (/admin/*): org units, people and
 * roles, accounts, API keys, the approval catalogue, ladders and policies, the calendar, schedules,
 * the audit log. One lazily loaded chunk per section.
 */
import { Menu } from 'antd';
import { Suspense, lazy } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../desk/shim';
import { DeskTheme } from '../desk/DeskTheme';

const SECTIONS = [
  { key: 'org-units', zh: '组织机构', en: 'Org units', page: lazy(() => import('./admin/OrgUnits')) },
  { key: 'people', zh: '人员与角色', en: 'People and roles', page: lazy(() => import('./admin/People')) },
  { key: 'accounts', zh: '账号', en: 'Accounts', page: lazy(() => import('./admin/Accounts')) },
  { key: 'api-keys', zh: '接口密钥', en: 'API keys', page: lazy(() => import('./admin/ApiKeys')) },
  { key: 'approval-catalogue', zh: '审批事项目录', en: 'Approval catalogue', page: lazy(() => import('./admin/Catalogue')) },
  { key: 'policies', zh: '督办层级与规则', en: 'Ladders and policies', page: lazy(() => import('./admin/Policies')) },
  { key: 'calendar', zh: '工作日历', en: 'Calendar', page: lazy(() => import('./admin/CalendarYear')) },
  { key: 'schedules', zh: '定时任务', en: 'Schedules', page: lazy(() => import('./admin/Schedules')) },
  { key: 'audit', zh: '审计日志', en: 'Audit log', page: lazy(() => import('./admin/AuditLog')) },
];

export default function Admin() {
  return (
    <DeskTheme>
      <AdminPage />
    </DeskTheme>
  );
}

function AdminPage() {
  const { t } = useT();
  const loc = useLocation();
  const nav = useNavigate();
  const current = SECTIONS.find((s) => loc.pathname.includes(`/admin/${s.key}`))?.key ?? 'org-units';
  return (
    <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
      <nav aria-label={t('系统管理', 'Administration')} style={{ flex: '0 0 200px' }}>
        <Menu mode="inline" selectedKeys={[current]} onClick={(e) => nav(`/admin/${e.key}`)} items={SECTIONS.map((s) => ({ key: s.key, label: t(s.zh, s.en) }))} />
      </nav>
      <div style={{ flex: '1 1 600px', minWidth: 0 }}>
        <Suspense fallback={null}>
          <Routes>
            {SECTIONS.map((s) => (
              <Route key={s.key} path={`${s.key}/*`} element={<s.page />} />
            ))}
            <Route path="*" element={<Navigate to="/admin/org-units" replace />} />
          </Routes>
        </Suspense>
      </div>
    </div>
  );
}
