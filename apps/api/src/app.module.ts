import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AuditModule } from '../../../libs/audit/src/audit.module';
import { NoticeSettingsModule } from '../../../libs/notice-settings/src/notice-settings.module';
import { ContactPointsController, NoticeChannelsController, NoticePreferenceDefaultsController, NoticeSettingsController } from './controllers/notice-settings.controller';
import { DelegationsController } from './controllers/delegations.controller';
import { DUBAN_CONFIG, DubanConfig } from '../../../libs/config/src';
import { ConfigModule } from '../../../libs/config/src/config.module';
import { EscalationModule } from '../../../libs/escalation/src/escalation.module';
import { IdentityModule } from '../../../libs/identity/src/identity.module';
import { NoticesModule } from '../../../libs/notices/src/notices.module';
import { InboxModule } from '../../../libs/inbox/src/inbox.module';
import { InboxController } from './controllers/inbox.controller';
import { OrgModule } from '../../../libs/org/src/org.module';
import { PersistenceModule } from '../../../libs/persistence/src/persistence.module';
import { ProjectsModule } from '../../../libs/projects/src/projects.module';
import { TemporalModule } from '../../../libs/temporal/src/temporal.module';
import { AuthGuard } from './auth/auth.guard';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ClientThrottlerGuard } from './auth/throttler.guard';
import { ContactPrivacyInterceptor } from './auth/contact-privacy.interceptor';
import { AccountsController, ApiKeysController } from './controllers/accounts.controller';
import { AuditController } from './controllers/audit.controller';
import { CalendarController } from './controllers/calendar.controller';
import { MeetingsController } from './controllers/meetings.controller';
import { InvestmentController } from './controllers/investment.controller';
import { LedgerController } from './controllers/ledger.controller';
import { ApprovalsModule } from '../../../libs/approvals/src/approvals.module';
import { ApprovalsController } from './controllers/approvals.controller';
import { LifecycleModule } from '../../../libs/lifecycle/src/lifecycle.module';
import { BulletinsModule } from '../../../libs/bulletins/src/bulletins.module';
import { LifecycleController } from './controllers/lifecycle.controller';
import { BulletinsController } from './controllers/bulletins.controller';
import { SchedulesController } from './controllers/schedules.controller';
import { LedgerModule } from '../../../libs/ledger/src/ledger.module';
import { InvestmentModule } from '../../../libs/investment/src/investment.module';
import { MeetingsModule } from '../../../libs/meetings/src/meetings.module';
import { CalendarStoreModule } from '../../../libs/calendar-store/src/calendar-store.module';
import { AuthController } from './controllers/auth.controller';
import { BackgroundJobsModule } from '../../../libs/background-jobs/src/background-jobs.module';
import { BackgroundJobsController } from './controllers/background-jobs.controller';
import { BlockersController } from './controllers/blockers.controller';
import { HealthController } from './controllers/health.controller';
import { SettingsController } from './controllers/settings.controller';
import { StuckWorkController } from './controllers/stuck-work.controller';
import { StuckWorkModule } from '../../../libs/stuck-work/src/stuck-work.module';
import { OrgUnitsController, PeopleController } from './controllers/org.controller';
import { LaddersController, PoliciesController } from './controllers/policies.controller';
import { ProjectsController } from './controllers/projects.controller';
import { SearchController } from './controllers/search.controller';
import { NoticeFormModule } from '../../../libs/notice-form/src/notice-form.module';
import { NoticeFormsController } from './controllers/notice-forms.controller';
import { DeliveriesModule } from '../../../libs/notices/src/deliveries.module';
import { DeliveriesController } from './controllers/deliveries.controller';

/**
 * Login and refresh get a flood guard of their own, per client address; wrong passwords are
 * limited separately, per account and per address (AuthService, LoginLimiter), successes never.
 */
const isLogin = (req: Request) => req.method === 'POST' && /\/auth\/(login|refresh)$/.test(req.path);

@Module({
  imports: [
    ConfigModule,
    PersistenceModule,
    TemporalModule,
    AuditModule,
    NoticeSettingsModule,
    IdentityModule,
    OrgModule,
    ProjectsModule,
    EscalationModule,
    NoticesModule,
    InboxModule,
    CalendarStoreModule,
    MeetingsModule,
    InvestmentModule,
    LedgerModule,
    LifecycleModule,
    BulletinsModule,
    ApprovalsModule,
    IdempotencyModule,
    StuckWorkModule,
    BackgroundJobsModule,
    NoticeFormModule,
    DeliveriesModule,
    ThrottlerModule.forRootAsync({
      imports: [ConfigModule],
      inject: [DUBAN_CONFIG],
      useFactory: (cfg: DubanConfig) => [
        { name: 'default', ttl: 60_000, limit: cfg.RATE_LIMIT_PER_MINUTE },
        { name: 'login', ttl: 60_000, limit: cfg.LOGIN_RATE_LIMIT_PER_MINUTE, skipIf: (ctx) => !isLogin(ctx.switchToHttp().getRequest<Request>()) },
      ],
    }),
  ],
  controllers: [
    HealthController,
    AuthController,
    AccountsController,
    ApiKeysController,
    ContactPointsController,
    NoticePreferenceDefaultsController,
    NoticeSettingsController,
    NoticeChannelsController,
    DelegationsController,
    AuditController,
    OrgUnitsController,
    PeopleController,
    InboxController,
    ProjectsController,
    BlockersController,
    PoliciesController,
    LaddersController,
    CalendarController,
    MeetingsController,
    InvestmentController,
    LedgerController,
    LifecycleController,
    BulletinsController,
    SchedulesController,
    ApprovalsController,
    StuckWorkController,
    BackgroundJobsController,
    NoticeFormsController,
    DeliveriesController,
    SearchController,
    SettingsController,
  ],
  providers: [
    // Order matters: limit the rate before doing the work of authenticating.
    { provide: APP_GUARD, useClass: ClientThrottlerGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: ContactPrivacyInterceptor },
  ],
})
export class AppModule {}
