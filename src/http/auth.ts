import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiTokenConfig, Scope } from '../config.ts';

interface KnownToken {
  name: string;
  digest: Buffer;
  scopes: Set<Scope>;
}

export interface Principal {
  name: string;
  scopes: Set<Scope>;
}

/** API tokens from API_TOKENS, kept as SHA-256 digests and compared in constant time. */
export class TokenAuthenticator {
  private readonly tokens: KnownToken[];

  constructor(tokens: ApiTokenConfig[]) {
    this.tokens = tokens.map((t, index) => ({
      name: t.name ?? `token-${index + 1}`,
      digest: t.sha256 ? Buffer.from(t.sha256, 'hex') : sha256(t.token ?? ''),
      scopes: new Set(t.scopes),
    }));
  }

  get enabled(): boolean {
    return this.tokens.length > 0;
  }

  /** Compares against every configured digest in constant time, without stopping at the first match. */
  authenticate(presented: string): Principal | undefined {
    const digest = sha256(presented);
    let found: KnownToken | undefined;
    for (const token of this.tokens) {
      if (timingSafeEqual(digest, token.digest) && !found) found = token;
    }
    return found ? { name: found.name, scopes: found.scopes } : undefined;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
