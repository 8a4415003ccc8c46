"use client";
import type { useVerifyAuditChain } from "@/lib/client/hooks/use-audit";
import { Button } from "../ui/button";
import { ErrorPanel } from "../ui/error-panel";
import { IconShield } from "../ui/icons";

type Verification = ReturnType<typeof useVerifyAuditChain>;

/** Asks the server to re-compute every record's hash; the result shows in `VerifyChainResult`. */
export function VerifyChainButton({ verification }: { verification: Verification }) {
  return (
    <Button icon={<IconShield size={16} />} loading={verification.isPending} onClick={() => verification.mutate()}>
      Verify chain
    </Button>
  );
}

export function VerifyChainResult({ verification }: { verification: Verification }) {
  if (verification.isError) return <ErrorPanel error={verification.error} title="The chain could not be verified" compact />;
  const result = verification.data;
  if (!result) return null;
  const n = result.records.toLocaleString();
  return result.valid ? (
    <div className="alert alert-success" role="status" data-testid="chain-result">
      <strong>Chain intact — {n} records verified</strong>
      <span className="muted"> Every record&apos;s hash matches its contents and links to the one before it.</span>
    </div>
  ) : result.firstInvalidId ? (
    <div className="alert alert-danger" role="alert" data-testid="chain-result">
      <strong>
        Chain broken at record #{result.firstInvalidId} ({result.reason})
      </strong>
      <span> {n} records before it verified. Records from this one on may have been altered outside Rollgate.</span>
    </div>
  ) : (
    <div className="alert alert-danger" role="alert" data-testid="chain-result">
      <strong>Chain does not match its signed checkpoint ({result.reason})</strong>
      <span>
        {" "}
        {n} records verified{result.checkpoint ? `, but the checkpoint counts ${result.checkpoint.records.toLocaleString()}` : ""}. Records may have been deleted or rewritten outside Rollgate.
      </span>
    </div>
  );
}
