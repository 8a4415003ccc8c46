import { Skeleton, SkeletonRows } from "@/components/ui/skeleton";

/** Shown while a dashboard page renders on the server (the shell stays in place). */
export default function DashboardLoading() {
  return (
    <div className="page-loading" role="status" aria-label="Loading page">
      <div className="page-header">
        <div className="page-header-text">
          <Skeleton width={180} height={26} />
          <Skeleton width={360} height={14} style={{ marginTop: 10 }} />
        </div>
      </div>
      <div className="card">
        <div className="card-body">
          <SkeletonRows rows={6} columns={4} />
        </div>
      </div>
    </div>
  );
}
