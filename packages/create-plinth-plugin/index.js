#!/usr/bin/env node
// `npm create plinth-plugin@latest <dir>`: parses the command line, asks for what it lacks
// when run in a terminal, and writes the plugin folder (scaffold.js).
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SLOT_TYPES, defaultName, scaffold, validateChoices } from './scaffold.js';

const USAGE = `Usage: npm create plinth-plugin@latest <dir> [-- options]
  --name <npm name>        the plugin id (default: the folder name)
  --display-name <text>    the name people see (default: from the name)
  --lang js|ts             JavaScript (no build step) or TypeScript (npm run build) (default: js)
  --worker / --no-worker   a background worker (default: yes)
  --ui <slot> / --no-ui    a UI component in that slot (default: dashboardWidget)
                           slots: ${SLOT_TYPES.join(', ')}
  -y, --yes                never ask; take the defaults for anything not given`;

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true, allowNegative: true,
      options: {
        name: { type: 'string' }, 'display-name': { type: 'string' }, lang: { type: 'string' },
        worker: { type: 'boolean' }, ui: { type: 'string' }, 'no-ui': { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interactive = !values.yes && process.stdin.isTTY && process.stdout.isTTY;
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  const ask = async (question, fallback) => {
    if (!rl) return fallback;
    const answer = (await rl.question(`${question} (${fallback}) `)).trim();
    return answer === '' ? fallback : answer;
  };
  try {
    const dirArg = positionals[0] ?? (await ask('Folder for the plugin?', 'my-plinth-plugin'));
    const dir = path.resolve(dirArg);
    const name = values.name ?? (await ask('Plugin name (an npm package name)?', defaultName(dir)));
    const lang = values.lang ?? (await ask('JavaScript or TypeScript? js/ts', 'js'));
    const worker = values.worker ?? ((await ask('A background worker? y/n', 'y')).toLowerCase().startsWith('y'));
    const ui = values['no-ui'] ? null : (values.ui ?? (await ask(`A UI component in which slot? (${SLOT_TYPES.join(', ')}, or none)`, 'dashboardWidget')));
    const choices = { dir, name, displayName: values['display-name'], lang, worker, ui: ui === 'none' ? null : ui };
    const problems = validateChoices(choices);
    if (problems.length > 0) {
      process.stderr.write(`${problems.map((p) => `error: ${p}`).join('\n')}\n`);
      return 2;
    }
    const written = await scaffold(choices);
    const rel = path.relative(process.cwd(), dir) || '.';
    process.stdout.write([
      `Created ${choices.name} in ${rel} (${written.length} files).`, '', 'Next:', `  cd ${rel}`,
      '  npm install            # @plinth/sdk for the CLI, the types and the test harness',
      ...(lang === 'ts' ? ['  npm run build          # tsc: src/ → dist/'] : []),
      '  npm test               # the test through @plinth/sdk/testing',
      '  npm start              # runs it in a local Plinth host',
      '  npm run pack           # the .tgz Plinth installs', '',
    ].join('\n'));
    return 0;
  } catch (error) {
    process.stderr.write(`create-plinth-plugin: ${error.message}\n`);
    return 1;
  } finally {
    rl?.close();
  }
}

process.exitCode = await main();
