import { DeviceCommand } from '@fleetprune/protocol';

/** What the command handler drives on its agent. */
export interface CommandTarget {
  publishStatus(): void;
  cancelOta(session: number): void;
  rollback(): void;
  setTelemetryInterval(ms: number): void;
  uploadSamples(max: number, misclassifiedOnly: boolean): void;
}

/** Remembered command ids, so a QoS 1 redelivery is not executed twice. */
const REMEMBERED_IDS = 64;

/** Executes `cmd` messages (docs/protocol.md, `cmd` table), each id once. */
export class DeviceCommandHandler {
  private readonly seen = new Set<string>();

  constructor(private readonly target: CommandTarget) {}

  /** Runs `command` unless its id was already handled; false for a duplicate. */
  handle(command: DeviceCommand): boolean {
    if (this.seen.has(command.id)) return false;
    this.seen.add(command.id);
    if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value as string);
    switch (command.type) {
      case 'report-status':
        this.target.publishStatus();
        break;
      case 'cancel-ota':
        this.target.cancelOta(command.session);
        break;
      case 'rollback':
        this.target.rollback();
        break;
      case 'set-telemetry':
        this.target.setTelemetryInterval(command.intervalS * 1000);
        break;
      case 'upload-samples':
        this.target.uploadSamples(command.max, command.misclassifiedOnly);
        break;
    }
    return true;
  }
}
