/** The parts of asn1-ber (the BER codec net-snmp itself uses) that netprobe reads replies with. */
declare module 'asn1-ber' {
  export class BerReader {
    constructor(data: Buffer);
    readonly offset: number;
    readonly length: number;
    readonly remain: number;
    peek(): number | null;
    readByte(peek?: boolean): number | null;
    readSequence(tag?: number): number | null;
    readInt(tag?: number): number | null;
    readString(tag: number, asBuffer: true): Buffer | null;
    readString(tag?: number, asBuffer?: false): string | null;
    readOID(tag?: number): string | null;
  }

  export class BerWriter {
    constructor();
    readonly buffer: Buffer;
    startSequence(tag?: number): void;
    endSequence(): void;
    writeInt(value: number, tag?: number): void;
    writeBuffer(buffer: Buffer, tag: number): void;
    writeOID(oid: string, tag?: number): void;
  }
}
