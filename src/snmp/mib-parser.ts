/**
 * A parser for SMIv1/SMIv2 MIB modules (RFC 1155/1212/1215, RFC 2578/2579/2580), written for this service:
 * net-snmp's ModuleStore recompiles every file it has seen on each load (22 s for the standard set) and
 * reports no line numbers. This one reads a module once, keeps only what the resolver needs (OIDs, syntax,
 * access, status, description, units, INDEX/AUGMENTS, enums, sizes, display hints) and names the line of
 * every error. Pure and total: any input ends in modules or a MibSyntaxError, never another exception, and
 * its work is linear in the input (no backtracking, nesting bounded).
 */

export class MibSyntaxError extends Error {
  override readonly name = 'MibSyntaxError';
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

/** A sub-identifier of an OID value as written: `ifEntry`, `7`, or `dod(6)`. */
export interface OidComponent {
  name?: string;
  number?: number;
}

/** A SYNTAX as written: a base type, or a reference to a named type, with its refinements. */
export interface TypeSyntax {
  /** 'INTEGER', 'OCTET STRING', 'OBJECT IDENTIFIER', 'BITS', 'SEQUENCE', 'SEQUENCE OF', 'CHOICE', 'NULL', or undefined for a reference. */
  base?: string;
  /** The referenced type (`DisplayString`, `Counter32`, `IfEntry` for SEQUENCE OF). */
  ref?: string;
  /** Named numbers (INTEGER) or bit positions (BITS). */
  enums?: [string, number][];
  /** SIZE ranges (OCTET STRING). */
  sizes?: [number, number][];
  /** [APPLICATION n] tag, for the SMI's own types. */
  application?: number;
}

export interface TypeDecl {
  name: string;
  line: number;
  textualConvention: boolean;
  displayHint?: string;
  status?: string;
  description?: string;
  syntax: TypeSyntax;
}

export interface IndexItem {
  name: string;
  implied: boolean;
}

export interface ObjectDecl {
  name: string;
  line: number;
  /** 'OBJECT IDENTIFIER', 'OBJECT-TYPE', 'NOTIFICATION-TYPE', 'TRAP-TYPE', 'MODULE-IDENTITY', … */
  macro: string;
  oid: OidComponent[];
  syntax?: TypeSyntax;
  access?: string;
  status?: string;
  description?: string;
  units?: string;
  index?: IndexItem[];
  augments?: string;
}

export interface ModuleImport {
  module: string;
  symbols: string[];
  line: number;
}

export interface ParsedModule {
  name: string;
  line: number;
  /** The line of its END. */
  endLine: number;
  imports: ModuleImport[];
  types: TypeDecl[];
  objects: ObjectDecl[];
}

/** Bounds for untrusted input: nesting depth of types and braces. */
const MAX_DEPTH = 64;

type TokenKind = 'id' | 'num' | 'str' | 'bin' | 'punct' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  line: number;
}

/** The SMI macros whose invocations define objects (`name MACRO clauses ::= value`). */
export const OBJECT_MACROS = new Set([
  'OBJECT-TYPE',
  'OBJECT-IDENTITY',
  'MODULE-IDENTITY',
  'NOTIFICATION-TYPE',
  'TRAP-TYPE',
  'OBJECT-GROUP',
  'NOTIFICATION-GROUP',
  'MODULE-COMPLIANCE',
  'AGENT-CAPABILITIES',
]);

const STRING_CLAUSES = new Set([
  'DESCRIPTION',
  'REFERENCE',
  'UNITS',
  'CONTACT-INFO',
  'ORGANIZATION',
  'LAST-UPDATED',
  'DISPLAY-HINT',
  'REVISION',
  'PRODUCT-RELEASE',
]);

/** Parses the text of one MIB file (one or more modules). Throws MibSyntaxError with the line. */
export function parseMibText(text: string): ParsedModule[] {
  const parser = new Parser(tokenize(text));
  const modules: ParsedModule[] = [];
  while (parser.peek().kind !== 'eof') modules.push(parser.module());
  if (modules.length === 0) throw new MibSyntaxError(1, 'no "<MODULE> DEFINITIONS ::= BEGIN" found: not a MIB module');
  return modules;
}

/* ------------------------------------------------------------------ tokens */

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A copy of `piece` that does not keep `text` alive. V8 makes a slice of 13 characters or more a view into
 * the string it was cut from, so a name or a DESCRIPTION kept in the MIB index would otherwise hold the
 * whole file's text in memory (2 MB for the standard set). Identifiers repeat: each is copied once.
 */
