import { useState, type FormEvent } from 'react';
import { SearchCustomersDocument, type SearchCustomersQuery } from '@pancake-gateway/clients';
import { searchKind } from '../format';
import { asProblem, type GatewayProblem } from '../gateway/problems';
import type { GatewaySession } from '../gateway/session';
import { CustomerRow, type CustomerSummary } from './customer-row';
import { ProblemMessage } from './problem-message';

type Found = {
  text: string;
  kind: 'phone' | 'name';
  customers: SearchCustomersQuery['searchCustomers'];
};

/** Search by phone (any spelling) or the start of a name, across every page of the key. */
export function SearchBox({
  session,
  onOpen,
  onProblem,
}: {
  session: GatewaySession;
  onOpen(customer: CustomerSummary): void;
  onProblem(problem: GatewayProblem): void;
}) {
  const [text, setText] = useState('');
  const [searching, setSearching] = useState(false);
  const [found, setFound] = useState<Found | null>(null);
  const [problem, setProblem] = useState<GatewayProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const query = text.trim();
    if (!query) return;
    const kind = searchKind(query);
    setSearching(true);
    setProblem(null);
    try {
      const { data } = await session.run(
        SearchCustomersDocument,
        kind === 'phone' ? { phone: query, first: 20 } : { name: query, first: 20 },
      );
      setFound({ text: query, kind, customers: data.searchCustomers });
    } catch (error) {
      const failed = asProblem(error);
      setFound(null);
      setProblem(failed);
      onProblem(failed);
    } finally {
      setSearching(false);
    }
  };

  return (
    <section className="search" aria-labelledby="search-title">
      <h2 id="search-title" className="visually-hidden">
        Search
      </h2>
      <form role="search" onSubmit={(event) => void submit(event)}>
        <label htmlFor="search-text">Search by phone or name (all your pages)</label>
        <div className="inline-field">
          <input
            id="search-text"
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="0901 234 567 or Nguyễn"
          />
          <button type="submit" disabled={searching}>
            {searching ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
      {problem && <ProblemMessage problem={problem} />}
      {found && (
        <div className="search-results" aria-live="polite">
          <div className="section-head">
            <h3>
              {found.customers.length} found by {found.kind} “{found.text}”
            </h3>
            <button type="button" className="secondary" onClick={() => setFound(null)}>
              Clear
            </button>
          </div>
          {found.customers.length === 0 ? (
            <p className="empty">No customer matches.</p>
          ) : (
            <ul className="customers">
              {found.customers.map((customer) => (
                <CustomerRow key={customer.id} customer={customer} showPage onOpen={onOpen} />
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
