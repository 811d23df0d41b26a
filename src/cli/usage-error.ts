// Command-line errors: a bad flag or value prints one line and exits with status 2.
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** Parses flags strictly; an unknown flag or a missing value becomes a UsageError. */
export function parseFlags<T extends FlagOptions>(
  args: string[],
  options: T,
  command: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // A value that starts with a dash (a negative number) reads as another option, so the message shows how to pass it.
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous/.exec((error as Error).message);
    if (ambiguous) {
      throw new UsageError(`${command}: ${ambiguous[1]} is missing its value, or the value starts with '-' and must be written ${ambiguous[1]}=VALUE`);
    }

    // Node's messages add advice about positionals after the first sentence; keep the first.
    const firstSentence = (error as Error).message.split(/\.\s/)[0].replace(/\.$/, "");
    throw new UsageError(`${command}: ${firstSentence}`);
  }
}

/** Reads a positive integer flag; undefined when the flag is absent. */
export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag} expects a positive integer, got '${value}'`);
  }
  return number;
}

/** Reads a non-negative integer flag (seeds). */
export function nonNegativeInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw new UsageError(`${flag} expects a non-negative integer, got '${value}'`);
  return number;
}

/** Reads a positive finite number flag (learning rates). */
export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) throw new UsageError(`${flag} expects a positive number, got '${value}'`);
  return number;
}

/** Reads a flag whose value must be one of `choices`. */
export function oneOf<C extends string>(value: string | undefined, choices: readonly C[], flag: string): C | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${flag} expects one of ${choices.join(", ")}, got '${value}'`);
  return value as C;
}
