import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DevicesModule } from '../devices/devices.module';
import { EventsModule } from '../events/events.module';
import { Deployment } from '../ota/deployment.entity';
import { OtaModule } from '../ota/ota.module';
import { OtaSession } from '../ota/ota-session.entity';
import { Rollout } from './rollout.entity';
import { RolloutsController } from './rollouts.controller';
import { RolloutsService } from './rollouts.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Rollout, Deployment, OtaSession]),
    OtaModule,
    DevicesModule,
    EventsModule,
  ],
  controllers: [RolloutsController],
  providers: [RolloutsService],
  exports: [RolloutsService],
})
export class RolloutsModule {}
