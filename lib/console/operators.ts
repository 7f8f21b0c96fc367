/**
 * Console operators: accounts, roles, sign-in with lock-out. Every change is written to the
 * audit log in the same transaction, with who made it (`operator:<email>` or `cli`).
 */
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { apiError, apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { validateBody } from "@/lib/http/parse";
import {
  decoyHash,
  generatePassword,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  passwordProblem,
  verifyPassword,
} from "@/lib/console/passwords";

export const OPERATOR_ROLES = ["admin", "viewer"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Wrong passwords in a row before the account locks, and for how long. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_SECONDS = 15 * 60;

export interface OperatorSummary {
  id: string;
  email: string;
  role: OperatorRole;
  createdAt: Date;
  lockedUntil: Date | null;
}

const summary = {
  id: true,
  email: true,
  role: true,
  createdAt: true,
  lockedUntil: true,
} as const satisfies Prisma.OperatorSelect;

export const operatorEmail = z
  .string()
  .trim()
  .max(254)
  .email("must be an email address")
  .transform((e) => e.toLowerCase());

export const createOperatorRequest = z.strictObject({
  email: operatorEmail,
  role: z.enum(OPERATOR_ROLES),
  /** Omitted: a one-time password is generated and returned once. */
  password: z.string().max(MAX_PASSWORD_LENGTH).optional(),
});
export type CreateOperatorRequest = z.input<typeof createOperatorRequest>;

export const updateOperatorRequest = z.strictObject({ role: z.enum(OPERATOR_ROLES) });

export function operatorActor(email: string): string {
  return `operator:${email}`;
}

function asSummary(row: { role: string } & Omit<OperatorSummary, "role">): OperatorSummary {
  return { ...row, role: row.role as OperatorRole };
}

export async function countOperators(): Promise<number> {
  return getDb().prisma.operator.count();
}

export async function createOperator(
  raw: CreateOperatorRequest,
  actor: string,
): Promise<{ operator: OperatorSummary; password: string; generated: boolean }> {
  const input = validateBody(createOperatorRequest, raw);
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  const problem = generated ? null : passwordProblem(password);
  if (problem) throw apiErrors.validation([{ field: "password", message: problem }]);
  const passwordHash = await hashPassword(password);
  try {
    const operator = await getDb().prisma.$transaction(async (tx) => {
      const row = await tx.operator.create({
        data: { id: newId("opr"), email: input.email, role: input.role, passwordHash },
        select: summary,
      });
      await recordAudit(tx, {
        actor,
        action: "operator.created",
        targetType: "operator",
        targetId: row.id,
        details: { email: row.email, role: row.role },
      });
      return row;
    });
    return { operator: asSummary(operator), password, generated };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw apiErrors.conflict(`An operator with the email ${input.email} already exists`, {
        fields: [{ field: "email", message: "is already an operator" }],
      });
    throw err;
  }
}

export async function listOperators(): Promise<OperatorSummary[]> {
  const rows = await getDb().prisma.operator.findMany({
    select: summary,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(asSummary);
}

/** The last admin can be neither demoted nor removed: the console would have no one to run it. */
async function assertAnotherAdmin(tx: Prisma.TransactionClient, id: string): Promise<void> {
  const others = await tx.operator.count({ where: { role: "admin", id: { not: id } } });
  if (others === 0) throw apiErrors.conflict("This is the last admin: make another admin first");
}

export async function updateOperatorRole(
  id: string,
  role: OperatorRole,
  actor: string,
): Promise<OperatorSummary> {
  return getDb().prisma.$transaction(async (tx) => {
    // Locks the admin rows so two concurrent demotions cannot leave none.
    await tx.$queryRaw`SELECT id FROM operators WHERE role = 'admin' FOR UPDATE`;
    const existing = await tx.operator.findUnique({ where: { id }, select: summary });
    if (!existing) throw apiErrors.notFound(`Operator ${id}`);
    if (existing.role === role) return asSummary(existing);
    if (existing.role === "admin") await assertAnotherAdmin(tx, id);
    const row = await tx.operator.update({ where: { id }, data: { role }, select: summary });
    await recordAudit(tx, {
      actor,
      action: "operator.role_changed",
      targetType: "operator",
      targetId: id,
      details: { email: row.email, from: existing.role, to: role },
    });
    return asSummary(row);
  });
}

/** Removes the operator and, by cascade, their sessions (signed out everywhere at once). */
export async function deleteOperator(id: string, actor: string): Promise<void> {
  await getDb().prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM operators WHERE role = 'admin' FOR UPDATE`;
    const existing = await tx.operator.findUnique({ where: { id }, select: summary });
    if (!existing) throw apiErrors.notFound(`Operator ${id}`);
    if (existing.role === "admin") await assertAnotherAdmin(tx, id);
    await tx.operator.delete({ where: { id } });
    await recordAudit(tx, {
      actor,
      action: "operator.deleted",
      targetType: "operator",
      targetId: id,
      details: { email: existing.email, role: existing.role },
    });
  });
}

/**
 * Checks an email and password. Unknown emails and wrong passwords get the same 401 after the
 * same work; `LOCK_AFTER_FAILURES` wrong passwords in a row lock the account for
 * `LOCK_SECONDS` (423 `account_locked`, even with the right password). Failures are audited.
 */
export async function authenticateOperator(
  email: string,
  password: string,
  now = new Date(),
): Promise<OperatorSummary> {
  const { prisma } = getDb();
  const normalized = email.trim().toLowerCase();
  const row = await prisma.operator.findUnique({ where: { email: normalized } });
  const ok = await verifyPassword(password, row?.passwordHash ?? (await decoyHash()));
  const refused = () => apiErrors.unauthorized("Wrong email or password");
  if (!row) throw refused();
  if (row.lockedUntil && row.lockedUntil > now) {
    const retry = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
    throw apiError(
      "account_locked",
      `Too many wrong passwords: this account is locked for ${Math.ceil(retry / 60)} more minute(s)`,
      { retry_after_seconds: retry },
    );
  }
  if (!ok) {
    await prisma.$transaction(async (tx) => {
      const [updated] = await tx.$queryRaw<{ failed_logins: number }[]>`
        UPDATE operators SET failed_logins = failed_logins + 1, updated_at = now()
        WHERE id = ${row.id} RETURNING failed_logins`;
      const failures = updated?.failed_logins ?? 0;
      const locks = failures >= LOCK_AFTER_FAILURES;
      if (locks)
        await tx.operator.update({
          where: { id: row.id },
          data: { lockedUntil: new Date(now.getTime() + LOCK_SECONDS * 1000), failedLogins: 0 },
        });
      await recordAudit(tx, {
        actor: operatorActor(row.email),
        action: locks ? "operator.locked" : "operator.sign_in_failed",
        targetType: "operator",
        targetId: row.id,
        details: { failures },
      });
    });
    throw refused();
  }
  if (row.failedLogins || row.lockedUntil)
    await prisma.operator.update({
      where: { id: row.id },
      data: { failedLogins: 0, lockedUntil: null },
    });
  return asSummary({ ...row, lockedUntil: null });
}
