/**
 * A refusal from the server in its own words (web.md: never a generic error): the API's Chinese
 * message, its English beside it, and the request id to quote when asking the project office.
 */
import { Alert } from 'antd';
import { ApiError } from '../api';
import { errorText, useI18n } from '../i18n';

export function RefusalAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const e = error instanceof ApiError ? error : null;
  const other = e ? (lang === 'en' ? e.message : e.messageEn) : '';
  const main = errorText(error, lang) || t('操作失败', 'The action failed');
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="refusal"
      title={main}
      description={
        e ? (
          <span>
            {other && other !== main ? <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{other}</span> : null}
            {e.requestId ? (
              <span style={{ display: 'block', opacity: 0.7 }}>
                {t('请求编号', 'Request id')}：{e.requestId}
              </span>
            ) : null}
          </span>
        ) : undefined
      }
      closable={onClose ? { onClose, 'aria-label': t('关闭', 'Close') } : undefined}
    />
  );
}
