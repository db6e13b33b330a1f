/**
 * 首页 (Home) by role (design/web.md): the project office lands on the battle
 * map, a liaison leader on the inbox, an approval clerk on the approvals desk;
 * a county leader sees the 督办总览, unit staff their unit's matters, the
 * supervision office the red list.
 */
import { Navigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { CountyHome } from '../components/home/CountyHome';
import { SupervisionHome } from '../components/home/SupervisionHome';
import { UnitHome } from '../components/home/UnitHome';
import { homeKind } from '../roles';

export default function HomePage() {
  const { session } = useAuth();
  const kind = homeKind(session?.person.roles ?? []);
  switch (kind) {
    case 'office':
      return <Navigate to="/battle-map" replace />;
    case 'liaison':
      return <Navigate to="/inbox" replace />;
    case 'approval':
      return <Navigate to="/approvals" replace />;
    case 'county':
      return <CountyHome />;
    case 'supervision':
      return <SupervisionHome />;
    default:
      return <UnitHome />;
  }
}
