import { DedupWindow } from '../events/dedup.ts';

/**
 * SNMPv3 replay protection on the trap port: RFC 3414 §3.2 step 7, applied to notifications.
 *
 * - A trap's authoritative engine is its sender. Per engine ID we keep the latest (engineBoots,
 *   engineTime) received in an authenticated message (step 7b): only messages whose digest was
 *   verified update it, so an attacker without the key cannot push the clock. Our notion of the
 *   engine's time moves on with our own clock. A message from an older boot, or whose time is more than
 *   150 s behind our notion, is outside the window: dropped (notInTimeWindow). An engine seen for the
 *   first time is believed (as RFC 3414 does).
 * - An inform's authoritative engine is the receiver (the sender discovered our engine ID): its boots
 *   must be ours and its time within 150 s of ours (step 7a), else the sender gets a notInTimeWindow Report.
 * - An exact copy (same engine, msgID and digest) of a message accepted within the window is a
 *   duplicate: no second event.
 *
 * Bounded: at most maxEngines notions (the least recently updated is forgotten first) and maxRecent
 * remembered messages (the oldest first; a copy of a forgotten one would then get through, never is a
 * genuine message dropped for it).
 */

/** RFC 3414 §2.2.3: the time window, in seconds. */
export const TIME_WINDOW_SECONDS = 150;
/** engineBoots at its maximum: the engine must be re-keyed; every message is outside the window. */
const MAX_ENGINE_BOOTS = 2147483647;

export type WindowVerdict = 'accept' | 'notInTimeWindow' | 'duplicate';

export interface EngineClock {
  boots: number;
  time: number;
}

interface Notion {
  boots: number;
  /** engineTime as last set from a message, at `at` (our clock, ms). */
  time: number;
  at: number;
  /** latestReceivedEngineTime. */
  latest: number;
}

export interface TimeWindowOptions {
  maxEngines?: number;
  maxRecent?: number;
  /** Milliseconds on a monotonic clock. */
  now?: () => number;
}

export class UsmTimeWindows {
  private readonly engines = new Map<string, Notion>();
  private readonly recent: DedupWindow;
  private readonly maxEngines: number;
  private readonly now: () => number;

  constructor(options: TimeWindowOptions = {}) {
    this.maxEngines = options.maxEngines ?? 10_000;
    this.now = options.now ?? (() => performance.now());
    // A copy older than the window is outside it anyway; a little slack for our own clock's granularity.
    this.recent = new DedupWindow((TIME_WINDOW_SECONDS + 1) * 1000, options.maxRecent ?? 100_000, this.now);
  }

  /** Engines whose time we keep a notion of. */
  get engineCount(): number {
    return this.engines.size;
  }

  /**
   * Step 7b, for an authenticated message from a non-authoritative receiver's point of view (a trap):
   * call only once its digest was verified.
   */
  checkRemote(engineId: Buffer, clock: EngineClock, msgId: number, digest: Buffer): WindowVerdict {
    const key = engineId.toString('hex');
    const now = this.now();
    const notion = this.engines.get(key);
    if (notion) {
      const ourTime = notion.time + Math.floor((now - notion.at) / 1000);
      const older = clock.boots < notion.boots || (clock.boots === notion.boots && clock.time < ourTime - TIME_WINDOW_SECONDS);
      if (notion.boots === MAX_ENGINE_BOOTS || older) return 'notInTimeWindow';
    }
    if (!this.recent.claim(`${key}/${msgId}/${digest.toString('hex')}`)) return 'duplicate';
    if (!notion || clock.boots > notion.boots || (clock.boots === notion.boots && clock.time > notion.latest)) {
      this.engines.delete(key);
      if (this.engines.size >= this.maxEngines) this.engines.delete(this.engines.keys().next().value!);
      this.engines.set(key, { boots: clock.boots, time: clock.time, at: now, latest: clock.time });
    }
    return 'accept';
  }

  /** Step 7a, for an authenticated message to our own engine (an inform), whose clock is `ours`. */
  checkLocal(engineId: Buffer, clock: EngineClock, ours: EngineClock, msgId: number, digest: Buffer): WindowVerdict {
    if (ours.boots === MAX_ENGINE_BOOTS || clock.boots !== ours.boots || Math.abs(clock.time - ours.time) > TIME_WINDOW_SECONDS) return 'notInTimeWindow';
    return this.recent.claim(`${engineId.toString('hex')}/${msgId}/${digest.toString('hex')}`) ? 'accept' : 'duplicate';
  }
}
