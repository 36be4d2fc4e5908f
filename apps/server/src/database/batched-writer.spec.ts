import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { BatchedWriter } from './batched-writer';

@Entity('gadgets')
class Gadget {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'varchar', name: 'state_name' })
  state!: string;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ type: 'boolean' })
  paused!: boolean;

  @Column({ type: 'varchar', nullable: true })
  note!: string | null;
}

describe(BatchedWriter.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await new DataSource({
      type: 'sqlite',
      database: join(mkdtempSync(join(tmpdir(), 'fleetprune-writer-')), 'db.sqlite'),
      entities: [Gadget],
      synchronize: true,
    }).initialize();
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: `g${i}`,
      state: 'new',
      count: 0,
      paused: false,
      note: 'x',
    }));
    await dataSource.getRepository(Gadget).insert(rows);
  });

  afterEach(() => dataSource.destroy());

  it('commits changes of different shapes queued in one turn, merged per row, in one go', async () => {
    const repo = dataSource.getRepository(Gadget);
    const writer = new BatchedWriter(repo);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++)
      writes.push(writer.write(`g${i}`, { state: 'offered', count: i * 1_000_003 }));
    for (let i = 100; i < 150; i++) writes.push(writer.write(`g${i}`, { paused: true, note: null }));
    writes.push(writer.write('g7', { state: 'it\'s "quoted"' }));
    writes.push(writer.write('missing', { count: 1 }));
    await Promise.all(writes);

    const byId = new Map((await repo.find()).map((g) => [g.id, g]));
    expect(byId.get('g0')).toEqual({ id: 'g0', state: 'offered', count: 0, paused: false, note: 'x' });
    expect(byId.get('g7')).toMatchObject({ state: 'it\'s "quoted"', count: 7_000_021 });
    expect(byId.get('g120')).toEqual({
      id: 'g120',
      state: 'offered',
      count: 120_000_360,
      paused: true,
      note: null,
    });
    expect(byId.get('g199')).toMatchObject({ state: 'offered', paused: false, note: 'x' });
    expect(byId.get('g250')).toEqual({ id: 'g250', state: 'new', count: 0, paused: false, note: 'x' });
    expect(byId.has('missing')).toBe(false);
  });

  it('refuses a property that has no column, and the batch writes nothing', async () => {
    const repo = dataSource.getRepository(Gadget);
    const writer = new BatchedWriter(repo);
    const good = writer.write('g1', { state: 'offered' });
    const bad = writer.write('g2', { nope: 1 } as unknown as Partial<Gadget>);
    await expect(Promise.all([good, bad])).rejects.toThrow('Gadget has no column for property nope');
    expect((await repo.findOneByOrFail({ id: 'g1' })).state).toBe('new');
    await writer.write('g1', { count: 5 });
    expect((await repo.findOneByOrFail({ id: 'g1' })).count).toBe(5);
  });
});
