/** 审批工作台 (Approvals desk) — placeholder; W4 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function ApprovalsPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('审批工作台', 'Approvals desk')}</Typography.Title>;
}
