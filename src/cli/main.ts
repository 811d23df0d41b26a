#!/usr/bin/env node
// The residual-lab command.
import { experimentCommand, experimentHelp } from "./experiment-command.js";
import { infoCommand, infoHelp } from "./info-command.js";
import { predictCommand, predictHelp } from "./predict-command.js";
import { reportCommand, reportHelp } from "./report-command.js";
import { speedrunCommand, speedrunHelp } from "./speedrun-command.js";
import { startCommand, startHelp } from "./start-command.js";
import { trainCommand, trainHelp } from "./train-command.js";
import { UsageError } from "./usage-error.js";

const commands: Record<string, { run: (args: string[]) => Promise<void> | void; help: string }> = {
  train: { run: trainCommand, help: trainHelp },
  info: { run: infoCommand, help: infoHelp },
  predict: { run: predictCommand, help: predictHelp },
  experiment: { run: experimentCommand, help: experimentHelp },
  start: { run: startCommand, help: startHelp },
  speedrun: { run: speedrunCommand, help: speedrunHelp },
  report: { run: reportCommand, help: reportHelp },
};

const overview = `Usage: residual-lab COMMAND [options]

Commands:
  start       train the seed recipe (ResNet-18 on MNIST, fit(4, 1e-3), batch 32)
  train       train a ResNet or its plain twin on MNIST, Fashion-MNIST or an IDX folder
  predict     classify PNG images or IDX records with a model written by train --export
  experiment  run the residual-against-plain experiments (degradation, gradients, ...)
  report      write report/index.html from the run folders
  speedrun    time to 99% MNIST test accuracy with a small residual CNN
  info        versions, libtorch, threads and CPU features

Run 'residual-lab COMMAND --help' for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(overview + "\n");
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}'; expected one of: ${Object.keys(commands).join(", ")}`);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(command.help + "\n");
    return 0;
  }
  await command.run(args);
  return 0;
}

// A reader that closes the pipe early (`residual-lab info | head -1`) has all it wanted: stop quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`residual-lab: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    // Errors from files and libtorch carry their own explanation; a stack helps only with bugs.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`residual-lab: ${message}\n`);
    if (process.env.RESIDUAL_LAB_DEBUG) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
    process.exitCode = 1;
  },
);
