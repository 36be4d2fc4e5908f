import 'reflect-metadata';
import { Command } from 'commander';
import { artifactsCommand } from './commands/artifacts.command';
import { deployCommand } from './commands/deploy.command';
import { deploymentsCommand } from './commands/deployments.command';
import { devicesCommand } from './commands/devices.command';
import { evalCommand } from './commands/eval.command';
import { eventsCommand } from './commands/events.command';
import { exportCommand } from './commands/export.command';
import { firmwareCommand } from './commands/firmware.command';
import { healthCommand } from './commands/health.command';
import { inspectCommand } from './commands/inspect.command';
import { jobsCommand } from './commands/jobs.command';
import { modelsCommand } from './commands/models.command';
import { policiesCommand } from './commands/policies.command';
import { profilesCommand } from './commands/profiles.command';
import { pruneCommand } from './commands/prune.command';
import { remediationsCommand } from './commands/remediations.command';
import { rolloutsCommand } from './commands/rollouts.command';
import { runCommand } from './commands/run.command';
import { samplesCommand } from './commands/samples.command';
import { simCommand } from './commands/sim.command';
import { trainCommand } from './commands/train.command';
import { CliError } from './server-client';

/** Builds the `fleetprune` program with every command. */
export function buildProgram(): Command {
  const program = new Command('fleetprune')
    .description('Prune, quantize and ship neural networks to fleets of ESP32 and Raspberry Pi devices')
    .version('0.1.0')
    .showHelpAfterError();
  program.addCommand(healthCommand());
  program.addCommand(devicesCommand());
  program.addCommand(profilesCommand());
  program.addCommand(modelsCommand());
  program.addCommand(jobsCommand());
  program.addCommand(artifactsCommand());
  program.addCommand(deployCommand());
  program.addCommand(deploymentsCommand());
  program.addCommand(rolloutsCommand());
  program.addCommand(policiesCommand());
  program.addCommand(remediationsCommand());
  program.addCommand(eventsCommand());
  program.addCommand(samplesCommand());
  program.addCommand(simCommand());
  program.addCommand(firmwareCommand());
  program.addCommand(exportCommand());
  program.addCommand(inspectCommand());
  program.addCommand(runCommand());
  program.addCommand(evalCommand());
  program.addCommand(trainCommand());
  program.addCommand(pruneCommand());
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (
      error instanceof CliError ||
      (error instanceof Error && /Error$/.test(error.name) && 'code' in error)
    ) {
      console.error(`fleetprune: ${error.message}`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
      return;
    }
    throw error;
  }
}

if (require.main === module) void main(process.argv);
