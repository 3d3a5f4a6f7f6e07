import { describe, expect, it } from "vitest";
import { isOrderSensitive, orderSensitiveFilters } from "./pipeline";

/** MQTT topic-filter matching (MQTT 5 §4.7): "+" is exactly one level, "#" the rest. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let index = 0; index < f.length; index += 1) {
    if (f[index] === "#") return true;
    if (index >= t.length || (f[index] !== "+" && f[index] !== t[index])) return false;
  }
  return f.length === t.length;
}

describe("order-sensitive (shift) topics", () => {
  const topics = [
    "umh/v1/acme/_analytics/shift/add",
    "umh/v1/acme/detroit/assembly/line-a/press-1/_analytics/shift/delete",
    "umh/v1/acme/detroit/assembly/line-a/press-1/origin-7/_analytics/shift/add",
    "umh/v1/acme//assembly/_analytics/shift/add",
    "umh/v1/a/b/c/d/e/f/g/_analytics/shift/add", // seven levels: not a valid path, the UNS connection quarantines it
    "umh/v1/acme/detroit/_analytics/state",
    "umh/v1/acme/detroit/_historian",
    "umh/v1/acme/detroit/_analytics/shifty/add",
  ];

  it("are taken by exactly one connection: the ordered one when its filters match, else the shared UNS one", () => {
    for (const unsFilter of ["umh/v1/#", "umh/v1/acme/#", "umh/v1/acme/detroit/#"]) {
      const filters = orderSensitiveFilters(unsFilter);
      for (const topic of topics) {
        if (!matches(unsFilter, topic)) continue;
        const ordered = filters.some((filter) => matches(filter, topic));
        expect({ unsFilter, topic, ordered }).toEqual({ unsFilter, topic, ordered: isOrderSensitive(topic) });
      }
    }
  });

  it("cover every path depth from the filter's own down to six levels", () => {
    expect(orderSensitiveFilters("umh/v1/#")).toHaveLength(6);
    expect(orderSensitiveFilters("umh/v1/acme/detroit/#")).toEqual([
      "umh/v1/acme/detroit/_analytics/shift/#",
      "umh/v1/acme/detroit/+/_analytics/shift/#",
      "umh/v1/acme/detroit/+/+/_analytics/shift/#",
      "umh/v1/acme/detroit/+/+/+/_analytics/shift/#",
      "umh/v1/acme/detroit/+/+/+/+/_analytics/shift/#",
    ]);
  });
});
