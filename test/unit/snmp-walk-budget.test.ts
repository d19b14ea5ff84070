import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../src/errors.ts';
import { WalkBudget } from '../../src/snmp/walk-budget.ts';

function refusal(run: () => unknown): AdapterError {
  try {
    run();
  } catch (err) {
    if (err instanceof AdapterError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the walk budget', () => {
  it('admits buffered walks while their varbinds fit, streamed walks while a slot is free', () => {
    const budget = new WalkBudget({ maxWalks: 3, bufferVarbinds: 1000 });
    const first = budget.reserve(600);
    const streamed = budget.reserve(0);
    expect(budget.inUse).toEqual({ walks: 2, varbinds: 600 });

    const tooBig = refusal(() => budget.reserve(500));
    expect(tooBig).toMatchObject({ code: 'UNAVAILABLE', subsystem: 'snmp', retryAfterSeconds: 2 });
    expect(tooBig.message).toMatch(/400 of 1000 free.*NDJSON.*lower maxVarbinds.*retry/);
    const fits = budget.reserve(400);
    expect(budget.inUse).toEqual({ walks: 3, varbinds: 1000 });

    const noSlot = refusal(() => budget.reserve(0));
    expect(noSlot).toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 2 });
    expect(noSlot.message).toContain('3 walks are in progress');

    first.release();
    streamed.release();
    fits.release();
    expect(budget.inUse).toEqual({ walks: 0, varbinds: 0 });
  });

  it('a release counts once', () => {
    const budget = new WalkBudget({ maxWalks: 2, bufferVarbinds: 100 });
    const held = budget.reserve(100);
    budget.reserve(0);
    held.release();
    held.release();
    expect(budget.inUse).toEqual({ walks: 1, varbinds: 0 });
  });

  it('a JSON walk larger than the whole buffer can never run: a 400 that says how, not a 503 to retry', () => {
    const budget = new WalkBudget({ maxWalks: 2, bufferVarbinds: 100 });
    const refused = refusal(() => budget.reserve(101));
    expect(refused.code).toBe('INVALID_INPUT');
    expect(refused.message).toMatch(/NDJSON.*lower maxVarbinds/);
    expect(budget.inUse).toEqual({ walks: 0, varbinds: 0 });
  });
});
