/**
 * Modal dialogs of the settings window, on the native `<dialog>` element (see useModalDialog:
 * the rest of the window inert, Esc cancels, focus returns to the opener).
 */
import { useId, useRef, type ReactNode } from 'react';
import { useModalDialog } from '../modal-dialog.ts';
import type { PluginSummary } from '../../../preload/api.ts';
import { UNSANDBOXED_CAPABILITY, UNSANDBOXED_WORDS } from '../../../sdk/protocol/capabilities.ts';

/** Props of {@link Modal}. */
export interface ModalProps {
  title: string;
  /** Called for Esc, the Cancel button and a click on the backdrop. */
  onCancel(): void;
  children: ReactNode;
  /** The buttons row; the first element with `autoFocus` gets focus. */
  actions: ReactNode;
  testId?: string;
}

/** A modal dialog shown while mounted. */
export function Modal(props: ModalProps): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // showModal focuses the first focusable element unless one has autofocus; React's autoFocus is a focus() call.
  useModalDialog(ref, props.onCancel, '[data-autofocus="true"]');

  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      data-testid={props.testId}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself, outside its content box.
        if (event.target === ref.current) props.onCancel();
      }}
    >
      <div className="modal-body">
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
      <div className="modal-actions">{props.actions}</div>
    </dialog>
  );
}

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Red confirm button, for actions that remove something. */
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** Asks before an action; Cancel has the initial focus, so Enter alone never confirms. */
export function ConfirmDialog(props: ConfirmDialogProps): ReactNode {
  return (
    <Modal
      title={props.title}
      onCancel={props.onCancel}
      testId="confirm-dialog"
      actions={(
        <>
          <button type="button" className="button secondary" data-autofocus="true" onClick={props.onCancel}>Cancel</button>
          <button type="button" className={`button ${props.danger ? 'danger' : 'primary'}`} data-testid="confirm" onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </>
      )}
    >
      {props.children}
    </Modal>
  );
}

/**
 * The warning for `system.unsandboxed` (CONTRACT §4, API 1.1), first in every consent that
 * includes it: such a plugin runs as a full program, outside the sandbox.
 */
export function FullAccessWarning(): ReactNode {
  return (
    <div className="full-access-warning" role="note" data-testid="full-access-warning">
      <span aria-hidden="true">⚠</span>
      <div>
        <strong>{UNSANDBOXED_WORDS}</strong>
        <p>This plugin runs outside Plinth's sandbox: it can read and change any of your files, start programs and reach any network address. Allow it only if you trust who made it.</p>
      </div>
    </div>
  );
}

/** Props of {@link ConsentDialog}. */
export interface ConsentDialogProps {
  plugin: PluginSummary;
  onAllow(): void;
  onCancel(): void;
}

/** What a plugin asks to do, in plain words, before it runs for the first time. */
export function ConsentDialog(props: ConsentDialogProps): ReactNode {
  const { plugin } = props;
  return (
    <Modal
      title={`Allow ${plugin.displayName}?`}
      onCancel={props.onCancel}
      testId="consent-dialog"
      actions={(
        <>
          <button type="button" className="button secondary" data-autofocus="true" onClick={props.onCancel}>Cancel</button>
          <button type="button" className="button primary" data-testid="consent-allow" onClick={props.onAllow}>Allow and turn on</button>
        </>
      )}
    >
      {plugin.unsandboxed && <FullAccessWarning />}
      <p className="muted">
        {plugin.displayName} {plugin.version} ({plugin.id}) runs on this computer with these permissions.
        You can switch it off at any time.
      </p>
      {plugin.capabilities.length > 0 ? (
        <ul className="consent-list" data-testid="consent-capabilities">
          {plugin.capabilities.filter((c) => c.capability !== UNSANDBOXED_CAPABILITY)
            .map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
        </ul>
      ) : (
        <p data-testid="consent-capabilities">It asks for no permissions.</p>
      )}
      {plugin.optionalCapabilities.length > 0 && (
        <>
          <p className="muted">While it runs it may also ask you, with a reason, to:</p>
          <ul className="consent-list" data-testid="consent-optional">
            {plugin.optionalCapabilities.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
          </ul>
        </>
      )}
    </Modal>
  );
}
