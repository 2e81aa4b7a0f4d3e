/**
 * Runs a command in a pseudo-terminal, as a person at a terminal would: stdin and stdout of the
 * command are a TTY (`process.stdin.isTTY` is true), and each answer is typed only once its
 * question has been printed. The terminal comes from util-linux `script(1)`, which Debian and
 * most Linux systems have (package bsdutils); {@link terminalUnavailable} says when it is not.
 */
import { execFileSync, spawn } from 'node:child_process';

/** One exchange: wait until the output since the last answer matches `question`, then type `answer` and Enter. */
export interface Exchange { question: RegExp; answer: string }

/** What a terminal run printed (prompts, echoed answers and output, with any escape sequences) and its exit code. */
export interface TerminalOutcome { code: number | null; output: string; asked: string[] }

/** Why no pseudo-terminal can be had here, or undefined when `script` from util-linux is present. */
export function terminalUnavailable(): string | undefined {
  try {
    return /util-linux/.test(execFileSync('script', ['--version'], { encoding: 'utf8' })) ? undefined : 'script(1) is not util-linux';
  } catch {
    return 'no script(1) (util-linux) on this machine';
  }
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `command args` in a pseudo-terminal in `cwd`, answering `exchanges` in order. Resolves
 * when the command exits; `asked` holds the output between answers, one entry per question
 * answered. Rejects when the command exits (or `timeoutMs` passes) before every question was
 * asked, quoting what it printed.
 */
export function runInTerminal(cwd: string, command: string, args: string[], exchanges: Exchange[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<TerminalOutcome> {
  return new Promise((resolve, reject) => {
    // -q: no "Script started" banner; -e: exit with the command's code; -f: flush each write.
    const child = spawn('script', ['-qefc', [command, ...args].map(shellQuote).join(' '), '/dev/null'], { cwd, env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let pending = '';
    const asked: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer after ${timeoutMs} ms; waiting for ${String(exchanges[asked.length]?.question)}; printed:\n${output}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      pending += chunk;
      const next = exchanges[asked.length];
      if (next && next.question.test(pending)) {
        asked.push(pending);
        pending = '';
        child.stdin.write(`${next.answer}\r`);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => { output += chunk; });
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      if (asked.length < exchanges.length) {
        reject(new Error(`exited (${code}) before asking ${String(exchanges[asked.length]?.question)}; printed:\n${output}`));
      } else {
        resolve({ code, output, asked });
      }
    });
  });
}