function detach(piece: string, copies: Map<string, string>): string {
  if (piece.length < 13) return piece;
  let copy = copies.get(piece);
  // Slicing a concatenation flattens it into a new string first: the copy (with one extra character).
  if (copy === undefined) copies.set(piece, (copy = ` ${piece}`.slice(1)));
  return copy;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const copies = new Map<string, string>();
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x1a) {
      i++;
      continue;
    }
    // Comment: from -- to the end of the line or the next --.
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      i += 2;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 10) break;
        if (d === 45 && text.charCodeAt(i + 1) === 45) {
          i += 2;
          break;
        }
        i++;
      }
      continue;
    }
    if (c === 34) {
      const start = line;
      let j = i + 1;
      let value = '';
      for (;;) {
        const end = text.indexOf('"', j);
        if (end < 0) throw new MibSyntaxError(start, 'unterminated string (a " without its closing ")');
        value += text.slice(j, end);
        if (text.charCodeAt(end + 1) === 34) {
          value += '"';
          j = end + 2;
          continue;
        }
        j = end + 1;
        break;
      }
      for (let k = i; k < j; k++) if (text.charCodeAt(k) === 10) line++;
      tokens.push({ kind: 'str', text: detach(value, copies), line: start });
      i = j;
      continue;
    }
    if (c === 39) {
      const end = text.indexOf("'", i + 1);
      if (end < 0 || end - i > 4096) throw new MibSyntaxError(line, "unterminated binary or hex string (a ' without its closing ')");
      const radix = text[end + 1];
      if (radix !== 'H' && radix !== 'h' && radix !== 'B' && radix !== 'b') throw new MibSyntaxError(line, "a '…' string must end in 'H or 'B");
      tokens.push({ kind: 'bin', text: `${text.slice(i + 1, end)}'${radix.toUpperCase()}`, line });
      i = end + 2;
      continue;
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j)) && !(text.charCodeAt(j) === 45 && text.charCodeAt(j + 1) === 45)) j++;
      tokens.push({ kind: 'id', text: detach(text.slice(i, j), copies), line });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 45 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'num', text: text.slice(i, j), line });
      i = j;
      continue;
    }
    if (c === 58 && text.startsWith('::=', i)) {
      tokens.push({ kind: 'punct', text: '::=', line });
      i += 3;
      continue;
    }
    if (c === 46 && text.charCodeAt(i + 1) === 46) {
      tokens.push({ kind: 'punct', text: '..', line });
      i += 2;
      continue;
    }
    tokens.push({ kind: 'punct', text: text[i], line });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', line });
  return tokens;
}

/* ------------------------------------------------------------------ grammar */

class Parser {
  private pos = 0;
  /** MACRO names the file defines itself, besides the SMI's. */
  private readonly macros = new Set(OBJECT_MACROS);

  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private is(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.text === text && token.kind !== 'str' && token.kind !== 'eof';
  }

  private expect(text: string, what = `"${text}"`): Token {
    const token = this.next();
    if (token.text !== text || token.kind === 'str') throw this.unexpected(token, what);
    return token;
  }

  private expectKind(kind: TokenKind, what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw this.unexpected(token, what);
    return token;
  }

  private unexpected(token: Token, what: string): MibSyntaxError {
    const found = token.kind === 'eof' ? 'the end of the file' : token.kind === 'str' ? 'a string' : `"${token.text}"`;
    return new MibSyntaxError(token.line, `expected ${what}, found ${found}`);
  }

  module(): ParsedModule {
    const nameToken = this.expectKind('id', 'a module name ("<MODULE> DEFINITIONS ::= BEGIN")');
    if (this.is('{')) this.skipBalanced('{', '}');
    this.expect('DEFINITIONS', '"DEFINITIONS" after the module name');
    while (!this.is('::=')) {
      const token = this.next();
      if (token.kind === 'eof' || token.text === 'BEGIN') throw this.unexpected(token, '"::=" after DEFINITIONS');
    }
    this.next();
    this.expect('BEGIN');
    const module: ParsedModule = { name: nameToken.text, line: nameToken.line, endLine: nameToken.line, imports: [], types: [], objects: [] };
    if (this.is('EXPORTS')) this.skipUntil(';');
    if (this.is('IMPORTS')) this.imports(module);
    while (!this.is('END')) {
      if (this.peek().kind === 'eof') throw new MibSyntaxError(this.peek().line, `module ${module.name} has no END`);
      this.assignment(module);
    }
    module.endLine = this.next().line;
    return module;
  }

