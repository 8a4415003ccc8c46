"use client";
import { useRef, useState, type FormEvent } from "react";
import { isApiError } from "@/lib/client/api";
import { USER_RULES, focusFirstInvalid, humanFieldErrors, schemaIssues, topLevel } from "@/lib/client/field-errors";
import { createUserBodySchema } from "@/lib/schemas/users";
import { useCreateUser } from "@/lib/client/hooks/use-users";
import type { Role } from "@/lib/client/types";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { ErrorPanel } from "../../ui/error-panel";
import { CheckboxGroup, Field, Input } from "../../ui/field";
import { ROLE_OPTIONS } from "./roles";

const FORM_ID = "create-user-form";

/** Creates an account. Checked here with the server's schema, then by the server; every field error shows beside its field. */
export function CreateUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (email: string) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Create user" description="The person signs in with this email and password. You can change their roles later." width={520}>
      <CreateUserForm onClose={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

function CreateUserForm({ onClose, onCreated }: { onClose: () => void; onCreated: (email: string) => void }) {
  const create = useCreateUser();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [roles, setRoles] = useState<Role[]>(["viewer"]);
  const [password, setPassword] = useState("");

  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);

  const error = create.error;
  const fieldErrors = { ...(isApiError(error) ? error.fieldErrors(USER_RULES) : {}), ...clientErrors };
  // A duplicate email is a conflict, not a field-format problem, but it belongs next to the email.
  if (isApiError(error) && error.code === "conflict") fieldErrors.email ??= error.problem.detail;
  const formLevelError = error && Object.keys(fieldErrors).length === 0 ? error : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    // The server's schema, here first: every problem at once, each at its field.
    const found = topLevel(humanFieldErrors(schemaIssues(createUserBodySchema, { email, name, roles, password }), USER_RULES));
    setClientErrors(found);
    if (Object.keys(found).length) {
      create.reset();
      focusFirstInvalid(formRef.current);
      return;
    }
    create.mutate(
      { email, name, roles, password },
      {
        onSuccess: (user) => {
          onCreated(user.email);
          onClose();
        },
        onError: () => focusFirstInvalid(formRef.current),
      },
    );
  }

  return (
    <>
      <form ref={formRef} id={FORM_ID} className="form-stack" onSubmit={submit} noValidate>
        <Field label="Email" error={fieldErrors.email}>
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog's first field takes the focus when it opens */}
          {(p) => <Input {...p} type="email" name="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />}
        </Field>
        <Field label="Name" error={fieldErrors.name}>
          {(p) => <Input {...p} name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <CheckboxGroup legend="Roles" options={ROLE_OPTIONS} value={roles} onChange={setRoles} error={fieldErrors.roles} />
        <Field label="Initial password" hint="At least 12 characters. Pass it on through a channel you trust." error={fieldErrors.password}>
          {(p) => <Input {...p} type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        {formLevelError && <ErrorPanel error={formLevelError} compact />}
      </form>
      <div className="dialog-footer">
        <Button onClick={onClose} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" form={FORM_ID} variant="primary" loading={create.isPending}>
          Create user
        </Button>
      </div>
    </>
  );
}
