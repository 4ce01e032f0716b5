// What an export may ask, checked before the first byte (after it, a status cannot change). Pure.
import { GatewayError, type FieldViolation } from '../../common/errors/gateway-error.js';
import { parseIsoDateTime } from '../../common/scalars/date-time.scalar.js';
import { decodeExportCursor } from './export-cursor.js';
import { EXPORT_PROFILES, type ExportProfile } from './export-profiles.js';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportQueryInput {
  format?: string;
  profile?: string;
  after?: string;
  updatedSince?: string;
}

export interface ExportRequest {
  format: ExportFormat;
  profile: ExportProfile;
  /** Resume after this customer id (from `after`). */
  afterId: string | null;
  updatedSince: Date | null;
}

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T =>
  (values as readonly string[]).includes(value);

/** The request, or one 400 naming every field that breaks its rule. */
export function exportRequestOf(pageId: string, input: ExportQueryInput): ExportRequest {
  const violations: FieldViolation[] = [];
  const format = input.format ?? 'ndjson';
  if (!isOneOf(EXPORT_FORMATS, format))
    violations.push({
      field: 'format',
      rule: `must be ${EXPORT_FORMATS.join(' or ')}`,
      value: format,
    });
  const profile = input.profile ?? 'gateway';
  if (!isOneOf(EXPORT_PROFILES, profile))
    violations.push({
      field: 'profile',
      rule: `must be ${EXPORT_PROFILES.join(', ')}`,
      value: profile,
    });
  let updatedSince: Date | null = null;
  if (input.updatedSince !== undefined) {
    updatedSince = parseIsoDateTime(input.updatedSince);
    if (!updatedSince)
      violations.push({
        field: 'updatedSince',
        rule: 'must be an ISO-8601 date-time with offset',
        value: input.updatedSince,
      });
  }
  let afterId: string | null = null;
  try {
    if (input.after !== undefined) afterId = decodeExportCursor(pageId, input.after);
  } catch (error) {
    const details = (error as GatewayError).details as { violations: FieldViolation[] };
    violations.push(...details.violations);
  }
  if (violations.length > 0) throw GatewayError.badInput(violations);
  return {
    format: format as ExportFormat,
    profile: profile as ExportProfile,
    afterId,
    updatedSince,
  };
}
