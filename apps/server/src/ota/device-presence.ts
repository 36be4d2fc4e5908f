import type { StatusMessage } from '@fleetprune/protocol';
import { Subject } from 'rxjs';
import type { DevicesService } from '../devices/devices.service';

/**
 * Which devices are online and what they run, as their retained `status` says. The database
 * is written only when something changed, so a thousand devices republishing an unchanged
 * status cost nothing.
 */
export class DevicePresence {
  private readonly online = new Set<string>();
  private readonly running = new Map<string, string>();
  /** The id of a device that came online, went offline or activated another model (live views). */
  readonly changes$ = new Subject<string>();

  /**
   * @param writePresence false with the embedded broker, whose connect and disconnect hooks
   *   already record presence (writing it here too would cost a second update per device).
   */
  constructor(
    private readonly devices: DevicesService,
    private readonly background: (work: Promise<unknown>) => void,
    private readonly writePresence: boolean,
  ) {}

  isOnline(deviceId: string): boolean {
    return this.online.has(deviceId);
  }

  /** Applies a status message; returns whether the device just came online. */
  update(deviceId: string, status: StatusMessage): boolean {
    const wasOnline = this.online.has(deviceId);
    if (status.state === 'offline') {
      this.online.delete(deviceId);
      if (wasOnline && this.writePresence) this.background(this.devices.markPresence(deviceId, 'offline'));
      if (wasOnline) this.changes$.next(deviceId);
      return false;
    }
    this.online.add(deviceId);
    if (!wasOnline && this.writePresence) this.background(this.devices.markPresence(deviceId, 'online'));
    if (status.activeArtifactId)
      this.recordActive(deviceId, status.activeArtifactId, status.activeModelVersion ?? null);
    if (!wasOnline) this.changes$.next(deviceId);
    return !wasOnline;
  }

  /** Records the model a device runs (from its status or an OTA result). */
  recordActive(deviceId: string, artifactId: string, modelVersion: string | null): void {
    if (this.running.get(deviceId) === artifactId) return;
    this.running.set(deviceId, artifactId);
    this.background(
      this.devices
        .recordActiveModel(deviceId, artifactId, modelVersion)
        .then(() => this.changes$.next(deviceId)),
    );
  }
}
