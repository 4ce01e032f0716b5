// How the dashboard shows the gateway's values: dates in the browser's zone, unknowns named.

const GENDER_LABELS: Record<string, string> = {
  MALE: 'Male',
  FEMALE: 'Female',
  UNKNOWN: 'Unknown',
};

export function genderLabel(gender: string | null | undefined): string {
  return gender ? (GENDER_LABELS[gender] ?? gender) : '—';
}

/** `1998-00-00` keeps unknown parts as 00 (upstream's form): shown as `1998-??-??`. */
export function birthdayLabel(birthday: string | null | undefined): string {
  if (!birthday) return '—';
  const [year, month, day] = birthday.split('-');
  const part = (value: string | undefined, width: number): string =>
    !value || /^0+$/.test(value) ? '?'.repeat(width) : value;
  return `${part(year, 4)}-${part(month, 2)}-${part(day, 2)}`;
}

export function dateTimeLabel(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** "12 s ago", "3 min ago", "2 h ago", or the date. */
export function ageLabel(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'unknown';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return dateTimeLabel(iso);
}

/** A phone search when the text is mostly digits ("0901 234 567", "+84 90..."), else a name. */
export function searchKind(text: string): 'phone' | 'name' {
  const digits = text.replace(/\D/g, '').length;
  return digits >= 6 && /^[\d\s+().-]+$/.test(text.trim()) ? 'phone' : 'name';
}

export function initialsOf(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const letters = words.length === 1 ? [words[0]] : [words[0], words[words.length - 1]];
  return letters.map((word) => word[0]!.toUpperCase()).join('');
}
