import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/src/audit.module';
import { OrgUnit } from '../../org/src/org-unit.entity';
import { Person } from '../../org/src/person.entity';
import { Project } from './project.entity';
import { ProjectsService } from './projects.service';

/** Key projects (重点项目): the register the project office keeps. */
@Module({
  imports: [TypeOrmModule.forFeature([Project, OrgUnit, Person]), AuditModule],
  providers: [ProjectsService],
  exports: [ProjectsService],
})
export class ProjectsModule {}
