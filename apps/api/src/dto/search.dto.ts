import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { SEARCH_MAX_LENGTH } from '../../../../libs/persistence/src/like';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `q` on a list: contains-search, trimmed, at most SEARCH_MAX_LENGTH characters; blank is no search. */
export function SearchText(what: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: SEARCH_MAX_LENGTH, description: `Search text: ${what} containing it (case-insensitive; % and _ match literally)` }),
    IsOptional(),
    Transform(trim),
    IsString(),
    MaxLength(SEARCH_MAX_LENGTH),
  );
}

export class SearchQueryDto {
  @ApiProperty({ example: '污水', maxLength: SEARCH_MAX_LENGTH, description: 'Projects by name or code, matters by title' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'q is required (须填写搜索内容)' })
  @MaxLength(SEARCH_MAX_LENGTH)
  q: string;
}
