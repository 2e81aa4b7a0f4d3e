/**
 * `/dev/<pluginId>`, the slot preview of `plinth-plugin dev`: every slot and launcher of one
 * plugin on one page, each in the shell's own `<SlotHost>` (the same frames, origins and
 * context as in their real places), with a picker for the entity the entity-bound ones are
 * shown for, and a line that counts the plugin's hot reloads. Reachable in any window, it is
 * the page `plinth-plugin dev` opens.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Comment, Project, Task } from '../../../sdk/protocol/entities.ts';
import type { EntityType, SlotType } from '../../../sdk/protocol/capabilities.ts';
import type { LauncherContribution, SlotContribution } from '../../../preload/api.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { SlotHost, launcherTarget, slotTarget, type FrameEntityContext, type FrameTarget } from '../slot-host.tsx';
import { contributionsStore } from '../shell/contributions.ts';
import { useShellActions } from '../shell/shell-actions.tsx';
import { useTheme } from '../theme.ts';

/**
 * The entity types each slot type is shown for in the shell when its manifest names none
 * (CONTRACT §8); slot types missing here are shown with no entity (dashboard, sidebar, pages…).
 */
const ENTITY_PLACES: Partial<Record<SlotType, readonly EntityType[]>> = {
  detailTab: ['project', 'task'],
  taskDetailView: ['task'],
  toolbarButton: ['project', 'task'],
  contextMenuItem: ['project', 'task'],
  projectSidebarItem: ['project'],
  commentAnnotation: ['comment'],
  commentContextMenuItem: ['comment'],
};

/** One choice of the entity picker. */
interface EntityChoice { key: string; label: string; context: FrameEntityContext }

/**
 * The workspace as picker choices: every project, task and comment, read again whenever
 * `generation` changes (the picker bumps it when focused, so entities made meanwhile show up).
 */
function useEntityChoices(generation: number): EntityChoice[] {
  const [choices, setChoices] = useState<EntityChoice[]>([]);
  useEffect(() => {
    let live = true;
    const load = async () => {
      const { projects } = await window.plinth.workspaceOverview();
      const out: EntityChoice[] = [];
      const withComments = await Promise.all(projects.flatMap((p: Project & { tasks: Task[] }) => p.tasks.map(async (t) => ({ t, comments: await window.plinth.listComments(t.id) }))));
      for (const p of projects) {
        out.push({ key: `project:${p.id}`, label: `Project: ${p.name}`, context: { entityType: 'project', entityId: p.id, projectId: p.id } });
        for (const { t, comments } of withComments.filter((x) => x.t.projectId === p.id)) {
          out.push({ key: `task:${t.id}`, label: `Task: ${t.title}`, context: { entityType: 'task', entityId: t.id, projectId: p.id } });
          out.push(...comments.map((c: Comment) => ({
            key: `comment:${c.id}`, label: `Comment on ${t.title}: ${c.body.slice(0, 40)}`,
            context: { entityType: 'comment', entityId: c.id, parentEntityId: t.id, projectId: p.id } satisfies FrameEntityContext,
          })));
        }
      }
      if (live) setChoices(out);
    };
    load().catch((error: unknown) => console.error('Could not load the workspace for the entity picker', error));
    return () => {
      live = false;
    };
  }, [generation]);
  return choices;
}

/** How many times `pluginId` was hot-reloaded since the page opened, and when last. */
function useReloads(pluginId: string): { count: number; at: string | null } {
  const [reloads, setReloads] = useState<{ count: number; at: string | null }>({ count: 0, at: null });
  useEffect(() => window.plinth.on('plugins.changed', (event) => {
    if (event.reload && event.pluginId === pluginId) setReloads((r) => ({ count: r.count + 1, at: new Date().toLocaleTimeString() }));
  }), [pluginId]);
  return reloads;
}

