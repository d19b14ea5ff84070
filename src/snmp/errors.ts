import snmp from 'net-snmp';
import { AdapterError } from '../errors.ts';
import type { RejectReason } from './agent-socket.ts';
import { findUndecodableVarbind, pduName, type BadVarbind, type ValueReader } from './reply.ts';

/** RFC 3416 error-status names, indexed by code. */
export const ERROR_STATUS_NAMES = [
  'noError',
  'tooBig',
  'noSuchName',
  'badValue',
  'readOnly',
  'genErr',
  'noAccess',
  'wrongType',
  'wrongLength',
  'wrongEncoding',
  'wrongValue',
  'noCreation',
  'inconsistentValue',
  'resourceUnavailable',
  'commitFailed',
  'undoFailed',
  'authorizationError',
  'notWritable',
  'inconsistentName',
] as const;

export const ERROR_STATUS = Object.fromEntries(ERROR_STATUS_NAMES.map((name, code) => [name, code])) as Record<
  (typeof ERROR_STATUS_NAMES)[number],
  number
>;

/** net-snmp ResponseInvalidCode values this adapter tells apart. */
const RESPONSE_INVALID = {
  couldNotDecrypt: 4,
  authFailure: 5,
  communityNoMatch: 10,
  unexpectedReport: 11,
  notInTimeWindow: 14,
} as const;

/** net-snmp's usmStats report texts → stable reasons. */
const USM_REASONS: [RegExp, string][] = [
  [/Unsupported Security Level/i, 'unsupportedSecurityLevel'],
  [/Not In Time Window/i, 'notInTimeWindow'],
  [/Unknown User Name/i, 'unknownUserName'],
  [/Unknown Engine ID/i, 'unknownEngineId'],
  [/Wrong Digest/i, 'wrongDigest'],
  [/Decryption Error/i, 'decryptionError'],
];

const AUTH_DETAILS: Record<string, string> = {
  unsupportedSecurityLevel: 'the agent does not support the requested security level for this user',
  notInTimeWindow: 'the message was outside the agent’s time window',
  unknownUserName: 'the agent does not know this user',
  unknownEngineId: 'the agent rejected the engine ID',
  wrongDigest: 'wrong authentication key or protocol (the digest did not match)',
  decryptionError: 'wrong privacy key or protocol (decryption failed)',
};

export interface RequestContext {
  host: string;
  port: number;
  version?: string;
  timeoutMs: number;
  retries: number;
  /** performance.now() when the request was sent, for the real elapsed time of a timeout. */
  startedAt?: number;
  /** Numeric OIDs of the request, in order, to turn an error-status OID into its index. */
  oids: readonly string[];
  signal?: AbortSignal;
}

interface LibraryError {
  name?: string;
  message?: string;
  code?: unknown;
  status?: unknown;
}

/**
 * Maps a net-snmp error to an AdapterError. Library messages are never passed through verbatim where they
 * could carry a secret (the community-mismatch message quotes both communities).
 */
