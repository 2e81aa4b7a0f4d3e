/**
 * A plugin's `page` slot at `/plugins/<pluginId>/<slotId>`, and a launcher rendered as a route
 * (`render.environment: "hostRoute"`) at `/plugins/<pluginId>/launchers/<launcherId>`, whose
 * entity context comes from the URL's query.
 */
import type { ReactNode } from 'react';
import { useSearch } from 'wouter';
import { useStore } from 'zustand';
import type { EntityType } from '../../../sdk/protocol/capabilities.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { SlotHost, launcherTarget, slotTarget, type FrameEntityContext, type FrameTarget } from '../slot-host.tsx';
import { useTheme } from '../theme.ts';
import { contributionsStore } from '../shell/contributions.ts';
import { useShellActions } from '../shell/shell-actions.tsx';

const ENTITY_TYPES = new Set(['project', 'task', 'comment']);

function PageFrame(props: { target: FrameTarget | undefined; loaded: boolean; context: FrameEntityContext; what: string }): ReactNode {
  const theme = useTheme();
  const { navigate } = useShellActions();
  if (!props.target) {
    return props.loaded ? (
      <div className="empty-state" data-testid="plugin-page-missing">
        <h2>This {props.what} is not available</h2>
        <p>The plugin that provides it is switched off, uninstalled or no longer has it. Open Settings to check.</p>
      </div>
    ) : <p className="muted">Loading…</p>;
  }
  return (
    <section className="view plugin-page" data-testid="plugin-page" data-plugin-id={props.target.pluginId} aria-label={props.target.displayName}>
      <div className="page-heading">
        <h1><PluginIcon src={props.target.pluginIcon} size={20} /> {props.target.displayName}</h1>
        <p className="muted">{props.target.pluginDisplayName}</p>
      </div>
      <SlotHost target={props.target} theme={theme} eager context={props.context} onNavigate={navigate} />
    </section>
  );
}

/** `/plugins/:pluginId/:slotId`. */
export function PluginPage(props: { pluginId: string; slotId: string }): ReactNode {
  const slot = useStore(contributionsStore, (s) => s.slots.find((c) => c.pluginId === props.pluginId && c.slot.id === props.slotId && c.slot.type === 'page'));
  const loaded = useStore(contributionsStore, (s) => s.loaded);
  return <PageFrame key={`${props.pluginId}/${props.slotId}`} target={slot && slotTarget(slot)} loaded={loaded} context={{ renderEnvironment: 'hostRoute' }} what="page" />;
}

/** `/plugins/:pluginId/launchers/:launcherId?entityType=…&entityId=…&projectId=…`. */
export function LauncherRoute(props: { pluginId: string; launcherId: string }): ReactNode {
  const launcher = useStore(contributionsStore, (s) => s.launchers.find((c) => c.pluginId === props.pluginId && c.launcher.id === props.launcherId));
  const loaded = useStore(contributionsStore, (s) => s.loaded);
  const params = new URLSearchParams(useSearch());
  const entityType = params.get('entityType');
  const context: FrameEntityContext = {
    renderEnvironment: 'hostRoute',
    ...(entityType && ENTITY_TYPES.has(entityType) ? { entityType: entityType as EntityType } : {}),
    ...(params.get('entityId') ? { entityId: params.get('entityId') as string } : {}),
    ...(params.get('projectId') ? { projectId: params.get('projectId') as string } : {}),
  };
  return <PageFrame key={`${props.pluginId}/${props.launcherId}`} target={launcher && launcherTarget(launcher)} loaded={loaded} context={context} what="view" />;
}
