/**
 * Settings → Plugins → Browse: search the registry for Plinth plugins, read what one will be
 * allowed to do and whether it fits this Plinth, and install it. Installing goes through the
 * same consent as a file (the window's consent dialog opens for the new plugin).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { CatalogDetails, CatalogHit, InstallProgress, PlinthBridge, PluginSummary } from '../../../../preload/api.ts';
import { UNSANDBOXED_CAPABILITY } from '../../../../sdk/protocol/capabilities.ts';
import type { ShellStore } from '../../shell-store.ts';
import { FullAccessWarning } from '../modal.tsx';
import { Readme } from './readme.tsx';
import './browse.css';
import { RegistryPanel } from './registry-panel.tsx';
import { useCatalog } from './use-catalog.ts';

const ACTION_LABEL: Record<CatalogDetails['action'], (v: string) => string> = {
  install: (v) => `Install ${v}`,
  upgrade: (v) => `Update to ${v}`,
  reinstall: (v) => `Reinstall ${v}`,
  downgrade: (v) => `Install older ${v}`,
  blocked: () => 'Cannot install',
};

function ProgressBar(props: { progress: InstallProgress }): ReactNode {
  const { phase, received, total } = props.progress;
  const label = phase === 'downloading'
    ? `Downloading${total ? ` ${Math.round((received / total) * 100)} %` : ` ${Math.round(received / 1024)} kB`}`
    : phase === 'installing' ? 'Checking and installing…' : 'Finding the version…';
  return (
    <div className="catalog-progress" data-testid="catalog-progress" role="status">
      <progress max={total ?? undefined} value={phase === 'downloading' && total ? received : undefined} aria-label={label} />
      <span>{label}</span>
    </div>
  );
}

function HitRow(props: { hit: CatalogHit; selected: boolean; onSelect(): void }): ReactNode {
  const { hit } = props;
  return (
    <li>
      <button type="button" className={`catalog-hit${props.selected ? ' selected' : ''}`} aria-pressed={props.selected}
        data-testid="catalog-hit" data-name={hit.name} onClick={props.onSelect}>
        <span className="catalog-hit-name">{hit.name}</span>
        <span className="catalog-hit-version">{hit.version}</span>
        {hit.installedVersion && (
          <span className={`badge ${hit.installedVersion === hit.version ? 'ok' : 'info'}`}>
            {hit.installedVersion === hit.version ? 'Installed' : `Installed ${hit.installedVersion}`}
          </span>
        )}
        <span className="catalog-hit-description">{hit.description || 'No description'}</span>
        <span className="catalog-hit-meta muted">
          {hit.author ? `by ${hit.author}` : ''}
          {hit.weeklyDownloads !== null ? `${hit.author ? ' · ' : ''}${hit.weeklyDownloads.toLocaleString()} downloads a week` : ''}
        </span>
      </button>
    </li>
  );
}

function Details(props: { details: CatalogDetails; busy: boolean; remoteImages: boolean; onInstall(spec: string, allowDowngrade: boolean): void; onOpenLink(url: string): void }): ReactNode {
  const d = props.details;
  // Full access is said once, first, in the warning; the list holds the rest.
  const fullAccess = d.capabilities.some((c) => c.capability === UNSANDBOXED_CAPABILITY);
  const others = d.capabilities.filter((c) => c.capability !== UNSANDBOXED_CAPABILITY);
  const fits = d.engines.satisfied;
  return (
    <article className="catalog-details card" data-testid="catalog-details" data-name={d.name} aria-label={d.displayName}>
      <header className="catalog-details-head">
        <div>
          <h3>{d.displayName}</h3>
          <p className="plugin-id">{d.name} · {d.version ?? d.versions[0]?.version ?? ''}{d.author ? ` · by ${d.author}` : ''}</p>
        </div>
        <button type="button" className="button primary" data-testid="catalog-install" disabled={props.busy || d.action === 'blocked' || !d.version}
          onClick={() => props.onInstall(`${d.name}@${d.version}`, d.action === 'downgrade')}>
          {ACTION_LABEL[d.action](d.version ?? '')}
        </button>
      </header>
      {d.description && <p>{d.description}</p>}
      <p className={`badge ${fits ? 'ok' : 'danger'}`} data-testid="catalog-engines">
        {fits ? `Works with this Plinth (plugin API ${d.engines.hostApiVersion})`
          : `Needs plugin API ${d.engines.range ?? '(not declared)'}; this Plinth has ${d.engines.hostApiVersion}`}
      </p>
      {d.unavailableReason && <p className="alert" role="alert">{d.unavailableReason}</p>}
      {d.installed && (
        <p className="muted" data-testid="catalog-installed">
          Installed: {d.installed.version} ({d.installed.state}).
          {d.addedCapabilities.length > 0 && ` This version also asks to: ${d.addedCapabilities.map((c) => c.description).join('; ')}; you will be asked to approve it.`}
        </p>
      )}
      <section aria-label="What it will be allowed to do">
        <h4>It will be allowed to</h4>
        {fullAccess && <FullAccessWarning />}
        {others.length === 0 ? (!fullAccess && <p className="muted">Nothing beyond showing itself.</p>) : (
          <ul className="consent-list" data-testid="catalog-capabilities">
            {others.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
          </ul>
        )}
        {d.optionalCapabilities.length > 0 && (
          <>
            <h4>It may ask you later to</h4>
            <ul className="consent-list">{d.optionalCapabilities.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}</ul>
          </>
        )}
      </section>
      <section aria-label="README" className="catalog-readme">
        {/* Keyed per package and version: "Show images" holds for this README only. */}
        <Readme key={`${d.name}@${d.version ?? ''}`} markdown={d.readme} remoteImages={props.remoteImages} onOpenLink={props.onOpenLink} />
      </section>
    </article>
  );
}

