import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AppError } from '../errors/app-error';
import { CreateDeploymentDto, DeploymentView } from './deployment.dto';
import { DEPLOYMENT_STATUSES, DeploymentStatus } from './deployment.entity';
import { DeploymentsService } from './deployments.service';

@ApiTags('deployments')
@ApiBearerAuth()
@Controller('api/deployments')
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  /** Assigns an artifact to devices; 400 naming each profile it does not fit. */
  @Post()
  create(@Body() dto: CreateDeploymentDto): Promise<DeploymentView> {
    return this.deployments.create(dto);
  }

  @Get()
  @ApiQuery({ name: 'status', required: false, enum: DEPLOYMENT_STATUSES })
  list(@Query('status') status?: string): Promise<DeploymentView[]> {
    if (status !== undefined && !(DEPLOYMENT_STATUSES as readonly string[]).includes(status))
      throw new AppError('INVALID_INPUT', `status must be one of ${DEPLOYMENT_STATUSES.join(', ')}`);
    return this.deployments.list(status as DeploymentStatus | undefined);
  }

  /** The deployment with one line per device (state, attempts, percent, reason). */
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DeploymentView> {
    return this.deployments.get(id);
  }

  @Post(':id/cancel')
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<DeploymentView> {
    return this.deployments.cancel(id);
  }
}
