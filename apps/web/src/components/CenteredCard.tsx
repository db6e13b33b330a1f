/** The frame of the pages outside the login (login, forced password change): a card in the middle. */
import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { LangToggle } from './LangToggle';

export function CenteredCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5', padding: 12, boxSizing: 'border-box' }}>
      <Card style={{ width: '100%', maxWidth: 400 }} extra={<LangToggle />} title={<span className="duban-brand">督办 Duban</span>}>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          {title}
        </Typography.Title>
        {children}
      </Card>
    </main>
  );
}
