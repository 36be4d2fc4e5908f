import { Body, Controller, Get, MessageEvent, Param, ParseUUIDPipe, Post, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { CreatePruningJobDto } from './pruning-job.dto';
import { PruningJob } from './pruning-job.entity';
import { PruningJobsService } from './pruning-jobs.service';

@ApiTags('pruning-jobs')
@ApiBearerAuth()
@Controller('api/pruning-jobs')
export class PruningJobsController {
  constructor(private readonly jobs: PruningJobsService) {}

  @Post()
  create(@Body() dto: CreatePruningJobDto): Promise<PruningJob> {
    return this.jobs.create(dto);
  }

  @Get()
  list(): Promise<PruningJob[]> {
    return this.jobs.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PruningJob> {
    return this.jobs.get(id);
  }

  @Post(':id/cancel')
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<PruningJob> {
    return this.jobs.cancel(id);
  }

  /** Server-sent events: the job's state and progress until it finishes (token also as ?token=). */
  @Sse(':id/events')
  async events(@Param('id', ParseUUIDPipe) id: string): Promise<Observable<MessageEvent>> {
    return (await this.jobs.follow(id)).pipe(map((job) => ({ type: 'job', data: job })));
  }
}
