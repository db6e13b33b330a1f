/** 挂图作战 (Battle map) — placeholder; W3 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function BattleMapPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('挂图作战', 'Battle map')}</Typography.Title>;
}
