import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrokerModule } from '../broker/broker.module';
import { Device } from '../devices/device.entity';
import { DevicesModule } from '../devices/devices.module';
import { FieldSampleStore } from './field-sample-store';
import { FieldSampleRow } from './field-sample.entity';
import { FieldSamplesController } from './field-samples.controller';
import { FieldSamplesIngestService } from './field-samples-ingest.service';
import { FieldSamplesService } from './field-samples.service';

/** Field samples: ingest from the `samples` channel, the HTTP API, and the dataset for re-pruning. */
@Module({
  imports: [TypeOrmModule.forFeature([FieldSampleRow, Device]), BrokerModule, DevicesModule],
  controllers: [FieldSamplesController],
  providers: [FieldSampleStore, FieldSamplesIngestService, FieldSamplesService],
  exports: [FieldSamplesService],
})
export class FieldSamplesModule {}
