export * from './types';
export { Calendar, createCalendar, parseInstant } from './calendar';
export { computeDue } from './due';
export { NOTICE_CORRECTIONS, VERIFIED_NOTICES, bundledHolidayData } from './base-data';
