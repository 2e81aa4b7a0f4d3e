/**
 * Plugin menu entries of one entity: `contextMenuItem` (right click or the Menu key on a task or
 * project) and `commentContextMenuItem` (a comment's ⋮ menu). A slot entry opens its component
 * in a popover with the entity's context; a launcher entry runs its action. The menu is a
 * `role="menu"`: arrow keys move, Esc closes and gives focus back.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import type { EntityType, SlotType } from '../../../sdk/protocol/capabilities.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { slotTarget, type FrameEntityContext } from '../slot-host.tsx';
import { useLaunchers, useSlots } from './contributions.ts';
import { useShellActions } from './shell-actions.tsx';

/** Props of {@link PluginMenu}. */
export interface PluginMenuProps {
  zone: Extract<SlotType, 'contextMenuItem' | 'commentContextMenuItem'>;
  entityType: EntityType;
  context: FrameEntityContext;
  /** Where to show the menu (px in the viewport); absent → below the opener. */
  at?: { x: number; y: number };
  label: string;
  onClose(): void;
}

/** True when some plugin contributes to `zone` for `entityType` (the ⋮ button shows only then). */
export function useHasMenuItems(zone: PluginMenuProps['zone'], entityType: EntityType): boolean {
  return useSlots(zone, entityType).length + useLaunchers(zone, entityType).length > 0;
}

/** The open menu. */
export function PluginMenu(props: PluginMenuProps): ReactNode {
  const slots = useSlots(props.zone, props.entityType);
  const launchers = useLaunchers(props.zone, props.entityType);
  const { openOverlay, launch } = useShellActions();
  const ref = useRef<HTMLDivElement>(null);
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  const context: FrameEntityContext = { ...props.context, entityType: props.entityType };

  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const outside = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose.current();
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, []);

  const close = (restore: boolean) => {
    props.onClose();
    if (restore && opener?.isConnected) opener.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = (index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items[next]?.focus();
    }
  };

  return (
    <div
      ref={ref} className="plugin-menu" role="menu" aria-label={props.label} data-testid="plugin-menu"
      style={props.at ? { position: 'fixed', left: props.at.x, top: props.at.y } : undefined}
      onKeyDown={onKeyDown}
    >
      {slots.length + launchers.length === 0 && <p className="muted menu-empty">No plugin adds anything here.</p>}
      {slots.map((c) => (
        <button
          key={`s/${c.pluginId}/${c.slot.id}`} type="button" role="menuitem" className="menu-item" data-testid="menu-item"
          data-plugin-id={c.pluginId} data-slot-id={c.slot.id}
          onClick={() => {
            close(false);
            openOverlay({ kind: 'popover', target: slotTarget(c), bounds: 'compact', context: { ...context, renderEnvironment: 'hostOverlay' } });
          }}
        >
          <PluginIcon src={c.pluginIcon} /> {c.slot.displayName}
        </button>
      ))}
      {launchers.map((l) => (
        <button
          key={`l/${l.pluginId}/${l.launcher.id}`} type="button" role="menuitem" className="menu-item" data-testid="menu-item"
          data-plugin-id={l.pluginId} data-launcher-id={l.launcher.id}
          onClick={() => {
            close(false);
            void launch(l, context);
          }}
        >
          <PluginIcon src={l.pluginIcon} /> {l.launcher.displayName}
        </button>
      ))}
    </div>
  );
}

/**
 * Props spread on an element that opens the entity's context menu with a right click or the
 * Menu key / Shift+F10; render `menu` somewhere inside the same component.
 */
export function useContextMenu(): { open: { x: number; y: number } | null; close(): void; handlers: { onContextMenu(e: ReactMouseEvent): void; onKeyDown(e: KeyboardEvent): void } } {
  const [open, setOpen] = useState<{ x: number; y: number } | null>(null);
  return {
    open,
    close: () => setOpen(null),
    handlers: {
      onContextMenu(event) {
        event.preventDefault();
        setOpen({ x: event.clientX, y: event.clientY });
      },
      onKeyDown(event) {
        if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
          event.preventDefault();
          const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
          setOpen({ x: rect.left + 16, y: rect.top + 24 });
        }
      },
    },
  };
}
