"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { DEFAULT_ENVIRONMENT, ENV_PARAM, environmentLabel, useEnvironmentKey } from "@/lib/client/environment";
import { useEnvironments } from "@/lib/client/hooks/use-environments";
import { cx } from "../ui/cx";

/**
 * Picks the environment every screen shows. The choice is written to the URL (`?env=`), which
 * the sidebar links carry along, so it survives navigation, reloads and shared links.
 */
export function EnvironmentSwitcher() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const current = useEnvironmentKey();
  const { data: environments, isError } = useEnvironments();

  // Until the list arrives (or if it cannot), offer the current key so the control is never empty.
  const options = environments?.length ? environments : [{ key: current, name: environmentLabel(current) }];
  const known = options.some((e) => e.key === current);

  function choose(key: string) {
    const next = new URLSearchParams(params.toString());
    next.set(ENV_PARAM, key || DEFAULT_ENVIRONMENT);
    router.push(`${pathname}?${next.toString()}`);
  }

  return (
    <label className={cx("env-switcher", `env-${current === "production" ? "production" : "other"}`)}>
      <span className="env-switcher-label">Environment</span>
      <span className="env-dot" aria-hidden />
      <select
        className="env-switcher-select"
        aria-label="Environment"
        value={current}
        onChange={(e) => choose(e.target.value)}
        title={isError ? "The environment list could not be loaded" : undefined}
      >
        {/* Only the not-found page renders under an unknown key: it is not offered as an environment. */}
        {!known && (
          <option value={current} disabled>
            Choose an environment
          </option>
        )}
        {options.map((e) => (
          <option key={e.key} value={e.key}>
            {e.name}
          </option>
        ))}
      </select>
    </label>
  );
}
