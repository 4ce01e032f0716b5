import { PagesDocument, type PagesQuery } from '@pancake-gateway/clients';
import type { GatewayProblem } from '../gateway/problems';
import type { GatewaySession } from '../gateway/session';
import { useOperation } from '../gateway/use-operation';
import { ProblemMessage } from './problem-message';

export type PageStatus = PagesQuery['pages'][number];

const STATE_LABELS: Record<string, string> = {
  LIVE: 'mirrored, live',
  BACKFILLING: 'mirror filling',
  PAUSED: 'read from Pancake',
  FAILED: 'mirror failed',
};

/** The key's pages (the `pages` query): the first call after sign-in, so it also checks the key. */
export function PagePicker({
  session,
  onPick,
  onProblem,
}: {
  session: GatewaySession;
  onPick(page: PageStatus): void;
  onProblem(problem: GatewayProblem): void;
}) {
  const { answer, problem, loading, reload } = useOperation(session, PagesDocument, {}, onProblem);
  const pages = answer?.data.pages;
  return (
    <section className="panel page-picker" aria-labelledby="page-picker-title">
      <h1 id="page-picker-title">Choose a page</h1>
      {loading && !answer && (
        <p className="loading" role="status">
          Loading your pages…
        </p>
      )}
      {problem && <ProblemMessage problem={problem} onRetry={reload} />}
      {pages && pages.length === 0 && (
        <p className="empty">This API key may not read any page of this gateway.</p>
      )}
      {pages && pages.length > 0 && (
        <ul className="page-list">
          {pages.map((page) => (
            <li key={page.pageId}>
              <button type="button" className="secondary" onClick={() => onPick(page)}>
                <span className="page-name">Page {page.pageId}</span>
                <span className="page-state">
                  {STATE_LABELS[page.state] ?? page.state.toLowerCase()}
                  {page.state !== 'PAUSED' && ` · ${page.customers} customers`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
