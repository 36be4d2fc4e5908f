import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FieldSampleRow } from './field-sample.entity';

/** A sample to store: the row's metadata plus its tensor bytes. */
export type NewFieldSample = Omit<FieldSampleRow, 'id'> & { data: Uint8Array };

const TABLE = 'field_samples';
/** Insert order of the columns; `data` is the one the entity does not map. */
const COLUMNS = [
  'device_id',
  'profile',
  'artifact_id',
  'model_version',
  'label',
  'predicted',
  'confidence',
  'shape',
  'dtype',
  'data',
  'captured_at',
  'received_at',
] as const;
/** Ids per IN (...) list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const ID_BATCH = 500;

/**
 * All I/O of the field_samples table. The `data` column is written and read with plain
 * parameterised SQL, so the same code binds a Buffer to a SQLite blob and a PostgreSQL bytea.
 */
@Injectable()
export class FieldSampleStore {
  constructor(@InjectRepository(FieldSampleRow) readonly rows: Repository<FieldSampleRow>) {}

  /** Inserts samples with their bytes, in one statement. */
  async insert(samples: NewFieldSample[]): Promise<void> {
    if (samples.length === 0) return;
    const params: unknown[] = [];
    const tuples = samples.map((s) => {
      const values = [
        s.deviceId,
        s.profile,
        s.artifactId,
        s.modelVersion,
        s.label,
        s.predicted,
        s.confidence,
        JSON.stringify(s.shape),
        s.dtype,
        Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength),
        s.capturedAt,
        s.receivedAt,
      ];
      return `(${values.map((v) => this.placeholder(params.push(v))).join(', ')})`;
    });
    await this.rows.manager.query(
      `INSERT INTO "${TABLE}" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
  }

  /**
   * Deletes the oldest rows (by arrival order) of `column = value` beyond the newest `keep`;
   * returns how many went.
   */
  async keepNewest(column: 'device_id' | 'profile', value: string, keep: number): Promise<number> {
    // The id of the oldest row kept: everything older goes. Portable (no LIMIT -1 / bare OFFSET).
    const boundary = await this.rows
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where(`s.${column} = :value`, { value })
      .orderBy('s.id', 'DESC')
      .offset(keep - 1)
      .limit(1)
      .getRawOne<{ id: number | string }>();
    if (!boundary) return 0;
    const result = await this.rows
      .createQueryBuilder()
      .delete()
      .where(`${column} = :value AND id < :id`, { value, id: Number(boundary.id) })
      .execute();
    return result.affected ?? 0;
  }

  /** The tensor bytes of rows `ids`, by id. */
  async data(ids: number[]): Promise<Map<number, Uint8Array>> {
    const out = new Map<number, Uint8Array>();
    for (let i = 0; i < ids.length; i += ID_BATCH) {
      const batch = ids.slice(i, i + ID_BATCH);
      const rows = (await this.rows.manager.query(
        `SELECT "id", "data" FROM "${TABLE}" WHERE "id" IN (${batch.map((_, k) => this.placeholder(k + 1)).join(', ')})`,
        batch,
      )) as { id: number | string; data: Buffer }[];
      for (const row of rows) out.set(Number(row.id), new Uint8Array(row.data));
    }
    return out;
  }

  /** The n-th (1-based) bound parameter in this driver's syntax. */
  private placeholder(n: number): string {
    return this.rows.manager.connection.options.type === 'postgres' ? `$${n}` : '?';
  }
}
