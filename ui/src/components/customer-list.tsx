import { useState } from 'react';
import { DashboardCustomersDocument, type DashboardCustomersQuery } from '@pancake-gateway/clients';
import { ageLabel } from '../format';
import type { GatewayProblem } from '../gateway/problems';
import type { Answer, GatewaySession } from '../gateway/session';
import { useOperation } from '../gateway/use-operation';
import { CustomerRow, type CustomerSummary } from './customer-row';
import { ProblemMessage } from './problem-message';

const PAGE_SIZE = 20;
// The gateway accepts windows from 2000-01-01 to a year ahead: the whole history, newest first.
const SINCE = '2000-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

/** The end of tomorrow (UTC): past every customer, and the same all day (a stable request). */
function untilTomorrow(): string {
  return new Date((Math.floor(Date.now() / DAY_MS) + 2) * DAY_MS).toISOString();
}

type CustomerPage = DashboardCustomersQuery['customers'];

/** Where the list was read and how fresh it is, from CustomerPage and the answer's extensions. */
function Freshness({ answer }: { answer: Answer<DashboardCustomersQuery> }) {
  const page = answer.data.customers;
  const { stale, staleAgeSeconds } = answer.provenance;
  if (stale) {
    return (
      <p className="freshness stale" role="status">
        Stale copy, {staleAgeSeconds ?? '?'} s old: Pancake is not answering, so the gateway shows
        the last list it had.
      </p>
    );
  }
  return (
    <p className="freshness" role="status">
      {page.source === 'MIRROR'
        ? `From the gateway's mirror, synced ${ageLabel(page.syncedAt)}`
        : 'Read from Pancake just now'}
    </p>
  );
}

/** The page's customers newest first, 20 a page. */
export function CustomerList({
  session,
  pageId,
  onOpen,
  onProblem,
}: {
  session: GatewaySession;
  pageId: string;
  onOpen(customer: CustomerSummary): void;
  onProblem(problem: GatewayProblem): void;
}) {
  const [pageNumber, setPageNumber] = useState(1);
  const { answer, problem, loading, reload } = useOperation(
    session,
    DashboardCustomersDocument,
    { pageId, since: SINCE, until: untilTomorrow(), pageNumber, pageSize: PAGE_SIZE },
    onProblem,
  );

  const page: CustomerPage | undefined = answer?.data.customers;
  const lastPage = page ? Math.max(1, Math.ceil(page.total / page.pageSize)) : 1;
  return (
    <section className="customer-list" aria-labelledby="list-title" aria-busy={loading}>
      <div className="section-head">
        <h2 id="list-title">Customers, newest first</h2>
        <button type="button" className="secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      {answer && <Freshness answer={answer} />}
      {problem && <ProblemMessage problem={problem} onRetry={reload} />}
      {loading && !answer && (
        <p className="loading" role="status">
          Loading customers…
        </p>
      )}
      {page && page.nodes.length === 0 && (
        <p className="empty">No customers on page {pageId} yet.</p>
      )}
      {page && page.nodes.length > 0 && (
        <ul className="customers" aria-label={`Customers, page ${page.pageNumber} of ${lastPage}`}>
          {page.nodes.map((customer) => (
            <CustomerRow key={customer.id} customer={customer} onOpen={onOpen} />
          ))}
        </ul>
      )}
      {page && (
        <nav className="pager" aria-label="Pages of the customer list">
          <button
            type="button"
            className="secondary"
            disabled={loading || pageNumber <= 1}
            onClick={() => setPageNumber((n) => n - 1)}
          >
            Newer
          </button>
          <span>
            Page {page.pageNumber} of {lastPage} · {page.total} customers
          </span>
          <button
            type="button"
            className="secondary"
            disabled={loading || !page.hasNextPage}
            onClick={() => setPageNumber((n) => n + 1)}
          >
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
