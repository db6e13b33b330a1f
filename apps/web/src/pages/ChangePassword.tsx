/** 修改密码 (Change password): forced at the first login; the rules are the API's (its refusal is shown as given). */
import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { post } from '../api';
import { useAuth } from '../auth';
import { CenteredCard } from '../components/CenteredCard';
import { errorText, useI18n } from '../i18n';

export default function ChangePasswordPage() {
  const { t, lang } = useI18n();
  const { session, passwordChanged, logout } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      await post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      passwordChanged();
      navigate('/', { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <CenteredCard title={t('修改密码', 'Change password')}>
      {session?.mustChangePassword ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('首次登录须设置新密码后才能继续。', 'Set a new password before you continue (first login).')} />
      ) : null}
      <Typography.Paragraph type="secondary">
        {t('新密码至少 10 位，须含字母和数字，不得包含用户名。', 'At least 10 characters, letters and digits, not containing the username.')}
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('当前密码', 'Current password')} name="currentPassword" rules={[{ required: true, message: t('请输入当前密码', 'Enter the current password') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item label={t('新密码', 'New password')} name="newPassword" rules={[{ required: true, message: t('请输入新密码', 'Enter a new password') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={t('确认新密码', 'Confirm new password')}
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('请再次输入新密码', 'Enter the new password again') },
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('两次输入的新密码不一致', 'The two new passwords differ'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error ? <Alert type="error" showIcon role="alert" title={errorText(error, lang)} style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('确认修改', 'Change password')}
        </Button>
        <Button type="link" block onClick={() => void logout().then(() => navigate('/login'))} style={{ marginTop: 8 }}>
          {t('退出登录', 'Log out')}
        </Button>
      </Form>
    </CenteredCard>
  );
}
