import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Subject } from 'rxjs';
import { Repository } from 'typeorm';
import { AuditEvent } from './audit-event.entity';
import type { EventType } from './event-types';
import type { EventsQueryDto } from './events-query.dto';

/** What a caller records; `at` and `id` are assigned here. */
export interface NewEvent {
  type: EventType;
  message: string;
  profile?: string | null;
  subject?: string | null;
  evidence?: Record<string, unknown>;
}

/** The audit trail: decisions stored with their evidence, listed in the order they happened. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');
  /** Every stored event, for live views (dashboard streams). */
  readonly recorded$ = new Subject<AuditEvent>();

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Stores one event and logs it. */
  async record(event: NewEvent): Promise<AuditEvent> {
    const row = this.events.create({
      at: Date.now(),
      type: event.type,
      message: event.message.slice(0, 1000),
      profile: event.profile ?? null,
      subject: event.subject ?? null,
      evidence: event.evidence ?? {},
    });
    const saved = await this.events.save(row);
    this.logger.log(`${event.type}: ${event.message}`);
    this.recorded$.next(saved);
    return saved;
  }

  /** Oldest first (ascending id), so a reader can page with `afterId`. */
  list(query: EventsQueryDto): Promise<AuditEvent[]> {
    const qb = this.events
      .createQueryBuilder('e')
      .orderBy('e.id', 'ASC')
      .take(query.limit ?? 500);
    if (query.afterId !== undefined) qb.andWhere('e.id > :afterId', { afterId: query.afterId });
    if (query.since !== undefined) qb.andWhere('e.at >= :since', { since: query.since });
    if (query.type) qb.andWhere('e.type = :type', { type: query.type });
    if (query.profile) qb.andWhere('e.profile = :profile', { profile: query.profile });
    if (query.subject) qb.andWhere('e.subject = :subject', { subject: query.subject });
    return qb.getMany();
  }
}
