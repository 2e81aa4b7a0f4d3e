/**
 * One project of the Workspace view: its tasks, a **New task** inline form (title and
 * priority; Enter adds) and delete with a confirm that says its tasks and comments go too.
 */
import { useId, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { TASK_PRIORITIES, type Project, type Task, type TaskPriority } from '../../../../sdk/protocol/entities.ts';
import { ConfirmDialog } from '../../settings/modal.tsx';
import { PRIORITY_LABEL } from '../labels.ts';
import { TrashIcon } from './icons.tsx';
import { TaskRow } from './task-row.tsx';
import { useMutation } from './use-mutation.ts';
import { MAX_TITLE_CHARS } from './workspace-limits.ts';

/** Priority of a new task until the user picks another (the host's default too). */
const DEFAULT_PRIORITY: TaskPriority = 'medium';

/** Props of {@link ProjectCard}. */
export interface ProjectCardProps {
  project: Project & { tasks: Task[] };
  onChanged(): Promise<void>;
  /** Told after the project was deleted and the workspace reloaded. */
  onDeleted(): void;
  /** Put focus in the New task field on mount (right after the user created this project). */
  focusNewTask?: boolean;
  generation: number;
}

function tasksPhrase(count: number): string {
  return count === 1 ? '1 task' : `${count} tasks`;
}

function NewTaskForm(props: { project: Project; onChanged(): Promise<void>; titleRef: RefObject<HTMLInputElement | null> }): ReactNode {
  const id = useId();
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<TaskPriority>(DEFAULT_PRIORITY);
  const create = useMutation(
    () => window.plinth.createTask({ projectId: props.project.id, title, priority }),
    async () => {
      setTitle('');
      setPriority(DEFAULT_PRIORITY);
      await props.onChanged();
    },
  );
  return (
    <form
      className="new-task" data-testid="new-task-form" aria-label={`New task in ${props.project.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!create.busy) void create.run();
      }}
    >
      <div className="new-task-row">
        <label className="visually-hidden" htmlFor={`${id}-title`}>New task title</label>
        <input
          ref={props.titleRef} id={`${id}-title`} className="input grow" data-testid="new-task-title" autoComplete="off"
          maxLength={MAX_TITLE_CHARS} placeholder="Add a task…" value={title}
          aria-invalid={create.error ? true : undefined} aria-describedby={create.error ? `${id}-error` : undefined}
          onChange={(event) => { setTitle(event.target.value); create.clearError(); }}
        />
        <label className="visually-hidden" htmlFor={`${id}-priority`}>Priority of the new task</label>
        <select
          id={`${id}-priority`} className="input priority-select" data-testid="new-task-priority"
          value={priority} onChange={(event) => setPriority(event.target.value as TaskPriority)}
        >
          {TASK_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABEL[p]}</option>)}
        </select>
        <button type="submit" className="button secondary small" data-testid="new-task-submit" aria-busy={create.busy}>Add</button>
      </div>
      {create.error && <p className="field-error" id={`${id}-error`} role="alert" data-testid="new-task-error">{create.error}</p>}
    </form>
  );
}

/** A project card. */
export function ProjectCard(props: ProjectCardProps): ReactNode {
  const { project } = props;
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  const newTaskTitle = useRef<HTMLInputElement>(null);
  const remove = useMutation(() => window.plinth.deleteProject(project.id), async () => {
    await props.onChanged();
    props.onDeleted();
  });
  // A layout effect: focus lands in the same commit that shows the card, never a frame later.
  useLayoutEffect(() => {
    if (props.focusNewTask) newTaskTitle.current?.focus();
  }, [props.focusNewTask]);

  const open = project.tasks.filter((t) => t.status === 'todo' || t.status === 'in_progress').length;
  return (
    <section className="card project" data-testid="project" data-project-id={project.id} aria-labelledby={headingId}>
      <header className="project-head">
        <div className="project-title">
          <h3 id={headingId} data-testid="project-name">{project.name}</h3>
          <span className="muted nowrap project-count" data-testid="project-count">
            {project.tasks.length === 0 ? 'No tasks' : `${open} open · ${tasksPhrase(project.tasks.length)}`}
          </span>
        </div>
        <button
          type="button" className="icon-button danger-hover" data-testid="project-delete"
          aria-label={`Delete project ${project.name}`} title="Delete project"
          onClick={() => setConfirming(true)}
        >
          <TrashIcon />
        </button>
      </header>
      {project.description && <p className="project-description muted">{project.description}</p>}
      {remove.error && <p className="field-error" role="alert" data-testid="project-error">{remove.error}</p>}
      {project.tasks.length === 0 ? (
        <p className="muted no-tasks" data-testid="project-no-tasks">No tasks yet. Add the first one below.</p>
      ) : (
        <ul className="task-list" aria-label={`Tasks of ${project.name}`}>
          {project.tasks.map((task) => (
            <TaskRow key={task.id} task={task} onChanged={props.onChanged} generation={props.generation} onDeleted={() => newTaskTitle.current?.focus()} />
          ))}
        </ul>
      )}
      <NewTaskForm project={project} onChanged={props.onChanged} titleRef={newTaskTitle} />
      {confirming && (
        <ConfirmDialog
          title={`Delete project "${project.name}"?`}
          confirmLabel="Delete project"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void remove.run();
          }}
        >
          <p className="muted" data-testid="project-delete-warning">
            {project.tasks.length === 0
              ? 'The project is deleted. This cannot be undone.'
              : project.tasks.length === 1
                ? "Its 1 task and that task's comments are deleted too. This cannot be undone."
                : `Its ${tasksPhrase(project.tasks.length)} and all their comments are deleted too. This cannot be undone.`}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
