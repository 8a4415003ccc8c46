import Link from "next/link";
import { LogoMark } from "@/components/shell/logo";

export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card not-found">
        <LogoMark size={40} />
        <p className="forbidden-code">404 · Not found</p>
        <h1 className="auth-title">There is nothing at this address</h1>
        <p className="auth-subtitle">The page may have moved, or the link may be mistyped.</p>
        <Link href="/" className="btn btn-primary">
          Go to the overview
        </Link>
      </div>
    </main>
  );
}
