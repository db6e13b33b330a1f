/**
 * The organisation's time zone (DUBAN_TIME_ZONE, from GET /api/settings): every date and time on screen is
 * shown in it and every date typed is read in it (format.ts), whatever zone the browser is in. The last zone
 * seen is kept, so a page shows at once; a changed zone redraws the page when the answer comes.
 */
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { get } from './api';
import { getTimeZone, setTimeZone } from './format';

const STORAGE_KEY = 'duban.timeZone';

function remembered(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The zone last known (remembered, then as the API answered this load). */
let known = remembered();
if (known) setTimeZone(known);

let asked: Promise<string> | null = null;

/** Asks the API once per page load; answers the zone in force (the default when the API cannot say). */
export function loadTimeZone(): Promise<string> {
  asked ??= get<{ timeZone: string }>('/settings').then(
    (s) => {
      setTimeZone(s.timeZone);
      known = s.timeZone;
      try {
        localStorage.setItem(STORAGE_KEY, s.timeZone);
      } catch {
        /* storage unavailable: asked again on the next load */
      }
      return s.timeZone;
    },
    () => {
      asked = null;
      known = getTimeZone();
      return known;
    },
  );
  return asked;
}

/** Renders its pages once the zone is known (at once when remembered); redraws them if it changed. */
export function ZoneGate({ children }: { children: ReactNode }) {
  const [zone, setZone] = useState<string | null>(known);
  useEffect(() => {
    let live = true;
    void loadTimeZone().then((z) => live && setZone(z));
    return () => {
      live = false;
    };
  }, []);
  return zone ? <Fragment key={zone}>{children}</Fragment> : null;
}
