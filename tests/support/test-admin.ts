/** The admin that `npm test` seeds into its fresh database (never used outside tests). */
export const testAdmin = { email: "admin@shopfloor.test", password: "test-admin-password-0" };
