// A tiny Protocol Buffers encoder: just the wire types an ONNX ModelProto needs
// (varint, length-delimited). Fields are written in the order they are added.
const VARINT = 0;
const LENGTH_DELIMITED = 2;

export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];

  int(field: number, value: number | bigint): this {
    this.key(field, VARINT);
    this.chunks.push(encodeVarint(BigInt(value)));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.chunks.push(encodeVarint(BigInt(value.length)), value);
    return this;
  }

  message(field: number, value: ProtoMessage): this {
    return this.bytes(field, value.toBytes());
  }

  toBytes(): Uint8Array {
    const length = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private key(field: number, wireType: number): void {
    this.chunks.push(encodeVarint(BigInt((field << 3) | wireType)));
  }
}

export function encodeVarint(value: bigint): Uint8Array {
  if (value < 0n) throw new Error(`Negative varints are not used by this encoder; got ${value}.`);
  const bytes: number[] = [];
  let rest = value;
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Uint8Array.from(bytes);
}
