/**
 * The due time of a running clock, counting down live, in its colour: green before the warning
 * instant, yellow from it, red from the due instant (the one rule, libs/domain/src/colour.ts).
 * Past due it counts up ("超期 2天3小时"). The text carries the colour too: colour is never the only sign.
 */
import { useEffect, useState } from 'react';
import { ColourTag } from '../format';
import { useI18n } from '../i18n';
import { COLOUR_HEX, colourAt } from './labels';

export function durationText(ms: number, lang: 'zh' | 'en'): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (lang === 'en') return d ? `${d}d ${h}h ${m}m ${sec}s` : h ? `${h}h ${m}m ${sec}s` : `${m}m ${sec}s`;
  return d ? `${d}天${h}小时${m}分${sec}秒` : h ? `${h}小时${m}分${sec}秒` : `${m}分${sec}秒`;
}

/** Re-renders every second while mounted. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function Countdown({ dueAt, warnAt, running, large }: { dueAt: string | null; warnAt?: string | null; running: boolean; large?: boolean }) {
  const { t, lang } = useI18n();
  const now = useNow();
  if (!dueAt) return <span>{t('无时限', 'No due time')}</span>;
  const colour = colourAt({ running, dueAt, warnAt }, now);
  const left = Date.parse(dueAt) - now;
  const text = !running
    ? t('已停止计时', 'Clock stopped')
    : left > 0
      ? `${t('剩余', 'Left')} ${durationText(left, lang)}`
      : `${t('已超期', 'Overdue by')} ${durationText(-left, lang)}`;
  return (
    <span data-testid="countdown" data-colour={colour ?? 'none'} aria-live="off" style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
      {colour ? <ColourTag colour={colour} lang={lang} /> : null}
      <span style={{ color: colour ? COLOUR_HEX[colour] : undefined, fontSize: large ? 22 : undefined, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>{text}</span>
    </span>
  );
}