  private imports(module: ParsedModule): void {
    this.next();
    let symbols: string[] = [];
    for (;;) {
      const token = this.next();
      if (token.text === ';' && token.kind === 'punct') break;
      if (token.kind === 'eof') throw new MibSyntaxError(token.line, 'IMPORTS is not ended by ";"');
      if (token.text === ',') continue;
      if (token.kind !== 'id') throw this.unexpected(token, 'an imported name or FROM');
      if (token.text === 'FROM') {
        const from = this.expectKind('id', 'a module name after FROM');
        if (symbols.length === 0) throw new MibSyntaxError(from.line, `FROM ${from.text} imports nothing`);
        if (this.is('{')) this.skipBalanced('{', '}');
        const existing = module.imports.find((i) => i.module === from.text);
        if (existing) existing.symbols.push(...symbols);
        else module.imports.push({ module: from.text, symbols, line: from.line });
        symbols = [];
        continue;
      }
      symbols.push(token.text);
    }
    if (symbols.length > 0) throw new MibSyntaxError(this.peek().line, `IMPORTS ends with ${symbols.join(', ')} and no FROM`);
  }

  private assignment(module: ParsedModule): void {
    const nameToken = this.next();
    if (nameToken.kind !== 'id') throw this.unexpected(nameToken, 'a definition (a name, then OBJECT IDENTIFIER, a macro such as OBJECT-TYPE, or ::=)');
    const name = nameToken.text;
    const line = nameToken.line;
    if (this.is('MACRO')) {
      this.macros.add(name);
      this.skipUntil('END');
      return;
    }
    if (this.is('::=')) {
      this.next();
      module.types.push(this.typeAssignment(name, line));
      return;
    }
    if (this.is('OBJECT') && this.is('IDENTIFIER', 1)) {
      this.next();
      this.next();
      this.expect('::=', `"::=" after ${name} OBJECT IDENTIFIER`);
      module.objects.push({ name, line, macro: 'OBJECT IDENTIFIER', oid: this.oidValue(module) });
      return;
    }
    const macro = this.peek();
    if (macro.kind === 'id' && this.macros.has(macro.text)) {
      this.next();
      module.objects.push(this.macroInvocation(module, name, line, macro.text));
      return;
    }
    // A value of some other type (`foo INTEGER ::= 5`): nothing the resolver needs.
    this.type(0);
    this.expect('::=', `"::=" in the definition of ${name}`);
    if (this.is('{')) this.skipBalanced('{', '}');
    else this.next();
  }

  private typeAssignment(name: string, line: number): TypeDecl {
    if (!this.is('TEXTUAL-CONVENTION')) return { name, line, textualConvention: false, syntax: this.type(0) };
    this.next();
    const decl: TypeDecl = { name, line, textualConvention: true, syntax: {} };
    for (;;) {
      const clause = this.next();
      switch (clause.text) {
        case 'DISPLAY-HINT':
          decl.displayHint = this.string();
          break;
        case 'STATUS':
          decl.status = this.expectKind('id', 'a status').text;
          break;
        case 'DESCRIPTION':
          decl.description = this.string();
          break;
        case 'REFERENCE':
          this.string();
          break;
        case 'SYNTAX':
          decl.syntax = this.type(0);
          return decl;
        default:
          throw this.unexpected(clause, `a TEXTUAL-CONVENTION clause (DISPLAY-HINT, STATUS, DESCRIPTION, REFERENCE, SYNTAX) in ${name}`);
      }
    }
  }

