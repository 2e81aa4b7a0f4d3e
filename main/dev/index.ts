/**
 * `@plinth/dev-shell`: the Plinth shell in the author's browser, for `plinth-plugin dev`
 * (sdk/cli/commands/dev.ts). Plain Node, no Electron.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export { startDevServer, type DevServer, type DevServerOptions } from './dev-server.ts';

/** The built renderer the packed package ships beside its module. */
const PACKED_RENDERER_DIR = fileURLToPath(new URL('./renderer/', import.meta.url));
/**
 * The built renderer this package serves: its own `renderer/` when packed, else `out/renderer`
 * of the checkout it lives in (`node scripts/build.ts`).
 */
export const RENDERER_DIR = existsSync(PACKED_RENDERER_DIR) ? PACKED_RENDERER_DIR : fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/**
 * Why the built renderer cannot be served, or `undefined` when it can.
 * @returns a sentence naming the missing file and the command that builds it
 */
export function rendererProblem(rendererDir: string = RENDERER_DIR): string | undefined {
  for (const file of ['index.html', 'settings.html', 'frame/bootstrap.js']) {
    if (!existsSync(new URL(file, `file://${rendererDir.endsWith('/') ? rendererDir : `${rendererDir}/`}`))) {
      return `The shell is not built (${rendererDir}${file} is missing): run \`node scripts/build.ts\` in the Plinth checkout`;
    }
  }
  return undefined;
}
