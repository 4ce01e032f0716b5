import { useState } from 'react';
import { DashboardCustomerDocument, type DashboardCustomerQuery } from '@pancake-gateway/clients';
import { birthdayLabel, dateTimeLabel, genderLabel } from '../format';
import type { GatewayProblem } from '../gateway/problems';
import type { GatewaySession } from '../gateway/session';
import { useOperation } from '../gateway/use-operation';
import { Avatar } from './avatar';
import { CustomerEditor, PhoneAdder } from './customer-forms';
import { NotesPanel, type NoteView } from './notes-panel';
import { ProblemMessage } from './problem-message';

export type CustomerDetail = NonNullable<DashboardCustomerQuery['customer']>;

/** One customer: every field, its notes, and the edits staff make. */
export function CustomerView({
  session,
  pageId,
  customerId,
  onBack,
  onProblem,
}: {
  session: GatewaySession;
  pageId: string;
  customerId: string;
  onBack(): void;
  onProblem(problem: GatewayProblem): void;
}) {
  const { answer, problem, reload } = useOperation(
    session,
    DashboardCustomerDocument,
    { pageId, customerId },
    onProblem,
  );
  // What staff changed here, over what the gateway answered (the view is keyed per customer).
  const [edited, setEdited] = useState<CustomerDetail | null>(null);
  const customer = edited ?? answer?.data.customer ?? null;
  const missing = answer !== undefined && answer.data.customer === null;

  const update = (changes: Partial<CustomerDetail>) =>
    setEdited((current) => {
      const base = current ?? answer?.data.customer;
      return base ? { ...base, ...changes } : null;
    });
  const setNotes = (notes: NoteView[]) => update({ notes });

  return (
    <section className="customer-view" aria-labelledby="customer-title">
      <button type="button" className="secondary back" onClick={onBack}>
        ← Back to the list
      </button>
      {problem && <ProblemMessage problem={problem} onRetry={reload} />}
      {missing && (
        <p className="empty" role="status">
          Page {pageId} has no customer {customerId}.
        </p>
      )}
      {!customer && !missing && !problem && (
        <p className="loading" role="status">
          Loading the customer…
        </p>
      )}
      {customer && (
        <>
          <header className="customer-header">
            <Avatar url={customer.avatarUrl} name={customer.name} />
            <h2 id="customer-title">{customer.name ?? 'No name'}</h2>
          </header>
          <dl className="fields">
            <Field label="Phone numbers">
              {customer.phoneNumbers.length ? (
                <ul className="phone-list">
                  {customer.phoneNumbers.map((phone) => (
                    <li key={phone}>{phone}</li>
                  ))}
                </ul>
              ) : (
                'None'
              )}
            </Field>
            <Field label="Gender">{genderLabel(customer.gender)}</Field>
            <Field label="Birthday">{birthdayLabel(customer.birthday)}</Field>
            <Field label="Emails">{customer.emails.join(', ') || 'None'}</Field>
            <Field label="Lives in">{customer.livesIn ?? '—'}</Field>
            <Field label="Page">{customer.pageId}</Field>
            <Field label="Customer id">{customer.id}</Field>
            <Field label="PSID">{customer.psid}</Field>
            <Field label="Global customer id">{customer.globalCustomerId ?? '—'}</Field>
            <Field label="First seen">{dateTimeLabel(customer.insertedAt)}</Field>
            <Field label="Last changed">{dateTimeLabel(customer.updatedAt)}</Field>
          </dl>
          <PhoneAdder
            session={session}
            customer={customer}
            onAdded={(phoneNumbers) => update({ phoneNumbers })}
          />
          <CustomerEditor session={session} customer={customer} onSaved={update} />
          <NotesPanel session={session} customer={customer} onNotes={setNotes} />
        </>
      )}
    </section>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
