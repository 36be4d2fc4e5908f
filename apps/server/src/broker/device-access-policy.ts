import { mayDevicePublish, mayDeviceSubscribe } from '@fleetprune/protocol';

/** Who is on the other end of an MQTT connection. */
export type MqttPrincipal = { kind: 'server' } | { kind: 'device'; deviceId: string };

export interface AccessPolicyOptions {
  /** Credentials of the server's own clients (gateway, workers); full access. */
  serverUsername: string;
  serverPassword: string;
  /** Checks a device's credentials; resolves false for unknown, wrong or retired. */
  verifyDevice: (username: string, password: Buffer) => Promise<boolean>;
}

/**
 * The broker's authentication and ACL, independent of the broker: the embedded aedes broker
 * calls it directly, an external broker reaches it through the HTTP auth hook.
 */
export class DeviceAccessPolicy {
  constructor(private readonly options: AccessPolicyOptions) {}

  /**
   * A device must connect with its id as both username and client id, so a leaked client id
   * cannot take over another device's session.
   */
  async authenticate(
    clientId: string,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<MqttPrincipal | undefined> {
    if (username === undefined || password === undefined) return undefined;
    if (username === this.options.serverUsername) {
      return password.toString() === this.options.serverPassword ? { kind: 'server' } : undefined;
    }
    if (clientId !== username) return undefined;
    return (await this.options.verifyDevice(username, password))
      ? { kind: 'device', deviceId: username }
      : undefined;
  }

  /**
   * The principal behind an already-authenticated username (external brokers ask about
   * topics by username only, after their own CONNECT check went through `authenticate`).
   */
  principalOf(username: string): MqttPrincipal {
    return username === this.options.serverUsername
      ? { kind: 'server' }
      : { kind: 'device', deviceId: username };
  }

  /** Whether this principal may publish to `topic`. */
  mayPublish(principal: MqttPrincipal, topic: string): boolean {
    return principal.kind === 'server' || mayDevicePublish(principal.deviceId, topic);
  }

  /** Whether this principal may subscribe to `filter`. */
  maySubscribe(principal: MqttPrincipal, filter: string): boolean {
    return principal.kind === 'server' || mayDeviceSubscribe(principal.deviceId, filter);
  }
}
