/**
 * Runtime permission requests (API 1.1) in both windows, main and settings, so the user sees
 * one wherever they work: a plugin's worker called `ctx.permissions.request(capabilities, reason)`
 * and waits for the user. An answer in either window ends the request, and the
 * `permissions.changed` that follows dismisses it in the other. One modal at a time,
 * oldest first, with the plugin's name and icon, its reason in its own words (shown as text) and
 * each capability in plain words. Deny has the initial focus and Esc denies, so a stray Enter
 * never grants anything. Both answers are remembered; Settings → Plugins lists them with Revoke.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { PermissionPrompt } from '../../../preload/api.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { Modal } from '../settings/modal.tsx';
import { errorMessage } from '../views/format.ts';

/** The waiting requests as a window shows them; refreshed on `permissions.changed`. */
export function PermissionPrompts(): ReactNode {
  const [prompts, setPrompts] = useState<PermissionPrompt[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [answering, setAnswering] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setPrompts(await window.plinth.pendingPermissions());
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void refresh();
    return window.plinth.on('permissions.changed', () => void refresh());
  }, [refresh]);

  const current = prompts[0];
  if (!current) return null;
  const answer = async (allow: boolean) => {
    if (answering) return;
    setAnswering(true);
    try {
      await window.plinth.answerPermission(current.requestId, allow);
    } catch (e) {
      // Most often the request went away meanwhile (its plugin stopped): the refresh drops it.
      setError(errorMessage(e));
    } finally {
      setAnswering(false);
      await refresh();
    }
  };
  return (
    <Modal
      key={current.requestId}
      title={`${current.pluginDisplayName} asks for permission`}
      onCancel={() => void answer(false)}
      testId="permission-prompt"
      actions={(
        <>
          <button type="button" className="button secondary" data-autofocus="true" disabled={answering} data-testid="permission-deny" onClick={() => void answer(false)}>
            Deny
          </button>
          <button type="button" className="button primary" disabled={answering} data-testid="permission-allow" onClick={() => void answer(true)}>
            Allow
          </button>
        </>
      )}
    >
      <div className="permission-plugin" data-plugin-id={current.pluginId}>
        <PluginIcon src={current.pluginIcon} size={32} />
        <div>
          <strong data-testid="permission-plugin-name">{current.pluginDisplayName}</strong>
          <div><code className="plugin-id">{current.pluginId}</code></div>
        </div>
      </div>
      <p className="permission-says">The plugin says why:</p>
      <blockquote className="permission-reason" data-testid="permission-reason">{current.reason}</blockquote>
      <p>If you allow it, it will be able to:</p>
      <ul className="consent-list" data-testid="permission-capabilities">
        {current.capabilities.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
      </ul>
      <p className="muted fine-print">Your answer is remembered. You can revoke it at any time in Settings → Plugins.</p>
      {error && <p className="alert" role="alert">{error}</p>}
      {prompts.length > 1 && <p className="muted fine-print">{prompts.length - 1} more {prompts.length === 2 ? 'request waits' : 'requests wait'} after this one.</p>}
    </Modal>
  );
}
