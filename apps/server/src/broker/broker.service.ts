import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DevicesService } from '../devices/devices.service';
import { DeviceAccessPolicy } from './device-access-policy';
import { EmbeddedBroker, LocalBrokerLink } from './embedded-broker';

/** Where the server's own MQTT clients connect, with which credentials. */
export interface BrokerEndpoint {
  url: string;
  username: string | undefined;
  password: string | undefined;
  embedded: boolean;
}

const SERVER_USERNAME = 'fleetprune-server';

/** Runs the embedded aedes broker unless MQTT_URL names an external one. */
@Injectable()
export class BrokerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MQTT');
  private broker: EmbeddedBroker | undefined;
  private revocations: Subscription | undefined;
  readonly policy: DeviceAccessPolicy;
  private readonly serverPassword = randomBytes(24).toString('base64url');
  endpoint!: BrokerEndpoint;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly devices: DevicesService,
  ) {
    this.policy = new DeviceAccessPolicy({
      serverUsername: config.mqttUrl ? (config.mqttUsername ?? SERVER_USERNAME) : SERVER_USERNAME,
      serverPassword: config.mqttUrl ? (config.mqttPassword ?? '') : this.serverPassword,
      verifyDevice: async (username, password) =>
        (await devices.authenticate(username, password)) !== undefined,
    });
  }

  async onModuleInit(): Promise<void> {
    if (this.config.mqttUrl) {
      this.endpoint = {
        url: this.config.mqttUrl,
        username: this.config.mqttUsername,
        password: this.config.mqttPassword,
        embedded: false,
      };
      this.logger.log(`using external MQTT broker ${redact(this.config.mqttUrl)}`);
      return;
    }
    const broker = new EmbeddedBroker(this.policy, {
      onDeviceConnected: (id) =>
        void this.devices.markPresence(id, 'online').catch((e) => this.logger.error(e)),
      onDeviceDisconnected: (id) =>
        void this.devices.markPresence(id, 'offline').catch((e) => this.logger.error(e)),
      onDenied: (what) => this.logger.warn(what),
    });
    const port = await broker.listen(this.config.mqttPort, this.config.mqttHost);
    this.broker = broker;
    this.revocations = this.devices.revoked$.subscribe((id) => broker.disconnect(id));
    this.endpoint = {
      url: `mqtt://127.0.0.1:${port}`,
      username: SERVER_USERNAME,
      password: this.serverPassword,
      embedded: true,
    };
    this.logger.log(`embedded MQTT broker (aedes) listening on mqtt://${this.config.mqttHost}:${port}`);
  }

  /** In-process link to the embedded broker, or undefined with an external broker. */
  get local(): LocalBrokerLink | undefined {
    return this.broker?.local;
  }

  /** Bound port of the embedded broker, or undefined with an external broker. */
  get embeddedPort(): number | undefined {
    return this.broker ? Number(new URL(this.endpoint.url).port) : undefined;
  }

  /**
   * The broker address devices are given: MQTT_PUBLIC_URL, else the embedded broker on the
   * host the caller reached us by, else the external broker as configured.
   */
  publicMqttUrl(host: string): string {
    if (this.config.mqttPublicUrl) return this.config.mqttPublicUrl;
    if (!this.endpoint.embedded) return this.endpoint.url;
    const name = host || '127.0.0.1';
    return `mqtt://${name.includes(':') ? `[${name}]` : name}:${this.embeddedPort}`;
  }

  get deniedCount(): number {
    return this.broker?.deniedCount ?? 0;
  }

  get embeddedListening(): boolean {
    return this.broker?.listening ?? false;
  }

  async onApplicationShutdown(): Promise<void> {
    this.revocations?.unsubscribe();
    await this.broker?.close();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
