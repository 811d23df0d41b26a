// The safetensors file format: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw little-endian bytes. Files are written to a
// temporary name and renamed, so a crash never leaves a half-written file under the real name.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import type { DType } from "./dtype.js";
import { Tensor, tensor } from "./tensor.js";

const dtypeCodes: Partial<Record<DType, string>> = {
  float32: "F32",
  float64: "F64",
  int64: "I64",
  int32: "I32",
  uint8: "U8",
  bool: "BOOL",
};
const bytesPerElement: Record<string, number> = { F32: 4, F64: 8, I64: 8, I32: 4, U8: 1, BOOL: 1 };
const dtypeFromCode: Record<string, DType> = { F32: "float32", F64: "float64", I64: "int64", I32: "int32", U8: "uint8", BOOL: "bool" };

// A header larger than this is taken as a corrupt file rather than read into memory.
const maxHeaderBytes = 100 * 2 ** 20;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Writes named tensors and string metadata to `file` as safetensors. */
export function saveSafetensors(file: string, tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): void {
  const header: Record<string, HeaderEntry | Record<string, string>> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, value] of tensors) {
    const code = dtypeCodes[value.dtype];
    if (!code) throw new TypeError(`saveSafetensors: tensor '${name}' has dtype ${value.dtype}, which this writer does not store`);
    const data = value.data();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: code, shape: value.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }

  // Pad the header with spaces so the data starts 8-byte aligned, as the format recommends.
  let headerText = JSON.stringify(header);
  headerText += " ".repeat((8 - ((8 + Buffer.byteLength(headerText)) % 8)) % 8);
  const headerBytes = Buffer.from(headerText, "utf8");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.byteLength));

  const temporary = `${file}.${process.pid}.tmp`;
  const descriptor = openSync(temporary, "w");
  try {
    try {
      writeSync(descriptor, length);
      writeSync(descriptor, headerBytes);
      for (const chunk of chunks) writeSync(descriptor, chunk);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, file);
  } catch (error) {
    // A failed write or rename (a full disk, a folder under the target name) leaves no temporary file behind.
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Reads a safetensors file; every problem with it throws one Error naming the file. */
export function loadSafetensors(file: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  const bytes = readFileSync(file);
  const fail = (problem: string): never => {
    throw new Error(`${file}: not a valid safetensors file: ${problem}`);
  };
  if (bytes.byteLength < 8) fail(`expected at least 8 bytes, found ${bytes.byteLength}`);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  if (headerLength > maxHeaderBytes || 8 + headerLength > bytes.byteLength) {
    fail(`header length ${headerLength} exceeds the file's ${bytes.byteLength} bytes`);
  }

  let header: Record<string, unknown>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, unknown>;
  } catch {
    return fail("the header is not JSON");
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;

  const tensors = new Map<string, Tensor>();
  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const entry = value as HeaderEntry;
    const dtype = dtypeFromCode[entry?.dtype];
    if (!dtype) fail(`tensor '${name}' has unsupported dtype ${String(entry?.dtype)}`);
    const [begin, end] = entry.data_offsets ?? [];
    const count = (entry.shape ?? []).reduce((product, size) => product * size, 1);
    if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && end <= dataLength && end - begin === count * bytesPerElement[entry.dtype])) {
      fail(`tensor '${name}' has byte range [${begin}, ${end}], which does not fit shape [${entry.shape}] of ${entry.dtype} within ${dataLength} data bytes`);
    }
    // Copy into a fresh, aligned buffer: the file's bytes need not be aligned for the element type.
    const copy = new Uint8Array(end - begin);
    copy.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, tensor(typedView(copy.buffer, dtype), { shape: entry.shape, dtype }));
  }
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  return { tensors, metadata };
}

function typedView(buffer: ArrayBuffer, dtype: DType): ArrayBufferView {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "int64":
      return new BigInt64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    default:
      return new Uint8Array(buffer);
  }
}
