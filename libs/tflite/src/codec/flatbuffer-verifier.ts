import { TfliteError } from '../tflite-error';

/**
 * How one field of a table is laid out. `id` is the field's slot in the schema (declaration
 * order, a union counting as two slots: its type byte first, then the value).
 */
export type FieldLayout =
  | { id: number; kind: 'scalar'; size: 1 | 2 | 4 | 8 }
  | { id: number; kind: 'string' }
  | { id: number; kind: 'vector'; elemSize: 1 | 2 | 4 | 8; maxLength?: number }
  | { id: number; kind: 'table'; table: TableLayout }
  | { id: number; kind: 'tables'; table: TableLayout; maxLength?: number; what: string }
  | { id: number; kind: 'union'; typeId: number; members: ReadonlyMap<number, TableLayout> };

/** The fields of one table type that a reader will touch. */
export interface TableLayout {
  name: string;
  fields: FieldLayout[];
}

/**
 * Bounds-checks a flatbuffer against a table layout before any generated accessor reads it,
 * because flatbuffers' JS accessors trust every offset. Follows the checks of the C++
 * `flatbuffers::Verifier`: table and vtable inside the buffer and aligned, every field inside
 * its table, every vector and string inside the buffer.
 *
 * Hostile files can make many offsets point at the same bytes so that a reader walks far more
 * data than the file holds. Every table (4 bytes) and vector/string payload visited is charged
 * against a budget equal to the buffer length: a well-formed file never shares payloads, so it
 * fits; an amplifying one is rejected in time linear in its size.
 */
export class FlatbufferVerifier {
  private budget: number;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.budget = bytes.byteLength;
  }

  /** Verifies the root table (offset at byte 0) and everything reachable through `layout`. */
  verifyRoot(layout: TableLayout): void {
    this.need(0, 8, 'root offset');
    this.verifyTable(this.uoffset(0, 'root table'), layout);
  }

  private verifyTable(pos: number, layout: TableLayout): void {
    this.need(pos, 4, `${layout.name} table`);
    this.aligned(pos, 4, `${layout.name} table`);
    this.charge(4, layout.name);
    const vtable = pos - this.view.getInt32(pos, true);
    this.need(vtable, 4, `${layout.name} vtable`);
    this.aligned(vtable, 2, `${layout.name} vtable`);
    const vtableSize = this.view.getUint16(vtable, true);
    const tableSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.corrupt(`${layout.name} vtable has a bad size`);
    this.need(vtable, vtableSize, `${layout.name} vtable`);
    // JS accessors read vtable entries as signed 16-bit, so larger tables would be misread.
    if (tableSize < 4 || tableSize >= 0x8000) this.corrupt(`${layout.name} table has a bad size`);
    this.need(pos, tableSize, `${layout.name} table`);

    for (const field of layout.fields) {
      const slot = 4 + 2 * field.id;
      const offset = slot < vtableSize ? this.view.getUint16(vtable + slot, true) : 0;
      if (offset === 0) continue; // Absent: the accessor returns the default.
      const at = pos + offset;
      const width = field.kind === 'scalar' ? field.size : 4;
      if (offset < 4 || offset + width > tableSize)
        this.corrupt(`${layout.name} field ${field.id} lies outside its table`);
      this.verifyField(pos, vtable, vtableSize, at, field, layout.name);
    }
  }

  private verifyField(
    pos: number,
    vtable: number,
    vtableSize: number,
    at: number,
    field: FieldLayout,
    owner: string,
  ): void {
    switch (field.kind) {
      case 'scalar':
        return;
      case 'string': {
        const start = this.vector(at, 1, `${owner} string`);
        // The C++ verifier also requires the terminating NUL inside the buffer.
        this.need(start, this.view.getUint32(start - 4, true) + 1, `${owner} string terminator`);
        return;
      }
      case 'vector': {
        const start = this.vector(at, field.elemSize, `${owner} field ${field.id}`);
        this.maxLength(start, field.maxLength, `${owner} field ${field.id}`);
        return;
      }
      case 'table':
        this.verifyTable(this.uoffset(at, field.table.name), field.table);
        return;
      case 'tables': {
        const start = this.vector(at, 4, `${field.what} list`);
        const length = this.view.getUint32(start - 4, true);
        this.maxLength(start, field.maxLength, field.what);
        for (let i = 0; i < length; i++)
          this.verifyTable(this.uoffset(start + 4 * i, field.table.name), field.table);
        return;
      }
      case 'union': {
        const typeSlot = 4 + 2 * field.typeId;
        const typeOffset = typeSlot < vtableSize ? this.view.getUint16(vtable + typeSlot, true) : 0;
        const type = typeOffset === 0 ? 0 : this.view.getUint8(pos + typeOffset);
        const member = field.members.get(type);
        // Unknown member types are never read, so there is nothing to check.
        if (member) this.verifyTable(this.uoffset(at, member.name), member);
        return;
      }
    }
  }

  /** Checks a vector at the uoffset stored in `at`; returns the position of its first element. */
  private vector(at: number, elemSize: number, what: string): number {
    const start = this.uoffset(at, what);
    this.need(start, 4, `${what} length`);
    this.aligned(start, 4, what);
    const bytes = this.view.getUint32(start, true) * elemSize;
    this.need(start + 4, bytes, what);
    this.charge(4 + bytes, what);
    return start + 4;
  }

  private maxLength(start: number, max: number | undefined, what: string): void {
    const length = this.view.getUint32(start - 4, true);
    if (max !== undefined && length > max) {
      throw new TfliteError(
        'LIMIT_EXCEEDED',
        `${what} has ${length} entries, more than the limit of ${max}; raise the reader limit if the file is trusted.`,
      );
    }
  }

  private uoffset(at: number, what: string): number {
    this.need(at, 4, what);
    const target = at + this.view.getUint32(at, true);
    if (target >= this.bytes.byteLength) this.corrupt(`${what} offset points past the end of the file`);
    return target;
  }

  private need(pos: number, size: number, what: string): void {
    if (pos < 0 || size < 0 || pos + size > this.bytes.byteLength)
      this.corrupt(`${what} runs past the end of the file`);
  }

  private aligned(pos: number, alignment: number, what: string): void {
    if (pos % alignment !== 0) this.corrupt(`${what} is misaligned`);
  }

  private charge(bytes: number, what: string): void {
    this.budget -= bytes;
    if (this.budget < 0) this.corrupt(`${what} data is referenced more than once (aliased offsets)`);
  }

  private corrupt(detail: string): never {
    throw new TfliteError('CORRUPT_FILE', `not a valid .tflite flatbuffer: ${detail}. Re-export the model.`);
  }
}
