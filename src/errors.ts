/**
 * The one error type protocol adapters throw. It carries a stable `code`; only
 * src/http/errors.ts decides which HTTP status and problem type a code becomes.
 */
export type AdapterErrorCode =
  | 'TIMEOUT'
  | 'AUTH'
  | 'AGENT_ERROR'
  | 'PROTOCOL'
  | 'UNRESOLVABLE'
  | 'UNREACHABLE'
  | 'INVALID_INPUT'
  | 'VALIDATION'
  | 'REFUSED_BY_POLICY'
  | 'UNAVAILABLE'
  | 'CANCELLED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNPROCESSABLE';

export type Subsystem = 'snmp' | 'traps' | 'dhcp' | 'probe';

/** A field of the request that is invalid in a way its schema alone cannot tell (VALIDATION). */
export interface FieldIssue {
  /** Path into the request, e.g. ['targets', 3, 'port']. */
  path: (string | number)[];
  message: string;
}

export interface AdapterErrorDetails {
  /** Extension members for the problem document, e.g. `{ snmp: { status, index, oid } }`. Never secrets. */
  extensions?: Record<string, unknown>;
  /** UNAVAILABLE: when to try again. */
  retryAfterSeconds?: number;
  /** VALIDATION: which fields are wrong and why. */
  fieldIssues?: FieldIssue[];
}

export class AdapterError extends Error {
  override readonly name = 'AdapterError';
  readonly extensions: Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;
  readonly fieldIssues: FieldIssue[];

  readonly code: AdapterErrorCode;
  readonly subsystem: Subsystem;
  constructor(
    code: AdapterErrorCode,
    subsystem: Subsystem,
    message: string,
    extensions: Record<string, unknown> = {},
    details: Omit<AdapterErrorDetails, 'extensions'> = {},
  ) {
    super(message);
    this.code = code;
    this.subsystem = subsystem;
    this.extensions = extensions;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.fieldIssues = details.fieldIssues ?? [];
  }
}

export function isAdapterError(err: unknown): err is AdapterError {
  return err instanceof AdapterError;
}

/** How an operation ended, for metrics: the adapter error code in lower case, or `error` for anything else. */
export function outcomeOf(err: unknown): string {
  return err instanceof AdapterError ? err.code.toLowerCase() : 'error';
}
