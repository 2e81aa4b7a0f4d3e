/**
 * `plinth-plugin pack [dir] [--out dir]`: validates a plugin folder, then writes
 * `<unscoped-name>-<version>.tgz` in the layout of `npm pack` (every entry under `package/`),
 * the file the host installs.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { create } from 'tar';
import { ARCHIVE_ROOT, MAX_PLUGIN_ARCHIVE_BYTES, formatSize } from '@plinth/host/archive/limits';
import { unscopedName } from '@plinth/host/manifest';
import { parseCommandArgs } from '../args.ts';
import { listPackFiles, type PackedManifest } from '../pack-files.ts';
import { EXIT, type CliCommand } from '../types.ts';
import { printResult, validateForCli } from './validate.ts';

/** The mtime npm pack stamps on every entry, so packing the same files twice gives the same archive. */
const PACK_MTIME = new Date('1985-10-26T08:15:00.000Z');

/** What {@link packPlugin} wrote. */
export interface PackResult {
  /** Absolute path of the `.tgz`. */
  file: string;
  /** Number of files packed. */
  fileCount: number;
  /** Size of the `.tgz` (bytes). */
  bytes: number;
  /** Dot files that were packed (npm packs them unless an ignore rule leaves them out). */
  dotFiles: string[];
}

/**
 * Packs the (already validated) plugin folder `dir` into `outDir/<unscoped-name>-<version>.tgz`.
 * The archive is written beside its final name and renamed at the end, so a failure never
 * leaves a truncated `.tgz`.
 * @throws Error when the files or the archive exceed {@link MAX_PLUGIN_ARCHIVE_BYTES} (the host
 *   would refuse it), or a file cannot be packed (see `listPackFiles`)
 */
export async function packPlugin(dir: string, manifest: PackedManifest, outDir: string): Promise<PackResult> {
  const { files, totalBytes, dotFiles } = await listPackFiles(dir, manifest);
  if (totalBytes > MAX_PLUGIN_ARCHIVE_BYTES) {
    throw new Error(`the files add up to ${formatSize(totalBytes)}, over the ${formatSize(MAX_PLUGIN_ARCHIVE_BYTES)} Plinth installs`);
  }
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${unscopedName(manifest.name)}-${manifest.version}.tgz`);
  const partial = `${file}.partial-${process.pid}`;
  try {
    await create({ gzip: true, file: partial, cwd: dir, prefix: ARCHIVE_ROOT, portable: true, follow: true, mtime: PACK_MTIME }, files);
    const { size } = await stat(partial);
    if (size > MAX_PLUGIN_ARCHIVE_BYTES) {
      throw new Error(`the archive is ${formatSize(size)}, over the ${formatSize(MAX_PLUGIN_ARCHIVE_BYTES)} Plinth installs`);
    }
    await rename(partial, file);
    return { file, fileCount: files.length, bytes: size, dotFiles };
  } finally {
    await rm(partial, { force: true });
  }
}

const USAGE = [
  'Usage: plinth-plugin pack [dir] [--out <folder>]',
  '  Validates the plugin folder dir (default: the current folder) and writes <name>-<version>.tgz',
  '  into --out (default: the current folder). Takes the files npm pack would: the "files" field,',
  '  .npmignore (or .gitignore) and npm\'s fixed rules; earlier *.tgz at the top are left out.',
].join('\n');

export const packCommand: CliCommand = {
  summary: 'validate a plugin folder and pack it into an installable .tgz',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, io, { usage: USAGE, options: { out: { type: 'string', short: 'o' } }, maxPositionals: 1 });
    if (!parsed.ok) return parsed.exitCode;
    const cwd = io.cwd ?? process.cwd();
    const result = await validateForCli(parsed.positionals[0] ?? '.', cwd);
    printResult(result, io);
    if (!result.ok) {
      io.stderr.write('Nothing was packed: fix the problems above first.\n');
      return EXIT.failed;
    }
    const outDir = path.resolve(cwd, parsed.values.out ?? '.');
    try {
      const packed = await packPlugin(result.realDir, result.manifest, outDir);
      for (const dot of packed.dotFiles) io.stderr.write(`warning: packing ${dot}; if it holds secrets, leave it out with .npmignore or the "files" field\n`);
      io.stderr.write(`packed ${packed.fileCount} files (${formatSize(packed.bytes)}) of ${result.manifest.name} ${result.manifest.version}\n`);
      io.stdout.write(`${packed.file}\n`);
      return EXIT.ok;
    } catch (error) {
      io.stderr.write(`plinth-plugin pack: cannot pack ${result.dir}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failed;
    }
  },
};
