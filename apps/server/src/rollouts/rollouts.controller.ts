import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateRolloutDto, RolloutActionDto, RolloutView } from './rollout.dto';
import { RolloutsService } from './rollouts.service';

@ApiTags('rollouts')
@ApiBearerAuth()
@Controller('api/rollouts')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutsService) {}

  /** Starts a staged rollout (stage 1 at once). */
  @Post()
  create(@Body() dto: CreateRolloutDto): Promise<RolloutView> {
    return this.rollouts.create(dto);
  }

  @Get()
  list(): Promise<RolloutView[]> {
    return this.rollouts.list();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<RolloutView> {
    return this.rollouts.get(id);
  }

  /** No new offers; downloads under way finish; the next stage waits. */
  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RolloutActionDto): Promise<RolloutView> {
    return this.rollouts.pause(id, dto.reason);
  }

  /** Continues a paused rollout, or starts the next stage of one waiting at a gate. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RolloutActionDto): Promise<RolloutView> {
    return this.rollouts.resume(id, dto.reason);
  }

  /** Stops the rollout; devices keep what they have activated. */
  @Post(':id/abort')
  @HttpCode(200)
  abort(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RolloutActionDto): Promise<RolloutView> {
    return this.rollouts.abort(id, dto.reason);
  }

  /** Puts each reached device's previous model back. */
  @Post(':id/rollback')
  @HttpCode(200)
  rollback(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RolloutActionDto): Promise<RolloutView> {
    return this.rollouts.rollback(id, dto.reason);
  }
}
