"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { isApiError } from "@/lib/client/api";
import { FLAG_RULES, focusFirstInvalid, humanFieldErrors, schemaIssues } from "@/lib/client/field-errors";
import { flagDocumentSchema } from "@/lib/schemas/flags";
import { withEnvironment } from "@/lib/client/environment";
import { useCreateFlag } from "@/lib/client/hooks/flags";
import type { FlagKind } from "@/lib/client/types";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorPanel } from "../ui/error-panel";
import { Field, Input, Select } from "../ui/field";
import { draftToDocument, errorAt, newFlagDraft, serverPathErrors, type FlagDraft, type PathErrors } from "./flag-draft";
import styles from "./flags.module.css";
import { KIND_LABELS } from "./labels";
import { ServingFields } from "./serving-fields";
import { VariantsEditor, switchKind } from "./variants-editor";

const FORM_ID = "create-flag-form";
const FIELDS = ["key", "kind", "description", "variants", "defaultVariant", "fallbackVariant", "stickiness", "enabled"];

/** New flag: key, kind, variants, default/fallback, stickiness, enabled. Rules are added on the flag's page. */
export function CreateFlagDialog({ open, onClose, env, envName }: { open: boolean; onClose: () => void; env: string; envName: string }) {
  return (
    <Dialog open={open} onClose={onClose} title={`New flag in ${envName}`} description="A named decision your services ask Rollgate for. Targeting rules can be added once it exists." width={760}>
      <CreateFlagForm env={env} onClose={onClose} />
    </Dialog>
  );
}

function CreateFlagForm({ env, onClose }: { env: string; onClose: () => void }) {
  const router = useRouter();
  const create = useCreateFlag(env);
  const [draft, setDraft] = useState<FlagDraft>(() => newFlagDraft("model"));
  const [clientErrors, setClientErrors] = useState<PathErrors>({});
  const [serverErrors, setServerErrors] = useState<PathErrors>({});
  const formRef = useRef<HTMLFormElement>(null);

  const errors = { ...serverErrors, ...clientErrors };
  const error = create.error;
  const conflict = isApiError(error) && error.code === "conflict" ? error.problem.detail : undefined;
  // Field problems are shown at their fields; anything else (or a problem at no known field) here.
  const unplaced = Object.keys(serverErrors).some((path) => !FIELDS.some((f) => path === f || path.startsWith(`${f}.`)));
  const formLevelError = error && !conflict && (Object.keys(serverErrors).length === 0 || unplaced) ? error : null;

  function change(next: FlagDraft) {
    setDraft(next);
    setServerErrors({});
    if (Object.keys(clientErrors).length) setClientErrors(check(next));
  }

  /** The draft's own problems and the server's schema's, all at once, in words. */
  function check(next: FlagDraft): PathErrors {
    const { doc, errors: found } = draftToDocument(next);
    return { ...humanFieldErrors(schemaIssues(flagDocumentSchema, doc), FLAG_RULES), ...found };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const { doc } = draftToDocument(draft);
    const found = check(draft);
    setClientErrors(found);
    if (Object.keys(found).length) {
      focusFirstInvalid(formRef.current);
      return;
    }
    create.mutate(doc, {
      onSuccess: ({ flag }) => {
        onClose();
        router.push(withEnvironment(`/flags/${encodeURIComponent(flag.key)}`, env));
      },
      onError: (err) => {
        setServerErrors(isApiError(err) ? serverPathErrors(err.problem.details?.errors) : {});
        focusFirstInvalid(formRef.current);
      },
    });
  }

  return (
    <>
      <form ref={formRef} id={FORM_ID} className="form-stack" onSubmit={submit} noValidate style={{ maxHeight: "calc(100vh - 240px)", overflowY: "auto", margin: "0 -24px", padding: "2px 24px" }}>
        <div className={styles.settingsGrid}>
          <Field label="Key" error={errorAt(errors, "key") ?? conflict} hint="Lowercase: a-z, 0-9, '.', '_', '-'. Services ask for it by this name; it cannot change later.">
            {(p) => (
              <Input
                {...p}
                aria-label="Flag key"
                className="mono"
                value={draft.key}
                maxLength={128}
                spellCheck={false}
                autoComplete="off"
                placeholder="support-bot.model"
                // eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog's first field takes the focus when it opens
                autoFocus
                onChange={(e) => change({ ...draft, key: e.target.value })}
              />
            )}
          </Field>
          <Field label="Kind" error={errorAt(errors, "kind")} hint="Sets the payload template and how payloads are validated.">
            {(p) => (
              <Select {...p} value={draft.kind} onChange={(e) => change(switchKind(draft, e.target.value as FlagKind))}>
                {(Object.keys(KIND_LABELS) as FlagKind[]).map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]} {k === "model" ? "— provider, model, params" : k === "prompt" ? "— versioned template" : "— any JSON object"}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field className={styles.span2} label="Description (optional)" error={errorAt(errors, "description")}>
            {(p) => (
              <Input
                {...p}
                aria-label="Flag description"
                value={draft.description}
                maxLength={1000}
                placeholder="Model behind the support bot"
                onChange={(e) => change({ ...draft, description: e.target.value })}
              />
            )}
          </Field>
        </div>
        <fieldset className={styles.plain}>
          <legend className="field-label" style={{ marginBottom: 8 }}>
            Variants
          </legend>
          <VariantsEditor draft={draft} onChange={change} errors={errors} />
        </fieldset>
        <ServingFields draft={draft} onChange={change} errors={errors} />
        {Object.keys(clientErrors).length > 0 && (
          <div className="alert alert-danger" role="alert">
            Fix the fields marked above before creating the flag.
          </div>
        )}
        {formLevelError && <ErrorPanel error={formLevelError} compact />}
      </form>
      <div className="dialog-footer">
        <Button onClick={onClose} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" form={FORM_ID} variant="primary" loading={create.isPending} data-testid="create-flag-submit">
          Create flag
        </Button>
      </div>
    </>
  );
}
