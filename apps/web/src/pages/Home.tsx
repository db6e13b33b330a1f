/** 首页 (Home). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function HomePage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('首页', 'Home')}</Typography.Title>;
}
