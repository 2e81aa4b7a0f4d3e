/** Reads a plugin folder's `package.json` into a JSON object, with a clear problem when it cannot. */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isPathInside } from './paths.ts';
import { problem, type Problem } from './problem.ts';

/** Largest `package.json` read (bytes): real manifests are a few kB; this stops a huge file early. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Outcome of {@link readManifestJson}. */
export type ManifestRead =
  | { ok: true; raw: Record<string, unknown>; realDir: string }
  | { ok: false; problem: Problem; realDir?: string };

/** Line and column (1-based) of a character offset, for JSON errors that only give a position. */
function lineAndColumn(textValue: string, position: number): string {
  const before = textValue.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function jsonError(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  // V8 usually says "(line L column C)"; older engines give only the position.
  if (position && !/line \d+/.test(message)) return `${message} (${lineAndColumn(source, Number(position[1]))})`;
  return message;
}

/**
 * Reads and parses `<dir>/package.json`.
 * Problems: the folder is missing or not a folder (field `folder`); `package.json` is missing,
 * not a file, outside the folder through a symbolic link, over {@link MAX_MANIFEST_BYTES}, not
 * JSON (with line and column), or not a JSON object (field `package.json`).
 */
export async function readManifestJson(dir: string): Promise<ManifestRead> {
  let realDir: string;
  try {
    realDir = await realpath(dir);
    if (!(await stat(realDir)).isDirectory()) return { ok: false, problem: problem('folder', 'is not a folder', dir) };
  } catch {
    return { ok: false, problem: problem('folder', 'does not exist', dir) };
  }
  const file = path.join(realDir, 'package.json');
  let source: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, realDir, problem: problem('package.json', 'is not a file') };
    if (!isPathInside(realDir, await realpath(file))) {
      return { ok: false, realDir, problem: problem('package.json', 'resolves outside the plugin folder (a symbolic link)') };
    }
    if (info.size > MAX_MANIFEST_BYTES) {
      return { ok: false, realDir, problem: problem('package.json', `is ${info.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`) };
    }
    source = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT'
      ? 'is missing: a plugin folder needs a package.json manifest (see docs/plugin-api.md §2)'
      : `cannot be read (${code ?? String(error)})`;
    return { ok: false, realDir, problem: problem('package.json', message) };
  }
  const text = source.replace(/^\uFEFF/, ''); // npm tolerates a byte-order mark; so do we
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, realDir, problem: problem('package.json', `is not valid JSON: ${jsonError(error, text)}`) };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, realDir, problem: problem('package.json', 'must contain a JSON object', raw) };
  }
  return { ok: true, raw: raw as Record<string, unknown>, realDir };
}
