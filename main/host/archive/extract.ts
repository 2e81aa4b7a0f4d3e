/**
 * Unpacks a plugin archive (a `.tgz` made by `npm pack` or `plinth-plugin pack`) into a plugin
 * folder, refusing anything that could write outside it, fill the disk, or leave a half-written
 * plugin behind.
 */
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { extract, Parser, ReadEntry } from 'tar';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { createEntryInspector, normalizeMode } from './inspect-entry.ts';
import { ARCHIVE_ROOT, MAX_PLUGIN_ARCHIVE_BYTES, formatSize } from './limits.ts';

/** Options of {@link extractPluginArchive}. */
export interface ExtractOptions {
  /** Limit (bytes) of the compressed file and of its unpacked files; default {@link MAX_PLUGIN_ARCHIVE_BYTES}. */
  maxBytes?: number;
}

function refused(archive: string, reason: string): PlinthError {
  return new PlinthError('INVALID_INPUT', `Refused plugin archive ${path.basename(archive)}: ${reason}`, { archive });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * First pass, nothing written: reads every header and refuses the archive on the first bad
 * entry, stopping the read at once (so a decompression bomb costs little).
 */
async function inspectArchive(archive: string, maxBytes: number): Promise<void> {
  const inspector = createEntryInspector(maxBytes);
  let refusal: string | undefined;
  const parser = new Parser({
    strict: true, // a corrupt header is an error, not a skipped entry
    filter: (_path, entry) => {
      const reason = entry instanceof ReadEntry ? inspector.inspect(entry) : undefined;
      if (reason && refusal === undefined) {
        refusal = reason;
        parser.abort(new Error(reason));
      }
      return false; // listing only: skip every body
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', (error: Error) => reject(error));
  });
  done.catch(() => undefined); // observed below; avoids an unhandled rejection while reading
  try {
    for await (const chunk of createReadStream(archive)) {
      if (refusal !== undefined) break;
      parser.write(chunk as Buffer);
    }
    if (refusal === undefined) parser.end();
    await done;
  } catch (error) {
    throw refused(archive, refusal ?? `it is not a valid .tgz archive (${errorText(error)})`);
  }
  if (refusal !== undefined) throw refused(archive, refusal);
  if (!inspector.sawManifest) throw refused(archive, `it has no ${ARCHIVE_ROOT}/package.json (make it with npm pack or plinth-plugin pack)`);
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Extracts the `.tgz` at `tgzPath` into the new folder `destDir`, stripping the `package/`
 * prefix of `npm pack`. The archive is unpacked into a hidden temporary folder next to
 * `destDir` (`.<name>.partial-*`, which discovery skips) and renamed into place only when every
 * check passed, so a failure leaves nothing behind.
 *
 * @returns `{ dir }`, the absolute path of the plugin folder (still to be validated as a plugin)
 * @throws PlinthError `NOT_FOUND` when the archive does not exist; `CONFLICT` when `destDir`
 *   already exists; `INVALID_INPUT` when the archive is over the size limit (compressed or
 *   unpacked), not a tar archive, or has an entry that is absolute, contains `..`, lies outside
 *   `package/`, is a symbolic or hard link, a device, a FIFO or another non-file type, or when
 *   `package/package.json` is missing.
 */
export async function extractPluginArchive(tgzPath: string, destDir: string, options: ExtractOptions = {}): Promise<{ dir: string }> {
  const archive = path.resolve(tgzPath);
  const dest = path.resolve(destDir);
  const maxBytes = options.maxBytes ?? MAX_PLUGIN_ARCHIVE_BYTES;

  let info;
  try {
    info = await stat(archive);
  } catch {
    throw new PlinthError('NOT_FOUND', `Plugin archive ${archive} does not exist`);
  }
  if (!info.isFile()) throw refused(archive, 'it is not a file');
  if (info.size > maxBytes) throw refused(archive, `it is ${formatSize(info.size)}, over the ${formatSize(maxBytes)} limit`);
  if (await exists(dest)) throw new PlinthError('CONFLICT', `Cannot install into ${dest}: it already exists`);

  await inspectArchive(archive, maxBytes);

  await mkdir(path.dirname(dest), { recursive: true });
  const temp = await mkdtemp(path.join(path.dirname(dest), `.${path.basename(dest)}.partial-`));
  try {
    // Second pass writes; it applies the same checks again in case the file changed meanwhile.
    const inspector = createEntryInspector(maxBytes);
    let refusal: string | undefined;
    await extract({
      file: archive,
      cwd: temp,
      strip: 1,
      strict: true,
      preserveOwner: false, // never chown to the archive's uid/gid, even when running as root
      filter: (_path, entry) => {
        if (!(entry instanceof ReadEntry)) return false;
        const reason = inspector.inspect(entry);
        if (reason) {
          refusal ??= reason;
          return false;
        }
        normalizeMode(entry);
        return true;
      },
    });
    if (refusal !== undefined) throw refused(archive, refusal);
    const manifest = await lstat(path.join(temp, 'package.json')).catch(() => undefined);
    if (!manifest?.isFile()) throw refused(archive, `it has no ${ARCHIVE_ROOT}/package.json file`);
    await chmod(temp, 0o755); // mkdtemp makes it private; a plugin folder is an ordinary folder
    try {
      await rename(temp, dest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') throw new PlinthError('CONFLICT', `Cannot install into ${dest}: it already exists`);
      throw error;
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof PlinthError) throw error;
    throw refused(archive, `it could not be unpacked (${errorText(error)})`);
  }
  return { dir: dest };
}
