import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from './helpers';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..');

/**
 * The README's first command: `npm start` builds (npm test's pretest has just done that) and
 * then runs the script's own command line. Run that command as a user would and check the
 * banner it prints and the dashboard and API it serves.
 */
describe('npm start', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
  });

  it('starts the server with the dashboard, the API and the embedded broker', async () => {
    const start = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
    ).scripts.start;
    const [command, ...args] = start.split(' ');
    expect(command).toBe('node');
    child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        MQTT_PORT: '0',
        HOST: '127.0.0.1',
        MQTT_HOST: '127.0.0.1',
        DATA_DIR: tempDataDir(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 45 s:\n${output}`)), 45_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/operator token[^\n]*\n\s+\S+/.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      };
      child?.stdout?.on('data', onData);
      child?.stderr?.on('data', onData);
      child?.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    const dashboard = /dashboard\s+(http:\/\/\S+)\//.exec(banner)?.[1];
    expect(banner).toMatch(/MQTT broker\s+mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(dashboard).toBeDefined();
    const page = await fetch(`${dashboard}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    expect((await fetch(`${dashboard}/health`)).status).toBe(200);
    expect((await fetch(`${dashboard}/api/devices`)).status).toBe(401);
  });
});
