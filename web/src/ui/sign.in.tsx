/** Sign in with an API key: exchanged for a session token at once; the key is cleared from the field and kept nowhere. */
import { useState } from 'preact/hooks';
import { auth, signIn } from '../store.js';

export function SignIn() {
  const [key, setKey] = useState('');
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const k = key;
    setKey('');
    await signIn(k);
  };
  return (
    <div class="sign-in-backdrop">
      <form class="sign-in card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in to geopera</h2>
        <p>Use an API key of your organization (<code>gpra_…</code>). It is exchanged for a session that lasts while this page is open; the key itself is not stored.</p>
        <label for="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" autoFocus spellcheck={false} required value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)} aria-describedby={auth.error.value ? 'sign-in-error' : undefined} />
        {auth.error.value ? <p id="sign-in-error" class="error" role="alert">{auth.error.value}</p> : null}
        <button type="submit" disabled={auth.signingIn.value || !key}>{auth.signingIn.value ? 'Signing in…' : 'Sign in'}</button>
        <p class="hint">An administrator makes keys with <code>geopera admin key create</code>.</p>
      </form>
    </div>
  );
}
