/**
 * What the desk pages take from the console core (i18n, dates, the colour tag),
 * in one place so the pages read the same way.
 */
import { ColourTag as CoreColourTag, formatTime, type Colour } from '../format';
import { useI18n } from '../i18n';
import './desk.css';

export type { Colour };
export type T = (zh: string, en: string) => string;

let current: 'zh' | 'en' = 'zh';

export function useT(): { t: T; lang: 'zh' | 'en' } {
  const { t, lang } = useI18n();
  current = lang;
  return { t, lang };
}

/** 2026年11月30日 18:00 in the organisation's time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  return formatTime(iso, current);
}

/** The core's ColourTag, with text dark enough on its tint for WCAG AA (desk.css). */
export function ColourTag({ colour }: { colour: Colour }) {
  const { t, lang } = useT();
  const label = { green: t('正常', 'On time'), yellow: t('预警', 'Warning'), red: t('逾期', 'Overdue'), grey: t('不适用', 'N/A') }[colour];
  return (
    <span style={{ display: 'inline-flex' }} className={`desk-colour desk-colour-${colour}`}>
      <CoreColourTag colour={colour} label={label} lang={lang} />
    </span>
  );
}
