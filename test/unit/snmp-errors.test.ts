import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { mapSnmpError } from '../../src/snmp/errors.ts';

// @types/net-snmp omits RequestTimedOutError, which the library exports.
const { RequestTimedOutError } = snmp as unknown as { RequestTimedOutError: new (message: string) => Error };

const ctx = { host: '192.0.2.7', port: 161, timeoutMs: 500, retries: 2, oids: ['1.3.6.1.2.1.1.4.0', '1.3.6.1.2.1.1.1.0'] };

describe('mapSnmpError', () => {
  it('timeout → TIMEOUT naming the budget', () => {
    const err = mapSnmpError(new RequestTimedOutError('Request timed out'), ctx);
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toBe(
      '192.0.2.7:161 did not answer (3 attempts of 500 ms). The usual causes: a wrong community (agents ignore it silently), an agent ACL that excludes this host, or no agent at this address.',
    );
  });

  it('error-status → AGENT_ERROR with RFC 3416 status, index and oid', () => {
    const err = mapSnmpError(new snmp.RequestFailedError('NotWritable: 1.3.6.1.2.1.1.1.0', 17), ctx);
    expect(err.code).toBe('AGENT_ERROR');
    expect(err.extensions).toEqual({ snmp: { status: 'notWritable', index: 2, oid: '1.3.6.1.2.1.1.1.0' } });
    const general = mapSnmpError(new snmp.RequestFailedError('GeneralError', 5), ctx);
    expect(general.extensions).toEqual({ snmp: { status: 'genErr', index: 0 } });
  });

  it.each([
    ['Unknown User Name', 'unknownUserName'],
    ['Wrong Digest (incorrect password, community or key)', 'wrongDigest'],
    ['Decryption Error', 'decryptionError'],
    ['Not In Time Window', 'notInTimeWindow'],
    ['Unsupported Security Level', 'unsupportedSecurityLevel'],
    ['Unknown Engine ID', 'unknownEngineId'],
  ])('v3 report "%s" → AUTH %s', (message, reason) => {
    const err = mapSnmpError(new snmp.ResponseInvalidError(message, snmp.ResponseInvalidCode.EAuthFailure), ctx);
    expect(err.code).toBe('AUTH');
    expect(err.extensions).toEqual({ snmp: { reason } });
  });

  it('a local decryption failure → AUTH decryptionError', () => {
    const err = mapSnmpError(new snmp.ResponseInvalidError('Failed to decrypt PDU: x', snmp.ResponseInvalidCode.ECouldNotDecrypt), ctx);
    expect(err).toMatchObject({ code: 'AUTH', extensions: { snmp: { reason: 'decryptionError' } } });
  });

  it('the community-mismatch message never leaks the communities', () => {
    const raw = new snmp.ResponseInvalidError("Community 's3cret' in request does not match community 'other' in response", snmp.ResponseInvalidCode.ECommunityNoMatch);
    const err = mapSnmpError(raw, ctx);
    expect(err.code).toBe('PROTOCOL');
    expect(JSON.stringify({ message: err.message, ext: err.extensions })).not.toMatch(/s3cret|other/);
  });

  it('socket errors → UNREACHABLE; anything else → PROTOCOL without the raw message', () => {
    expect(mapSnmpError(Object.assign(new Error('send EHOSTUNREACH'), { code: 'EHOSTUNREACH' }), ctx)).toMatchObject({ code: 'UNREACHABLE' });
    const other = mapSnmpError(new Error('private detail'), ctx);
    expect(other.code).toBe('PROTOCOL');
    expect(other.message).not.toContain('private detail');
  });

  it('anything after the signal aborted → CANCELLED', () => {
    const controller = new AbortController();
    controller.abort();
    expect(mapSnmpError(new Error('Socket forcibly closed'), { ...ctx, signal: controller.signal }).code).toBe('CANCELLED');
  });
});
