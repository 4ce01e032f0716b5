// A note's text before it is sent to Pancake: notes are text only, shown in its dashboard.
import { GatewayError, type FieldViolation } from '../../common/errors/gateway-error.js';

/** Most characters (Unicode code points) in a note, after trimming. */
export const NOTE_MESSAGE_MAX_LENGTH = 5000;

// Control characters (Unicode Cc) other than line feed and tab; CR is folded into LF first.
const FORBIDDEN_CONTROL = /[^\P{Cc}\n\t]/u;
// A lone surrogate half is not text and would be mangled on the way upstream.
const LONE_SURROGATE = /\p{Cs}/u;

/** The trimmed message, or GatewayError BAD_USER_INPUT naming `field`. */
export function validateNoteMessage(input: unknown, field = 'message'): string {
  const rule = noteMessageViolation(input);
  if (rule !== null) {
    // Only strings of a plausible size are echoed back to the caller.
    const echo = typeof input === 'string' && input.length <= NOTE_MESSAGE_MAX_LENGTH * 2;
    const violation: FieldViolation = echo ? { field, rule, value: input } : { field, rule };
    throw GatewayError.badInput([violation]);
  }
  return normalizeNoteMessage(input as string);
}

function noteMessageViolation(input: unknown): string | null {
  if (typeof input !== 'string') return 'must be a string';
  const message = normalizeNoteMessage(input);
  if (message === '') return 'must not be empty';
  if (codePointLength(message) > NOTE_MESSAGE_MAX_LENGTH) {
    return `must be at most ${NOTE_MESSAGE_MAX_LENGTH} characters`;
  }
  if (FORBIDDEN_CONTROL.test(message)) {
    return 'must not contain control characters other than line feed and tab';
  }
  if (LONE_SURROGATE.test(message)) return 'must be well-formed Unicode text';
  return null;
}

// Browsers submit textarea line breaks as CRLF: keep them as plain line feeds.
function normalizeNoteMessage(input: string): string {
  return input.replace(/\r\n?/g, '\n').trim();
}

function codePointLength(text: string): number {
  return [...text].length;
}
