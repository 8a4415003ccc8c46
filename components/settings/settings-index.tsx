"use client";
import Link from "next/link";
import type { ComponentType } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { Badge } from "../ui/badge";
import { IconChevron, IconKey, IconPrice, IconUsers, IconWebhook } from "../ui/icons";
import { PageHeader } from "../ui/page-header";

interface Section {
  title: string;
  href: string;
  description: string;
  icon: ComponentType<{ size?: number }>;
}

/** Every settings section is an admin's job; other roles can open them and see why not. */
const SECTIONS: Section[] = [
  { title: "Users", href: "/settings/users", description: "Accounts, their roles, and who may sign in.", icon: IconUsers },
  {
    title: "API keys",
    href: "/settings/api-keys",
    description: "Per-environment keys that let services evaluate flags and report outcomes; shown once, revocable.",
    icon: IconKey,
  },
  {
    title: "Webhooks",
    href: "/settings/webhooks",
    description: "Slack-compatible notifications for rollout transitions, approvals needed, rollbacks, kill switches and SLO alerts.",
    icon: IconWebhook,
  },
  {
    title: "Model prices",
    href: "/settings/prices",
    description: "Dollars per million input and output tokens, used to price events and compare the cost of old and new models.",
    icon: IconPrice,
  },
];

export function SettingsIndex({ canManageUsers }: { canManageUsers: boolean }) {
  const env = useEnvironmentKey();
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            Who can sign in, and how Rollgate connects to your services.
            {!canManageUsers && (
              <>
                {" "}
                <Badge>Admins only</Badge>
              </>
            )}
          </>
        }
      />
      <ul className="settings-list">
        {SECTIONS.map(({ title, href, description, icon: Icon }) => (
          <li key={href}>
            <Link href={withEnvironment(href, env)} className="settings-entry">
              <span className="settings-entry-icon">
                <Icon size={20} />
              </span>
              <span className="settings-entry-text">
                <span className="settings-entry-title">{title}</span>
                <span className="settings-entry-description">{description}</span>
              </span>
              <IconChevron size={18} />
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
