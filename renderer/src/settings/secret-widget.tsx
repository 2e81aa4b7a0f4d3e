/**
 * The config form's widget for `"format": "secret"` fields (CONTRACT §2). A stored secret is
 * never sent to the renderer: the field shows "Set" and a **Replace** button; only a newly typed
 * value is sent on Save, and leaving the field untouched keeps the stored one.
 */
import type { ReactNode } from 'react';
import type { WidgetProps } from '@rjsf/utils';

/** What the widget reads from the form's `formContext`. */
export interface SecretFormContext {
  /** Dot paths of secret fields with a stored value. */
  setSecrets: ReadonlySet<string>;
  /** Dot paths whose stored value the user chose to replace. */
  replacing: ReadonlySet<string>;
  replace(path: string): void;
  keep(path: string): void;
}

/** The dot path the form generator put in `ui:options.secretPath`, else the field name. */
function pathOf(props: WidgetProps): string {
  const path = props.options.secretPath;
  return typeof path === 'string' ? path : props.name;
}

/** Password input, or "Set" + Replace for a stored secret. */
export function SecretWidget(props: WidgetProps): ReactNode {
  const context = props.registry.formContext as SecretFormContext;
  const path = pathOf(props);
  const isSet = context.setSecrets.has(path);
  const label = props.label || path;
  if (isSet && !context.replacing.has(path)) {
    return (
      <div className="secret-set" data-testid="secret-field" data-secret-path={path} data-secret-state="set">
        <span className="badge ok" data-testid="secret-set">Set</span>
        <span className="hint">stored encrypted on this computer</span>
        <button type="button" id={props.id} className="button secondary small" aria-label={`Replace ${label}`} onClick={() => context.replace(path)}>
          Replace
        </button>
      </div>
    );
  }
  const invalid = (props.rawErrors?.length ?? 0) > 0;
  return (
    <div className="secret-input" data-testid="secret-field" data-secret-path={path} data-secret-state={isSet ? 'replacing' : 'empty'}>
      <input
        id={props.id}
        name={props.htmlName ?? props.id}
        type="password"
        className="input grow"
        autoComplete="new-password"
        spellCheck={false}
        autoFocus={isSet}
        value={typeof props.value === 'string' ? props.value : ''}
        disabled={props.disabled || props.readonly}
        placeholder={isSet ? 'New value' : props.placeholder}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${props.id}__error` : undefined}
        onChange={(event) => props.onChange(event.currentTarget.value === '' ? undefined : event.currentTarget.value)}
        onBlur={(event) => props.onBlur(props.id, event.currentTarget.value)}
        onFocus={(event) => props.onFocus(props.id, event.currentTarget.value)}
      />
      {isSet && (
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            props.onChange(undefined);
            context.keep(path);
          }}
        >
          Keep current
        </button>
      )}
    </div>
  );
}
