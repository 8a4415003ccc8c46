"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { cx } from "../ui/cx";
import { IconAudit, IconFlags, IconOverview, IconRollouts, IconSettings, IconSlo } from "../ui/icons";

interface NavItem {
  href: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: IconOverview },
  { href: "/rollouts", label: "Rollouts", icon: IconRollouts },
  { href: "/flags", label: "Flags", icon: IconFlags },
  { href: "/slos", label: "SLOs", icon: IconSlo },
  { href: "/audit", label: "Audit", icon: IconAudit },
  { href: "/settings", label: "Settings", icon: IconSettings },
];

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** Primary navigation; every link carries the selected environment. */
export function SidebarNav() {
  const pathname = usePathname();
  const env = useEnvironmentKey();
  return (
    <nav className="sidebar-nav" aria-label="Main">
      <ul>
        {NAV_ITEMS.map(({ href, label, icon: Icon }) => {
          const active = isActive(pathname, href);
          return (
            <li key={href}>
              <Link href={withEnvironment(href, env)} className={cx("nav-link", active && "nav-link-active")} aria-current={active ? "page" : undefined}>
                <Icon size={18} />
                <span>{label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
