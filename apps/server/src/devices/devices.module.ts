import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProfilesModule } from '../profiles/profiles.module';
import { DeviceTag } from './device-tag.entity';
import { Device } from './device.entity';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { LabelsController } from './labels.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Device, DeviceTag]), ProfilesModule],
  controllers: [DevicesController, LabelsController],
  providers: [DevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}
