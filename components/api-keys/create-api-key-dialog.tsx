"use client";
import { useEffect, useRef, useState } from "react";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/domain/auth/permissions";
import { isApiError } from "@/lib/client/api";
import { API_KEY_RULES, focusFirstInvalid, humanFieldErrors, schemaIssues, topLevel } from "@/lib/client/field-errors";
import { useCreateApiKey, type CreatedApiKey } from "@/lib/client/hooks/api-keys";
import { createApiKeyBodySchema, DEFAULT_API_KEY_RATE_LIMIT, MAX_API_KEY_NAME_CHARS, MAX_API_KEY_RATE_LIMIT, MIN_API_KEY_RATE_LIMIT } from "@/lib/schemas/api-keys";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorPanel } from "../ui/error-panel";
import { CheckboxGroup, Field, Input } from "../ui/field";
import { SCOPE_INFO } from "./scopes";
import styles from "./api-keys.module.css";

/** "" → the default; otherwise an integer in range, or what to fix. */
function parseRateLimit(text: string): { value?: number; error?: string } {
  if (text.trim() === "") return {};
  const value = Number(text);
  if (!Number.isInteger(value) || value < MIN_API_KEY_RATE_LIMIT || value > MAX_API_KEY_RATE_LIMIT) {
    return { error: `The rate limit must be a whole number from ${MIN_API_KEY_RATE_LIMIT} to ${MAX_API_KEY_RATE_LIMIT.toLocaleString("en-US")} requests per second.` };
  }
  return { value };
}

/**
 * Creates a key in the environment the switcher shows. On success the dialog closes and hands the
 * answer (with the key, shown once) to `onCreated`.
 */
export function CreateApiKeyDialog({
  open,
  environment,
  environmentName,
  onClose,
  onCreated,
}: {
  open: boolean;
  environment: string;
  environmentName: string;
  onClose: () => void;
  onCreated: (created: CreatedApiKey) => void;
}) {
  const create = useCreateApiKey();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["evaluate"]);
  const [rateLimit, setRateLimit] = useState(String(DEFAULT_API_KEY_RATE_LIMIT));
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    create.reset();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- resets the form each time the dialog opens (its state lives above the dialog's content)
    setName("");
    setScopes(["evaluate"]);
    setRateLimit(String(DEFAULT_API_KEY_RATE_LIMIT));
    setTried(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the dialog opens, not when the mutation object changes
  }, [open]);

  const serverErrors = isApiError(create.error) ? create.error.fieldErrors(API_KEY_RULES) : {};
  const limit = parseRateLimit(rateLimit);
  const body = { environment, name: name.trim(), scopes, ...(limit.value !== undefined ? { rateLimitPerSecond: limit.value } : {}) };
  // The server's schema, checked here: scopes at once (unticking the last is the common slip), the rest after a first try.
  const clientErrors = topLevel(humanFieldErrors(schemaIssues(createApiKeyBodySchema, body), API_KEY_RULES));
  const errors: Record<string, string | undefined> = {
    name: tried ? clientErrors.name : undefined,
    scopes: clientErrors.scopes,
    rateLimitPerSecond: limit.error ?? (tried ? clientErrors.rateLimitPerSecond : undefined),
  };
  const ownErrors = Object.values(errors).some(Boolean);

  async function save() {
    setTried(true);
    if (Object.keys(clientErrors).length || limit.error) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const created = await create.mutateAsync(body).catch(() => null);
    if (created) {
      onClose();
      onCreated(created);
    }
  }

  return (
    <Dialog
      open={open}
      onClose={create.isPending ? () => undefined : onClose}
      title="Create API key"
      description={
        <>
          For <strong>{environmentName}</strong> only; switch the environment at the top to create a key elsewhere. The key is shown once, after creating.
        </>
      }
      width={560}
      footer={
        <>
          <Button onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button variant="primary" onClick={save} loading={create.isPending} data-testid="api-key-save">
            Create key
          </Button>
        </>
      }
    >
      <div className="form-stack" ref={formRef}>
        <Field label="Name" error={errors.name ?? serverErrors.name} hint="Who uses it, e.g. the service's name. Shown in the audit log as the actor.">
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog's first field takes the focus when it opens */}
          {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="checkout-service (production)" maxLength={MAX_API_KEY_NAME_CHARS} autoFocus />}
        </Field>
        <CheckboxGroup
          legend="Scopes"
          options={API_KEY_SCOPES.map((s) => ({ value: s, label: <code>{SCOPE_INFO[s].label}</code>, description: SCOPE_INFO[s].description }))}
          value={scopes}
          onChange={setScopes}
          error={errors.scopes ?? serverErrors.scopes}
          hint="At least one. Give each service only what it needs."
        />
        <div className={styles.fieldRow}>
          <Field
            label="Rate limit (requests per second)"
            error={errors.rateLimitPerSecond ?? serverErrors.rateLimitPerSecond}
            hint={`Per key, on every service endpoint; over it, requests get 429. Blank: ${DEFAULT_API_KEY_RATE_LIMIT.toLocaleString("en-US")}.`}
          >
            {(p) => (
              <Input {...p} type="number" inputMode="numeric" min={MIN_API_KEY_RATE_LIMIT} max={MAX_API_KEY_RATE_LIMIT} step={1} value={rateLimit} onChange={(e) => setRateLimit(e.target.value)} />
            )}
          </Field>
          <Field label="Environment" error={serverErrors.environment}>
            {(p) => <Input {...p} value={`${environmentName} (${environment})`} readOnly disabled />}
          </Field>
        </div>
        {create.isError && !ownErrors && Object.keys(serverErrors).length === 0 && <ErrorPanel error={create.error} compact />}
      </div>
    </Dialog>
  );
}
