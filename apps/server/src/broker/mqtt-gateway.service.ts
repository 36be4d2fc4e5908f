import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect, IClientPublishOptions, MqttClient } from 'mqtt';
import { BrokerService } from './broker.service';

/** The server's own MQTT client: what the rest of the server publishes and subscribes through. */
@Injectable()
export class MqttGatewayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MQTT');
  private client: MqttClient | undefined;

  constructor(private readonly broker: BrokerService) {}

  async onApplicationBootstrap(): Promise<void> {
    const { url, username, password } = this.broker.endpoint;
    const client = connect(url, {
      username,
      password,
      clientId: `fleetprune-server-${process.pid}-${Date.now().toString(36)}`,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    client.on('error', (error) => this.logger.warn(`gateway client: ${error.message}`));
    this.client = client;
    // Waiting for the first CONNACK makes "server started" mean "server can reach devices".
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`MQTT broker ${url} did not accept the server within 10 s`)),
        10_000,
      );
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Publishes and resolves once the broker took it (QoS 1 by default). */
  async publish(
    topic: string,
    payload: string | Buffer,
    options: IClientPublishOptions = { qos: 1 },
  ): Promise<void> {
    if (!this.client) throw new Error('MQTT gateway is not started');
    await this.client.publishAsync(topic, payload, options);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }
}
