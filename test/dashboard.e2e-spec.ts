import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { DeviceAgent, SampleSource } from '@fleetprune/devices';
import { serializeLayersModel } from '@fleetprune/tfjs-runtime';
import type { RunningServer } from '../apps/server/src/create-server';
import { api, eventually, registerAgent, smallCnn, startServer, tempDataDir } from './helpers';
import { trainRpiModels } from './support/firmware/rpi-models';

jest.setTimeout(90_000);

const SHOTS = join(__dirname, '..', 'test-artifacts', 'dashboard');
const DEVICES = 3;
const MODEL_VERSION = 'dash-fmnist-1';
const NEXT_VERSION = 'dash-fmnist-2';

/**
 * The operators' dashboard in headless Chromium (Debian's) against the real server: SQLite,
 * the embedded broker, simulated Raspberry Pi agents running a model trained here, and the
 * live stream. Every wait is bounded by Playwright's own timeouts.
 */
/** How long a rollout step may take before the test gives up (Playwright's waits are 20 s too). */
const ROLLOUT_MS = 20_000;

describe('dashboard (headless Chromium, real server and simulated devices)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const agents: { id: string; name: string; agent: DeviceAgent }[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer(tempDataDir(), { CLOSED_LOOP_TICK_S: '0.5', TELEMETRY_BUCKET_S: '1' });
    const call = api(server);
    const { trained, perChannel } = await trainRpiModels();
    for (const [model, version] of [
      [trained, MODEL_VERSION],
      [perChannel, NEXT_VERSION],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(model.tflite)]), `${version}.tflite`);
      form.append('modelVersion', version);
      const uploaded = await call('POST', '/api/artifacts', form);
      expect(uploaded.status).toBe(201);
    }
    const samples = SampleSource.fromDataset('fashion-mnist', { shuffleSeed: 3 });
    for (let i = 0; i < DEVICES; i++) {
      const name = `greenhouse-pi-${i + 1}`;
      const { id, agent } = await registerAgent(
        server,
        { name, group: 'greenhouse' },
        { samples, sampleOffset: i * 500, inferenceIntervalMs: 20, telemetryIntervalMs: 400 },
      );
      agents.push({ id, name, agent });
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(agents.map(({ agent }) => agent.stop()));
    await server?.app.close();
  });

  it('serves the built app at / and client routes, keeps API paths JSON, and guards the stream', async () => {
    const index = await fetch(`${server.httpUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<div id="app">');
    const script = await fetch(`${server.httpUrl}/app.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('no-cache');
    const route = await fetch(`${server.httpUrl}/devices/${agents[0].id}`);
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${server.httpUrl}/missing.js`)).status).toBe(404);
    const unknownApi = await fetch(`${server.httpUrl}/api/no-such-thing`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${server.httpUrl}/health`)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${server.httpUrl}/api/stream`)).status).toBe(401);

    const controller = new AbortController();
    const stream = await fetch(`${server.httpUrl}/api/stream`, {
      headers: { authorization: `Bearer ${server.token}` },
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    const received = readText(reader);
    await received.until((text) => text.includes('event: ready'));
    // A write through the API (as the CLI would make) reaches open dashboards, naming the device.
    await api(server)('PATCH', `/api/devices/${agents[0].id}`, { group: 'greenhouse' });
    const text = await received.until((t) => t.includes('"topic":"devices"'));
    expect(text).toContain(`data: {"topic":"devices","ids":["${agents[0].id}"]}`);
    controller.abort();
  });

  it('refuses a wrong token with a clear error, then logs in through the Token field', async () => {
    await page.goto(server.httpUrl);
    await page.getByLabel('Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'token was refused' }).waitFor();
    await page.getByLabel('Token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await page.getByText('● live').waitFor();
  });

  it('shows every device with its name and profile, and sees them come online live', async () => {
    for (const { name } of agents) await page.getByRole('link', { name }).waitFor();
    const rows = page.locator('tr[data-device-id]');
    expect(await rows.count()).toBe(DEVICES);
    for (const { id } of agents) {
      const row = page.locator(`tr[data-device-id="${id}"]`);
      expect(await row.locator('td').nth(1).textContent()).toBe('rpi-4');
    }
    await expect(countOf(page, 'count-online')).resolves.toBe('0');
    await page.screenshot({ path: join(SHOTS, '01-fleet-provisioned.png') });

    // Agents start only now: the page must learn it from the stream, with no reload.
    const before = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    await Promise.all(agents.map(({ agent }) => agent.start()));
    await page
      .locator('tr[data-status="online"]')
      .nth(DEVICES - 1)
      .waitFor();
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="count-online"] .value')?.textContent === String(n),
      DEVICES,
    );
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(before);
    await page.screenshot({ path: join(SHOTS, '02-fleet-online.png') });

    // Filters go to the server; the counts stay those of the whole fleet.
    await page.getByLabel('Status').selectOption('offline');
    await page.getByText('No devices match.').waitFor();
    await page.getByLabel('Status').selectOption('online');
    await page
      .locator('tr[data-device-id]')
      .nth(DEVICES - 1)
      .waitFor();
    await page.getByLabel('Name').fill('pi-2');
    expect(await page.locator('tr[data-device-id]').count()).toBe(1);
    await page.getByLabel('Name').fill('');
    await page.getByLabel('Status').selectOption('');
    await expect(countOf(page, 'count-devices')).resolves.toBe(String(DEVICES));
  });

  it('takes the token from a ?token= link and removes it from the address bar', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await other.goto(`${server.httpUrl}/?token=${encodeURIComponent(server.token)}`);
      await other.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor({ timeout: 20_000 });
      expect(other.url()).toBe(`${server.httpUrl}/`);
      expect(await other.evaluate(() => sessionStorage.getItem('fleetprune.token'))).toBe(server.token);
      await other.getByRole('link', { name: agents[0].name }).waitFor({ timeout: 20_000 });
    } finally {
      await other.close();
    }
  });

  it('starts a canary-first rollout from the UI and watches it complete live', async () => {
    await page.getByRole('link', { name: 'Deployments' }).click();
    await page.getByRole('heading', { name: 'Deployments', level: 1 }).waitFor();
    await page.locator('#rollout-artifact option', { hasText: MODEL_VERSION }).waitFor({ state: 'attached' });
    await page.getByLabel('Target kind').selectOption('group');
    await page.locator('#rollout-target option[value="greenhouse"]').waitFor({ state: 'attached' });
    await page.getByLabel('Target', { exact: true }).selectOption('greenhouse');
    await page.getByLabel('Canary share (%)').fill('34');
    await page.getByLabel('Stages (cumulative %)').fill('100');
    await page.getByRole('button', { name: 'Start rollout' }).click();

    const card = page.locator('article.rollout').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('34% → 100%');
    await page.locator('article.rollout[data-status="completed"]').waitFor({ timeout: 45_000 });
    await page.locator(`article.rollout li[data-state="activated"][data-count="${DEVICES}"]`).waitFor();
    await page.locator('.events li[data-type="rollout_completed"]').waitFor();
    await page.locator('.events li[data-type="rollout_stage_started"]').nth(1).waitFor();
    await page.screenshot({ path: join(SHOTS, '03-deployments.png'), fullPage: true });

    // Rollouts on a loaded CI machine took over 5 s once; allow what Playwright's own waits allow.
    await eventually(
      async () => agents.every(({ agent }) => agent.state.activeModelVersion === MODEL_VERSION),
      ROLLOUT_MS,
    );
    await page.getByRole('link', { name: 'Fleet' }).click();
    for (const { id } of agents) {
      const row = page.locator(`tr[data-device-id="${id}"]`);
      await row.locator('td', { hasText: MODEL_VERSION }).waitFor();
      await row.locator('.badge.ota-activated').waitFor();
    }
  });

  it('holds a gated stage until Resume, then rolls every device back with Roll back', async () => {
    await page.getByRole('link', { name: 'Deployments' }).click();
    await page.locator('#rollout-artifact option', { hasText: NEXT_VERSION }).waitFor({ state: 'attached' });
    await page.getByLabel('Artifact').selectOption({ label: NEXT_VERSION });
    await page.getByLabel('Target kind').selectOption('group');
    await page.locator('#rollout-target option[value="greenhouse"]').waitFor({ state: 'attached' });
    await page.getByLabel('Target', { exact: true }).selectOption('greenhouse');
    await page.getByLabel('Canary share (%)').fill('33');
    await page.getByLabel('Stages (cumulative %)').fill('100');
    await page.getByLabel('advance stages automatically').uncheck();
    await page.getByRole('button', { name: 'Start rollout' }).click();

    const card = page.locator('article.rollout', { hasText: NEXT_VERSION }).first();
    await card.getByText('waiting for resume to start the next stage').waitFor({ timeout: 45_000 });
    // The device switches models a moment after it reports the activation the page shows.
    const onVersion = (version: string) =>
      agents.filter(({ agent }) => agent.state.activeModelVersion === version).length;
    await eventually(async () => onVersion(NEXT_VERSION) === 1, ROLLOUT_MS);
    await card.getByRole('button', { name: 'Resume' }).click();
    await page
      .locator('article.rollout[data-status="completed"]', { hasText: NEXT_VERSION })
      .waitFor({ timeout: 45_000 });
    await eventually(async () => onVersion(NEXT_VERSION) === DEVICES);

    page.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Roll back' }).click();
    await page.locator('article.rollout[data-status="rolled_back"]', { hasText: NEXT_VERSION }).waitFor();
    await page.locator('.events li[data-type="rollout_rolled_back"]').waitFor();
    await card.locator(`li[data-state="activated"][data-count="${DEVICES}"]`).waitFor({ timeout: 45_000 });
    await eventually(async () => onVersion(MODEL_VERSION) === DEVICES);
    await page.screenshot({ path: join(SHOTS, '03b-rolled-back.png'), fullPage: true });
    await page.getByRole('link', { name: 'Fleet' }).click();
  });

  it('opens a device and sees its profile and accuracy/latency charts fill from telemetry', async () => {
    await page.getByRole('link', { name: agents[0].name }).click();
    await page.getByRole('heading', { name: agents[0].name, level: 1 }).waitFor();
    expect(await page.getByTestId('device-profile').textContent()).toBe('rpi-4');
    // Telemetry windows every 400 ms in 1 s buckets: the chart grows while the page is open.
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="telemetry-buckets"]')?.getAttribute('data-count')) >= 3,
      undefined,
      { timeout: 20_000 },
    );
    await page.getByTestId('last-telemetry').waitFor();
    const plotted = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="accuracy-chart"] canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let blue = 0; // the accuracy line's colour (#2563eb)
      for (let i = 0; i < pixels.length; i += 4)
        if (pixels[i] < 80 && pixels[i + 1] > 80 && pixels[i + 1] < 130 && pixels[i + 2] > 200) blue++;
      return blue;
    });
    expect(plotted).toBeGreaterThan(20);
    expect(await page.locator('table td', { hasText: MODEL_VERSION }).count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, '04-device.png'), fullPage: true });

    await page.getByRole('link', { name: '← Fleet' }).click();
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await page.screenshot({ path: join(SHOTS, '05-fleet-after-rollout.png') });
  });

  it('uploads a TF.js model, prunes it for a profile with live progress, plots accuracy vs size, downloads the .tflite', async () => {
    // The devices are done; stopping them frees the shared CPU for the pruning worker, and the
    // fleet view must see them go offline live.
    await page.getByRole('link', { name: 'Fleet' }).click();
    await Promise.all(agents.map(({ agent }) => agent.stop()));
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="count-offline"] .value')?.textContent === String(n),
      DEVICES,
    );
    const dir = tempDataDir('fleetprune-dashboard-model-');
    const files = (await serializeLayersModel(smallCnn(16))).map((file) => {
      writeFileSync(join(dir, file.name), file.bytes);
      return join(dir, file.name);
    });
    await page.getByRole('link', { name: 'Models and pruning' }).click();
    await page.getByLabel('Name').fill('small-cnn');
    await page.getByLabel('Dataset').selectOption('fashion-mnist');
    await page.getByLabel('Files (model.json and its weight files)').setInputFiles(files);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: 'Uploaded small-cnn' }).waitFor();

    await page.getByLabel('Model', { exact: true }).selectOption({ label: 'small-cnn (fashion-mnist)' });
    await page.getByRole('checkbox', { name: 'esp32', exact: true }).check();
    await page.getByLabel('Parameters to keep (%)').fill('50');
    await page.getByLabel('Training budget (epochs)').fill('0.2');
    await page.getByLabel('Training images (blank: all)').fill('300');
    await page.getByLabel('Test images for the report (blank: all)').fill('100');
    await page.getByRole('button', { name: 'Start pruning' }).click();
    // Progress arrives over the stream while the worker trains.
    await page.locator('article.job[data-status="running"] progress').waitFor({ timeout: 30_000 });
    await page.locator('article.job[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    const result = page.getByRole('region', { name: 'Result for esp32' });
    await result.getByRole('img', { name: 'Accuracy versus size for esp32' }).waitFor();
    const download = page.waitForEvent('download');
    await result
      .getByRole('button', { name: /\.tflite/ })
      .first()
      .click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/\.tflite$/);
    await result.getByRole('button', { name: /\.cc/ }).first().waitFor();
    await result.getByRole('button', { name: 'firmware bundle (esp32)' }).waitFor();
    await page.screenshot({ path: join(SHOTS, '06-models.png'), fullPage: true });
  });
});

/** Accumulates a stream's text; `until` resolves once it matches, or fails after 5 s. */
function readText(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let text = '';
  const decoder = new TextDecoder();
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  return {
    pump,
    async until(match: (text: string) => boolean): Promise<string> {
      const deadline = Date.now() + 5000;
      while (!match(text)) {
        if (Date.now() > deadline) throw new Error(`stream never matched; got:\n${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return text;
    },
  };
}

async function countOf(page: Page, testId: string): Promise<string | null> {
  return page.getByTestId(testId).locator('.value').textContent();
}
