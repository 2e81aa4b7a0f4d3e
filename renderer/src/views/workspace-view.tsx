/**
 * The workspace in the main window (issue #4 item 1): projects with their tasks, status and
 * priority as badges. Plugins create the data, so it refreshes when plugins change, and by hand.
 */
import { useEffect, type ReactNode } from 'react';
import type { Project, Task } from '../../../sdk/protocol/entities.ts';
import { PRIORITY_LABEL, PRIORITY_TONE, TASK_STATUS_LABEL, TASK_STATUS_TONE } from './labels.ts';
import { useAsync } from './use-async.ts';
import './views.css';

function TaskRow(props: { task: Task }): ReactNode {
  const { task } = props;
  return (
    <li className={`task task-${task.status}`} data-testid="task" data-task-id={task.id} data-status={task.status} data-priority={task.priority}>
      <span className="task-title">{task.title}</span>
      <span className="task-badges">
        <span className={`badge ${PRIORITY_TONE[task.priority]}`} data-testid="task-priority" title="Priority">{PRIORITY_LABEL[task.priority]}</span>
        <span className={`badge ${TASK_STATUS_TONE[task.status]}`} data-testid="task-status" title="Status">{TASK_STATUS_LABEL[task.status]}</span>
      </span>
    </li>
  );
}

function ProjectCard(props: { project: Project & { tasks: Task[] } }): ReactNode {
  const { project } = props;
  const open = project.tasks.filter((t) => t.status === 'todo' || t.status === 'in_progress').length;
  return (
    <section className="card project" data-testid="project" data-project-id={project.id} aria-label={project.name}>
      <header className="project-head">
        <h3 data-testid="project-name">{project.name}</h3>
        <span className="muted nowrap" data-testid="project-count">{open} open · {project.tasks.length} shown</span>
      </header>
      {project.description && <p className="project-description muted">{project.description}</p>}
      {project.tasks.length === 0 ? (
        <p className="muted" data-testid="project-no-tasks">No tasks yet.</p>
      ) : (
        <ul className="task-list" aria-label={`Tasks of ${project.name}`}>
          {project.tasks.map((task) => <TaskRow key={task.id} task={task} />)}
        </ul>
      )}
    </section>
  );
}

/** Projects and tasks for the main window. */
export function WorkspaceView(): ReactNode {
  const overview = useAsync(() => window.plinth.workspaceOverview(), 'workspace');
  const { reload } = overview;
  useEffect(() => window.plinth.on('plugins.changed', () => void reload()), [reload]);

  const projects = overview.data?.projects;
  return (
    <section className="view workspace" data-testid="workspace-view" data-loaded={projects ? 'true' : 'false'} aria-labelledby="workspace-heading">
      <div className="view-heading row">
        <div>
          <h2 id="workspace-heading">Workspace</h2>
          <p className="muted">Projects and tasks, kept on this computer.</p>
        </div>
        <button type="button" className="button secondary small" data-testid="workspace-refresh" disabled={overview.loading} onClick={() => void reload()}>
          {overview.loading && projects ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {overview.error && (
        <div className="alert" role="alert" data-testid="workspace-error">
          <strong>Could not load the workspace</strong>
          <span>{overview.error}</span>
        </div>
      )}
      {!projects && !overview.error && <p className="muted" data-testid="workspace-loading">Loading…</p>}
      {projects && projects.length === 0 && (
        <div className="empty-state" data-testid="workspace-empty">
          <h2>No projects yet</h2>
          <p>Plugins add projects and tasks here, for example a plugin that turns webhook calls into tasks. Switch one on in Settings.</p>
        </div>
      )}
      {projects && projects.length > 0 && (
        <div className="project-grid" data-testid="project-list">
          {projects.map((project) => <ProjectCard key={project.id} project={project} />)}
        </div>
      )}
    </section>
  );
}
