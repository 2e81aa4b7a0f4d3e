/**
 * The dev shell's preload (browser/bridge-entry.ts) as one classic script. The packed
 * `@plinth/dev-shell` ships it built (`dev-bridge.js` beside its module); from the sources it is
 * bundled with esbuild the first time a shell document asks for it. Either way it is read once
 * per process.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./browser/bridge-entry.ts', import.meta.url));
/** The script as the packed package ships it. */
export const PREBUILT_BRIDGE_FILE = 'dev-bridge.js';
const PREBUILT = fileURLToPath(new URL(`./${PREBUILT_BRIDGE_FILE}`, import.meta.url));

let cached: Promise<string> | undefined;

/** Bundles browser/bridge-entry.ts (an IIFE; it defines `window.plinth` and nothing else). */
export async function bundleDevBridge(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    absWorkingDir: path.dirname(ENTRY),
  });
  return result.outputFiles[0]?.text ?? '';
}

/** The bridge script's source: the shipped file, else bundled from the sources. */
export function devBridgeScript(): Promise<string> {
  cached ??= existsSync(PREBUILT) ? readFile(PREBUILT, 'utf8') : bundleDevBridge();
  return cached;
}