  private macroInvocation(module: ParsedModule, name: string, line: number, macro: string): ObjectDecl {
    const decl: ObjectDecl = { name, line, macro, oid: [] };
    let enterprise: string | undefined;
    let nested = false; // MODULE-COMPLIANCE and AGENT-CAPABILITIES repeat clauses for other objects
    for (;;) {
      const token = this.peek();
      if (token.kind === 'eof' || (token.kind === 'id' && token.text === 'END')) {
        throw new MibSyntaxError(token.line, `the ${macro} ${name} (line ${line}) is not ended by "::="`);
      }
      this.next();
      if (token.kind === 'punct' && token.text === '::=') break;
      switch (token.kind === 'id' ? token.text : '') {
        case 'SYNTAX': {
          const syntax = this.type(0);
          if (!nested && decl.syntax === undefined) decl.syntax = syntax;
          break;
        }
        case 'WRITE-SYNTAX':
          this.type(0);
          break;
        case 'ACCESS':
        case 'MAX-ACCESS':
        case 'MIN-ACCESS': {
          const access = this.expectKind('id', `an access after ${token.text}`).text;
          if (!nested && decl.access === undefined) decl.access = access;
          break;
        }
        case 'STATUS': {
          const status = this.expectKind('id', 'a status').text;
          if (!nested && decl.status === undefined) decl.status = status;
          break;
        }
        case 'DESCRIPTION': {
          const description = this.string();
          if (!nested && decl.description === undefined) decl.description = description;
          break;
        }
        case 'UNITS': {
          const units = this.string();
          if (!nested) decl.units = units;
          break;
        }
        case 'INDEX':
          decl.index = this.indexClause();
          break;
        case 'AUGMENTS': {
          this.expect('{', '"{" after AUGMENTS');
          decl.augments = this.expectKind('id', 'the augmented entry').text;
          this.expect('}', '"}" after the augmented entry');
          break;
        }
        case 'ENTERPRISE':
          if (this.is('{')) this.skipBalanced('{', '}');
          else enterprise = this.expectKind('id', 'an enterprise name').text;
          break;
        case 'MODULE':
        case 'SUPPORTS':
        case 'OBJECT':
        case 'GROUP':
        case 'VARIATION':
          nested = true;
          break;
        default:
          if (token.kind === 'str' || token.kind === 'num' || token.kind === 'bin') break;
          if (STRING_CLAUSES.has(token.text)) {
            this.string();
          } else if (this.is('{')) {
            this.skipBalanced('{', '}');
          }
      }
    }
    if (macro === 'TRAP-TYPE') {
      const number = this.expectKind('num', 'the trap number after "::="');
      if (enterprise === undefined) throw new MibSyntaxError(line, `TRAP-TYPE ${name} has no ENTERPRISE`);
      decl.oid = [{ name: enterprise }, { number: 0 }, { number: Number(number.text) }];
    } else {
      decl.oid = this.oidValue(module);
    }
    return decl;
  }

  private indexClause(): IndexItem[] {
    this.expect('{', '"{" after INDEX');
    const items: IndexItem[] = [];
    for (;;) {
      const token = this.next();
      if (token.text === '}' && token.kind === 'punct') return items;
      if (token.text === ',' && token.kind === 'punct') continue;
      if (token.kind !== 'id') throw this.unexpected(token, 'an index object in INDEX');
      let implied = false;
      let name = token.text;
      if (name === 'IMPLIED') {
        implied = true;
        name = this.expectKind('id', 'an index object after IMPLIED').text;
      }
      // SMIv1 allows a type as an index ("INDEX { INTEGER }").
      if ((name === 'OCTET' && this.is('STRING')) || (name === 'OBJECT' && this.is('IDENTIFIER'))) name = `${name} ${this.next().text}`;
      if (this.is('(')) this.skipBalanced('(', ')');
      items.push({ name, implied });
    }
  }

