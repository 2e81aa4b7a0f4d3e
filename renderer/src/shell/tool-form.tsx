/**
 * Runs one plugin tool from the command palette: a form generated from the tool's
 * `parametersSchema` by @rjsf/core (the precompiled validator, as the config form), **Run**
 * calls the tool as the user and shows its text result, or the error the host or the plugin gave.
 * The first field takes focus once the form is ready.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import Form from '@rjsf/core';
import type { RJSFSchema, UiSchema, ValidatorType } from '@rjsf/utils';
import type { PluginToolView } from '../../../preload/api.ts';
import type { JsonObject } from '../../../sdk/protocol/json.ts';
import type { ToolResult } from '../../../sdk/protocol/rpc.ts';
import { loadToolValidator } from '../settings/config-validator.ts';
import { ErrorAlert } from '../views/load-status.tsx';

type Phase = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; result: ToolResult } | { kind: 'error'; text: string };

const UI_SCHEMA: UiSchema = { 'ui:submitButtonOptions': { norender: true } };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The form of `props.tool`; `onBack` returns to the command list. */
export function ToolForm(props: { tool: PluginToolView; onBack(): void }): ReactNode {
  const { tool } = props;
  const [validator, setValidator] = useState<ValidatorType | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [formData, setFormData] = useState<JsonObject>({});
  const [submitted, setSubmitted] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    let current = true;
    loadToolValidator(tool.qualifiedName, tool.parametersSchema).then(
      (compiled) => current && setValidator(() => compiled),
      (error: unknown) => current && setLoadError(`Could not load the form of ${tool.displayName}: ${message(error)}. Reopen the palette to try again.`),
    );
    return () => {
      current = false;
    };
  }, [tool]);

  // The command list that had focus is gone: keyboard users continue in the first field (or Run, when there is none).
  useEffect(() => {
    if (validator) ref.current?.querySelector<HTMLElement>('input, select, textarea, button[type="submit"]')?.focus();
  }, [validator]);

  const run = async (data: unknown) => {
    setPhase({ kind: 'running' });
    try {
      // Plain JSON: rjsf leaves `undefined` for cleared fields.
      const params = JSON.parse(JSON.stringify(data ?? {})) as JsonObject;
      setPhase({ kind: 'done', result: await window.plinth.callTool(tool.qualifiedName, params) });
    } catch (error) {
      setPhase({ kind: 'error', text: message(error) });
    }
  };
  const running = phase.kind === 'running';

  return (
    <section ref={ref} className="tool-form config-form" data-testid="tool-form" data-tool={tool.qualifiedName} aria-label={`Run ${tool.displayName}`}>
      <header className="tool-form-header">
        <button type="button" className="button secondary small" data-testid="tool-back" onClick={props.onBack}>Back</button>
        <div>
          <h2 className="tool-form-title">{tool.displayName} <span className="muted">{tool.pluginDisplayName}</span></h2>
          <p className="muted">{tool.description}</p>
        </div>
      </header>
      {loadError && <div className="alert" role="alert" data-testid="tool-load-error"><span>{loadError}</span></div>}
      {!loadError && !validator && <p className="muted" role="status">Loading the form…</p>}
      {validator && (
        <Form
          schema={tool.parametersSchema as RJSFSchema}
          uiSchema={UI_SCHEMA}
          formData={formData}
          validator={validator}
          idPrefix={`tool-${tool.qualifiedName.replace(/[^\w-]/g, '_')}`}
          showErrorList={false}
          noHtml5Validate
          liveValidate={submitted ? 'onChange' : undefined}
          disabled={running}
          onChange={(event) => setFormData((event.formData ?? {}) as JsonObject)}
          onError={() => setSubmitted(true)}
          onSubmit={(event) => void run(event.formData)}
        >
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={running} data-testid="tool-run">Run</button>
            <span role="status" aria-live="polite" className="form-status">{running ? 'Running…' : ''}</span>
          </div>
        </Form>
      )}
      {phase.kind === 'error' && <ErrorAlert title={`${tool.displayName} failed`} message={phase.text} testId="tool-error" />}
      {phase.kind === 'done' && (
        <div className={`tool-result${phase.result.isError ? ' failed' : ''}`} role="status" data-testid="tool-result" data-is-error={phase.result.isError ? 'true' : 'false'}>
          <strong>{phase.result.isError ? `${tool.displayName} reported a problem:` : 'Result'}</strong>
          <pre className="tool-result-content">{phase.result.content}</pre>
          {phase.result.data !== undefined && (
            <details className="tool-result-data" data-testid="tool-result-data">
              <summary>Data the tool returned</summary>
              <pre>{JSON.stringify(phase.result.data, null, 2)}</pre>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
