"use client";
import { useState, type FormEvent } from "react";
import { Button } from "../ui/button";
import { Field, Input } from "../ui/field";

/** The audit page's filter values as they appear in the URL (dates as YYYY-MM-DD). */
export interface AuditFilterForm {
  actor: string;
  action: string;
  resourceType: string;
  q: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilterForm = { actor: "", action: "", resourceType: "", q: "", from: "", to: "" };
export const AUDIT_FILTER_KEYS = Object.keys(EMPTY_AUDIT_FILTERS) as (keyof AuditFilterForm)[];

/** Resource types the server records today; the field also accepts any other value. */
const RESOURCE_TYPES = ["user", "environment", "flag", "rollout", "slo", "api_key", "webhook", "price", "settings"];
const ACTIONS = ["auth.", "user.", "flag.", "rollout.", "slo.", "api_key.", "webhook."];

export function AuditFilters({ value, onApply }: { value: AuditFilterForm; onApply: (next: AuditFilterForm) => void }) {
  const [draft, setDraft] = useState(value);
  // Re-seed the form when the URL changes underneath it (back/forward, "Clear").
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
  }
  const set = (key: keyof AuditFilterForm) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const active = AUDIT_FILTER_KEYS.some((k) => value[k]);

  function submit(e: FormEvent) {
    e.preventDefault();
    onApply(draft);
  }

  return (
    <form className="filters" onSubmit={submit} aria-label="Audit filters">
      <Field label="Search" className="filters-search">
        {(p) => <Input {...p} type="search" name="q" placeholder="Action, actor, flag key, name…" value={draft.q} onChange={set("q")} />}
      </Field>
      <Field label="Actor">{(p) => <Input {...p} name="actor" placeholder="Email or key name" value={draft.actor} onChange={set("actor")} />}</Field>
      <Field label="Action">{(p) => <Input {...p} name="action" placeholder="e.g. user.create" list="audit-actions" value={draft.action} onChange={set("action")} />}</Field>
      <Field label="Resource type">{(p) => <Input {...p} name="resourceType" placeholder="Any" list="audit-resource-types" value={draft.resourceType} onChange={set("resourceType")} />}</Field>
      <Field label="From">{(p) => <Input {...p} type="date" name="from" value={draft.from} max={draft.to || undefined} onChange={set("from")} />}</Field>
      <Field label="To">{(p) => <Input {...p} type="date" name="to" value={draft.to} min={draft.from || undefined} onChange={set("to")} />}</Field>
      <div className="filters-actions">
        <Button type="submit" variant="primary">
          Apply
        </Button>
        {active && <Button onClick={() => onApply(EMPTY_AUDIT_FILTERS)}>Clear</Button>}
      </div>
      <datalist id="audit-actions">
        {ACTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <datalist id="audit-resource-types">
        {RESOURCE_TYPES.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
    </form>
  );
}
