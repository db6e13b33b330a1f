/** 修改密码 (Change password). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function ChangePasswordPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('修改密码', 'Change password')}</Typography.Title>;
}
