#!/usr/bin/env node
// Entry of `plinth-plugin`. Plain JavaScript so that an old Node gets a clear message instead of
// a syntax error: main.ts is loaded only after the version check.
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
