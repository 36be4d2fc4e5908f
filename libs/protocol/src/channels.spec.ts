import { CHANNELS, CHANNEL_NAMES, channelTopic, parseDeviceTopic } from './channels';

describe(parseDeviceTopic.name, () => {
  it.each(CHANNEL_NAMES.map((c) => [c]))('round-trips the %s topic of a device', (channel) => {
    expect(parseDeviceTopic(channelTopic('esp-1', channel))).toEqual({ deviceId: 'esp-1', channel });
  });

  it.each([
    ['fleetprune/v1/devices/esp-1/unknown'],
    ['fleetprune/v1/devices/esp-1/ota'],
    ['fleetprune/v1/devices/esp-1/status/extra'],
    ['fleetprune/v1/devices/esp-1'],
    ['fleetprune/v2/devices/esp-1/status'],
    ['fleetprune/v1/devices/+/status'],
  ])('refuses %s', (topic) => {
    expect(parseDeviceTopic(topic)).toBeUndefined();
  });

  it('retains exactly status and offer, and sends the pull loop (requests, chunks) and progress at QoS 0', () => {
    const retained = CHANNEL_NAMES.filter((c) => CHANNELS[c].retained);
    expect(retained).toEqual(['status', 'ota/offer']);
    expect(CHANNEL_NAMES.filter((c) => CHANNELS[c].qos === 0)).toEqual([
      'ota/request',
      'ota/chunk',
      'ota/progress',
    ]);
  });
});
