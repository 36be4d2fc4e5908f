import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNELS, CHANNEL_NAMES } from './channels';
import { CHUNK_HEADER_SIZE } from './limits';

// docs/protocol.md is the contract firmware authors read; keep its topic table true to the code.
const DOC = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8');

describe('docs/protocol.md', () => {
  const rows = new Map(
    DOC.split('\n')
      .map((line) =>
        /^\| `([a-z/]+)` +\| (device|server) → (server|device) +\| (\d) +\| (yes|no) +\| .*\| ([\d +]+?) +\|$/.exec(
          line,
        ),
      )
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m] as const),
  );

  it.each(CHANNEL_NAMES.map((c) => [c]))('documents %s as the code defines it', (channel) => {
    const spec = CHANNELS[channel];
    const row = rows.get(channel);
    expect(row).toBeDefined();
    const [, , from, to, qos, retained, max] = row!;
    expect(`${from}-to-${to}`).toBe(spec.direction);
    expect(Number(qos)).toBe(spec.qos);
    expect(retained === 'yes').toBe(spec.retained);
    const maxBytes = max.includes('+') ? CHUNK_HEADER_SIZE + Number(max.split('+')[1]) : Number(max);
    expect(maxBytes).toBe(spec.maxBytes);
  });
});
