import { connectAsync } from 'mqtt';
import { DeviceAccessPolicy } from './device-access-policy';
import { EmbeddedBroker } from './embedded-broker';

describe(EmbeddedBroker.name, () => {
  const policy = new DeviceAccessPolicy({
    serverUsername: 'server',
    serverPassword: 'server-secret',
    verifyDevice: async (username, password) => username === 'dev-1' && password.toString() === 'pw',
  });

  it('hands a local subscriber the retained messages published before it subscribed, then live ones', async () => {
    const broker = new EmbeddedBroker(policy);
    const port = await broker.listen(0, '127.0.0.1');
    const device = await connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'dev-1',
      username: 'dev-1',
      password: 'pw',
      reconnectPeriod: 0,
    });
    try {
      const status = 'fleetprune/v1/devices/dev-1/status';
      await device.publishAsync(status, '{"v":1,"state":"online"}', { qos: 1, retain: true });
      await device.publishAsync('fleetprune/v1/devices/dev-1/telemetry', '{"not":"retained"}', { qos: 1 });
      const seen: string[] = [];
      await broker.local.subscribe('fleetprune/v1/devices/+/#', (topic, payload) =>
        seen.push(`${topic.split('/').pop()} ${payload.toString()}`),
      );
      expect(seen).toEqual(['status {"v":1,"state":"online"}']);
      await device.publishAsync(status, '{"v":1,"state":"offline"}', { qos: 1, retain: true });
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toEqual(['status {"v":1,"state":"online"}', 'status {"v":1,"state":"offline"}']);
    } finally {
      await device.endAsync();
      await broker.close();
    }
  });
});
