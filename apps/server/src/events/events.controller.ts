import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditEvent } from './audit-event.entity';
import { EventsQueryDto } from './events-query.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** The audit trail, oldest first, with each decision's evidence. */
  @Get()
  list(@Query() query: EventsQueryDto): Promise<AuditEvent[]> {
    return this.events.list(query);
  }
}
