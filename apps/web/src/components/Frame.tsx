/**
 * The frame of every page behind the login: the top bar (navigation by role,
 * the live unread count, the person's name, the language toggle, logout).
 * The meeting-room screen (?screen=1) shows the page alone.
 */
import type { ReactNode } from 'react';
import { Badge, Button, Layout, Space, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useLive } from '../live';
import { navFor } from '../roles';
import { forgetNames } from './names';
import { LangToggle } from './LangToggle';

export function Frame({ children }: { children: ReactNode }) {
  const { session, logout } = useAuth();
  const { t } = useI18n();
  const { counts } = useLive();
  const [params] = useSearchParams();
  const loc = useLocation();
  const navigate = useNavigate();
  if (params.get('screen') === '1') return <>{children}</>;
  const roles = session?.person.roles ?? [];
  const items = navFor(roles);
  const current = (path: string) => (path === '/' ? loc.pathname === '/' : loc.pathname.startsWith(path));
  const unread = counts?.total ?? 0;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <header className="duban-header">
        <Link to="/" className="duban-brand" aria-label={t('督办首页', '督办 Duban home')}>
          督办
        </Link>
        <nav className="duban-header-nav" aria-label={t('主导航', 'Main navigation')}>
          {/* Plain links (antd's overflowing menu hides focusable items from assistive technology); on a phone a row of their own. */}
          <ul className="duban-nav">
            {items.map((n) => (
              <li key={n.path}>
                <Link to={n.path} aria-current={current(n.path) ? 'page' : undefined}>
                  {t(n.zh, n.en)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Space size={4}>
          <Link to="/inbox" aria-label={t(`收件箱，未读 ${unread} 条`, `Inbox, ${unread} unread`)} data-testid="unread-badge">
            <Badge count={unread} size="small" overflowCount={99} color="#cf1322">
              <BellOutlined style={{ fontSize: 20, padding: 6, color: '#333' }} />
            </Badge>
          </Link>
          <Typography.Text className="duban-hide-phone" strong>
            {session?.person.name}
          </Typography.Text>
          <LangToggle />
          <Button
            size="small"
            onClick={async () => {
              await logout();
              forgetNames();
              navigate('/login');
            }}
          >
            {t('退出', 'Log out')}
          </Button>
        </Space>
      </header>
      <main className="duban-content">{children}</main>
    </Layout>
  );
}
