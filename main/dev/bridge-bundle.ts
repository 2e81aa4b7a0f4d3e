/**
 * The dev shell's preload (browser/bridge-entry.ts) as one classic script, bundled with esbuild
 * the first time a shell document asks for it, then kept for the life of the process.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ENTRY = fileURLToPath(new URL('./browser/bridge-entry.ts', import.meta.url));

let cached: Promise<string> | undefined;

/** The bridge script's source (an IIFE; it defines `window.plinth` and nothing else). */
export function devBridgeScript(): Promise<string> {
  cached ??= esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    absWorkingDir: path.dirname(ENTRY),
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return cached;
}
