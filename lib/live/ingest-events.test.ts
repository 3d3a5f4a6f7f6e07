import { describe, expect, it } from "vitest";
import { parseNotice } from "./ingest-events";

const assetId = "3cb79dcd-ad61-4a6f-bb4f-4c60ad17b2d2";

describe("parseNotice", () => {
  it("reads what the ingest worker sends, and nothing more", () => {
    expect(parseNotice(JSON.stringify({ assetIds: [assetId], at: "2026-11-25T06:00:00.000Z", extra: "<script>" }))).toEqual({
      assetIds: [assetId],
      at: "2026-11-25T06:00:00.000Z",
    });
  });

  it.each([
    ["no payload", undefined],
    ["not JSON", "garbage"],
    ["a JSON string", JSON.stringify("x")],
    ["an id that is not a uuid", JSON.stringify({ assetIds: ["press-1"], at: "2026-11-25T06:00:00Z" })],
    ["no time", JSON.stringify({ assetIds: [assetId] })],
    ["a time without a zone", JSON.stringify({ assetIds: [assetId], at: "2026-11-25T06:00:00" })],
  ])("ignores %s", (_, payload) => {
    expect(parseNotice(payload)).toBeNull();
  });
});
