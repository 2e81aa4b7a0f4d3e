/**
 * A plugin's webhook endpoints: each URL, secret included, with Copy. The
 * local server runs only while some enabled plugin declares a webhook, so a URL may be absent.
 */
import { useEffect, type ReactNode } from 'react';
import { CopyButton } from './copy-button.tsx';
import { LoadStatus } from './load-status.tsx';
import { useAsync } from './use-async.ts';
import './views.css';

/** Props of {@link PluginWebhooks}. */
export interface PluginWebhooksProps { pluginId: string }

/** The webhook endpoints of one plugin. */
export function PluginWebhooks({ pluginId }: PluginWebhooksProps): ReactNode {
  const hooks = useAsync(() => window.plinth.listWebhooks(pluginId), pluginId);
  const { reload } = hooks;
  // The server starts and stops as plugins are switched on and off; the URLs follow.
  useEffect(() => window.plinth.on('plugins.changed', () => void reload()), [reload]);

  const list = hooks.data;
  return (
    <section className="view" data-testid="plugin-webhooks" data-plugin-id={pluginId} data-loaded={list ? 'true' : 'false'} aria-label="Webhooks">
      <LoadStatus loaded={list !== undefined} error={hooks.error} errorTitle="Could not read the webhooks" testId="webhooks" />
      {list && list.length === 0 && <p className="muted" data-testid="webhooks-empty">This plugin declares no webhooks.</p>}
      {list && list.length > 0 && (
        <ul className="webhook-list">
          {list.map((hook) => (
            <li key={hook.endpointKey} className="webhook" data-testid="webhook" data-endpoint-key={hook.endpointKey}>
              <div className="webhook-name">
                <strong>{hook.displayName}</strong>
                <code className="cell-sub">{hook.endpointKey}</code>
              </div>
              {hook.url ? (
                <div className="webhook-url">
                  <code data-testid="webhook-url">{hook.url}</code>
                  <CopyButton text={hook.url} label="Copy URL" accessibleName={`Copy URL of ${hook.displayName}`} testId="webhook-copy" />
                </div>
              ) : (
                <p className="muted" data-testid="webhook-no-server">
                  Server not running: the webhook server starts while the plugin is switched on.
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {list && list.some((h) => h.url) && (
        <p className="hint">The URL contains a secret: share it only with the service that calls it.</p>
      )}
    </section>
  );
}
