/** Command-line parsing for the commands, on node:util's parseArgs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, type CliIo } from './types.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments, or the exit code to return after printing usage. */
export type Parsed<O extends Options> =
  | { ok: true; values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string }; positionals: string[] }
  | { ok: false; exitCode: number };

/**
 * Parses `args` for one command. `--help` prints `usage` and exits 0; an unknown option or too
 * many positionals prints the problem and `usage` and exits 2.
 */
export function parseCommandArgs<O extends Options>(
  args: string[], io: CliIo, spec: { usage: string; options: O; maxPositionals: number },
): Parsed<O> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`${describeParseError(error)}\n${spec.usage}\n`);
    return { ok: false, exitCode: EXIT.usage };
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(`${spec.usage}\n`);
    return { ok: false, exitCode: EXIT.ok };
  }
  if (parsed.positionals.length > spec.maxPositionals) {
    io.stderr.write(`Unexpected argument "${parsed.positionals[spec.maxPositionals]}".\n${spec.usage}\n`);
    return { ok: false, exitCode: EXIT.usage };
  }
  return { ok: true, values: parsed.values as never, positionals: parsed.positionals };
}

/**
 * One line for a parseArgs failure. Node's own text for an unknown option ends with an
 * unbalanced quote (`as in '-- "--job"`) and talks about positionals; the author needs the
 * option's name and where the list of options is.
 */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (option) return `Unknown option "${option}"; the options are listed below.`;
  }
  return message;
}
