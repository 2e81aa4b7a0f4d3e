/**
 * A plugin's settings form, generated from its `configSchema` by @rjsf/core
 * with the precompiled ajv validator (./config-validator.ts). Errors show inline under their
 * fields; **Save** stores the values (the host checks them again and its message is shown on
 * refusal); **Test connection** runs the plugin's own `onValidateConfig` on the values typed.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import Form from '@rjsf/core';
import type { ErrorTransformer, RJSFSchema, UiSchema, ValidatorType } from '@rjsf/utils';
import type { PlinthBridge, PluginConfigView } from '../../../preload/api.ts';
import type { ConfigValidation } from '../../../sdk/protocol/rpc.ts';
import type { JsonObject } from '../../../sdk/protocol/json.ts';
import { ErrorAlert } from '../views/load-status.tsx';
import { loadConfigValidator } from './config-validator.ts';
import { SecretWidget, type SecretFormContext } from './secret-widget.tsx';

type Phase = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'saved' } | { kind: 'error'; text: string };

const WIDGETS = { secret: SecretWidget };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** uiSchema placing {@link SecretWidget} on every secret field, with its dot path. */
function secretUiSchema(paths: readonly string[]): UiSchema {
  const ui: Record<string, unknown> = {};
  for (const path of paths) {
    let node = ui;
    const parts = path.split('.');
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1) ?? path] = { 'ui:widget': 'secret', 'ui:options': { secretPath: path } };
  }
  return ui as UiSchema;
}

