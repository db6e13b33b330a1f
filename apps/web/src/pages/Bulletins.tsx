/** 周报 (Weekly bulletin) — placeholder; W4 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function BulletinsPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('周报', 'Weekly bulletin')}</Typography.Title>;
}
