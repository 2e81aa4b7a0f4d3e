/**
 * The sections of an entity page as tabs: the host's own section first, then one tab per
 * plugin `detailTab` for this entity type (in order). Only the selected tab's content is
 * mounted, so a plugin tab's frame is created when the tab is opened. Arrow keys move between
 * tabs (WAI-ARIA tabs pattern); the selection is kept in the URL's `tab` parameter.
 */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useSearch, useLocation } from 'wouter';
import type { EntityType } from '../../../sdk/protocol/capabilities.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { SlotHost, slotTarget, type FrameEntityContext } from '../slot-host.tsx';
import { useTheme } from '../theme.ts';
import { useSlots } from '../shell/contributions.ts';
import { useShellActions } from '../shell/shell-actions.tsx';

/** Id of the host's own tab. */
const OVERVIEW = 'overview';

/** Props of {@link DetailTabs}. */
export interface DetailTabsProps {
  entityType: EntityType;
  context: FrameEntityContext;
  label: string;
  /** The host's own section. */
  children: ReactNode;
  overviewLabel?: string;
}

/** Tabs of an entity page. */
export function DetailTabs(props: DetailTabsProps): ReactNode {
  const slots = useSlots('detailTab', props.entityType);
  const theme = useTheme();
  const { navigate } = useShellActions();
  const search = useSearch();
  const [location, setLocation] = useLocation();
  const idBase = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const tabs = [{ id: OVERVIEW, label: props.overviewLabel ?? 'Overview', icon: undefined as string | undefined }, ...slots.map((s) => ({ id: `${s.pluginId}:${s.slot.id}`, label: s.slot.displayName, icon: s.pluginIcon }))];
  const wanted = new URLSearchParams(search).get('tab') ?? OVERVIEW;
  const selected = tabs.some((t) => t.id === wanted) ? wanted : OVERVIEW;
  const select = (id: string) => setLocation(id === OVERVIEW ? location : `${location}?tab=${encodeURIComponent(id)}`, { replace: true });
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = tabs.findIndex((t) => t.id === selected);
    const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
    if (!next) return;
    select(next.id);
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-tab-id="${CSS.escape(next.id)}"]`)?.focus());
  };
  const slot = slots.find((s) => `${s.pluginId}:${s.slot.id}` === selected);
  return (
    <div className="detail-tabs">
      {tabs.length > 1 && (
        <div ref={listRef} role="tablist" aria-label={props.label} className="tablist" onKeyDown={onKeyDown}>
          {tabs.map((t) => (
            <button
              key={t.id} type="button" role="tab" id={`${idBase}-${t.id}`} data-tab-id={t.id} data-testid="detail-tab"
              aria-selected={t.id === selected} tabIndex={t.id === selected ? 0 : -1} className="tab"
              aria-controls={`${idBase}-panel`} onClick={() => select(t.id)}
            >
              {t.icon && <PluginIcon src={t.icon} />} {t.label}
            </button>
          ))}
        </div>
      )}
      <div role={tabs.length > 1 ? 'tabpanel' : undefined} id={`${idBase}-panel`} aria-labelledby={tabs.length > 1 ? `${idBase}-${selected}` : undefined} className="detail-panel">
        {slot ? (
          <div data-testid="slot-detailTab" data-plugin-id={slot.pluginId} data-slot-id={slot.slot.id}>
            <SlotHost key={selected} target={slotTarget(slot)} theme={theme} eager context={{ ...props.context, entityType: props.entityType }} onNavigate={navigate} />
          </div>
        ) : props.children}
      </div>
    </div>
  );
}
