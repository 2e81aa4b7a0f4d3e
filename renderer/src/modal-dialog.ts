/**
 * The modal behaviour every dialog of the shell and the settings window shares, on the native
 * `<dialog>` element: `showModal()` makes the rest of the window inert (focus stays inside), Esc
 * cancels, and focus returns to the element that opened it when it closes.
 */
import { useEffect, useRef, type RefObject } from 'react';

/**
 * Shows `ref`'s dialog as modal from mount to unmount.
 *
 * @param ref - The `<dialog>`; it must be rendered on mount.
 * @param onCancel - Called on Esc (the dialog's `cancel` event). React owns the dialog's lifetime,
 *   so the browser's own close is prevented: the caller unmounts it, which closes it. The latest
 *   function is called, so an inline arrow is fine.
 * @param initialFocus - A selector inside the dialog whose element takes focus once it is open;
 *   without one the browser's choice stands (the first focusable element, or `autofocus`).
 */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>, onCancel: () => void, initialFocus?: string): void {
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;
  const focusRef = useRef(initialFocus);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    if (focusRef.current) dialog.querySelector<HTMLElement>(focusRef.current)?.focus();
    const cancel = (event: Event) => {
      event.preventDefault();
      cancelRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [ref]);
}
