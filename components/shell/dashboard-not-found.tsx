"use client";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { DEFAULT_ENVIRONMENT, ENV_PARAM, withEnvironment } from "@/lib/client/environment";

interface EnvironmentLink {
  key: string;
  name: string;
}

/** What the URL asked for, from its path: a rollout, a flag, an SLO, or some page. */
function missingThing(pathname: string): { what: string; list: { href: string; label: string } } | null {
  if (/^\/rollouts\/[^/]+/.test(pathname) && pathname !== "/rollouts/new") return { what: "rollout", list: { href: "/rollouts", label: "All rollouts" } };
  if (pathname.startsWith("/flags/")) return { what: "flag", list: { href: "/flags", label: "All flags" } };
  if (pathname.startsWith("/slos/")) return { what: "SLO", list: { href: "/slos", label: "All SLOs" } };
  return null;
}

/**
 * The dashboard's 404: an environment that does not exist (with the real ones as links to the
 * same page), or a rollout, flag or SLO that does not exist (with the way back to its list).
 */
export function DashboardNotFound({ environments }: { environments: EnvironmentLink[] }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const envKey = params.get(ENV_PARAM) || DEFAULT_ENVIRONMENT;
  const unknownEnvironment = !environments.some((e) => e.key === envKey);

  if (unknownEnvironment) {
    return (
      <section className="forbidden" aria-labelledby="not-found-title" data-testid="not-found">
        <p className="forbidden-code">404 · Not found</p>
        <h1 id="not-found-title" className="forbidden-title">
          There is no environment <code>{envKey}</code>
        </h1>
        <p className="forbidden-text">The link may be mistyped, or the environment was never created. The environments that exist:</p>
        <ul className="link-list" aria-label="Environments">
          {environments.map((e) => (
            <li key={e.key}>
              {/* A full load: the not-found state of this layout only resets when the path changes, and here only ?env= does. */}
              <a href={withEnvironment(pathname, e.key)}>
                {e.name} <code className="muted small">{e.key}</code>
              </a>
            </li>
          ))}
        </ul>
      </section>
    );
  }

  const thing = missingThing(pathname);
  const environmentName = environments.find((e) => e.key === envKey)?.name ?? envKey;
  const id = thing ? decodeURIComponent(pathname.split("/")[2] ?? "") : "";
  return (
    <section className="forbidden" aria-labelledby="not-found-title" data-testid="not-found">
      <p className="forbidden-code">404 · Not found</p>
      <h1 id="not-found-title" className="forbidden-title">
        {thing ? (
          <>
            There is no {thing.what} <code className="break-anywhere">{id}</code>
            {thing.what === "flag" ? ` in ${environmentName}` : ""}
          </>
        ) : (
          "There is nothing at this address"
        )}
      </h1>
      <p className="forbidden-text">{thing ? `It may have been deleted, or the link may be mistyped.` : "The page may have moved, or the link may be mistyped."}</p>
      <p className="link-row">
        {thing && (
          <Link href={withEnvironment(thing.list.href, envKey)} className="btn btn-primary">
            {thing.list.label}
          </Link>
        )}
        <Link href={withEnvironment("/", envKey)} className="btn">
          Overview
        </Link>
      </p>
    </section>
  );
}
