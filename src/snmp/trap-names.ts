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
  private readonly found = new Map<string, Found | null>();
  private readonly names = new Map<string, string | null>();
  private modules: unknown;

  private readonly mib: MibResolver;
  constructor(mib: MibResolver) {
    this.mib = mib;
    this.modules = mib.moduleInfo();
  }

  lookup(numericOid: string): Found {
    this.revalidate();
    let found = this.found.get(numericOid);
    if (found === undefined) {
      if (this.found.size >= NAMES_MAX) this.found.clear();
      found = this.mib.lookup(numericOid) ?? null;
      this.found.set(numericOid, found);
    }
    return found ?? undefined;
  }

  nameOf(numericOid: string): string | undefined {
    this.revalidate();
    let name = this.names.get(numericOid);
    if (name === undefined) {
      if (this.names.size >= NAMES_MAX) this.names.clear();
      name = this.mib.nameOf(numericOid) ?? null;
      this.names.set(numericOid, name);
    }
    return name ?? undefined;
  }

  private revalidate(): void {
    const modules = this.mib.moduleInfo();
    if (modules === this.modules) return;
    this.modules = modules;
    this.found.clear();
    this.names.clear();
  }
}
