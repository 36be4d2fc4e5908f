import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DeviceSessionView } from './fleet-ota-view';
import { FleetOtaService } from './fleet-ota.service';

/** Read models the dashboard needs that the resource endpoints do not give in one call. */
@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('api/dashboard')
export class DashboardDataController {
  constructor(private readonly ota: FleetOtaService) {}

  /** Each device's open session, or its part in one of the last few deployments. */
  @Get('ota-states')
  otaStates(): Promise<DeviceSessionView[]> {
    return this.ota.currentStates();
  }

  /** The device's OTA sessions, newest first: which models it was given and how that went. */
  @Get('devices/:id/sessions')
  deviceSessions(@Param('id', ParseUUIDPipe) id: string): Promise<DeviceSessionView[]> {
    return this.ota.history(id);
  }
}
