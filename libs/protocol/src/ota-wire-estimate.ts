import { CHANNELS, Channel } from './channels';
import { CHUNK_HEADER_SIZE } from './limits';
import { encodeOtaChunkRequest } from './messages/ota-request';
import { PROTOCOL_VERSION } from './topics';

export interface OtaWireOptions {
  modelSize: number;
  chunkSize: number;
  /** Length of the device id in the topics (a UUID is 36). */
  deviceIdLength: number;
  /** Bytes of the offer and result payloads (typical values by default). */
  offerBytes?: number;
  resultBytes?: number;
  /**
   * ota/progress messages per download (QoS 0). Default 3, one per phase after the download:
   * the server derives download progress from the offsets the device requests.
   */
  progressReports?: number;
}

/** Bytes the OTA exchange puts on a device's link, split by purpose. */
export interface OtaWireEstimate {
  modelBytes: number;
  chunks: number;
  /** All MQTT 3.1.1 packet bytes of the exchange on the device <-> broker link. */
  wireBytes: number;
  /** (wireBytes - modelBytes) / modelBytes. */
  overhead: number;
}

/** MQTT remaining-length field size ([MQTT-2.2.3]: 7 bits per byte). */
function varintBytes(n: number): number {
  return n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : 4;
}

/** Size of one MQTT 3.1.1 PUBLISH packet, plus the PUBACK a QoS 1 publish costs on the same link. */
function publishBytes(topicLength: number, payload: number, channel: Channel): number {
  const qos = CHANNELS[channel].qos;
  const remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + payload;
  return 1 + varintBytes(remaining) + remaining + (qos > 0 ? 4 : 0);
}

/**
 * What one download costs on the wire, computed from the packet formats (MQTT 3.1.1, no
 * TLS, no TCP/IP headers), so benchmarks can compare measurements with the design and
 * operators can pick a chunk size. Uses the real request encoder for request sizes.
 */
export function estimateOtaWire(options: OtaWireOptions): OtaWireEstimate {
  const { modelSize, chunkSize, deviceIdLength } = options;
  const prefix = `fleetprune/v${PROTOCOL_VERSION}/devices/`.length + deviceIdLength + 1;
  const topic = (channel: Channel): number => prefix + channel.length;
  const chunks = Math.ceil(modelSize / chunkSize);
  let wire = publishBytes(topic('ota/offer'), options.offerBytes ?? 420, 'ota/offer');
  for (let i = 0; i < chunks; i++) {
    const offset = i * chunkSize;
    const length = Math.min(chunkSize, modelSize - offset);
    const request = encodeOtaChunkRequest({
      v: PROTOCOL_VERSION,
      session: 0xffffffff,
      offset,
      length,
    }).length;
    wire += publishBytes(topic('ota/request'), request, 'ota/request');
    wire += publishBytes(topic('ota/chunk'), CHUNK_HEADER_SIZE + length, 'ota/chunk');
  }
  wire += (options.progressReports ?? 3) * publishBytes(topic('ota/progress'), 80, 'ota/progress');
  wire += publishBytes(topic('ota/result'), options.resultBytes ?? 160, 'ota/result');
  return { modelBytes: modelSize, chunks, wireBytes: wire, overhead: (wire - modelSize) / modelSize };
}
