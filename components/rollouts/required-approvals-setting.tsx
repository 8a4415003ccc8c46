"use client";
import { useEffect, useState } from "react";
import { useRequiredApprovals, useSetRequiredApprovals } from "@/lib/client/hooks/rollouts";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { ErrorPanel } from "../ui/error-panel";
import { Field, Select } from "../ui/field";
import styles from "./rollouts.module.css";

/** The admin policy: how many distinct reviewers a gated stage needs in new rollouts. */
export function RequiredApprovalsSetting({ canEdit }: { canEdit: boolean }) {
  const current = useRequiredApprovals();
  const save = useSetRequiredApprovals();
  const [value, setValue] = useState<number | null>(null);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the saved value arrives once the query answers, and only fills an untouched field
    if (current.data !== undefined && value === null) setValue(current.data);
  }, [current.data, value]);

  return (
    <Card>
      <CardHeader
        title="Approval policy"
        description="Distinct reviewers needed to leave a stage marked “requires approval”, copied into each rollout when it is created. Nobody may approve a promotion they requested."
      />
      <CardBody>
        {current.isError ? (
          <ErrorPanel error={current.error} compact />
        ) : !canEdit ? (
          <p className="small">
            New rollouts need <strong>{current.data ?? "…"}</strong> approval{current.data === 1 ? "" : "s"} per gated stage. Only admins can change this.
          </p>
        ) : (
          <div className={styles.row}>
            <Field label="Approvals per gated stage">
              {(p) => (
                <Select {...p} value={value ?? ""} onChange={(e) => setValue(Number(e.target.value))} data-testid="required-approvals">
                  {[1, 2, 3, 4, 5].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button variant="primary" loading={save.isPending} disabled={value === null || value === current.data} onClick={() => value && save.mutate(value)}>
              Save
            </Button>
            {save.isSuccess && value === current.data && <span className="muted small">Saved and recorded in the audit log.</span>}
          </div>
        )}
        {save.isError && <ErrorPanel error={save.error} compact />}
      </CardBody>
    </Card>
  );
}
