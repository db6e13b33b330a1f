import { Alert } from 'antd';
import { DeskError } from './http';
import { useT } from './shim';

/** A refusal in the server's own words, with every wrong field named as the API names it. */
export function ErrorView({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { lang } = useT();
  if (!error) return null;
  const e = error instanceof DeskError ? error : null;
  const message = e ? (lang === 'en' ? e.en : e.zh) : String((error as Error)?.message ?? error);
  const fields = e?.body.errors ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={message}
      closable={onClose ? { onClose } : undefined}
      description={
        fields.length ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {fields.map((f) => (
              <li key={f.field}>
                <code>{f.field}</code>：{f.problems.join('；')}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
