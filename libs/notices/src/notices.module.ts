import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Notice } from './notice.entity';
import { NoticesService } from './notices.service';

/** Notices (交办、督办通知、抄送、逾期、办结) delivered to people's inboxes. */
@Module({
  imports: [TypeOrmModule.forFeature([Notice])],
  providers: [NoticesService],
  exports: [NoticesService],
})
export class NoticesModule {}
