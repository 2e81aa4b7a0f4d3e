/**
 * One task of a project card: its title (a button that opens the task's details below the row),
 * priority badge, a status select that saves at once, and delete with a confirm.
 */
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { TASK_STATUSES, type Task, type TaskStatus } from '../../../../sdk/protocol/entities.ts';
import { ConfirmDialog } from '../../settings/modal.tsx';
import { PRIORITY_LABEL, PRIORITY_TONE, TASK_STATUS_LABEL } from '../labels.ts';
import { ChevronIcon, TrashIcon } from './icons.tsx';
import { TaskDetail } from './task-detail.tsx';
import { useMutation } from './use-mutation.ts';

/** Props of {@link TaskRow}. */
export interface TaskRowProps {
  task: Task;
  /** Reloads the workspace; resolves when the view shows the host's data. */
  onChanged(): Promise<void>;
  /** Told after the task was deleted and the workspace reloaded (to move focus somewhere sensible). */
  onDeleted(): void;
  /** Changes whenever the workspace was reloaded, so an open detail reloads its comments too. */
  generation: number;
}

/** A task row; its details mount only while open. */
export function TaskRow(props: TaskRowProps): ReactNode {
  const { task } = props;
  const id = useId();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // The status picked while its save runs, so the select does not jump back until the reload.
  const [pendingStatus, setPendingStatus] = useState<TaskStatus | null>(null);
  const setStatus = useMutation((status: TaskStatus) => window.plinth.updateTask(task.id, { status }), props.onChanged);
  const remove = useMutation(() => window.plinth.deleteTask(task.id), async () => {
    await props.onChanged();
    props.onDeleted();
  });
  const error = setStatus.error ?? remove.error;

  return (
    <li
      className={`task task-${task.status}${open ? ' open' : ''}`}
      data-testid="task" data-task-id={task.id} data-status={task.status} data-priority={task.priority}
    >
      <div className="task-row">
        <button
          type="button" className="task-open" data-testid="task-open"
          aria-expanded={open} aria-controls={open ? `${id}-detail` : undefined}
          onClick={() => setOpen(!open)}
        >
          <ChevronIcon />
          <span className="task-title" data-testid="task-title">{task.title}</span>
        </button>
        <Link href={`/tasks/${task.id}`} className="button secondary small" data-testid="task-page-link" aria-label={`Open the page of ${task.title}`}>Open</Link>
        <span className={`badge ${PRIORITY_TONE[task.priority]}`} data-testid="task-priority" title="Priority">{PRIORITY_LABEL[task.priority]}</span>
        <select
          className="status-select" data-testid="task-status" data-value={pendingStatus ?? task.status}
          aria-label={`Status of ${task.title}`} aria-busy={setStatus.busy}
          value={pendingStatus ?? task.status}
          onChange={async (event) => {
            const status = event.target.value as TaskStatus;
            setPendingStatus(status);
            await setStatus.run(status);
            setPendingStatus(null);
          }}
        >
          {TASK_STATUSES.map((status) => <option key={status} value={status}>{TASK_STATUS_LABEL[status]}</option>)}
        </select>
        <button
          type="button" className="icon-button danger-hover" data-testid="task-delete"
          aria-label={`Delete task ${task.title}`} title="Delete task"
          onClick={() => setConfirming(true)}
        >
          <TrashIcon />
        </button>
      </div>
      {error && <p className="field-error task-error" role="alert" data-testid="task-error">{error}</p>}
      {open && <TaskDetail id={`${id}-detail`} task={task} onChanged={props.onChanged} generation={props.generation} />}
      {confirming && (
        <ConfirmDialog
          title={`Delete "${task.title}"?`}
          confirmLabel="Delete task"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void remove.run();
          }}
        >
          <p className="muted">The task and its comments are deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}