/** The Browse view. */
export function BrowseTab(props: { bridge: PlinthBridge; store: ShellStore; onInstalled(plugin: PluginSummary): void }): ReactNode {
  const catalog = useCatalog(props.bridge, props.onInstalled);
  const [text, setText] = useState('');
  const remoteImages = useStore(props.store, (s) => s.preferences?.readmeRemoteImages ?? false);
  const { search } = catalog;
  useEffect(() => { void search(''); }, [search]);
  const openLink = (url: string) => {
    if (window.confirm(`Open ${url} in your browser?`)) void props.bridge.openExternal(url).catch(() => undefined);
  };
  const hits = catalog.results?.hits ?? [];
  return (
    <div className="view catalog" data-testid="catalog" data-searching={catalog.searching ? 'true' : 'false'}>
      <form className="catalog-search" role="search" onSubmit={(e) => { e.preventDefault(); void search(text); }}>
        <input type="search" aria-label="Search plugins" placeholder="Search plugins" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button primary" disabled={catalog.searching}>Search</button>
      </form>
      <p className="muted catalog-source">
        {catalog.results ? `Plinth plugins on ${catalog.results.registry}` : catalog.searching ? 'Searching…' : ''}
      </p>
      {catalog.searchError && <div className="alert" role="alert" data-testid="catalog-error">{catalog.searchError}</div>}
      <div className="catalog-columns">
        <ul className="catalog-hits" aria-label="Search results" data-testid="catalog-hits">
          {hits.map((hit) => <HitRow key={hit.name} hit={hit} selected={catalog.selected === hit.name} onSelect={() => void catalog.select(hit.name)} />)}
          {catalog.results && hits.length === 0 && <li className="muted">No plugins match.</li>}
        </ul>
        <div className="catalog-pane">
          {catalog.progress && <ProgressBar progress={catalog.progress} />}
          {catalog.installError && <div className="alert" role="alert" data-testid="catalog-install-error">{catalog.installError}</div>}
          {catalog.detailsError && <div className="alert" role="alert">{catalog.detailsError}</div>}
          {catalog.details ? (
            <Details details={catalog.details} busy={catalog.progress !== null} remoteImages={remoteImages} onOpenLink={openLink}
              onInstall={(spec, allowDowngrade) => void catalog.install(spec, allowDowngrade)} />
          ) : !catalog.detailsError && <p className="muted">{catalog.selected ? 'Loading…' : 'Choose a plugin to see what it does and what it will be allowed to do.'}</p>}
        </div>
      </div>
      <RegistryPanel bridge={props.bridge} store={props.store} />
    </div>
  );
}
