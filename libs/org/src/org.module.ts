import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/src/audit.module';
import { OrgUnit } from './org-unit.entity';
import { Person } from './person.entity';
import { OrgService } from './org.service';

/** The organisation model: org units (责任单位, 乡镇, 县委县政府, 项目办) and people with roles. */
@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, Person]), AuditModule],
  providers: [OrgService],
  exports: [OrgService],
})
export class OrgModule {}
