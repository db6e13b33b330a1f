import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config/src/config.module';
import { EscalationModule } from '../../../libs/escalation/src/escalation.module';
import { NoticesModule } from '../../../libs/notices/src/notices.module';
import { OrgModule } from '../../../libs/org/src/org.module';
import { PersistenceModule } from '../../../libs/persistence/src/persistence.module';
import { ProjectsModule } from '../../../libs/projects/src/projects.module';
import { TemporalModule } from '../../../libs/temporal/src/temporal.module';
import { BlockersController } from './controllers/blockers.controller';
import { HealthController } from './controllers/health.controller';
import { OrgUnitsController, PeopleController } from './controllers/org.controller';
import { PoliciesController } from './controllers/policies.controller';
import { ProjectsController } from './controllers/projects.controller';

@Module({
  imports: [ConfigModule, PersistenceModule, TemporalModule, OrgModule, ProjectsModule, EscalationModule, NoticesModule],
  controllers: [HealthController, OrgUnitsController, PeopleController, ProjectsController, BlockersController, PoliciesController],
})
export class AppModule {}
