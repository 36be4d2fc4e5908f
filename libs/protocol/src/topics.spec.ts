import { deviceIdOfTopic, deviceTopic, mayDevicePublish, mayDeviceSubscribe } from './topics';

describe('topics', () => {
  const me = 'dev-a';
  it.each([
    [deviceTopic(me, 'status'), true],
    [deviceTopic(me, 'ota/chunk-request'), true],
    [deviceTopic('dev-b', 'status'), false],
    ['fleetprune/v1/devices/dev-ab/status', false],
    ['fleetprune/v1/devices/dev-a', false],
    ['fleetprune/v1/devices/dev-a/+/x', false],
    ['other/topic', false],
  ])('publish to %s allowed: %s', (topic, allowed) => {
    expect(mayDevicePublish(me, topic)).toBe(allowed);
  });

  it.each([
    ['fleetprune/v1/devices/dev-a/#', true],
    ['fleetprune/v1/devices/dev-a/ota/+', true],
    ['fleetprune/v1/devices/+/ota', false],
    ['fleetprune/v1/devices/#', false],
    ['#', false],
    ['$share/g/fleetprune/v1/devices/dev-a/#', false],
    ['fleetprune/v1/devices/dev-a#', false],
  ])('subscribe to %s allowed: %s', (filter, allowed) => {
    expect(mayDeviceSubscribe(me, filter)).toBe(allowed);
  });

  it('finds the device of a topic', () => {
    expect(deviceIdOfTopic(deviceTopic('x_1', 'telemetry'))).toBe('x_1');
    expect(deviceIdOfTopic('fleetprune/v1/other/x')).toBeUndefined();
  });

  it('rejects device ids that would break the topic tree', () => {
    expect(() => deviceTopic('a/b', 'status')).toThrow(/invalid device id/);
    expect(() => deviceTopic('+', 'status')).toThrow(/invalid device id/);
  });
});
