/**
 * The sidebar of the main window: Dashboard, Projects (each project a link, with the plugins'
 * `projectSidebarItem`s under it), the plugins' `page` entries and `sidebar` items, and their
 * `sidebarPanel`s at the bottom. Projects reload when the route or a plugin changes.
 */
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { PluginIcon } from '../plugin-icon.tsx';
import { useAsync } from '../views/use-async.ts';
import { useSlots } from './contributions.ts';
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

/** The sidebar. */
export function Sidebar(): ReactNode {
  const [location] = useLocation();
  const overview = useAsync(() => window.plinth.workspaceOverview(), 'sidebar');
  const { reload } = overview;
  useEffect(() => {
    void reload();
  }, [location, reload]);
  useEffect(() => window.plinth.on('plugins.changed', () => void reload()), [reload]);
  const pages = useSlots('page');
  const projectItems = useSlots('projectSidebarItem', 'project');
  return (
    <nav className="sidebar" aria-label="Main" data-testid="sidebar">
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
      <div className="sidebar-items"><PluginSlots type="sidebar" /></div>
      <div className="sidebar-panels"><PluginSlots type="sidebarPanel" captioned className="sidebar-panel" /></div>
    </nav>
  );
}
