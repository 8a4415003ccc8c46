"use client";
import Link from "next/link";
import { useState } from "react";
import { api } from "@/lib/client/api";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatDateTime, formatShortDateTime } from "@/lib/client/format";
import { useUpdateUser, useUsers } from "@/lib/client/hooks/use-users";
import type { User } from "@/lib/client/types";
import { Badge, RoleBadges } from "../../ui/badge";
import { Button } from "../../ui/button";
import { Card } from "../../ui/card";
import { ConfirmDialog } from "../../ui/dialog";
import { EmptyState } from "../../ui/empty-state";
import { ErrorPanel } from "../../ui/error-panel";
import { IconPlus, IconUsers } from "../../ui/icons";
import { PageHeader } from "../../ui/page-header";
import { SkeletonRows } from "../../ui/skeleton";
import { Table, Td, Th } from "../../ui/table";
import { CreateUserDialog } from "./create-user-dialog";
import { EditRolesDialog } from "./edit-roles-dialog";
import { useTransientNotice } from "@/lib/client/hooks/use-notice";

/** Settings → Users: the account list with create, change roles, sign out everywhere and (de)activate. */
export function UsersClient({ currentUserId }: { currentUserId: string }) {
  const env = useEnvironmentKey();
  const users = useUsers();
  const update = useUpdateUser();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [toggling, setToggling] = useState<User | null>(null);
  const [signingOut, setSigningOut] = useState<User | null>(null);
  const [notice, setNotice] = useTransientNotice();

  return (
    <>
      <PageHeader
        eyebrow={
          <Link className="link" href={withEnvironment("/settings", env)}>
            Settings
          </Link>
        }
        title="Users"
        description="Accounts that can sign in to Rollgate and what their roles allow. Every change here is written to the audit log."
        actions={
          <Button variant="primary" icon={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            Create user
          </Button>
        }
      />
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}

      <Card>
        {users.isPending ? (
          <div className="pad">
            <SkeletonRows rows={4} columns={5} />
          </div>
        ) : users.isError ? (
          <div className="pad">
            <ErrorPanel error={users.error} onRetry={() => void users.refetch()} />
          </div>
        ) : users.data.length === 0 ? (
          <EmptyState icon={<IconUsers size={22} />} title="No users yet">
            Create the first account; the person can sign in as soon as you share the password.
          </EmptyState>
        ) : (
          <Table data-testid="users-table" label="Users">
            <thead>
              <tr>
                <Th>User</Th>
                <Th>Roles</Th>
                <Th>Status</Th>
                <Th>Last sign-in</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => {
                const self = u.id === currentUserId;
                return (
                  <tr key={u.id} data-testid="user-row" data-email={u.email} data-user-id={u.id}>
                    <Td>
                      <span className="cell-stack">
                        <span className="cell-strong">
                          {u.name} {self && <Badge tone="accent">You</Badge>}
                        </span>
                        <span className="muted">{u.email}</span>
                      </span>
                    </Td>
                    <Td>
                      <RoleBadges roles={u.roles} />
                    </Td>
                    <Td>{u.active ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Deactivated</Badge>}</Td>
                    <Td className="nowrap muted">
                      {u.lastLoginAt ? (
                        <time dateTime={u.lastLoginAt} title={formatDateTime(u.lastLoginAt)}>
                          {formatShortDateTime(u.lastLoginAt)}
                        </time>
                      ) : (
                        "Never"
                      )}
                    </Td>
                    <Td className="row-actions">
                      <Button size="sm" variant="ghost" onClick={() => setEditing(u)} aria-label={`Change roles of ${u.email}`}>
                        Change roles
                      </Button>
                      {!self && u.active && (
                        <Button size="sm" variant="ghost" onClick={() => setSigningOut(u)} aria-label={`Sign ${u.email} out everywhere`}>
                          Sign out everywhere
                        </Button>
                      )}
                      {!self && (
                        <Button
                          size="sm"
                          variant="ghost"
                          className={u.active ? "text-danger" : undefined}
                          onClick={() => setToggling(u)}
                          aria-label={`${u.active ? "Deactivate" : "Reactivate"} ${u.email}`}
                        >
                          {u.active ? "Deactivate" : "Reactivate"}
                        </Button>
                      )}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </Card>

      <CreateUserDialog open={creating} onClose={() => setCreating(false)} onCreated={(email) => setNotice(`Created ${email}. They can sign in now with the password you set.`)} />
      <EditRolesDialog user={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={signingOut !== null}
        onClose={() => setSigningOut(null)}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        tone="danger"
        onConfirm={async () => {
          if (!signingOut) return;
          const result = await api.delete<{ sessionsRevoked: number }>(`/api/v1/users/${encodeURIComponent(signingOut.id)}/sessions`);
          setNotice(`${signingOut.email} is signed out of ${result.sessionsRevoked} session${result.sessionsRevoked === 1 ? "" : "s"}.`);
        }}
      >
        {signingOut && (
          <p>
            Every browser <strong>{signingOut.email}</strong> is signed in with is signed out at once. They can sign in again with their password.
          </p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={toggling !== null}
        onClose={() => setToggling(null)}
        title={toggling?.active ? "Deactivate user?" : "Reactivate user?"}
        confirmLabel={toggling?.active ? "Deactivate" : "Reactivate"}
        tone={toggling?.active ? "danger" : "primary"}
        onConfirm={async () => {
          if (!toggling) return;
          const user = await update.mutateAsync({ id: toggling.id, active: !toggling.active });
          setNotice(`${user.email} is now ${user.active ? "active" : "deactivated"}.`);
        }}
      >
        {toggling?.active ? (
          <p>
            <strong>{toggling.email}</strong> will be signed out at once and cannot sign in until reactivated. Their audit history stays.
          </p>
        ) : toggling ? (
          <p>
            <strong>{toggling.email}</strong> will be able to sign in again with their existing password and roles.
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
