/** 登录 (Log in). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function LoginPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('登录', 'Log in')}</Typography.Title>;
}
