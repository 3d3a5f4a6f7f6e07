/** The admin area's sections, in the order an admin sets a plant up; each is a page under /admin. */
export const adminSections = [
  { href: "/admin/assets", label: "Assets" },
  { href: "/admin/types", label: "Asset types" },
  { href: "/admin/topics", label: "Topics" },
  { href: "/admin/shifts", label: "Shift calendars" },
  { href: "/admin/product-types", label: "Product types" },
  { href: "/admin/reason-codes", label: "Reason codes" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "API tokens" },
  { href: "/admin/audit", label: "Audit log" },
] as const;
