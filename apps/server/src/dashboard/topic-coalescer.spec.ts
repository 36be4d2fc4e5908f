import { LiveUpdate, TopicCoalescer } from './topic-coalescer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(TopicCoalescer.name, () => {
  it('sends a burst of changes as one message per topic, naming each changed id once', async () => {
    const sent: LiveUpdate[] = [];
    const coalescer = new TopicCoalescer((u) => sent.push(u), { intervalMs: 200, settleMs: 30 });
    for (let i = 0; i < 50; i++) coalescer.push('devices', [`d${i % 7}`]);
    coalescer.push('jobs', ['j1']);
    await sleep(80);
    expect(sent).toHaveLength(2);
    const devices = sent.find((u) => u.topic === 'devices');
    expect(devices?.ids).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(sent.find((u) => u.topic === 'jobs')?.ids).toEqual(['j1']);
    coalescer.close();
  });

  it('holds a topic to one message per interval however fast changes arrive', async () => {
    const sent: { at: number; update: LiveUpdate }[] = [];
    const start = Date.now();
    const coalescer = new TopicCoalescer((update) => sent.push({ at: Date.now() - start, update }), {
      intervalMs: 100,
      settleMs: 10,
    });
    const until = Date.now() + 450;
    let n = 0;
    while (Date.now() < until) {
      coalescer.push('deployments', [`dep${n++ % 3}`]);
      await sleep(2);
    }
    await sleep(150);
    coalescer.close();
    // 450 ms of changes every ~2 ms: at most one message per 100 ms (plus the trailing one).
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(90);
    expect(sent.every((s) => s.update.topic === 'deployments')).toBe(true);
  });

  it('says "refetch all" (ids null) when more ids changed than a message should carry', async () => {
    const sent: LiveUpdate[] = [];
    const coalescer = new TopicCoalescer((u) => sent.push(u), { settleMs: 10, maxIds: 10 });
    coalescer.push(
      'telemetry',
      Array.from({ length: 1000 }, (_, i) => `device-${i}`),
    );
    await sleep(40);
    expect(sent).toEqual([{ topic: 'telemetry', ids: null }]);
    coalescer.close();
  });

  it('says "refetch all" when any change of the batch had no id', async () => {
    const sent: LiveUpdate[] = [];
    const coalescer = new TopicCoalescer((u) => sent.push(u), { settleMs: 10 });
    coalescer.push('models', ['m1']);
    coalescer.push('models', null);
    coalescer.push('models', ['m2']);
    await sleep(40);
    expect(sent).toEqual([{ topic: 'models', ids: null }]);
    coalescer.close();
  });

  it('sends nothing after close', async () => {
    const sent: LiveUpdate[] = [];
    const coalescer = new TopicCoalescer((u) => sent.push(u), { settleMs: 10 });
    coalescer.push('events', ['1']);
    coalescer.close();
    await sleep(40);
    expect(sent).toEqual([]);
  });
});
