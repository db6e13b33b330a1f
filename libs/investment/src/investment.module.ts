import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { ProjectsModule } from '../../projects/src/projects.module';
import { InvestmentService } from './investment.service';

/** Annual plans, completed-investment reports and their lag behind the year (序时进度). */
@Module({
  imports: [AuditModule, ProjectsModule],
  providers: [InvestmentService],
  exports: [InvestmentService],
})
export class InvestmentModule {}
