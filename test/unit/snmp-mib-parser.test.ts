import { describe, expect, it } from 'vitest';
import { MibSyntaxError, parseMibText } from '../../src/snmp/mib-parser.ts';

function syntaxError(text: string): MibSyntaxError {
  try {
    parseMibText(text);
  } catch (err) {
    if (err instanceof MibSyntaxError) return err;
    throw err;
  }
  throw new Error('parsed');
}

describe('parseMibText', () => {
  it('reads imports, OBJECT-TYPEs with INDEX (IMPLIED), AUGMENTS, enums, sizes, textual conventions and comments', () => {
    const [module] = parseMibText(`-- a comment to the end of the line: X DEFINITIONS ::= BEGIN
T-MIB DEFINITIONS ::= BEGIN
IMPORTS OBJECT-TYPE, Integer32, enterprises FROM SNMPv2-SMI
        TEXTUAL-CONVENTION FROM SNMPv2-TC;
Label ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "255a"
    STATUS current
    DESCRIPTION "A ""quoted"" word -- not a comment"
    SYNTAX OCTET STRING (SIZE (0..32 | 64))
tRoot OBJECT IDENTIFIER ::= { enterprises 4242 }
tTable OBJECT-TYPE SYNTAX SEQUENCE OF TEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "t" ::= { tRoot 1 }
tEntry OBJECT-TYPE SYNTAX TEntry MAX-ACCESS not-accessible STATUS current DESCRIPTION "e"
    INDEX { tIndex, IMPLIED tName } ::= { tTable 1 }
TEntry ::= SEQUENCE { tIndex Integer32, tName Label, tState INTEGER }
tState OBJECT-TYPE
    SYNTAX INTEGER { up(1), down(2) }
    UNITS "states"
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "s"
    DEFVAL { up }
    ::= { tEntry 3 }
tX OBJECT-TYPE SYNTAX Integer32 MAX-ACCESS read-only STATUS current DESCRIPTION "x" AUGMENTS { tEntry } ::= { tRoot 2 }
END`);
    expect(module.name).toBe('T-MIB');
    expect(module.imports).toEqual([
      { module: 'SNMPv2-SMI', symbols: ['OBJECT-TYPE', 'Integer32', 'enterprises'], line: 3 },
      { module: 'SNMPv2-TC', symbols: ['TEXTUAL-CONVENTION'], line: 4 },
    ]);
    const label = module.types.find((t) => t.name === 'Label')!;
    expect(label).toMatchObject({ textualConvention: true, displayHint: '255a', description: 'A "quoted" word -- not a comment', syntax: { base: 'OCTET STRING', sizes: [[0, 32], [64, 64]] } });
    const entry = module.objects.find((o) => o.name === 'tEntry')!;
    expect(entry.index).toEqual([
      { name: 'tIndex', implied: false },
      { name: 'tName', implied: true },
    ]);
    expect(module.objects.find((o) => o.name === 'tState')).toMatchObject({ line: 15, units: 'states', syntax: { base: 'INTEGER', enums: [['up', 1], ['down', 2]] }, oid: [{ name: 'tEntry' }, { number: 3 }] });
    expect(module.objects.find((o) => o.name === 'tX')?.augments).toBe('tEntry');
    expect(module.objects.find((o) => o.name === 'tTable')?.syntax).toEqual({ base: 'SEQUENCE OF', ref: 'TEntry' });
  });

  it('SMIv1: TRAP-TYPE, name(number) OID forms, MACRO definitions skipped', () => {
    const [module] = parseMibText(`V1-MIB DEFINITIONS ::= BEGIN
IMPORTS TRAP-TYPE FROM RFC-1215;
OBJECT-TYPE MACRO ::= BEGIN TYPE NOTATION ::= "SYNTAX" type(ObjectSyntax) VALUE NOTATION ::= value(VALUE ObjectName) END
internet OBJECT IDENTIFIER ::= { iso org(3) dod(6) 1 }
coldish TRAP-TYPE ENTERPRISE internet VARIABLES { internet } DESCRIPTION "d" ::= 7
END`);
    expect(module.objects.map((o) => [o.name, o.oid])).toEqual([
      ['org', [{ name: 'iso' }, { number: 3 }]],
      ['dod', [{ name: 'iso' }, { number: 3, name: 'org' }, { number: 6 }]],
      ['internet', [{ name: 'iso' }, { number: 3, name: 'org' }, { number: 6, name: 'dod' }, { number: 1 }]],
      ['coldish', [{ name: 'internet' }, { number: 0 }, { number: 7 }]],
    ]);
  });

  it('names the line of every error', () => {
    expect(syntaxError('not a mib').line).toBe(1);
    expect(syntaxError('X DEFINITIONS ::= BEGIN\n\n a OBJECT IDENTIFIER ::= { b 1 }\n').message).toMatch(/has no END/);
    expect(syntaxError('X DEFINITIONS ::= BEGIN\nIMPORTS a FROM B\nc OBJECT-TYPE\n DESCRIPTION "open\n\nEND').line).toBe(4);
    const bad = syntaxError('X DEFINITIONS ::= BEGIN\nIMPORTS a FROM B;\n\n\nc OBJECT-TYPE SYNTAX INTEGER { a(1) b(2 } ::= { a 1 }\nEND');
    expect(bad.line).toBe(5);
    expect(bad.message).toMatch(/expected "\)"/);
  });

  it('is total on hostile input: deep nesting and junk end in a MibSyntaxError', () => {
    for (const text of ['X DEFINITIONS ::= BEGIN a ::= ' + 'SEQUENCE OF '.repeat(10_000) + 'INTEGER END', '\u0000'.repeat(100), "X DEFINITIONS ::= BEGIN a ::= OCTET STRING (SIZE ('zz'Q)) END", '{'.repeat(100_000)]) {
      expect(() => parseMibText(text)).toThrow(MibSyntaxError);
    }
  });
});
