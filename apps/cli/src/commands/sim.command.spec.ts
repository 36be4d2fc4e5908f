import { CliError } from '../server-client';
import { simCommand } from './sim.command';

/** Runs `fleetprune sim ...args`; these cases fail before any server is contacted. */
async function sim(...args: string[]): Promise<unknown> {
  const command = simCommand().exitOverride();
  try {
    await command.parseAsync(['node', 'sim', '--devices', '1', '--profile', 'esp32', ...args]);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('fleetprune sim --shift-at/--shift', () => {
  it.each([
    [['--shift', 'noise:0.3'], /--shift-at and --shift go together/],
    [['--shift-at', '30'], /--shift-at and --shift go together/],
    [['--shift-at', 'soon', '--shift', 'noise:0.3'], /--shift-at must be a number >= 0/],
    [['--shift-at', '5', '--shift', 'blur:2'], /--shift: unknown kind "blur"/],
    [['--shift-at', '5', '--shift', 'noise:3'], /--shift: noise stddev must be in \(0, 1\]/],
    [
      ['--shift-at', '5', '--shift', 'classes:3,11'],
      /--shift: class 11 is out of range for a dataset of 10 classes/,
    ],
  ])('refuses %j with a clear CliError', async (args, message) => {
    const error = await sim(...args);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(message);
  });
});
