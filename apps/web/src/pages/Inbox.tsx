/** 我的督办 (Inbox). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function InboxPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('我的督办', 'Inbox')}</Typography.Title>;
}
