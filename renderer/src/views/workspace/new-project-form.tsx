/** The **New project** form of the Workspace view: name and optional description. */
import { useId, useState, type ReactNode } from 'react';
import type { Project } from '../../../../sdk/protocol/entities.ts';
import { useMutation } from './use-mutation.ts';
import { MAX_TITLE_CHARS } from './workspace-limits.ts';

/** Props of {@link NewProjectForm}. */
export interface NewProjectFormProps {
  /** Told the created project after the workspace was reloaded. */
  onCreated(project: Project): Promise<void> | void;
  onCancel(): void;
}

/** A card with the form; the name field has focus when it opens, Esc cancels. */
export function NewProjectForm(props: NewProjectFormProps): ReactNode {
  const id = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation(
    () => window.plinth.createProject({ name, ...(description.trim() ? { description } : {}) }),
    props.onCreated,
  );

  return (
    <form
      className="card new-project"
      data-testid="new-project-form"
      aria-labelledby={`${id}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!create.busy) void create.run();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          props.onCancel();
        }
      }}
    >
      <h3 id={`${id}-heading`}>New project</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`} className="input" data-testid="new-project-name" autoFocus autoComplete="off"
          maxLength={MAX_TITLE_CHARS} value={name} placeholder="e.g. Website relaunch"
          aria-invalid={create.error ? true : undefined} aria-describedby={create.error ? `${id}-error` : undefined}
          onChange={(event) => { setName(event.target.value); create.clearError(); }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description <span className="muted">(optional)</span></label>
        <textarea
          id={`${id}-description`} className="input" data-testid="new-project-description" rows={2}
          value={description} placeholder="What is this project about?"
          onChange={(event) => { setDescription(event.target.value); create.clearError(); }}
        />
      </div>
      {create.error && <p className="field-error" id={`${id}-error`} role="alert" data-testid="new-project-error">{create.error}</p>}
      <div className="new-project-actions">
        <button type="button" className="button secondary" onClick={props.onCancel}>Cancel</button>
        <button type="submit" className="button primary" data-testid="new-project-submit" aria-busy={create.busy}>
          {create.busy ? 'Creating…' : 'Create project'}
        </button>
      </div>
    </form>
  );
}
