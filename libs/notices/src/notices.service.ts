import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Page, pageOf } from '../../persistence/src/page';
import { Notice } from './notice.entity';

/** A person's inbox: the notices delivered to them, newest first. */
@Injectable()
export class NoticesService {
  constructor(@InjectRepository(Notice) private readonly notices: Repository<Notice>) {}

  async inbox(recipientId: string, q: { unreadOnly?: boolean; page: number; pageSize: number }): Promise<Page<Notice>> {
    const found = await this.notices.findAndCount({
      where: { recipientId, ...(q.unreadOnly && { readAt: IsNull() }) },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return pageOf(found, q);
  }
}
