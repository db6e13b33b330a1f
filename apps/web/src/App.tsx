/**
 * Routes, the frame around every page (top bar, navigation by role) and the
 * antd locale. Each page is its own lazily loaded file, so the inbox on a phone
 * loads only what it needs.
 */
import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { Navigate, Route, Routes } from 'react-router-dom';
import { RequireAuth, useAuth } from './auth';
import { homeKind } from './roles';
import { useI18n } from './i18n';
import { LiveProvider } from './live';
import { Frame } from './components/Frame';
import { ZoneGate } from './zone';
import { prefetchBattleMap } from './pages/battle-map-query';

const Login = lazy(() => import('./pages/Login'));
const ChangePassword = lazy(() => import('./pages/ChangePassword'));
const Home = lazy(() => import('./pages/Home'));
const Inbox = lazy(() => import('./pages/Inbox'));
const Matter = lazy(() => import('./pages/Matter'));
const Project = lazy(() => import('./pages/Project'));
// The battle map's first page is asked for together with its code, not after it (battle-map-query.ts).
const BattleMap = lazy(() => {
  prefetchBattleMap();
  return import('./pages/BattleMap');
});
const Approvals = lazy(() => import('./pages/Approvals'));
const Bulletins = lazy(() => import('./pages/Bulletins'));
const Ledger = lazy(() => import('./pages/Ledger'));
const Admin = lazy(() => import('./pages/Admin'));
const NotFound = lazy(() => import('./pages/NotFound'));

/**
 * Colours dark enough for WCAG AA text contrast (antd's default blue and its 45 % grey fall short),
 * and the self-hosted CJK font first.
 */
const THEME = {
  colorPrimary: '#0958d9',
  colorLink: '#0958d9',
  colorTextDescription: 'rgba(0, 0, 0, 0.65)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
  fontFamily: "'Noto Sans SC', -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif",
};

const loading = (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
);

/** A page behind the login, inside the frame. */
const inside = (page: ReactNode) => (
  <RequireAuth>
    <ZoneGate>
      <Frame>
        <Suspense fallback={loading}>{page}</Suspense>
      </Frame>
    </ZoneGate>
  </RequireAuth>
);

/**
 * The landing page by role, decided here so that a liaison leader on a phone goes straight to the
 * inbox without loading the overview pages' code first.
 */
function HomeRoute() {
  const { session } = useAuth();
  const kind = homeKind(session?.person.roles ?? []);
  if (kind === 'office') return <Navigate to="/battle-map" replace />;
  if (kind === 'liaison') return <Navigate to="/inbox" replace />;
  if (kind === 'approval') return <Navigate to="/approvals" replace />;
  return <Home />;
}

export function App() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: THEME }}>
      <AntApp>
        <LiveProvider>
          <Suspense fallback={loading}>
            <Routes>
              <Route path="/login" element={<Login />} />
              <Route
                path="/change-password"
                element={
                  <RequireAuth>
                    <ChangePassword />
                  </RequireAuth>
                }
              />
              <Route path="/" element={inside(<HomeRoute />)} />
              <Route path="/inbox" element={inside(<Inbox />)} />
              <Route path="/matters/:id" element={inside(<Matter />)} />
              <Route path="/projects/:id" element={inside(<Project />)} />
              <Route path="/battle-map" element={inside(<BattleMap />)} />
              <Route path="/approvals" element={inside(<Approvals />)} />
              <Route path="/bulletins" element={inside(<Bulletins />)} />
              <Route path="/ledger" element={inside(<Ledger />)} />
              <Route path="/admin/*" element={inside(<Admin />)} />
              <Route path="*" element={inside(<NotFound />)} />
            </Routes>
          </Suspense>
        </LiveProvider>
      </AntApp>
    </ConfigProvider>
  );
}
