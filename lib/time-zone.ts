const knownZones = new Map<string, boolean>();

/** Whether Intl knows this IANA zone (remembered; the cache is bounded because zones come from user input). */
export function isTimeZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      known = zone.length > 0;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(zone, known);
  }
  return known;
}
