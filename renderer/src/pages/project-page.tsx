/**
 * A project's page: `/projects/<id>` (list) and `/projects/<id>/board` (board by status). Its
 * name (Rename), description, delete; a New task form; a filter of its tasks by words, status
 * and priority (kept in the URL); the plugins' toolbar buttons, project `detailTab`s and the
 * project's plugin menu (right click or the Menu key on the heading).
 */
import { useState, type ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { TASK_PRIORITIES, TASK_STATUSES, type Project, type TaskPriority, type TaskStatus } from '../../../sdk/protocol/entities.ts';
import { ConfirmDialog } from '../settings/modal.tsx';
import { LoadStatus } from '../views/load-status.tsx';
import { PRIORITY_LABEL, TASK_STATUS_LABEL } from '../views/labels.ts';
import { useAsync } from '../views/use-async.ts';
import { TaskRow } from '../views/workspace/task-row.tsx';
import { useMutation } from '../views/workspace/use-mutation.ts';
import { MAX_TITLE_CHARS } from '../views/workspace/workspace-limits.ts';
import { PluginMenu, useContextMenu } from '../shell/plugin-menu.tsx';
import { DetailTabs } from './detail-tabs.tsx';
import { EntityToolbar, TitleEditor } from './entity-parts.tsx';
import { NewTaskInline } from './new-task-inline.tsx';
import { TaskBoard } from './task-board.tsx';
import { useWorkspaceRefresh } from './use-workspace-refresh.ts';


function ProjectDescription(props: { project: Project; onChanged(): Promise<void> }): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation((description: string) => window.plinth.updateProject(props.project.id, { description }), async () => {
    await props.onChanged();
    setDraft(null);
  });
  if (draft === null) {
    return (
      <div className="project-description">
        <p className={props.project.description ? '' : 'muted'} data-testid="project-description">{props.project.description || 'No description.'}</p>
        <button type="button" className="button secondary small" data-testid="project-description-edit" onClick={() => setDraft(props.project.description)}>Edit description</button>
      </div>
    );
  }
  return (
    <form className="project-description" onSubmit={(e) => { e.preventDefault(); void save.run(draft); }}>
      <textarea className="input" aria-label="Project description" data-testid="project-description-input" rows={3} autoFocus value={draft} onChange={(e) => setDraft(e.target.value)} />
      <div className="detail-actions">
        <button type="submit" className="button primary small" data-testid="project-description-save">Save description</button>
        <button type="button" className="button secondary small" onClick={() => setDraft(null)}>Cancel</button>
      </div>
      {save.error && <p className="field-error" role="alert">{save.error}</p>}
    </form>
  );
}

/** The filter in the URL: `?q=…&status=…&priority=…`. */
function useFilter(): [{ q: string; status: TaskStatus | ''; priority: TaskPriority | '' }, (patch: Record<string, string>) => void] {
  const search = useSearch();
  const [location, setLocation] = useLocation();
  const params = new URLSearchParams(search);
  const filter = {
    q: params.get('q') ?? '',
    status: (TASK_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? params.get('status') as TaskStatus : '' as const,
    priority: (TASK_PRIORITIES as readonly string[]).includes(params.get('priority') ?? '') ? params.get('priority') as TaskPriority : '' as const,
  };
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setLocation(next.size ? `${location}?${next}` : location, { replace: true });
  };
  return [filter, set];
}

