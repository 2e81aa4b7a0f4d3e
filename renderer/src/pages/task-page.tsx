/**
 * A task's own page (`/tasks/<id>`): title, status and priority (each saved at once),
 * description, custom fields (read-only: plugins write them), comments with plugin
 * annotations and the comment ⋮ menu; the plugins' `toolbarButton`s, `taskDetailView`s and
 * task `detailTab`s; a right click or the Menu key opens the task's plugin menu.
 */
import { useState, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { TASK_PRIORITIES, TASK_STATUSES, type Task } from '../../../sdk/protocol/entities.ts';
import { ConfirmDialog } from '../settings/modal.tsx';
import { LoadStatus } from '../views/load-status.tsx';
import { PRIORITY_LABEL, TASK_STATUS_LABEL } from '../views/labels.ts';
import { useAsync } from '../views/use-async.ts';
import { Comments, Description } from '../views/workspace/task-detail.tsx';
import { useMutation } from '../views/workspace/use-mutation.ts';
import { MAX_TITLE_CHARS } from '../views/workspace/workspace-limits.ts';
import { DetailTabs } from './detail-tabs.tsx';
import { EntityToolbar, TitleEditor } from './entity-parts.tsx';
import { PluginSlots } from '../shell/plugin-slots.tsx';
import { PluginMenu, useContextMenu, useHasMenuItems } from '../shell/plugin-menu.tsx';
import { useWorkspaceRefresh } from './use-workspace-refresh.ts';

function CommentMenu(props: { task: Task; commentId: string }): ReactNode {
  const [open, setOpen] = useState(false);
  const has = useHasMenuItems('commentContextMenuItem', 'comment');
  if (!has) return null;
  return (
    <span className="comment-menu">
      <button
        type="button" className="icon-button small" data-testid="comment-menu" aria-haspopup="menu" aria-expanded={open}
        aria-label="More actions for this comment" onClick={() => setOpen(!open)}
      >
        ⋮
      </button>
      {open && (
        <PluginMenu
          zone="commentContextMenuItem" entityType="comment" label="Comment actions"
          context={{ entityId: props.commentId, parentEntityId: props.task.id, projectId: props.task.projectId }}
          onClose={() => setOpen(false)}
        />
      )}
    </span>
  );
}

function Fields(props: { task: Task; onChanged(): Promise<void> }): ReactNode {
  const { task } = props;
  const save = useMutation((patch: Partial<Pick<Task, 'status' | 'priority'>>) => window.plinth.updateTask(task.id, patch), props.onChanged);
  const custom = Object.entries(task.customFields ?? {});
  return (
    <div className="task-fields">
      <label className="field-inline">
        <span>Status</span>
        <select className="status-select" data-testid="task-page-status" value={task.status} onChange={(e) => void save.run({ status: e.target.value as Task['status'] })}>
          {TASK_STATUSES.map((s) => <option key={s} value={s}>{TASK_STATUS_LABEL[s]}</option>)}
        </select>
      </label>
      <label className="field-inline">
        <span>Priority</span>
        <select className="status-select" data-testid="task-page-priority" value={task.priority} onChange={(e) => void save.run({ priority: e.target.value as Task['priority'] })}>
          {TASK_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABEL[p]}</option>)}
        </select>
      </label>
      {save.error && <p className="field-error" role="alert">{save.error}</p>}
      {custom.length > 0 && (
        <dl className="custom-fields" data-testid="custom-fields" aria-label="Custom fields (set by plugins)">
          {custom.map(([key, value]) => (
            <div key={key}><dt>{key}</dt><dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd></div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** The task page. */
export function TaskPage(props: { taskId: string }): ReactNode {
  const task = useAsync(() => window.plinth.getTask(props.taskId), props.taskId);
  const project = useAsync(() => (task.data ? window.plinth.getProject(task.data.projectId) : Promise.resolve(null)), task.data?.projectId ?? '');
  const [, setLocation] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const menu = useContextMenu();
  const generation = useWorkspaceRefresh(task.reload);
  const remove = useMutation(() => window.plinth.deleteTask(props.taskId), () => setLocation(task.data ? `/projects/${task.data.projectId}` : '/projects'));
  const t = task.data;
  const rename = useMutation((title: string) => window.plinth.updateTask(props.taskId, { title }), task.reload);
  const context = t ? { entityType: 'task' as const, entityId: t.id, projectId: t.projectId } : undefined;

  return (
    <section className="view task-page" data-testid="task-page" data-loaded={t ? 'true' : 'false'} aria-label={t ? `Task ${t.title}` : 'Task'}>
      <LoadStatus loaded={t !== undefined} error={task.error} errorTitle="Could not load this task" testId="task-page" />
      {t && context && (
        <>
          <nav className="breadcrumbs" aria-label="Breadcrumbs">
            <Link href="/projects">Projects</Link> / {project.data ? <Link href={`/projects/${project.data.id}`}>{project.data.name}</Link> : '…'}
          </nav>
          <div className="page-heading row" tabIndex={-1} {...menu.handlers} data-testid="task-heading">
            <TitleEditor value={t.title} maxLength={MAX_TITLE_CHARS} label="Task title" testId="task-page-title" onSave={(title) => rename.run(title)} error={rename.error} />
            <EntityToolbar entityType="task" context={context}>
              <button type="button" className="button danger small" data-testid="task-page-delete" onClick={() => setConfirming(true)}>Delete task</button>
            </EntityToolbar>
          </div>
          {menu.open && <PluginMenu zone="contextMenuItem" entityType="task" context={context} at={menu.open} label={`Plugin actions for ${t.title}`} onClose={menu.close} />}
          <DetailTabs entityType="task" context={context} label={`Sections of ${t.title}`}>
            <Fields task={t} onChanged={task.reload} />
            <Description task={t} onChanged={task.reload} />
            <div className="task-views"><PluginSlots type="taskDetailView" entityType="task" context={context} captioned /></div>
            <Comments
              task={t} generation={generation}
              extras={{
                annotation: (c) => (
                  <div className="comment-annotations">
                    <PluginSlots type="commentAnnotation" entityType="comment" context={{ entityId: c.id, parentEntityId: t.id, projectId: t.projectId }} />
                  </div>
                ),
                menu: (c) => <CommentMenu task={t} commentId={c.id} />,
              }}
            />
          </DetailTabs>
          {remove.error && <p className="field-error" role="alert">{remove.error}</p>}
          {confirming && (
            <ConfirmDialog title={`Delete "${t.title}"?`} confirmLabel="Delete task" danger onCancel={() => setConfirming(false)} onConfirm={() => { setConfirming(false); void remove.run(); }}>
              <p className="muted">The task and its comments are deleted. This cannot be undone.</p>
            </ConfirmDialog>
          )}
        </>
      )}
    </section>
  );
}
