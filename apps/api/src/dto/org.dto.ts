import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { ORG_UNIT_KINDS, OrgUnitKind } from '../../../../libs/org/src/org-unit.entity';
import { ROLES, Role } from '../../../../libs/org/src/person.entity';
import { PageQueryDto } from './page.dto';

export class CreateOrgUnitDto {
  @ApiProperty({ example: '县发改局' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ORG_UNIT_KINDS })
  @IsIn(ORG_UNIT_KINDS)
  kind: OrgUnitKind;
}

export class OrgUnitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORG_UNIT_KINDS })
  @IsOptional()
  @IsIn(ORG_UNIT_KINDS)
  kind?: OrgUnitKind;
}

export class CreatePersonDto {
  @ApiProperty({ example: '王建国' })
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiPropertyOptional({ example: '县发改局局长' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  orgUnitId: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(3, 30)
  phone?: string;
}

export class PeopleListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class UpdateOrgUnitDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'The county leader in charge (分管县领导); null to clear' }) @IsOptional() @IsUUID() leaderInChargeId?:
    string | null;
  @ApiProperty({ example: '县政府分工调整' }) @IsString() @Length(1, 1000, { message: 'reason is required (须说明理由)' }) reason: string;
}
