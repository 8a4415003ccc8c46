"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { EnvironmentSwitcher } from "./environment-switcher";
import { Logo } from "./logo";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

/** The frame of every dashboard screen: sidebar, top bar with environment and user, content. */
export function AppShell({ user, children }: { user: { email: string; roles: readonly string[] }; children: ReactNode }) {
  const env = useEnvironmentKey();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <Link href={withEnvironment("/", env)} className="sidebar-brand" aria-label="Rollgate overview">
            <Logo />
          </Link>
          <SidebarNav />
          <p className="sidebar-footer">Release control for LLM models and prompts</p>
        </div>
      </aside>
      <div className="shell-main">
        <header className="topbar">
          <EnvironmentSwitcher />
          <UserMenu email={user.email} roles={user.roles} />
        </header>
        <main id="main" className="content">
          {children}
        </main>
      </div>
    </div>
  );
}
