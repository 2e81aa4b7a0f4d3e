/**
 * The workspace in the main window: projects with their tasks, which the user
 * creates and changes here and plugins extend. Every change goes through the host as the user
 * (`{ user: true }`), so plugins hear it as a core event; the view reloads after each change,
 * on Refresh and when plugins change.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { LoadStatus } from './load-status.tsx';
import { useAsync } from './use-async.ts';
import { PlusIcon } from './workspace/icons.tsx';
import { NewProjectForm } from './workspace/new-project-form.tsx';
import { ProjectCard } from './workspace/project-card.tsx';
import './views.css';

/** Projects and tasks for the main window. */
export function WorkspaceView(): ReactNode {
  const overview = useAsync(() => window.plinth.workspaceOverview(), 'workspace');
  const { reload } = overview;
  // Bumped after every reload, so open task details fetch their comments again too.
  const [generation, setGeneration] = useState(0);
  const [creating, setCreating] = useState(false);
  // The project just created: its New task field gets focus, so typing tasks can start at once.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const newProjectButton = useRef<HTMLButtonElement>(null);

  const refresh = useCallback(async () => {
    await reload();
    setGeneration((g) => g + 1);
  }, [reload]);
  useEffect(() => window.plinth.on('plugins.changed', () => void refresh()), [refresh]);

  const closeForm = () => {
    setCreating(false);
    // The button is rendered again after the form closes; focus it on the next frame.
    requestAnimationFrame(() => newProjectButton.current?.focus());
  };

  const projects = overview.data?.projects;
  return (
    <section className="view workspace" data-testid="workspace-view" data-loaded={projects ? 'true' : 'false'} aria-labelledby="workspace-heading">
      <div className="view-heading row">
        <div>
          <h2 id="workspace-heading">Workspace</h2>
          <p className="muted">Projects and tasks, kept on this computer. Plugins see your changes as they happen.</p>
        </div>
        <div className="actions">
          <button type="button" className="button secondary small" data-testid="workspace-refresh" disabled={overview.loading} onClick={() => void refresh()}>
            {overview.loading && projects ? 'Refreshing…' : 'Refresh'}
          </button>
          {!creating && (
            <button ref={newProjectButton} type="button" className="button primary small" data-testid="new-project" onClick={() => setCreating(true)}>
              <PlusIcon /> New project
            </button>
          )}
        </div>
      </div>
      <LoadStatus loaded={projects !== undefined} error={overview.error} errorTitle="Could not load the workspace" testId="workspace" />
      {creating && (
        <NewProjectForm
          onCancel={closeForm}
          onCreated={async (project) => {
            setCreating(false);
            setCreatedId(project.id);
            await refresh();
          }}
        />
      )}
      {projects && projects.length === 0 && !creating && (
        <div className="empty-state" data-testid="workspace-empty">
          <h2>No projects yet</h2>
          <p>Create a project to start; plugins can add tasks too.</p>
          <button type="button" className="button primary" data-testid="empty-new-project" onClick={() => setCreating(true)}>
            <PlusIcon /> New project
          </button>
        </div>
      )}
      {projects && projects.length > 0 && (
        <div className="project-grid" data-testid="project-list">
          {projects.map((project) => (
            <ProjectCard
              key={project.id} project={project} generation={generation} onChanged={refresh}
              focusNewTask={project.id === createdId}
              onDeleted={() => newProjectButton.current?.focus()}
            />
          ))}
        </div>
      )}
    </section>
  );
}
