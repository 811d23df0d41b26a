import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { accuracy, CSVLogger, csvLine, Learner } from "../../src/learner/index.js";
import { csvField } from "../../src/learner/csv-logger.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

function withFolder(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), "residual-lab-test-"));
  return body(folder).finally(() => rmSync(folder, { recursive: true, force: true }));
}

test("csv logger writes one line per epoch", () =>
  withFolder(async (folder) => {
    const file = path.join(folder, "logs", "history.csv");
    const learn = new Learner(mnistLoaders(64, 32), smallNet(), { metrics: [accuracy], logger: silent, callbacks: [new CSVLogger(file)] });
    await learn.fit(2);

    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[0], "epoch,train_loss,valid_loss,accuracy,time");
    learn.recorder.rows.forEach((row, i) => {
      const cells = lines[i + 1].split(",");
      assert.equal(Number(cells[0]), row.epoch);
      assert.equal(Number(cells[1]), row.trainLoss);
      assert.equal(Number(cells[2]), row.validLoss);
      assert.equal(Number(cells[3]), row.metrics.accuracy);
      assert.match(cells[4], /^\d\d:\d\d$/);
    });
  }));

test("csv logger appends or replaces", () =>
  withFolder(async (folder) => {
    const file = path.join(folder, "history.csv");
    const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
    await learn.fit(1, undefined, { callbacks: [new CSVLogger(file)] });
    await learn.fit(1, undefined, { callbacks: [new CSVLogger(file, { append: true })] });
    assert.equal(readFileSync(file, "utf8").trimEnd().split("\n").length, 4, "appended a header and a row");

    // Replacing writes the rows the recorder contains already (a resumed run's), then the new one.
    await learn.fit(1, undefined, { callbacks: [new CSVLogger(file)] });
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 1 + learn.recorder.rows.length);
  }));

test("csv fields are quoted when needed", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField('a,"b"'), '"a,""b"""');
  assert.equal(csvLine({ epoch: 1, trainLoss: 0.5, validLoss: 0.25, metrics: { "f1,macro": 0.9 }, seconds: 61 }, ["epoch", "train_loss", "f1,macro", "time"]), "1,0.5,0.9,01:01");
});
