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
  | 'REFUSED_BY_POLICY'
  | 'UNAVAILABLE'
  | 'CANCELLED';

export type Subsystem = 'snmp' | 'traps' | 'dhcp' | 'probe';

export class AdapterError extends Error {
  override readonly name = 'AdapterError';

  constructor(
    readonly code: AdapterErrorCode,
    readonly subsystem: Subsystem,
    message: string,
    /** Extension members for the problem document, e.g. `{ snmp: { status, index, oid } }`. Never secrets. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isAdapterError(err: unknown): err is AdapterError {
  return err instanceof AdapterError;
}
