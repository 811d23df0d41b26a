// A run folder (runs/PROFILE/NAME/) caches each finished part of an experiment as JSON, so a rerun skips
// finished parts and a killed run loses at most the part in progress. Parts that train long keep
// a per-epoch checkpoint beside them and resume from it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export class RunFolder {
  readonly root: string;
  /** Shared by a folder and its siblings, so one experiment's tally covers the trained nets it reads too. */
  private readonly tally: { seconds: number };

  constructor(root: string, tally = { seconds: 0 }) {
    this.root = path.resolve(root);
    this.tally = tally;
    mkdirSync(path.join(this.root, "parts"), { recursive: true });
  }

  /** Opens a run folder beside this one (runs/PROFILE/NAME/ -> runs/PROFILE/OTHER/) that adds to the same tally. */
  sibling(name: string): RunFolder {
    return new RunFolder(path.join(this.root, "..", name), this.tally);
  }

  /**
   * The seconds recorded by every part this folder and its siblings have handed out, reused or
   * not: the computation behind the result, where the wall time counts this run alone.
   */
  get partSeconds(): number {
    return this.tally.seconds;
  }

  /** File-system-safe form of a part key ("resnet-20/plain/seed-0" -> "resnet-20_plain_seed-0"). */
  static safeKey(key: string): string {
    return key.replace(/[^A-Za-z0-9._-]+/g, "_");
  }

  partPath(key: string): string {
    return path.join(this.root, "parts", `${RunFolder.safeKey(key)}.json`);
  }

  /** Where a part keeps its in-progress checkpoint. */
  checkpointPath(key: string): string {
    return path.join(this.root, "parts", `${RunFolder.safeKey(key)}.checkpoint.safetensors`);
  }

  /** A file path for extra artefacts of a part (trained weights), next to its JSON. */
  artefactPath(key: string, suffix: string): string {
    return path.join(this.root, "parts", `${RunFolder.safeKey(key)}.${suffix}`);
  }

  hasPart(key: string): boolean {
    return existsSync(this.partPath(key));
  }

  readPart<T>(key: string): T {
    const file = this.partPath(key);
    try {
      return JSON.parse(readFileSync(file, "utf8")) as T;
    } catch (error) {
      throw new Error(`run folder part ${file} is unreadable (${(error as Error).message}); delete it and the run computes that part again`);
    }
  }

  /**
   * Returns the cached value of a part, or computes it, saves it atomically and removes its
   * checkpoint. The cached JSON carries the seconds the computation took.
   */
  async part<T>(key: string, compute: () => Promise<T>): Promise<{ value: T; seconds: number; reused: boolean }> {
    if (this.hasPart(key)) {
      const saved = this.readPart<{ value: T; seconds: number }>(key);
      this.tally.seconds += saved.seconds;
      return { ...saved, reused: true };
    }
    const started = performance.now();
    const value = await compute();
    const seconds = (performance.now() - started) / 1000;
    this.tally.seconds += seconds;
    writeJsonAtomically(this.partPath(key), { value, seconds });
    rmSync(this.checkpointPath(key), { force: true });
    return { value, seconds, reused: false };
  }

  writeResult(value: unknown): string {
    const file = path.join(this.root, "result.json");
    writeJsonAtomically(file, value);
    return file;
  }
}

/** Writes JSON through a temporary file and a rename, so a crash never leaves half a file. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value, null, 2) + "\n");
  renameSync(temporary, file);
}
