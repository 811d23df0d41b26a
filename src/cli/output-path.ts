// Output files named by flags are checked before any training, so a path that cannot be written
// fails in the first second instead of after the epochs it was meant to save.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./usage-error.js";

/** Throws a UsageError when `file` is a folder or sits below an existing file. */
export function checkOutputFile(file: string | undefined, flag: string): void {
  if (file === undefined) return;
  if (file === "") throw new UsageError(`${flag} needs a file path, got an empty string`);
  const resolved = path.resolve(file);
  if (existsSync(resolved) && statSync(resolved).isDirectory()) {
    throw new UsageError(`${flag}: ${file} is a folder; give a file path`);
  }

  let ancestor = path.dirname(resolved);
  while (!existsSync(ancestor)) ancestor = path.dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) {
    throw new UsageError(`${flag}: ${ancestor} is a file, so ${file} cannot be written`);
  }
}
