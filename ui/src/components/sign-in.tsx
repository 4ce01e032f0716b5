import { useState, type FormEvent } from 'react';

/** The API key form. The key is kept in sessionStorage only (gone when the tab closes). */
export function SignIn({ notice, onSignIn }: { notice?: string; onSignIn(key: string): void }) {
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) onSignIn(key.trim());
  };
  return (
    <form className="panel sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p className="hint">
        Your gateway API key. It stays in this browser tab only and is sent to this gateway alone.
      </p>
      {notice && (
        <p className="problem" role="alert">
          {notice}
        </p>
      )}
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        value={key}
        onChange={(event) => setKey(event.target.value)}
      />
      <button type="submit">Sign in</button>
    </form>
  );
}
