import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { BrokerService } from '../broker/broker.service';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';

interface HealthReport {
  status: 'ok' | 'degraded';
  database: { up: boolean; type: string };
  broker: { up: boolean; embedded: boolean; gatewayConnected: boolean; deniedAccess: number };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerService,
    private readonly gateway: MqttGatewayService,
  ) {}

  /** 200 when the database answers and the server's MQTT client is connected, else 503. */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    let databaseUp = false;
    try {
      await this.dataSource.query('SELECT 1');
      databaseUp = true;
    } catch {
      databaseUp = false;
    }
    const embedded = this.broker.endpoint.embedded;
    const brokerUp = this.gateway.connected && (!embedded || this.broker.embeddedListening);
    const report: HealthReport = {
      status: databaseUp && brokerUp ? 'ok' : 'degraded',
      database: { up: databaseUp, type: this.dataSource.options.type },
      broker: {
        up: brokerUp,
        embedded,
        gatewayConnected: this.gateway.connected,
        deniedAccess: this.broker.deniedCount,
      },
    };
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
