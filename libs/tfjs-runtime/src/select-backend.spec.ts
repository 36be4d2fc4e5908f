import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './select-backend';
import { TfjsRuntimeError } from './tfjs-runtime-error';

// Whether the optional native backend can load on this machine decides what "best" is.
async function tfjsNodeLoads(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-node' as string);
    return true;
  } catch {
    return false;
  }
}

/** A fresh copy of the module, so its once-only choice starts empty; tfjs state stays global. */
async function freshSelectBackend(): Promise<typeof selectBackend> {
  let fresh: typeof selectBackend | undefined;
  await jest.isolateModulesAsync(async () => {
    fresh = (await import('./select-backend')).selectBackend;
  });
  return fresh as typeof selectBackend;
}

describe(selectBackend.name, () => {
  it('picks the best backend that trains and says why better ones were skipped', async () => {
    const lines: string[] = [];
    const choice = await selectBackend({ log: (line) => lines.push(line) });
    if (await tfjsNodeLoads()) {
      expect(choice.name).toBe('tensorflow');
    } else {
      expect(choice.name).toBe('wasm');
      expect(choice.skipped).toEqual([{ name: 'tensorflow', error: expect.stringContaining('tfjs-node') }]);
      expect(choice.reason).toContain('tensorflow skipped');
    }
    expect(tf.getBackend()).toBe(choice.name);
    expect(lines).toEqual([expect.stringContaining(`using backend '${choice.name}'`)]);
  }, 60_000);

  it('returns the first choice on later calls, whatever they ask for', async () => {
    const first = await selectBackend();
    expect(await selectBackend({ prefer: ['cpu'], log: () => undefined })).toBe(first);
  });

  it('falls back down the list to cpu', async () => {
    const choice = await (
      await freshSelectBackend()
    )({ prefer: ['tensorflow', 'cpu'], log: () => undefined });
    expect(choice.name).toBe((await tfjsNodeLoads()) ? 'tensorflow' : 'cpu');
    expect(tf.getBackend()).toBe(choice.name);
  }, 60_000);

  it('rejects with NO_BACKEND naming every failure when nothing works', async () => {
    const attempt = (await freshSelectBackend())({ prefer: ['quantum' as 'cpu'], log: () => undefined });
    // The fresh module has its own copy of the error class, so match by name, not constructor.
    await expect(attempt).rejects.toMatchObject({
      name: TfjsRuntimeError.name,
      code: 'NO_BACKEND',
      message: expect.stringContaining("unknown backend 'quantum'"),
    });
  });
});
