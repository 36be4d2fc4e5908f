import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArtifactsModule } from '../artifacts/artifacts.module';
import { BrokerModule } from '../broker/broker.module';
import { DevicesModule } from '../devices/devices.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { Deployment } from './deployment.entity';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { OtaArtifactCache } from './ota-artifact-cache.service';
import { OtaEngine } from './ota-engine.service';
import { OtaSession } from './ota-session.entity';
import { ProvisioningController } from './provisioning.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Deployment, OtaSession]),
    ArtifactsModule,
    BrokerModule,
    DevicesModule,
    ProfilesModule,
  ],
  controllers: [DeploymentsController, ProvisioningController],
  providers: [DeploymentsService, OtaArtifactCache, OtaEngine],
  exports: [OtaEngine, DeploymentsService],
})
export class OtaModule {}
