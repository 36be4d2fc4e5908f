import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { connect, IClientPublishOptions, ISubscriptionMap, MqttClient } from 'mqtt';
import type { Subscription } from '@fleetprune/protocol';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BrokerService } from './broker.service';

/** Receives every message on the filters it was registered with. */
export type MessageHandler = (topic: string, payload: Buffer) => void;

/** Publish options the server uses. */
export interface GatewayPublishOptions {
  qos: 0 | 1;
  retain?: boolean;
}

/**
 * What the rest of the server publishes and subscribes through: the embedded broker's
 * in-process link when the broker runs here, else an mqtt.js client of the external broker.
 */
@Injectable()
export class MqttGatewayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MQTT');
  private client: MqttClient | undefined;
  private readonly handlers: MessageHandler[] = [];
  private readonly subscriptions: Subscription[] = [];
  private markReady!: () => void;
  /** Resolves once the server can reach devices (other services' bootstrap may run first). */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly broker: BrokerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.broker.local) return this.markReady();
    const { url, username, password } = this.broker.endpoint;
    const client = connect(url, {
      username,
      password,
      clientId: serverClientId(this.config),
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    client.on('error', (error) => this.logger.warn(`gateway client: ${error.message}`));
    client.on('message', (topic, payload) => {
      for (const handler of this.handlers) this.deliver(handler, topic, payload);
    });
    client.on('connect', (connack) => {
      // A broker that lost our session (restart, clean start) needs the subscriptions again.
      if (!connack.sessionPresent && this.subscriptions.length > 0) void this.resubscribe();
    });
    this.client = client;
    // Waiting for the first CONNACK makes "server started" mean "server can reach devices".
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`MQTT broker ${url} did not accept the server within 10 s`)),
        10_000,
      );
      client.once('connect', () => {
        clearTimeout(timer);
        this.markReady();
        resolve();
      });
    });
  }

  get connected(): boolean {
    return this.broker.local ? this.broker.embeddedListening : (this.client?.connected ?? false);
  }

  /** Subscribes to `subscriptions` and passes every message on them to `handler`. */
  async subscribe(subscriptions: Subscription[], handler: MessageHandler): Promise<void> {
    const local = this.broker.local;
    if (local) {
      for (const s of subscriptions)
        await local.subscribe(s.filter, (topic, payload) => this.deliver(handler, topic, payload));
      return;
    }
    if (!this.client) throw new Error('MQTT gateway is not started');
    this.handlers.push(handler);
    this.subscriptions.push(...subscriptions);
    await this.client.subscribeAsync(subscriptionMap(subscriptions));
  }

  /** Publishes and resolves once the broker took it (QoS 1 by default). */
  async publish(
    topic: string,
    payload: string | Buffer,
    options: GatewayPublishOptions = { qos: 1 },
  ): Promise<void> {
    const local = this.broker.local;
    if (local) return local.publish(topic, Buffer.from(payload), options);
    if (!this.client) throw new Error('MQTT gateway is not started');
    await this.client.publishAsync(topic, payload, options as IClientPublishOptions);
  }

  /**
   * Clears what is retained on `topic`. The embedded broker deletes it quietly; through an
   * external broker only an empty retained publish can, and that reaches the subscribers.
   */
  async clearRetained(topic: string): Promise<void> {
    const local = this.broker.local;
    if (local) return local.clearRetained(topic);
    await this.publish(topic, Buffer.alloc(0), { qos: 1, retain: true });
  }

  /** Fire-and-forget publish for the hot path (QoS 0 chunks): no promise to wait on. */
  publishNow(topic: string, payload: Buffer, options: GatewayPublishOptions): void {
    const local = this.broker.local;
    if (local) void local.publish(topic, payload, options).catch(() => undefined);
    else this.client?.publish(topic, payload, options as IClientPublishOptions);
  }

  private deliver(handler: MessageHandler, topic: string, payload: Buffer): void {
    try {
      handler(topic, payload);
    } catch (error) {
      // A handler bug must not take the MQTT link (and every device) down with it.
      this.logger.error(`handler for ${topic}: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.client?.subscribeAsync(subscriptionMap(this.subscriptions));
    } catch (error) {
      this.logger.warn(`resubscribe failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }
}

function subscriptionMap(subscriptions: Subscription[]): ISubscriptionMap {
  return Object.fromEntries(subscriptions.map((s) => [s.filter, { qos: s.qos }]));
}

/**
 * Stable per replica (host, data directory, HTTP port) with a persistent session, so QoS 1
 * results and telemetry published while the server restarts wait in an external broker; two
 * replicas on one host differ by port (a broker drops a client whose id connects twice).
 */
function serverClientId(config: AppConfig): string {
  const port = config.port === 0 ? `pid${process.pid}-${Date.now()}` : String(config.port);
  const key = `${hostname()}:${config.dataDir}:${port}`;
  return `fleetprune-server-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}
