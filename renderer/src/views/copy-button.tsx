/** Copy to clipboard, with a fallback where the async Clipboard API is refused. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from './format.ts';

/** How long the button says "Copied" (ms): long enough to read, short enough to copy again. */
const COPIED_FEEDBACK_MS = 1500;

/**
 * Puts `text` on the clipboard: `navigator.clipboard.writeText` first; when it is missing or
 * refused (Electron denies permission requests, and older contexts lack it), a hidden
 * textarea and `document.execCommand('copy')`, which needs only the user's click.
 * @throws Error when both ways fail.
 */
export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // Fall through to the textarea way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  const focused = document.activeElement as HTMLElement | null;
  document.body.append(area);
  area.select();
  let copied: boolean;
  try {
    copied = document.execCommand('copy');
  } finally {
    area.remove();
    focused?.focus();
  }
  if (!copied) throw new Error('The clipboard is not available');
}

/** Props of {@link CopyButton}. */
export interface CopyButtonProps {
  /** The text to copy, or a function giving it at click time. */
  text: string | (() => string);
  /** Visible idle label, e.g. "Copy URL". */
  label?: string;
  /** Accessible name when the label alone is ambiguous, e.g. "Copy URL of Inbox"; defaults to `label`. */
  accessibleName?: string;
  testId?: string;
  disabled?: boolean;
}

/**
 * A button that copies `text`. Its `data-state` is `idle`, `copied` or `failed`, and a polite
 * live region says the outcome to screen readers.
 */
export function CopyButton(props: CopyButtonProps): ReactNode {
  const { label = 'Copy', testId, disabled, accessibleName = label } = props;
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [problem, setProblem] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = async () => {
    clearTimeout(timer.current);
    try {
      await copyText(typeof props.text === 'function' ? props.text() : props.text);
      setState('copied');
      setProblem('');
    } catch (error) {
      setState('failed');
      setProblem(errorMessage(error));
    }
    timer.current = setTimeout(() => setState('idle'), COPIED_FEEDBACK_MS);
  };

  return (
    <>
      <button
        type="button"
        className="button secondary small"
        data-testid={testId}
        data-state={state}
        disabled={disabled}
        aria-label={accessibleName}
        title={state === 'failed' ? problem : undefined}
        onClick={() => void onClick()}
      >
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? `Could not copy: ${problem}` : ''}
      </span>
    </>
  );
}
