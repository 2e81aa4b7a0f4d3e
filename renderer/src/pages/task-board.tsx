/**
 * A project's tasks as a board: one column per status. Cards move by drag and drop (@dnd-kit,
 * pointer and keyboard sensors) and, for keyboard users, with Alt+← / Alt+→ on a focused card
 * (or Space to pick a card up and arrows to carry it, @dnd-kit's keyboard sensor). Each move
 * saves the task's new status through the host.
 */
import { DndContext, KeyboardSensor, PointerSensor, useDraggable, useDroppable, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { TASK_STATUSES, type Task, type TaskStatus } from '../../../sdk/protocol/entities.ts';
import { PRIORITY_LABEL, PRIORITY_TONE, TASK_STATUS_LABEL } from '../views/labels.ts';
import { useMutation } from '../views/workspace/use-mutation.ts';

/** Pixels a pointer must travel before a press becomes a drag, so a click on a card's link still opens it. */
const DRAG_ACTIVATION_PX = 6;

/** The status `step` columns away from `status` (clamped to the first and last column). */
export function neighbourStatus(status: TaskStatus, step: -1 | 1): TaskStatus {
  const index = TASK_STATUSES.indexOf(status);
  return TASK_STATUSES[Math.min(Math.max(index + step, 0), TASK_STATUSES.length - 1)] as TaskStatus;
}

function Card(props: { task: Task; onMove(status: TaskStatus): void }): ReactNode {
  const { task } = props;
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({ id: task.id, data: { status: task.status } });
  return (
    <li
      ref={setNodeRef} className={`board-card${isDragging ? ' dragging' : ''}`} data-testid="board-card" data-task-id={task.id} data-status={task.status}
      style={transform ? { transform: `translate(${transform.x}px, ${transform.y}px)` } : undefined}
      {...attributes} {...listeners}
      aria-roledescription="draggable task"
      aria-label={`${task.title}, ${TASK_STATUS_LABEL[task.status]}. Alt+Left or Alt+Right moves it.`}
      onKeyDown={(event) => {
        if (event.altKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
          event.preventDefault();
          const next = neighbourStatus(task.status, event.key === 'ArrowLeft' ? -1 : 1);
          if (next !== task.status) props.onMove(next);
          return;
        }
        // Space/Enter on the card picks it up; on the title link inside, Enter opens the task.
        if (event.target === event.currentTarget) listeners?.onKeyDown?.(event);
      }}
    >
      <Link href={`/tasks/${task.id}`} className="board-card-title" data-testid="board-card-open">{task.title}</Link>
      <span className={`badge ${PRIORITY_TONE[task.priority]}`}>{PRIORITY_LABEL[task.priority]}</span>
    </li>
  );
}

function Column(props: { status: TaskStatus; tasks: Task[]; onMove(task: Task, status: TaskStatus): void }): ReactNode {
  const { setNodeRef, isOver } = useDroppable({ id: props.status });
  return (
    <section className={`board-column${isOver ? ' over' : ''}`} data-testid="board-column" data-status={props.status} aria-label={TASK_STATUS_LABEL[props.status]}>
      <h3>{TASK_STATUS_LABEL[props.status]} <span className="count">{props.tasks.length}</span></h3>
      <ul ref={setNodeRef} className="board-cards">
        {props.tasks.map((t) => <Card key={t.id} task={t} onMove={(status) => props.onMove(t, status)} />)}
      </ul>
    </section>
  );
}

/** The board. `onChanged` reloads the tasks after a move. */
export function TaskBoard(props: { tasks: Task[]; onChanged(): Promise<void> }): ReactNode {
  // Shown at once in the new column while the save runs.
  const [moved, setMoved] = useState<Record<string, TaskStatus>>({});
  const save = useMutation(
    (taskId: string, status: TaskStatus) => window.plinth.updateTask(taskId, { status }),
    props.onChanged,
  );
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: DRAG_ACTIVATION_PX } }), useSensor(KeyboardSensor));
  const move = async (task: Task, status: TaskStatus) => {
    setMoved((m) => ({ ...m, [task.id]: status }));
    await save.run(task.id, status);
    setMoved((m) => {
      const { [task.id]: _done, ...rest } = m;
      return rest;
    });
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="board-card"][data-task-id="${CSS.escape(task.id)}"]`)?.focus());
  };
  const onDragEnd = (event: DragEndEvent) => {
    const task = props.tasks.find((t) => t.id === event.active.id);
    const status = event.over?.id as TaskStatus | undefined;
    if (task && status && status !== task.status) void move(task, status);
  };
  const tasks = props.tasks.map((t) => (moved[t.id] ? { ...t, status: moved[t.id] as TaskStatus } : t));
  return (
    <DndContext sensors={sensors} onDragEnd={onDragEnd}>
      {save.error && <p className="field-error" role="alert" data-testid="board-error">{save.error}</p>}
      <div className="board" data-testid="task-board">
        {TASK_STATUSES.map((status) => (
          <Column key={status} status={status} tasks={tasks.filter((t) => t.status === status)} onMove={(t, s) => void move(t, s)} />
        ))}
      </div>
    </DndContext>
  );
}
