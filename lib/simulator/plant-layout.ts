import { demoPlant } from "../seed/demo-plant";

/** Which machines the simulator runs: the seeded demo plant plus optional generated extras. */

export type TMachineKind = "press" | "cnc" | "station" | "generic";
export type TProduct = { id: string; cycleTimeMs: number };
export type TMachineSpec = {
  /** Position in the plant; also orders events that share a timestamp. */
  index: number;
  /** Asset path, e.g. acme/detroit/press-shop/line-1/press-2. */
  path: string;
  slug: string;
  kind: TMachineKind;
  products: readonly TProduct[];
};

/** Ideal cycle times per product; a line alternates between its products from order to order. */
export const productsByKind: Record<TMachineKind, readonly TProduct[]> = {
  press: [{ id: "P-100", cycleTimeMs: 2_000 }, { id: "P-110", cycleTimeMs: 2_500 }],
  cnc: [{ id: "C-200", cycleTimeMs: 45_000 }, { id: "C-210", cycleTimeMs: 60_000 }],
  station: [{ id: "A-300", cycleTimeMs: 12_000 }, { id: "A-310", cycleTimeMs: 15_000 }],
  generic: [{ id: "X-500", cycleTimeMs: 5_000 }, { id: "X-510", cycleTimeMs: 6_000 }],
};

const kindByAssetType: Record<string, TMachineKind> = { "stamping-press": "press", "cnc-mill": "cnc", "assembly-station": "station" };

/** Where --machines puts the generated machines. */
export const extraLinePath = "acme/detroit/extra/line-x";

type TAssetNode = { slug: string; level: string; type?: string; timeZone?: string; children?: TAssetNode[] };

export function demoMachines(): TMachineSpec[] {
  const machines: TMachineSpec[] = [];
  const visit = (node: TAssetNode, parentPath: string) => {
    const path = parentPath ? `${parentPath}/${node.slug}` : node.slug;
    const kind = node.type ? kindByAssetType[node.type] : undefined;
    if (node.level === "WORK_CELL" && kind) machines.push({ index: machines.length, path, slug: node.slug, kind, products: productsByKind[kind] });
    for (const child of node.children ?? []) visit(child, path);
  };
  visit(demoPlant, "");
  return machines;
}

export function plantMachines(extraMachines: number): TMachineSpec[] {
  const machines = demoMachines();
  for (let k = 1; k <= extraMachines; k += 1) {
    const slug = `machine-${k}`;
    machines.push({ index: machines.length, path: `${extraLinePath}/${slug}`, slug, kind: "generic", products: productsByKind.generic });
  }
  return machines;
}

/** The demo site's time zone (shifts are local wall-clock times there). */
export function demoTimeZone(): string {
  const site = demoPlant.children?.find((child) => child.level === "SITE");
  return site?.timeZone ?? "UTC";
}
