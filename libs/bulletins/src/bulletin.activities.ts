import { Injectable } from '@nestjs/common';
import { BulletinsService } from './bulletins.service';

/** The scheduled workflows' side effects; each is keyed by its period, so a retry or a second run replaces, never duplicates. */
@Injectable()
export class BulletinActivities {
  constructor(private readonly bulletins: BulletinsService) {}

  async produceBulletin(a: { asOf: string }): Promise<{ id: string; number: string }> {
    return this.bulletins.produce(a.asOf);
  }

  async checkInvestment(a: { asOf: string }): Promise<{ month: string; checked: number; lagging: number; notices: number }> {
    return this.bulletins.checkInvestment(a.asOf);
  }
}
