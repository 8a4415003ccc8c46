"use client";
import Link from "next/link";
import type { ReactNode } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { cx } from "../ui/cx";
import { IconClose, IconMenu } from "../ui/icons";
import { EnvironmentSwitcher } from "./environment-switcher";
import { Logo } from "./logo";
import { SidebarNav } from "./sidebar-nav";
import { useCollapsibleNav } from "./use-collapsible-nav";
import { UserMenu } from "./user-menu";

const MENU_ID = "main-menu";

/**
 * The frame of every dashboard screen: top bar with environment and user, sidebar, content
 * (placed by grid areas in app/globals.css, so the DOM and focus order run top bar → nav → page).
 * Below the tablet breakpoint (app/globals.css) the sidebar and the user menu fold into a
 * panel that the top bar's Menu button opens.
 */
export function AppShell({ user, children }: { user: { email: string; roles: readonly string[] }; children: ReactNode }) {
  const env = useEnvironmentKey();
  const { open, toggle, buttonRef, panelRef } = useCollapsibleNav();
  return (
    <div className={cx("shell", open && "shell-nav-open")}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link href={withEnvironment("/", env)} className="topbar-brand" aria-label="Rollgate overview">
          <Logo />
        </Link>
        <EnvironmentSwitcher />
        <button type="button" ref={buttonRef} className="menu-button" aria-expanded={open} aria-controls={MENU_ID} onClick={toggle} data-testid="menu-button">
          {open ? <IconClose size={18} /> : <IconMenu size={18} />}
          <span>Menu</span>
        </button>
        <UserMenu email={user.email} roles={user.roles} />
      </header>
      <aside className="sidebar" id={MENU_ID} ref={panelRef}>
        <div className="sidebar-inner">
          <Link href={withEnvironment("/", env)} className="sidebar-brand" aria-label="Rollgate overview">
            <Logo />
          </Link>
          <SidebarNav />
          <p className="sidebar-footer">Release control for LLM models and prompts</p>
        </div>
      </aside>
      <main id="main" className="content">
        {children}
      </main>
    </div>
  );
}
