import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrokerModule } from '../broker/broker.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { Artifact } from './artifact.entity';
import { ArtifactsController } from './artifacts.controller';
import { ArtifactsService } from './artifacts.service';
import { FirmwareBundleController } from './firmware-bundle.controller';
import { FirmwareBundleService } from './firmware-bundle.service';
import { SigningKeyService } from './signing-key.service';

@Module({
  imports: [TypeOrmModule.forFeature([Artifact]), BrokerModule, ProfilesModule],
  controllers: [ArtifactsController, FirmwareBundleController],
  providers: [ArtifactsService, SigningKeyService, FirmwareBundleService],
  exports: [ArtifactsService, SigningKeyService],
})
export class ArtifactsModule {}
