/** 登录 (Log in). A refusal is shown in the API's own words; a first login goes to the password change. */
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth';
import { CenteredCard } from '../components/CenteredCard';
import { forgetNames } from '../components/names';
import { errorText, useI18n } from '../i18n';

export default function LoginPage() {
  const { t, lang } = useI18n();
  const { session, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (session && !busy) return <Navigate to={session.mustChangePassword ? '/change-password' : target} replace />;

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      forgetNames();
      const s = await login(v.username.trim(), v.password);
      navigate(s.mustChangePassword ? '/change-password' : target, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <CenteredCard title={t('登录', 'Log in')}>
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('用户名', 'Username')} name="username" rules={[{ required: true, message: t('请输入用户名', 'Enter your username') }]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item label={t('密码', 'Password')} name="password" rules={[{ required: true, message: t('请输入密码', 'Enter your password') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {error ? <Alert type="error" showIcon role="alert" title={errorText(error, lang)} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('登录', 'Log in')}
        </Button>
      </Form>
    </CenteredCard>
  );
}
