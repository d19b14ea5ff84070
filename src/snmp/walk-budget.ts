import { AdapterError } from '../errors.ts';

export const DEFAULT_MAX_WALKS = 32;
/** Ten concurrent 100k-varbind JSON walks peaked at 0.7 GB: about 0.6 KB per buffered varbind. */
export const DEFAULT_WALK_BUFFER_VARBINDS = 200_000;
const RETRY_AFTER_SECONDS = 2;

export interface WalkBudgetLimits {
  /** Walks of any kind in progress at once (SNMP_MAX_WALKS). */
  maxWalks: number;
  /** Varbinds that JSON walks, which buffer their whole answer, may hold between them (SNMP_WALK_BUFFER_VARBINDS). */
  bufferVarbinds: number;
}

export interface WalkReservation {
  /** Gives the slot and the varbinds back; calling it again does nothing. */
  release(): void;
}

/** Admission for walks: a slot each, and for a buffered (JSON) walk its worst-case share of the buffer, up front. */
export class WalkBudget {
  private walks = 0;
  private varbinds = 0;

  private readonly limits: WalkBudgetLimits;
  constructor(limits: WalkBudgetLimits) {
    this.limits = limits;
  }

  get inUse(): { walks: number; varbinds: number } {
    return { walks: this.walks, varbinds: this.varbinds };
  }

  /** `bufferedVarbinds` is the most a JSON walk may collect, 0 for a streamed one. Throws when it cannot start now. */
  reserve(bufferedVarbinds: number): WalkReservation {
    const { maxWalks, bufferVarbinds } = this.limits;
    if (bufferedVarbinds > bufferVarbinds) {
      throw new AdapterError(
        'INVALID_INPUT',
        'snmp',
        `a JSON walk of up to ${bufferedVarbinds} varbinds is larger than this server's walk buffer (${bufferVarbinds}): ask for NDJSON (Accept: application/x-ndjson), which streams, or lower maxVarbinds`,
      );
    }
    if (this.walks >= maxWalks) {
      throw unavailable(`${maxWalks} walks are in progress, the most this server runs at once: retry in a moment`);
    }
    const free = bufferVarbinds - this.varbinds;
    if (bufferedVarbinds > free) {
      throw unavailable(
        `a JSON walk of up to ${bufferedVarbinds} varbinds does not fit in the walk buffer now (${free} of ${bufferVarbinds} free): ` +
          'ask for NDJSON (Accept: application/x-ndjson), which streams without buffering, lower maxVarbinds, or retry in a moment',
      );
    }
    this.walks++;
    this.varbinds += bufferedVarbinds;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.walks--;
        this.varbinds -= bufferedVarbinds;
      },
    };
  }
}

function unavailable(detail: string): AdapterError {
  return new AdapterError('UNAVAILABLE', 'snmp', detail, {}, { retryAfterSeconds: RETRY_AFTER_SECONDS });
}
