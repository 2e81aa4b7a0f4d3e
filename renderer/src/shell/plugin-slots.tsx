/**
 * Plugin UI in one place of the shell: the frames of every slot of a type (filtered by
 * `entityTypes`, in order) and the launcher buttons of a placement zone, each with the full
 * context of CONTRACT §7 for that place.
 */
import { useState, type ReactNode } from 'react';
import type { LauncherContribution } from '../../../preload/api.ts';
import type { EntityType, SlotType } from '../../../sdk/protocol/capabilities.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { SlotHost, launcherTarget, slotTarget, type FrameEntityContext } from '../slot-host.tsx';
import { useTheme } from '../theme.ts';
import { useLaunchers, useSlots } from './contributions.ts';
import { useShellActions } from './shell-actions.tsx';

/** Props of {@link PluginSlots}. */
export interface PluginSlotsProps {
  type: SlotType;
  entityType?: EntityType;
  context?: FrameEntityContext;
  /** Wraps each frame (e.g. a card with the plugin's name); default: a plain box. */
  className?: string;
  /** Show the plugin's icon and slot name above each frame. */
  captioned?: boolean;
}

/** The frames of every slot of `type` for this place; nothing when no plugin contributes. */
export function PluginSlots(props: PluginSlotsProps): ReactNode {
  const slots = useSlots(props.type, props.entityType);
  const theme = useTheme();
  const { navigate } = useShellActions();
  if (slots.length === 0) return null;
  return (
    <>
      {slots.map((c) => (
        <div
          key={`${c.pluginId}/${c.slot.id}`} className={props.className ?? 'plugin-slot'}
          data-testid={`slot-${props.type}`} data-plugin-id={c.pluginId} data-slot-id={c.slot.id}
        >
          {props.captioned && (
            <p className="slot-caption"><PluginIcon src={c.pluginIcon} /> {c.slot.displayName}</p>
          )}
          <SlotHost target={slotTarget(c)} theme={theme} context={{ ...props.context, entityType: props.entityType ?? props.context?.entityType }} onNavigate={navigate} />
        </div>
      ))}
    </>
  );
}

/** Props of {@link LauncherButtons}. */
export interface LauncherButtonsProps {
  zone: SlotType;
  entityType?: EntityType;
  context?: FrameEntityContext;
}

function LauncherButton(props: { launcher: LauncherContribution; context: FrameEntityContext }): ReactNode {
  const { launch } = useShellActions();
  const theme = useTheme();
  const [inline, setInline] = useState(false);
  const { launcher } = props.launcher;
  const isInline = launcher.render?.environment === 'hostInline' && ['openModal', 'openDrawer', 'openPopover'].includes(launcher.action.type);
  return (
    <span className="launcher" data-testid="launcher" data-plugin-id={props.launcher.pluginId} data-launcher-id={launcher.id}>
      <button
        type="button" className="button secondary small" aria-expanded={isInline ? inline : undefined}
        title={`${launcher.displayName} (${props.launcher.pluginDisplayName})`}
        onClick={() => (isInline ? setInline(!inline) : void launch(props.launcher, props.context))}
      >
        <PluginIcon src={props.launcher.pluginIcon} /> {launcher.displayName}
      </button>
      {isInline && inline && (
        <div className={`launcher-inline bounds-${launcher.render?.bounds ?? 'inline'}`} data-testid="launcher-inline">
          <SlotHost target={launcherTarget(props.launcher)} theme={theme} eager context={{ ...props.context, renderEnvironment: 'hostInline' }} onClose={() => setInline(false)} />
        </div>
      )}
    </span>
  );
}

/** Buttons of the launchers placed in `zone` for this place. */
export function LauncherButtons(props: LauncherButtonsProps): ReactNode {
  const launchers = useLaunchers(props.zone, props.entityType);
  const context: FrameEntityContext = { ...props.context, ...(props.entityType ? { entityType: props.entityType } : {}) };
  return launchers.map((l) => <LauncherButton key={`${l.pluginId}/${l.launcher.id}`} launcher={l} context={context} />);
}
