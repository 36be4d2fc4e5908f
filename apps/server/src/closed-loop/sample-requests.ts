import { randomUUID } from 'node:crypto';
import { channelTopic, encodeDeviceCommand } from '@fleetprune/protocol';
import { EntityManager } from 'typeorm';
import { MqttGatewayService } from '../broker/mqtt-gateway.service';
import { Device } from '../devices/device.entity';

/**
 * Asks every device of `profile` running `artifactId` to upload up to `max` of its recent
 * labelled inputs; answers how many were asked. A device keeps only its latest few inputs,
 * so the closed loop asks again on each tick of its sampling period to collect more.
 */
export async function requestFieldSamples(
  em: EntityManager,
  gateway: MqttGatewayService,
  profile: string,
  artifactId: string,
  max: number,
): Promise<number> {
  const devices = await em.find(Device, {
    where: { profile, activeArtifactId: artifactId },
    select: { id: true },
  });
  for (const { id } of devices)
    await gateway.publish(
      channelTopic(id, 'cmd'),
      encodeDeviceCommand({ v: 1, id: randomUUID(), type: 'upload-samples', max, misclassifiedOnly: false }),
      { qos: 1 },
    );
  return devices.length;
}
