import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RolloutsService } from '../rollouts/rollouts.service';
import { DriftMonitor } from './drift-monitor.service';
import { RemediationRunner } from './remediation-runner.service';

/**
 * The clock of the closed loop: every CLOSED_LOOP_TICK_S it advances rollouts, then open
 * remediations, then checks the drift policies. Runs only on the replica with the OTA
 * engine, so exactly one server takes these decisions.
 */
@Injectable()
export class ClosedLoopService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClosedLoop');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rollouts: RolloutsService,
    private readonly remediations: RemediationRunner,
    private readonly monitor: DriftMonitor,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.otaEngine) return;
    this.timer = setInterval(() => void this.tick(), this.config.closedLoopTickMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; a pass still running makes this one a no-op. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const [name, step] of [
      ['rollouts', () => this.rollouts.step()],
      ['remediations', () => this.remediations.advanceAll()],
      ['drift policies', () => this.monitor.checkAll()],
    ] as const) {
      try {
        await step();
      } catch (error) {
        this.logger.error(
          `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  }
}
