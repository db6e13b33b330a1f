/** 台账 (Ledger) — placeholder; W4 replaces this page (keep the default export). */
import { Typography } from 'antd';
import { useI18n } from '../i18n';

export default function LedgerPage() {
  const { t } = useI18n();
  return <Typography.Title level={3}>{t('台账', 'Ledger')}</Typography.Title>;
}
