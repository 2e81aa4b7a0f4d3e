/**
 * The details of one task, opened below its row: the description (editable) and the comment
 * thread with an **Add comment** box. Ctrl+Enter (⌘+Enter) saves either text box.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Comment, Task } from '../../../../sdk/protocol/entities.ts';
import { useAsync } from '../use-async.ts';
import { TrashIcon } from './icons.tsx';
import { useMutation } from './use-mutation.ts';
import { workspaceErrorMessage } from './workspace-errors.ts';

/** The comment author the host records for the user (`USER_AUTHOR` of the workspace service). */
const USER_AUTHOR = 'user';

/** Props of {@link TaskDetail}. */
export interface TaskDetailProps {
  /** Element id, for the row's `aria-controls`. */
  id: string;
  task: Task;
  onChanged(): Promise<void>;
  /** Changes whenever the workspace was reloaded: the thread is fetched again then. */
  generation: number;
}

/** True for Ctrl+Enter or ⌘+Enter: "save this text box" where Enter alone makes a new line. */
function isSaveKey(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey);
}

/** When a comment was written, in the user's locale. */
function commentTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The task's description with Save and Discard. */
export function Description(props: { task: Task; onChanged(): Promise<void> }): ReactNode {
  const { task } = props;
  const [draft, setDraft] = useState(task.description);
  const [base, setBase] = useState(task.description);
  const [saved, setSaved] = useState(false);
  // A reload brought another description (a plugin changed it, or ours was saved): follow it unless the user is editing.
  if (task.description !== base) {
    setBase(task.description);
    if (draft === base) setDraft(task.description);
  }
  const save = useMutation(() => window.plinth.updateTask(task.id, { description: draft }), async () => {
    await props.onChanged();
    setSaved(true);
  });
  const dirty = draft !== task.description;
  const submit = () => {
    if (dirty && !save.busy) void save.run();
  };

  return (
    <div className="detail-section">
      <label className="detail-label" htmlFor={`${task.id}-description`}>Description</label>
      <textarea
        id={`${task.id}-description`} className="input" data-testid="task-description" rows={3}
        placeholder="Add a description…" value={draft}
        aria-invalid={save.error ? true : undefined}
        onChange={(event) => { setDraft(event.target.value); setSaved(false); save.clearError(); }}
        onKeyDown={(event) => {
          if (isSaveKey(event)) {
            event.preventDefault();
            submit();
          }
        }}
      />
      {save.error && <p className="field-error" role="alert" data-testid="description-error">{save.error}</p>}
      <div className="detail-actions">
        {dirty ? (
          <>
            <button type="button" className="button primary small" data-testid="description-save" aria-busy={save.busy} onClick={submit}>
              {save.busy ? 'Saving…' : 'Save description'}
            </button>
            <button type="button" className="button secondary small" onClick={() => { setDraft(task.description); save.clearError(); }}>Discard</button>
          </>
        ) : (
          saved && <span className="hint" role="status" data-testid="description-saved">Saved</span>
        )}
      </div>
    </div>
  );
}

/** What a place adds to each comment: plugin annotations below it and a ⋮ menu in its head. */
export interface CommentExtras {
  annotation?(comment: Comment): ReactNode;
  menu?(comment: Comment): ReactNode;
}

function CommentItem(props: { comment: Comment; onDelete(): Promise<unknown>; extras?: CommentExtras | undefined }): ReactNode {
  const { comment } = props;
  const author = comment.author === USER_AUTHOR ? 'You' : comment.author;
  return (
    <li className="comment" data-testid="comment" data-comment-id={comment.id}>
      <div className="comment-head">
        <span className="comment-author">{author}</span>
        <time className="muted" dateTime={comment.createdAt} title={comment.createdAt}>{commentTime(comment.createdAt)}</time>
        <button
          type="button" className="icon-button small danger-hover" data-testid="comment-delete"
          aria-label={`Delete comment by ${author} from ${commentTime(comment.createdAt)}`} title="Delete comment"
          onClick={() => void props.onDelete()}
        >
          <TrashIcon />
        </button>
        {props.extras?.menu?.(comment)}
      </div>
      <p className="comment-body" data-testid="comment-body">{comment.body}</p>
      {props.extras?.annotation?.(comment)}
    </li>
  );
}

/** The comment thread of a task with its Add comment box. */
export function Comments(props: { task: Task; generation: number; extras?: CommentExtras }): ReactNode {
  const { task } = props;
  const thread = useAsync(() => window.plinth.listComments(task.id), task.id);
  const { reload } = thread;
  const [body, setBody] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const add = useMutation(() => window.plinth.addComment(task.id, body), async () => {
    setBody('');
    await reload();
  });
  const remove = useMutation((commentId: string) => window.plinth.deleteComment(commentId), async () => {
    await reload();
    input.current?.focus();
  });

  // Reload the thread with the workspace (Refresh, plugin changes), but not on first mount.
  const seen = useRef(props.generation);
  useEffect(() => {
    if (seen.current === props.generation) return;
    seen.current = props.generation;
    void reload();
  }, [props.generation, reload]);

  const comments = thread.data;
  const submit = () => {
    if (!add.busy) void add.run();
  };
  return (
    <div className="detail-section">
      <h4 className="detail-label">
        Comments {comments && comments.length > 0 && <span className="count" data-testid="comment-count">{comments.length}</span>}
      </h4>
      {thread.error && <p className="field-error" role="alert">{workspaceErrorMessage(thread.error)}</p>}
      {!comments && !thread.error && <p className="muted">Loading comments…</p>}
      {comments && comments.length === 0 && <p className="muted no-comments" data-testid="no-comments">No comments yet.</p>}
      {comments && comments.length > 0 && (
        <ul className="comment-list" aria-label={`Comments on ${task.title}`} data-loaded="true">
          {comments.map((c) => <CommentItem key={c.id} comment={c} extras={props.extras} onDelete={() => remove.run(c.id)} />)}
        </ul>
      )}
      {remove.error && <p className="field-error" role="alert">{remove.error}</p>}
      <form
        className="add-comment"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label className="visually-hidden" htmlFor={`${task.id}-comment`}>Add a comment</label>
        <textarea
          ref={input} id={`${task.id}-comment`} className="input" data-testid="comment-input" rows={2}
          placeholder="Add a comment…" value={body}
          aria-invalid={add.error ? true : undefined}
          onChange={(event) => { setBody(event.target.value); add.clearError(); }}
          onKeyDown={(event) => {
            if (isSaveKey(event)) {
              event.preventDefault();
              submit();
            }
          }}
        />
        {add.error && <p className="field-error" role="alert" data-testid="comment-error">{add.error}</p>}
        <div className="detail-actions">
          <span className="hint">Ctrl+Enter to send</span>
          <button type="submit" className="button primary small" data-testid="comment-submit" aria-busy={add.busy}>
            {add.busy ? 'Adding…' : 'Add comment'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** The open part of a task row. */
export function TaskDetail(props: TaskDetailProps): ReactNode {
  return (
    <div className="task-detail" id={props.id} role="region" aria-label={`Details of ${props.task.title}`} data-testid="task-detail">
      <Description task={props.task} onChanged={props.onChanged} />
      <Comments task={props.task} generation={props.generation} />
    </div>
  );
}