export function mapSnmpError(err: unknown, ctx: RequestContext): AdapterError {
  if (err instanceof AdapterError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as LibraryError;
  const target = `${formatHost(ctx.host)}:${ctx.port}`;

  if (ctx.signal?.aborted) return new AdapterError('CANCELLED', 'snmp', 'the request was cancelled by the client');

  switch (e.name) {
    case 'RequestTimedOutError':
      return timeoutError(ctx, target);
    case 'RequestFailedError':
      return errorStatusError(e, ctx, target);
    case 'ResponseInvalidError':
      return responseInvalidError(e, target);
    case 'RequestInvalidError':
      return new AdapterError('INVALID_INPUT', 'snmp', 'the request could not be encoded as an SNMP message');
  }
  const sysCode = typeof e.code === 'string' ? e.code : undefined;
  if (sysCode === 'ECONNREFUSED') {
    return new AdapterError('UNREACHABLE', 'snmp', `${target}: port unreachable (ICMP): no SNMP agent listens there`);
  }
  if (sysCode === 'EMSGSIZE') {
    return new AdapterError('INVALID_INPUT', 'snmp', `the SNMP message to ${target} is larger than a UDP datagram can carry; send fewer or smaller varbinds`);
  }
  if (sysCode && /^E[A-Z]+$/.test(sysCode)) {
    return new AdapterError('UNREACHABLE', 'snmp', `cannot send to ${target} (${sysCode})`);
  }
  return new AdapterError('PROTOCOL', 'snmp', `the exchange with ${target} failed unexpectedly`);
}

/**
 * Agents stay silent rather than refuse: what a timeout most often means is worth saying. The time is the
 * real elapsed time, which with retries is several times timeoutMs.
 */
function timeoutError(ctx: RequestContext, target: string): AdapterError {
  const attempts = ctx.retries + 1;
  const elapsed = ctx.startedAt === undefined ? '' : ` in ${Math.round(performance.now() - ctx.startedAt)} ms`;
  const causes =
    ctx.version === '3'
      ? 'a wrong privacy key or protocol (agents drop what they cannot decrypt), an agent ACL that excludes this host, or no agent at this address'
      : 'a wrong community (agents ignore it silently), an agent ACL that excludes this host, or no agent at this address';
  return new AdapterError(
    'TIMEOUT',
    'snmp',
    `${target} did not answer${elapsed} (${attempts} attempt${attempts > 1 ? 's' : ''} of ${ctx.timeoutMs} ms). The usual causes: ${causes}.`,
  );
}

function errorStatusError(e: LibraryError, ctx: RequestContext, target: string): AdapterError {
  const code = typeof e.status === 'number' ? e.status : ERROR_STATUS.genErr;
  const status = ERROR_STATUS_NAMES[code] ?? `status${code}`;
  if (status === 'authorizationError' && ctx.version === '3') {
    return new AdapterError(
      'AUTH',
      'snmp',
      `${target} refused this user (authorizationError): the agent's access control does not allow it at this security level; check the user's level (an authPriv-only user needs level authPriv) and the agent's VACM views`,
      { snmp: { reason: 'authorizationError', status } },
    );
  }
  // net-snmp reports "<Status>: <oid>" when the error-index points at a varbind.
  const oid = /:\s*([\d.]+)\s*$/.exec(e.message ?? '')?.[1];
  const index = oid === undefined ? 0 : ctx.oids.indexOf(oid) + 1;
  const snmp = { status, index, ...(oid === undefined ? {} : { oid }) };
  return new AdapterError(
    'AGENT_ERROR',
    'snmp',
    `${target} answered error-status ${status}${oid ? ` for ${oid}` : ''}${index > 0 ? ` (varbind ${index})` : ''}`,
    { snmp },
  );
}

function responseInvalidError(e: LibraryError, target: string): AdapterError {
  const message = e.message ?? '';
  let reason: string | undefined;
  if (e.code === RESPONSE_INVALID.authFailure) reason = USM_REASONS.find(([re]) => re.test(message))?.[1] ?? 'report';
  else if (e.code === RESPONSE_INVALID.couldNotDecrypt) reason = 'decryptionError';
  else if (e.code === RESPONSE_INVALID.notInTimeWindow) reason = 'notInTimeWindow';
  if (reason) {
    const detail = AUTH_DETAILS[reason] ?? 'the agent answered with a report';
    return new AdapterError('AUTH', 'snmp', `${target} rejected the SNMPv3 credentials: ${detail}`, { snmp: { reason } });
  }
  if (e.code === RESPONSE_INVALID.communityNoMatch) {
    return new AdapterError('PROTOCOL', 'snmp', `${target} answered with a different community`);
  }
  if (e.code === RESPONSE_INVALID.unexpectedReport) {
    return new AdapterError('PROTOCOL', 'snmp', `${target} answered with an unexpected report PDU`);
  }
  return new AdapterError('PROTOCOL', 'snmp', `${target} sent an invalid response (code ${String(e.code)})`);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

const readVarbindValue = (snmp as unknown as { ObjectParser: { readVarbindValue: ValueReader } }).ObjectParser.readVarbindValue;

/** Why a reply was refused before or while the library handled it, as the request's error. */
export function rejectionError(reason: RejectReason, host: string, port: number): AdapterError {
  const target = `${formatHost(host)}:${port}`;
  if (reason.kind === 'unexpectedPdu') {
    const pdu = pduName(reason.pduTag);
    return new AdapterError('PROTOCOL', 'snmp', `${target} answered with a ${pdu} PDU instead of a Response`, {
      snmp: { reason: 'unexpectedPdu', pdu },
    });
  }
  if (reason.kind === 'badFraming') {
    return new AdapterError('PROTOCOL', 'snmp', `${target} sent a malformed reply: ${reason.detail}`, { snmp: { reason: 'undecodable' } });
  }
  if (reason.kind === 'undecodable') {
    const bad = findUndecodableVarbind(reason.buffer, readVarbindValue);
    if (bad) return badVarbindError(bad, host, port);
    return new AdapterError('PROTOCOL', 'snmp', `${target} sent a reply that cannot be decoded (${describe(reason.error)})`, {
      snmp: { reason: 'undecodable' },
    });
  }
  return new AdapterError('PROTOCOL', 'snmp', `the reply from ${target} could not be processed (${describe(reason.error)})`, {
    snmp: { reason: 'undecodable' },
  });
}

/** A reply whose varbind number `index` cannot be used, named so the operator can find it on the agent. */
export function badVarbindError(bad: BadVarbind, host: string, port: number): AdapterError {
  const target = `${formatHost(host)}:${port}`;
  const which = `varbind ${bad.index}${bad.oid ? ` (${bad.oid})` : ''}`;
  const type = bad.type === null ? {} : { type: `0x${bad.type.toString(16)}` };
  return new AdapterError('PROTOCOL', 'snmp', `${target} sent an undecodable value in ${which}: ${bad.reason}`, {
    snmp: { reason: 'undecodable', index: bad.index, ...(bad.oid ? { oid: bad.oid } : {}), ...type },
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
