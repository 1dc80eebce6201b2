/**
 * A minimal protobuf wire reader (varints, length-delimited fields, fixed32/64), shared by the API
 * server's protobuf body decoder (schemas from `messages.json`) and the kubelet's gRPC probe.
 * Malformed input throws `ProtobufError`.
 */
export class ProtobufError extends Error {}

export interface RawField {
  number: number;
  wireType: number;
  /** Varint / fixed values. */
  value?: number | bigint;
  /** Length-delimited payload. */
  bytes?: Uint8Array;
}

export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads a varint as a bigint (exact for all 64 bits). */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufError('unexpected end of varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ProtobufError('varint too long');
  }

  private take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtobufError('field runs past the end of the message');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  field(): RawField {
    const tag = Number(this.varint());
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new ProtobufError('field number 0');
    switch (wireType) {
      case 0:
        return { number, wireType, value: this.varint() };
      case 1: {
        const bytes = this.take(8);
        return { number, wireType, value: new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true) };
      }
      case 2:
        return { number, wireType, bytes: this.take(Number(this.varint())) };
      case 5: {
        const bytes = this.take(4);
        return { number, wireType, value: new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true) };
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
}

/** A varint as a JS number with the signedness of the declared type. */
export function varintValue(v: bigint, type: string): number | boolean {
  if (type === 'bool') return v !== 0n;
  if (type === 'int32') return Number(BigInt.asIntN(32, v));
  if (type === 'uint32' || type === 'uint64') return Number(v);
  return Number(BigInt.asIntN(64, v));
}
