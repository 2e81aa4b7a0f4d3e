/**
 * Which published version to install or update to. The rules users rely on: a yanked
 * (deprecated) version is never chosen by a range, a tag or an update; an update never goes to a
 * lower version; only versions whose `engines.plinth` this host satisfies qualify; prereleases
 * only when asked for by name. npm's `latest` dist-tag is the publisher's chosen release, so an
 * update never goes past it.
 */
import semver from 'semver';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Packument, PackumentVersion } from './registry-client.ts';

/** True when the host's plugin API satisfies the version's `engines.plinth`. */
export function enginesSatisfied(doc: PackumentVersion, hostApiVersion: string): boolean {
  const range = doc.engines?.plinth;
  return typeof range === 'string' && semver.validRange(range) !== null && semver.satisfies(hostApiVersion, range);
}

/** Why a version does not qualify, or `null` when it does. */
function unfit(doc: PackumentVersion, hostApiVersion: string): string | null {
  if (doc.deprecated) return `deprecated by its publisher: ${doc.deprecated}`;
  if (!enginesSatisfied(doc, hostApiVersion)) return `needs Plinth plugin API ${doc.engines?.plinth ?? '(none declared)'}, this Plinth has ${hostApiVersion}`;
  return null;
}

const latestOf = (p: Packument): string | undefined => {
  const tag = p['dist-tags']?.latest;
  return tag && p.versions[tag] ? tag : undefined;
};

/**
 * The version `spec` names in `packument`: an exact version, a dist-tag, a semver range, or
 * nothing (= `latest`, or the highest fitting version when `latest` does not fit).
 * @throws PlinthError `NOT_FOUND` no such version (never published or unpublished), or nothing
 *   fits the range; `CONFLICT` an exact version that is deprecated or needs another plugin API
 */
export function selectForInstall(packument: Packument, spec: string | undefined, hostApiVersion: string): PackumentVersion {
  const name = packument.name;
  const versions = Object.keys(packument.versions).filter((v) => semver.valid(v));
  const wanted = spec?.trim() || undefined;
  const exact = wanted && semver.valid(wanted) ? semver.clean(wanted) : null;
  if (exact) {
    const doc = packument.versions[exact];
    if (!doc) throw new PlinthError('NOT_FOUND', `${name}@${exact} is not on the registry (never published, or unpublished). Published: ${versions.join(', ') || 'none'}.`, { name, version: exact });
    const why = unfit(doc, hostApiVersion);
    if (why) throw new PlinthError('CONFLICT', `${name}@${exact} cannot be installed: ${why}.`, { name, version: exact, reason: doc.deprecated ? 'yanked' : 'engines' });
    return doc;
  }
  const tagged = wanted ? packument['dist-tags']?.[wanted] : latestOf(packument);
  if (tagged && packument.versions[tagged] && !unfit(packument.versions[tagged], hostApiVersion)) return packument.versions[tagged];
  if (wanted && !tagged && semver.validRange(wanted) === null) {
    throw new PlinthError('NOT_FOUND', `"${wanted}" is neither a version, a range nor a tag of ${name}`, { name, spec: wanted });
  }
  const range = wanted && !tagged ? wanted : '*';
  const fitting = versions.filter((v) => semver.satisfies(v, range) && !unfit(packument.versions[v]!, hostApiVersion));
  const best = semver.maxSatisfying(fitting, range);
  if (!best) {
    const reasons = versions.map((v) => `${v}: ${unfit(packument.versions[v]!, hostApiVersion) ?? 'outside the range'}`);
    throw new PlinthError('NOT_FOUND', `No version of ${name} fits${wanted ? ` "${wanted}"` : ''}:\n${reasons.map((r) => `- ${r}`).join('\n')}`, { name });
  }
  return packument.versions[best]!;
}

/** The result of {@link selectUpdate}. */
export interface UpdateChoice {
  /** The version to update to, or `null` when there is none. */
  next: PackumentVersion | null;
  /** Set when the installed version was deprecated or unpublished since: the user should know. */
  installedYanked: string | null;
  /**
   * The highest version above `installed` and above `next` (at most `latest`, no prerelease) that
   * was passed over, and why (deprecated, or needs another plugin API): the user is told, never
   * updated to it silently.
   */
  skipped: { version: string; reason: string } | null;
}

/**
 * The update for `installed`: the highest version above it, at most `latest`, not deprecated,
 * not a prerelease, fitting this host. Never lower than `installed`.
 */
export function selectUpdate(packument: Packument, installed: string, hostApiVersion: string): UpdateChoice {
  const current = packument.versions[installed];
  const installedYanked = !current ? 'unpublished from the registry' : current.deprecated ? `deprecated: ${current.deprecated}` : null;
  const latest = latestOf(packument);
  const candidates = Object.keys(packument.versions).filter((v) =>
    semver.valid(v) && semver.prerelease(v) === null && semver.gt(v, installed) &&
    (latest === undefined || semver.lte(v, latest)) && !unfit(packument.versions[v]!, hostApiVersion));
  const best = candidates.sort(semver.rcompare)[0];
  const passedOver = Object.keys(packument.versions).filter((v) =>
    semver.valid(v) && semver.prerelease(v) === null && semver.gt(v, best ?? installed) &&
    (latest === undefined || semver.lte(v, latest))).sort(semver.rcompare)[0];
  const reason = passedOver ? unfit(packument.versions[passedOver]!, hostApiVersion) : null;
  return { next: best ? packument.versions[best]! : null, installedYanked, skipped: passedOver && reason ? { version: passedOver, reason } : null };
}
