/** 项目 (Project) — placeholder; W3 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function ProjectPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('项目', 'Project')}</Typography.Title>;
}
