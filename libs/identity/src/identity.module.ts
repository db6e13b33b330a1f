import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/src/audit.module';
import { Account } from './account.entity';
import { AccountsService } from './accounts.service';
import { ApiKey } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { AuthService } from './auth.service';
import { Session } from './session.entity';

/** Identity: accounts linked to people, sessions and tokens, API keys for systems. */
@Module({
  imports: [TypeOrmModule.forFeature([Account, Session, ApiKey]), AuditModule],
  providers: [AuthService, AccountsService, ApiKeysService],
  exports: [AuthService, AccountsService, ApiKeysService],
})
export class IdentityModule {}
