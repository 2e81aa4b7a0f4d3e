/**
 * `plinth-plugin`, the plugin author's CLI: validate a plugin folder, run it, see its UI in the
 * shell (`dev`), pack it, list a profile's plugins.
 * `runCli` is the whole CLI as a function, so tests run it in-process; `bin.js` only wires it
 * to the real process.
 */
import { devCommand } from './commands/dev.ts';
import { listCommand } from './commands/list.ts';
import { packCommand } from './commands/pack.ts';
import { runCommand } from './commands/run.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT, type CliCommand, type CliIo } from './types.ts';

export type { CliCommand, CliIo } from './types.ts';

/** Every command by name. A new command is one entry here (and one file in `commands/`). */
export const commands: Record<string, CliCommand> = {
  validate: validateCommand,
  run: runCommand,
  dev: devCommand,
  pack: packCommand,
  list: listCommand,
};

/** The `--help` text: usage and one line per command. */
export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: plinth-plugin <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "plinth-plugin <command> --help" for the options of one command.',
    '',
  ].join('\n');
}

/**
 * Runs the CLI with `argv` (the arguments after the program name).
 * @returns the exit code: 0 success, 1 failure (e.g. an invalid plugin), 2 a wrong command line
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
    return EXIT.ok;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`plinth-plugin: unknown command "${name}". Run "plinth-plugin --help" to list the commands.\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr.write(`plinth-plugin ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
