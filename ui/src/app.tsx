import { useCallback, useMemo, useState } from 'react';
import { CustomerList } from './components/customer-list';
import type { CustomerSummary } from './components/customer-row';
import { CustomerView } from './components/customer-view';
import { LiveStrip } from './components/live-strip';
import { PagePicker, type PageStatus } from './components/page-picker';
import { SearchBox } from './components/search-box';
import { SignIn } from './components/sign-in';
import type { GatewayProblem } from './gateway/problems';
import { GatewaySession } from './gateway/session';

// sessionStorage only: the key is gone when the tab closes and never reaches localStorage.
const KEY_STORAGE = 'pancake-gateway.apiKey';

type Opened = { pageId: string; customerId: string } | null;

export function App() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY_STORAGE));
  const [page, setPage] = useState<PageStatus | null>(null);
  const [notice, setNotice] = useState<string | undefined>();
  const [opened, setOpened] = useState<Opened>(null);
  const session = useMemo(() => (apiKey ? new GatewaySession(apiKey) : null), [apiKey]);

  const signOut = useCallback((message?: string) => {
    sessionStorage.removeItem(KEY_STORAGE);
    setApiKey(null);
    setPage(null);
    setOpened(null);
    setNotice(message);
  }, []);
  // A key refused anywhere (revoked, mistyped): back to the sign-in form, saying why.
  const onProblem = useCallback(
    (problem: GatewayProblem) => {
      if (problem.kind === 'wrong-key') signOut(problem.describe());
    },
    [signOut],
  );
  const pick = (status: PageStatus) => {
    setPage(status);
    setOpened(null);
  };
  const openSummary = useCallback(
    (customer: CustomerSummary) => setOpened({ pageId: customer.pageId, customerId: customer.id }),
    [],
  );

  if (!apiKey || !session) {
    return (
      <main className="app narrow">
        <SignIn
          notice={notice}
          onSignIn={(key) => {
            sessionStorage.setItem(KEY_STORAGE, key);
            setNotice(undefined);
            setApiKey(key);
          }}
        />
      </main>
    );
  }

  return (
    <div className="app">
      <header className="top-bar">
        <span className="brand">Pancake customers</span>
        {page && (
          <span className="page-badge">
            Page {page.pageId} · {page.state.toLowerCase()}
            {page.state !== 'PAUSED' && ` · ${page.customers} mirrored`}
          </span>
        )}
        <nav className="top-actions" aria-label="Session">
          {page && (
            <button type="button" className="secondary" onClick={() => setPage(null)}>
              Change page
            </button>
          )}
          <button type="button" className="secondary" onClick={() => signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      <main>
        {!page ? (
          <PagePicker session={session} onPick={pick} onProblem={onProblem} />
        ) : (
          <>
            <LiveStrip
              key={page.pageId}
              apiKey={apiKey}
              pageId={page.pageId}
              onOpen={(pageId, customerId) => setOpened({ pageId, customerId })}
            />
            {opened ? (
              <CustomerView
                key={`${opened.pageId}/${opened.customerId}`}
                session={session}
                pageId={opened.pageId}
                customerId={opened.customerId}
                onBack={() => setOpened(null)}
                onProblem={onProblem}
              />
            ) : (
              <>
                <SearchBox session={session} onOpen={openSummary} onProblem={onProblem} />
                <CustomerList
                  session={session}
                  pageId={page.pageId}
                  onOpen={openSummary}
                  onProblem={onProblem}
                />
              </>
            )}
          </>
        )}
      </main>
    </div>
  );
}
