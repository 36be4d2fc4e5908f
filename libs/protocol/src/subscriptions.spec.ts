import { deviceSubscriptions, serverFilter, serverSubscriptions } from './subscriptions';
import { mayDeviceSubscribe } from './topics';

describe(serverFilter.name, () => {
  it('builds the plain and the MQTT 5 shared filter', () => {
    expect(serverFilter('telemetry')).toBe('fleetprune/v1/devices/+/telemetry');
    expect(serverFilter('telemetry', { sharedGroup: 'servers' })).toBe(
      '$share/servers/fleetprune/v1/devices/+/telemetry',
    );
  });

  it.each(['', 'a/b', 'g+', 'g#', 'x'.repeat(65)])('refuses the shared group %j', (group) => {
    expect(() => serverFilter('telemetry', { sharedGroup: group })).toThrow(/shared group/);
  });

  it('shares every device-to-server channel but status, which is retained', () => {
    const subs = serverSubscriptions({ sharedGroup: 'g' });
    expect(subs.map((s) => s.filter)).toEqual([
      'fleetprune/v1/devices/+/status',
      '$share/g/fleetprune/v1/devices/+/ota/request',
      '$share/g/fleetprune/v1/devices/+/ota/progress',
      '$share/g/fleetprune/v1/devices/+/ota/result',
      '$share/g/fleetprune/v1/devices/+/telemetry',
      '$share/g/fleetprune/v1/devices/+/samples',
    ]);
    expect(serverSubscriptions().every((s) => !s.filter.startsWith('$share'))).toBe(true);
  });
});

describe(deviceSubscriptions.name, () => {
  it('subscribes a device to its server-to-device channels only, all inside its ACL', () => {
    const subs = deviceSubscriptions('esp-9');
    expect(subs).toEqual([
      { filter: 'fleetprune/v1/devices/esp-9/ota/offer', qos: 1 },
      { filter: 'fleetprune/v1/devices/esp-9/ota/chunk', qos: 0 },
      { filter: 'fleetprune/v1/devices/esp-9/cmd', qos: 1 },
    ]);
    expect(subs.every((s) => mayDeviceSubscribe('esp-9', s.filter))).toBe(true);
  });
});
