import assert from "node:assert/strict";
import { test } from "node:test";

import { UploadQueue } from "../../static/js/upload/queue.js";
import { Cancelled, runPool } from "../../static/js/upload/transfer.js";

/** An upload that runs until finish() is called. */
function fakeUpload(name, log) {
  let finish;
  return {
    name,
    finish: () => finish(),
    run() {
      log.push(name);
      return new Promise((resolve) => {
        finish = resolve;
      });
    },
  };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("UploadQueue runs a few at once and starts the next as one ends", async () => {
  const started = [];
  const queue = new UploadQueue(2);
  const [a, b, c, d] = ["a", "b", "c", "d"].map((n) => fakeUpload(n, started));
  for (const upload of [a, b, c, d]) queue.push(upload);
  assert.deepEqual(started, [], "nothing starts before pump()");
  queue.pump();
  assert.deepEqual(started, ["a", "b"]);
  queue.remove(c); // cancelled while waiting
  b.finish();
  await tick();
  assert.deepEqual(started, ["a", "b", "d"]);
  assert.equal(queue.active.size, 2);
});

test("runPool sends every item with at most `size` in flight", async () => {
  const todo = [1, 2, 3, 4, 5];
  const done = [];
  let inFlight = 0;
  let most = 0;
  await runPool(todo, 2, async (n) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await tick();
    done.push(n);
    inFlight -= 1;
  });
  assert.deepEqual(done.sort(), [1, 2, 3, 4, 5]);
  assert.equal(most, 2);
  assert.deepEqual(todo, []);
});

test("runPool stops at the first failure and leaves nothing to do", async () => {
  const todo = [1, 2, 3, 4, 5, 6];
  const done = [];
  await assert.rejects(
    runPool(todo, 2, async (n) => {
      await tick();
      if (n === 2) throw new Cancelled();
      done.push(n);
    }),
    Cancelled,
  );
  assert.deepEqual(todo, []);
  await tick();
  assert.ok(!done.includes(5) && !done.includes(6), "no new item starts after the failure");
});

test("runPool with nothing to do resolves at once", async () => {
  await runPool([], 4, async () => assert.fail("no work expected"));
});
