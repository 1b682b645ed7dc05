/** Small shared pieces: a modal dialog, a copyable field, field messages, number and date formats. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export const km2 = (n: number): string => `${n.toLocaleString('en', { maximumFractionDigits: n < 10 ? 3 : 1 })} km²`;
export const bytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** Messages for one field (a 422 issue or a local check), tied to it by `id` for `aria-describedby`. */
export function FieldMessages({ id, messages }: { id: string; messages?: string[] }) {
  const ref = useRef<HTMLUListElement>(null);
  const text = messages?.join('\n') ?? '';
  // A message that appears out of sight (below a long panel) is scrolled into view; one already seen stays put.
  useEffect(() => { if (text) ref.current?.scrollIntoView({ block: 'nearest' }); }, [text]);
  if (!messages || messages.length === 0) return null;
  return <ul id={id} ref={ref} class="field-error" role="alert">{messages.map((m) => <li key={m}>{m}</li>)}</ul>;
}

/** A modal `<dialog>` (focus kept inside, Escape closes). */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby="dialog-title" onClose={props.onClose} onCancel={props.onClose}>
      <h2 id="dialog-title">{props.title}</h2>
      {props.open ? props.children : null}
    </dialog>
  );
}

/** A read-only text with a Copy button. */
export function CopyField({ label, value, multiline }: { label: string; value: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  const id = `copy-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const el = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
      el?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div class="copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        {multiline
          ? <textarea id={id} readOnly rows={8} value={value} spellcheck={false} />
          : <input id={id} readOnly value={value} spellcheck={false} />}
        <button type="button" class="secondary" onClick={() => void copy()} aria-label={`Copy ${label}`}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
    </div>
  );
}
