/**
 * Tabs in the WAI-ARIA pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab stop,
 * arrow keys move between tabs and select them, Home/End jump to the ends. The selected tab is
 * kept in the URL hash, so a reload (or a link such as `settings.html#running`) opens it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/** One tab. `id` is also its URL hash. */
export interface TabSpec { id: string; label: string; render(): ReactNode }

function tabFromHash<T extends string>(ids: readonly T[], fallback: T): T {
  const hash = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  return (ids as readonly string[]).includes(hash) ? (hash as T) : fallback;
}

/** The selected tab id, synced with `location.hash`. */
export function useHashTab<T extends string>(ids: readonly T[]): [T, (id: T) => void] {
  const fallback = ids[0] as T;
  const [selected, setSelected] = useState<T>(() => tabFromHash(ids, fallback));
  useEffect(() => {
    const onHash = () => setSelected(tabFromHash(ids, fallback));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [ids, fallback]);
  const select = (id: T) => {
    setSelected(id);
    // replaceState: switching tabs is not navigation, and it fires no hashchange.
    window.history.replaceState(null, '', `#${encodeURIComponent(id)}`);
  };
  return [selected, select];
}

/** Props of {@link Tabs}. */
export interface TabsProps {
  label: string;
  tabs: readonly TabSpec[];
  selected: string;
  onSelect(id: string): void;
  /** Extra class of the tab list (e.g. to place it in a header). */
  className?: string;
}

/** The tab list only; render the panel with {@link TabPanel} where it belongs. */
export function TabList(props: TabsProps & { idBase: string }): ReactNode {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = props.tabs.findIndex((t) => t.id === props.selected);
    const last = props.tabs.length - 1;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = props.tabs[(next + props.tabs.length) % props.tabs.length];
    if (!target) return;
    props.onSelect(target.id);
    refs.current.get(target.id)?.focus();
  };
  return (
    <div role="tablist" aria-label={props.label} className={`tabs ${props.className ?? ''}`} onKeyDown={onKeyDown}>
      {props.tabs.map((tab) => {
        const selected = tab.id === props.selected;
        return (
          <button
            key={tab.id}
            ref={(el) => {
              if (el) refs.current.set(tab.id, el);
              else refs.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`${props.idBase}-tab-${tab.id}`}
            aria-selected={selected}
            aria-controls={`${props.idBase}-panel-${tab.id}`}
            tabIndex={selected ? 0 : -1}
            className="tab"
            data-testid={`tab-${tab.id}`}
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}

/** The selected tab's panel. Only the selected panel is mounted, so hidden views do not poll. */
export function TabPanel(props: { tabs: readonly TabSpec[]; selected: string; idBase: string }): ReactNode {
  const tab = props.tabs.find((t) => t.id === props.selected) ?? props.tabs[0];
  if (!tab) return null;
  return (
    <div role="tabpanel" id={`${props.idBase}-panel-${tab.id}`} aria-labelledby={`${props.idBase}-tab-${tab.id}`} tabIndex={0} className="tab-panel" data-testid={`panel-${tab.id}`}>
      {tab.render()}
    </div>
  );
}

/** A stable id prefix for one {@link TabList}/{@link TabPanel} pair. */
export function useTabsId(): string {
  return useId().replace(/:/g, '');
}
