/**
 * Talks to npm registries with npm's own libraries: `libnpmsearch` for the search API,
 * `npm-registry-fetch` for packuments and tarballs (auth, scopes, proxy, retries), `ssri` to
 * check each tarball against the registry's `dist.integrity` while it downloads. A tarball
 * whose bytes do not match is deleted before anyone can unpack it.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import search from 'libnpmsearch';
import npmFetch from 'npm-registry-fetch';
import ssri from 'ssri';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { MAX_PLUGIN_ARCHIVE_BYTES, formatSize } from '../archive/limits.ts';
import { fetchOptions, registryFor, type RegistryAccess, type RegistrySettings } from './registry-settings.ts';

/** The keyword every Plinth plugin on a registry carries (issue: "packages with the keyword plinth-plugin"). */
export const PLUGIN_KEYWORD = 'plinth-plugin';
/** Most search results asked for at once. */
export const SEARCH_LIMIT = 50;

/** One search hit, as the registry's search API gives it. */
export interface SearchHit {
  name: string;
  version: string;
  description: string;
  author: string | null;
  keywords: string[];
  /** Downloads in the last week, when the registry reports them (npmjs does, Verdaccio does not). */
  weeklyDownloads: number | null;
}

/** The parts of a version document ("manifest" in npm's words) Plinth reads. */
export interface PackumentVersion {
  name: string;
  version: string;
  description?: string;
  engines?: Record<string, string>;
  plinth?: { displayName?: unknown; capabilities?: unknown; optionalCapabilities?: unknown };
  /** Set by `npm deprecate`: the version is yanked, with the publisher's reason. */
  deprecated?: string;
  dist: { tarball: string; integrity?: string; shasum?: string; unpackedSize?: number };
  author?: unknown;
}

/** A package document: every published version (unpublished ones are gone from `versions`). */
export interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, PackumentVersion>;
  readme?: string;
  time?: Record<string, string>;
}

/** Download progress (bytes); `total` is `null` when the registry sent no length. */
export interface DownloadProgress { received: number; total: number | null }

/** The registry client; `settings()` is read on every call so preference changes apply at once. */
export interface RegistryClient {
  /**
   * Searches for Plinth plugins matching `text` (empty: all of them), newest first as the
   * registry ranks them; only packages carrying {@link PLUGIN_KEYWORD} are returned.
   * @throws PlinthError see {@link registryError}
   */
  search(text: string): Promise<SearchHit[]>;
  /** The full packument of `name`. @throws PlinthError `NOT_FOUND` no such package; see {@link registryError} */
  packument(name: string): Promise<Packument>;
  /**
   * Downloads `version`'s tarball to `file`, checking it against `dist.integrity` (sha512 SRI)
   * as it arrives; on any failure `file` is deleted.
   * @throws PlinthError `INVALID_INPUT` (`data.reason: 'integrity'`) when the bytes do not match or
   *   the version has no sha512 integrity; `PAYLOAD_TOO_LARGE` past the archive limit
   */
  download(version: PackumentVersion, file: string, onProgress?: (p: DownloadProgress) => void): Promise<{ integrity: string; bytes: number }>;
  /** The registry URL `name` is fetched from. */
  registryFor(name: string): string;
}

/**
 * Turns an npm-registry-fetch failure into a PlinthError a user can act on:
 * `NETWORK_ERROR` (`data.reason: 'offline'`) no answer; `NOT_READY` (`reason: 'auth'`) 401/403;
 * `NOT_FOUND` 404; `INTERNAL` (`reason: 'registry'`) any other status.
 */
