import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isDay } from './dto/instant';
import { invalidInput } from './validation';

/**
 * Path parameters that are not uuids (ParseUUIDPipe covers those): a calendar
 * day and a year. Checked here so that '0' or '99999999999' answers 400, not a
 * PostgreSQL cast error (500).
 */
@Injectable()
export class ParseDayPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    const field = meta.data ?? 'date';
    if (isDay(value)) return value;
    throw invalidInput([{ field: field, problems: [`${field} must be a date YYYY-MM-DD (须为有效日期)`] }]);
  }
}

@Injectable()
export class ParseYearPipe implements PipeTransform<string, number> {
  transform(value: string, meta: ArgumentMetadata): number {
    const field = meta.data ?? 'year';
    const year = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (year >= 2000 && year <= 2100) return year;
    throw invalidInput([{ field: field, problems: [`${field} must be a year from 2000 to 2100 (年份须在2000至2100之间)`] }]);
  }
}
