/** 事项 (Matter) — placeholder; W3 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function MatterPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('事项', 'Matter')}</Typography.Title>;
}
