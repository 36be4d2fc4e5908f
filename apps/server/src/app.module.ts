import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ArtifactsModule } from './artifacts/artifacts.module';
import { OPERATOR_TOKEN, OperatorTokenGuard } from './auth/operator-token.guard';
import { BrokerModule } from './broker/broker.module';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { databaseOptions } from './database/database-options';
import { serializeTransactions } from './database/serialized-transactions';
import { DevicesModule } from './devices/devices.module';
import { HttpErrorFilter } from './errors/http-error.filter';
import { HealthController } from './health/health.controller';
import { ModelsModule } from './models/models.module';
import { OtaModule } from './ota/ota.module';
import { TelemetryModule } from './telemetry/telemetry.module';
import { FieldSamplesModule } from './field-samples/field-samples.module';
import { EventsModule } from './events/events.module';
import { RolloutsModule } from './rollouts/rollouts.module';
import { ClosedLoopModule } from './closed-loop/closed-loop.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { ProfilesModule } from './profiles/profiles.module';
import { PruningJobsModule } from './pruning-jobs/pruning-jobs.module';

/** Makes the validated config and the operator token injectable everywhere. */
@Global()
@Module({})
class CoreModule {
  static forRoot(config: AppConfig, operatorToken: string): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ app: config })] }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: OPERATOR_TOKEN, useValue: operatorToken },
      ],
      exports: [APP_CONFIG, OPERATOR_TOKEN],
    };
  }
}

@Module({})
export class AppModule {
  /** The whole server for one validated configuration. */
  static forRoot(config: AppConfig, operatorToken: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, operatorToken),
        TypeOrmModule.forRootAsync({
          useFactory: () => databaseOptions(config),
          dataSourceFactory: async (options) =>
            serializeTransactions(await new DataSource(options!).initialize()),
        }),
        ProfilesModule,
        DevicesModule,
        ArtifactsModule,
        ModelsModule,
        BrokerModule,
        PruningJobsModule,
        OtaModule,
        TelemetryModule,
        FieldSamplesModule,
        EventsModule,
        RolloutsModule,
        ClosedLoopModule,
        DashboardModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: OperatorTokenGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
