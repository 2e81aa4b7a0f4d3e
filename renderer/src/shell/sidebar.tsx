/**
 * The sidebar of the main window: Dashboard, Projects (each project a link, with the plugins'
 * `projectSidebarItem`s under it), the plugins' `page` entries and `sidebar` items, and their
 * `sidebarPanel`s at the bottom. Projects reload when the route or a plugin changes. In
 * Developer mode, a Developer section links each plugin with UI to its slot preview (`/dev/<id>`).
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useStore } from 'zustand';
import { PluginIcon } from '../plugin-icon.tsx';
import { useAsync, type AsyncState } from '../views/use-async.ts';
import { usePreferences } from '../views/use-preferences.ts';
import { contributionsStore, useSlots } from './contributions.ts';
import { PluginSlots } from './plugin-slots.tsx';

function NavLink(props: { href: string; children: ReactNode; testId?: string; exact?: boolean }): ReactNode {
  const [location] = useLocation();
  const active = props.exact ? location === props.href : location === props.href || location.startsWith(`${props.href}/`);
  return (
    <Link href={props.href} className={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined} data-testid={props.testId}>
      {props.children}
    </Link>
  );
}

/** {@link useAsync}, loaded again on every route change. */
function useRouteAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [location] = useLocation();
  const state = useAsync(load, key);
  const { reload } = state;
  useEffect(() => {
    void reload();
  }, [location, reload]);
  return state;
}

/** Links to the slot preview of every plugin that contributes UI, in Developer mode only. */
function DeveloperLinks(props: { developerMode: boolean }): ReactNode {
  const slots = useStore(contributionsStore, (s) => s.slots);
  const launchers = useStore(contributionsStore, (s) => s.launchers);
  const plugins = useMemo(() => {
    const byId = new Map<string, { name: string; icon: string | undefined }>();
    for (const c of [...slots, ...launchers]) byId.set(c.pluginId, { name: c.pluginDisplayName, icon: c.pluginIcon });
    return [...byId];
  }, [slots, launchers]);
  if (!props.developerMode || plugins.length === 0) return null;
  return (
    <>
      <h2 className="sidebar-heading">Developer</h2>
      {plugins.map(([id, p]) => (
        <NavLink key={id} href={`/dev/${encodeURIComponent(id)}`} testId="nav-dev-preview">
          <PluginIcon src={p.icon} /> Slots of {p.name}
        </NavLink>
      ))}
    </>
  );
}

/** The sidebar. */
export function Sidebar(): ReactNode {
  const overview = useRouteAsync(() => window.plinth.workspaceOverview(), 'sidebar');
  const { reload } = overview;
  useEffect(() => window.plinth.on('plugins.changed', () => void reload()), [reload]);
  const pages = useSlots('page');
  const projectItems = useSlots('projectSidebarItem', 'project');
  // Developer mode is switched in the settings window: preferences.changed brings it here.
  const preferences = usePreferences('sidebar-preferences');
  return (
    <nav className="sidebar" aria-label="Main" data-testid="sidebar" data-preferences-loaded={preferences.data ? 'true' : 'false'}>
      <NavLink href="/" exact testId="nav-dashboard">Dashboard</NavLink>
      <NavLink href="/projects" exact testId="nav-projects">Projects</NavLink>
      <ul className="sidebar-projects" aria-label="Projects" data-testid="sidebar-projects">
        {overview.data?.projects.map((p) => (
          <li key={p.id} data-testid="sidebar-project" data-project-id={p.id}>
            <NavLink href={`/projects/${p.id}`}>{p.name}</NavLink>
            {projectItems.length > 0 && (
              <div className="sidebar-project-items">
                <PluginSlots type="projectSidebarItem" entityType="project" context={{ entityId: p.id, projectId: p.id }} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {pages.length > 0 && (
        <>
          <h2 className="sidebar-heading">Plugins</h2>
          {pages.map((c) => (
            <NavLink key={`${c.pluginId}/${c.slot.id}`} href={`/plugins/${encodeURIComponent(c.pluginId)}/${encodeURIComponent(c.slot.id)}`} testId="nav-plugin-page">
              <PluginIcon src={c.pluginIcon} /> {c.slot.displayName}
            </NavLink>
          ))}
        </>
      )}
      <DeveloperLinks developerMode={preferences.data?.developerMode ?? false} />
      <div className="sidebar-items"><PluginSlots type="sidebar" /></div>
      <div className="sidebar-panels"><PluginSlots type="sidebarPanel" captioned className="sidebar-panel" /></div>
    </nav>
  );
}
