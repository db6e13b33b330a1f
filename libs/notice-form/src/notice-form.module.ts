import { Module } from '@nestjs/common';
import { NoticeFormService } from './notice-form.service';

/**
 * The 督办通知单: an escalation notice as a printable one-page PDF (renderNoticeForm, which the
 * e-mail channel attaches), and who may download which form (NoticeFormService).
 */
@Module({
  providers: [NoticeFormService],
  exports: [NoticeFormService],
})
export class NoticeFormModule {}
