import { z } from "zod";
import type { Role } from "../generated/prisma/enums";

/** viewer < supervisor < manager < admin; each role can do everything the ones below it can. */
export const roleOrder = ["VIEWER", "SUPERVISOR", "MANAGER", "ADMIN"] as const satisfies readonly Role[];

export const ZRole = z.enum(roleOrder);

export function hasRole(actual: Role, required: Role): boolean {
  return roleOrder.indexOf(actual) >= roleOrder.indexOf(required);
}
