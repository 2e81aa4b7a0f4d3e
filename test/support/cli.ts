/** Runs the author CLI (`plinth-plugin`) in-process for tests, as `sdk/cli/bin.js` would. */
import { runCli } from '../../sdk/cli/main.ts';
import './worker-runtime.ts';

/** What one CLI run printed and its exit code. */
export interface CliOutcome { code: number | null; stdout: string; stderr: string }

/** Runs `plinth-plugin <args>` through `runCli`, capturing stdout and stderr; `cwd` defaults to the process's. */
export async function runCliCaptured(args: string[], cwd?: string): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
    ...(cwd ? { cwd } : {}),
  });
  return { code, stdout, stderr };
}
