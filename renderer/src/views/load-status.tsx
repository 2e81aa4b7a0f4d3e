/** The error box and the loading line that views and plugin cards show the same way. */
import type { ReactNode } from 'react';

/** Props of {@link ErrorAlert}. */
export interface ErrorAlertProps {
  /** What failed, e.g. "Could not read the jobs". */
  title: string;
  /** The host's message, which says what to fix. */
  message: string;
  testId?: string;
}

/** An error box: what failed, then why. */
export function ErrorAlert(props: ErrorAlertProps): ReactNode {
  return (
    <div className="alert" role="alert" data-testid={props.testId}>
      <strong>{props.title}</strong>
      <span>{props.message}</span>
    </div>
  );
}

/** Props of {@link LoadStatus}. */
export interface LoadStatusProps {
  /** True once the first answer arrived. */
  loaded: boolean;
  /** Why the last load failed, or `null`. */
  error: string | null;
  /** What failed, e.g. "Could not read the jobs". */
  errorTitle: string;
  /** Prefix of the test ids: `<testId>-error`, `<testId>-loading`. */
  testId: string;
}

/**
 * A view's load state: the last load's error (also over data kept from before) and "Loading…"
 * until the first answer.
 */
export function LoadStatus(props: LoadStatusProps): ReactNode {
  return (
    <>
      {props.error && <ErrorAlert title={props.errorTitle} message={props.error} testId={`${props.testId}-error`} />}
      {!props.loaded && !props.error && <p className="muted" data-testid={`${props.testId}-loading`}>Loading…</p>}
    </>
  );
}