/** One slot or launcher: its type, name and frame, or why the frame is not shown for the picked entity. */
function PreviewCard(props: { target: FrameTarget; kind: string; entityTypes: readonly EntityType[] | undefined; picked: EntityChoice | undefined; renderEnvironment?: string }): ReactNode {
  const theme = useTheme();
  const { navigate } = useShellActions();
  const places = props.entityTypes && props.entityTypes.length > 0 ? props.entityTypes : ENTITY_PLACES[props.target.slotType];
  const entityType = props.picked?.context.entityType;
  const shown = !places || (entityType !== undefined && places.includes(entityType));
  const context: FrameEntityContext = {
    ...(places && props.picked ? props.picked.context : {}),
    ...(props.renderEnvironment ? { renderEnvironment: props.renderEnvironment } : {}),
  };
  return (
    <article className="card widget dev-preview-card" data-testid="dev-preview-slot" data-slot-type={props.target.slotType} data-slot-id={props.target.slotId}>
      <div className="widget-caption">
        <span className="widget-title">{props.target.displayName}</span>
        <span className="muted"><code>{props.kind}</code>{places ? ` · for ${places.join(', ')}` : ''}</span>
      </div>
      {shown
        ? <SlotHost target={props.target} theme={theme} eager context={context} onNavigate={navigate} />
        : <p className="muted" data-testid="dev-preview-needs-entity">Shown for a {places.join(' or ')}: pick one above.</p>}
    </article>
  );
}

/** `/dev/:pluginId`. */
export function DevPreviewPage(props: { pluginId: string }): ReactNode {
  const allSlots = useStore(contributionsStore, (s) => s.slots);
  const allLaunchers = useStore(contributionsStore, (s) => s.launchers);
  const loaded = useStore(contributionsStore, (s) => s.loaded);
  const slots = useMemo(() => allSlots.filter((c: SlotContribution) => c.pluginId === props.pluginId), [allSlots, props.pluginId]);
  const launchers = useMemo(() => allLaunchers.filter((c: LauncherContribution) => c.pluginId === props.pluginId), [allLaunchers, props.pluginId]);
  const [generation, setGeneration] = useState(0);
  const choices = useEntityChoices(generation);
  const [pickedKey, setPickedKey] = useState<string | null>(null);
  // Until the author picks, the first task (the entity most slots are shown for), else the first choice.
  const picked = choices.find((c) => c.key === pickedKey) ?? (pickedKey === '' ? undefined : choices.find((c) => c.context.entityType === 'task') ?? choices[0]);
  const reloads = useReloads(props.pluginId);
  const first = slots[0] ?? launchers[0];

  return (
    <section className="view dev-preview" data-testid="dev-preview" data-plugin-id={props.pluginId} aria-label="Slot preview">
      <div className="page-heading">
        <h1>{first && <PluginIcon src={first.pluginIcon} size={20} />} {first?.pluginDisplayName ?? props.pluginId}: every slot</h1>
        <p className="muted" data-testid="dev-reloads" data-count={reloads.count}>
          {reloads.count === 0 ? 'Saving a file of the plugin reloads its worker and these frames.' : `Reloaded ${reloads.count} ${reloads.count === 1 ? 'time' : 'times'}, last at ${reloads.at}.`}
        </p>
      </div>
      <div className="view-toolbar">
        <label className="inline-field">
          <span>Shown for</span>
          <select className="input" data-testid="dev-entity-picker" value={picked?.key ?? ''} onFocus={() => setGeneration((g) => g + 1)} onChange={(e) => setPickedKey(e.currentTarget.value)}>
            <option value="">No entity</option>
            {choices.map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
          </select>
        </label>
      </div>
      {loaded && slots.length === 0 && launchers.length === 0 && (
        <div className="empty-state" data-testid="dev-preview-empty">
          <h2>No UI to show</h2>
          <p>{props.pluginId} contributes no slot or launcher, or it is not enabled: check its state under Settings → Plugins.</p>
        </div>
      )}
      <div className="dev-preview-grid">
        {slots.map((c) => (
          <PreviewCard
            key={`slot:${c.slot.id}`} target={slotTarget(c)} kind={c.slot.type} entityTypes={c.slot.entityTypes} picked={picked}
            {...(c.slot.type === 'page' ? { renderEnvironment: 'hostRoute' } : {})}
          />
        ))}
        {launchers.map((c) => (
          <PreviewCard
            key={`launcher:${c.launcher.id}`} target={launcherTarget(c)} kind={`launcher in ${c.launcher.placementZone}`}
            entityTypes={c.launcher.entityTypes} picked={picked}
            {...(c.launcher.render?.environment ? { renderEnvironment: c.launcher.render.environment } : {})}
          />
        ))}
      </div>
    </section>
  );
}
