/** `plinth-plugin run`: placeholder until the dev runner lands (it replaces this command's `run`). */
import { EXIT, type CliCommand } from '../types.ts';

export const runCommand: CliCommand = {
  summary: 'run a plugin folder in a local host for development (not available yet)',
  usage: 'Usage: plinth-plugin run [dir]',
  async run(_args, io) {
    io.stderr.write('plinth-plugin run is not available yet.\n');
    return EXIT.failed;
  },
};
