/** State of the Browse tab: the search, the selected package's details and an install in progress. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CatalogDetails, CatalogSearchResult, InstallProgress, PlinthBridge, PluginSummary } from '../../../../preload/api.ts';

/** A failed call's words for the user. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the Browse tab shows and does. */
export function useCatalog(bridge: PlinthBridge, onInstalled: (plugin: PluginSummary) => void) {
  const [results, setResults] = useState<CatalogSearchResult | null>(null);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [details, setDetails] = useState<CatalogDetails | null>(null);
  const [detailsError, setDetailsError] = useState<string | null>(null);
  const [progress, setProgress] = useState<InstallProgress | null>(null);
  const [installError, setInstallError] = useState<string | null>(null);
  const seq = useRef(0);

  const search = useCallback(async (text: string) => {
    const mine = ++seq.current;
    setSearching(true);
    setSearchError(null);
    try {
      const found = await bridge.searchCatalog(text);
      if (mine === seq.current) setResults(found);
    } catch (error) {
      if (mine === seq.current) setSearchError(messageOf(error));
    } finally {
      if (mine === seq.current) setSearching(false);
    }
  }, [bridge]);

  const select = useCallback(async (name: string) => {
    setSelected(name);
    setDetails(null);
    setDetailsError(null);
    setInstallError(null);
    try {
      setDetails(await bridge.catalogDetails(name));
    } catch (error) {
      setDetailsError(messageOf(error));
    }
  }, [bridge]);

  useEffect(() => bridge.on('catalog.progress', (p) => setProgress(p)), [bridge]);

  const install = useCallback(async (spec: string, allowDowngrade = false) => {
    setInstallError(null);
    setProgress({ name: spec, phase: 'resolving', received: 0, total: null });
    try {
      const result = await bridge.installFromRegistry(spec, allowDowngrade || undefined);
      onInstalled(result.plugin);
      if (selected) void select(selected);
    } catch (error) {
      setInstallError(messageOf(error));
    } finally {
      setProgress(null);
    }
  }, [bridge, onInstalled, select, selected]);

  return { results, searching, searchError, search, selected, select, details, detailsError, progress, install, installError };
}
