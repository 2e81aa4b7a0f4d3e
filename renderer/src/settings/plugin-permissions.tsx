/**
 * A plugin card's runtime permissions (API 1.1): what its `plinth.optionalCapabilities` let it ask
 * for, and the user's remembered answers, each allowed one with Revoke (effective at once) and
 * each denied one with "Let it ask again".
 */
import { useId, type ReactNode } from 'react';
import type { PermissionAnswerView, PluginSummary } from '../../../preload/api.ts';
import { formatShortDateTime } from '../views/format.ts';

/** Props of {@link PluginPermissions}. */
export interface PluginPermissionsProps {
  plugin: PluginSummary;
  pending: boolean;
  /** Revokes an allowed capability or forgets a denial. */
  onRevoke(capability: string): void;
}

/** How each answer is shown and undone. */
const ANSWER_UI = {
  allowed: { label: 'Allowed', tone: 'ok', button: 'Revoke', buttonClass: 'danger-text', testId: 'permission-revoke' },
  denied: { label: 'Denied', tone: 'neutral', button: 'Let it ask again', buttonClass: '', testId: 'permission-forget' },
} as const;

/** One remembered answer with the button that undoes it. */
function PermissionRow(props: { answer: PermissionAnswerView; pending: boolean; onRevoke(capability: string): void }): ReactNode {
  const { answer } = props;
  const ui = ANSWER_UI[answer.decision];
  return (
    <li data-testid="permission-row" data-capability={answer.capability} data-decision={answer.decision}>
      <span className="permission-text">
        <span className={`badge ${ui.tone}`}>{ui.label}</span>
        <span title={answer.capability}>{answer.description}</span>
        <span className="muted fine-print">{formatShortDateTime(answer.decidedAt)}</span>
      </span>
      <button
        type="button"
        className={`button secondary small ${ui.buttonClass}`}
        disabled={props.pending}
        aria-label={`${ui.button}: ${answer.description}`}
        data-testid={ui.testId}
        onClick={() => props.onRevoke(answer.capability)}
      >
        {ui.button}
      </button>
    </li>
  );
}

/** The "Permissions it asks for while running" section; nothing for a plugin with no optional capabilities or answers. */
export function PluginPermissions(props: PluginPermissionsProps): ReactNode {
  const { plugin } = props;
  const headingId = useId();
  if (plugin.optionalCapabilities.length === 0 && plugin.permissions.length === 0) return null;
  // Allowed first: they are what the plugin can do now.
  const answers = [...plugin.permissions].sort((a, b) => (a.decision === b.decision ? 0 : a.decision === 'allowed' ? -1 : 1));
  return (
    <section className="permissions" aria-labelledby={headingId} data-testid="plugin-permissions">
      <h3 id={headingId}>Permissions it asks for while running</h3>
      {answers.length === 0 ? (
        <>
          <p className="hint" data-testid="permissions-none">It has not asked for any yet. It may ask to:</p>
          <ul data-testid="permissions-optional">
            {plugin.optionalCapabilities.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
          </ul>
        </>
      ) : (
        <ul className="permission-rows" aria-label="Your answers">
          {answers.map((a) => <PermissionRow key={a.capability} answer={a} pending={props.pending} onRevoke={props.onRevoke} />)}
        </ul>
      )}
    </section>
  );
}
