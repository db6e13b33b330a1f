import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Validates every body and query against its DTO, rejecting unknown fields, and
 * answers 400 with every wrong field named.
 */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => invalidInput(flatten(errors)),
});

/** The one shape of a 400 for input, naming each field (used by the pipes as well). */
export function invalidInput(list: { field: string; problems: string[] }[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'invalid_input',
    message: `请求参数有误：${list.map((e) => e.field).join('、')}`,
    messageEn: `Invalid input: ${list.map((e) => e.field).join(', ')}`,
    errors: list,
  });
}
