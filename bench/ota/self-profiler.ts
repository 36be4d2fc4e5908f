// Profiles this very process (the simulated fleet) with the V8 sampling profiler, through the
// inspector protocol, so the benchmark can show where the devices' side spends its CPU too.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** start() before the deployment, stop(path) after: writes a .cpuprofile like `node --cpu-prof`. */
export class SelfProfiler {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.start');
  }

  async stop(path: string): Promise<string> {
    const { profile } = (await this.post('Profiler.stop')) as { profile: unknown };
    writeFileSync(path, JSON.stringify(profile));
    this.session.disconnect();
    return path;
  }

  private post(method: string): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  }
}
