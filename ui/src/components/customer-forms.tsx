import { useState, type FormEvent } from 'react';
import {
  AddCustomerPhoneNumbersDocument,
  UpdateCustomerDocument,
  type Gender,
} from '@pancake-gateway/clients';
import { asProblem, type GatewayProblem } from '../gateway/problems';
import type { GatewaySession } from '../gateway/session';
import type { CustomerDetail } from './customer-view';

/** The gateway's words for one field, or for the whole call when no field is named. */
function messageFor(problem: GatewayProblem, field: string): string {
  const violation = problem.violations.find((v) => v.field === field || v.field.startsWith(field));
  return violation ? violation.rule : problem.describe();
}

/** Adds one phone number; the gateway normalizes it and keeps the others. */
export function PhoneAdder({
  session,
  customer,
  onAdded,
}: {
  session: GatewaySession;
  customer: CustomerDetail;
  onAdded(phoneNumbers: string[]): void;
}) {
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const { data } = await session.run(AddCustomerPhoneNumbersDocument, {
        pageId: customer.pageId,
        customerId: customer.id,
        phoneNumbers: [phone],
      });
      onAdded(data.addCustomerPhoneNumbers.phoneNumbers);
      setPhone('');
    } catch (failure) {
      setError(messageFor(asProblem(failure), 'phoneNumbers'));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="panel" onSubmit={(event) => void submit(event)}>
      <label htmlFor="new-phone">Add a phone number</label>
      <div className="inline-field">
        <input
          id="new-phone"
          type="tel"
          required
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error ? 'new-phone-error' : undefined}
        />
        <button type="submit" disabled={saving}>
          {saving ? 'Adding…' : 'Add phone'}
        </button>
      </div>
      {error && (
        <p id="new-phone-error" className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

const GENDERS: Gender[] = ['MALE', 'FEMALE', 'UNKNOWN'];

/** Name, gender and birthday; only what changed is sent. */
export function CustomerEditor({
  session,
  customer,
  onSaved,
}: {
  session: GatewaySession;
  customer: CustomerDetail;
  onSaved(changes: Partial<CustomerDetail>): void;
}) {
  const [name, setName] = useState(customer.name ?? '');
  const [gender, setGender] = useState<Gender | ''>(customer.gender ?? '');
  const [birthday, setBirthday] = useState(customer.birthday ?? '');
  const [problem, setProblem] = useState<GatewayProblem | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes: { name?: string; gender?: Gender; birthday?: string } = {};
    if (name !== (customer.name ?? '')) changes.name = name;
    if (gender && gender !== customer.gender) changes.gender = gender;
    if (birthday && birthday !== customer.birthday) changes.birthday = birthday;
    if (Object.keys(changes).length === 0) return;
    setSaving(true);
    setProblem(null);
    setSaved(false);
    try {
      const { data } = await session.run(UpdateCustomerDocument, {
        pageId: customer.pageId,
        customerId: customer.id,
        changes,
      });
      const { name: newName, gender: newGender, birthday: newBirthday } = data.updateCustomer;
      onSaved({ name: newName, gender: newGender, birthday: newBirthday });
      setSaved(true);
    } catch (failure) {
      setProblem(asProblem(failure));
    } finally {
      setSaving(false);
    }
  };
  const errorOf = (field: string) =>
    problem?.violations.find((v) => v.field === field || v.field === `changes.${field}`)?.rule;
  const general = problem && !['name', 'gender', 'birthday'].some(errorOf) ? problem : null;

  return (
    <form
      className="panel editor"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="edit-title"
    >
      <h3 id="edit-title">Edit details</h3>
      <label htmlFor="edit-name">Name</label>
      <input id="edit-name" value={name} onChange={(event) => setName(event.target.value)} />
      {errorOf('name') && <p className="field-error">{errorOf('name')}</p>}
      <label htmlFor="edit-gender">Gender</label>
      <select
        id="edit-gender"
        value={gender}
        onChange={(event) => setGender(event.target.value as Gender | '')}
      >
        <option value="">Not set</option>
        {GENDERS.map((g) => (
          <option key={g} value={g}>
            {g.charAt(0) + g.slice(1).toLowerCase()}
          </option>
        ))}
      </select>
      <label htmlFor="edit-birthday">Birthday (YYYY-MM-DD)</label>
      <input
        id="edit-birthday"
        value={birthday}
        placeholder="1990-05-12"
        onChange={(event) => setBirthday(event.target.value)}
        aria-invalid={Boolean(errorOf('birthday'))}
      />
      {errorOf('birthday') && (
        <p className="field-error" role="alert">
          {errorOf('birthday')}
        </p>
      )}
      <button type="submit" disabled={saving}>
        {saving ? 'Saving…' : 'Save details'}
      </button>
      {saved && <p role="status">Saved.</p>}
      {general && (
        <p className="field-error" role="alert">
          {general.describe()}
        </p>
      )}
    </form>
  );
}
