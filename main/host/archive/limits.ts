/** Limits of plugin archives (`.tgz` from `npm pack`), shared by the installer and `plinth-plugin pack`. */

/**
 * Largest plugin archive (bytes), for both the compressed file and the sum of its unpacked files.
 * Plugins are plain ES modules and assets; 50 MB is generous for that and stops an archive from
 * filling the disk or a decompression bomb from running long.
 */
export const MAX_PLUGIN_ARCHIVE_BYTES = 50 * 1024 * 1024;

/** Most entries an archive may hold: far above a bundled plugin's file count, well below an inode bomb. */
export const MAX_PLUGIN_ARCHIVE_ENTRIES = 20_000;

/** The folder `npm pack` puts every entry under. */
export const ARCHIVE_ROOT = 'package';

/** A size for messages: `12.3 kB` below one MB, else `4.5 MB` (1 MB = 1024 × 1024 bytes). */
export function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
