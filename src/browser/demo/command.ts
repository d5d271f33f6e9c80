// "Reproduce in Node": the `prunelab sweep` command of the request the form describes (the CLI's own
// flags, from sweepRequestFlags), a copy button, and a link that opens the page set to the same
// request (its query carries the same flags; the page reads it at start-up).
import { byId } from './dom.js';
import { commandOf, queryOf } from './form-values.js';
import type { ParsedForm } from './form.js';

export function showCommand(form: ParsedForm | null): void {
  const link = byId<HTMLAnchorElement>('setup-link');
  byId<HTMLButtonElement>('copy-cli').disabled = !form;
  if (!form) {
    byId('cli').textContent = '(fix the form to get the command)';
    link.hidden = true;
    return;
  }
  byId('cli').textContent = commandOf(form.request, form.workersChosen ? form.workers : undefined);
  link.href = `${location.pathname}${queryOf(form.request)}`;
  link.hidden = false;
}

export async function copyCommand(): Promise<void> {
  const text = byId('cli').textContent ?? '';
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // no clipboard access (file://, or permission refused): select the text for Ctrl+C instead
    const range = document.createRange();
    range.selectNodeContents(byId('cli'));
    const sel = getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    ok = document.execCommand('copy');
  }
  byId('copy-status').textContent = ok ? 'Copied.' : 'Selected: press Ctrl+C.';
  setTimeout(() => {
    byId('copy-status').textContent = '';
  }, 2500);
}
