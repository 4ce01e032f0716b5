import type { NoteRecord } from '../pancake/pancake.model.js';
import type { CustomerPageView, CustomerView } from './customer-view.js';

// Upstream lists soft-removed notes with the live ones; callers see them only when they ask.
// Most customers have none: their arrays and objects are passed on, not copied.

/** Live notes, plus soft-removed ones (removedAt set) when `includeRemoved`. */
export function visibleNotes(notes: NoteRecord[], includeRemoved: boolean): NoteRecord[] {
  if (includeRemoved || notes.every((n) => n.removedAt === null)) return notes;
  return notes.filter((n) => n.removedAt === null);
}

export function withVisibleNotes(customer: CustomerView, includeRemoved: boolean): CustomerView {
  const notes = visibleNotes(customer.notes, includeRemoved);
  return notes === customer.notes ? customer : { ...customer, notes };
}

export function pageWithVisibleNotes(
  page: CustomerPageView,
  includeRemoved: boolean,
): CustomerPageView {
  const nodes = page.nodes.map((customer) => withVisibleNotes(customer, includeRemoved));
  return nodes.every((customer, i) => customer === page.nodes[i]) ? page : { ...page, nodes };
}