function deleteAt(values: JsonObject, path: string): void {
  const parts = path.split('.');
  let node: unknown = values;
  for (const part of parts.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[part];
  if (node && typeof node === 'object') delete (node as Record<string, unknown>)[parts.at(-1) ?? path];
}

/**
 * The values to send: plain JSON (rjsf leaves `undefined` for cleared fields), and no entry for
 * a secret that was not retyped, so the host keeps the stored one.
 */
function valuesToSend(formData: unknown, view: PluginConfigView, replacing: ReadonlySet<string>): JsonObject {
  const values = JSON.parse(JSON.stringify(formData ?? {})) as JsonObject;
  for (const secret of view.secrets) {
    if (secret.set && !replacing.has(secret.path)) deleteAt(values, secret.path);
  }
  return values;
}

/** Props of {@link ConfigForm}. */
export interface ConfigFormProps {
  bridge: PlinthBridge;
  pluginId: string;
  displayName: string;
  /** After a successful save (the plugin may have become ready). */
  onSaved?(): void;
}

/** The settings form of one plugin. */
export function ConfigForm(props: ConfigFormProps): ReactNode {
  const { bridge, pluginId } = props;
  const [view, setView] = useState<PluginConfigView | null>(null);
  const [validator, setValidator] = useState<ValidatorType | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [formData, setFormData] = useState<JsonObject>({});
  const [replacing, setReplacing] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [test, setTest] = useState<ConfigValidation | null>(null);

  const show = useCallback((next: PluginConfigView) => {
    setView(next);
    setFormData(next.values);
    setReplacing(new Set());
  }, []);

  useEffect(() => {
    let current = true;
    (async () => {
      const loaded = await bridge.getConfig(pluginId);
      if (!loaded.schema) throw new Error('This plugin has no settings');
      const compiled = await loadConfigValidator(pluginId, loaded.schema);
      if (!current) return;
      setValidator(() => compiled);
      show(loaded);
    })().catch((error: unknown) => current && setLoadError(`Could not load the settings: ${message(error)}`));
    return () => {
      current = false;
    };
  }, [bridge, pluginId, show]);

  const setSecrets = useMemo(() => new Set(view?.secrets.filter((s) => s.set).map((s) => s.path)), [view]);
  const uiSchema = useMemo(() => ({
    ...secretUiSchema(view?.secrets.map((s) => s.path) ?? []),
    'ui:submitButtonOptions': { norender: true },
  }) as UiSchema, [view]);
  const formContext = useMemo<SecretFormContext>(() => ({
    setSecrets,
    replacing,
    replace: (path) => setReplacing((r) => new Set(r).add(path)),
    keep: (path) => setReplacing((r) => {
      const next = new Set(r);
      next.delete(path);
      return next;
    }),
  }), [setSecrets, replacing]);

  // A stored secret satisfies `required` although its value never reaches this form.
  const transformErrors: ErrorTransformer = useCallback((errors) => errors
    .filter((e) => !(e.name === 'required' && setSecrets.has((e.property ?? '').replace(/^\./, ''))))
    .map((e) => (e.name === 'required' ? { ...e, message: 'Required' } : e)), [setSecrets]);

  if (loadError) return <div className="alert" role="alert" data-testid="config-error"><span>{loadError}</span></div>;
  if (!view || !validator || !view.schema) return <p className="muted" role="status">Loading settings…</p>;

  const busy = phase.kind === 'busy';
  const save = async (data: unknown) => {
    setPhase({ kind: 'busy', text: 'Saving…' });
    try {
      show(await bridge.saveConfig(pluginId, valuesToSend(data, view, replacing)));
      setSubmitted(false);
      setPhase({ kind: 'saved' });
      props.onSaved?.();
    } catch (error) {
      setPhase({ kind: 'error', text: message(error) });
    }
  };
  const runTest = async () => {
    setPhase({ kind: 'busy', text: 'Testing…' });
    setTest(null);
    try {
      setTest(await bridge.testConfig(pluginId, valuesToSend(formData, view, replacing)));
      setPhase({ kind: 'idle' });
    } catch (error) {
      setPhase({ kind: 'error', text: message(error) });
    }
  };

  return (
    <div className="config-form" data-testid="config-form">
      {view.errors.length > 0 && !submitted && (
        <p className="hint" data-testid="config-needed">{props.displayName} needs these settings before it can run.</p>
      )}
      <Form
        schema={view.schema as RJSFSchema}
        uiSchema={uiSchema}
        formData={formData}
        validator={validator}
        widgets={WIDGETS}
        formContext={formContext}
        idPrefix={`config-${pluginId.replace(/[^\w-]/g, '_')}`}
        transformErrors={transformErrors}
        showErrorList={false}
        noHtml5Validate
        liveValidate={submitted ? 'onChange' : undefined}
        disabled={busy}
        onChange={(event) => setFormData((event.formData ?? {}) as JsonObject)}
        onError={() => setSubmitted(true)}
        onSubmit={(event) => void save(event.formData)}
      >
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="config-save">Save</button>
          <button type="button" className="button secondary" disabled={busy} data-testid="config-test" onClick={() => void runTest()}>
            Test connection
          </button>
          <span role="status" aria-live="polite" className="form-status" data-testid="config-status">
            {phase.kind === 'busy' ? phase.text : phase.kind === 'saved' ? 'Saved.' : ''}
          </span>
        </div>
      </Form>
      {phase.kind === 'error' && (
        <ErrorAlert title="Not saved" message={phase.text} testId="config-save-error" />
      )}
      {test && <TestResult result={test} />}
    </div>
  );
}

/** The outcome of Test connection: the plugin's own warnings and errors. */
function TestResult(props: { result: ConfigValidation }): ReactNode {
  const { ok, warnings, errors } = props.result;
  return (
    <div className={`test-result ${ok ? 'ok' : 'failed'}`} data-testid="config-test-result" data-ok={ok ? 'true' : 'false'} role="status">
      <strong>{ok ? 'The plugin accepted these settings.' : 'The plugin found problems with these settings.'}</strong>
      {errors.length > 0 && (
        <ul className="test-errors" aria-label="Errors" data-testid="config-test-errors">
          {errors.map((text) => <li key={text}>{text}</li>)}
        </ul>
      )}
      {warnings.length > 0 && (
        <ul className="test-warnings" aria-label="Warnings" data-testid="config-test-warnings">
          {warnings.map((text) => <li key={text}>{text}</li>)}
        </ul>
      )}
    </div>
  );
}
