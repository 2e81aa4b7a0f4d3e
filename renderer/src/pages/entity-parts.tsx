/**
 * Parts shared by the project and task pages: an inline title editor (Enter saves, Esc
 * discards) and the page toolbar with the plugins' `toolbarButton` slots and launchers.
 */
import { useState, type ReactNode } from 'react';
import type { EntityType } from '../../../sdk/protocol/capabilities.ts';
import type { FrameEntityContext } from '../slot-host.tsx';
import { LauncherButtons, PluginSlots } from '../shell/plugin-slots.tsx';

/** Props of {@link TitleEditor}. */
export interface TitleEditorProps {
  value: string;
  label: string;
  maxLength: number;
  testId: string;
  error: string | null;
  onSave(value: string): Promise<unknown>;
}

/** A heading that turns into a text field with Rename. */
export function TitleEditor(props: TitleEditorProps): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft === null) {
    return (
      <div className="title-editor">
        <h1 data-testid={props.testId}>{props.value}</h1>
        <button type="button" className="button secondary small" data-testid={`${props.testId}-edit`} onClick={() => setDraft(props.value)}>Rename</button>
      </div>
    );
  }
  const save = async () => {
    await props.onSave(draft);
    setDraft(null);
  };
  return (
    <form className="title-editor" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <input
        className="input title-input" aria-label={props.label} data-testid={`${props.testId}-input`} autoFocus maxLength={props.maxLength}
        value={draft} onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); setDraft(null); } }}
      />
      <button type="submit" className="button primary small" data-testid={`${props.testId}-save`}>Save</button>
      <button type="button" className="button secondary small" onClick={() => setDraft(null)}>Cancel</button>
      {props.error && <p className="field-error" role="alert">{props.error}</p>}
    </form>
  );
}

/** The toolbar of an entity page: the page's own buttons, then plugin toolbar buttons. */
export function EntityToolbar(props: { entityType: EntityType; context: FrameEntityContext; children?: ReactNode }): ReactNode {
  return (
    <div className="entity-toolbar" role="toolbar" aria-label="Actions" data-testid="entity-toolbar">
      <LauncherButtons zone="toolbarButton" entityType={props.entityType} context={props.context} />
      <PluginSlots type="toolbarButton" entityType={props.entityType} context={props.context} className="toolbar-slot" />
      {props.children}
    </div>
  );
}
