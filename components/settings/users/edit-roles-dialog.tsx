"use client";
import { useState } from "react";
import { isApiError } from "@/lib/client/api";
import { USER_RULES } from "@/lib/client/field-errors";
import { useUpdateUser } from "@/lib/client/hooks/use-users";
import type { Role, User } from "@/lib/client/types";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { ErrorPanel } from "../../ui/error-panel";
import { CheckboxGroup } from "../../ui/field";
import { ROLE_OPTIONS } from "./roles";

/** Changes one user's roles; takes effect on their next request. */
export function EditRolesDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Dialog
      open={user !== null}
      onClose={onClose}
      title="Change roles"
      description={
        user ? (
          <>
            For <strong>{user.email}</strong>. The change applies to their very next request.
          </>
        ) : undefined
      }
    >
      {user && <EditRolesForm user={user} onClose={onClose} />}
    </Dialog>
  );
}

function EditRolesForm({ user, onClose }: { user: User; onClose: () => void }) {
  const update = useUpdateUser();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const fieldErrors = isApiError(update.error) ? update.error.fieldErrors(USER_RULES) : {};
  const unchanged = roles.length === user.roles.length && roles.every((r) => user.roles.includes(r));

  return (
    <>
      <CheckboxGroup legend="Roles" options={ROLE_OPTIONS} value={roles} onChange={setRoles} error={fieldErrors.roles} />
      {update.error && !fieldErrors.roles && <ErrorPanel error={update.error} compact />}
      <div className="dialog-footer">
        <Button onClick={onClose} disabled={update.isPending}>
          Cancel
        </Button>
        <Button variant="primary" loading={update.isPending} disabled={unchanged} onClick={() => update.mutate({ id: user.id, roles }, { onSuccess: onClose })}>
          Save roles
        </Button>
      </div>
    </>
  );
}
