import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  DeviceCredentialsView,
  DeviceView,
  ListDevicesQuery,
  RegisterDeviceDto,
  UpdateDeviceDto,
} from './device.dto';
import { DevicesService } from './devices.service';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  /** Answers the device's MQTT credentials; this is the only time the password is shown. */
  @Post()
  register(
    @Body() dto: RegisterDeviceDto,
  ): Promise<{ id: string; device: DeviceView; mqtt: DeviceCredentialsView }> {
    return this.devices.register(dto);
  }

  @Get()
  list(@Query() query: ListDevicesQuery): Promise<{ total: number; items: DeviceView[] }> {
    return this.devices.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DeviceView> {
    return this.devices.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDeviceDto): Promise<DeviceView> {
    return this.devices.update(id, dto);
  }

  @Post(':id/retire')
  retire(@Param('id', ParseUUIDPipe) id: string): Promise<DeviceView> {
    return this.devices.retire(id);
  }

  @Post(':id/credentials')
  rotateCredentials(@Param('id', ParseUUIDPipe) id: string): Promise<DeviceCredentialsView> {
    return this.devices.rotateCredentials(id);
  }
}
