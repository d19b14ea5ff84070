import type { MibResolver } from './mib.ts';
import type { OidNamer } from './varbind.ts';

/** OIDs whose naming is kept, at most; beyond, the cache starts over (a sender of random OIDs cannot grow it). */
const NAMES_MAX = 8_192;

type Found = ReturnType<MibResolver['lookup']>;

/**
 * The MIB naming of the OIDs notifications carry, cached in front of the resolver: a few trap OIDs and
 * varbind OIDs make up most traffic, and the longest-prefix lookup costs a few string slices each time.
 *
 * The cache is dropped whole when the resolver swaps its index (an upload or a deletion, made in this
 * process or replayed from another one): its module list, `moduleInfo()`, is then a new array.
 */
export class TrapOidNames implements OidNamer {
  private readonly found = new Map<string, NonNullable<Found> | null>();
  private readonly names = new Map<string, string | null>();
  private modules: unknown;

  private readonly mib: MibResolver;
  private readonly resolveNode: (oid: string) => Found;
  private readonly resolveName: (oid: string) => string | undefined;
  constructor(mib: MibResolver) {
    this.mib = mib;
    this.modules = mib.moduleInfo();
    this.resolveNode = (oid) => mib.lookup(oid);
    this.resolveName = (oid) => mib.nameOf(oid);
  }

  lookup(numericOid: string): Found {
    return this.cached(this.found, numericOid, this.resolveNode);
  }

  nameOf(numericOid: string): string | undefined {
    return this.cached(this.names, numericOid, this.resolveName);
  }

  /** What `resolve` says of the OID, from `cache` (null: nothing) or into it. */
  private cached<T>(cache: Map<string, T | null>, oid: string, resolve: (oid: string) => T | undefined): T | undefined {
    this.revalidate();
    let known = cache.get(oid);
    if (known === undefined) {
      if (cache.size >= NAMES_MAX) cache.clear();
      known = resolve(oid) ?? null;
      cache.set(oid, known);
    }
    return known ?? undefined;
  }

  private revalidate(): void {
    const modules = this.mib.moduleInfo();
    if (modules === this.modules) return;
    this.modules = modules;
    this.found.clear();
    this.names.clear();
  }
}