  /** `{ parent 3 }`, `{ iso org(3) dod(6) 1 }`, `{ 0 0 }`. Name-and-number forms define intermediate nodes. */
  private oidValue(module: ParsedModule): OidComponent[] {
    const open = this.expect('{', 'an OID value "{ parent n }"');
    const components: OidComponent[] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === '}') break;
      if (token.kind === 'num') {
        components.push({ number: Number(token.text) });
      } else if (token.kind === 'id') {
        if (this.is('(')) {
          this.next();
          const number = Number(this.expectKind('num', `a number in ${token.text}(…)`).text);
          this.expect(')');
          if (components.length > 0) module.objects.push({ name: token.text, line: token.line, macro: 'OBJECT IDENTIFIER', oid: [...components, { number }] });
          components.push({ number, name: token.text });
        } else if (components.length === 0) {
          components.push({ name: token.text });
        } else {
          throw new MibSyntaxError(token.line, `in an OID value only the first sub-identifier may be a bare name, not "${token.text}"`);
        }
      } else {
        throw this.unexpected(token, 'a name or a number in an OID value');
      }
      if (components.length > 128) throw new MibSyntaxError(open.line, 'an OID value with more than 128 sub-identifiers');
    }
    if (components.length === 0) throw new MibSyntaxError(open.line, 'an empty OID value');
    return components;
  }

  private type(depth: number): TypeSyntax {
    if (depth > MAX_DEPTH) throw new MibSyntaxError(this.peek().line, 'types nested too deeply');
    const syntax: TypeSyntax = {};
    if (this.is('[')) {
      this.next();
      if (this.is('APPLICATION') || this.is('UNIVERSAL') || this.is('PRIVATE')) this.next();
      const tag = this.expectKind('num', 'a tag number');
      this.expect(']');
      syntax.application = Number(tag.text);
      if (this.is('IMPLICIT') || this.is('EXPLICIT')) this.next();
    }
    const token = this.next();
    if (token.kind !== 'id') throw this.unexpected(token, 'a type');
    switch (token.text) {
      case 'INTEGER':
        syntax.base = 'INTEGER';
        break;
      case 'OCTET':
        this.expect('STRING', '"STRING" after OCTET');
        syntax.base = 'OCTET STRING';
        break;
      case 'OBJECT':
        this.expect('IDENTIFIER', '"IDENTIFIER" after OBJECT');
        syntax.base = 'OBJECT IDENTIFIER';
        break;
      case 'BITS':
        syntax.base = 'BITS';
        break;
      case 'NULL':
        syntax.base = 'NULL';
        return syntax;
      case 'CHOICE':
        syntax.base = 'CHOICE';
        this.skipBalanced('{', '}');
        return syntax;
      case 'SEQUENCE':
        if (this.is('OF')) {
          this.next();
          const of = this.type(depth + 1);
          return { ...syntax, base: 'SEQUENCE OF', ref: of.ref ?? of.base };
        }
        syntax.base = 'SEQUENCE';
        this.skipBalanced('{', '}');
        return syntax;
      default:
        syntax.ref = token.text;
    }
    if (this.is('{')) syntax.enums = this.namedNumbers();
    else if (this.is('(')) this.constraint(syntax);
    return syntax;
  }

  private namedNumbers(): [string, number][] {
    this.expect('{');
    const enums: [string, number][] = [];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === '}') return enums;
      if (token.kind === 'punct' && token.text === ',') continue;
      if (token.kind !== 'id') throw this.unexpected(token, 'a named number "name(n)"');
      this.expect('(', `"(" after ${token.text}`);
      const value = this.expectKind('num', `a number in ${token.text}(…)`);
      this.expect(')');
      enums.push([token.text, Number(value.text)]);
    }
  }

  /** `(SIZE (0..255))`, `(SIZE (4 | 16))`, `(0..65535)`: keeps the SIZE ranges; value ranges are not needed. */
  private constraint(syntax: TypeSyntax): void {
    const open = this.expect('(');
    if (!this.is('SIZE')) {
      this.pos--;
      this.skipBalanced('(', ')');
      return;
    }
    this.next();
    this.expect('(', '"(" after SIZE');
    const sizes: [number, number][] = [];
    for (;;) {
      const low = this.bound();
      let high = low;
      if (this.is('..')) {
        this.next();
        high = this.bound();
      }
      sizes.push([low, high]);
      if (this.is('|')) {
        this.next();
        continue;
      }
      this.expect(')', '")" after the SIZE ranges');
      break;
    }
    this.expect(')', `")" closing the constraint opened on line ${open.line}`);
    syntax.sizes = sizes;
  }

  private bound(): number {
    const token = this.next();
    if (token.kind === 'num') return Number(token.text);
    if (token.kind === 'id' && token.text === 'MAX') return Number.MAX_SAFE_INTEGER;
    if (token.kind === 'id' && token.text === 'MIN') return 0;
    if (token.kind === 'bin') return parseInt(token.text.slice(0, -2) || '0', token.text.endsWith('H') ? 16 : 2);
    throw this.unexpected(token, 'a size');
  }

  private string(): string {
    return this.expectKind('str', 'a quoted string').text;
  }

  private skipBalanced(open: string, close: string): void {
    const start = this.expect(open);
    let depth = 1;
    while (depth > 0) {
      const token = this.next();
      if (token.kind === 'eof') throw new MibSyntaxError(start.line, `"${open}" is never closed by "${close}"`);
      if (token.kind !== 'punct') continue;
      if (token.text === open) depth++;
      else if (token.text === close) depth--;
    }
  }

  private skipUntil(text: string): void {
    const start = this.peek();
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof') throw new MibSyntaxError(start.line, `no "${text}" after line ${start.line}`);
      if (token.text === text && token.kind !== 'str') return;
    }
  }
}
