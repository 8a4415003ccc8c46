"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { formatBasisPoints } from "@/lib/domain/rollouts/format";
import { isApiError } from "@/lib/client/api";
import { environmentLabel, useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { formatDateTime } from "@/lib/client/format";
import { useArchiveFlag, useFlag, useUpdateFlag } from "@/lib/client/hooks/flags";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { useMe } from "@/lib/client/hooks/use-me";
import type { FlagView } from "@/lib/client/types";
import { Badge } from "../ui/badge";
import { Button, ButtonLink } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { cx } from "../ui/cx";
import { ConfirmDialog } from "../ui/dialog";
import { WithDisabledReason } from "../ui/disabled-reason";
import { EmptyState } from "../ui/empty-state";
import { ErrorPanel } from "../ui/error-panel";
import { IconFlags } from "../ui/icons";
import { PageHeader } from "../ui/page-header";
import { SkeletonRows } from "../ui/skeleton";
import { STRATEGY_LABELS } from "../rollouts/labels";
import { draftFingerprint, draftToDocument, flagFingerprint, flagToDraft, serverPathErrors, type FlagDraft, type PathErrors } from "./flag-draft";
import { FlagTester } from "./flag-tester";
import styles from "./flags.module.css";
import { KillSwitchBanner, KillSwitchDialog, KillSwitchPanel } from "./kill-switch";
import { KIND_LABELS, NEEDS_WRITE } from "./labels";
import { RulesEditor } from "./rules-editor";
import { ServingFields } from "./serving-fields";
import { VariantsEditor } from "./variants-editor";
import { useTransientNotice } from "@/lib/client/hooks/use-notice";

/** Flags → one flag: its state, the editor (variants, rules, serving), kill switch, tester, archive. */
export function FlagDetailClient({ flagKey }: { flagKey: string }) {
  const env = useEnvironmentKey();
  const envName = environmentLabel(env, useEnvironments().data);
  const query = useFlag(env, flagKey);
  const back = (
    <Link className="link" href={withEnvironment("/flags", env)}>
      Flags
    </Link>
  );

  if (query.isPending) {
    return (
      <>
        <PageHeader eyebrow={back} title={flagKey} />
        <Card>
          <div className="pad">
            <SkeletonRows rows={6} columns={3} />
          </div>
        </Card>
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        <PageHeader eyebrow={back} title={flagKey} />
        {isApiError(query.error) && query.error.status === 404 ? (
          <Card>
            <EmptyState
              icon={<IconFlags size={24} />}
              title={`No flag ${flagKey} in ${envName}`}
              action={
                <ButtonLink href={withEnvironment("/flags", env)} variant="secondary">
                  All flags in {envName}
                </ButtonLink>
              }
            >
              <p>It may live in another environment (use the switcher above), or its key may be misspelled.</p>
            </EmptyState>
          </Card>
        ) : (
          <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
        )}
      </>
    );
  }
  return <FlagDetail key={`${env}:${flagKey}`} flag={query.data} env={env} envName={envName} back={back} />;
}

/** The server refused a save because the flag moved on since the screen loaded it. */
const isVersionConflict = (e: unknown) => isApiError(e) && (e.status === 412 || (e.status === 409 && e.problem.details?.reason === "version_conflict"));

function FlagDetail({ flag, env, envName, back }: { flag: FlagView; env: string; envName: string; back: ReactNode }) {
  const router = useRouter();
  const me = useMe();
  const permissions = new Set(me.data?.permissions ?? []);
  const archived = flag.archivedAt !== null;
  const canWrite = permissions.has("flag.write") && !archived;
  const canKill = permissions.has("flag.kill_switch") && !archived;
  const canStartRollout = permissions.has("rollout.write") && !archived;

  const update = useUpdateFlag(env, flag.key);
  const archive = useArchiveFlag(env, flag.key);
  const [draft, setDraft] = useState<FlagDraft>(() => flagToDraft(flag));
  const [base, setBase] = useState(() => ({ version: flag.version, fingerprint: flagFingerprint(flag) }));
  const [clientErrors, setClientErrors] = useState<PathErrors>({});
  const [serverErrors, setServerErrors] = useState<PathErrors>({});
  const [killMode, setKillMode] = useState<"engage" | "release" | null>(null);
  const [archiving, setArchiving] = useState(false);
  const [notice, setNotice] = useTransientNotice(8000);

  const dirty = draftFingerprint(draft) !== base.fingerprint;
  const stale = flag.version !== base.version;

  // A newer flag from the server: adopt it unless it would overwrite unsaved edits.
  useEffect(() => {
    const incoming = flagFingerprint(flag);
    if (incoming === base.fingerprint || incoming === draftFingerprint(draft)) {
      // Only state outside the editor changed (kill switch), or the server now holds what the editor shows.
      // eslint-disable-next-line react-hooks/set-state-in-effect -- takes the server's new version into the editor unless the editor holds unsaved changes
      setBase({ version: flag.version, fingerprint: incoming });
    } else if (!dirty) {
      setDraft(flagToDraft(flag));
      setBase({ version: flag.version, fingerprint: incoming });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the server's flag changes, not on every edit of the draft
  }, [flag]);

  function change(next: FlagDraft) {
    setDraft(next);
    setServerErrors({});
    if (Object.keys(clientErrors).length) setClientErrors(draftToDocument(next).errors);
  }

  function reload() {
    setDraft(flagToDraft(flag));
    setBase({ version: flag.version, fingerprint: flagFingerprint(flag) });
    setClientErrors({});
    setServerErrors({});
    update.reset();
  }

  function save() {
    const { doc, errors } = draftToDocument(draft);
    setClientErrors(errors);
    if (Object.keys(errors).length) return;
    const { key: _key, kind: _kind, description, ...rest } = doc;
    update.mutate(
      { ...rest, description: description ?? "", expectedVersion: base.version },
      {
        onSuccess: ({ flag: saved }) => {
          setDraft(flagToDraft(saved));
          setBase({ version: saved.version, fingerprint: flagFingerprint(saved) });
          setNotice(`Saved. ${saved.key} is at version ${saved.version}; evaluation serves it within seconds.`);
        },
        onError: (err) => setServerErrors(isApiError(err) ? serverPathErrors(err.problem.details?.errors) : {}),
      },
    );
  }

  const errors = { ...serverErrors, ...clientErrors };
  const hasFieldErrors = Object.keys(errors).length > 0;
  const conflict = isVersionConflict(update.error);
  const lockedVariants = flag.activeRollout ? [flag.activeRollout.controlVariant, flag.activeRollout.treatmentVariant] : [];
  const rollout = flag.activeRollout;

  return (
    <>
      <PageHeader
        eyebrow={back}
        title={flag.key}
        description={
          <>
            {KIND_LABELS[flag.kind]} flag in <strong>{envName}</strong> · version {flag.version} · updated {formatDateTime(flag.updatedAt)}
            {flag.description && <span className="muted"> · {flag.description}</span>}
          </>
        }
        actions={
          <span className={styles.pills} data-testid="flag-state" data-enabled={flag.enabled} data-kill-switch={flag.killSwitch} data-archived={archived}>
            {archived && <Badge tone="neutral">Archived</Badge>}
            {flag.killSwitch && <Badge className={styles.killBadge}>KILL SWITCH ON</Badge>}
            {flag.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="neutral">Disabled</Badge>}
          </span>
        }
      />

      <KillSwitchBanner flag={flag} canKill={canKill} onTurnOff={() => setKillMode("release")} />
      {archived && (
        <div className="alert" role="status">
          Archived on {formatDateTime(flag.archivedAt)}. The evaluation API no longer serves it; it is shown read-only.
        </div>
      )}
      {notice && (
        <div className="alert alert-success" role="status" data-testid="flag-notice">
          {notice}
        </div>
      )}
      {me.data && !permissions.has("flag.write") && (
        <div className="alert" role="note" data-testid="read-only-note">
          You can look and test, but not change: editing flags needs the operator or admin role.
        </div>
      )}

      <div className="grid grid-main-side">
        <div className="stack">
          <fieldset className={styles.plain} disabled={!canWrite} data-testid="flag-editor">
            <Card>
              <CardHeader title="Variants" description="What the flag can serve: each variant's key and JSON payload." />
              <CardBody>
                <VariantsEditor draft={draft} onChange={change} errors={errors} lockedVariants={lockedVariants} />
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Targeting rules" description="Checked in order; the first rule whose conditions all hold decides." />
              <CardBody>
                <RulesEditor draft={draft} onChange={change} errors={errors} activeRollout={rollout} />
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Serving" description="The default rule, the safe fallback, stickiness and whether the flag is on." />
              <CardBody>
                <ServingFields draft={draft} onChange={change} errors={errors} />
              </CardBody>
            </Card>
          </fieldset>

          {canWrite && (
            <div className={cx(styles.saveBar, !dirty && styles.saveBarClean)} data-testid="save-bar">
              <div>
                {conflict ? (
                  <span className="text-danger" role="alert" data-testid="save-conflict">
                    Someone else changed this flag while you were editing (it is now at version {flag.version}). Reload to see their changes — your unsaved edits will be lost.
                  </span>
                ) : stale && dirty ? (
                  <span className="text-danger" role="status">
                    This flag changed on the server (version {base.version} → {flag.version}) while you were editing. Saving will be refused; reload first.
                  </span>
                ) : hasFieldErrors ? (
                  <span className="text-danger" role="alert">
                    Fix the fields marked above to save.
                  </span>
                ) : dirty ? (
                  <strong>Unsaved changes</strong>
                ) : (
                  <span className="muted">All changes saved · version {flag.version}</span>
                )}
              </div>
              <div className={styles.saveBarActions}>
                {(conflict || stale) && (
                  <Button onClick={reload} data-testid="flag-reload">
                    Reload
                  </Button>
                )}
                <Button onClick={reload} disabled={!dirty || update.isPending}>
                  Discard
                </Button>
                <Button variant="primary" onClick={save} disabled={!dirty} loading={update.isPending} data-testid="flag-save">
                  Save changes
                </Button>
              </div>
            </div>
          )}
          {update.isError && !conflict && Object.keys(serverErrors).length === 0 && <ErrorPanel error={update.error} title="The flag was not saved" />}

          <FlagTester flag={flag} env={env} unsaved={dirty} />
        </div>

        <div className="stack">
          {!archived && <KillSwitchPanel flag={flag} canKill={canKill} onEngage={() => setKillMode("engage")} onTurnOff={() => setKillMode("release")} />}

          <Card>
            <CardHeader title="Active rollout" />
            <CardBody>
              {rollout ? (
                <dl className="kv" data-testid="flag-rollout">
                  <dt>Rollout</dt>
                  <dd>
                    <Link className="link" href={withEnvironment(`/rollouts/${rollout.id}`, env)}>
                      {STRATEGY_LABELS[rollout.strategy as keyof typeof STRATEGY_LABELS] ?? rollout.strategy} · {rollout.state.replace("_", " ")}
                    </Link>
                  </dd>
                  <dt>Variants</dt>
                  <dd>
                    <code>{rollout.controlVariant}</code> → <code>{rollout.treatmentVariant}</code>
                  </dd>
                  <dt>Treatment</dt>
                  <dd>
                    {formatBasisPoints(rollout.trafficBasisPoints)} · stage {rollout.currentStageIndex + 1}
                  </dd>
                </dl>
              ) : (
                <>
                  <p className={styles.panelText}>None. A rollout replaces the default variant with another one, stage by stage, with gates.</p>
                  {canStartRollout && flag.variants.length > 1 && (
                    <ButtonLink size="sm" href={withEnvironment(`/rollouts/new?flag=${encodeURIComponent(flag.key)}`, env)}>
                      Start a rollout
                    </ButtonLink>
                  )}
                </>
              )}
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Details" />
            <CardBody>
              <dl className="kv">
                <dt>Kind</dt>
                <dd>{KIND_LABELS[flag.kind]}</dd>
                <dt>Environment</dt>
                <dd>{envName}</dd>
                <dt>Default</dt>
                <dd>
                  <code>{flag.defaultVariant}</code>
                </dd>
                <dt>Fallback</dt>
                <dd>
                  <code>{flag.fallbackVariant}</code>
                </dd>
                <dt>Stickiness</dt>
                <dd>
                  <code>{flag.stickiness}</code>
                </dd>
                <dt>Version</dt>
                <dd>{flag.version}</dd>
                <dt>Created</dt>
                <dd>{formatDateTime(flag.createdAt)}</dd>
                <dt>Updated</dt>
                <dd>{formatDateTime(flag.updatedAt)}</dd>
              </dl>
              <p className="small" style={{ marginTop: 12 }}>
                <Link className="link" href={withEnvironment(`/audit?q=${encodeURIComponent(flag.id)}`, env)}>
                  Audit trail of this flag →
                </Link>
              </p>
            </CardBody>
          </Card>

          {!archived && (
            <Card>
              <CardHeader title="Archive" />
              <CardBody>
                <p className={styles.panelText}>Stops serving the flag: services asking for it get “flag not found”. Not possible while a rollout is active.</p>
                <WithDisabledReason reason={canWrite ? null : NEEDS_WRITE}>
                  {(describedBy) => (
                    <Button variant="secondary" onClick={() => setArchiving(true)} disabled={!canWrite} aria-describedby={describedBy} data-testid="flag-archive">
                      Archive flag
                    </Button>
                  )}
                </WithDisabledReason>
              </CardBody>
            </Card>
          )}
        </div>
      </div>

      <KillSwitchDialog flag={flag} env={env} mode={killMode} onClose={() => setKillMode(null)} onDone={setNotice} />
      <ConfirmDialog
        open={archiving}
        onClose={() => setArchiving(false)}
        title={`Archive ${flag.key}?`}
        confirmLabel="Archive flag"
        tone="danger"
        onConfirm={async () => {
          await archive.mutateAsync();
          router.push(withEnvironment("/flags", env));
        }}
      >
        <p>
          The evaluation API stops serving <code>{flag.key}</code> in {envName} now; services asking for it get “flag not found” and should use their built-in default. The flag stays listed under
          “Show archived” and in the audit log.
        </p>
        {rollout && <p className="text-danger">It has an active {rollout.state.replace("_", " ")} rollout, so the server will refuse until that rollout ends.</p>}
      </ConfirmDialog>
    </>
  );
}
