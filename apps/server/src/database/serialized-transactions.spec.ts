import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { serializeTransactions } from './serialized-transactions';

@Entity('notes')
class Note {
  @PrimaryColumn({ type: 'varchar' })
  id!: string;

  @Column({ type: 'integer' })
  n!: number;
}

/** Two writes at once: a transaction inserts, waits, then fails and rolls back; the other inserts. */
async function race(
  dataSource: DataSource,
  other: (ds: DataSource) => Promise<unknown> = (ds) =>
    ds.manager.transaction(async (em) => {
      await em.insert(Note, { id: 'kept', n: 2 });
    }),
): Promise<string[]> {
  const failing = dataSource.manager.transaction(async (em) => {
    await em.insert(Note, { id: 'doomed', n: 1 });
    await new Promise((r) => setTimeout(r, 50));
    throw new Error('roll back');
  });
  const fine = new Promise((r) => setTimeout(r, 10)).then(() => other(dataSource));
  await Promise.allSettled([failing, fine]);
  return (await dataSource.manager.find(Note)).map((note) => note.id).sort();
}

describe(serializeTransactions.name, () => {
  const open = () =>
    new DataSource({
      type: 'sqlite',
      database: join(mkdtempSync(join(tmpdir(), 'fleetprune-tx-')), 'db.sqlite'),
      entities: [Note],
      synchronize: true,
    }).initialize();

  it('keeps a concurrent transaction out of one that rolls back', async () => {
    const serialized = serializeTransactions(await open());
    expect(await race(serialized)).toEqual(['kept']);
    await serialized.destroy();
  });

  it('keeps a concurrent save() (which opens its own transaction) out of one that rolls back', async () => {
    const serialized = serializeTransactions(await open());
    expect(await race(serialized, (ds) => ds.getRepository(Note).save({ id: 'kept', n: 2 }))).toEqual([
      'kept',
    ]);
    await serialized.destroy();
  });

  it('is needed: without it the concurrent insert or save is lost with the rollback', async () => {
    const plain = await open();
    expect(await race(plain)).not.toEqual(['kept']);
    expect(await race(plain, (ds) => ds.getRepository(Note).save({ id: 'kept', n: 2 }))).not.toEqual([
      'kept',
    ]);
    await plain.destroy();
  });

  it('lets a read queued as a transaction see another transaction whole, where a plain read sees half', async () => {
    const serialized = serializeTransactions(await open());
    let firstIn!: () => void;
    let release!: () => void;
    const halfway = new Promise<void>((r) => (firstIn = r));
    const released = new Promise<void>((r) => (release = r));
    // Inserts in batches, as a deployment's sessions are; the reads come between two batches.
    const writing = serialized.manager.transaction(async (em) => {
      await em.insert(Note, { id: 'batch-1', n: 1 });
      firstIn();
      await released;
      await em.insert(Note, [
        { id: 'batch-2', n: 2 },
        { id: 'batch-3', n: 3 },
      ]);
    });
    await halfway;
    const queued = serialized.manager.transaction((em) => em.count(Note));
    // SQLite has one connection: a read outside the queue runs inside the open transaction.
    const plain = await serialized.manager.count(Note);
    release();
    await writing;
    expect({ queued: await queued, plain }).toEqual({ queued: 3, plain: 1 });
    await serialized.destroy();
  });
});
