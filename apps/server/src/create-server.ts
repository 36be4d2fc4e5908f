import { mkdirSync } from 'node:fs';
import { ConsoleLogger, INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { selectBackend } from '@fleetprune/tfjs-runtime';
import { AppModule } from './app.module';
import { resolveAdminToken } from './auth/admin-token';
import { BrokerService } from './broker/broker.service';
import { AppConfig } from './config/app-config';

export interface RunningServer {
  app: INestApplication;
  httpUrl: string;
  mqttUrl: string;
  token: string;
  tokenGenerated: boolean;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Boots the whole server for a validated config: database, broker, HTTP API and docs. */
export async function createServer(config: AppConfig): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const { token, generated } = resolveAdminToken(config.dataDir, config.adminToken);
  const logger = new ConsoleLogger('fleetprune', {
    json: config.logFormat === 'json',
    logLevels: LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1),
  });
  const backend = await selectBackend({ log: (line) => logger.log(line, 'TensorFlow.js') });
  logger.log(`TensorFlow.js backend: ${backend.name}`, 'TensorFlow.js');

  const app = await NestFactory.create(AppModule.forRoot(config, token), { logger, bufferLogs: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('fleetprune')
      .setDescription('Prune, quantize and ship neural networks to device fleets')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  await app.listen(config.port, config.host);

  const address = app.getHttpServer().address() as { port: number };
  const broker = app.get(BrokerService);
  return {
    app,
    httpUrl: `http://127.0.0.1:${address.port}`,
    mqttUrl: broker.endpoint.embedded ? `mqtt://127.0.0.1:${broker.embeddedPort}` : broker.endpoint.url,
    token,
    tokenGenerated: generated,
  };
}
