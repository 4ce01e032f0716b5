import { birthdayLabel, genderLabel } from '../format';
import { Avatar } from './avatar';

/** The fields of a customer the list and the search results show. */
export interface CustomerSummary {
  id: string;
  pageId: string;
  name: string | null;
  phoneNumbers: string[];
  gender: string | null;
  birthday: string | null;
  avatarUrl: string;
  notes: { id: string }[];
}

/** One customer in a list: the name opens the customer view (a button: keyboard and reader). */
export function CustomerRow({
  customer,
  showPage,
  onOpen,
}: {
  customer: CustomerSummary;
  showPage?: boolean;
  onOpen(customer: CustomerSummary): void;
}) {
  const notes = customer.notes.length;
  return (
    <li className="customer-row" data-customer-id={customer.id}>
      <Avatar url={customer.avatarUrl} name={customer.name} />
      <div className="customer-main">
        <button type="button" className="link" onClick={() => onOpen(customer)}>
          {customer.name ?? 'No name'}
        </button>
        <span className="phones">
          {customer.phoneNumbers.length > 0 ? customer.phoneNumbers.join(', ') : 'No phone'}
        </span>
      </div>
      <dl className="customer-facts">
        {showPage && (
          <div>
            <dt>Page</dt>
            <dd>{customer.pageId}</dd>
          </div>
        )}
        <div>
          <dt>Gender</dt>
          <dd>{genderLabel(customer.gender)}</dd>
        </div>
        <div>
          <dt>Birthday</dt>
          <dd>{birthdayLabel(customer.birthday)}</dd>
        </div>
        <div>
          <dt>Notes</dt>
          <dd>{notes}</dd>
        </div>
      </dl>
    </li>
  );
}
