import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { ApiError, api, errorMessage, request } from "../../static/js/lib/http.js";

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

function answer(status, body, seen = []) {
  globalThis.fetch = async (url, init) => {
    seen.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return seen;
}

test("errorMessage prefers the server's words", () => {
  assert.equal(errorMessage(422, { error: { message: "Too long." } }), "Too long.");
  assert.match(errorMessage(401, null), /Sign in again/);
  assert.match(errorMessage(0), /Could not reach Debrief/);
  assert.match(errorMessage(503, {}), /answered 503/);
});

test("api sends JSON with the CSRF header on writes", async () => {
  const seen = answer(201, { id: 7 });
  assert.deepEqual(await api("POST", "/api/v1/videos", { title: "x" }), { id: 7 });
  const { init } = seen[0];
  assert.equal(init.method, "POST");
  assert.equal(init.body, '{"title":"x"}');
  assert.equal(init.headers["Content-Type"], "application/json");
  assert.ok("X-CSRFToken" in init.headers);
  assert.equal(init.credentials, "same-origin");
});

test("a GET carries no CSRF header and a 204 answers null", async () => {
  const seen = answer(204);
  assert.equal(await api("GET", "/x"), null);
  assert.ok(!("X-CSRFToken" in seen[0].init.headers));
});

test("a failed response throws ApiError with status and message", async () => {
  answer(404, { error: { code: "not_found", message: "Not found." } });
  await assert.rejects(api("GET", "/x"), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 404);
    assert.equal(err.message, "Not found.");
    return true;
  });
});

test("a network failure throws ApiError with status 0", async () => {
  globalThis.fetch = async () => {
    throw new TypeError("offline");
  };
  await assert.rejects(request("GET", "/x"), (err) => err.status === 0);
});

test("a Blob body goes as it is, and `as` picks how the answer is read", async () => {
  const seen = [];
  globalThis.fetch = async (url, init) => {
    seen.push(init);
    return new Response("WEBVTT\n", { status: 200 });
  };
  const blob = new Blob(["WEBVTT"], { type: "text/vtt" });
  assert.equal(await request("PUT", "/c", { body: blob, as: "none" }), null);
  assert.equal(seen[0].body, blob);
  assert.ok(!("Content-Type" in seen[0].headers));
  assert.equal(await request("GET", "/c", { as: "text" }), "WEBVTT\n");
});
