import { useState, type FormEvent } from 'react';
import { PageSyncStatusDocument, type PageSyncStatusQuery } from '@pancake-gateway/clients';
import { asProblem, type GatewayProblem } from '../gateway/problems';
import type { GatewaySession } from '../gateway/session';
import { ProblemMessage } from './problem-message';

export type PageStatus = PageSyncStatusQuery['syncStatus'];

/**
 * Picks the page to work on. The gateway has no "pages of this key" query: staff type a page
 * id (or pick one used before in this tab), and syncStatus checks it (403 outside the key's
 * pages, 404 when the gateway does not serve it) and says how far its mirror is.
 */
export function PagePicker({
  session,
  known,
  onPick,
  onWrongKey,
}: {
  session: GatewaySession;
  known: readonly string[];
  onPick(status: PageStatus): void;
  onWrongKey(problem: GatewayProblem): void;
}) {
  const [pageId, setPageId] = useState(known[0] ?? '');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<GatewayProblem | null>(null);

  const check = async (id: string) => {
    setChecking(true);
    setProblem(null);
    try {
      const { data } = await session.run(PageSyncStatusDocument, { pageId: id });
      onPick(data.syncStatus);
    } catch (error) {
      const found = asProblem(error);
      if (found.kind === 'wrong-key') onWrongKey(found);
      else setProblem(found);
    } finally {
      setChecking(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pageId.trim()) void check(pageId.trim());
  };

  return (
    <form className="panel page-picker" onSubmit={submit} aria-labelledby="page-picker-title">
      <h1 id="page-picker-title">Choose a page</h1>
      {known.length > 0 && (
        <ul className="known-pages" aria-label="Pages used in this tab">
          {known.map((id) => (
            <li key={id}>
              <button type="button" className="secondary" onClick={() => void check(id)}>
                Page {id}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor="page-id">Page id</label>
      <input
        id="page-id"
        inputMode="numeric"
        pattern="\d{1,32}"
        title="The page id: digits only"
        required
        value={pageId}
        onChange={(event) => setPageId(event.target.value)}
        aria-describedby="page-id-hint"
      />
      <p id="page-id-hint" className="hint">
        The Facebook page id, as configured on the gateway (digits).
      </p>
      <button type="submit" disabled={checking}>
        {checking ? 'Checking…' : 'Open page'}
      </button>
      {problem && <ProblemMessage problem={problem} />}
    </form>
  );
}
