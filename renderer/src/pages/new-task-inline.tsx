/** The New task form of a project page: a title (Enter adds) and a priority. */
import { useState, type ReactNode } from 'react';
import { TASK_PRIORITIES, type Project, type TaskPriority } from '../../../sdk/protocol/entities.ts';
import { PRIORITY_LABEL } from '../views/labels.ts';
import { useMutation } from '../views/workspace/use-mutation.ts';
import { MAX_TITLE_CHARS } from '../views/workspace/workspace-limits.ts';

/** The form; the title field keeps focus after each task, so several can be typed in a row. */
export function NewTaskInline(props: { project: Project; onCreated(): Promise<void> }): ReactNode {
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<TaskPriority>('medium');
  const create = useMutation(() => window.plinth.createTask({ projectId: props.project.id, title, priority }), async () => {
    setTitle('');
    await props.onCreated();
  });
  return (
    <form className="new-task-row" aria-label={`New task in ${props.project.name}`} data-testid="new-task-form" onSubmit={(e) => { e.preventDefault(); if (!create.busy) void create.run(); }}>
      <input
        className="input grow" data-testid="new-task-title" aria-label="New task title" placeholder="Add a task…" maxLength={MAX_TITLE_CHARS} autoComplete="off"
        value={title} onChange={(e) => { setTitle(e.target.value); create.clearError(); }}
      />
      <select className="status-select" aria-label="Priority of the new task" data-testid="new-task-priority" value={priority} onChange={(e) => setPriority(e.target.value as TaskPriority)}>
        {TASK_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABEL[p]}</option>)}
      </select>
      <button type="submit" className="button primary small" data-testid="new-task-submit">Add task</button>
      {create.error && <p className="field-error" role="alert" data-testid="new-task-error">{create.error}</p>}
    </form>
  );
}
