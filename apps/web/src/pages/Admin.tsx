/** 管理 (Administration) — placeholder; W4 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function AdminPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('管理', 'Administration')}</Typography.Title>;
}
