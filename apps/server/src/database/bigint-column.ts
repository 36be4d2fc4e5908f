/**
 * Options of a bigint column read back as a number: epoch milliseconds and u32 counters
 * exceed PostgreSQL's integer, and drivers hand bigint back as a string.
 */
export const BIGINT_COLUMN = {
  type: 'bigint' as const,
  transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
};
