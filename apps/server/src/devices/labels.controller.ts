import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DevicesService } from './devices.service';

type LabelCount = { name: string; devices: number; online: number };

/** Groups and tags are labels on devices; these list the ones in use. */
@ApiTags('devices')
@ApiBearerAuth()
@Controller('api')
export class LabelsController {
  constructor(private readonly devices: DevicesService) {}

  @Get('groups')
  groups(): Promise<LabelCount[]> {
    return this.devices.labels('group');
  }

  @Get('tags')
  tags(): Promise<LabelCount[]> {
    return this.devices.labels('tag');
  }
}