export function registryError(error: unknown, registry: string, what: string): PlinthError {
  if (error instanceof PlinthError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  const status = e.statusCode;
  if (status === 401 || status === 403) {
    return new PlinthError('NOT_READY', `${registry} refused ${what} (HTTP ${status}): add an auth token for this registry in Preferences → Registries, or check the one stored.`, { reason: 'auth', registry, status });
  }
  if (status === 404) return new PlinthError('NOT_FOUND', `${registry} has no ${what}`, { reason: 'not-found', registry });
  if (status !== undefined) return new PlinthError('INTERNAL', `${registry} answered ${what} with HTTP ${status}; try again later.`, { reason: 'registry', registry, status });
  return new PlinthError('NETWORK_ERROR',
    `Cannot reach ${registry} (${e.code ?? e.message ?? 'no answer'}). You may be offline, or a proxy or firewall blocks it; nothing was changed.`,
    { reason: 'offline', registry, ...(e.code ? { errno: e.code } : {}) });
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function authorName(author: unknown): string | null {
  if (typeof author === 'string') return text(author);
  if (typeof author === 'object' && author !== null) return text((author as { name?: unknown }).name);
  return null;
}

interface RawHit {
  package: { name: string; version?: string; description?: string; keywords?: unknown; author?: unknown; publisher?: unknown; 'dist-tags'?: Record<string, string> };
  downloads?: { weekly?: number };
}

function toHit(raw: RawHit): SearchHit {
  const p = raw.package;
  return {
    name: p.name,
    version: p.version ?? p['dist-tags']?.latest ?? '',
    description: p.description ?? '',
    author: authorName(p.author) ?? authorName(p.publisher),
    keywords: Array.isArray(p.keywords) ? p.keywords.filter((k): k is string => typeof k === 'string') : [],
    weeklyDownloads: typeof raw.downloads?.weekly === 'number' ? raw.downloads.weekly : null,
  };
}

/** Creates the client over the current registry settings and access (tokens, proxy). */
export function createRegistryClient(settings: () => RegistrySettings, access: RegistryAccess): RegistryClient {
  async function searchOnce(query: string): Promise<SearchHit[]> {
    const opts = await fetchOptions(settings(), access);
    const raw = (await search(query, { ...opts, detailed: true, limit: SEARCH_LIMIT })) as RawHit[];
    return raw.map(toHit).filter((hit) => hit.keywords.includes(PLUGIN_KEYWORD));
  }
  return {
    registryFor: (name) => registryFor(settings(), name),
    async search(query) {
      const words = query.trim();
      const registry = registryFor(settings(), 'x');
      try {
        const hits = await searchOnce(`keywords:${PLUGIN_KEYWORD}${words ? ` ${words}` : ''}`);
        // Registries whose search ignores npm's `keywords:` qualifier (Verdaccio) match it as
        // text and find nothing: ask for the words alone and keep the plugins.
        return hits.length > 0 ? hits : await searchOnce(words);
      } catch (error) {
        throw registryError(error, registry, 'the search');
      }
    },
    async packument(name) {
      const registry = registryFor(settings(), name);
      try {
        const opts = await fetchOptions(settings(), access, name);
        // The full document, not the abbreviated one: it carries each version's `plinth` and the README.
        const doc = (await npmFetch.json(`${registry}${name.replace('/', '%2f')}`, { ...opts, headers: { accept: 'application/json' } })) as unknown as Packument;
        if (typeof doc !== 'object' || doc === null || typeof doc.versions !== 'object') {
          throw new PlinthError('INTERNAL', `${registry} sent a malformed document for "${name}"`, { reason: 'registry', registry });
        }
        return doc;
      } catch (error) {
        throw registryError(error, registry, `package "${name}"`);
      }
    },
    async download(version, file, onProgress) {
      const integrity = version.dist.integrity;
      const what = `${version.name}@${version.version}`;
      if (!integrity || !ssri.parse(integrity).sha512) {
        throw new PlinthError('INVALID_INPUT', `${what} has no sha512 integrity on the registry, so its download cannot be checked; it was not installed.`, { reason: 'integrity' });
      }
      const registry = registryFor(settings(), version.name);
      try {
        const opts = await fetchOptions(settings(), access, version.name);
        const res = await npmFetch(version.dist.tarball, opts);
        const length = Number(res.headers.get('content-length'));
        const total = Number.isFinite(length) && length > 0 ? length : null;
        if (total !== null && total > MAX_PLUGIN_ARCHIVE_BYTES) {
          throw new PlinthError('PAYLOAD_TOO_LARGE', `${what} is ${formatSize(total)}, over the ${formatSize(MAX_PLUGIN_ARCHIVE_BYTES)} plugin limit`);
        }
        let received = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            received += chunk.length;
            if (received > MAX_PLUGIN_ARCHIVE_BYTES) {
              done(new PlinthError('PAYLOAD_TOO_LARGE', `${what} is over the ${formatSize(MAX_PLUGIN_ARCHIVE_BYTES)} plugin limit`));
              return;
            }
            onProgress?.({ received, total });
            done(null, chunk);
          },
        });
        await pipeline(res.body as unknown as NodeJS.ReadableStream, counter, ssri.integrityStream({ integrity }), createWriteStream(file));
        return { integrity, bytes: received };
      } catch (error) {
        await rm(file, { force: true });
        if ((error as { code?: string }).code === 'EINTEGRITY') {
          throw new PlinthError('INVALID_INPUT',
            `The download of ${what} from ${registry} does not match the registry's integrity hash: it was altered on the way or on the server. It was deleted and not installed.`,
            { reason: 'integrity', expected: integrity });
        }
        throw registryError(error, registry, `the tarball of ${what}`);
      }
    },
  };
}