/** The project page. */
export function ProjectPage(props: { projectId: string; view: 'list' | 'board' }): ReactNode {
  const project = useAsync(() => window.plinth.getProject(props.projectId), props.projectId);
  const [filter, setFilter] = useFilter();
  const query = { projectId: props.projectId, ...(filter.q ? { titleContains: filter.q } : {}), ...(filter.status ? { status: filter.status } : {}), ...(filter.priority ? { priority: filter.priority } : {}) };
  const tasks = useAsync(() => window.plinth.listTasks(query), JSON.stringify(query));
  const reloadAll = async () => {
    await Promise.all([project.reload(), tasks.reload()]);
  };
  const generation = useWorkspaceRefresh(tasks.reload);
  const [, setLocation] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const menu = useContextMenu();
  const rename = useMutation((name: string) => window.plinth.updateProject(props.projectId, { name }), project.reload);
  const remove = useMutation(() => window.plinth.deleteProject(props.projectId), () => setLocation('/projects'));
  const p = project.data;
  const context = { entityType: 'project' as const, entityId: props.projectId, projectId: props.projectId };
  const base = `/projects/${props.projectId}`;

  return (
    <section className="view project-page" data-testid="project-page" data-loaded={p && tasks.data ? 'true' : 'false'} aria-label={p ? `Project ${p.name}` : 'Project'}>
      <LoadStatus loaded={p !== undefined} error={project.error} errorTitle="Could not load this project" testId="project-page" />
      {p && (
        <>
          <nav className="breadcrumbs" aria-label="Breadcrumbs"><Link href="/projects">Projects</Link></nav>
          <div className="page-heading row" tabIndex={-1} data-testid="project-heading" {...menu.handlers}>
            <TitleEditor value={p.name} maxLength={MAX_TITLE_CHARS} label="Project name" testId="project-page-name" onSave={(name) => rename.run(name)} error={rename.error} />
            <EntityToolbar entityType="project" context={context}>
              <button type="button" className="button danger small" data-testid="project-page-delete" onClick={() => setConfirming(true)}>Delete project</button>
            </EntityToolbar>
          </div>
          {menu.open && <PluginMenu zone="contextMenuItem" entityType="project" context={context} at={menu.open} label={`Plugin actions for ${p.name}`} onClose={menu.close} />}
          <DetailTabs entityType="project" context={context} label={`Sections of ${p.name}`} overviewLabel="Tasks">
            <ProjectDescription project={p} onChanged={reloadAll} />
            <div className="task-filter" role="search" aria-label="Filter tasks">
              <input
                className="input grow" type="search" placeholder="Filter tasks…" aria-label="Filter tasks by title" data-testid="task-filter"
                value={filter.q} onChange={(e) => setFilter({ q: e.target.value })}
              />
              <select className="status-select" aria-label="Filter by status" data-testid="task-filter-status" value={filter.status} onChange={(e) => setFilter({ status: e.target.value })}>
                <option value="">Any status</option>
                {TASK_STATUSES.map((s) => <option key={s} value={s}>{TASK_STATUS_LABEL[s]}</option>)}
              </select>
              <select className="status-select" aria-label="Filter by priority" data-testid="task-filter-priority" value={filter.priority} onChange={(e) => setFilter({ priority: e.target.value })}>
                <option value="">Any priority</option>
                {TASK_PRIORITIES.map((s) => <option key={s} value={s}>{PRIORITY_LABEL[s]}</option>)}
              </select>
              <nav className="segmented" aria-label="Show tasks as">
                <Link href={base} aria-current={props.view === 'list' ? 'page' : undefined} data-testid="view-list">List</Link>
                <Link href={`${base}/board`} aria-current={props.view === 'board' ? 'page' : undefined} data-testid="view-board">Board</Link>
              </nav>
            </div>
            <NewTaskInline project={p} onCreated={tasks.reload} />
            {tasks.error && <p className="field-error" role="alert">{tasks.error}</p>}
            {tasks.data && tasks.data.length === 0 && <p className="muted" data-testid="no-tasks">{filter.q || filter.status || filter.priority ? 'No task matches the filter.' : 'No tasks yet.'}</p>}
            {tasks.data && props.view === 'list' && tasks.data.length > 0 && (
              <ul className="task-list" data-testid="task-list">
                {tasks.data.map((t) => <TaskRow key={t.id} task={t} onChanged={tasks.reload} onDeleted={() => undefined} generation={generation} />)}
              </ul>
            )}
            {tasks.data && props.view === 'board' && <TaskBoard tasks={tasks.data} onChanged={tasks.reload} />}
          </DetailTabs>
          {remove.error && <p className="field-error" role="alert">{remove.error}</p>}
          {confirming && (
            <ConfirmDialog title={`Delete "${p.name}"?`} confirmLabel="Delete project" danger onCancel={() => setConfirming(false)} onConfirm={() => { setConfirming(false); void remove.run(); }}>
              <p className="muted">The project, its tasks and their comments are deleted. This cannot be undone.</p>
            </ConfirmDialog>
          )}
        </>
      )}
    </section>
  );
}
