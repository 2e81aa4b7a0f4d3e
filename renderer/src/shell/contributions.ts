/**
 * The UI contributions of the enabled plugins (every slot and launcher), fetched once and again
 * on `plugins.changed`. Lists are replaced as a whole, but every frame is keyed by plugin and
 * slot id, so a refresh never remounts a frame that is still contributed.
 */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { LauncherContribution, SlotContribution, UiContributions } from '../../../preload/api.ts';
import type { EntityType, SlotType } from '../../../sdk/protocol/capabilities.ts';

/** What the shell reads. */
export interface ContributionsState extends UiContributions {
  loaded: boolean;
  error: string | null;
  refresh(): Promise<void>;
}

/** The store, over `window.plinth`. */
export const contributionsStore = createStore<ContributionsState>()((set) => {
  let seq = 0;
  return {
    slots: [], launchers: [], loaded: false, error: null,
    async refresh() {
      const mine = ++seq;
      try {
        const next = await window.plinth.uiContributions();
        if (mine === seq) set({ ...next, loaded: true, error: null });
      } catch (error) {
        if (mine === seq) set({ error: `Could not load plugin UI: ${error instanceof Error ? error.message : String(error)}` });
      }
    },
  };
});

/**
 * True when a contribution with `entityTypes` belongs where `entityType` is shown. No
 * `entityTypes` (or an empty list) means every place of its slot type (CONTRACT §8).
 */
export function matchesEntity(entityTypes: readonly EntityType[] | undefined, entityType: EntityType | undefined): boolean {
  if (!entityTypes || entityTypes.length === 0 || entityType === undefined) return true;
  return entityTypes.includes(entityType);
}

/** Slots of one type for one place, in the host's order (`order`, then name). */
export function useSlots(type: SlotType, entityType?: EntityType): SlotContribution[] {
  const slots = useStore(contributionsStore, (s) => s.slots);
  return useMemo(() => slots.filter((s) => s.slot.type === type && matchesEntity(s.slot.entityTypes, entityType)), [slots, type, entityType]);
}

/** Launchers of one placement zone for one place, in order. */
export function useLaunchers(zone: SlotType, entityType?: EntityType): LauncherContribution[] {
  const launchers = useStore(contributionsStore, (s) => s.launchers);
  return useMemo(
    () => launchers.filter((l) => l.launcher.placementZone === zone && matchesEntity(l.launcher.entityTypes, entityType)),
    [launchers, zone, entityType],
  );
}

/** `<pluginId>/<slotId>`: how the dashboard layout names a widget. */
export function widgetKey(c: SlotContribution): string {
  return `${c.pluginId}/${c.slot.id}`;
}
