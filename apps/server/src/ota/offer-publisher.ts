import { randomUUID } from 'node:crypto';
import { channelTopic, encodeDeviceCommand, encodeOtaOffer } from '@fleetprune/protocol';
import type { MqttGatewayService } from '../broker/mqtt-gateway.service';
import type { LiveSession } from './live-session';

/** What the OTA engine sends devices: retained offers, their withdrawal, and cancel commands. */
export class OfferPublisher {
  /** Sessions a device was already told to cancel ("deviceId:session"). */
  private readonly told = new Set<string>();

  constructor(private readonly gateway: MqttGatewayService) {}

  /** Publishes (retained) the offer of a live session. */
  offer(live: LiveSession): Promise<void> {
    const { artifact, deployment, row } = live;
    const payload = encodeOtaOffer({
      v: 1,
      deploymentId: deployment.id,
      session: row.session,
      artifactId: artifact.id,
      modelVersion: artifact.modelVersion,
      size: artifact.bytes.length,
      sha256: artifact.sha256,
      signature: artifact.signature,
      signatureAlg: artifact.signatureAlg,
      chunkSize: deployment.chunkSize,
      arenaBytes: live.arenaBytes,
      ops: artifact.ops,
    });
    return this.gateway.publish(channelTopic(row.deviceId, 'ota/offer'), payload, { qos: 1, retain: true });
  }

  /**
   * A zero-length retained publish clears the offer, so a reconnecting device is not offered it
   * again, and tells a device still downloading it to stop.
   */
  withdraw(deviceId: string): Promise<void> {
    return this.gateway.publish(channelTopic(deviceId, 'ota/offer'), Buffer.alloc(0), {
      qos: 1,
      retain: true,
    });
  }

  /** Clears the offer of a session the device ended itself (its result): it need not hear of it. */
  retire(deviceId: string): Promise<void> {
    return this.gateway.clearRetained(channelTopic(deviceId, 'ota/offer'));
  }

  /** Tells a device to abandon `session` (once per session; repeats are dropped). */
  async cancel(deviceId: string, session: number): Promise<void> {
    const key = `${deviceId}:${session}`;
    if (this.told.has(key)) return;
    if (this.told.size > 10_000) this.told.clear();
    this.told.add(key);
    await this.gateway.publish(
      channelTopic(deviceId, 'cmd'),
      encodeDeviceCommand({ v: 1, id: randomUUID(), type: 'cancel-ota', session }),
    );
  }
}
