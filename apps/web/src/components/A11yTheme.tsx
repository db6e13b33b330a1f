/**
 * Ant Design's default blue (#1677ff), red (#ff4d4f), placeholders and secondary text fall below
 * the 4.5:1 contrast WCAG AA asks of text (axe-core "color-contrast", serious). These pages use
 * darker tokens of the same hues; nested in the app's ConfigProvider, only the tokens named change.
 */
import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import './a11y.css';

export const A11Y_TOKENS = {
  colorPrimary: '#0958d9',
  colorLink: '#0958d9',
  colorError: '#cf1322',
  colorTextPlaceholder: '#737373',
  colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
  colorTextDescription: 'rgba(0, 0, 0, 0.62)',
  colorTextSecondary: 'rgba(0, 0, 0, 0.66)',
};

export function A11yTheme({ children, dark }: { children: ReactNode; dark?: boolean }) {
  return (
    <ConfigProvider
      theme={{
        token: dark
          ? {
              ...A11Y_TOKENS,
              colorPrimary: '#4096ff',
              colorLink: '#69b1ff',
              colorTextPlaceholder: '#a6a6a6',
              colorText: '#ffffff',
              colorBgContainer: '#0b1426',
              colorBorderSecondary: '#1f2d45',
            }
          : A11Y_TOKENS,
      }}
    >
      <div className={dark ? 'duban-a11y-dark' : 'duban-a11y'}>{children}</div>
    </ConfigProvider>
  );
}
