/** 页面不存在 (Page not found). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function NotFoundPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('页面不存在', 'Page not found')}</Typography.Title>;
}
