/**
 * The MCP server switch: off by default; when on, the URL and bearer token to
 * paste into an MCP client (token hidden until asked), and the plugin tools it serves as
 * `<plugin>__<tool>`.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { CopyButton } from './copy-button.tsx';
import { errorMessage } from './format.ts';
import { maskToken, mcpClientHint } from './labels.ts';
import { ErrorAlert, LoadStatus } from './load-status.tsx';
import { useAsync } from './use-async.ts';
import './views.css';

/** The MCP panel, for the Preferences section or its own. */
export function McpPanel(): ReactNode {
  const status = useAsync(() => window.plinth.mcpStatus(), 'mcp');
  const [toggling, setToggling] = useState(false);
  const [toggleError, setToggleError] = useState<string | null>(null);
  const [showToken, setShowToken] = useState(false);
  const labelId = useId();
  const { reload } = status;

  // The tool list follows plugins being switched on and off.
  useEffect(() => window.plinth.on('plugins.changed', () => void reload()), [reload]);

  async function toggle(enabled: boolean): Promise<void> {
    setToggling(true);
    setToggleError(null);
    try {
      status.setData(await window.plinth.setMcpEnabled(enabled));
      if (!enabled) setShowToken(false);
    } catch (err) {
      setToggleError(errorMessage(err));
    } finally {
      setToggling(false);
    }
  }

  const mcp = status.data;
  return (
    <section className="view card panel" data-testid="mcp-panel" data-enabled={mcp?.enabled ? 'true' : 'false'} aria-labelledby={labelId}>
      <div className="panel-head">
        <div>
          <h3 id={labelId}>MCP server</h3>
          <p className="hint">Lets AI agents on this computer call the tools of your enabled plugins.</p>
        </div>
        {mcp && (
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              data-testid="mcp-toggle"
              aria-label="Serve plugin tools over MCP"
              checked={mcp.enabled}
              disabled={toggling}
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />
            <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
            <span className="switch-label">{mcp.enabled ? 'On' : 'Off'}</span>
          </label>
        )}
      </div>
      <LoadStatus loaded={mcp !== undefined} error={status.error} errorTitle="Could not read the MCP server status" testId="mcp" />
      {toggleError && <ErrorAlert title="Could not switch the MCP server" message={toggleError} testId="mcp-toggle-error" />}
      {mcp?.enabled && (
        <>
          <dl className="key-values">
            <dt>URL</dt>
            <dd>
              {mcp.url ? <code data-testid="mcp-url">{mcp.url}</code> : <span className="muted" data-testid="mcp-url-pending">Starting…</span>}
              {mcp.url && <CopyButton text={mcp.url} label="Copy URL" testId="mcp-copy-url" />}
            </dd>
            <dt>Token</dt>
            <dd>
              <code data-testid="mcp-token" data-masked={showToken ? 'false' : 'true'}>{showToken ? mcp.token : maskToken(mcp.token)}</code>
              <button
                type="button"
                className="button secondary small"
                data-testid="mcp-token-show"
                aria-pressed={showToken}
                disabled={!mcp.token}
                onClick={() => setShowToken((s) => !s)}
              >
                {showToken ? 'Hide' : 'Show'}
              </button>
              {mcp.token && <CopyButton text={mcp.token} label="Copy token" testId="mcp-copy-token" />}
            </dd>
          </dl>
          <p className="hint" data-testid="mcp-hint">{mcpClientHint(mcp.url)}</p>
          <h4 className="subheading">Tools served ({mcp.tools.length})</h4>
          {mcp.tools.length === 0 ? (
            <p className="muted" data-testid="mcp-tools-empty">No enabled plugin declares a tool.</p>
          ) : (
            <ul className="tool-list" data-testid="mcp-tools">
              {mcp.tools.map((tool) => <li key={tool} data-testid="mcp-tool"><code>{tool}</code></li>)}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
