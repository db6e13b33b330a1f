import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/src/audit.module';
import { LifecycleModule } from '../../lifecycle/src/lifecycle.module';
import { LedgerService } from './ledger.service';

/** The project ledger (台账) as .xlsx: export, and import checked cell by cell. */
@Module({
  imports: [AuditModule, LifecycleModule],
  providers: [LedgerService],
  exports: [LedgerService],
})
export class LedgerModule {}
