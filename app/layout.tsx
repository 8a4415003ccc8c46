import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Rollgate", template: "%s · Rollgate" },
  description: "Release control plane for LLM models and prompts",
  icons: { icon: "/favicon.svg" },
};

/**
 * Every page renders per request: the CSP nonce (lib/server/http/security-headers.ts) is fresh
 * each time, and a page prerendered at build time would carry scripts without it.
 */
export const dynamic = "force-dynamic";

export const viewport: Viewport = {
  themeColor: "#111827",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
