import { useState, type FormEvent } from 'react';
import {
  CreateNoteDocument,
  DeleteNoteDocument,
  UpdateNoteDocument,
} from '@pancake-gateway/clients';
import { dateTimeLabel } from '../format';
import { asProblem, type GatewayProblem } from '../gateway/problems';
import type { GatewaySession } from '../gateway/session';
import type { CustomerDetail } from './customer-view';

export type NoteView = CustomerDetail['notes'][number];

/** The customer's notes with author and time; add, edit and remove. */
export function NotesPanel({
  session,
  customer,
  onNotes,
}: {
  session: GatewaySession;
  customer: CustomerDetail;
  onNotes(notes: NoteView[]): void;
}) {
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<GatewayProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { pageId: customer.pageId, customerId: customer.id };

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (failure) {
      setProblem(asProblem(failure));
    } finally {
      setBusy(false);
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const { data } = await session.run(CreateNoteDocument, {
        ...ids,
        message,
        // A retry of the same click returns the first note instead of a second one.
        idempotencyKey: crypto.randomUUID(),
      });
      onNotes([...customer.notes, { ...data.createNote, updatedAt: null }]);
      setMessage('');
    });
  };
  const edit = (note: NoteView, next: string) =>
    act(async () => {
      const { data } = await session.run(UpdateNoteDocument, {
        ...ids,
        noteId: note.id,
        message: next,
      });
      onNotes(customer.notes.map((n) => (n.id === note.id ? { ...n, ...data.updateNote } : n)));
    });
  const remove = (note: NoteView) =>
    act(async () => {
      await session.run(DeleteNoteDocument, { ...ids, noteId: note.id });
      onNotes(customer.notes.filter((n) => n.id !== note.id));
    });

  return (
    <section className="panel notes" aria-labelledby="notes-title">
      <h3 id="notes-title">Notes ({customer.notes.length})</h3>
      {customer.notes.length === 0 && <p className="empty">No notes yet.</p>}
      <ul className="note-list">
        {customer.notes.map((note) => (
          <NoteItem key={note.id} note={note} busy={busy} onEdit={edit} onRemove={remove} />
        ))}
      </ul>
      <form onSubmit={add}>
        <label htmlFor="new-note">Add a note</label>
        <textarea
          id="new-note"
          required
          rows={3}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          Add note
        </button>
      </form>
      {problem && (
        <p className="field-error" role="alert">
          {problem.describe()}
        </p>
      )}
    </section>
  );
}

function NoteItem({
  note,
  busy,
  onEdit,
  onRemove,
}: {
  note: NoteView;
  busy: boolean;
  onEdit(note: NoteView, message: string): Promise<void>;
  onRemove(note: NoteView): Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(note.message);
  const [confirming, setConfirming] = useState(false);
  const author =
    note.createdBy?.name ?? (note.createdBy ? `staff ${note.createdBy.uid}` : 'unknown');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    await onEdit(note, draft);
    setEditing(false);
  };
  return (
    <li className="note">
      {editing ? (
        <form onSubmit={(event) => void save(event)}>
          <label htmlFor={`note-${note.id}`}>Edit note</label>
          <textarea
            id={`note-${note.id}`}
            rows={3}
            required
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              Save note
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="note-message">{note.message}</p>
          <p className="note-meta">
            {author} · {dateTimeLabel(note.createdAt)}
            {note.updatedAt && ` · edited ${dateTimeLabel(note.updatedAt)}`}
          </p>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              Edit
            </button>
            {confirming ? (
              <>
                <button
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => void onRemove(note)}
                >
                  Confirm remove
                </button>
                <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                Remove
              </button>
            )}
          </div>
        </>
      )}
    </li>
  );
}
