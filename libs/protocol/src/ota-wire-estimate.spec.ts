import { DEFAULT_CHUNK_SIZE } from './limits';
import { estimateOtaWire } from './ota-wire-estimate';

describe(estimateOtaWire.name, () => {
  const model = 100 * 1024;
  const uuid = 36;

  it('keeps the default chunk size under the 5 % overhead target for a 100 KB model and UUID ids', () => {
    const e = estimateOtaWire({ modelSize: model, chunkSize: DEFAULT_CHUNK_SIZE, deviceIdLength: uuid });
    expect(e.chunks).toBe(13);
    expect(e.overhead).toBeLessThan(0.05);
    // ... but progress reports during the download would eat the margin.
    const chatty = estimateOtaWire({
      modelSize: model,
      chunkSize: DEFAULT_CHUNK_SIZE,
      deviceIdLength: uuid,
      progressReports: 10,
    });
    expect(chatty.overhead).toBeGreaterThan(0.05);
  });

  it('shows the trade-off: smaller chunks cost more overhead', () => {
    const at = (chunkSize: number): number =>
      estimateOtaWire({ modelSize: model, chunkSize, deviceIdLength: uuid }).overhead;
    expect(at(1024)).toBeGreaterThan(at(4096));
    expect(at(4096)).toBeGreaterThan(at(8192));
    expect(at(8192)).toBeGreaterThan(at(65536));
  });

  it('counts one chunk exactly: QoS 1 request + PUBACK, QoS 0 chunk', () => {
    // 256-byte model, one chunk, device id "d" -> topics "fleetprune/v1/devices/d/<channel>".
    const e = estimateOtaWire({
      modelSize: 256,
      chunkSize: 256,
      deviceIdLength: 1,
      offerBytes: 0,
      resultBytes: 0,
      progressReports: 0,
    });
    const request = '{"v":1,"session":4294967295,"offset":0,"length":256}'.length; // 53
    const t = (channel: string): number => 'fleetprune/v1/devices/d/'.length + channel.length;
    const offer = 1 + 1 + 2 + t('ota/offer') + 2 + 4;
    const req = 1 + 1 + 2 + t('ota/request') + request; // QoS 0: no packet id, no PUBACK
    const chunk = 1 + 2 + 2 + t('ota/chunk') + 20 + 256;
    const result = 1 + 1 + 2 + t('ota/result') + 2 + 4;
    expect(e.wireBytes).toBe(offer + req + chunk + result);
  });
});
