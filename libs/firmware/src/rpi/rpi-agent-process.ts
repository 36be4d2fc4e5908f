import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How to start a rendered agent folder; merged over `DEFAULT_RPI_AGENT_START`. */
export interface RpiAgentStartOptions {
  /** Interpreter with paho-mqtt and cryptography (Debian's, where python3-pyarmnn lives). */
  python: string;
  /** Top-level config.json keys replaced before the start (e.g. `mqtt_url`, `intervals`). */
  configOverrides: Record<string, unknown>;
  /** Grace period after SIGTERM before stop() sends SIGKILL. */
  stopTimeoutMs: number;
}

export const DEFAULT_RPI_AGENT_START: Readonly<RpiAgentStartOptions> = Object.freeze({
  python: '/usr/bin/python3',
  configOverrides: {},
  stopTimeoutMs: 10_000,
});

/**
 * The Python agent of a rendered folder as a child process, for specs and local trials:
 * `python3 -m fleetprune_agent --config <dir>/config.json`, output kept, stopped by its PID.
 */
export class RpiAgentProcess {
  private output = '';
  /** Resolves with the exit code, or null when a signal ended the process. */
  readonly exited: Promise<number | null>;

  private constructor(
    readonly dir: string,
    private readonly child: ChildProcess,
    private readonly options: RpiAgentStartOptions,
  ) {
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  }

  /** Applies the config overrides to `<dir>/config.json` and starts the agent. */
  static start(dir: string, opts: Partial<RpiAgentStartOptions> = {}): RpiAgentProcess {
    const o: RpiAgentStartOptions = { ...DEFAULT_RPI_AGENT_START, ...opts };
    const configPath = join(dir, 'config.json');
    if (Object.keys(o.configOverrides).length > 0) {
      const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
      writeFileSync(configPath, `${JSON.stringify({ ...config, ...o.configOverrides }, null, 2)}\n`);
    }
    const child = spawn(o.python, ['-m', 'fleetprune_agent', '--config', configPath], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new RpiAgentProcess(dir, child, o);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the agent wrote to stdout and stderr so far. */
  log(): string {
    return this.output;
  }

  /** Sends `signal` to this process only and waits for the exit; SIGKILL after the grace period. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.options.stopTimeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
