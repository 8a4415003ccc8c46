"use client";
import Link from "next/link";
import type { ComponentType } from "react";
import { useEnvironmentKey, withEnvironment } from "@/lib/client/environment";
import { Badge } from "../ui/badge";
import { IconChevron, IconKey, IconPrice, IconUsers, IconWebhook } from "../ui/icons";
import { PageHeader } from "../ui/page-header";

interface Section {
  title: string;
  description: string;
  icon: ComponentType<{ size?: number }>;
}

/** Sections planned but not yet available; listed so admins know where they will live. */
const UPCOMING: Section[] = [
  { title: "API keys", description: "Per-environment keys that let services evaluate flags and report outcomes; shown once, revocable.", icon: IconKey },
  { title: "Webhooks", description: "Slack-compatible notifications for rollout transitions, approvals needed, rollbacks and SLO alerts.", icon: IconWebhook },
  { title: "Model prices", description: "Dollars per million input and output tokens, used to compare the cost of old and new models.", icon: IconPrice },
];

export function SettingsIndex({ canManageUsers }: { canManageUsers: boolean }) {
  const env = useEnvironmentKey();
  return (
    <>
      <PageHeader title="Settings" description="Who can sign in, and how Rollgate connects to your services." />
      <ul className="settings-list">
        <li>
          <Link href={withEnvironment("/settings/users", env)} className="settings-entry">
            <span className="settings-entry-icon">
              <IconUsers size={20} />
            </span>
            <span className="settings-entry-text">
              <span className="settings-entry-title">
                Users {!canManageUsers && <Badge>Admins only</Badge>}
              </span>
              <span className="settings-entry-description">Accounts, their roles, and who may sign in.</span>
            </span>
            <IconChevron size={18} />
          </Link>
        </li>
        {UPCOMING.map(({ title, description, icon: Icon }) => (
          <li key={title}>
            <div className="settings-entry settings-entry-disabled" aria-disabled="true">
              <span className="settings-entry-icon">
                <Icon size={20} />
              </span>
              <span className="settings-entry-text">
                <span className="settings-entry-title">
                  {title} <Badge>Not available yet</Badge>
                </span>
                <span className="settings-entry-description">{description}</span>
              </span>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
