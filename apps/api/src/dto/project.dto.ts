import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PROJECT_CODE_PATTERN } from '../../../../libs/domain/src/project-code';
import { PROJECT_CATEGORIES, ProjectCategory } from '../../../../libs/projects/src/project.entity';
import { PageQueryDto } from './page.dto';
import { SearchText } from './search.dto';

const CATEGORIES = Object.keys(PROJECT_CATEGORIES);

export class CreateProjectDto {
  @ApiProperty({ example: '2026-341122-48-01-000123', description: '24-character national platform code (项目代码)' })
  @IsString()
  @Matches(PROJECT_CODE_PATTERN, { message: 'code must look like YYYY-RRRRRR-DD-TT-SSSSSS (24 characters, 项目代码)' })
  code: string;

  @ApiProperty({ example: '城南污水处理厂扩建工程' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category: ProjectCategory;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  responsibleUnitId: string;

  @ApiProperty({ example: '县城投集团', description: 'Project owner (项目业主)' })
  @IsString()
  @Length(1, 200)
  owner: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  townshipId?: string;

  @ApiProperty({ example: 12000, description: 'Total investment in 万元' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e13)
  totalInvestment: number;

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  liaisonLeaderIds?: string[];
}

export class ProjectListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() responsibleUnitId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() townshipId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() liaisonLeaderId?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @IsOptional() @IsIn(CATEGORIES) category?: ProjectCategory;
  @SearchText('projects whose name or code is') q?: string;
}
