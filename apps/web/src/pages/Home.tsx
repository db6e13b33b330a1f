/**
 * 首页 (Home) by role (design/web.md): a county leader sees the 督办总览, unit
 * staff their unit's matters, the supervision office the red list. (The project
 * office, liaison leaders and approval clerks are sent on by App.tsx's HomeRoute:
 * battle map, inbox, approvals desk.)
 */
import { useAuth } from '../auth';
import { CountyHome } from '../components/home/CountyHome';
import { SupervisionHome } from '../components/home/SupervisionHome';
import { UnitHome } from '../components/home/UnitHome';
import { homeKind } from '../roles';

export default function HomePage() {
  const { session } = useAuth();
  const kind = homeKind(session?.person.roles ?? []);
  switch (kind) {
    case 'county':
      return <CountyHome />;
    case 'supervision':
      return <SupervisionHome />;
    default:
      return <UnitHome />;
  }
}
