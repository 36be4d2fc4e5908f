import { Controller, Get, Param, ParseUUIDPipe, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { FIRMWARE_TARGETS } from '@fleetprune/firmware';
import { FirmwareBundleService } from './firmware-bundle.service';

@ApiTags('artifacts')
@ApiBearerAuth()
@Controller('api/artifacts')
export class FirmwareBundleController {
  constructor(private readonly bundles: FirmwareBundleService) {}

  /** What `fleetprune firmware` renders for a tflite artifact, as a .tar.gz download. */
  @Get(':id/firmware')
  @ApiProduces('application/gzip')
  @ApiQuery({ name: 'target', enum: FIRMWARE_TARGETS })
  @ApiQuery({ name: 'profile', required: false, description: 'device profile (default esp32 / rpi-4)' })
  async firmware(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('target') target: string | undefined,
    @Query('profile') profile: string | undefined,
    @Req() request: Request,
  ): Promise<StreamableFile> {
    const bundle = await this.bundles.bundle(id, target, request.hostname || '127.0.0.1', profile);
    return new StreamableFile(bundle.bytes, {
      length: bundle.bytes.length,
      type: 'application/gzip',
      disposition: `attachment; filename="${bundle.fileName}"`,
    });
  }
}
